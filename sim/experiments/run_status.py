"""One run of a sweep: its status record, skip-if-done, failed rows and key outcomes.

Every run folder gets ``status.json``, written last (after the run's outputs, atomically), so
a run killed at any point is either complete or redone: :func:`is_complete` checks the record
and the size of every file it lists. A run that raises becomes a failed row (``error.txt`` has
the traceback); a run whose outputs cannot be written at all (a full disk) stops the sweep
instead (:class:`StorageError`), since every later run would fail the same way.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import time
import traceback
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from omegaconf import DictConfig, OmegaConf

from sim.outputs.atomic import OutputError, atomic_write, write_json

log = logging.getLogger(__name__)
# The storage error that stopped this process's sweep jobs, if any (see run_sweep_job).
_STORAGE_FAILED: list[OutputError] = []

STATUS = "status.json"
PROGRESS = ".progress"
HORIZON_YEARS = (2, 10, 20)  # Lederach's crisis, design and vision horizons
# Levels are read at the last month of each horizon; flows are summed up to it.
LEVEL_OUTCOMES = (
    "peace",
    "positive_peace",
    "negative_peace",
    "cross_divide_trust",
    "horizontal_integration",
    "vertical_integration",
    "D",
    "S",
    "C",
    "peace_recipients",  # the recipient-side and cross-divide headline indices (issue 15)
    "positive_peace_recipients",
    "peace_divided",
)
FLOW_OUTCOMES = ("projects_completed_development", "funds_total")

# ---------------------------------------------------------------------- outcomes


def outcomes(ts: Any, years: Sequence[int] = HORIZON_YEARS) -> dict[str, float | None]:
    """Key outcomes at 2, 10 and 20 years: ``<metric>_<Y>y``; None past the run's end.

    Levels (peace, trust, integration, violence, alliance states) are the value in the last
    month of year Y; flows (completed projects, funds) and the IO share are totals up to it.
    ``ts``: the run's time series, a frame or a mapping of its columns' arrays
    (``Outputs.timeseries_columns``: no frame to build, a sixth of a short run's writing).
    """
    names = list(ts.keys()) if isinstance(ts, Mapping) else list(ts.columns)
    alliances = [c for c in names if c.startswith("alliance_") and not c.endswith("_progress")]
    io_cols = [c for c in names if c.startswith("funds_") and c.endswith("_io")]

    def column(name: str) -> np.ndarray:
        return np.asarray(ts[name]) if isinstance(ts, Mapping) else ts[name].to_numpy()

    # Each column read once (per-year pandas lookups cost more than a short run's outputs).
    levels = {c: column(c) for c in (*LEVEL_OUTCOMES, *alliances) if c in names}
    flows = {c: column(c) for c in FLOW_OUTCOMES if c in names}
    io = None
    if io_cols and "funds_total" in names:
        # Laid out as pandas' frame.to_numpy() gives it (columns contiguous, months x
        # columns), so the sums below add in the same order and give the same bits.
        io = np.stack([column(c) for c in io_cols]).T
    months = len(column(names[0])) if names else 0
    out: dict[str, float | None] = {}
    for y in years:
        month = 12 * y
        reached = months >= month
        for col, values in levels.items():
            out[f"{col}_{y}y"] = float(values[month - 1]) if reached else None
        for col, values in flows.items():
            out[f"{col}_{y}y"] = float(values[:month].sum()) if reached else None
        if io is not None:
            total = float(column("funds_total")[:month].sum())
            share = float(io[:month].sum()) / total if total > 0 else None
            out[f"io_share_{y}y"] = share if reached else None
    return out


def _scalar(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value if isinstance(value, bool | int | float | str) or value is None else str(value)


def overridden_values(
    cfg: DictConfig, overrides: Sequence[str], data: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The resolved value of each key the command line set (``levers.coordination``: 0.3).

    Config-group choices (``scenario=tuzla``) and Hydra's own keys are left out: the scenario
    and policy have their own columns. ``data``: ``cfg`` resolved to plain data, read
    instead of ``cfg`` where a key is a plain dotted path.
    """
    values: dict[str, Any] = {}
    for item in overrides:
        key = item.split("=", 1)[0].lstrip("+~")
        if not key or key.startswith(("hydra.", "hydra/")) or key in ("seed", "policy"):
            continue
        if data is not None and "[" not in key:
            value = _plain_select(data, key)
            if not isinstance(value, dict | list):
                values[key] = _scalar(value)
            continue
        value = OmegaConf.select(cfg, key, default=None)
        if not isinstance(value, DictConfig | list) and not OmegaConf.is_config(value):
            values[key] = _scalar(value)
    return values


def _plain_select(data: Mapping[str, Any], key: str) -> Any:
    """``OmegaConf.select(cfg, key, default=None)`` on the config's resolved plain data."""
    node: Any = data
    for part in key.split("."):
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


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


def discard_outputs(run_dir: Path) -> None:
    """:func:`clear_outputs`, ignoring what cannot be removed (the disk is in trouble)."""
    with contextlib.suppress(OSError):
        clear_outputs(Path(run_dir))


def mark_progress(sweep_dir: Path, run_id: str, runs: int = 1) -> None:
    """Tell the progress bar that a job ended (completed, failed or skipped); ``runs`` > 1:
    that many runs under one marker ``<run_id>+<runs>`` (a batch: one file, not one a run,
    which the bar would list twice a second)."""
    folder = Path(sweep_dir) / PROGRESS
    folder.mkdir(parents=True, exist_ok=True)
    (folder / (run_id if runs == 1 else f"{run_id}+{runs}")).touch()


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
    from sim.experiments.orphans import watch_leader
    from sim.experiments.runner import config_hash, run_to_folder
    from sim.experiments.sweep_series import write_series

    watch_leader()
    if _STORAGE_FAILED:  # this process could not write before: fail fast, the sweep stops
        raise _STORAGE_FAILED[0]
    out, sweep_dir = Path(out), Path(sweep_dir)
    run_id = run_id or config_hash(cfg)
    if is_complete(out, run_id):
        log.debug("citypeace: %s already completed; skipped", out)
        mark_progress(sweep_dir, run_id)
        return read_status(out) or {}
    record = new_record(cfg, out, sweep_dir, job_num, overrides, run_id)
    start, cpu = time.perf_counter(), time.process_time()
    try:
        ts = run_to_folder(cfg, out, progress=False, config_id=run_id).timeseries()
        record["series"] = write_series(out, sweep_dir, run_id)
        record.update(status="completed", error=None, months=len(ts), outcomes=outcomes(ts))
    except OutputError as exc:
        # A full disk or a lost folder stops the sweep: every later run would fail too. The
        # run's partial outputs go (it is redone on resume): their room lets the summary fit.
        _STORAGE_FAILED.append(exc)
        discard_outputs(out)
        raise
    except Exception as exc:  # any other failure becomes a failed row; the sweep goes on
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
    data: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A run's status record before it runs (its earlier, unfinished outputs cleared).
    ``data``: ``cfg`` resolved to plain data, when the caller has it (read instead of ``cfg``:
    OmegaConf's look-ups were a tenth of a batched run's config)."""
    from sim import __version__

    clear_outputs(out)
    try:
        rel = str(out.relative_to(sweep_dir))
    except ValueError:
        rel = str(out)
    if data is None:
        scenario, policy, seed, horizon = cfg.scenario.name, cfg.policy, cfg.seed, cfg.horizon
    else:
        scenario, policy = data["scenario"]["name"], data["policy"]
        seed, horizon = data["seed"], data["horizon"]
    return {
        "run_id": run_id,
        "job_num": job_num,
        "run_dir": rel,
        "overrides": " ".join(overrides),
        "scenario": str(scenario),
        "policy": str(policy),
        "seed": int(seed),
        "horizon": None if horizon is None else int(horizon),
        "host": socket.gethostname(),
        "citypeace": __version__,
        "params": overridden_values(cfg, overrides, data),
    }


def record_failure(record: dict[str, Any], out: Path, exc: BaseException | str) -> None:
    """Mark the record failed: the first line of the error, the whole of it in error.txt."""
    text = mark_failed(record, exc)
    atomic_write(Path(out) / "error.txt", lambda tmp: tmp.write_text(text, encoding="utf-8"))


def mark_failed(record: dict[str, Any], exc: BaseException | str) -> str:
    """Mark the record failed with the first line of the error; returns the whole of it
    (the traceback of an exception)."""
    if isinstance(exc, BaseException):
        text = "".join(traceback.format_exception(exc))
        first = f"{type(exc).__name__}: {exc}"
    else:
        text = first = exc
    first = first.strip().splitlines()[0][:2000] if first.strip() else "failed"
    record.update(status="failed", error=first, months=None, outcomes={})
    log.warning("citypeace: run %s failed: %s", record["run_dir"] or record["run_id"], first)
    return text


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
    if record.get("series"):  # the run's file in the sweep's series dataset, checked on resume
        path = Path(sweep_dir) / record["series"]
        record["files"][os.path.relpath(path, out)] = path.stat().st_size
    write_json(record, out / STATUS)
    mark_progress(sweep_dir, record["run_id"])
    return record


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
