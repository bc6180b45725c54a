"""Capacity by city over time in each real case, and what is regained during its war or closure
windows (docs/validation/issue15.md, 'War stops recovery').

Written on branch recovery2 (not merged) and kept by recovery3, which added the pair world's war
year and each city's usual level and excess in the first month. For each scenario two runs of
seed 0 at the default coefficients (noise kept: this is the default run a user sees), in the
style of ``flight_by_city.py``:

- **full**: the scenario as encoded;
- **calm**: every event, programme and alliance removed (recovery from the encoded start alone).

Printed: capacity, D and the excess E = max(D - U, 0) over the usual level per city and year,
and for each window (a violence event with an end date, or a run of disasters) the targeted
cities' capacity the month before it, its lowest, its value at the window's end, the scripted
losses (disaster events) and what was *regained* inside the window: the sum of the months'
capacity rises, i.e. recovery that outran depreciation and damage.

    nice -n 10 .venv/bin/python experiments/capacity_by_city.py --out /tmp/capacity.md
"""

from __future__ import annotations

import argparse
import copy
from pathlib import Path

import numpy as np
import pandas as pd

from sim import PeaceModel
from sim.experiments.report import md_table, publish
from sim.scenario.loader import load_scenario

SCENARIOS = ("tuzla", "map", "seoul_pyongyang", "croatia_twinnings", "two_cities")
YEARS = (1995, 1996, 2000, 2001, 2005, 2010, 2015, 2020, 2035)

# (scenario, window, first month, last month, target cities): from each events.yaml.
WINDOWS = (
    ("tuzla", "postwar_tension", "1995-12", "1996-06", ("tuzla",)),
    ("map", "second_intifada", "2000-09", "2005-02", ("ps_city_01", "il_city_01")),
    ("map", "gaza_war_2008", "2008-12", "2009-01", ("ps_city_01", "il_city_01")),
    ("map", "gaza_war_2014", "2014-07", "2014-08", ("ps_city_01", "il_city_01")),
    ("seoul_pyongyang", "famine (disasters)", "1995-08", "1998-12", ("kp_provinces",)),
    ("two_cities", "war year", "2000-01", "2000-12", ("eastville", "westburg")),
)


def calm(name: str):  # noqa: ANN201 - a Scenario
    """The scenario with every event, programme and alliance removed."""
    sc = copy.deepcopy(load_scenario(name))
    sc.events, sc.programmes, sc.alliances = [], [], []
    return sc


def frame(name: str, run: str, params: dict) -> pd.DataFrame:
    """Monthly rows per city: capacity, D, E and the month's scripted capacity loss."""
    scenario = load_scenario(name) if run == "full" else calm(name)
    model = PeaceModel(scenario, seed=0, params=params)
    # The usual level U each month's rules read: the stage updates U after reading it
    # (U' = U + rate (D - U)) and sets it in the first month, so invert the update.
    rate = float(np.asarray(model.batch.co.displacement.usual_rate).ravel()[0])
    usual = []
    while model.running and model.t < model.horizon:
        model.step()
        c = model.batch.state.cities
        usual.append((c.usual_D[0] - rate * c.D[0]) / (1.0 - rate))
    cf = model.city_frame()
    ids = [str(i) for i in model.world.actors.ids[: model.world.n_cities]]
    pos = cf["id"].map({c: i for i, c in enumerate(ids)}).to_numpy()
    cf["usual_D"] = [usual[s][i] for s, i in zip(cf["step"].to_numpy(), pos, strict=True)]
    cf["month"] = cf["date"].astype(str).str[:7]
    cf["year"] = cf["month"].str[:4].astype(int)
    cf["E"] = (cf["D"] - cf["usual_D"]).clip(lower=0.0)
    cf.insert(0, "run", run)
    cf.insert(0, "scenario", name)
    return cf


def by_year(cf: pd.DataFrame) -> pd.DataFrame:
    """December of each year in YEARS (or the run's last month): capacity, D and E per city."""
    last = cf.groupby(["id", "year"]).tail(1)
    keep = last[last["year"].isin(YEARS) | (last["step"] == cf["step"].max())]
    return keep[["scenario", "run", "id", "year", "capacity", "D", "E"]]


def first_month(cf: pd.DataFrame) -> pd.DataFrame:
    """Each city's D, usual level U and excess E in the run's first month: a war under way at
    the start must read as one (E > 0)."""
    first = cf[cf["step"] == cf["step"].min()]
    return first[["scenario", "id", "D", "usual_D", "E"]]


def windows(cf: pd.DataFrame, scenario: str) -> pd.DataFrame:
    """Per window and target city: capacity before, lowest, at the end; regained inside."""
    rows = []
    for sc, name, first, last, ids in WINDOWS:
        if sc != scenario:
            continue
        for cid in ids:
            city = cf[cf["id"] == cid].sort_values("step")
            inside = (city["month"] >= first) & (city["month"] <= last)
            if not inside.any():
                continue
            before = city.loc[city["month"] < first, "capacity"]
            k0 = float(before.iloc[-1]) if len(before) else float(city["capacity"].iloc[0])
            steps = city["capacity"].diff()
            rise = steps[inside].clip(lower=0.0).sum()
            rows.append(
                {
                    "scenario": sc,
                    "run": city["run"].iloc[0],
                    "window": name,
                    "city": cid,
                    "months": int(inside.sum()),
                    "K before": k0,
                    "K lowest": float(city.loc[inside, "capacity"].min()),
                    "K at end": float(city.loc[inside, "capacity"].iloc[-1]),
                    "regained": float(rise),
                    "mean D": float(city.loc[inside, "D"].mean()),
                    "mean E": float(city.loc[inside, "E"].mean()),
                }
            )
    return pd.DataFrame(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", nargs="+", default=list(SCENARIOS))
    ap.add_argument("--out", type=Path, help="write the tables as markdown here")
    args = ap.parse_args()
    years, wins, starts = [], [], []
    for s in args.scenarios:
        for run in ("full", "calm"):
            cf = frame(s, run, {})
            years.append(by_year(cf))
            wins.append(windows(cf, s))
            if run == "full":
                starts.append(first_month(cf))
    table = pd.concat(years, ignore_index=True).round({"capacity": 3, "D": 3, "E": 3})
    text = [
        "Capacity regained inside each war or closure window (seed 0, default coefficients):",
        "",
        md_table(pd.concat(wins, ignore_index=True), 3),
        "",
        "The usual level U and the excess E in each city's first month (full run):",
        "",
        md_table(pd.concat(starts, ignore_index=True), 3),
        "",
        "Per city (capacity, D, E) in December of each year:",
        "",
        md_table(table, 3),
        "",
    ]
    publish(text, args.out)


if __name__ == "__main__":
    main()
