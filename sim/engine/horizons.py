"""Outcomes at Lederach's horizons: crisis, design and vision (ODD 7.9; 004:1924-2000).

Lederach's time horizons are crisis response (1-2 years after fighting), the design of social
systems (5-10 years) and a vision of 20 years or more. A run's outcomes are read 2, 10 and 20
years after each *anchor*: the scenario's reference date (``reference_date`` in scenario.yaml;
the start when it has none) and each programme's start. :func:`horizon_table` is a small
per-run table, one row per (anchor, horizon, metric), NaN where the run ends earlier.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sim.scenario.dates import format_month, parse_month

if TYPE_CHECKING:
    from sim.engine.world import World

HORIZON_MONTHS = {"crisis": 24, "design": 120, "vision": 240}
# Levels read at each horizon: the recipient side (the dashboard's default), the cross-divide
# side and the population-weighted indices.
METRICS = (
    "peace_recipients",
    "positive_peace_recipients",
    "negative_peace_recipients",
    "capacity_recipients",
    "needs_recipients",
    "peace_divided",
    "peace",
)
COLUMNS = ["anchor", "anchor_date", "horizon", "months", "date", "metric", "value"]


def anchors(world: World) -> dict[str, int]:
    """Anchor name -> step: ``reference`` (the scenario's reference date, else its start) and
    ``programme:<id>`` (each programme's start)."""
    case = world.case
    reference = getattr(case, "reference_date", None)
    ref_step = 0
    if reference is not None:
        ref_step = parse_month(reference) if isinstance(reference, str) else int(reference)
        ref_step -= case.start
    out = {"reference": int(ref_step)}
    for pid, start in zip(world.programme_ids, world.prog_start.tolist(), strict=True):
        out[f"programme:{pid}"] = int(start)
    return out


def horizon_table(ts: pd.DataFrame, anchors: dict[str, int], start: int) -> pd.DataFrame:
    """One row per (anchor, horizon, metric): the metric's value in the last month of the
    horizon (NaN past the end of the run or before its start); ``start`` is the scenario's
    first month (months since year 0)."""
    metrics = [m for m in METRICS if m in ts.columns]
    values = {m: ts[m].to_numpy() for m in metrics}
    rows = []
    for anchor, step in anchors.items():
        for name, months in HORIZON_MONTHS.items():
            at = step + months - 1  # the horizon's last month
            inside = 0 <= at < len(ts)
            for m in metrics:
                rows.append(
                    (
                        anchor,
                        format_month(start + step),
                        name,
                        months,
                        format_month(start + at),
                        m,
                        float(values[m][at]) if inside else np.nan,
                    )
                )
    return pd.DataFrame(rows, columns=COLUMNS)
