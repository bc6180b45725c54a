"""Credible dynamics (issue 15): the plausibility bounds of docs/parameters.md on a synthetic pair
of cities built in the test, a siege that is never good for the besieged city, recovery without
aid, and the new rules (money, recovery, displacement, ladder, Lederach, mediation windows)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pair_world import (
    PEOPLE,
    aid_growth_points,
    mediator_ties,
    pair_world,
    per_capita_budget,
    siege,
)

from sim import PeaceModel
from sim.engine.params import LadderParams, RecoveryParams
from sim.engine.world import MEDIATION
from sim.rules import displacement, ladder, lederach, money, nexus, recovery, trust
from sim.scenario.loader import Scenario, load_scenario

QUIET = {"galtung": {"noise": 0.0}}  # deterministic Galtung paths: differences are the rule's


def run(seed: int = 1, params: dict | None = None, **world) -> pd.DataFrame:
    params = {**QUIET, **(params or {})}
    return PeaceModel(pair_world(**world), seed=seed, params=params).run().timeseries()


@pytest.fixture(scope="module")
def baseline() -> pd.DataFrame:
    """The pair without any programme: recovery without aid."""
    return run()


def gap(ts: pd.DataFrame, base: pd.DataFrame, column: str, month: int) -> float:
    return float(ts[column].iloc[month - 1] - base[column].iloc[month - 1])


# ------------------------------------------------------------------ money on one scale


def test_dose_is_eur_per_inhabitant_per_year() -> None:
    # 40 units a month (EUR 40,000) for 190,000 people: EUR 2.53 per inhabitant a year
    assert money.dose(np.array([40.0]), np.array([190_000.0]))[0] == pytest.approx(480 / 190)
    assert per_capita_budget(12.0, 1000) == pytest.approx(1.0)


def test_response_saturates_at_a_ceiling_that_grows_with_capacity() -> None:
    x = np.array([0.0, 1.0, 300.0, 1e6])
    low, high = money.response(x, 0.0, 300.0, 0.5), money.response(x, 1.0, 300.0, 0.5)
    assert low[0] == high[0] == 0.0
    # small doses are used fully whatever the capacity: slope 1 / x_half at 0
    assert low[1] == pytest.approx(1 / 300, rel=1e-2) and high[1] == pytest.approx(
        1 / 300, rel=1e-2
    )
    assert low[3] == pytest.approx(0.5) and high[3] == pytest.approx(1.0)  # A(K) = a0 + (1-a0)K
    assert np.all(np.diff(low) >= 0) and np.all(high >= low)


def test_effect_stock_settles_at_the_yearly_dose_and_forgets() -> None:
    z = np.zeros(1)
    for _ in range(2000):
        z = money.effect_stock(z, np.array([120.0]), 24.0)
    assert z[0] == pytest.approx(120.0)
    for _ in range(24):
        z = money.effect_stock(z, np.zeros(1), 24.0)
    assert z[0] == pytest.approx(120.0 * (1 - 1 / 24) ** 24)


def test_bound_a_few_euros_a_head_changes_little(baseline: pd.DataFrame) -> None:
    """Plausibility bound: a programme of EUR 2.5 per inhabitant a year (ABC's scale in Tuzla,
    004:3616-3617) changes S and capacity by less than 0.02 in five years."""
    ts = run(budget=per_capita_budget(2.5), pillars=("development", "peace"))
    assert ts["received_funds@east"].iloc[:60].sum() > 0  # the money did arrive
    for column in ("structural_violence@east", "capacity@east"):
        assert abs(gap(ts, baseline, column, 60)) < 0.02, column


# The aid-growth literature's unit: points of growth of income per head a year per 1% of GDP in
# aid (tests/pair_world.py, aid_growth_points). Arndt, Jones and Tarp (2010, Journal of
# Globalization and Development 1(2)): an inflow of about 10% of GDP raises growth by about one
# point a year in the long run, 0.1. Collier and Hoeffler (2004, European Economic Review 48(5)):
# post-conflict absorptive capacity is normal for three years and about double later in the
# first decade, so at most twice that. Clemens, Radelet, Bhavnani and Bazzi (2012, Economic
# Journal 122(561)): the effect is modest and diminishes at high aid levels, and AJT's figure is
# a long-run one, so at least half of it.
AID_GROWTH_POINTS = (0.05, 0.2)


def test_bound_bosnia_scale_rebuilds(baseline: pd.DataFrame) -> None:
    """Plausibility bound: a Bosnia-scale development programme (about EUR 300 per inhabitant
    a year for five years, World Bank and EC 1997) lowers S by a tenth within five years as a
    crisis programme and by about a tenth within ten as a design programme, and raises
    capacity as the aid-growth literature says aid of that share of income does: ten years
    on, the extra log income (the capacity index read as the UNDP's log-income index) is
    0.05-0.2 points of growth a year per 1% of GDP in aid held for a year (AID_GROWTH_POINTS).
    (Until branch bounds the capacity part was an absolute +0.05 of the index, which no source
    gave: World Bank and EC 1997 report Bosnia's growth with the aid, not the aid's part of it.)"""
    budget = per_capita_budget(300)
    crisis = run(budget=budget, pillars=("development",), horizon_tag="crisis")
    design = run(budget=budget, pillars=("development",), horizon_tag="design")
    assert gap(crisis, baseline, "structural_violence@east", 60) <= -0.10
    assert gap(design, baseline, "structural_violence@east", 60) <= -0.07
    assert gap(design, baseline, "structural_violence@east", 120) <= -0.085
    low, high = AID_GROWTH_POINTS
    assert low <= aid_growth_points(design, baseline, 120) <= high


def _vision_programme(**world: Any) -> pd.DataFrame:
    """EUR 1,000 per inhabitant a year of all three pillars for ten years, tagged vision and
    fully coordinated, on the pair world (seed 1, no noise); ``world`` adds to ``pair_world``."""
    spec = pair_world(
        budget=per_capita_budget(1000),
        pillars=("humanitarian", "development", "peace"),
        months=120,
        horizon_tag="vision",
        **world,
    )
    return PeaceModel(spec, seed=1, params=QUIET, levers={"coordination": 1.0}).run().timeseries()


def test_bound_no_programme_lowers_culture_fast(baseline: pd.DataFrame) -> None:
    """Plausibility bound: cultural violence is the most persistent (004:1619-1623): even
    EUR 1,000 per inhabitant a year of peace work for ten years, fully coordinated with
    relief and development, lowers C by less than 0.1 in a decade."""
    ts = _vision_programme()
    assert -0.1 < gap(ts, baseline, "cultural_violence@east", 120) < -0.01


def test_bound_no_programme_lowers_culture_fast_through_trust_across_the_divide(
    baseline: pd.DataFrame,
) -> None:
    """The same bound when the programme also builds trust across the divide. The test above
    pays the donor's peace work on its own tie to ``east``, which does not span the divide, so
    the cross-divide trust that C* reads through ``galtung.w_CT`` is the baseline's (0.25 in
    both runs at month 120): it checks w_C_peace, never w_CT nor w_Chor (horizontal
    integration reads the same tie's trust, 0.25 in both runs). Here the donor also
    mediates between ``east`` and ``west`` for the decade, as Wageningen did between
    Ernestinovo and Sodolovci (the Croatian case, where the bound was exceeded through that
    trust: docs/validation/issue15.md, 'evidence9'). Neither side may lose more than 0.1 of
    cultural violence in the decade, against the pair without programme or mediation.

    A strict xfail until branch mediation (seed 1, no noise): the unsized mediation gain lifted
    trust 0.25 -> 0.95 and east's C fell 0.135 (0.179 at w_CT 2.0). With the attitude-sized
    gain and w_CT + w_Chor = 0.5 (branch mediation): trust 0.25 -> 0.35, C falls 0.078 (east)
    and 0.006 (west). With the gain back at 0.05 and the split kept (mediation2): 0.115 and
    0.053, a strict xfail again. With mediation's ceiling, 1 - mean C of the ends (branch
    mediation3): trust 0.25 -> 0.52, C falls 0.087 (east) and 0.017 (west): it holds, and the
    xfail marker is gone (docs/validation/issue15.md, 'mediation3')."""
    ts = _vision_programme(ties=mediator_ties(months=120))
    # The mediation does build trust across the divide (else this test checks nothing new).
    assert gap(ts, baseline, "cross_divide_trust", 120) > 0.1
    assert -0.1 < gap(ts, baseline, "cultural_violence@east", 120) < -0.01
    assert gap(ts, baseline, "cultural_violence@west", 120) > -0.1


def test_horizon_tag_sets_how_long_an_effect_lasts() -> None:
    """The same two-year programme: tagged crisis it acts fast and fades within years of its
    end; tagged vision it acts slowly and lasts, so after about 15 years it has kept more.
    The money is delivered as small development money (no projects), so both tags get the
    same money: a project under way at the programme's end runs on its committed budget
    (ODD 7.2), and whether one straddles the end differs by chance between the two runs."""
    small = {"delivery": {"project_min": 1e9}}
    base = run(horizon=240, params=small)
    kw = dict(
        budget=per_capita_budget(300),
        pillars=("development",),
        months=24,
        horizon=240,
        params=small,
    )
    crisis, vision = run(horizon_tag="crisis", **kw), run(horizon_tag="vision", **kw)
    column = "structural_violence@east"
    assert gap(crisis, base, column, 48) < gap(vision, base, column, 48) < 0
    assert gap(vision, base, column, 200) < gap(crisis, base, column, 200) < 0


def test_peace_work_trust_reads_the_dose_and_saturates() -> None:
    """Peace work's trust gain reads the peace dose on the tie (EUR per recipient inhabitant
    a year) through a saturating response: more contact never builds less trust, and no dose
    builds more than ``gain`` of the gap in a month."""
    trust, mult = np.full(4, 0.3), np.ones(4)
    x = np.array([0.0, 0.1, 1.0, 1e6])
    after = nexus.peace_work_trust(trust, x, mult, gain=0.08, x_half=0.1)
    assert after[0] == 0.3 and np.all(np.diff(after) > 0)
    assert after[1] == pytest.approx(0.3 + 0.08 * (1 - np.exp(-1)) * 0.7)
    assert after[3] == pytest.approx(0.3 + 0.08 * 0.7)


# Only peace work moves the donor's tie: no success, failure or memory from projects.
PEACE_WORK_ONLY = {**QUIET, "trust": {"success": 0.0, "failure": 0.0, "memory_gain": 0.0}}


def _donor_tie_trust(pillars: tuple[str, ...], budget: float) -> float:
    model = PeaceModel(
        pair_world(budget=budget, pillars=pillars, months=36), seed=1, params=PEACE_WORK_ONLY
    ).run()
    w = model.world
    tie = np.flatnonzero(
        (w.ties.src == w.actor_index["donor"]) & (w.ties.dst == w.actor_index["east"])
    )[0]
    return float(model.batch.state.ties.trust[0, tie])


def test_bound_peace_work_builds_the_same_trust_whatever_development_joins_it() -> None:
    """Plausibility bound: the same peace work on a tie builds at least the same trust when a
    programme's development money joins it (the Croatian diagnosis: Woensdrecht's contact with
    Darda built a tenth of the trust once a waste programme's money joined the twinning).
    Peace alone at B a month against peace and development at 2B, split evenly, so the peace
    money is the same; with success, failure and memory off, only peace work moves the tie.
    (Under the earlier rule, which read the peace *share* of the offer, the joined tie ended
    about 0.01 lower.)"""
    budget = per_capita_budget(0.5)
    alone = _donor_tie_trust(("peace",), budget)
    joined = _donor_tie_trust(("peace", "development"), 2 * budget)
    assert alone > _donor_tie_trust(("peace",), 0.0) + 0.05  # the peace work built trust
    assert joined >= alone - 1e-9


def test_small_development_money_counts_as_development(baseline: pd.DataFrame) -> None:
    """Plausibility bound: development money below delivery.project_min starts no project,
    but it is delivered (equipment, small works) and counts as development: 0.8 units a month
    to a village of 300 (EUR 32 per inhabitant a year, Laslovo's scale) raises its capacity as
    the aid-growth literature says aid of that share of income does, 0.05-0.2 points of growth
    a year per 1% of GDP in aid (AID_GROWTH_POINTS, over the five years it is paid), and with
    small_dev_share = 0 (the earlier rule: it vanished) it does not. (Until branch bounds the
    size was an absolute +0.005 of the index in five years, which no source gave.)"""
    town = {"population": 300}
    budget = 0.8  # below project_min: no project can start
    base = run(east=town)
    ts = run(budget=budget, east=town)
    lost = run(budget=budget, east=town, params={"delivery": {"small_dev_share": 0.0}})
    assert ts["received_funds@east"].iloc[:60].sum() > 0
    low, high = AID_GROWTH_POINTS
    assert low <= aid_growth_points(ts, base, 60, people=300) <= high
    assert abs(gap(lost, base, "capacity@east", 60)) < 1e-9


def test_experienced_cities_and_ngos_see_fewer_projects_fail() -> None:
    """004:3663-3669: experienced foreign cities and NGOs are one of Tuzla's success
    conditions. The Dutch cities' and NGO groups' encoded expertise cuts their projects'
    hazard: over seeds 0-9, ABC completes more projects and sees fewer interrupted than under
    the null no_expertise (hazard_expertise 0), by more than 10 per 3 seeds each. A
    government's expertise is not read. (Over seeds 0-2 alone the completed-projects gap is
    within seed noise: +19 on main at f9953fe, +7 on branch flight; seeds 3-5 gave +7 and 0
    interrupted on main. Over 0-9: main +55 / -64, flight +44 / -67.)"""

    def projects(params: dict) -> tuple[int, int]:
        done = broken = 0
        for seed in range(10):
            status = PeaceModel("tuzla", seed=seed, params=params).run().activities_frame()
            done += int((status["status"] == "completed").sum())
            broken += int((status["status"] == "interrupted").sum())
        return done, broken

    model = PeaceModel("tuzla", seed=0, horizon=1)
    w = model.world
    src = w.ties.src
    assert w.ties.src_expertise[src == w.actor_index["nl_city_01"]].max() == 0.5
    assert w.ties.src_expertise[src == w.actor_index["nl_ngo_peace"]].max() == 0.7
    with_it, without = projects({}), projects({"delivery": {"hazard_expertise": 0.0}})
    assert with_it[0] > without[0] + 33 and with_it[1] < without[1] - 33


def test_projects_under_way_finish_when_their_programme_ends() -> None:
    """001:5029-5031: the Dutch partners could bring ABC to a successful close. With every
    other hazard off, no Tuzla project is interrupted, even those under way when ABC's and the
    reconstruction flow's money end (1999-12, 2000-12): each finishes on its committed budget,
    spending its approval month's money each month, and all are completed by the end. (Before
    the committed budget, the unfunded hazard interrupted about a dozen a seed after ABC's end.)
    A suspended grant still stalls its projects: tests/test_rules.py."""
    quiet = {"hazard_base": 0.0, "hazard_violence": 0.0, "hazard_participation": 0.0}
    acts = PeaceModel("tuzla", seed=0, params={"delivery": quiet}).run().activities_frame()
    assert (acts["status"] == "interrupted").sum() == 0
    assert (acts["status"] == "completed").sum() > 100
    late = acts[acts["end"] > acts["start"].max()]  # finished after the last start
    assert len(late) > 0 and (late["spent"] > 0).all()


def test_an_interrupted_reconstruction_flow_keeps_what_it_finished() -> None:
    """ODD 7.4 (branch lottery): an interrupted project leaves built what it spent less its
    works under way. Tuzla's reconstruction flow (EUR 4.75 million a month on one tie) keeps
    most of an interrupted project's value; ABC's small projects, one work each, keep nothing;
    a completed project keeps all it spent. What is built reaches the development stock: with
    every interrupted project keeping nothing (``work_size`` huge, the rule before), Tuzla's
    structural violence in 2001-05 is higher in the same seed."""
    kept = PeaceModel("tuzla", seed=0)
    lost = PeaceModel("tuzla", seed=0, params={"delivery": {"work_size": 1e9}})
    acts, acts_lost = kept.run().activities_frame(), lost.run().activities_frame()
    done = acts["status"] == "completed"
    assert np.allclose(acts.loc[done, "built"], acts.loc[done, "spent"])
    broken = acts[acts["status"] == "interrupted"]
    prp = broken["provider"] == "prp_donors"
    assert (broken.loc[~prp, "built"] == 0).all() and len(broken[~prp]) > 10
    assert broken.loc[prp, "built"].sum() > 0.3 * broken.loc[prp, "spent"].sum()
    assert (broken.loc[prp, "built"] < broken.loc[prp, "spent"]).all()
    assert (acts_lost.loc[acts_lost["status"] == "interrupted", "built"] == 0).all()
    s = "structural_violence@tuzla"
    late = slice("2001-01", "2005-12")
    with_kept = kept.timeseries().set_index("date").loc[late, s].mean()
    assert with_kept < lost.timeseries().set_index("date").loc[late, s].mean() - 0.01


# ------------------------------------------------------------------ recovery without aid


def test_recovery_without_aid_is_slow_not_a_collapse(baseline: pd.DataFrame) -> None:
    """Without aid and without war, capacity recovers by itself: the gap to its own steady
    state (its pre-war level, 0.54 in the pair world; branch steady, before it the gap to full
    capacity) closes with a half-life of the order of 10-15 years (Collier 1999; Chen et al.
    2008), never past it."""
    capacity = baseline["capacity@east"].to_numpy()
    assert np.all(np.diff(capacity) > 0) and np.all(capacity < 0.54)
    gap_left = (0.54 - capacity[119]) / (0.54 - capacity[0])
    half_life_years = 10 * np.log(0.5) / np.log(gap_left)
    assert 8 < half_life_years < 25


def test_bound_structural_violence_without_aid_falls_slowly(baseline: pd.DataFrame) -> None:
    """Plausibility bound: without aid and without war, structural violence falls as capacity
    recovers by itself, but slowly and not to a level every city shares: from 0.6 the
    war-damaged city's S falls and stays above 0.2 in ten years (without the persistent part,
    S fell to about 0.15), and cultural violence moves by less than 0.1 in a decade
    (004:1619-1623). (Until branch start3 the upper bound was 0.45: half of the unexplained
    start eroded by itself; now S moves only with its drivers.) How far S falls is the next
    test's."""
    s = baseline["structural_violence@east"].to_numpy()
    c = baseline["cultural_violence@east"].to_numpy()
    assert 0.2 < s[119] < s[0]
    assert abs(c[119] - c[0]) < 0.1


