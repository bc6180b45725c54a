"""A pattern's quantities over the runs of many seeds at once (``citypeace validate``'s matrix).

:func:`sim.experiments.patterns.aggregate` reads one run. Judging every pattern on every run that
way compared each run's date column with each window's bounds through pandas (arrow strings:
about 1 ms a comparison, 5,040 of them for tuzla's 150 runs, 23 times that with every null) and
read each series out of its frame once per pattern. :class:`SeedRuns` reads a run's dates once,
shares a window's mask among the runs with the same dates (every run of an ensemble) and reads
each series once per run; a run's aggregate is then the same numpy call on the same values as
``patterns.aggregate``, so the same float, and a per-seed verdict the same verdict.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments.patterns import (
    _AGG,
    _within,
    checked_spec,
    contrast_sign,
    holds,
    measure,
)

PER_RUN_KINDS = ("range", "ratio", "change")  # first_date reads dates, one run at a time


class SeedRuns(Sequence):
    """The runs of one model and policy, by seed (``None`` for a run that failed), read once.

    Still the sequence of frames, so anything that reads runs by seed can read it.
    """

    def __init__(self, runs: Sequence[pd.DataFrame | None]) -> None:
        self.runs = list(runs)
        keys: dict[tuple, int] = {}
        self._axes: list[tuple[np.ndarray | None, int]] = []  # each date axis and its months
        self._axis: list[int | None] = []  # each run's date axis (None: the run failed)
        for ts in self.runs:
            if ts is None:
                self._axis.append(None)
                continue
            dates = ts["date"].to_numpy(dtype=object) if "date" in ts else None
            key = ("dates", *dates) if dates is not None else ("rows", len(ts))
            if key not in keys:
                keys[key] = len(self._axes)
                self._axes.append((dates, len(ts)))
            self._axis.append(keys[key])
        self._masks: dict[tuple, np.ndarray] = {}
        self._columns: dict[tuple[int, str], np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.runs)

    def __getitem__(self, i: Any) -> Any:
        return self.runs[i]

    def __iter__(self) -> Iterator[pd.DataFrame | None]:
        return iter(self.runs)

    def _mask(self, axis: int, spec: dict[str, Any]) -> np.ndarray:
        """``patterns._window`` of every run on this date axis, computed once."""
        lo = str(spec["from"])[:7] if "from" in spec else None
        hi = str(spec["to"])[:7] if "to" in spec else None
        if (axis, lo, hi) not in self._masks:
            dates, months = self._axes[axis]
            if dates is None and (lo is not None or hi is not None):
                raise KeyError("date")  # as patterns._window: a window needs dates
            mask = np.ones(months, dtype=bool)
            if lo is not None:
                mask &= dates >= lo
            if hi is not None:
                mask &= dates <= hi
            self._masks[(axis, lo, hi)] = mask
        return self._masks[(axis, lo, hi)]

    def _column(self, i: int, series: str) -> np.ndarray:
        if (i, series) not in self._columns:
            self._columns[(i, series)] = self.runs[i][series].to_numpy(dtype=float)
        return self._columns[(i, series)]

    def aggregate(self, spec: dict[str, Any], pattern_id: str = "?") -> np.ndarray:
        """``patterns.aggregate`` of each run (NaN where a run failed)."""
        out = np.full(len(self.runs), np.nan)
        for i, ts in enumerate(self.runs):
            if ts is None:
                continue
            series, agg = checked_spec(ts, spec, pattern_id)
            values = self._column(i, series)[self._mask(self._axis[i], spec)]
            if values.size:
                out[i] = float(_AGG[agg](values))
        return out

    def measures(self, pattern: dict[str, Any]) -> list[Any]:
        """``patterns.measure`` of each run (None where a run failed)."""
        kind, pid = pattern["kind"], pattern["id"]
        if kind not in PER_RUN_KINDS:  # first_date, and the error for an unknown kind
            return [None if ts is None else measure(pattern, ts) for ts in self.runs]
        if kind == "range":
            values = self.aggregate(pattern, pid).tolist()
        elif kind == "ratio":
            num = self.aggregate(pattern["numerator"], pid).tolist()
            den = self.aggregate(pattern["denominator"], pid).tolist()
            values = [n / d if d else (float("inf") if n > 0 else float("nan"))
                      for n, d in zip(num, den, strict=True)]  # fmt: skip
        else:  # change: a difference, as patterns.measure
            before = self.aggregate(pattern["before"], pid).tolist()
            after = self.aggregate(pattern["after"], pid).tolist()
            values = [a - b for a, b in zip(after, before, strict=True)]
        return [None if ts is None else v for v, ts in zip(values, self.runs, strict=True)]

    def held(self, pattern: dict[str, Any]) -> np.ndarray:
        """``patterns.holds`` of each run (False where a run failed)."""
        if pattern["kind"] not in PER_RUN_KINDS:
            return np.array([ts is not None and holds(pattern, ts) for ts in self.runs], bool)
        values = self.measures(pattern)
        return np.array([v is not None and _within(float(v), pattern) for v in values], bool)


def seed_runs(runs: Sequence[pd.DataFrame | None]) -> SeedRuns:
    """``runs`` as a :class:`SeedRuns` (itself when it is one already)."""
    return runs if isinstance(runs, SeedRuns) else SeedRuns(runs)


def contrast_differences(
    pattern: dict[str, Any],
    baseline: Sequence[pd.DataFrame | None],
    policy: Sequence[pd.DataFrame | None],
) -> np.ndarray:
    """``patterns.contrast_differences`` over seed runs: the sign times the baseline's
    aggregate minus the policy's, seed by seed (NaN where either run failed)."""
    sign = contrast_sign(pattern)
    base, other = seed_runs(baseline), seed_runs(policy)
    if len(base) != len(other):
        raise ValueError("a contrast pairs one baseline run with one policy run per seed")
    pid = pattern["id"]
    return sign * (base.aggregate(pattern, pid) - other.aggregate(pattern, pid))
