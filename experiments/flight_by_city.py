"""Who has fled, and from where: residents and fled people by city in each real case, over time.

For each real scenario two runs of seed 0 at the default coefficients (noise kept: this is the
default run a user sees):

- **full**: the scenario as encoded;
- **calm**: every event, programme and alliance removed, so only the cities' own violence moves
  people (the flight rule's response to a city's everyday violence).

Printed per scenario, city and year (the scenario's start, then 2000/2005/2010/2020/2035 where
the horizon reaches): the city's direct violence D, residents present and people who fled, and
the scenario's total fled. Cities with identical rows are folded into one ("a (+n)").

    nice -n 10 .venv/bin/python experiments/flight_by_city.py --out /tmp/flight.md
"""

from __future__ import annotations

import argparse
import copy
from pathlib import Path

import pandas as pd

from sim import PeaceModel
from sim.experiments.report import md_table, publish
from sim.scenario.loader import load_scenario

SCENARIOS = ("tuzla", "map", "seoul_pyongyang", "croatia_twinnings")
YEARS = (2000, 2005, 2010, 2020, 2035)


def calm(name: str):  # noqa: ANN201 - a Scenario
    """The scenario with every event, programme and alliance removed."""
    sc = copy.deepcopy(load_scenario(name))
    sc.events, sc.programmes, sc.alliances = [], [], []
    return sc


def by_city(name: str, run: str, params: dict) -> pd.DataFrame:
    """One row per city and year: D, residents and fled in December of that year (or at the
    horizon's last month)."""
    scenario = load_scenario(name) if run == "full" else calm(name)
    cf = PeaceModel(scenario, seed=0, params=params).run().city_frame()
    cf["year"] = pd.to_datetime(cf["date"].astype(str)).dt.year
    last = cf.groupby(["id", "year"]).tail(1)
    keep = last[last["year"].isin(YEARS) | (last["step"] == cf["step"].max())]
    out = keep[["id", "year", "D", "population", "fled"]].copy()
    out.insert(0, "run", run)
    out.insert(0, "scenario", name)
    return out


def totals(table: pd.DataFrame) -> pd.DataFrame:
    """Fled and residents summed over each scenario's cities, per run and year."""
    g = table.groupby(["scenario", "run", "year"], sort=False)
    return g[["population", "fled"]].sum().round(0).astype(int).reset_index()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", nargs="+", default=list(SCENARIOS))
    ap.add_argument("--out", type=Path, help="write the tables as markdown here")
    ap.add_argument("--persistence", type=float, help="galtung.persistence (default: its own)")
    args = ap.parse_args()
    params = {} if args.persistence is None else {"galtung": {"persistence": args.persistence}}
    table = pd.concat(
        [by_city(s, r, params) for s in args.scenarios for r in ("full", "calm")],
        ignore_index=True,
    )
    wide = table.round({"D": 3, "population": 0, "fled": 0})
    text = [
        "Totals over each scenario's municipalities (seed 0, default coefficients):",
        "",
        md_table(totals(table), 0),
        "",
        "Per city (D, residents present, fled) in December of each year:",
        "",
        md_table(wide, 3),
        "",
    ]
    publish(text, args.out)


if __name__ == "__main__":
    main()