@pytest.mark.xfail(
    strict=True,
    reason="an assumption no source sizes, set when every city recovered toward full "
    "capacity: Bosnia's fall in unemployment (80-90% in 1995, about 30% in 2006-2010) came with "
    "massive aid, and the Bosnia-scale programme meets it (test_bound_bosnia_scale_rebuilds). "
    "Since branch steady east recovers toward its pre-war level (0.54), where its S is about "
    "0.38 (0.388 after 50 years without aid): S falls 0.600 -> 0.522 in ten years, 36% of its "
    "way while capacity closes 49% of its gap (docs/validation/issue15.md, 'bounds')",
)
def test_bound_structural_violence_without_aid_falls_by_a_tenth(baseline: pd.DataFrame) -> None:
    """Assumed bound (no source sizes it): without aid and without war, the war-damaged
    city's S falls by at least 0.1 in ten years from 0.6."""
    s = baseline["structural_violence@east"].to_numpy()
    assert s[119] < s[0] - 0.1


def test_development_aid_speeds_recovery(baseline: pd.DataFrame) -> None:
    ts = run(budget=per_capita_budget(300), pillars=("development",))
    assert gap(ts, baseline, "capacity@east", 120) > 0.03


def test_recovery_rule_hand_value() -> None:
    p = RecoveryParams()
    E = np.array([0.04])  # a small excess over the usual level: recovery at 60% of its speed
    k = recovery.capacity_update(
        np.array([0.4]), E, np.array([0.6]), np.array([0.5]), np.array([0.5]), p
    )
    speed = p.rate * (1 - 0.04 / p.war_stop) * (p.cohesion_floor + (1 - p.cohesion_floor) * 0.6)
    expect = (
        0.4
        + speed * (1 + p.aid_gain * 0.5) * 0.6
        - p.depreciation * (1 - p.ownership * 0.5) * 0.4
        - p.damage * 0.04 * 0.04 * 0.4
    )
    assert k[0] == pytest.approx(expect)
    assert recovery.destroy(np.array([100.0]), np.array([0.5]), 0.04)[0] == pytest.approx(99.0)


