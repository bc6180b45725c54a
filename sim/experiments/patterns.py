"""Stylised facts as machine-checkable assertions over a run's time series.

A scenario's ``patterns.yaml`` lists them (kinds ``range``, ``ratio``, ``change``,
``first_date`` and ``contrast``; see docs/scenario-format.md;
``sim.experiments.pattern_schema`` checks the file).
``holds`` checks one per-seed pattern on one run. A contrast is judged per pair of runs with the
same seed, one under the baseline and one under the pattern's policy: ``contrast_differences``
gives the gap of each pair, ``contrast_holds`` whether each pair meets the threshold, and
``median_interval`` the median gap with a bootstrap 95% interval.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
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


def _window(ts: pd.DataFrame, spec: dict[str, Any]) -> np.ndarray:
    """The rows (months) inside the spec's date window, as a mask: the caller picks its one
    column first, rather than copying every column of the run's rows."""
    mask = np.ones(len(ts), dtype=bool)
    if "from" in spec:
        mask &= (ts["date"] >= str(spec["from"])[:7]).to_numpy()
    if "to" in spec:
        mask &= (ts["date"] <= str(spec["to"])[:7]).to_numpy()
    return mask


def checked_spec(ts: pd.DataFrame, spec: dict[str, Any], pattern_id: str = "?") -> tuple[str, str]:
    """The spec's series (a column of ``ts``) and aggregate; ScenarioError when either is not."""
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
    return series, agg


def aggregate(ts: pd.DataFrame, spec: dict[str, Any], pattern_id: str = "?") -> float:
    """The aggregate (sum, mean, max, ...) of one series over a date window."""
    series, agg = checked_spec(ts, spec, pattern_id)
    values = ts[series].to_numpy(dtype=float)[_window(ts, spec)]
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
    if kind == "change":  # a difference, not a ratio: indices near 0 stay meaningful
        before = aggregate(ts, pattern["before"], pattern["id"])
        return aggregate(ts, pattern["after"], pattern["id"]) - before
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
        "patterns.yaml",
        f"{pattern['id']}.kind",
        kind,
        "a per-seed kind (range, ratio, change, first_date)",
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


def contrast_differences(
    pattern: dict[str, Any],
    baseline: Sequence[pd.DataFrame | None],
    policy: Sequence[pd.DataFrame | None],
) -> np.ndarray:
    """The expected gap of each seed pair, for the pattern's aggregate (NaN for a missing run).

    ``direction: lower`` (the default) expects the policy below the baseline and measures
    baseline - policy; ``direction: higher`` expects it above and measures policy - baseline.
    Item s of ``baseline`` is paired with item s of ``policy`` (the same seed).
    """
    sign = contrast_sign(pattern)
    diffs = [
        np.nan
        if b is None or p is None
        else sign * (aggregate(b, pattern, pattern["id"]) - aggregate(p, pattern, pattern["id"]))
        for b, p in zip(baseline, policy, strict=True)
    ]
    return np.asarray(diffs, dtype=float)


def contrast_sign(pattern: dict[str, Any]) -> float:
    """1 when the policy is expected below the baseline (``direction: lower``), -1 above."""
    direction = pattern.get("direction", "lower")
    if direction not in ("lower", "higher"):
        raise ScenarioError(
            "patterns.yaml", f"{pattern['id']}.direction", direction, "lower or higher"
        )
    return 1.0 if direction == "lower" else -1.0


def contrast_holds(pattern: dict[str, Any], diffs: np.ndarray) -> np.ndarray:
    """Per seed pair: does the gap reach ``min_difference``? (A missing pair does not.)"""
    threshold = float(pattern.get("min_difference", 0.0))
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(diffs), diffs >= threshold, False)


def contrast_difference(
    pattern: dict[str, Any], baseline: list[pd.DataFrame], policy: list[pd.DataFrame]
) -> float:
    """Median over paired seeds of the expected gap (see :func:`contrast_differences`)."""
    return float(np.nanmedian(contrast_differences(pattern, baseline, policy)))


def median_interval(
    diffs: np.ndarray, draws: int = 2000, seed: int = 0, level: float = 0.95
) -> tuple[float, float, float]:
    """(median, low, high): the median of the finite values and a percentile-bootstrap interval.

    The resamples come from their own seeded generator, so the interval is reproducible. NaN
    throughout when no value is finite.
    """
    values = np.asarray(diffs, dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return float("nan"), float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    medians = np.median(rng.choice(values, size=(draws, values.size), replace=True), axis=1)
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.percentile(medians, [tail, 100.0 - tail])
    return float(np.median(values)), float(low), float(high)
