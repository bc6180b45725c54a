"""A scenario table's columns as numpy arrays, whether the table is a pandas frame (as the
loader and the synthetic generator make it) or a mapping of numpy columns (as a stored
scenario reads back, ``sim.cli.scenario_cache``, so that a repeated run needs no pandas).

A pandas frame is read as the world always read it; a mapping gives the same arrays
(tests/test_run_cache.py: the same outputs either way).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def _mapping(table: Any) -> bool:
    return isinstance(table, dict)


def names(table: Any) -> list[str]:
    """The table's column names."""
    return list(table if _mapping(table) else table.columns)


def has(table: Any, name: str) -> bool:
    return name in names(table)


def n_rows(table: Any) -> int:
    return len(next(iter(table.values()), ())) if _mapping(table) else len(table)


def values(table: Any, name: str, dtype: Any = None) -> np.ndarray:
    """A column as a numpy array (``dtype``: converted to it; text: an object array with None
    where a value is missing)."""
    if _mapping(table):
        array = table[name]
        return array if dtype is None else array.astype(dtype)
    return table[name].to_numpy(dtype=dtype)


def rows_in_order(table: Any, order: np.ndarray) -> Any:
    """The table's rows in ``order`` (a new table, numbered from 0)."""
    if _mapping(table):
        return {name: column[order] for name, column in table.items()}
    return table.iloc[order].reset_index(drop=True)


def renumbered(table: Any) -> Any:
    """The table with its rows numbered from 0 (a frame's own index dropped)."""
    return table if _mapping(table) else table.reset_index(drop=True)


def codes(table: Any, name: str, categories: Sequence[str]) -> np.ndarray:
    """Each row's position in ``categories`` (-1: missing, or not one of them), as
    ``pd.Categorical(column, categories).codes``."""
    if not _mapping(table):
        import pandas as pd  # a frame: pandas is there already

        column = table[name]
        return pd.Categorical(column, categories=list(categories)).codes.astype(np.int64)
    # numpy: each distinct value looked up once, the rows through their inverse indices
    column = table[name]
    present = np.not_equal(column, None)
    where = {c: i for i, c in enumerate(categories)}
    out = np.full(column.size, -1, dtype=np.int64)
    if present.any():
        distinct, inverse = np.unique(column[present].astype(str), return_inverse=True)
        lookup = np.array([where.get(v, -1) for v in distinct.tolist()], dtype=np.int64)
        out[present] = lookup[inverse.reshape(-1)]
    return out