def test_a_city_at_war_does_not_recover_and_loses_capacity() -> None:
    """War (E at or above recovery.war_stop) stops recovery, even with a cohesive city and a
    full development stock, and destroys capacity with the square of E: Bosnia's 42 months at
    D 0.8 from a usual 0.05 leave about a quarter of the capacity (production fell by 80%)."""
    p = RecoveryParams()
    one = np.ones(1)
    for E in (p.war_stop, 0.3, 0.75):
        k = recovery.capacity_update(np.array([0.4]), np.array([E]), one, one, one, p)
        lost = p.depreciation * (1 - p.ownership) * 0.4 + p.damage * E * E * 0.4
        assert k[0] == pytest.approx(0.4 - lost)
    assert recovery.recovering(np.array([p.war_stop, 0.5]), p.war_stop) == pytest.approx([0, 0])
    k = np.array([0.6])
    for _ in range(42):
        k = recovery.capacity_update(k, np.array([0.75]), one, 0 * one, 0 * one, p)
    assert 0.2 < k[0] / 0.6 < 0.3


def test_a_city_at_its_usual_violence_recovers_at_peace_time_speed() -> None:
    """Everyday violence, however high, neither slows recovery nor destroys: at its usual level
    (E = 0) a city with D 0.3 recovers exactly as one with D 0.02, and as the peace-time rule
    without violence says."""
    p = RecoveryParams()
    D = np.array([0.02, 0.3, 0.6])
    E = displacement.excess(D, D)
    k = recovery.capacity_update(np.full(3, 0.4), E, np.full(3, 0.6), np.zeros(3), np.zeros(3), p)
    peace = 0.4 + p.rate * (p.cohesion_floor + (1 - p.cohesion_floor) * 0.6) * 0.6
    assert k == pytest.approx(np.full(3, peace - p.depreciation * 0.4))
    assert recovery.destroy(np.full(3, 50.0), E, p.damage) == pytest.approx(np.full(3, 50.0))


