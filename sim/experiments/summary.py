"""Sweep bookkeeping: a status file per run, the sweep's summary.parquet, resume and progress.

A sweep folder (``hydra.sweep.dir``) looks like this::

    <sweep>/multirun.yaml         Hydra's sweep config
    <sweep>/sweep.json            how to run the sweep again (``citypeace sweep resume <sweep>``)
    <sweep>/design.json|.parquet  the sampled design, for ``citypeace sweep design=...``
    <sweep>/<run_id>/             a run with a folder (one run per job, or --run-folders);
                                  run_id = its config hash
        timeseries.parquet ...    the outputs of sim.experiments.runner.run_to_folder
        status.json               written last: completed or failed, key outcomes, the error
    <sweep>/records/<key>.parquet a batched job's runs without folders: their status records
                                  (sim.experiments.sweep_records)
    <sweep>/series/               every run's series, one dataset (sim.experiments.sweep_series)
    <sweep>/.progress/<run_id>    touched when a job ends; the progress bar counts these
    <sweep>/summary.parquet       one row per run, rebuilt from the status files and records

Folders are named by the config hash (``hydra.sweep.subdir: ${citypeace.run_id:}``), not by
Hydra's job number, so a re-run lands in the same folder even when the sweep was extended or
reordered, and identical configs are one run. Every file is written atomically
(sim.outputs.atomic) and ``status.json`` last, so a run killed at any point is either
complete or redone.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf

from sim.experiments.progress import Progress
from sim.experiments.run_status import (  # noqa: F401 - sim.cli imports run_sweep_job from here
    FLOW_OUTCOMES,
    HORIZON_YEARS,
    LEVEL_OUTCOMES,
    STATUS,
    read_status,
    run_sweep_job,
)
from sim.experiments.sweep_state import write_state
from sim.outputs.atomic import atomic_write

log = logging.getLogger(__name__)

SUMMARY = "summary.parquet"
# Columns that every summary has, in this order; parameters and outcomes follow.
BASE_COLUMNS = (
    "run_id",
    "status",
    "error",
    "job_num",
    "run_dir",
    "overrides",
    "scenario",
    "policy",
    "seed",
    "design_point",
    "replication",
    "seed_root",
    "horizon",
    "months",
    "duration_s",
    "cpu_s",
    "finished_at",
    "host",
    "citypeace",
    "git_commit",
)


# ---------------------------------------------------------------------- run identity


def run_id_of(root: DictConfig) -> str:
    """The config hash of a job's config as Hydra holds it (with its ``hydra`` node).

    Equal to ``sim.experiments.runner.config_hash`` of the task config the job receives; the
    ``hydra`` node is masked out first because resolving it would resolve this very
    interpolation.
    """
    from sim.experiments.runner import config_hash

    keys = [k for k in root if k != "hydra"]
    return config_hash(OmegaConf.masked_copy(root, keys))


def _run_id_resolver(*, _root_: DictConfig) -> str:
    return run_id_of(_root_)


def register_resolvers() -> None:
    """``${citypeace.run_id:}``: used by ``hydra.sweep.subdir`` in configs/config.yaml."""
    OmegaConf.register_new_resolver("citypeace.run_id", _run_id_resolver, replace=True)


# Hydra resolves hydra.sweep.subdir inside each job; every process that runs a job imports this
# module first (the callback below is unpickled with the job), so registering here is enough.
register_resolvers()


# ---------------------------------------------------------------------- summary.parquet


def iter_status(sweep_dir: Path) -> Iterator[tuple[Any, dict[str, Any]]]:
    """(where, status record) for every run: a run folder with a readable status file, or a
    row of a batch's record file (``sim.experiments.sweep_records``; where = (file, row))."""
    from sim.experiments.sweep_records import iter_records

    with os.scandir(sweep_dir) as entries:
        for entry in entries:
            if entry.is_dir() and not entry.name.startswith("."):
                status = read_status(Path(entry.path))
                if status and "run_id" in status:
                    yield Path(entry.path), status
    yield from iter_records(sweep_dir)


def _flatten(status: Mapping[str, Any], design: Mapping[str, Mapping[str, Any]]) -> dict:
    row = {k: status.get(k) for k in BASE_COLUMNS}
    row.update(design.get(status.get("overrides", ""), {}))
    for key, value in (status.get("params") or {}).items():
        row[key] = value
    row.update(status.get("outcomes") or {})
    return row


def _arrow_type(kinds: set[type]) -> Any:
    import pyarrow as pa

    if not kinds:
        return pa.string()
    if kinds == {bool}:
        return pa.bool_()
    if kinds <= {int}:
        return pa.int64()
    if kinds <= {int, float}:
        return pa.float64()
    return pa.string()


