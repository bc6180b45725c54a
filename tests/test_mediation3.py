"""Mediation builds a working relationship, not reconciliation; a town without a
cross-divide tie is not moved by other towns' talks (issue 15, branch mediation3; ODD 7.5,
7.6 and 8). Both on the pair world (tests/pair_world.py), seed 1, no noise."""

from __future__ import annotations

import numpy as np
import pandas as pd
from pair_world import mediator_ties, pair_world

from sim import PeaceModel

QUIET = {"galtung": {"noise": 0.0}}
# A third city on east's side of the divide, with no tie of its own across it.
NORTH = [{"id": "north", "country": "EA", "community": "e"}]


def run(**world) -> pd.DataFrame:
    return PeaceModel(pair_world(**world), seed=1, params=QUIET).run().timeseries()


def test_a_decade_of_mediation_cannot_lift_trust_past_the_ceiling_the_culture_sets() -> None:
    """Ten years of talks (mediator trust 0.5 to both sides, no programme) lift the pair's
    tie (encoded 0.3) toward ``1 - mean C`` of its ends (``trust.mediation_ceiling`` 1), not
    toward 1: each month's trust is at most the ceiling at the month before's C. Before branch
    mediation3 the same decade lifted it 0.3 -> 0.95 (C 0.5 at both ends)."""
    ts = run(ties=mediator_ties(months=120))
    trust = ts["cross_divide_trust"].to_numpy()
    mean_c = 0.5 * (ts["cultural_violence@east"] + ts["cultural_violence@west"]).to_numpy()
    ceiling = 1.0 - mean_c
    assert trust[119] > 0.4  # the talks do build trust (else this checks nothing)
    assert np.all(trust[1:120] <= np.maximum(ceiling[:119], 0.3) + 1e-12)
    assert trust[119] < 0.6  # far below main's 0.95


def test_a_town_without_a_cross_divide_tie_is_not_moved_by_another_pairs_mediation() -> None:
    """``north`` has no tie across the divide: its cross-divide trust is its own no-contact
    trust (ODD 7.6), so Wageningen-like talks between east and west leave its trust and its
    cultural violence where they would be without them. Before branch mediation3 it read the
    world's mean cross-divide trust, which the talks lifted."""
    talks = run(ties=mediator_ties(months=120), extra_actors=NORTH)
    none = run(extra_actors=NORTH)
    # the talks do move the pair (else this checks nothing)
    assert talks["cross_divide_trust"].iloc[119] - none["cross_divide_trust"].iloc[119] > 0.1
    c_talks = talks["cultural_violence@north"].to_numpy()
    c_none = none["cultural_violence@north"].to_numpy()
    assert np.max(np.abs(c_talks - c_none)) < 1e-9