def test_a_war_inside_the_run_stops_recovery_and_it_resumes_after() -> None:
    """The pair world's east at its usual violence recovers every month; a year of war (a
    siege at pressure 3 from month 13) holds its capacity flat or falling, and once the war has
    ebbed it recovers again (Chen, Loayza and Reynal-Querol 2008)."""
    ts = run(violence=siege("2001-01", "2001-12", 3.0))
    k = ts["capacity@east"].to_numpy()
    assert np.all(np.diff(k[:12]) > 0)  # peace before the war
    assert np.all(np.diff(k[13:24]) <= 0)  # no recovery in the war
    assert np.all(np.diff(k[36:60]) > 0)  # recovery after it
    assert k[23] < k[11]  # and the war destroyed some
    # The stop itself, not only the damage: without damage the war still halts recovery.
    undamaged = run(params={"recovery": {"damage": 0.0}}, violence=siege("2001-01", "2001-12", 3.0))
    assert np.all(np.diff(undamaged["capacity@east"].to_numpy()[13:24]) <= 0)


unit = st.floats(0, 1)


@settings(max_examples=200, deadline=None)
@given(
    capacity=unit, E=unit, cohesion=unit, dev=unit, participation=unit,
    rate=unit, stop=st.floats(0.001, 1), floor=unit, gain=st.floats(0, 50), damage=unit,
    depreciation=unit, ownership=unit,
)  # fmt: skip
def test_capacity_stays_in_the_unit_interval_and_war_never_helps(
    capacity: float, E: float, cohesion: float, dev: float, participation: float,
    rate: float, stop: float, floor: float, gain: float, damage: float, depreciation: float,
    ownership: float,
) -> None:  # fmt: skip
    """Any state and any coefficients in their ranges: capacity stays in [0, 1] with no NaN,
    and more excess violence never leaves more capacity or more completed assets."""
    p = RecoveryParams(
        rate=rate, war_stop=stop, cohesion_floor=floor, aid_gain=gain, damage=damage,
        depreciation=depreciation, ownership=ownership,
    )  # fmt: skip
    args = (np.array([cohesion]), np.array([dev]), np.array([participation]), p)
    k = recovery.capacity_update(np.array([capacity]), np.array([E]), *args)
    calmer = recovery.capacity_update(np.array([capacity]), np.array([E / 2]), *args)
    assert 0.0 <= k[0] <= 1.0 and not np.isnan(k[0])
    assert k[0] <= calmer[0] + 1e-12
    z = recovery.destroy(np.array([10.0]), np.array([E]), damage)
    assert 0.0 <= z[0] <= recovery.destroy(np.array([10.0]), np.array([E / 2]), damage)[0]


# ------------------------------------------------------------------ violence destroys


def test_displacement_rule_conserves_people_and_matches_bosnia() -> None:
    """UNHCR 2004: about 2 of 4.4 million displaced in 3.5 years of war; about half of them
    back within a decade of peace with large support. Pre-war Bosnia's usual violence is
    taken as 0.05; the usual level follows the war slowly (half-life 10 years)."""
    p, x, usual = np.array([4.4e6]), np.zeros(1), np.array([0.05])
    war, peace = np.array([0.8]), np.array([0.05])
    for _ in range(42):
        E = displacement.excess(war, usual)
        p, x = displacement.flows(p, x, E, np.array([0.3]), 0.02, 0.008)
        usual = displacement.usual(usual, war, 0.0058)
    assert p[0] + x[0] == pytest.approx(4.4e6)
    assert 0.3 < x[0] / 4.4e6 < 0.55
    fled = x[0]
    for _ in range(120):  # peace: D back below the (now raised) usual level
        E = displacement.excess(peace, usual)
        p, x = displacement.flows(p, x, E, np.array([0.7]), 0.02, 0.008)
        usual = displacement.usual(usual, peace, 0.0058)
    assert 0.4 < 1 - x[0] / fled < 0.7
    assert displacement.hosted(np.array([100.0]), np.array([0.0]), 0.01)[0] == 99.0


def test_a_city_at_its_usual_violence_loses_nobody() -> None:
    """People flee war, not a city's everyday violence: at its usual level, however high, a
    city loses nobody, and those who fled come back at the full peace-time rate."""
    D = np.array([0.03, 0.3, 0.6])
    E = displacement.excess(D, D)
    p, x = displacement.flows(np.full(3, 1e5), np.full(3, 1e4), E, np.full(3, 0.5), 0.02, 0.008)
    assert np.all(x < 1e4) and np.all(p > 1e5)  # only returns
    assert x == pytest.approx(np.full(3, 1e4 * (1 - 0.008 * 0.75)))
    # Below the usual level is no worse than at it.
    assert displacement.excess(np.array([0.1]), np.array([0.3]))[0] == 0.0


