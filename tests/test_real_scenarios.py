"""The real cases: they load, cite real source lines, and their policies do what they say."""

from __future__ import annotations

import re

import pytest
import yaml

from helpers import ROOT
from sim import PeaceModel
from sim.scenario.loader import load_scenario

REAL = ("tuzla", "map", "seoul_pyongyang", "croatia_twinnings")
SEEDS_DIR = ROOT.parent / "shared" / "seeds"
CITATION = re.compile(r"\b(\d{3}):(\d+)(?:-(\d+))?")


def _seed_lengths() -> dict[str, int]:
    files = {p.name[:3]: p for p in SEEDS_DIR.glob("*.txt")}
    return {k: len(p.read_text(encoding="utf-8").splitlines()) for k, p in files.items()}


@pytest.mark.parametrize("name", REAL)
def test_scenario_and_every_policy_load(name: str) -> None:
    sc = load_scenario(name)
    assert sc.patterns and sc.policies
    for policy in sc.policies:
        assert load_scenario(name, policy=policy).policy == policy


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="shared/seeds is not next to the repo")
def test_every_citation_points_to_existing_lines() -> None:
    lengths = _seed_lengths()
    checked = 0
    files = [*ROOT.glob("scenarios/*/*.yaml"), ROOT / "docs" / "ODD.md"]
    for path in files:
        for match in CITATION.finditer(path.read_text(encoding="utf-8")):
            doc, first, last = match.group(1), int(match.group(2)), match.group(3)
            last = int(last) if last else first
            assert doc in lengths, f"{path.name}: {match.group(0)} names no seed file"
            assert 1 <= first <= last <= lengths[doc], f"{path.name}: {match.group(0)} out of range"
            checked += 1
    assert checked > 100


@pytest.mark.parametrize("name", REAL)
def test_every_entry_has_source_or_assumption(name: str) -> None:
    for path in (ROOT / "scenarios" / name).glob("*.yaml"):
        data = yaml.safe_load(path.read_text())
        entries = data if isinstance(data, list) else []
        if path.name == "policies.yaml":
            entries = list(data.values())
        for entry in entries:
            assert entry.get("source") or entry.get("assumption"), f"{path.name}: {entry}"


def test_no_mediator_removes_every_mediation_tie() -> None:
    base = PeaceModel("map", seed=0, horizon=1)
    policy = PeaceModel("map", seed=0, horizon=1, policy="no_mediator")
    assert (base.ties.type == 5).sum() > 0
    assert (policy.ties.type == 5).sum() == 0 and policy.med_party.size == 0


def test_no_abc_removes_the_programme_and_its_money() -> None:
    base = PeaceModel("tuzla", seed=0, horizon=1)
    policy = PeaceModel("tuzla", seed=0, horizon=1, policy="no_abc")
    assert "abc" in base.programme_ids and "abc" not in policy.programme_ids


def test_no_funding_and_levers_policies_change_levers() -> None:
    assert PeaceModel("map", seed=0, horizon=1, policy="no_funding").levers.funding_scale == 0
    low = PeaceModel("tuzla", seed=0, horizon=1, policy="low_participation")
    base = PeaceModel("tuzla", seed=0, horizon=1)
    assert (low.cities.participation <= base.cities.participation).all()
    assert (low.cities.participation < base.cities.participation).any()


def test_seoul_policies_change_channels() -> None:
    base = PeaceModel("seoul_pyongyang", seed=0, horizon=1)
    direct = PeaceModel("seoul_pyongyang", seed=0, horizon=1, policy="direct_only")
    io = PeaceModel("seoul_pyongyang", seed=0, horizon=1, policy="io_channel")
    assert not direct.levers.io_channel
    assert len(io.programme_ids) > len(base.programme_ids) or io.levers != base.levers


