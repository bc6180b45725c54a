"""Delivered outcomes build trust toward what the communities' culture allows, not toward 1
(issue 15, branch deltrust; ODD 7.5, 8). On the pair world (tests/pair_world.py), seed 1, no
noise, and on the rule functions."""

from __future__ import annotations

import numpy as np
from pair_world import donor_across_the_divide

from sim import PeaceModel
from sim.rules import nexus, trust

QUIET = {"galtung": {"noise": 0.0}}
START = 0.1  # the donor's partnership with east, below the ceiling


def test_a_decade_of_delivered_outcomes_across_a_divide_cannot_lift_trust_past_the_bound() -> None:
    """Ten years of humanitarian aid and peace work delivered across the divide every month lift
    the donor-east tie (encoded 0.1) toward ``1 - mean C`` of its ends (the donor reads its
    community's C, west's), not toward 1: each month's trust is at most the larger of that
    bound at the month's start and end (delivery reads C before the month's violence stage,
    joint work after it). Before branch deltrust successes and peace work closed their share of
    the gap to 1 (this fails on main: the tie passes the bound)."""
    model = PeaceModel(donor_across_the_divide(START), seed=1, params=QUIET)
    world = model.batch.world
    ids = list(world.actors.ids)
    tie = int(np.flatnonzero((world.ties.src == ids.index("donor")) & (world.ties.dst == 0))[0])
    assert world.ties.cross_divide[tie]  # the tie is across the divide (else this checks nothing)
    east, west = ids.index("east"), ids.index("west")
    values, bounds = [], []
    for _ in range(120):
        cities = model.batch.state.cities.C[0]
        before = 1.0 - 0.5 * (cities[east] + cities[west])
        model.step()
        cities = model.batch.state.cities.C[0]
        after = 1.0 - 0.5 * (cities[east] + cities[west])
        values.append(float(model.batch.state.ties.trust[0, tie]))
        bounds.append(max(before, after))
    values, bounds = np.array(values), np.array(bounds)
    assert values[-1] > START + 0.15  # delivery does build trust (else this checks nothing)
    assert np.all(values <= bounds + 1e-12), float(np.max(values - bounds))
    assert values.max() < 0.8  # far below 1


def test_delivery_closes_its_share_of_the_gap_to_the_ceiling_and_never_pulls_down() -> None:
    """``trust.toward`` and the three delivery channels: below the ceiling a success closes
    ``1 - keep`` of the gap; above it nothing moves; at ceiling 1 the old rule to the bit."""
    t = np.array([0.1, 0.3, 0.7, 1.0])
    ceiling = np.array([0.5, 0.5, 0.5, 1.0])
    keep = 0.95
    out = trust.toward(t, keep, ceiling)
    np.testing.assert_allclose(out[:2], 0.5 - (0.5 - t[:2]) * keep)
    assert out[2] == 0.7 and out[3] == 1.0
    old = 1.0 - (1.0 - t) * keep
    assert np.array_equal(trust.toward(t, keep, 1.0), old)
    # the trust rule's successes (no failures, in contact: no drift)
    one = np.ones(4)
    upd = trust.update(
        t, 0 * t, one * 50, 0 * t, one, 0 * t, success=0.05, failure=0.15, decay=0.02,
        ceiling=ceiling,
    )  # fmt: skip
    assert np.all(upd[:2] <= 0.5) and upd[2] == 0.7
    # peace work: toward the ceiling, nothing above it; ceiling 1 the old formula
    dose = np.full(4, 1e6)
    pw = nexus.peace_work_trust(t, dose, one, ceiling, gain=0.08, x_half=0.1)
    np.testing.assert_allclose(pw[:2], t[:2] + 0.08 * (0.5 - t[:2]))
    assert pw[2] == 0.7
    reached = (1.0 - np.exp(-dose / 0.1)) * 0.08
    assert np.array_equal(
        nexus.peace_work_trust(t, dose, one, gain=0.08, x_half=0.1),
        (1.0 - t) * np.minimum(reached, 1.0) + t,
    )


def test_the_delivery_ceiling_is_the_room_culture_leaves_across_a_divide_only() -> None:
    """``1 - mean C`` on cross-divide ties, 1 on the others; in [0, 1] at C's bounds (no 0/0)."""
    c_src = np.array([0.0, 1.0, 0.5, 0.5])
    c_dst = np.array([0.0, 1.0, 0.3, 0.3])
    cross = np.array([True, True, True, False])
    np.testing.assert_allclose(trust.delivery_ceiling(c_src, c_dst, cross), [1.0, 0.0, 0.6, 1.0])
    # where C is 1 at both ends nothing can be built by delivery, and nothing is lost to it
    assert trust.toward(np.array([0.2]), 0.0, np.array([0.0]))[0] == 0.2