def test_a_siege_month_moves_people_out() -> None:
    """One month of siege (D 0.8) in a city whose usual violence is 0.1 moves about 1% of its
    residents out (0.02 x 0.7^2), and none return that month beyond 30% of the peace rate."""
    E = displacement.excess(np.array([0.8]), np.array([0.1]))
    p, x = displacement.flows(np.array([1e5]), np.zeros(1), E, np.array([0.5]), 0.02, 0.008)
    assert x[0] == pytest.approx(1e5 * 0.02 * 0.49)
    assert p[0] + x[0] == pytest.approx(1e5)


SIEGE_METRICS = ("needs", "structural_violence", "capacity", "population", "positive_peace")


def _first_month_excess(name: str) -> tuple[pd.Series, pd.Series]:
    """(encoded D, E in the first month) per city id; E = D - U as the first month's rules read
    it (the stage moves U toward D after reading it, so the update is inverted)."""
    model = PeaceModel(name, seed=0, horizon=1, params=QUIET)
    c = model.batch.state.cities
    start = c.D[0].copy()
    model.step()
    rate = float(np.asarray(model.batch.co.displacement.usual_rate).ravel()[0])
    usual = (c.usual_D[0] - rate * c.D[0]) / (1.0 - rate)
    ids = [str(i) for i in model.world.actors.ids[: model.world.n_cities]]
    return pd.Series(start, index=ids), pd.Series(displacement.excess(c.D[0], usual), index=ids)


def test_a_city_that_starts_at_war_is_at_war() -> None:
    """The usual level starts at what a city's structure sustains without events, not at the
    encoded D: two_cities encodes Eastville's first-year war in its start (D 0.35, the east's
    drivers sustain about 0.17), so Eastville is at war (E above the 0.1 of UCDP's war) in the
    first month. A province whose encoded D its drivers explain is at its usual level."""
    _, E = _first_month_excess("two_cities")
    assert E["eastville"] > 0.1
    _, E = _first_month_excess("seoul_pyongyang")
    assert E["seoul"] == 0.0 and E["kp_provinces"] == 0.0


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pressure=st.floats(0.01, 5.0),
    start=st.integers(1, 24),
    length=st.integers(0, 18),
    seed=st.integers(0, 2**31 - 1),
    pillars=st.sampled_from([(), ("humanitarian",), ("humanitarian", "peace")]),
)
def test_a_siege_is_never_better_for_the_besieged_city(
    pressure: float, start: int, length: int, seed: int, pillars: tuple[str, ...]
) -> None:
    """A city with a violence event of any pressure is, month by month, no better off than the
    same city without it: needs, S, capacity and positive peace no better, no more residents.
    (Relief and peace work may flow: a needier city draws more of it, and must still be worse
    off. No development projects, whose random interruptions would desynchronise the runs.)"""
    first, last = 2000 * 12 + start - 1, 2000 * 12 + start - 1 + length

    def month(m: int) -> str:
        return f"{m // 12}-{m % 12 + 1:02d}"

    kw = dict(budget=30.0 if pillars else 0.0, pillars=pillars or ("humanitarian",), horizon=60)
    calm = run(seed=seed, params={}, **kw)
    war = run(seed=seed, params={}, violence=siege(month(first), month(last), pressure), **kw)
    for metric in SIEGE_METRICS:
        a, b = war[f"{metric}@east"].to_numpy(), calm[f"{metric}@east"].to_numpy()
        worse_is_higher = metric in ("needs", "structural_violence")
        diff = (a - b) if worse_is_higher else (b - a)
        assert (diff >= -1e-9).all(), (metric, int(np.argmin(diff)), float(diff.min()))


def test_bound_a_war_month_is_worse_for_the_city_hit() -> None:
    """Plausibility bound: a two-month war (a violence event of pressure 1, like MAP's Gaza
    wars) shows in the month it starts: D's logit most of the pressure higher that month
    (rate_D_up 0.8), D and peace visibly worse; and it destroys: capacity lower and needs
    higher after it than without it (001:5209-5213). The pressure acts in logits, so in this
    calm city (D 0.05, held by its anchor) it raises D by about 0.06; until branch start3 the
    city's D drifted up by itself toward 0.15 and the same war raised it by 0.08 or more."""
    calm = run(horizon=48)
    war = run(horizon=48, violence=siege("2001-01", "2001-02", 1.0))
    first, after = 12, 17  # 2001-01 and 2001-06 (0-based rows)
    d_war, d_calm = (
        war["direct_violence@east"].iloc[first],
        calm["direct_violence@east"].iloc[first],
    )
    assert np.log(d_war / (1 - d_war)) - np.log(d_calm / (1 - d_calm)) > 0.7
    assert d_war > d_calm + 0.05
    assert war["peace@east"].iloc[first] < calm["peace@east"].iloc[first] - 0.01
    assert war["capacity@east"].iloc[after] < calm["capacity@east"].iloc[after] - 0.001
    assert war["needs@east"].iloc[after] > calm["needs@east"].iloc[after] + 0.01


def test_a_siege_destroys_and_displaces() -> None:
    """The property above is not vacuous: a year of heavy siege lowers capacity, drives people
    out and raises needs, and people come back after it."""
    calm = run(horizon=96)
    war = run(horizon=96, violence=siege("2001-01", "2001-12", 3.0))
    assert war["capacity@east"].iloc[23] < calm["capacity@east"].iloc[23] - 0.02
    assert war["fled@east"].iloc[23] > 0.02 * PEOPLE
    assert war["needs@east"].iloc[23] > calm["needs@east"].iloc[23] + 0.05
    assert war["fled@east"].iloc[95] < war["fled@east"].iloc[23]


def test_a_besieged_city_catches_up_once_the_war_is_over() -> None:
    """After a year of heavy siege the capacity gap to the unharmed run widens only while the
    violence ebbs (recovery stopped, damage going on: its widest point comes within a year of
    the siege's end), then narrows: the poorer city, further below its gap target, recovers
    faster, by at least 5% of the widest gap in two years and a quarter in about seven (the
    rule's half-life is about 12 years), and partly: some of the loss is still there eight years
    on (Chen, Loayza and Reynal-Querol 2008; Brakman, Garretsen and Schramm 2004;
    docs/validation/issue15.md, rebound17). A poverty trap, or a rebound that undoes the war at
    once, fails it."""
    calm = run(horizon=120)
    war = run(horizon=120, violence=siege("2001-01", "2001-12", 3.0))  # months 12-23
    gap = (war["capacity@east"] - calm["capacity@east"]).to_numpy()
    widest = int(np.argmin(gap))
    assert 23 <= widest <= 35
    assert gap[widest] < -0.05
    assert gap[widest + 24] > 0.95 * gap[widest]
    assert gap[119] > 0.75 * gap[widest]
    assert gap[119] < -0.02


# ------------------------------------------------------------------ the starting state