# Patterns that stopped holding with issue 15's dynamics (money read per inhabitant, aid acting
# through the slow targets, violence that destroys, recovery without aid). They are reported in
# docs/validation/README.md, not loosened or relabelled (issue 15 item 10). The test pins the
# list both ways: any other pattern failing, or one of these holding again, fails it.
NO_LONGER_HOLD = {
    # ABC's EUR 2.5 per inhabitant a year moves Tuzla's positive peace by about 0.005 (< 0.01);
    # with Bosnia's national flow encoded (encode3) the gaps are 0.009-0.027 but they held in at
    # most 70% of seeds. With common random numbers (branch crn: the pair shares its draws)
    # no_coordination_worse and no_field_visits_worse hold (93% of 30 seeds, gaps 0.014 and
    # 0.017 > 0.01), low_participation_worse does not (40%, median gap 0.005), and
    # no_abc_slower_recovery's gap is 0.018 in every seed (< 0.02; 3% of 30 seeds): its 60%
    # before was unshared noise around a gap below the threshold (docs/validation/issue15.md).
    # Branch start3 (the encoded start is a stable equilibrium): no_abc_slower_recovery holds
    # again (97% of 30 seeds): S no longer erodes by itself, so ABC's capacity shows in it.
    # Branch trust4 (trust's floor anchored at the encoded start): ties without contact keep
    # their encoded trust, so acceptance and delivery move; abc_social_renewal_strengthens_cohesion
    # falls from 77% to 63% of 30 seeds and 50% of the first 10 (median gap 0.0203 vs 0.02).
    # Merged with recovery3 (war, not everyday violence, stops recovery) it holds in 90% of the
    # record's 30 seeds, so it is no longer pinned.
    # Branch tuzla2 (committed money: a closed programme's projects under way finish on its
    # committed budget): the reconstruction flow's projects under way in 1999-12 and ABC's in
    # 2000 now complete instead of being interrupted, so the calibration pattern
    # abc_about_100_projects (all development projects completed 1996-2000, 80-120) counts
    # more: median 112 -> 118 of 30 seeds (83% -> 53%), 122 of the first 10 (30%).
    # The coordinator re-derived delivery.duration_max, calibrated on it, by its recipe (the
    # integer whose 30-seed median is nearest 100): 11 -> 13, median 103.5, so it holds again.
    # Branch abc: the pattern counts ABC's own projects (@programme:abc; 13 gives a median of
    # 84.5, 70% of 30 seeds), and the recipe on that count gives 11 (median 99). With recovery's
    # target solved from the encoded participation (branch abc), low_participation_worse has
    # the right sign in capacity again but still fails: 47% of 30 seeds, median gap 0.008.
    # Branch harm17 (do no harm reads the committed money a closed programme pays): the
    # reconstruction flow's projects under way at its 1999-12 end strain Tuzla's cohesion in
    # 2000 with and without ABC (-0.021 and -0.020, seeds 0-9); the strain is a share of
    # cohesion, higher with ABC, so the gap narrows by about 0.001 a year and
    # abc_social_renewal_strengthens_cohesion (2001-2005 against no_abc, min 0.02) falls from
    # 83% to 33% of 30 seeds (median gap 0.0203 -> 0.0198) and 20% of the first 10; no
    # coefficient was changed to save it (docs/validation/issue15.md, "harm17").
    "tuzla": {
        "low_participation_worse",
        "abc_social_renewal_strengthens_cohesion",
    },
    # The Second Intifada's pressure re-encoded from published casualties (encode3: B'Tselem's
    # deaths per inhabitant on the rules' Bosnia-calibrated D^2 scale, scenarios/map/events.yaml):
    # Palestinian direct violence is about 0.2 in the intifada, not 0.57. MAP is now founded in
    # about 2005 (the four founding patterns that failed hold again), but the intifada no longer
    # devastates the towns, deepens deprivation or hardens the states, the EU no longer refuses
    # its grant, and the 2008-09 suspension comes in 43% of 30 seeds.
    # With the closures' economic collapse encoded (branch closures: capacity x 2/3 and two
    # poverty shocks, now inputs) devastation and deprivation are relabelled scripted and still
    # fail: the towns' own recovery and S's starting-state fall outweigh the scripted collapse
    # (capacity -0.038, S_palestinian -0.10 in the median seed). map_eu_grant_refused holds
    # again since the EU application closes before the Dutch decision, as the sources order them
    # (closures). map_suspended_as_violence_grows holds again since its encoding was fixed
    # (seoul3: any suspended month in 2005-06..2012-05, not the first suspension; every seed
    # has one from 2008-12; docs/validation/failing.md).
    # intifada_hardens_the_states: with violence hardening each side by its own excess (branch
    # hostility) the intifada adds a median +0.0025 < 0.01 after the outbreak (was +0.0002);
    # with the violence part that fades (hostility3: excess over the usual level, half-life one
    # month) +0.0004: the intifada barely exceeds the towns' usual level, and its part fades.
    # Branch start3 (the encoded start is a stable equilibrium, galtung.persistence 1): S no
    # longer falls by itself, so devastation and deprivation hold again (100% of 30 seeds);
    # map_joint_work_collapses (scripted) fails: the towns' D ebbs after the intifada only to
    # about 0.29 (0.20 before it), so MAP is suspended from its founding and 2006-2011 money is
    # no larger than 2012-2015's (ratio median 1; docs/validation/issue15.md, branch start3).
    # After the merge, alliances.suspend_violence re-derived by its recipe on the merged model
    # (0.18 on the excess over the usual level): MAP is no longer suspended after founding, and
    # map_joint_work_collapses holds again (100% of 30 seeds).
    # hostility4: the violence across the divide is the excess of the side that suffers most
    # (not the mean of the two sides): intifada_hardens_the_states holds in 73% of 30 seeds
    # (median +0.0103, was 0% and +0.0063), still short of 80%.
    # Branch trust4 (trust's floor anchored at the encoded start, its violence shock on the
    # excess over the usual level): cross-divide trust no longer collapses, cohesion holds, and
    # the members' 2007-2012 peak excess falls below alliances.suspend_violence 0.18 (its recipe
    # now gives 0.106): map_suspended_as_violence_grows 97% -> 0% of 30 seeds. The calibration
    # coefficient belongs to the alliances' owner; not re-derived here. Merged (hostility4,
    # trust4, recovery3): the recipe gives 0.1062, suspend_violence set to 0.10, and MAP is
    # suspended in 2009-01 in 29 of 30 seeds again (97%); intifada_hardens_the_states holds in
    # 0% (median +0.0051): the merged model's intifada excess is smaller than hostility4's alone.
    # hostility5: lederach.hostility_violence sized from the 2014 Gaza war and JMCC's polls (2.5,
    # was an assumed 1; ODD 8): intifada_hardens_the_states holds in 100% of 30 seeds (median
    # +0.0130) and discriminates against no_hostility_dynamics, so it is no longer pinned.
    # Branch trust: a refusal costs trust only for the recipient's own share, not its state's
    # hostility; MAP's cross-divide ties keep more trust through 2011, spill-up eases hostility
    # after APLA's withdrawal, and withdrawal_hardens_relations holds in 3% of 30 seeds
    # (median +0.0062 < 0.01; +0.0157 with the refusal rule undone, seeds 0-9).
    # Branch mapdyn (PS a closed economy, 2006's violence encoded): it holds in 100% of 30
    # seeds (median +0.0123) and discriminates against no_hostility_dynamics: no longer pinned.
    # The Croatian case's first run after issue 15's dynamics (docs/validation/issue15.md):
    # small programmes' doses per inhabitant move trust, capacity and needs by less than 0.01.
    # audit3 (Wageningen's own resources no longer flow from 1996: its exchange after the IKV
    # project is a 2004-2007 programme, 001:5142-5144): small_projects_open_the_way holds in
    # 100% of 30 seeds (median gap 0.0439), under every null too (it does not discriminate)
    # Branch mediation (trust.mediation_rate 0.05 -> 0.0015, w_CT + w_Chor 0.5) pinned
    # sides_talk_after_1998, far_from_home_views_narrow and the venue's pattern, and MAP's ten
    # founding and operation patterns (MAP was never founded). Branch mediation2 (the rate back
    # at 0.05, the split w_CT 0.25 + w_Chor 0.25 kept): MAP is founded again and its patterns
    # and Croatia's talks hold as on main; neutral_venue_eases_cultural_violence fails, 0% of
    # 30 seeds: the venue's gap in Sodolovci's 2003-2007 C is 0.0178 (was 0.0301 with the same
    # trust read at 1.0), under the threshold 0.02. Not re-encoded or tuned
    # (docs/validation/issue15.md, 'mediation2').
    # Branch mediation3 (mediated talks lift trust toward 1 - mean C of the ends, not toward
    # 1): the Wageningen talks lift the cross-divide trust more slowly toward Ernestinovo and
    # Sodolovci's ceiling (about 0.31), so sides_talk_after_1998 (trust first at 0.15 in
    # 1998-06..2003-12; e.g. 2004-10) and far_from_home_views_narrow (median +0.0136 < 0.05)
    # fail, 0% of 30 seeds. Reported, not re-encoded or tuned.
    # Branch levels (two levels of trust): far_from_home_views_narrow, whose source names the
    # delegations (001:5121-5126), reads the delegates' trust and holds (100% of 30 seeds,
    # median 0.0517 against 0.05), so it is no longer pinned; sides_talk_after_1998 still
    # fails (the communities' trust first reaches 0.15 in 2004-11).
    "croatia_twinnings": {
        "ikv_programme_helps_rebuild",
        "darda_waste_service_restarts",
        "darda_needs_lower_with_help",
        "neutral_venue_eases_cultural_violence",
        "sides_talk_after_1998",
    },
    # Branch mediation3: VNG's talks lift ULAI-APLA only toward 1 - (0.60 + 0.65) / 2 = 0.375,
    # below alliances.found_trust 0.45 (absolute), so MAP was never founded and its eight
    # founding and operation patterns failed (0% of 30 seeds). Branch founding: founding reads
    # working trust, each member tie at least found_trust x its mediation ceiling (0.169 for
    # ULAI-APLA); all eight hold again in 100% of 30 seeds, map 15/17 as main's record
    # (docs/validation/issue15.md, 'founding'). No map pattern is pinned.
}

