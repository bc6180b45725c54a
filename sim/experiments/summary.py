"""Sweep bookkeeping: a status file per run, the sweep's summary.parquet, resume and progress.

A sweep folder (``hydra.sweep.dir``) looks like this::

    <sweep>/multirun.yaml         Hydra's sweep config
    <sweep>/sweep.json            how to run the sweep again (``citypeace sweep resume <sweep>``)
    <sweep>/design.json|.parquet  the sampled design, for ``citypeace sweep design=...``
    <sweep>/<run_id>/             one folder per distinct run config; run_id = its config hash
        timeseries.parquet ...    the outputs of sim.runner.run_to_folder
        status.json               written last: completed or failed, key outcomes, the error
    <sweep>/.progress/<run_id>    touched when a job ends; the progress bar counts these
    <sweep>/summary.parquet       one row per run, rebuilt from the status files

Folders are named by the config hash (``hydra.sweep.subdir: ${citypeace.run_id:}``), not by
Hydra's job number, so a re-run lands in the same folder even when the sweep was extended or
reordered, and identical configs are one run. Every file is written atomically (sim.io) and
``status.json`` last, so a run killed at any point is either complete or redone.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import sys
import threading
import time
import traceback
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf

from sim.io import atomic_write, write_json

log = logging.getLogger(__name__)

STATUS = "status.json"
SUMMARY = "summary.parquet"
PROGRESS = ".progress"
HORIZON_YEARS = (2, 10, 20)  # Lederach's crisis, design and vision horizons
# Levels are read at the last month of each horizon; flows are summed up to it.
LEVEL_OUTCOMES = (
    "peace",
    "positive_peace",
    "negative_peace",
    "peace_recipients",  # the recipient-side and cross-divide headline indices (issue 15)
    "positive_peace_recipients",
    "peace_divided",
    "cross_divide_trust",
    "horizontal_integration",
    "vertical_integration",
    "D",
    "S",
    "C",
)
FLOW_OUTCOMES = ("projects_completed_development", "funds_total")
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

    Equal to ``sim.runner.config_hash`` of the task config the job receives; the ``hydra``
    node is masked out first because resolving it would resolve this very interpolation.
    """
    from sim.runner import config_hash

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


# ---------------------------------------------------------------------- outcomes


def outcomes(ts: pd.DataFrame, years: Sequence[int] = HORIZON_YEARS) -> dict[str, float | None]:
    """Key outcomes at 2, 10 and 20 years: ``<metric>_<Y>y``; None past the run's end.

    Levels (peace, trust, integration, violence, alliance states) are the value in the last
    month of year Y; flows (completed projects, funds) and the IO share are totals up to it.
    """
    alliances = [c for c in ts.columns if c.startswith("alliance_") and not c.endswith("_progress")]
    io_cols = [c for c in ts.columns if c.startswith("funds_") and c.endswith("_io")]
    # Each column read once (per-year pandas lookups cost more than a short run's outputs).
    levels = {c: ts[c].to_numpy() for c in (*LEVEL_OUTCOMES, *alliances) if c in ts.columns}
    flows = {c: ts[c].to_numpy() for c in FLOW_OUTCOMES if c in ts.columns}
    io = ts[io_cols].to_numpy() if io_cols and "funds_total" in ts.columns else None
    out: dict[str, float | None] = {}
    for y in years:
        month = 12 * y
        reached = len(ts) >= month
        for col, values in levels.items():
            out[f"{col}_{y}y"] = float(values[month - 1]) if reached else None
        for col, values in flows.items():
            out[f"{col}_{y}y"] = float(values[:month].sum()) if reached else None
        if io is not None:
            total = float(ts["funds_total"].to_numpy()[:month].sum())
            share = float(io[:month].sum()) / total if total > 0 else None
            out[f"io_share_{y}y"] = share if reached else None
    return out


