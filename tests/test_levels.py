"""The delegates' trust and the communities' trust (issue 15 item 6, branch levels; ODD 7.5
"Two levels of trust", 7.7). On the pair world (tests/pair_world.py), seed 1, no noise: east
and west (C 0.5 each) share a twinning encoded at 0.3, and a mediator trusted 0.5 by both
talks with them for ten years from 2000-01."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from pair_world import mediator_ties, pair_world

from sim import PeaceModel
from sim.rules import delegates

QUIET = {"galtung": {"noise": 0.0}}
NO_TRANSFER = {**QUIET, "delegates": {"transfer": 0.0}}


def run(params: dict | None = None, **world) -> pd.DataFrame:
    model = PeaceModel(pair_world(**world), seed=1, params=params or QUIET)
    return model.run().timeseries()


def cultural_bound(ts: pd.DataFrame) -> np.ndarray:
    """``1 - mean C`` of the pair each month (``trust.mediation_ceiling`` 1)."""
    return 1.0 - 0.5 * (ts["cultural_violence@east"] + ts["cultural_violence@west"]).to_numpy()


def test_a_decade_of_talks_lifts_the_delegates_past_the_cultural_bound() -> None:
    """The delegates' trust climbs past ``1 - mean C`` (about 0.5 here), which bounds the
    communities' trust; on main there is one index and no ``delegates_trust``, and it stops
    at the bound (0.48-0.50)."""
    ts = run(ties=mediator_ties(months=120))
    bound = cultural_bound(ts)
    envoys = ts["delegates_trust"].to_numpy()
    communities = ts["cross_divide_trust"].to_numpy()
    assert envoys[119] > bound[119] + 0.15
    # the communities' trust stays within what their culture allows talks to build
    assert np.all(communities[1:120] <= np.maximum(bound[:119], 0.3) + 1e-12)
    assert np.all(envoys >= communities - 1e-12)


def test_the_communities_gain_from_the_talks_only_by_the_transfer() -> None:
    """Without the re-entry transfer (``delegates.transfer`` 0) a decade of talks never lifts
    the communities' trust above its encoded 0.3 (a mediated tie is standing contact, so it is
    held there rather than drifting to 0.25 as without talks: the rule before, kept), while
    their delegates' rises by more than 0.3; with the transfer the communities' trust rises
    clearly above its start. On main the one index rises to about 0.5."""
    none = run()["cross_divide_trust"].to_numpy()
    shut = run(NO_TRANSFER, ties=mediator_ties(months=120))
    open_ = run(ties=mediator_ties(months=120))
    assert shut["cross_divide_trust"].max() <= 0.3 + 1e-12
    assert shut["delegates_trust"].iloc[119] - none[119] > 0.3
    assert open_["cross_divide_trust"].iloc[119] > 0.3 + 0.05


def test_no_transfer_without_a_horizontal_tie() -> None:
    """With east at the grassroots the twinning joins no two middle-range actors: the talks
    still lift the delegates' trust, and the communities take none of it up: their trust is
    never above its encoded 0.3 (ODD 7.7)."""
    grassroots = {"level": "grassroots"}
    none = run(east=grassroots)["cross_divide_trust"].to_numpy()
    talks = run(east=grassroots, ties=mediator_ties(months=120))
    assert talks["delegates_trust"].iloc[119] - none[119] > 0.3
    assert talks["cross_divide_trust"].max() <= 0.3 + 1e-12


def test_without_talks_the_two_levels_are_one() -> None:
    """Nobody mediates: the delegates' trust is the communities', to the bit, every month."""
    ts = run(budget=20.0, pillars=("development", "peace"))
    assert np.array_equal(ts["delegates_trust"].to_numpy(), ts["cross_divide_trust"].to_numpy())


def test_the_surplus_fades_after_the_talks_end() -> None:
    """Three years of talks, then seven without: the delegates go home and what they built
    beyond their communities fades (at ``trust.decay``), so the gap at the end of the decade is
    below a third of the gap when the talks ended."""
    ts = run(ties=mediator_ties(months=36))
    gap = (ts["delegates_trust"] - ts["cross_divide_trust"]).to_numpy()
    assert gap[36] > 0.1
    assert gap[119] < gap[36] / 3.0


unit = arrays(np.float64, 8, elements=st.floats(0.0, 1.0))


@settings(max_examples=200, deadline=None)
@given(unit, unit, unit, unit, st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_the_rules_keep_both_levels_in_the_unit_interval(
    t: np.ndarray, g: np.ndarray, push: np.ndarray, bound: np.ndarray, fade: float, rate: float
) -> None:
    """Every edge value of the coefficients (0 and 1) and of the indices: no NaN, [0, 1], the
    delegates at or above their communities after a month, and the transfer moving the
    communities only up, to at most the lower of their delegates and the bound."""
    s = delegates.surplus(g, t)
    after = delegates.after_month(t, s, push > 0.5, push, fade)
    assert np.all(np.isfinite(after)) and np.all((after >= 0) & (after <= 1))
    assert np.all(after >= t)
    moved = delegates.transfer(t, after, bound, push > 0.3, rate)
    assert np.all(np.isfinite(moved)) and np.all((moved >= 0) & (moved <= 1))
    assert np.all(moved >= t)
    assert np.all(moved <= np.maximum(t, np.minimum(after, bound)) + 1e-15)
    kept = delegates.leadership_kept(g, t, t * 0.5, fade)
    assert np.all((kept >= 0) & (kept <= 1))
