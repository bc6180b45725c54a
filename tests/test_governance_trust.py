"""A city's relationship with its own government moves with the top level's acts (issue 15
item 6, branch vertical2; ODD 7.5 "The top level's acts"): a permission that lets exchange
through across a hostile border raises the governance tie's trust, the city's own government
closing its exchange lowers it, and the city's vertical integration v_i follows. Before the
branch every governance tie stayed at its generated 0.5."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pair_world import pair_world, per_capita_budget

from sim import PeaceModel
from sim.engine.stages import governance
from sim.rules import trust

UNIT = st.floats(0.0, 1.0)


def test_hand_values() -> None:
    """A delivered outcome of 1 across a border at hostility 0.4 is 0.4 of a success; at
    hostility 0 it is none. The state's part of a refusal: refused 0.5 of which the recipient
    owns 0.6 leaves 0.2 to its state; a shut gate is a whole month refused."""
    delivered = np.array([[1.0, 1.0, 0.0, 0.0]])
    hostility = np.array([[0.4, 0.0, 0.4, 0.4]])
    refused = np.array([[0.0, 0.0, 0.5, 0.0]])
    owned = np.array([[1.0, 1.0, 0.6, 1.0]])
    closed = np.array([[False, False, False, True]])
    s, f = trust.top_level_acts(delivered, refused, owned, closed, hostility)
    assert s[0].tolist() == pytest.approx([0.4, 0.0, 0.0, 0.0])
    assert f[0].tolist() == pytest.approx([0.0, 0.0, 0.2, 1.0])


@settings(max_examples=100, deadline=None)
@given(d=st.floats(0.0, 3.0), r=UNIT, o=UNIT, h=st.sampled_from([0.0, 1.0]) | UNIT, c=st.booleans())
def test_bounded_at_the_edges(d: float, r: float, o: float, h: float, c: bool) -> None:
    """Successes are finite and >= 0; the refused share is in [0, 1], at 0 and 1 too."""
    s, f = trust.top_level_acts(
        np.array([d]), np.array([r]), np.array([o]), np.array([c]), np.array([h])
    )
    assert np.isfinite(s).all() and (s >= 0).all()
    assert np.isfinite(f).all() and ((f >= 0) & (f <= 1)).all()


def _run(events: list | None = None, **kwargs: object) -> tuple[np.ndarray, np.ndarray, list]:
    """(months, cities) governance trust and v_i of the pair world, seed 0, five years."""
    model = PeaceModel(pair_world(months=60, horizon=60, violence=events, **kwargs), seed=0)
    w = model.world
    rows, cities = governance.governance_ties(w)
    names = [list(w.actor_index)[i] for i in cities]
    gov, v = [], []
    while model.running:
        model.step()
        if model.month is None:
            break
        gov.append(model.batch.state.ties.trust[0, rows].copy())
        v.append(np.asarray(model.month.vertical_by_city)[0, cities].copy())
    return np.array(gov), np.array(v), names


def test_own_government_closing_lowers_trust_and_v() -> None:
    """Eastland closes its permission toward Westland from the first month: east's governance
    trust falls from 0.5 (below 0.4 within five years, by decline_cost a month toward the
    balance with its drift back to the floor) and its v_i falls with it; west's government did
    not close anything, so west's governance trust stays at its floor, 0.5."""
    shut = [{"id": "shut", "date": "2000-01", "type": "permission", "from": "EA", "to": "WE",
             "level": "closed", "both_ways": False, "assumption": "test"}]  # fmt: skip
    gov, v, names = _run(shut)
    east, west = names.index("east"), names.index("west")
    assert gov[-1, east] < 0.4
    assert np.all(np.diff(gov[:, east]) <= 1e-12)  # only falls while the gate stays shut
    assert v[-1, east] < v[0, east] - 0.02
    assert abs(gov[-1, west] - 0.5) < 0.002


def test_permission_delivered_across_a_hostile_border_raises_trust_and_v() -> None:
    """An agency in Westland (hostility 0.3 with Eastland) delivers humanitarian aid to east:
    each month's delivered aid is a permission east's government gave, so east's governance
    trust climbs above 0.55 in five years and v_i with it. The same agency in Donorland
    (hostility 0 with Eastland) gives east's government nothing to answer for: its governance
    trust stays within 0.002 of 0.5."""
    budget = per_capita_budget(20.0)
    hostile, v, names = _run(budget=budget, pillars=("humanitarian",), donor={"country": "WE"})
    east = names.index("east")
    assert hostile[-1, east] > 0.55
    assert v[-1, east] > v[0, east] + 0.05
    calm, _, _ = _run(budget=budget, pillars=("humanitarian",))
    assert np.abs(calm[:, east] - 0.5).max() < 0.002
