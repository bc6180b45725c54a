"""Graded vertical integration (issue 15 item 6, branch vertical; ODD 7.7): v_i is a city's
participation times the mean trust of its ties with the level above, in [0, 1] without NaN at
the edges, and it rises with that trust in a whole model."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import PeaceModel
from sim.engine.stages import levels
from sim.rules import lederach

UNIT = st.floats(0.0, 1.0)


def test_hand_values() -> None:
    """Two ties up at 0.2 and 0.8 (mean 0.5) with participation 0.6 give 0.3; one tie at 0.9
    with participation 1 gives 0.9; no tie up gives 0 whatever the participation; a city whose
    citizens take no part gives 0 whatever the trust. Per replicate (2, 4)."""
    total = np.array([[1.0, 0.9, 0.0, 0.7], [0.4, 0.5, 0.0, 0.7]])
    count = np.array([2, 1, 0, 1])
    part = np.array([[0.6, 1.0, 0.8, 0.0], [0.6, 1.0, 0.8, 0.0]])
    v = lederach.vertical_by_city(total, count, part)
    assert v.ravel().tolist() == pytest.approx([0.3, 0.9, 0.0, 0.0, 0.12, 0.5, 0.0, 0.0])
    assert lederach.vertical_integration(v).tolist() == pytest.approx([0.3, 0.155])
    # no cities: the model-level series is 0, not 0/0
    empty = lederach.vertical_by_city(np.zeros((2, 0)), np.zeros(0, int), np.zeros((2, 0)))
    assert lederach.vertical_integration(empty).tolist() == [0.0, 0.0]


@settings(max_examples=200, deadline=None)
@given(
    trusts=st.lists(st.lists(UNIT, max_size=4), min_size=1, max_size=6),
    part=st.lists(st.sampled_from([0.0, 1.0]) | UNIT, min_size=6, max_size=6),
)
def test_in_unit_interval_at_the_edges(trusts: list[list[float]], part: list[float]) -> None:
    """Any number of ties up (0 included), trust and participation at 0, 1 or between: v_i is
    in [0, 1] and finite, 0 for a city without ties up."""
    n = len(trusts)
    total = np.array([[sum(t) for t in trusts]])
    count = np.array([len(t) for t in trusts])
    v = lederach.vertical_by_city(total, count, np.array([part[:n]]))
    assert np.isfinite(v).all() and ((v >= 0) & (v <= 1 + 1e-12)).all()
    assert (v[0][count == 0] == 0).all()
    assert np.isfinite(lederach.vertical_integration(v)).all()


@settings(max_examples=50, deadline=None)
@given(low=UNIT, gain=st.floats(0.0, 1.0), part=UNIT)
def test_rises_with_trust_up(low: float, gain: float, part: float) -> None:
    """More trust on a tie up never lowers v_i, and raises it where citizens take part."""
    high = low + gain * (1.0 - low)
    count = np.array([2])
    a = lederach.vertical_by_city(np.array([[low + 0.5]]), count, np.array([[part]]))
    b = lederach.vertical_by_city(np.array([[high + 0.5]]), count, np.array([[part]]))
    assert b[0, 0] >= a[0, 0]
    # (a subnormal participation, e.g. 5e-324, underflows to 0 in the product: no rise to see)
    if part > 1e-300 and high > low + 1e-9:
        assert b[0, 0] > a[0, 0]


def test_model_reads_the_ties_with_the_level_above() -> None:
    """In two_cities each city's ties with the level above are its governance tie (trust 0.5)
    and the mediator IO's partnership to it; the mediation tie is not one. Raising the trust of
    those ties raises v_i by participation x the mean's rise, and a tie across the divide
    (the twinning) does not count."""
    model = PeaceModel("two_cities", seed=0, horizon=2)
    w, state, co = model.world, model.batch.state, model.batch.co
    n = w.n_cities
    assert len(w.up_ties) == 4 and np.bincount(w.up_ends, minlength=n).tolist() == [2, 2]
    assert not w.ties.cross_divide[w.up_ties].any()
    before, _ = levels.integration_by_city(w, state, co)
    trust = state.ties.trust
    expected = np.zeros(n)
    np.add.at(expected, w.up_ends, trust[0, w.up_ties])
    part = state.cities.participation[0]
    assert before[0] == pytest.approx(part * expected / 2)
    trust[:, w.up_ties] = np.minimum(trust[:, w.up_ties] + 0.2, 1.0)
    cross = np.flatnonzero(w.ties.cross_divide)
    trust[:, cross] = 0.0  # the twinning across the divide: no effect on v_i
    after, _ = levels.integration_by_city(w, state, co)
    assert (after[0] > before[0]).all()
    assert after[0] - before[0] == pytest.approx(part * 0.2)
