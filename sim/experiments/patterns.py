"""Stylised facts as machine-checkable assertions over a run's time series.

A scenario's ``patterns.yaml`` lists them (kinds ``range``, ``ratio``, ``first_date`` and
``contrast``; see docs/scenario-format.md). ``holds`` checks one per-seed pattern on one run;
``contrast_difference`` compares a baseline ensemble with a policy ensemble.
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import ScenarioError

_AGG = {
    "sum": np.sum,
    "mean": np.mean,
    "max": np.max,
    "min": np.min,
    "last": lambda v: v[-1],
    "first": lambda v: v[0],
    "median": np.median,
}
_OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq}


def _window(ts: pd.DataFrame, spec: dict[str, Any]) -> pd.DataFrame:
    mask = np.ones(len(ts), dtype=bool)
    if "from" in spec:
        mask &= (ts["date"] >= str(spec["from"])[:7]).to_numpy()
    if "to" in spec:
        mask &= (ts["date"] <= str(spec["to"])[:7]).to_numpy()
    return ts[mask]


def aggregate(ts: pd.DataFrame, spec: dict[str, Any], pattern_id: str = "?") -> float:
    """The aggregate (sum, mean, max, ...) of one series over a date window."""
    series = spec.get("series")
    if series not in ts:
        raise ScenarioError(
            "patterns.yaml",
            f"{pattern_id}.series",
            series,
            "a time-series column (see docs/scenario-format.md)",
        )
    agg = spec.get("agg", "mean")
    if agg not in _AGG:
        raise ScenarioError("patterns.yaml", f"{pattern_id}.agg", agg, f"one of {list(_AGG)}")
    values = _window(ts, spec)[series].to_numpy(dtype=float)
    if values.size == 0:
        return float("nan")
    return float(_AGG[agg](values))


def _within(value: float, spec: dict[str, Any]) -> bool:
    if not np.isfinite(value):
        return False
    lo, hi = spec.get("min"), spec.get("max")
    return (lo is None or value >= lo) and (hi is None or value <= hi)


def measure(pattern: dict[str, Any], ts: pd.DataFrame) -> float | str | None:
    """The quantity a per-seed pattern is about (for reports)."""
    kind = pattern["kind"]
    if kind == "range":
        return aggregate(ts, pattern, pattern["id"])
    if kind == "ratio":
        num = aggregate(ts, pattern["numerator"], pattern["id"])
        den = aggregate(ts, pattern["denominator"], pattern["id"])
        return num / den if den else (float("inf") if num > 0 else float("nan"))
    if kind == "first_date":
        series = pattern.get("series")
        if series not in ts:
            raise ScenarioError(
                "patterns.yaml", f"{pattern['id']}.series", series, "a time-series column"
            )
        op = _OPS.get(pattern.get("op", ">="))
        if op is None:
            raise ScenarioError(
                "patterns.yaml", f"{pattern['id']}.op", pattern.get("op"), f"one of {list(_OPS)}"
            )
        hit = ts[op(ts[series].to_numpy(dtype=float), float(pattern["value"]))]
        return None if hit.empty else str(hit["date"].iloc[0])
    raise ScenarioError(
        "patterns.yaml", f"{pattern['id']}.kind", kind, "a per-seed kind (range, ratio, first_date)"
    )


def holds(pattern: dict[str, Any], ts: pd.DataFrame) -> bool:
    """Does a per-seed pattern hold in this run?"""
    value = measure(pattern, ts)
    if pattern["kind"] == "first_date":
        if pattern.get("never"):
            return value is None
        if value is None:
            return False
        lo, hi = pattern.get("from"), pattern.get("to")
        return (lo is None or value >= str(lo)[:7]) and (hi is None or value <= str(hi)[:7])
    return _within(float(value), pattern)


def contrast_difference(
    pattern: dict[str, Any], baseline: list[pd.DataFrame], policy: list[pd.DataFrame]
) -> float:
    """Median over paired seeds of the expected gap for the pattern's aggregate.

    ``direction: lower`` (the default) expects the policy below the baseline and measures
    baseline - policy; ``direction: higher`` expects it above and measures policy - baseline.
    Seed s of the baseline is paired with seed s of the policy.
    """
    direction = pattern.get("direction", "lower")
    if direction not in ("lower", "higher"):
        raise ScenarioError(
            "patterns.yaml", f"{pattern['id']}.direction", direction, "lower or higher"
        )
    sign = 1.0 if direction == "lower" else -1.0
    diffs = [
        sign * (aggregate(b, pattern, pattern["id"]) - aggregate(p, pattern, pattern["id"]))
        for b, p in zip(baseline, policy, strict=True)
    ]
    return float(np.median(diffs))
