"""How a coefficient is declared and checked: ``param``, ``validate_ranges``, ``parameter_rows``.

Each field of the parameter dataclasses (``sim.engine.params``) carries metadata: ``unit``,
``range`` (inclusive) and ``why`` (a source as ``file:line`` into ``shared/seeds``, a published
figure named in docs/parameters.md's References, or the word *assumption* with a reason).
``validate_ranges`` enforces the ranges before a run starts; ``parameter_rows`` lists them for
the table in ``docs/parameters.md``.
"""

from __future__ import annotations

import math
from dataclasses import field, fields, is_dataclass
from typing import Any

from sim.errors import ConfigError


def param(default: float, lo: float, hi: float, unit: str, why: str, tuned_on: str = "") -> Any:
    """A documented coefficient: its default, inclusive range, unit and reason.

    ``tuned_on`` names the patterns (``scenario:pattern``) the value was set from, if any: such
    a pattern is a calibration, not evidence (``role: calibration`` in its patterns.yaml).
    """
    meta = {"range": (lo, hi), "unit": unit, "why": why, "tuned_on": tuned_on}
    return field(default=default, metadata=meta)


def validate_ranges(obj: Any, prefix: str) -> None:
    """Raise ConfigError for the first value outside its declared range (or NaN)."""
    for f in fields(obj):
        value = getattr(obj, f.name)
        key = f"{prefix}.{f.name}"
        if is_dataclass(value):
            validate_ranges(value, key)
            continue
        rng = f.metadata.get("range")
        if rng is None or value is None:
            continue
        lo, hi = rng
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError("config", key, value, f"a number in [{lo}, {hi}]")
        if not math.isfinite(value) or not lo <= value <= hi:
            raise ConfigError(
                "config", key, value, f"a number in [{lo}, {hi}] ({f.metadata['unit']})"
            )


def parameter_rows(obj: Any, prefix: str) -> list[dict[str, Any]]:
    """Rows (key, default, unit, range, why, tuned_on) of a parameter dataclass, recursively."""
    rows: list[dict[str, Any]] = []
    for f in fields(obj):
        value = getattr(obj, f.name)
        key = f"{prefix}.{f.name}"
        if is_dataclass(value):
            rows.extend(parameter_rows(value, key))
        elif "range" in f.metadata:
            rows.append(
                {
                    "key": key,
                    "default": value,
                    "unit": f.metadata["unit"],
                    "range": f.metadata["range"],
                    "why": f.metadata["why"],
                    "tuned_on": f.metadata.get("tuned_on", ""),
                }
            )
    return rows