# Issue 15 item 10's new evidence patterns that did not hold in their first run (30 seeds,
# docs/validation/issue15.md, "New evidence patterns"). Reported as they came out, not
# loosened, relabelled or tuned for.
NEW_THAT_FAIL = {
    # gap 0.014 < 0.02: the spill from ABC's peace work to cohesion is real but smaller;
    # second round: interrupted / completed ABC projects is a median 0.43 > 0.25;
    # third round: ABC lowers Tuzla's 1999-2000 needs by a median 0.030, above 0.02 in 57%;
    # fifth round (evidence2): Tuzla's cohesion in 2000 is a median 0.049 below its 1996-1997
    # mean (0% of 30 seeds, 0% under no_lederach): do no harm's strain lasts while the national
    # reconstruction flow's money flows (to 1999-12; tuzla2, tuzla3), and cohesion recovers after
    # (branch lottery: abc_visibly_better_living_conditions holds in 100% of 30 seeds, median
    # gap 0.0289, and in the first 10, now that an interrupted reconstruction project keeps
    # its finished works; no longer pinned)
    "tuzla": {
        "abc_projects_mostly_finish",
        "tuzla_comes_together_by_abc_end",
    },
    # (map: intifada_deepens_deprivation and intifada_hardens_the_states failed in their first
    # run on the model before dyn3; on the merged model, blind to them, both hold: see
    # docs/validation/issue15.md, "After merging dyn3")
    # second round: no cross-border channel closes to peace work in 2001-01..2005-01;
    # third round: ps_city_01's capacity in 2005-06 was a median 0.083 above its 2000 level;
    # palestinian_towns_still_devastated_at_founding holds (median -0.018) since the closures'
    # capacity losses were encoded (merged with it, docs/validation/issue15.md)
    # hostility3: IL-PS hostility peaks at a median 0.851 in 2001-01..2005-01, further from
    # gates.hostility_close 0.9 than before (0.854): the gate stays open in every month;
    # hostility4 (E the side that suffers most): hostility peaks at about 0.863, still below 0.9;
    # hostility5 (the gain sized from the 2014 Gaza war, 2.5): about 0.88, still below 0.9 (the
    # intifada's published death rate cannot reach the gate through violence; ODD 8);
    # mapdyn (PS a closed economy, so the towns' excess is larger): about 0.89, still below 0.9
    # (evidence7's intifada_fighting_destroys_beyond_the_closures holds: 100% of 30 seeds and
    # of the first 10, median gap 0.0076; 0% under no_violence_damage; not pinned)
    # fade2 (hostility reads the violence events add, not D above the slow usual level, ODD
    # 7.7): intifada_hardens_the_states fails, 0% of 30 seeds (median +0.0068 < 0.01; was
    # 100%, +0.0219): the intifada is one constant pressure, and the closures' structural
    # violence, which carried the rise, no longer hardens (docs/validation/issue15.md, "fade2")
    "map": {"intifada_shuts_the_direct_channel", "intifada_hardens_the_states"},
    # trust rises by a median 0.046 < 0.05 (43% of seeds); second round: Seoul-Pyongyang trust
    # falls by a median 0.015 < 0.02 between 2011-12 and 2016-17 (3% of seeds); third round
    # (seoul3): the rural North ends up better off than before the famine, in every seed (needs
    # -0.127, structural violence -0.196, capacity +0.222 in the median seed); they hold only
    # under no_recovery. Branch famine2 (an isolated economy recovers toward its own steady
    # state, its encoded start): all three hold in 100% of 30 seeds (needs +0.032, structural
    # violence +0.029, capacity -0.035), and in 0% under no_isolation; branch steady (every
    # city keeps its own steady state, the null removes only the slower speed): 100% under it
    "seoul_pyongyang": {
        "exchange_builds_trust_with_pyongyang",
        "event_driven_goodwill_fades",
    },
    # third round: the IKV programme and the small projects move Laslovo's cohesion by a median
    # of about 0 (gaps -0.002..0.002 < 0.01-0.02); cross-divide trust rises by a median 0.048
    # < 0.05 in the year after the 1998 meeting; fourth round (mech): Laslovo's cohesion before
    # the 1998 meeting rises by a median 0.034 above its first month (0% of 30 seeds; 0% under
    # no_do_no_harm too). (tuzla's postwar_enmity_keeps_tuzla_apart holds: 100% of 30 seeds)
    # Fifth round (evidence2): Laslovo's mean cohesion in 1999-2003 is a median 0.0098 above
    # 1998-01..05 (< 0.05; 0% of 30 seeds, 0% under no_lederach): the spill lifts it from the
    # first peace work in 1996, before the meeting. (seoul's north_still_lukewarm_in_the_thaw,
    # map's map_operates_until_the_withdrawal and tuzla's
    # abc_partnerships_working_in_the_last_year hold: 100% of 30 seeds)
    # Branch trust4: far_from_home_views_narrow holds (0% -> 100% of 30 seeds; 0% under
    # no_mediation): trust built at the neutral venue is no longer worn down by standing violence.
    # Branch trust: mediated talks under fire lift less (the ends' absolute D at the venue
    # against alliances.stall_violence): it fails again, 0% of 30 seeds (median 0.0472 < 0.05;
    # 0.0519 with the damping undone, seeds 0-9). Branch mapdyn: talks stall on violence above
    # the usual level (ODD 8 "mapdyn"), so the standing post-war level no longer damps the 1998
    # talks: it holds again, 100% of 30 seeds (median 0.0518; 0% under no_mediation).
    # audit3 (Wageningen's own resources no longer reach Laslovo in 1996-1997 beside the small
    # projects): small_projects_bring_laslovo_together holds in 100% of 30 seeds (median gap
    # 0.0708) and discriminates against no_lederach; laslovo_stays_apart_at_first still fails
    # (median +0.052: the small projects' own spill lifts Laslovo's cohesion before 1998).
    # evidence9 (published surveys of Eastern Slavonia: very little change 2000-2008): the two
    # sides' cultural violence falls by a median 0.116 and 0.119 (> 0.05; 0% of 30 seeds),
    # mostly through cross-divide trust (w_CT) and after 2002. Branch contact (w_CT 2.0 -> 0.5,
    # from the contact literature): they still fail, 0% of 30 seeds (median falls 0.062, 0.066).
    # Branch mediation (the mediation gain sized, w_CT + w_Chor 0.5): they hold, 100% of 30
    # seeds (median falls 0.015, 0.018), so they are no longer pinned. Branch mediation2 (the
    # gain back at 0.05, the split kept): they still hold, 100% of 30 seeds (median falls
    # 0.044 and 0.047 < 0.05, close to the bound).
    "croatia_twinnings": {
        "joint_work_brings_laslovo_together",
        "laslovo_stays_apart_at_first",
        "laslovo_closer_after_the_meeting",
    },
}