def _scalar(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value if isinstance(value, bool | int | float | str) or value is None else str(value)


def overridden_values(cfg: DictConfig, overrides: Sequence[str]) -> dict[str, Any]:
    """The resolved value of each key the command line set (``levers.coordination``: 0.3).

    Config-group choices (``scenario=tuzla``) and Hydra's own keys are left out: the scenario
    and policy have their own columns.
    """
    values: dict[str, Any] = {}
    for item in overrides:
        key = item.split("=", 1)[0].lstrip("+~")
        if not key or key.startswith(("hydra.", "hydra/")) or key in ("seed", "policy"):
            continue
        value = OmegaConf.select(cfg, key, default=None)
        if not isinstance(value, DictConfig | list) and not OmegaConf.is_config(value):
            values[key] = _scalar(value)
    return values


# ---------------------------------------------------------------------- one job of a sweep


def read_status(run_dir: Path) -> dict[str, Any] | None:
    """The run's status record, or None when it is missing or unreadable (a killed write)."""
    try:
        return json.loads((Path(run_dir) / STATUS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_complete(run_dir: Path, run_id: str) -> bool:
    """True when ``run_dir`` holds a completed run of config ``run_id`` with all its files."""
    status = read_status(run_dir)
    if not status or status.get("status") != "completed" or status.get("run_id") != run_id:
        return False
    for name, size in status.get("files", {}).items():
        path = Path(run_dir) / name
        if not path.is_file() or path.stat().st_size != size:
            return False
    return True


def clear_outputs(run_dir: Path) -> None:
    """Remove what an earlier, unfinished attempt left (outputs, temp files, old status).

    Hydra's own ``.hydra/`` folder and job log are kept: Hydra has just written them.
    """
    if not run_dir.is_dir():
        return
    for entry in run_dir.iterdir():
        if entry.name == ".hydra" or entry.suffix == ".log":
            continue
        if entry.is_file() or entry.is_symlink():
            entry.unlink(missing_ok=True)


def mark_progress(sweep_dir: Path, run_id: str) -> None:
    """Tell the progress bar that a job ended (completed, failed or skipped)."""
    folder = Path(sweep_dir) / PROGRESS
    folder.mkdir(parents=True, exist_ok=True)
    (folder / run_id).touch()


def run_sweep_job(
    cfg: DictConfig,
    out: Path,
    sweep_dir: Path,
    job_num: int | None = None,
    overrides: Sequence[str] = (),
    run_id: str | None = None,
) -> dict[str, Any]:
    """Run one job of a sweep: skip it if done, record it as failed if it raises.

    ``run_id`` is ``config_hash(cfg)`` if the caller has it. Returns the status record
    written to ``<out>/status.json``.
    """
    from sim.runner import config_hash, run_to_folder

    out, sweep_dir = Path(out), Path(sweep_dir)
    run_id = run_id or config_hash(cfg)
    if is_complete(out, run_id):
        log.debug("citypeace: %s already completed; skipped", out)
        mark_progress(sweep_dir, run_id)
        return read_status(out) or {}
    record = new_record(cfg, out, sweep_dir, job_num, overrides, run_id)
    start, cpu = time.perf_counter(), time.process_time()
    try:
        model = run_to_folder(cfg, out, progress=False, config_id=run_id)
        ts = model.timeseries()
        record.update(status="completed", error=None, months=len(ts), outcomes=outcomes(ts))
    except Exception as exc:  # any failure becomes a failed row; the sweep goes on
        record_failure(record, out, exc)
    return finish_record(
        record, out, sweep_dir, time.perf_counter() - start, time.process_time() - cpu
    )


def new_record(
    cfg: DictConfig,
    out: Path,
    sweep_dir: Path,
    job_num: int | None,
    overrides: Sequence[str],
    run_id: str,
) -> dict[str, Any]:
    """A run's status record before it runs (its earlier, unfinished outputs cleared)."""
    from sim import __version__

    clear_outputs(out)
    try:
        rel = str(out.relative_to(sweep_dir))
    except ValueError:
        rel = str(out)
    return {
        "run_id": run_id,
        "job_num": job_num,
        "run_dir": rel,
        "overrides": " ".join(overrides),
        "scenario": str(cfg.scenario.name),
        "policy": str(cfg.policy),
        "seed": int(cfg.seed),
        "horizon": None if cfg.horizon is None else int(cfg.horizon),
        "host": socket.gethostname(),
        "citypeace": __version__,
        "params": overridden_values(cfg, overrides),
    }


def record_failure(record: dict[str, Any], out: Path, exc: BaseException | str) -> None:
    """Mark the record failed: the first line of the error, the whole of it in error.txt."""
    if isinstance(exc, BaseException):
        text = "".join(traceback.format_exception(exc))
        first = f"{type(exc).__name__}: {exc}"
    else:
        text = first = exc
    first = first.strip().splitlines()[0][:2000] if first.strip() else "failed"
    atomic_write(Path(out) / "error.txt", lambda tmp: tmp.write_text(text, encoding="utf-8"))
    record.update(status="failed", error=first, months=None, outcomes={})
    log.warning("citypeace: run %s failed: %s", record["run_dir"], first)


def finish_record(
    record: dict[str, Any], out: Path, sweep_dir: Path, duration_s: float, cpu_s: float
) -> dict[str, Any]:
    """Write ``status.json`` last (with the files written and their sizes) and mark progress."""
    record["duration_s"] = round(duration_s, 4)
    record["cpu_s"] = round(cpu_s, 4)  # wall time suffers on a busy host
    record["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    prov = _read_json(out / "provenance.json")
    record["git_commit"] = prov.get("git_commit") if prov else None
    record["files"] = {
        p.name: p.stat().st_size
        for p in sorted(out.iterdir())
        if p.is_file() and not p.name.startswith(".") and p.suffix != ".log" and p.name != STATUS
    }
    write_json(record, out / STATUS)
    mark_progress(sweep_dir, record["run_id"])
    return record


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# ---------------------------------------------------------------------- summary.parquet


def iter_status(sweep_dir: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """(run folder, status record) for every run folder that has a readable status file."""
    with os.scandir(sweep_dir) as entries:
        for entry in entries:
            if entry.is_dir() and not entry.name.startswith("."):
                status = read_status(Path(entry.path))
                if status and "run_id" in status:
                    yield Path(entry.path), status


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
        with pq.ParquetWriter(tmp, schema) as writer:
            for start in range(0, max(len(order), 1), batch):
                rows = []
                for _, (_, path, _) in order[start : start + batch]:
                    status = read_status(path) or {}
                    rows.append(_coerce_row(_flatten(status, design), schema))
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))

    return atomic_write(sweep_dir / SUMMARY, write)


def _is_outcome(key: str) -> bool:
    return any(key.endswith(f"_{y}y") for y in HORIZON_YEARS)


def _outcome_order(key: str) -> tuple[str, int]:
    metric, _, y = key.rpartition("_")
    return metric, int(y[:-1])


def _coerce_row(row: dict[str, Any], schema: Any) -> dict[str, Any]:
    import pyarrow as pa

    out: dict[str, Any] = {}
    for field in schema:
        value = row.get(field.name)
        if value is None:
            out[field.name] = None
        elif pa.types.is_string(field.type):
            out[field.name] = value if isinstance(value, str) else json.dumps(value)
        elif pa.types.is_floating(field.type):
            out[field.name] = float(value)
        else:
            out[field.name] = value
    return out


def read_summary(sweep_dir: Path, refresh: bool = False) -> pd.DataFrame:
    """The sweep's summary table, rebuilt first when missing, stale or ``refresh`` is set."""
    sweep_dir = Path(sweep_dir)
    path = sweep_dir / SUMMARY
    if refresh or not path.is_file() or _newest_status(sweep_dir) > path.stat().st_mtime:
        collect(sweep_dir)
    return pd.read_parquet(path)


def _newest_status(sweep_dir: Path) -> float:
    newest = 0.0
    with os.scandir(sweep_dir) as entries:
        for entry in entries:
            if entry.is_dir() and not entry.name.startswith("."):
                try:
                    newest = max(newest, os.stat(os.path.join(entry.path, STATUS)).st_mtime)
                except OSError:
                    continue
    return newest


# ---------------------------------------------------------------------- progress and callback


class Progress:
    """A tqdm bar with an ETA, fed by counting the jobs' progress markers.

    Counting files works the same for every launcher (in-process, joblib workers, Ray or
    Slurm nodes on a shared file system), where the launcher itself reports nothing until its
    whole batch is back.
    """

    def __init__(self, sweep_dir: Path, total: int | None, every: float = 0.5) -> None:
        self.folder = Path(sweep_dir) / PROGRESS
        self.total = total
        self.every = every
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def done(self) -> int:
        """Jobs that ended since the bar started (completed, failed or skipped)."""
        try:
            with os.scandir(self.folder) as entries:
                return sum(1 for _ in entries)
        except OSError:
            return 0

    def start(self) -> Progress:
        """Clear old markers and start the bar in a daemon thread."""
        if self.folder.is_dir():
            for marker in self.folder.iterdir():
                marker.unlink(missing_ok=True)
        self._thread = threading.Thread(target=self._loop, name="citypeace-progress", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Final update and close."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _loop(self) -> None:
        from tqdm.auto import tqdm

        show = os.environ.get("CITYPEACE_PROGRESS")
        disable = None if show is None else show in ("0", "false", "no")
        with tqdm(
            total=self.total, desc="sweep", unit="run", file=sys.stderr, disable=disable
        ) as bar:
            while True:
                stopping = self._stop.wait(self.every)
                done = self.done()
                bar.update(max(0, done - bar.n))
                if stopping:
                    return


def planned_jobs(config: DictConfig) -> int | None:
    """How many jobs Hydra's basic sweeper will launch for this multirun config."""
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
    from hydra.core.override_parser.overrides_parser import OverridesParser

    if not str(config.hydra.sweeper.get("_target_", "")).endswith("BasicSweeper"):
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
    """Hydra callback for multiruns: sweep manifest, progress bar and summary.parquet."""

    # Set by ``citypeace sweep`` before it starts a designed sweep (Hydra does not know it).
    planned: int | None = None

    def __init__(self) -> None:
        self._progress: Progress | None = None

    def __getstate__(self) -> dict[str, Any]:
        # Launchers pickle the callbacks into every job; the progress thread stays here.
        return {"_progress": None}

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        _check_launcher(config)
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
            write_json({"kind": "multirun", "argv": argv, "jobs": total}, sweep_dir / "sweep.json")
        print(f"citypeace: sweep of {total or '?'} runs -> {sweep_dir}", file=sys.stderr)
        self._progress = Progress(sweep_dir, total).start()

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        if self._progress is not None:
            self._progress.stop()
        sweep_dir = Path(str(config.hydra.sweep.dir))
        path = collect(sweep_dir)
        summary = pd.read_parquet(path, columns=["status"])
        counts = summary["status"].value_counts().to_dict()
        print(
            f"citypeace: {len(summary)} runs ({counts.get('completed', 0)} completed, "
            f"{counts.get('failed', 0)} failed) -> {path}",
            file=sys.stderr,
        )
