"""One dataset of every run's series in a sweep: ``<sweep>/series/``.

Every completed run's long series table (``sim.outputs.series``: ``run``, ``date``,
``variable``, ``entity``, ``value``) is in one of the dataset's Parquet files, each a
partition of the runs:

    series/batch-<key>.parquet   the runs of one batched job (``--runs-per-job``, ``--dask``),
                                 committed with their records (``sim.experiments.sweep_records``)
    series/run-<run_id>.parquet  a run with its own folder: a copy of its ``series.parquet``,
                                 written before its ``status.json``

Every file has the schema of one run's ``series.parquet``, whatever the scenario or policy,
and a run is in exactly one file:

    run       string     the run's config hash (``run_id`` in summary.parquet)
    date      date32     the simulated month (its first day)
    variable  string     what is measured (docs/outputs.md)
    entity    string     what it is measured on: 'model', a community, a watched city, ...
    value     float64

Files being written are hidden (their names start with a dot), so a reader never sees a
partial one. One call reads the whole sweep::

    pd.read_parquet("multirun/s/series")                       # pandas (pyarrow)
    pl.read_parquet("multirun/s/series/*.parquet")             # polars
    duckdb.sql("FROM read_parquet('multirun/s/series/*.parquet')")

and :func:`read_series` reads a part of it (a variable, an entity, some runs) without reading
the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

SERIES = "series"
RUN = "run"


def partition(run_id: str) -> str:
    """A run's own file in the dataset (a run with a folder), relative to the sweep folder."""
    return f"{SERIES}/{RUN}-{run_id}.parquet"


def write_series(run_dir: Path, sweep_dir: Path, run_id: str) -> str:
    """Add the run's ``series.parquet`` to the sweep's dataset (a copy, atomically); returns
    the file's path relative to the sweep folder."""
    import shutil

    from sim.outputs.atomic import atomic_write

    name = partition(run_id)
    source = Path(run_dir) / "series.parquet"
    atomic_write(Path(sweep_dir) / name, lambda tmp: shutil.copyfile(source, tmp))
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
    import pyarrow.dataset as ds

    def _in(field: str, wanted: str | Sequence[str]) -> Any:
        values = [wanted] if isinstance(wanted, str) else list(wanted)
        return ds.field(field).isin(values)

    dataset = ds.dataset(Path(sweep_dir) / SERIES, format="parquet")
    asked = (("variable", variable), ("entity", entity), (RUN, runs))
    filters = [_in(field, wanted) for field, wanted in asked if wanted is not None]
    expression = None
    for f in filters:
        expression = f if expression is None else expression & f
    frame = dataset.to_table(filter=expression).to_pandas(date_as_object=False)
    for field, wanted in asked:
        if wanted is not None:
            _check_known(dataset, field, wanted, frame, Path(sweep_dir).absolute() / SERIES)
    for key in ("variable", "entity", RUN):
        frame[key] = frame[key].astype(str)
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
    column = dataset.to_table(columns=[field])[field]
    known = sorted(map(str, pc.unique(column.cast("string")).to_pylist()))
    if missing[0] in known:  # present, but not together with the other filters
        return
    near = nearest(missing[0], known)
    hint = f"did you mean {near!r}? " if near else ""
    shown = known if len(known) <= 30 else [*known[:30], f"... ({len(known)} in all)"]
    raise ConfigError(str(where), field, missing[0], f"{hint}one of {shown}")