def _load_design(sweep_dir: Path) -> dict[str, dict[str, Any]]:
    """Design point, replication and root seed of each planned run, keyed by its overrides."""
    path = Path(sweep_dir) / "design.parquet"
    if not path.is_file():
        return {}
    cols = ["overrides", "design_point", "replication", "seed_root"]
    frame = pd.read_parquet(path, columns=cols)
    return {
        row.overrides: {
            "design_point": int(row.design_point),
            "replication": int(row.replication),
            "seed_root": int(row.seed_root),
        }
        for row in frame.itertuples(index=False)
    }


def collect(sweep_dir: Path, batch: int = 2000) -> Path:
    """Write ``<sweep_dir>/summary.parquet`` from the run status files, one row per run.

    Two passes over the small status files (types, then rows in batches) so memory stays
    bounded by one batch however many runs there are. A run found twice (an older layout or
    a hand-copied folder) keeps its latest attempt.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    sweep_dir = Path(sweep_dir)
    design = _load_design(sweep_dir)
    latest: dict[str, tuple[str, Path, int]] = {}
    kinds: dict[str, set[type]] = {k: set() for k in BASE_COLUMNS}
    for path, status in iter_status(sweep_dir):
        run_id = status["run_id"]
        stamp = status.get("finished_at") or ""
        if run_id in latest and latest[run_id][0] >= stamp:
            continue
        job = status.get("job_num")
        latest[run_id] = (stamp, path, job if isinstance(job, int) else 1 << 62)
        for key, value in _flatten(status, design).items():
            seen = kinds.setdefault(key, set())
            if value is not None and not (isinstance(value, float) and np.isnan(value)):
                seen.add(type(value))
    params = sorted(k for k in kinds if k not in BASE_COLUMNS and not _is_outcome(k))
    outs = sorted((k for k in kinds if _is_outcome(k)), key=_outcome_order)
    names = [*BASE_COLUMNS, *params, *outs]
    schema = pa.schema([(name, _arrow_type(kinds[name])) for name in names])
    order = sorted(latest.items(), key=lambda kv: (kv[1][2], kv[0]))

    def write(tmp: Path) -> None:
        from sim.experiments.sweep_records import read_record

        cache: dict[Path, list[str]] = {}  # one record file at a time
        kinds = _kinds(schema)  # once, not for every field of every row
        with pq.ParquetWriter(tmp, schema) as writer:
            for start in range(0, max(len(order), 1), batch):
                rows = []
                for _, (_, where, _) in order[start : start + batch]:
                    if isinstance(where, tuple):
                        status = read_record(where, cache)
                    else:
                        status = read_status(where) or {}
                    rows.append(_coerce_row(_flatten(status, design), kinds))
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))

    return atomic_write(sweep_dir / SUMMARY, write)


def _is_outcome(key: str) -> bool:
    return any(key.endswith(f"_{y}y") for y in HORIZON_YEARS)


def _outcome_order(key: str) -> tuple[str, int]:
    metric, _, y = key.rpartition("_")
    return metric, int(y[:-1])


def _kinds(schema: Any) -> list[tuple[str, str]]:
    """(column, 'string' | 'float' | 'other') for each column of the summary's schema."""
    import pyarrow as pa

    def kind(t: Any) -> str:
        return "string" if pa.types.is_string(t) else "float" if pa.types.is_floating(t) else ""

    return [(field.name, kind(field.type)) for field in schema]


def _coerce_row(row: dict[str, Any], kinds: list[tuple[str, str]]) -> dict[str, Any]:
    """A row's values as its columns' types (``_kinds``): text as is or as JSON, floats."""
    out: dict[str, Any] = {}
    for name, kind in kinds:
        value = row.get(name)
        if value is None or not kind:
            out[name] = value
        elif kind == "string":
            out[name] = value if isinstance(value, str) else json.dumps(value)
        else:
            out[name] = float(value)
    return out


def read_summary(sweep_dir: Path, refresh: bool = False) -> pd.DataFrame:
    """The sweep's summary table, rebuilt first when missing, stale or ``refresh`` is set."""
    sweep_dir = Path(sweep_dir)
    path = sweep_dir / SUMMARY
    if refresh or not path.is_file() or _newest_status(sweep_dir) > path.stat().st_mtime:
        collect(sweep_dir)
    return pd.read_parquet(path)


def _newest_status(sweep_dir: Path) -> float:
    from sim.experiments.sweep_records import newest as newest_record

    newest = newest_record(sweep_dir)
    with os.scandir(sweep_dir) as entries:
        for entry in entries:
            if entry.is_dir() and not entry.name.startswith("."):
                try:
                    newest = max(newest, os.stat(os.path.join(entry.path, STATUS)).st_mtime)
                except OSError:
                    continue
    return newest


