"""What does each city do without events: the starting transient of the real cases.

For each scenario, the same cities with the same coefficients and seed (noise off):

- **full**: the scenario as encoded;
- **calm**: every event, programme and alliance removed, so nothing outside the cities moves
  them (ties, trust, hostility, capacity's own recovery and the cities' dynamics stay).

The calm run's change of D, S, C, needs, cohesion and capacity after 2 and 10 years is what the
model does by itself from the encoded start; a start at a stable equilibrium changes only by
what capacity's own recovery explains. The years the issue names are read from the full run.
It measures the code it imports: run it once on a branch and once with ``PYTHONPATH`` pointing
at another checkout to compare rules (the scenarios are read from the imported package).

    nice -n 10 .venv/bin/python experiments/starting_transient.py --out /tmp/new.md
    PYTHONPATH=/work/main nice -n 10 .venv/bin/python experiments/starting_transient.py
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
COLUMNS = ("D", "S", "C", "needs", "cohesion", "capacity")
YEARS = (2, 10)
PARAMS = {"galtung": {"noise": 0.0}}
# Capacity held at its start: no recovery, depreciation or damage (what is left of the calm
# run's change is not capacity's own recovery).
HELD = {**PARAMS, "recovery": {"rate": 0.0, "depreciation": 0.0, "damage": 0.0}}


def settled(name: str):  # noqa: ANN201 - a Scenario
    """The scenario with every event, programme and alliance removed."""
    sc = copy.deepcopy(load_scenario(name))
    sc.events, sc.programmes, sc.alliances = [], [], []
    return sc


def frame(scenario, params: dict = PARAMS) -> pd.DataFrame:  # noqa: ANN001
    """(step, id) -> the city columns of a noise-free run, seed 0; step s is after month s."""
    model = PeaceModel(scenario, seed=0, params=params).run()
    return model.city_frame().set_index(["step", "id"])


def calm_changes(name: str) -> pd.DataFrame:
    """One row per city: its encoded start and the calm run's change after each of YEARS."""
    calm = frame(settled(name))
    held = frame(settled(name), HELD)
    start = calm.xs(0, level="step")  # after month 0: D, S, C at their first step
    first = load_scenario(name).actors.set_index("id")
    rows = []
    for city in start.index:
        row = {"scenario": name, "city": city}
        for col in COLUMNS:
            x0 = float(first.loc[city, _encoded(col)]) if _encoded(col) in first else None
            x0 = float(start.loc[city, col]) if x0 is None or pd.isna(x0) else x0
            row[f"{col}0"] = x0
            for y in YEARS:
                row[f"d{col}_{y}y"] = float(calm.loc[(12 * y - 1, city), col]) - x0
        for col in ("D", "S", "C"):  # the same with capacity held
            row[f"d{col}_10y_heldK"] = float(held.loc[(119, city), col]) - row[f"{col}0"]
        rows.append(row)
    return pd.DataFrame(rows)


def _encoded(col: str) -> str:
    return {"D": "direct_violence", "S": "structural_violence", "C": "cultural_violence"}.get(
        col, col
    )


# (scenario, city, first month, last month): the years the issue names.
WINDOWS = (
    ("map", "ps_city_01", "2000-09", "2005-02"),  # the Second Intifada
    ("seoul_pyongyang", "kp_provinces", "1995-08", "1998-12"),  # the famine
    ("seoul_pyongyang", "pyongyang", "1995-08", "1998-12"),
    ("tuzla", "tuzla", "1995-12", "1997-12"),  # Bosnia's deprivation fell fastest
)
# (scenario, city, date): D at a date, in the full and the calm run.
POINTS = (
    ("map", "ps_city_01", "2015-01"),
    ("seoul_pyongyang", "kp_provinces", "2035-01"),
    ("seoul_pyongyang", "kp_provinces", "2000-01"),
)


def windows() -> pd.DataFrame:
    """Change of D, S, C and needs over each window of WINDOWS in the full run."""
    rows = []
    for name, city, first, last in WINDOWS:
        cf = PeaceModel(name, seed=0, params=PARAMS).run().city_frame()
        f = cf[cf["id"] == city].set_index("date")
        row = {"scenario": name, "city": city, "window": f"{first}..{last}"}
        for col in ("D", "S", "C", "needs"):
            row[f"{col}0"] = f.loc[first, col]
            row[f"d{col}"] = f.loc[last, col] - f.loc[first, col]
        rows.append(row)
    return pd.DataFrame(rows)


def points() -> pd.DataFrame:
    """D of POINTS in the full and the calm run, with fled in each."""
    rows = []
    for name, city, date in POINTS:
        row = {"scenario": name, "city": city, "date": date}
        for run, sc in (("full", name), ("calm", settled(name))):
            cf = PeaceModel(sc, seed=0, params=PARAMS).run().city_frame()
            f = cf[cf["id"] == city].set_index("date")
            row[f"D_{run}"] = f.loc[date, "D"]
            row[f"fled_{run}"] = cf[cf["date"] == date]["fled"].sum()
        rows.append(row)
    return pd.DataFrame(rows)


def fold(table: pd.DataFrame) -> pd.DataFrame:
    """Cities with identical rounded rows folded into one ("a (+n)")."""
    values = [c for c in table.columns if c not in ("scenario", "city")]
    rounded = table.round(3)
    out = rounded.groupby(["scenario", *values], sort=False, as_index=False).agg(
        city=("city", lambda c: c.iloc[0] + (f" (+{len(c) - 1})" if len(c) > 1 else ""))
    )
    return out[["scenario", "city", *values]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", nargs="+", default=list(SCENARIOS))
    ap.add_argument("--out", type=Path, help="write the tables as markdown here")
    args = ap.parse_args()
    table = pd.concat([calm_changes(s) for s in args.scenarios], ignore_index=True)
    cols = [f"d{c}_{y}y" for c in ("D", "S", "C") for y in YEARS]
    cols += [f"d{c}_10y_heldK" for c in ("D", "S", "C")]
    means = table.groupby("scenario", sort=False)[cols].apply(lambda f: f.abs().mean())
    text = [
        "Calm runs (no events, programmes or alliances), seed 0, noise off: change from the "
        "encoded start (`heldK`: capacity held at its start). Mean |change| over each scenario's "
        "municipalities:",
        "",
        md_table(means.reset_index().round(3), 3),
        "",
        "Per city (signed; identical cities folded):",
        "",
        md_table(fold(table), 3),
        "",
        "D at named dates, full and calm run (fled: the scenario's total):",
        "",
        md_table(points().round(3), 3),
        "",
        "The years the issue names, in the full run:",
        "",
        md_table(windows().round(3), 3),
    ]
    publish(text, args.out)


if __name__ == "__main__":
    main()
