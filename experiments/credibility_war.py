"""Issue 15's complaints about money, sieges, destruction and recovery, measured on a town across
a divide (experiments/credibility_worlds.py) and on Tuzla (experiments/credibility.py)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from credibility_core import ALL_PILLARS, Row, at, fmt, row, run
from credibility_worlds import town_world, violence

# UNHCR (2004): about half of Bosnia's more than 2 million displaced were back 8.6 years after
# Dayton (read as a constant monthly rate).
BOSNIA_HALF_YEARS = 8.6
WAR_TOWN = {
    "population": 70_000,
    "direct_violence": 0.49,
    "structural_violence": 0.66,
    "capacity": 0.21,
    "needs": 0.68,
}  # the issue's town, 40,000-100,000


def money(seeds: Sequence[int]) -> list[Row]:
    """A few thousand euros a month (EUR 5,000, all pillars) to a town of 70,000 at war."""
    out = []
    for key, events, setting in (
        ("money_war_start", None, "the town starts at the war's state (D 0.49), no event"),
        (
            "money_war_goes_on",
            violence(0, 59, 1.0),
            "the town starts at the war's state and a war (violence event, pressure 1) lasts all "
            "five years",
        ),
    ):
        aid = run(town_world(WAR_TOWN, 5.0, ALL_PILLARS, 60, 60, events=events), seeds)
        none = run(town_world(WAR_TOWN, horizon=60, events=events), seeds)
        last = 59
        v = {
            c: (at(aid, f"{c}@town", last), at(none, f"{c}@town", last))
            for c in ("direct_violence", "structural_violence", "capacity")
        }
        d_s = v["structural_violence"][0] - v["structural_violence"][1]
        d_k = v["capacity"][0] - v["capacity"][1]
        d_d = v["direct_violence"][0] - v["direct_violence"][1]
        small = max(abs(np.median(d_s)), abs(np.median(d_k)), abs(np.median(d_d))) < 0.02
        calm_by_itself = np.median(v["direct_violence"][1]) < 0.25
        verdict = (
            "credible now"
            if small and not calm_by_itself
            else "partly"
            if small
            else "still not credible"
        )
        why = (
            "The money's own part is within the few-euros bound (money on one scale, ODD 7.4; "
            "`test_bound_a_few_euros_a_head_changes_little`)"
            if small
            else "The money's own part exceeds the few-euros bound of docs/parameters.md"
        ) + (
            "; but a town encoded at D 0.49 with no violence event calms by itself "
            "(D without aid shown), so 'a civil war' has to be an event, not a starting state."
            if calm_by_itself
            else "; the war keeps D up, and war stops recovery (ODD 7.6, recovery3)."
        )
        today = (
            f"after 5 years with aid: D {fmt(v['direct_violence'][0])}, "
            f"S {fmt(v['structural_violence'][0])}, "
            f"K {fmt(v['capacity'][0])}; without aid: D {fmt(v['direct_violence'][1])}, "
            f"S {fmt(v['structural_violence'][1])}, K {fmt(v['capacity'][1])}; the aid's part: "
            f"S {fmt(d_s, True)}, K {fmt(d_k, True)}, D {fmt(d_d, True)}"
        )
        out.append(
            row(
                key,
                d_s,
                complaint="A few thousand euros a month transforms a town of "
                "40,000-100,000 during a civil war",
                issue_figure="D 0.49 -> 0.05, S 0.66 -> 0.07, K 0.21 -> 0.70 within a few years",
                today=today,
                setting=f"town of 70,000 (D 0.49, S 0.66, K 0.21, needs 0.68), EUR 5,000 a "
                f"month (0.86 EUR a head a year) on all pillars for 60 months; {setting}",
                criterion="the aid's part of S, K and D under 0.02 in five years, and the "
                "war does not end by itself",
                verdict=verdict,
                why=why,
            )
        )
    return out


def siege(seeds: Sequence[int]) -> list[Row]:
    """A year of heavy siege (pressure 3, months 12-23) against none, relief flowing."""
    kw = dict(
        town={"steady_capacity": 0.54},
        budget=30.0,
        pillars=("humanitarian", "development"),
        months=48,
        horizon=48,
    )
    calm = run(town_world(**kw), seeds)
    war = run(town_world(**kw, events=violence(12, 23, 3.0)), seeds)
    end = 23

    def diff(col: str, month: int = end) -> np.ndarray:
        return at(war, f"{col}@town", month) - at(calm, f"{col}@town", month)

    needs, s, pp, k = (
        diff("needs"),
        diff("structural_violence"),
        diff("positive_peace"),
        diff("capacity"),
    )
    wrong = int(((needs <= 0) | (s < -1e-9) | (pp > 1e-9)).sum())
    verdict = (
        "credible now" if wrong == 0 else "partly" if np.median(needs) > 0 else "still not credible"
    )
    setting = (
        "town of 100,000 (S 0.6, K 0.3, steady K 0.54), relief and development EUR 30,000 a "
        "month; a year's violence event of pressure 3 (2001) against none, read at its end"
    )
    rows = [
        row(
            "siege_improves",
            needs,
            complaint="A siege lowers the besieged city's needs and S "
            "and raises its positive peace",
            issue_figure="needs 0.68 -> 0.43 during the siege; S lower, positive peace higher",
            today=f"siege minus none at the siege's end: needs "
            f"{fmt(needs, True)}, S {fmt(s, True)}, positive peace {fmt(pp, True)}; seeds where "
            f"any is better under siege: {wrong} of {len(needs)}",
            setting=setting,
            criterion="needs higher, S no lower and positive peace no higher under siege in "
            "every seed",
            verdict=verdict,
            why="Violence raises needs and erodes capacity, and "
            "relief cannot outrun it (violence destroys, ODD 7.6; "
            "`test_a_siege_is_never_better_for_the_besieged_city`, a property test over "
            "pressures, dates and seeds).",
        )
    ]
    fled = at(war, "fled@town", end) / 100_000
    back = at(war, "fled@town", 47) / 100_000
    # Return read from the peak of flight (D takes months to fall after the siege, so people
    # still leave at first) to two years after the siege, against Bosnia's pace over as long.
    after = war[war["month"].between(end, 47)].sort_values(["replicate", "month"])
    away = after.pivot(index="replicate", columns="month", values="fled@town").to_numpy()
    peak, peak_at = away.max(axis=1), away.argmax(axis=1)
    returned = 1.0 - away[:, -1] / np.where(peak > 0, peak, 1.0)
    bosnia = 1.0 - 0.5 ** ((away.shape[1] - 1 - peak_at) / (12 * BOSNIA_HALF_YEARS))
    inter = (
        war[war["month"].between(12, end)]
        .groupby("replicate")["projects_interrupted_development"]
        .sum()
        - calm[calm["month"].between(12, end)]
        .groupby("replicate")["projects_interrupted_development"]
        .sum()
    ).to_numpy()
    k_after = diff("capacity", 47)
    destroys = np.median(k) < 0 and np.median(fled) > 0  # the complaint's core
    # After a war output rebounds part of the way (Cerra and Saxena 2008; Chen, Loayza and
    # Reynal-Querol 2008): the damage's gap should narrow once the siege is over.
    rebounds = np.median(k_after) > np.median(k)
    rest = [np.median(inter) > 0, np.median(back) < np.median(fled), rebounds]
    why = (
        "Damage, flight and return, and project hazards read violence above the usual level "
        "(ODD 7.6 displacement, 7.4 interruptions; `test_a_siege_destroys_and_displaces`)"
    )
    if not np.median(inter) > 0:
        why += "; a siege year interrupts no more projects than a calm one in most seeds"
    if np.median(returned / np.where(bosnia > 0, bosnia, 1.0)) < 0.5:
        why += "; return is less than half as fast as Bosnia's after Dayton (UNHCR 2004)"
    why += (
        "."
        if rebounds
        else (
            "; but the gap, read from the violence event's last month, still widens for about "
            "half a year after it: violence ebbs over months (ODD 7.6), and while its excess "
            "over the usual level stays above `war_stop` recovery is stopped and damage goes on; "
            "once recovery restarts the poorer town recovers faster than the unharmed one and "
            "the gap narrows at the rule's post-war pace, a half-life of about a decade, too "
            "slowly to make up the half-year within the two years read (experiments/"
            "siege_rebound.py; `test_a_besieged_city_catches_up_once_the_war_is_over`)."
        )
    )
    rows.append(
        row(
            "violence_destroys",
            k,
            complaint="Violence destroys nothing: not capacity, not population, not projects",
            issue_figure="no change in capacity, population or projects",
            today=f"siege minus none: capacity {fmt(k, True)} at the siege's end, "
            f"{fmt(k_after, True)} two years later; fled {fmt(100 * fled)}% of residents at "
            f"its end, {fmt(100 * back)}% two years later (of those away at the peak of "
            f"flight, {fmt(100 * returned)}% back by then; at Bosnia's pace {fmt(100 * bosnia)}%); "
            "projects interrupted during it "
            f"{fmt(inter.astype(float), True)}",
            setting=setting,
            criterion="credible: capacity lower and people flee (the complaint's core), and "
            "they return, more projects are interrupted and the capacity gap narrows after the "
            "siege; partly: the core only (the rebound criterion was added after a 2-seed trial, "
            "the grading after the first 30-seed run, where one missing part made the row 'still "
            "not credible')",
            verdict="credible now"
            if destroys and all(rest)
            else "partly"
            if destroys
            else "still not credible",
            why=why,
        )
    )
    return rows


def recovery(seeds: Sequence[int], tuzla: pd.DataFrame, tuzla_none: pd.DataFrame) -> list[Row]:
    """A war-damaged city (K 0.3, pre-war 0.54) at peace, without aid; Tuzla without ABC."""
    none = run(town_world({"steady_capacity": 0.54}, horizon=120), seeds)
    k0, k5, k10 = (at(none, "capacity@town", m) for m in (0, 59, 119))
    growth = 100 * 6.6201 * (k5 - k0) / 5  # % a year of income a head, K as the log-income index
    rises = np.median(k10) > np.median(k0) + 0.02 and np.median(k10) <= 0.55
    rows = [
        row(
            "recovery_without_aid",
            k10,
            complaint="Without aid a war-damaged city's capacity decays and never recovers",
            issue_figure="capacity decays to 0.07",
            today=f"K 0.30 "
            f"-> {fmt(k5)} in 5 years, {fmt(k10)} in 10 (steady 0.54); income a head grows "
            f"{fmt(growth)}% a year over the first five",
            setting="town of 100,000, war over (D "
            "0.05), K 0.3 below its pre-war 0.54, no programme",
            criterion="capacity rises toward and not past the pre-war level",
            verdict="credible now" if rises else "still not credible",
            why="Every city recovers toward its own steady state at a rate "
            "set by capacity, peace and cohesion; war stops it (ODD 7.6, branches steady and "
            "recovery3; `test_recovery_without_aid_is_slow_not_a_collapse`).",
        )
    ]
    s, e = "1995-12", "2000-12"
    kb, kn, ks = (
        at(tuzla, "capacity@tuzla", e),
        at(tuzla_none, "capacity@tuzla", e),
        at(tuzla_none, "capacity@tuzla", s),
    )
    gap = kb - kn
    rows.append(
        row(
            "counterfactual_collapse",
            kn - ks,
            complaint="Every 'without the programme' counterfactual is a collapse",
            issue_figure="capacity 0.07 without the programme",
            today=f"Tuzla's capacity {fmt(ks)} in {s} -> {fmt(kn)} in {e} without ABC, "
            f"{fmt(kb)} with it (ABC's part {fmt(gap, True)})",
            setting="tuzla, baseline and policy no_abc, same seeds",
            criterion="without the programme capacity still rises, more slowly",
            verdict="credible now" if np.median(kn) > np.median(ks) else "still not credible",
            why="Recovery without aid plus the national "
            "reconstruction flows (ODD 7.6; Tuzla's `no_abc_slower_recovery` pattern).",
        )
    )
    return rows