def _calm(name: str, months: int) -> Scenario:
    """The scenario's first ``months`` with every event, programme and alliance removed (a
    loaded Scenario runs to its own horizon: PeaceModel's ``horizon`` applies to names)."""
    sc = load_scenario(name, horizon=months)
    sc.events, sc.programmes, sc.alliances = [], [], []
    return sc


def _cities(scenario: str | Scenario, months: int, params: dict | None = None) -> pd.DataFrame:
    params = {"galtung": {"noise": 0.0, **(params or {})}}
    return PeaceModel(scenario, seed=0, horizon=months, params=params).run().city_frame()


def _largest_change(cf: pd.DataFrame, months: int, columns: list[str]) -> float:
    first = cf[cf["step"] == 0].set_index("id")[columns]
    last = cf[cf["step"] == months - 1].set_index("id")[columns]
    return float((last - first).abs().to_numpy().max())


def test_a_city_without_events_starts_at_its_equilibrium() -> None:
    """Without events, programmes or alliances, every Korean and Chinese province's D, S and C
    stay within 0.02 of where the scenario put them for two years (capacity's own recovery
    moves them later); with nothing of the unexplained start kept (persistence 0) they move
    by more than 0.1 in those two years."""
    kept = _cities(_calm("seoul_pyongyang", 24), 24)
    assert _largest_change(kept, 24, ["D", "S", "C", "needs", "cohesion"]) < 0.02
    drifting = _cities(_calm("seoul_pyongyang", 24), 24, {"persistence": 0.0})
    assert _largest_change(drifting, 24, ["D", "S", "C"]) > 0.1


def test_without_events_nobody_escalates_into_war_or_flees() -> None:
    """No real case's city escalates by itself: without events, programmes or alliances no
    city's D rises by more than 0.05 above its encoded start in ten years, and fewer than 0.1%
    of the residents have fled by the end beyond those the scenario starts with (MAP's towns,
    whose cross-divide trust falls without contact, are the closest; docs/validation/issue15.md,
    branch start3)."""
    for name in ("map", "croatia_twinnings"):
        cf = _cities(_calm(name, 120), 120)
        start = cf[cf["step"] == 0].set_index("id")["D"]
        highest = cf.groupby("id")["D"].max()
        assert (highest - start).max() < 0.05, name
        first, last = cf[cf["step"] == 0], cf[cf["step"] == 119]
        new_flight = last["fled"].sum() - first["fled"].sum()  # Laslovo's expelled come back
        assert new_flight < 1e-3 * last["population"].sum(), name


def test_the_famine_and_the_intifada_worsen_structural_violence() -> None:
    """A famine or an intifada makes a city worse, never better: North Korea's provinces end
    the famine (1995-98) with higher S and needs than the same provinces without events, and
    MAP's Palestinian towns end the intifada (2000-05) with higher D and S than without."""
    cases = (("seoul_pyongyang", "kp_provinces", 108), ("map", "ps_city_01", 74))
    for name, city, months in cases:
        full = _cities(name, months).query("step == @months - 1").set_index("id").loc[city]
        calm = _cities(_calm(name, months), months).query("step == @months - 1")
        calm = calm.set_index("id").loc[city]
        assert full["S"] > calm["S"] + 0.01, name
        assert full["needs"] > calm["needs"] or full["D"] > calm["D"] + 0.02, name


# ------------------------------------------------------------------ two-way states


def test_memory_fades_slowly() -> None:
    m = trust.remember(np.array([0.5]), np.array([0.5]), np.array([False]), 0.3, 0.0039)
    for _ in range(179):
        m = trust.remember(m, np.array([0.0]), np.array([False]), 0.3, 0.0039)
    assert m[0] == pytest.approx(0.25, rel=0.02)  # a half-life of about 15 years


def test_mediation_acts_only_while_its_ties_are_active() -> None:
    args = (np.array([0.2, 0.7, 0.5]), np.array([0]), np.array([1]), np.array([2]))
    kw = dict(threshold=0.4, rate=0.1, ceiling=1.0)
    on, met = trust.mediation(*args, np.array([0.8]), True, np.array([True, True, True]), **kw)
    off, not_met = trust.mediation(
        *args, np.array([0.8]), True, np.array([True, True, False]), **kw
    )
    assert on[0] > 0.2 and met[0]
    assert off[0] == 0.2 and not not_met[0]


def test_inactive_mediation_tie_stops_trust_building_in_a_run() -> None:
    """A mediator tie switched inactive (as a dated tie is outside its window) lifts nothing."""
    model = PeaceModel("two_cities", seed=3, params=QUIET, horizon=24)
    ties = model.batch.state.ties
    mediation = np.flatnonzero(model.world.ties.type == MEDIATION)
    ties.active[:, mediation] = False
    model.run()
    with_mediator = PeaceModel("two_cities", seed=3, params=QUIET, horizon=24).run()
    party = model.world.med_party
    assert party.size
    assert (ties.trust[0, party] < with_mediator.batch.state.ties.trust[0, party]).all()


def test_hostility_hardens_with_violence_and_dissolution() -> None:
    h = np.array([[0.0, 0.5], [0.5, 0.0]])
    has = np.array([[False, True], [True, False]])
    k = lederach.fade_rate(1.0)
    assert k == pytest.approx(0.5)  # a one-month half-life halves the part each month
    rise = lederach.violence_rise(h, np.full((2, 2), 0.3), has, 1.0, 1.0)
    assert rise[0, 1] == pytest.approx(k * 0.3 * (1 - 0.5)) and rise[0, 0] == 0.0
    assert lederach.violence_rise(h, np.zeros((2, 2)), has, 1.0, 1.0)[0, 1] == 0.0
    # A summit that lowers H below the violence part takes the part down with it.
    base, part = lederach.split(np.array([0.1, 0.6]), np.array([0.3, 0.2]))
    assert base.tolist() == [0.0, pytest.approx(0.4)] and part.tolist() == [0.1, pytest.approx(0.2)]
    bumped = lederach.hostility_shock(h, has, 0.1)
    assert bumped[0, 1] == pytest.approx(0.55) and bumped[0, 0] == 0.0


def test_violence_part_rises_under_sustained_excess_and_fades_with_its_half_life() -> None:
    """Two-way hostility: under a sustained excess E the violence part climbs to
    ``min(gain E, 1)(1 - B)``; when the violence ends it halves every ``half_life`` months."""
    base, has = np.array([[0.0, 0.6]]), np.array([[False, True]])
    gain, half_life, excess = 1.0, 3.0, np.array([[0.0, 0.4]])
    part = np.zeros((1, 2))
    for _ in range(60):  # five years of war
        rise = lederach.violence_rise(base, excess, has, gain, half_life)
        part = lederach.violence_part(part, rise, lederach.violence_fade(part, half_life), base)
    target = 0.4 * (1 - 0.6)
    assert part[0, 1] == pytest.approx(target, rel=1e-4) and part[0, 0] == 0.0
    peak = part[0, 1]
    for month in range(1, 13):  # the war ends
        rise = lederach.violence_rise(base, np.zeros((1, 2)), has, gain, half_life)
        part = lederach.violence_part(part, rise, lederach.violence_fade(part, half_life), base)
        assert part[0, 1] == pytest.approx(peak * 0.5 ** (month / half_life))
    assert part[0, 1] < peak / 15  # a year later, four half-lives: 1/16 left


