"""Arrow tables of a run, built from its arrays without row-wise Python work, and written.

Every table gets the run's provenance in its Parquet metadata and each known column's unit and
description in its Arrow field metadata (``sim.outputs.dictionary``). Writes are atomic
(``sim.outputs.atomic.write_parquet``), and a pandas frame is converted column by column when
it is plain.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from sim.outputs import arrow_arrays, dictionary
from sim.outputs.provenance import metadata

_EPOCH_MONTH = 1970 * 12  # numpy's datetime64[M] counts months from 1970-01


def month_dates(months: np.ndarray) -> pa.Array:
    """Months since year 0 -> Arrow date32 (each month's first day)."""
    months = np.asarray(months, dtype=np.int64)
    if months.size > 64:  # each distinct month's day once, then looked up: the same days
        lo, hi = int(months.min()), int(months.max())
        if hi - lo < months.size:  # numpy's month-to-day conversion is calendar work per
            # element: a tenth of a second for the million rows of 10,000 cities' months
            days = _first_days(np.arange(lo, hi + 1, dtype=np.int64)).astype(np.int32)
            return arrow_arrays.dates(days[months - lo])
    return arrow_arrays.dates(_first_days(months))


def _first_days(months: np.ndarray) -> np.ndarray:
    """Months since year 0 -> each month's first day, as days since 1970-01-01 (datetime64)."""
    return (months - _EPOCH_MONTH).astype("datetime64[M]").astype("datetime64[D]")


def month_text_dates(text: Any) -> pa.Array:
    """'YYYY-MM' texts -> Arrow date32 (each month's first day), parsed by numpy in C."""
    as_month = np.asarray(text, dtype=str).astype("datetime64[M]")
    return arrow_arrays.dates(as_month.astype("datetime64[D]"))


def with_dates(frame: Any) -> pa.Table:
    """A run's wide time series (a pandas frame whose ``date`` is 'YYYY-MM' text, as
    ``PeaceModel.timeseries()`` returns it, or a mapping of its columns' arrays, as
    ``Outputs.timeseries_columns`` does) as an Arrow table whose ``date`` is a date32.

    The other columns are numbers and go through :func:`from_frame`'s direct path.
    """
    if isinstance(frame, Mapping):  # the same table, without pandas' per-column work
        return arrow_arrays.table(
            {name: month_text_dates(v) if name == "date" else v for name, v in frame.items()}
        )
    if "date" not in frame.columns:
        return from_frame(frame)
    table = from_frame(frame.drop(columns="date"))
    where = list(frame.columns).index("date")
    return table.add_column(where, "date", month_text_dates(frame["date"].to_numpy()))


def repeated_text(labels: Sequence[str], codes: np.ndarray) -> pa.Array:
    """``labels[codes]`` as an Arrow string array; a negative code is a null
    (:func:`sim.outputs.arrow_arrays.repeated`)."""
    return arrow_arrays.repeated(labels, codes)


def categorical(labels: Sequence[str], codes: np.ndarray) -> pa.DictionaryArray:
    """``labels[codes]`` kept dictionary-encoded (a pandas Categorical when read)."""
    return pa.DictionaryArray.from_arrays(
        arrow_arrays.numbers(np.asarray(codes, dtype=np.int32)), arrow_arrays.text(list(labels))
    )


def from_frame(frame: Any) -> pa.Table:
    """A pandas DataFrame as an Arrow table (without its index)."""
    from sim.outputs.atomic import _plain_table

    table = _plain_table(frame)
    return table if table is not None else pa.Table.from_pandas(frame, preserve_index=False)


def describe(
    table: pa.Table,
    name: str,
    prov: Mapping[str, Any] | None,
    units: Mapping[str, dictionary.Entry] | None = None,
) -> pa.Table:
    """``table`` with field metadata (unit, description) and the provenance in its schema.

    ``units``: entries for columns the table's own dictionary section does not list (the wide
    time series' columns, by the variable each one is).
    """
    known = dictionary.TABLES.get(name, {})
    fields = []
    for field in table.schema:
        entry = known.get(field.name) or (units or {}).get(field.name)
        if entry is not None:
            field = field.with_metadata({"unit": entry.unit, "description": entry.description})
        fields.append(field)
    meta = dict(table.schema.metadata or {})
    if prov is not None:
        meta.update(metadata(dict(prov)))
    return pa.Table.from_arrays(table.columns, schema=pa.schema(fields, metadata=meta))


def write(table: Any, path: Path, name: str, prov: Mapping[str, Any] | None = None,
          units: Mapping[str, dictionary.Entry] | None = None) -> Path:  # fmt: skip
    """A table (Arrow, or a pandas frame) as Parquet at ``path``, atomically, described."""
    from sim.outputs.atomic import write_parquet

    arrow = table if isinstance(table, pa.Table) else from_frame(table)
    return write_parquet(describe(arrow, name, prov, units), path)
