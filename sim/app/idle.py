"""Actors a policy leaves idle: named only in programmes the policy drops.

A counterfactual such as tuzla's ``no_abc`` keeps the Dutch cities in the world (the world's
shape stays comparable across runs) but nothing in the run involves them. The network greys
them out, with a legend entry saying why, instead of drawing them as if they took part.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

ROLES = ("funders", "providers", "recipients")


def _named(programmes: Iterable[dict[str, Any]], roles: tuple[str, ...] = ROLES) -> set[str]:
    return {str(a) for p in programmes for role in roles for a in p.get(role) or ()}


def idle_actors(model: Any, base_case: Any | None) -> tuple[np.ndarray, str]:
    """(mask over actors, reason): actors of dropped programmes that no kept one names.

    ``base_case`` is the scenario without the policy (None: nothing is idle). A dropped
    programme's recipients stay drawn: they are the conflict side whose outcome is compared.
    """
    idle = np.zeros(model.n_actors, dtype=bool)
    if base_case is None:
        return idle, ""
    kept = {str(p["id"]) for p in model.case.programmes}
    dropped = [p for p in base_case.programmes if str(p["id"]) not in kept]
    if not dropped:
        return idle, ""
    names = _named(dropped) - _named(model.case.programmes) - _named(dropped, ("recipients",))
    rows = [model.actor_index[a] for a in sorted(names) if a in model.actor_index]
    idle[rows] = True
    ids = ", ".join(str(p["id"]) for p in dropped)
    return idle, f"idle: the policy drops {ids}"
