"""The loader's tables as mappings of numpy columns, made from its rows without pandas.

A scenario's actor and tie tables are small (tens to hundreds of rows): importing pandas to
hold them costs a command's first run about half a second of CPU, more than reading and
checking every file. The loader builds rows (dicts), checks references on these columns,
and hands the engine either a pandas frame of the rows (``load_scenario``'s default, as
before) or this mapping, the form a stored scenario reads back as
(``sim.cli.scenario_cache``; ``sim.engine.table_columns`` reads either).

:func:`columns_of` gives each column the dtype ``pandas.DataFrame(rows)`` infers, and the
values a stored frame reads back with (missing text is ``None``):
tests/test_table_rows.py checks it against pandas on every built-in scenario and policy.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

Columns = dict[str, np.ndarray]
_NUMBERS = (int, float, np.integer, np.floating)


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float | np.floating) and math.isnan(value))


def column(values: Sequence[Any]) -> np.ndarray:
    """One column as pandas infers it from Python values: all booleans ``bool``; all whole
    numbers ``int64``; numbers with floats or missing values ``float64`` (``None`` is NaN);
    anything else ``object``, with a missing value as ``None``."""
    present = [v for v in values if not _is_missing(v)]
    if (
        values
        and len(present) == len(values)
        and all(isinstance(v, bool | np.bool_) for v in values)
    ):
        return np.array(values, dtype=bool)
    numeric = all(isinstance(v, _NUMBERS) and not isinstance(v, bool | np.bool_) for v in present)
    if numeric and (present or any(v is not None for v in values)):  # all NaN: float64 too
        if len(present) == len(values) and all(isinstance(v, int | np.integer) for v in values):
            return np.array(values, dtype=np.int64)
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    out = np.empty(len(values), dtype=object)  # element by element: a value is never split
    for i, v in enumerate(values):
        out[i] = None if _is_missing(v) else v
    return out


def columns_of(rows: Sequence[Mapping[str, Any]], names: Iterable[str] | None = None) -> Columns:
    """``rows`` as a mapping of numpy columns, in ``names``' order or, as pandas orders
    them, each key where it first appears (a row without a key has it missing)."""
    if names is None:
        names = list(dict.fromkeys(k for row in rows for k in row))
    return {name: column([row.get(name) for row in rows]) for name in names}


def where(table: Mapping[str, Any], mask: np.ndarray) -> Columns:
    """The rows of ``table`` where ``mask`` holds."""
    return {name: np.asarray(values)[mask] for name, values in table.items()}


def equals(values: Any, wanted: Any) -> np.ndarray:
    """``values == wanted`` element by element, as pandas compares a column with a scalar
    (a value of another kind is simply unequal)."""
    return np.fromiter((v == wanted for v in np.asarray(values, dtype=object)), dtype=bool,
                       count=len(values))  # fmt: skip


def row_of(table: Mapping[str, Any], key: str, value: Any) -> dict[str, Any]:
    """The first row whose ``key`` column is ``value``, as a dict."""
    i = list(table[key]).index(value)
    return {name: values[i] for name, values in table.items()}