def test_the_default_gain_reproduces_the_2014_gaza_war_poll_it_is_sized_from() -> None:
    """``lederach.hostility_violence`` is sized from the 2014 Gaza war (ODD 8, 'hostility5'):
    JMCC's support for military operations rose from 31% to 42% by mid-October, 0.159 of the
    gap, after 50 days of war whose deaths put the Palestinian side's mean excess at 0.31. Run
    through the rule in whole months (July and August at war, September and October calm) the
    default gain and half-life must give that shift within 0.03 (the polls' margin is 3 points
    on a gap of 0.69); the old assumed gain of 1 gave 0.06."""
    from sim.engine.params_states import LederachParams

    co = LederachParams()
    base, has = np.array([[0.0, 0.31]]), np.array([[False, True]])
    part = np.zeros((1, 2))
    for excess in (0.31, 0.31, 0.0, 0.0):
        e = np.array([[0.0, excess]])
        rise = lederach.violence_rise(base, e, has, co.hostility_violence, co.hostility_half_life)
        fade = lederach.violence_fade(part, co.hostility_half_life)
        part = lederach.violence_part(part, rise, fade, base)
    share_of_gap = part[0, 1] / (1 - base[0, 1])
    assert share_of_gap == pytest.approx(0.159, abs=0.03)


def test_war_on_one_side_of_a_divide_hardens_hostility() -> None:
    """Each side hardens with the violence events add to what it suffers (D above its D
    without events, ``calm_D``; ODD 7.7, branch fade2): a war on the Palestinian side is not
    averaged away by calm on the Israeli side, and a month of it lifts hostility by
    ``k x min(gain x E, 1) x (1 - H)`` with E the war side's excess, the side that suffers most
    (it used to be halved, a mean over the two sides). The slow usual level U is set at the
    war's D: since fade2 hostility does not read it (before, this month would not harden)."""
    from types import SimpleNamespace

    from sim.engine.stages import levels

    model = PeaceModel("map", seed=0, horizon=1)
    world, state, co = model.world, model.batch.state, model.batch.co
    il, ps = world.country_index["IL"], world.country_index["PS"]
    state.cities.calm_D[:] = 0.1
    state.cities.D[:] = np.where(world.city_country == ps, 0.4, 0.0)
    state.cities.usual_D[:] = state.cities.D  # no excess over U: flight's measure sees no war
    state.ties.trust[:] = 0.0  # no spill-up
    before = state.countries.hostility[0, il, ps]
    levels.update_levels(world, state, co, SimpleNamespace())
    gain, half_life = co.lederach.hostility_violence[0, 0], co.lederach.hostility_half_life[0, 0]
    excess = 0.4 - 0.1  # the war side's excess; the calm side's 0 does not dilute it
    k = 1 - 0.5 ** (1 / half_life)
    after = state.countries.hostility[0, il, ps]
    assert after == pytest.approx(before + k * min(gain * excess, 1) * (1 - before))
    assert state.countries.violence_part[0, il, ps] == pytest.approx(after - before)
    assert after > before


def test_alliance_suspends_on_violence_above_the_usual_not_on_everyday_violence() -> None:
    """MAP's members at an everyday D (their usual level) keep the alliance active; the same D
    over a usual level 0.1 below ``alliances.suspend_violence``'s reach suspends it (the rule
    reads the excess, whatever the threshold's calibrated value)."""
    from types import SimpleNamespace

    from sim.engine.events import EventLog
    from sim.engine.stages import alliances as stage
    from sim.rules import alliances

    outcomes = []
    threshold = PeaceModel("map", seed=0, horizon=1).batch.co.alliances.suspend_violence
    d = 0.2 + float(np.max(threshold))  # an excess of 0.1 above the threshold over usual 0.1
    for usual in (d, 0.1):
        model = PeaceModel("map", seed=0, horizon=1)
        world, state, co = model.world, model.batch.state, model.batch.co
        state.alliances.state[:] = alliances.ACTIVE
        state.cities.D[:], state.cities.usual_D[:] = d, usual
        month = SimpleNamespace(step=0, risk_ok=np.ones((1, world.prog_start.size), bool))
        stage.update_alliances(world, state, co, month, EventLog(world))
        outcomes.append(int(state.alliances.state[0, 0]))
    assert outcomes == [alliances.ACTIVE, alliances.SUSPENDED]


# ------------------------------------------------------------------ the cooperation ladder


def test_ladder_climbs_with_benefit_and_trust_and_falls_without() -> None:
    p = LadderParams()
    stage, up, down = np.zeros(2, dtype=np.int64), np.zeros(2, np.int64), np.zeros(2, np.int64)
    on = np.array([True, True])
    benefit, tr = np.array([0.5, 0.5]), np.array([0.9, 0.3])  # the second lacks trust
    for _ in range(p.climb_months):
        stage, up, down = ladder.advance(stage, up, down, benefit, tr, on, p)
    assert stage.tolist() == [1, 0]
    for _ in range(p.fall_months):
        stage, up, down = ladder.advance(stage, up, down, np.zeros(2), tr, on, p)
    assert stage.tolist() == [0, 0]
    assert ladder.ceremonial(stage, np.zeros(2), on, p.fall_benefit).all()
    off = ladder.advance(stage, up, down, benefit, tr, np.array([False, False]), p)
    assert off[0].tolist() == [0, 0]


def _twinning(model: PeaceModel) -> int:
    w = model.world
    east, west = w.actor_index["east"], w.actor_index["west"]
    return int(np.flatnonzero((w.ties.src == east) & (w.ties.dst == west))[0])


def test_working_ties_climb_and_ceremonial_ties_fade() -> None:
    """Over a decade, a city-city tie with mutual benefit (east's own peace work with its twin)
    climbs the ladder; the same tie without any joint work stays ceremonial and ends with less
    trust than it would without the ladder (000:1044-1046; 004:1173-1175)."""
    worker = {"resources": 3.0, "mandate": {"humanitarian": 0.0, "development": 0.0, "peace": 1.0}}
    working = PeaceModel(pair_world(east=worker), seed=2, params=QUIET).run()
    tie = _twinning(working)
    assert working.batch.state.ties.stage[0, tie] >= 1
    assert working.timeseries()["ladder_friendship"].iloc[-1] < 1.0
    idle = PeaceModel(pair_world(), seed=2, params=QUIET).run()
    no_ladder = {**QUIET, "switches": {"ladder": False}}
    flat = PeaceModel(pair_world(), seed=2, params=no_ladder).run()
    assert idle.batch.state.ties.stage[0, tie] == 0
    assert idle.timeseries()["mutual_benefit"].max() == 0.0
    assert idle.batch.state.ties.trust[0, tie] < flat.batch.state.ties.trust[0, tie] - 0.01


