"""What experiments/credibility.py's measurements share: a row of the table, an ensemble's
timeseries with a 0-based month, a value per seed at a month, and a median with its range."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.engine.ensemble import Ensemble

ALL_PILLARS = ("humanitarian", "development", "peace")


@dataclass
class Row:
    """One complaint: the issue's figure, today's, the setting, the verdict and why."""

    key: str
    complaint: str
    issue_figure: str
    today: str
    value: float  # the headline number of ``today`` (its median)
    low: float
    high: float
    setting: str
    criterion: str
    verdict: str
    why: str


def run(world: object, seeds: Sequence[int], policy: str = "baseline") -> pd.DataFrame:
    """The ensemble's timeseries: one row per (replicate, month), ``month`` 0-based."""
    ts = Ensemble(world, seeds=seeds, policies=[policy]).run().timeseries()
    ts = ts.sort_values(["replicate", "step"]).reset_index(drop=True)
    ts["month"] = ts.groupby("replicate").cumcount()
    ts["ym"] = pd.to_datetime(ts["date"]).dt.strftime("%Y-%m")
    return ts


def at(ts: pd.DataFrame, column: str, month: int | str) -> np.ndarray:
    """``column`` at a 0-based month (or a ``YYYY-MM``) for every replicate, in seed order."""
    rows = ts[ts["ym"] == month] if isinstance(month, str) else ts[ts["month"] == month]
    return rows.sort_values("replicate")[column].to_numpy(dtype=float)


def fmt(values: np.ndarray, sign: bool = False) -> str:
    """Median and range of ``values``: ``0.12 (0.10-0.14)``, one number if they agree."""
    med, lo, hi = np.median(values), values.min(), values.max()
    f = "{:+.3f}" if sign else "{:.3f}"
    return (
        f.format(med) if hi - lo < 5e-4 else f"{f.format(med)} ({f.format(lo)} to {f.format(hi)})"
    )


def row(key: str, values: np.ndarray, **text: str) -> Row:
    return Row(
        key=key,
        value=float(np.median(values)),
        low=float(values.min()),
        high=float(values.max()),
        **text,
    )
