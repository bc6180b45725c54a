"""Faults during a sweep: killing its leader kills its workers; a full disk keeps the summary of
what completed and says how to go on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from helpers import mounted_tmpfs, run_cli

pytest.importorskip("hydra_plugins.hydra_joblib_launcher")


def _children(pid: int) -> set[int]:
    """Every live descendant of ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    found, todo = set(), [pid]
    while todo:
        current = todo.pop()
        for child, parent in parents.items():
            if parent == current and child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its exit status is left


LAUNCHERS = {
    "joblib": ["hydra/launcher=joblib", "hydra.launcher.n_jobs=2"],
    # A LocalCluster: its nannies and worker processes are the leader's descendants.
    "dask-local": ["--dask=local", "--runs-per-job=2"],
}


@pytest.mark.parametrize("launcher", list(LAUNCHERS))
def test_sigkill_of_a_sweep_kills_its_workers(tmp_path: Path, launcher: str) -> None:
    if launcher == "dask-local":
        pytest.importorskip("distributed")
    sweep = tmp_path / "sweep"
    args = [
        "sweep", "design=replicate", "design.replications=60", "scenario=tuzla", "horizon=120",
        "output.dashboard=false", "output.progress=false", *LAUNCHERS[launcher],
        f"hydra.sweep.dir={sweep}",
    ]  # fmt: skip
    leader = subprocess.Popen(
        [sys.executable, "-m", "sim", *args],
        cwd=tmp_path,
        env={**os.environ, "PYTHONHASHSEED": "0"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 240
        # the workers are running jobs: a run folder's status, or a batch's record file
        while not list(sweep.glob("*/status.json")) and not list(sweep.glob("records/*")):
            assert leader.poll() is None, "the sweep ended before it could be killed"
            assert time.monotonic() < deadline, "no run finished in 240 s"
            time.sleep(0.2)
        workers = _children(leader.pid)
        assert workers, "the sweep has worker processes"
        leader.send_signal(signal.SIGKILL)
        leader.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(_alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [p for p in workers if _alive(p)], "workers outlived their sweep"
        # Nothing writes into the sweep folder any more: a resume would not be raced.
        before = sorted(p.name for p in sweep.iterdir())
        time.sleep(1.0)
        assert sorted(p.name for p in sweep.iterdir()) == before
    finally:
        for pid in [leader.pid, *workers]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1.5 MB tmpfs (needs mount rights; skipped otherwise)."""
    with mounted_tmpfs(tmp_path / "disk", "1536k") as mnt:
        yield mnt


def test_a_full_disk_stops_the_sweep_and_keeps_the_summary(
    tmp_path: Path, small_disk: Path
) -> None:
    sweep = small_disk / "sweep"
    args = [
        "sweep", "design=replicate", "design.replications=200", "scenario=two_cities",
        "horizon=24", "output.dashboard=false", "output.progress=false", "--runs-per-job=4",
        f"hydra.sweep.dir={sweep}",
    ]  # fmt: skip
    proc = run_cli(args, tmp_path, timeout=600)
    assert proc.returncode == 2, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("citypeace: error: ") and "No space left on device" in last, last
    assert f"citypeace sweep resume {sweep}" in last, last
    from sim.experiments.sweep_records import completed as recorded

    # --runs-per-job=4 writes no run folders: the committed batches' records say what completed
    assert not list(sweep.glob("*/status.json"))
    assert not list((sweep / "series").glob(".*"))  # no pending (half-written) series file
    completed = sorted(recorded(sweep))
    assert 0 < len(completed) < 200
    summary = pd.read_parquet(sweep / "summary.parquet")
    assert f"{len(completed)} completed runs are in {sweep / 'summary.parquet'}" in last, last
    assert sorted(summary.loc[summary["status"] == "completed", "run_id"]) == sorted(completed)