def test_horizon_table_reads_each_anchor_at_2_10_and_20_years() -> None:
    """Lederach's horizons: the value in the last month of each horizon after the reference
    date and after each programme's start; NaN past the end of the run."""
    model = PeaceModel(pair_world(budget=per_capita_budget(10.0)), seed=1, params=QUIET)
    model.run()
    table, ts = model.horizons_frame(), model.timeseries()
    anchors = set(table["anchor"])
    assert "reference" in anchors and any(a.startswith("programme:") for a in anchors)
    crisis = table[(table["anchor"] == "reference") & (table["horizon"] == "crisis")]
    got = crisis.set_index("metric")["value"]
    assert got["peace"] == ts["peace"].iloc[23] and crisis["date"].iloc[0] == ts["date"].iloc[23]
    vision = table[(table["anchor"] == "reference") & (table["horizon"] == "vision")]
    assert len(ts) < 240 and vision["value"].isna().all()


def test_do_no_harm_reads_resource_transfers_not_peace_work() -> None:
    """Do no harm (ODD 7.4): a donor blind to the divide that hands out development money
    strains a mixed city's cohesion; the same donor's peace work, at the same dose, does not
    (Anderson's harm is of the resources aid hands out; 004:2706-2708)."""
    blind = {"conflict_sensitivity": 0.0}
    east = {"diversity": 0.9}
    budget = per_capita_budget(300.0)
    month = 24
    for pillar, strains in (("development", True), ("peace", False)):
        world = dict(budget=budget, pillars=(pillar,), months=36, east=east, donor=blind)
        with_harm = run(**world)["cohesion@east"].iloc[month - 1]
        without = run(params={"delivery": {"harm": 0.0}}, **world)["cohesion@east"].iloc[month - 1]
        if strains:
            assert with_harm < without - 0.02, (pillar, with_harm, without)
        else:
            assert with_harm == without, (pillar, with_harm, without)


def test_an_idle_programme_tie_does_not_dilute_the_cohesion_spill() -> None:
    """Before the IKV programme pays (1998-01), its partnership tie to Laslovo offers nothing,
    so it must not halve the cohesion spill of Wageningen's trust gains: Laslovo's cohesion in
    1997-12 is the same, up to the random streams, with or without the programme. (It counted
    in the spill's mean from 1996 and left Laslovo about 0.035 less cohesive before the
    programme started, which made the programme look harmful.)"""
    gaps = []
    for seed in (0, 1, 2):
        cohesion = [
            PeaceModel.from_scenario("croatia_twinnings", seed=seed, policy=policy, horizon=23,
                                     params=QUIET).run().timeseries()["cohesion@laslovo"].iloc[-1]
            for policy in ("baseline", "no_ikv_programme")
        ]  # fmt: skip
        gaps.append(cohesion[0] - cohesion[1])
    assert np.mean(gaps) > -0.015, gaps


def test_hostility_decomposition_adds_up_and_violence_hardens_through_the_intifada() -> None:
    """experiments/hostility_decomposition.py: its parts add up to the engine's own change;
    through the Second Intifada violence (not spill-up) is what moves MAP's hostility, and its
    part fades after the ceasefire."""
    import importlib.util

    from helpers import ROOT

    path = ROOT / "experiments" / "hostility_decomposition.py"
    spec = importlib.util.spec_from_file_location("hostility_decomposition", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    frame = module.decompose(0)
    assert np.abs(frame[["h_rest", "t_rest"]].to_numpy()).max() < 1e-12
    row = module.summary({0: frame}).iloc[0]
    # Violence lifts its part and the part fades (two-way); spill-up never acts in MAP.
    assert row.h_violence_rise > 0 > row.h_violence_fade and row.h_spill_up == 0.0
    assert row.violence_part_peak > 0
    # Talks build, violence erodes. Since branch levels the talks lift the delegates' trust and
    # ULAI-APLA's communities take it up through the transfer; the talks lift this one no more.
    assert row.t_mediation == 0.0 < row.t_transfer
    assert row.t_violence < 0


@pytest.mark.xfail(
    strict=True,
    reason="seed 0 after merging trust4 and recovery3 (the usual level starts at what the drivers "
    "sustain): the Palestinian side's excess ebbs from 0.064 (2005-01) to 0.014 (2006-01) and "
    "0.002 (2006-12), so V is 0.0039 in 2006-01 and 0.0014 by 2006-12 against an intifada peak "
    "of 0.0125: it fades, but the year's maximum (0.0043) is above a quarter of the peak "
    "(0.0031); on trust4 alone it passed (docs/validation/issue15.md, 'Merged'). At the gain "
    "sized in hostility5 (2.5): V 0.0258 in 2005-01, 0.0339 in 2005-02 (the ceasefire summit "
    "doubles the gap 1 - B while the excess is still 0.056), 0.0101 in 2006-01, 0.0035 by "
    "2006-12; the year's maximum 0.0112 against a quarter of the peak 0.0078 "
    "(docs/validation/issue15.md, 'hostility5'). Branch mapdyn (issue15.md, 'mapdyn'): the rule "
    "fades V to the level this month's excess sets within a month or two (V* = 2.5 E (1 - B)); "
    "what does not fade is E, and the window is wrong by the record: B'Tselem counted 660 "
    "Palestinians killed in 2006, three times 2005's 197 and the intifada's own yearly rate, now "
    "encoded, and PS is a closed economy, so the closures' damage keeps D above its usual level "
    "after the ceasefire. Seed 0: E_PS 0.10 (2005-01), 0.039 (2005-12), 0.084-0.091 (2006-01..04); "
    "V 0.039 (2005-01), 0.032 (2005-12), 2006 maximum 0.065 against a quarter of the peak 0.0103. "
    "Branch fade2 (hostility reads the violence events add, X = max(D - D°, 0); issue15.md, "
    "'fade2'): seed 0, X_PS 0.053 at the intifada's end (2004-10..2005-01), 0.0099 after the "
    "ceasefire (2005-03..12), 0.045 in 2006 (its encoded deaths); V's intifada peak 0.0198, 2006 "
    "maximum 0.0353 against a quarter of the peak 0.0049",
)
def test_the_intifadas_hostility_fades_after_the_ceasefire() -> None:
    """After the 2005 ceasefire the intifada's part of hostility fades: a year on, little of its
    peak is left (Jaeger et al. 2012). The fading rule itself is unit-tested (test_rules); this
    is the model's MAP, where it needs the violence to end."""
    import importlib.util

    from helpers import ROOT

    path = ROOT / "experiments" / "hostility_decomposition.py"
    spec = importlib.util.spec_from_file_location("hostility_decomposition", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    frame = module.decompose(0)
    row = module.summary({0: frame}).iloc[0]
    after = frame[(frame.date >= "2006-01") & (frame.date <= "2006-12")]
    assert after.violence_part.max() < row.violence_part_peak / 4
