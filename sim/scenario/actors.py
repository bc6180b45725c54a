"""Actor defaults by type, and the actor table the model is built from.

Every default is an assumption, documented here once, so a scenario only states what it knows.
Indices are in [0, 1].
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sim.scenario.vocabulary import ACTOR_ZERO_STATE, PILLARS

if TYPE_CHECKING:
    from sim.scenario.schema import Actor

COMMON_DEFAULTS: dict[str, Any] = {
    "name": None,
    "community": None,
    "resources": 0.0,
    "neutrality": 0.3,
    "conflict_sensitivity": 0.5,
    "lat": None,
    "lon": None,
    "kind": None,
    "risk_tolerance": 1.0,
    "sanction_exempt": False,
    "expertise": 0.0,  # no know-how is assumed unless a scenario encodes it with a source
    # A city's capacity in peace without aid (rules.recovery); NaN: its encoded start, the
    # steady state of a city not at war when the scenario starts (ODD 7.6).
    "steady_capacity": float("nan"),
    **ACTOR_ZERO_STATE,
    "represents": 1,
    "fled": 0.0,
}
TYPE_DEFAULTS: dict[str, dict[str, Any]] = {
    "municipality": {
        "level": "middle",
        "direct_violence": 0.1,
        "structural_violence": 0.3,
        "cultural_violence": 0.3,
        "needs": 0.3,
        "capacity": 0.5,
        "cohesion": 0.5,
        "participation": 0.5,
        "will": 0.5,
        "mandate": {"humanitarian": 0.2, "development": 0.5, "peace": 0.3},
    },
    "national_government": {
        "level": "top",
        "mandate": {"humanitarian": 0.4, "development": 0.4, "peace": 0.2},
    },
    "ngo": {
        "level": "grassroots",
        "neutrality": 0.6,
        "conflict_sensitivity": 0.7,
        "mandate": {"humanitarian": 0.3, "development": 0.3, "peace": 0.4},
    },
    "international_organisation": {
        "level": "top",
        "neutrality": 0.7,
        "conflict_sensitivity": 0.7,
        "mandate": {"humanitarian": 1 / 3, "development": 1 / 3, "peace": 1 / 3},
    },
}
_NOT_COLUMNS = {"source", "assumption", "mandate", "start", "end"}  # windows: active_*


def actor_row(actor: Actor) -> dict[str, Any]:
    """One row of the actor table: the type's defaults, then what the entry states."""
    row: dict[str, Any] = dict(COMMON_DEFAULTS)
    row.update(TYPE_DEFAULTS[actor.type])
    stated = {k: getattr(actor, k) for k in type(actor).model_fields if k not in _NOT_COLUMNS}
    row.update({k: v for k, v in stated.items() if v is not None})
    mandate = row.pop("mandate")
    if actor.mandate is not None:
        mandate = actor.mandate.model_dump()
    for pillar in PILLARS:
        row[f"mandate_{pillar}"] = float(mandate[pillar])
    for key in ("lat", "lon"):
        row[key] = np.nan if row[key] is None else row[key]
    row["name"] = actor.name if actor.name is not None else actor.id
    row["represents"] = int(row["represents"])
    return row