# ---------------------------------------------------------------------- progress and callback


def planned_jobs(config: DictConfig) -> int | None:
    """How many jobs Hydra's basic (or Optuna's) sweeper will launch for this config."""
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
    from hydra.core.override_parser.overrides_parser import OverridesParser

    target = str(config.hydra.sweeper.get("_target_", ""))
    if "Optuna" in target:  # a study runs n_trials jobs
        trials = config.hydra.sweeper.get("n_trials")
        return int(trials) if isinstance(trials, int) and trials > 0 else None
    if not target.endswith("BasicSweeper"):
        return None
    try:
        args = [f"{k}={v}" for k, v in (config.hydra.sweeper.get("params") or {}).items()]
        args += list(config.hydra.overrides.task)
        parsed = OverridesParser.create().parse_overrides(args)
        return sum(len(b) for b in BasicSweeper.split_arguments(parsed, None))
    except Exception:  # a count for the bar only; Hydra reports bad overrides itself
        return None


def launcher_problem(config: DictConfig) -> str | None:
    """Why the configured launcher cannot run here (its plugin is not installed), or None."""
    import importlib.util

    target = str(config.hydra.launcher.get("_target_", ""))
    extras = {
        "hydra_plugins.hydra_joblib_launcher": "sweep",
        "hydra_plugins.hydra_ray_launcher": "ray",
        "hydra_plugins.hydra_submitit_launcher": "slurm",
    }
    for module, extra in extras.items():
        if target.startswith(module) and importlib.util.find_spec(module) is None:
            return f"install it with pip install 'citypeace[{extra}]'"
    if target.endswith("SlurmLauncher") and shutil.which("sbatch") is None:
        return "a Slurm cluster (sbatch not found here; try hydra/launcher=submitit_local)"
    return None


def _check_launcher(config: DictConfig) -> None:
    """A launcher whose plugin is missing: one line naming the extra, exit 2, no runs."""
    problem = launcher_problem(config)
    if problem:
        name = str(config.hydra.launcher.get("_target_", "")).split(".")[-1]
        print(f"citypeace: error: config: hydra/launcher = {name!r}: {problem}", file=sys.stderr)
        raise SystemExit(2)


class SweepCallback(Callback):
    """Hydra callback for multiruns: sweep manifest, progress bar and summary.parquet.

    Its config (``hydra.callbacks.citypeace_sweep``) also names what a sweeper optimises:
    ``objective``, ``budget`` and ``spend`` (``sim.experiments.optimise``); the jobs read them
    from their Hydra config, so they are part of no run's config hash.
    """

    # Set by ``citypeace sweep`` before it starts a designed sweep (Hydra does not know it).
    planned: int | None = None

    def __init__(
        self, objective: str | None = None, budget: float | None = None, spend: str | None = None
    ) -> None:
        self.objective, self.budget, self.spend = objective, budget, spend
        self._progress: Progress | None = None

    def __getstate__(self) -> dict[str, Any]:
        # Launchers pickle the callbacks into every job; the progress thread stays here.
        return {**self.__dict__, "_progress": None}

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        from sim.experiments.orphans import lead
        from sim.experiments.run_status import _STORAGE_FAILED

        _check_launcher(config)
        _STORAGE_FAILED.clear()  # a new sweep in this process may write again
        lead()  # workers started from here on exit when this process dies
        sweep_dir = Path(str(config.hydra.sweep.dir))
        sweep_dir.mkdir(parents=True, exist_ok=True)
        total = SweepCallback.planned if SweepCallback.planned is not None else None
        if total is None:
            total = planned_jobs(config)
            hydra_args = [
                o for o in config.hydra.overrides.hydra if not o.startswith("hydra.sweep.dir=")
            ]
            argv = ["-m", *config.hydra.overrides.task, *hydra_args]
            argv.append(f"hydra.sweep.dir={sweep_dir}")
            kind = "optuna" if self.objective else "multirun"
            write_state(sweep_dir, kind, argv, total)
        print(f"citypeace: sweep of {total or '?'} runs -> {sweep_dir}", file=sys.stderr)
        self._progress = Progress(sweep_dir, total).start()

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        path, counts = self.finish(Path(str(config.hydra.sweep.dir)))
        print(
            f"citypeace: {sum(counts.values())} runs ({counts.get('completed', 0)} completed, "
            f"{counts.get('failed', 0)} failed) -> {path}",
            file=sys.stderr,
        )

    def finish(self, sweep_dir: Path) -> tuple[Path, dict[str, int]]:
        """Stop the progress bar and write summary.parquet; its path and the status counts."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
        path = collect(sweep_dir)
        summary = pd.read_parquet(path, columns=["status"])
        return path, {str(k): int(v) for k, v in summary["status"].value_counts().items()}
