"""Mechanism effect sizes (sim/experiments/mechanism_effects.py): the classification rule on
hand-made runs, and the generated table on the small two-city scenario."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.engine.params import ModelParams
from sim.experiments import mechanism_effects as me
from sim.experiments import mechanism_effects_report as report
from sim.experiments.nulls import NullModel, load_nulls


def runs(level: float, noise: float, seeds: int = 9, months: int = 12) -> list[pd.DataFrame]:
    """Seed runs whose ``capacity`` is ``level`` in the second half, with seed spread ``noise``."""
    out = []
    for s in range(seeds):
        x = np.full(months, 0.5)
        x[months // 2 :] = level + noise * (s - seeds // 2) / seeds
        out.append(
            pd.DataFrame(
                {
                    "step": range(months),
                    "date": [f"2000-{m + 1:02d}" for m in range(months)],
                    "capacity": x,
                    "offers_accepted": np.ones(months),
                }
            )
        )
    return out


def verdict(full: list[pd.DataFrame], null: list[pd.DataFrame]) -> str:
    return me.classify(me.effects(full, null), me.identical(full, null))


def test_the_rule_separates_idle_faint_and_visible() -> None:
    full = runs(0.5, 0.02)
    assert verdict(full, runs(0.5, 0.02)) == "idle"
    # below the 0.01 floor on an index, though far beyond the seed spread
    assert verdict(full, runs(0.505, 0.02)) == "faint"
    # above the floor, but inside the seeds' spread (IQR about 0.45 x 0.8)
    assert verdict(runs(0.5, 0.8), runs(0.55, 0.8)) == "faint"
    # above the floor and beyond the spread
    rows = me.effects(full, runs(0.6, 0.02))
    assert verdict(full, runs(0.6, 0.02)) == "visible"
    cap = rows.set_index("outcome").loc["capacity"]
    assert abs(cap["gap"] - 0.1) < 1e-9
    assert cap["month"] == 6 and cap["date"] == "2000-07" and cap["visible"]


def test_counts_are_compared_as_running_totals() -> None:
    full, null = runs(0.5, 0.0), runs(0.5, 0.0)
    for ts in null:
        ts.loc[3, "offers_accepted"] = 2.0  # one more offer in month 3, and so from then on
    rows = me.effects(full, null).set_index("outcome")
    assert rows.at["offers_accepted", "gap"] == 1.0
    assert rows.at["offers_accepted", "month"] == 3  # first month of the largest gap
    assert verdict(full, null) == "visible"  # one offer, deterministic: beyond any spread


def test_two_cities_table_names_a_no_op_idle_and_no_recovery_visible(tmp_path: Path) -> None:
    rate = ModelParams().recovery.rate
    nulls = {
        # a switch that leaves the coefficient at its value: it must change nothing at all
        "no_op": NullModel("no_op", "nothing", "recovery.rate at its own value", {
            "recovery": {"rate": rate}}),
        "no_recovery": load_nulls()["no_recovery"],
    }  # fmt: skip
    md, csv = me.write(tmp_path, ["two_cities"], seeds=3, nulls=nulls)
    table = pd.read_csv(csv)
    v = report.verdicts(table)
    assert v.at["no_op", "two_cities"] == "idle"
    assert v.at["no_recovery", "two_cities"] == "visible"
    cap = table[(table["null"] == "no_recovery") & (table["outcome"] == "capacity")].iloc[0]
    assert cap["gap"] < -0.01 and bool(cap["visible"])  # without recovery capacity is lower
    text = md.read_text(encoding="utf-8")
    assert "| no_op | nothing | **idle** |" in text
    assert "## Idle in every scenario\n\nCandidates" in text and "- nothing" in text
    assert not list(tmp_path.glob(".*.tmp"))  # written atomically, nothing left behind


def test_a_local_series_counts_and_people_are_shares_of_the_citys_own_population() -> None:
    full, null = runs(0.5, 0.0), runs(0.5, 0.0)
    for ts in full + null:
        ts["population"] = 1_000_000.0
        ts["population@town"] = 10_000.0
    for ts in null:
        ts.loc[6:, "population@town"] = 9_800.0  # 2% of the town, 0.02% of the scenario
    rows = me.effects(full, null).set_index("outcome")
    town = rows.loc["population@town"]
    assert town["scope"] == "local" and town["kind"] == "people"
    assert abs(town["gap"] + 0.02) < 1e-12 and bool(town["visible"])
    assert rows.at["capacity", "scope"] == "aggregate"
    assert verdict(full, null) == "visible"
