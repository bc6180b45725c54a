"""Activity windows: which ties act in a month, and the world as it stands then.

A tie acts while it and both its actors are inside their windows (``start``/``end`` in the
scenario; ``World.tie_from``/``tie_to``, first and last active step). In a month with inactive
ties the stages see :func:`restricted`, a shallow copy of the world in which those ties carry
nothing, mediate nothing, and are in no tie subset, so no rule needs to know about windows.
The events engine (``sim.engine.events``) switches the view when a window opens or closes and
holds inactive ties' trust and memory through the month.
"""

from __future__ import annotations

import copy
import dataclasses
from types import SimpleNamespace
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.engine.world import World


def windowed(world: World) -> bool:
    """Some tie is inactive in some month of the run (an actor's or a tie's window)."""
    return bool(((world.tie_from > 0) | (world.tie_to < world.horizon - 1)).any())


def ties_active(world: World, step: int) -> np.ndarray:
    """(E,) the ties active in month ``step``."""
    return (world.tie_from <= step) & (step <= world.tie_to)


def changes(world: World) -> set[int]:
    """The months after the first in which some tie becomes active or inactive."""
    steps = np.concatenate([world.tie_from, world.tie_to + 1])
    return set(steps[(steps > 0) & (steps < world.horizon)].tolist())


def restricted(world: World, active: np.ndarray) -> World:
    """``world`` as it stands while only the ``active`` ties act (a shallow copy).

    An inactive tie is not a carrying tie (so every gate on it is closed and it is offered
    nothing), is in no mediation triple, in no tie subset (cross-divide, up, horizontal,
    spill-up, cross-border) and in no alliance's ties.
    """
    if active.all():
        return world
    view = copy.copy(world)
    keep = active[world.med_party] & active[world.med_mu] & active[world.med_mv]
    view.med_party, view.med_mu = world.med_party[keep], world.med_mu[keep]
    view.med_mv, view.med_mediator = world.med_mv[keep], world.med_mediator[keep]
    mediated = np.zeros(world.n_ties, dtype=bool)
    mediated[view.med_party] = True
    view.ties = dataclasses.replace(
        world.ties, carries=world.ties.carries & active, mediated=mediated
    )
    view._tie_subsets(active)
    view.alliances = [_alliance(spec, active) for spec in world.alliances]
    return view


def _alliance(spec: SimpleNamespace, active: np.ndarray) -> SimpleNamespace:
    """An alliance's tie lists without the inactive ties."""
    talking = active[spec.talks]
    return SimpleNamespace(
        **{
            **vars(spec),
            "inner": spec.inner[active[spec.inner]],
            "talks": spec.talks[talking],
            "talks_member": spec.talks_member[talking],
        }
    )
