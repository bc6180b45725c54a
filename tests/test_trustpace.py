"""A refusal costs trust only down to the tie's no-contact floor; breaches act on trust itself
(issue 15 item 5, branch trustpace; ODD 7.3, 7.5, 8). On the pair world (tests/pair_world.py),
seed 1, no noise, and on the rule functions."""

from __future__ import annotations

import numpy as np
from pair_world import donor_across_the_divide

from sim import PeaceModel
from sim.engine.stages import trust as stage
from sim.rules import trust

START = 0.3  # the donor's partnership with east, at its encoded (anchored) floor
# Offers are refused whatever they bring: the acceptance logit's intercept far below the rest
# (beta_trust x trust + beta_benefit x benefit + ... is at most about 6), so at most a part or
# two of twenty is taken in a month (observed: at most 0.05 of an offer).
REFUSED = {"galtung": {"noise": 0.0}, "proposals": {"beta0": -10.0}}


def test_a_decade_of_refused_offers_leaves_a_tie_at_its_no_contact_floor() -> None:
    """A decade of offers refused month after month takes the donor-east tie to what it holds
    without contact, not below it: each month's trust is at least the smaller of its floor at
    the month's start and end, up to 0.002 (the only other loss in this world is the violence
    shock of east's small excess of direct violence over its usual level). Before branch
    trustpace each refused month took its share of trust itself and the tie sank to about half
    its floor (this fails on main 4a79833: 0.30 -> 0.155, 0.145 below the floor)."""
    model = PeaceModel(donor_across_the_divide(START), seed=1, params=REFUSED)
    batch = model.batch
    world = batch.world
    ids = list(world.actors.ids)
    donor, east = ids.index("donor"), ids.index("east")
    tie = int(np.flatnonzero((world.ties.src == donor) & (world.ties.dst == east))[0])
    assert world.ties.cross_divide[tie]  # across the divide (else this checks nothing)
    values, lows, offered, taken = [], [], 0, 0.0
    for _ in range(120):
        before = float(stage.no_contact_floor(world, batch.state, batch.co)[0, tie])
        model.step()
        after = float(stage.no_contact_floor(world, batch.state, batch.co)[0, tie])
        values.append(float(batch.state.ties.trust[0, tie]))
        lows.append(min(before, after))
        offered += bool(batch.month.has_offer[0, tie])
        taken = max(taken, float(batch.month.taken[0, tie]))
    values, lows = np.array(values), np.array(lows)
    assert offered == 120 and taken <= 0.1  # offered every month, almost all of it refused
    assert np.all(values >= lows - 0.002), float(np.min(values - lows))
    assert abs(values[-1] - lows[-1]) < 0.01  # refusals and drift hold it at the floor


def test_a_refusal_closes_its_share_of_the_gap_to_the_floor_and_no_more() -> None:
    """``trust.refuse``: above the floor a refusal of cost q leaves ``floor + (trust - floor)(1
    - q)``; at or below the floor nothing moves; n refusals in a row leave ``(1 - q)^n`` of the
    gap, so each repeat costs less and no run of them passes the floor; in [0, 1] at the
    bounds of trust, floor and cost (no 0/0)."""
    t = np.array([0.6, 0.3, 0.2, 1.0, 0.0, 1.0])
    floor = np.array([0.3, 0.3, 0.3, 0.0, 0.0, 1.0])
    q = np.array([0.1, 0.1, 0.1, 1.0, 1.0, 0.5])
    out = trust.refuse(t, q, floor)
    np.testing.assert_allclose(out, [0.57, 0.3, 0.2, 0.0, 0.0, 1.0])
    assert np.all((out >= 0.0) & (out <= 1.0))
    value, losses = np.array([0.8]), []
    for _ in range(50):
        new = trust.refuse(value, np.array([0.2]), np.array([0.25]))
        losses.append(float(value[0] - new[0]))
        value = new
    assert np.all(np.diff(losses) < 0)  # each repeated refusal costs less than the one before
    np.testing.assert_allclose(value, 0.25 + 0.55 * 0.8**50)
    assert value[0] > 0.25  # never past the floor
