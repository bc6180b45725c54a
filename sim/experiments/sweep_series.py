"""One dataset of every run's monthly series in a sweep: ``<sweep>/series/``.

Each completed run adds one Parquet file, ``series/run_id=<run_id>/part-0.parquet`` (a Hive
partition by run id), written before the run's ``status.json`` so that a completed run always
has it. Every file has the same long schema, whatever the scenario or policy:

    date      date32     the first day of the month
    step      int32      months since the scenario start (0 = the first month)
    variable  string     the series: a column of the run's timeseries.parquet up to any '@'
    entity    string     the city after '@' (``peace@tuzla``); empty for the other series
    value     float64

and the partition adds ``run_id`` (a string), which joins with ``summary.parquet``. One call
reads the whole sweep::

    pd.read_parquet("multirun/s/series")                       # pandas (pyarrow)
    pl.read_parquet("multirun/s/series/**/*.parquet", hive_partitioning=True)   # polars
    duckdb.sql("FROM read_parquet('multirun/s/series/**/*.parquet', hive_partitioning=1)")

and :func:`read_series` reads a part of it (a variable, an entity, some runs) without reading
the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

SERIES = "series"
PART = "part-0.parquet"


def partition(run_id: str) -> str:
    """A run's file in the dataset, relative to the sweep folder."""
    return f"{SERIES}/run_id={run_id}/{PART}"


def schema() -> Any:
    """The Arrow schema of every file (the partition adds ``run_id``)."""
    import pyarrow as pa

    return pa.schema(
        [
            ("date", pa.date32()),
            ("step", pa.int32()),
            ("variable", pa.string()),
            ("entity", pa.string()),
            ("value", pa.float64()),
        ]
    )


def long_table(ts: pd.DataFrame) -> Any:
    """A run's wide time series as the dataset's long Arrow table (one row per month and
    series), built column by column without row-wise Python work."""
    import pyarrow as pa

    # ts.dtypes, not ts[c].dtype: a hundred column lookups cost more than the rest together.
    columns = [
        c for c, kind in ts.dtypes.items()
        if c not in ("date", "step") and np.issubdtype(kind, np.number)
    ]  # fmt: skip
    months = len(ts)
    dates = pd.to_datetime(ts["date"].astype(str), format="%Y-%m").to_numpy("datetime64[D]")
    steps = (
        ts["step"].to_numpy(np.int32) if "step" in ts.columns else np.arange(months, dtype=np.int32)
    )
    names = [c.partition("@") for c in columns]
    variables = pa.DictionaryArray.from_arrays(
        np.repeat(np.arange(len(columns), dtype=np.int32), months),
        pa.array([n[0] for n in names], pa.string()),
    )
    entities = pa.DictionaryArray.from_arrays(
        np.repeat(np.arange(len(columns), dtype=np.int32), months),
        pa.array([n[2] for n in names], pa.string()),
    )
    values = ts[columns].to_numpy(np.float64).T.reshape(-1) if columns else np.empty(0)
    return pa.table(
        {
            "date": pa.array(np.tile(dates, len(columns)), pa.date32()),
            "step": np.tile(steps, len(columns)),
            "variable": variables.cast(pa.string()),
            "entity": entities.cast(pa.string()),
            "value": values,
        },
        schema=schema(),
    )


def write_series(ts: pd.DataFrame, sweep_dir: Path, run_id: str) -> str:
    """Write a run's file into the sweep's dataset (atomically); returns its relative path."""
    import pyarrow.parquet as pq

    from sim.io import atomic_write

    name = partition(run_id)
    table = long_table(ts)
    atomic_write(Path(sweep_dir) / name, lambda tmp: pq.write_table(table, tmp))
    return name


def read_series(
    sweep_dir: Path,
    variable: str | Sequence[str] | None = None,
    entity: str | Sequence[str] | None = None,
    runs: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The sweep's series (every run's, or those of ``runs``), optionally only some variables
    or entities; the filters are pushed down to the Parquet reader. A variable, entity or run
    that the dataset does not have raises ConfigError naming it and the nearest known one."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    def _in(field: str, wanted: str | Sequence[str]) -> Any:
        values = [wanted] if isinstance(wanted, str) else list(wanted)
        return ds.field(field).isin(values)

    dataset = ds.dataset(
        Path(sweep_dir) / SERIES,
        format="parquet",
        partitioning=ds.partitioning(pa.schema([("run_id", pa.string())]), flavor="hive"),
    )
    filters = [
        _in(field, wanted)
        for field, wanted in (("variable", variable), ("entity", entity), ("run_id", runs))
        if wanted is not None
    ]
    expression = None
    for f in filters:
        expression = f if expression is None else expression & f
    frame = dataset.to_table(filter=expression).to_pandas()
    for field, wanted in (("variable", variable), ("entity", entity), ("run_id", runs)):
        if wanted is not None:
            _check_known(dataset, field, wanted, frame, Path(sweep_dir) / SERIES)
    return frame


def _check_known(dataset: Any, field: str, wanted: Any, frame: pd.DataFrame, where: Path) -> None:
    """An asked-for value that the dataset does not have is an error, not an empty frame."""
    values = [wanted] if isinstance(wanted, str) else list(wanted)
    found = set(frame[field].astype(str).unique()) if len(frame) else set()
    missing = [v for v in values if v not in found]
    if not missing:
        return
    import pyarrow.compute as pc

    from sim.errors import ConfigError
    from sim.scenario.fields import nearest

    # Only on the error path: the distinct values of one (dictionary-encoded) column.
    known = sorted(map(str, pc.unique(dataset.to_table(columns=[field])[field]).to_pylist()))
    if missing[0] in known:  # present, but not together with the other filters
        return
    near = nearest(missing[0], known)
    hint = f"did you mean {near!r}? " if near else ""
    shown = known if len(known) <= 30 else [*known[:30], f"... ({len(known)} in all)"]
    raise ConfigError(str(where), field, missing[0], f"{hint}one of {shown}")