# Patterns that hold in the 10 seeds of the default run (>= 80%) and fail in the record's 30,
# pinned both ways for each seed count, so neither direction goes unnoticed. Tuzla's two
# (encode3) left with common random numbers (branch crn): no_abc_slower_recovery now fails in
# both (NO_LONGER_HOLD), abc_social_renewal_strengthens_cohesion holds in 83% of 30 seeds.
# Branch start3: abc_social_renewal_strengthens_cohesion holds in the first 10 seeds and in 77%
# of 30 (was 83%).
# Branch trust4: it fails in both now (NO_LONGER_HOLD).
# of 30 (was 83%). Branch recovery3 (war, not everyday violence, stops recovery): it holds in
# 90% of 30 (median gap 0.0209), so it is no longer pinned here.
FAIL_ONLY_IN_30_SEEDS: dict[str, set[str]] = {}
# And the other way. With common random numbers abc_visibly_better_living_conditions held in
# exactly 80% of the record's 30 seeds and in fewer of the first 10; since branch start3 it
# fails in both (73% of 30, 50% of 10; NEW_THAT_FAIL). Branch recovery3: it holds again in
# exactly 80% of 30 (median gap 0.0261) and still fails in the first 10. Branch lottery: it
# holds in both (100% of 30), so nothing is pinned here.
HOLD_ONLY_IN_30_SEEDS: dict[str, set[str]] = {}


