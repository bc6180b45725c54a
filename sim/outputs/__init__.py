"""A run's outputs: tidy tables, their data dictionary and provenance, and queries on them.

- ``tables``: Arrow tables built from a run's arrays and written atomically, each with the
  run's provenance in its Parquet metadata and each column's unit in its field metadata;
- ``series``: the long series table (run, date, variable, entity, value), ``read_series``
  and ``citypeace series``;
- ``dictionary``: every variable and column with its unit (``dictionary.csv``,
  ``docs/outputs.md``);
- ``provenance``: package versions, git commit and dirty flag, config hash and seed;
- ``dashboard``: the one-page PNG of a run;
- ``atomic``: every output file written atomically (temporary file, fsync, rename; a sweep
  job's runs with one sync for many files, ``deferred_sync``);
- ``run_folder``: a single run's folder, made and checked before anything is written.

The run folder's files are written by :func:`sim.experiments.runner.write_run`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["read_series"]


def read_series(*args: Any, **kwargs: Any) -> Any:
    """:func:`sim.outputs.series.read_series` (imported on first use)."""
    from sim.outputs.series import read_series as read

    return read(*args, **kwargs)
