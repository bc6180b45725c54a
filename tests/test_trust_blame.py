"""Branch trust (issue 15 item 5): whose refusal costs trust, talks stalled by violence, and the
ceremonial tie's share of the baseline (rules.trust; ODD 7.5, 7.10, 8 "trust")."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.rules import sigmoid, trust

BETA_H = 3.0  # proposals.beta_hostility's default


def test_a_refusal_without_hostility_is_all_the_recipients_own() -> None:
    p = np.array([0.01, 0.3, 0.9])
    assert trust.refusal_owned(p, np.zeros(3), BETA_H).tolist() == pytest.approx([1, 1, 1])


def test_the_states_share_of_a_refusal_is_not_the_recipients() -> None:
    """Hand value: p = 0.2 with hostility 0.5 in its logit; without it the recipient would
    accept with sigma(logit(0.2) + 1.5), and only the refusal it would make anyway is its own."""
    p, h = 0.2, 0.5
    free = float(sigmoid(np.log(p / (1 - p)) + BETA_H * h))
    owned = trust.refusal_owned(np.array([p]), np.array([h]), BETA_H)[0]
    assert owned == pytest.approx((1 - free) / (1 - p))
    assert 0.3 < owned < 0.7  # a real share: neither all the city's nor all the state's


def test_more_hostility_leaves_less_of_the_refusal_to_the_recipient() -> None:
    h = np.linspace(0.0, 1.0, 11)
    owned = trust.refusal_owned(np.full(11, 0.1), h, BETA_H)
    assert np.all(np.diff(owned) < 0) and owned[0] == pytest.approx(1.0)


@settings(max_examples=200, deadline=None)
@given(
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
    st.floats(0.0, 20.0),
)
def test_the_owned_share_is_a_share(p: float, h: float, beta: float) -> None:
    owned = trust.refusal_owned(np.array([p]), np.array([h]), beta)
    assert np.isfinite(owned).all() and 0.0 <= owned[0] <= 1.0


def test_talks_stall_where_an_alliances_talks_stall() -> None:
    share = trust.talks_share(np.array([0.0, 0.1, 0.25, 0.5, 0.8]), 0.5)
    assert share.tolist() == pytest.approx([1.0, 0.8, 0.5, 0.0, 0.0])


def test_stalled_talks_lift_trust_less() -> None:
    """trust.mediation's hand value (test_rules) with half the talks stalled: half the lift."""
    args = (
        np.array([0.2, 0.7, 0.5]), np.array([0]), np.array([1]), np.array([2]),
        np.array([0.8]), np.array([True]),
    )  # fmt: skip
    calm, _ = trust.mediation(*args, threshold=0.4, rate=0.1, ceiling=1.0)
    under_fire, met = trust.mediation(
        *args, None, np.array([0.5, 1.0, 1.0]), threshold=0.4, rate=0.1, ceiling=1.0
    )
    gain = 0.1 * 0.8 * 0.5
    assert calm[0] == pytest.approx(0.2 + gain * 0.8)
    assert under_fire[0] == pytest.approx(0.2 + 0.5 * gain * 0.8)
    assert met[0]  # still a mediated month: the parties met


def test_a_ceremonial_tie_realises_its_share_of_the_baseline() -> None:
    """``T0 + share x baseline - baseline_0``: at the start a ceremonial tie (share 0.5) loses
    half its baseline, not half its trust; a working tie (share 1) keeps its start."""
    start = trust.baseline(np.array([0.5]), np.array([0.5]), np.array([0.8]), 0.3)  # 0.03
    args = (np.array([0.5]), np.array([0.5]), np.array([0.8]), np.array([0.3]), start, 0.3)
    assert trust.floor(*args)[0] == pytest.approx(0.3)
    assert trust.floor(*args, 0.5)[0] == pytest.approx(0.3 - 0.5 * start[0])
    assert trust.floor(*args, 0.5)[0] > 0.28  # not 0.15, half the starting trust


def test_a_hostile_states_refusal_costs_less_trust_in_a_run() -> None:
    """The engine's decline cost (stages.trust.decline_cost) on the synthetic pair across a
    divide with a donor's peace programme, after a year of offers: where the country pair is
    hostile, a refused offer costs
    less than ``proposals.decline_cost``; with hostility 0 the full cost."""
    from pair_world import pair_world

    from sim import PeaceModel
    from sim.engine.stages.trust import decline_cost

    costs = {}
    for hostility in (0.0, 0.8):
        model = PeaceModel(pair_world(budget=50.0, pillars=("peace",)), seed=0)
        model.batch.state.countries.hostility[...] = np.where(
            np.eye(model.batch.state.countries.hostility.shape[-1], dtype=bool), 0.0, hostility
        )
        model.run(12)
        b, month = model.batch, model.batch.month
        t = b.world.ties
        offered = month.has_offer[0] & (t.src_country != t.dst_country)
        assert offered.any()  # the donor's programme offers across a border every month
        costs[hostility] = decline_cost(b.world, b.state, b.co, month)[0, offered]
    full = 0.02  # proposals.decline_cost
    assert np.allclose(costs[0.0], full)
    assert np.all(costs[0.8] < full - 1e-4), costs[0.8]