@pytest.mark.parametrize("name", REAL)
def test_patterns_hold_in_the_ensemble(name: str, request: pytest.FixtureRequest) -> None:
    """Every pattern holds in >= 80% of seeds (10 seeds by default, 30 with --runslow), except
    those recorded in NO_LONGER_HOLD and NEW_THAT_FAIL, which must still fail."""
    from sim.experiments.validate import evaluate, run_ensemble

    seeds = 30 if request.config.getoption("--runslow") else 10
    case = load_scenario(name)
    runs = {"baseline": run_ensemble([f"scenario={name}"], "baseline", seeds, 1, False)}
    for policy in sorted({p["policy"] for p in case.patterns if p["kind"] == "contrast"}):
        runs[policy] = run_ensemble([f"scenario={name}"], policy, seeds, 1, False)
    table = evaluate(case.patterns, runs)
    failing = table[~table["pass"]]
    expected = NO_LONGER_HOLD.get(name, set()) | NEW_THAT_FAIL.get(name, set())
    if seeds == 30:
        expected |= FAIL_ONLY_IN_30_SEEDS.get(name, set())
        expected -= HOLD_ONLY_IN_30_SEEDS.get(name, set())
    assert set(failing["pattern"]) == expected, (
        "\n" + failing[["pattern", "share", "value"]].to_string()
    )
