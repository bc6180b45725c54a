"""A designed sweep on a Dask cluster started by the test (``--dask=ADDRESS``): the same runs,
folders and outputs as the basic launcher; resume skips what completed; a scheduler that does
not answer is one line after a bounded wait."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pandas as pd
import pytest

from helpers import run_cli

distributed = pytest.importorskip("distributed")

FAST = ["scenario=two_cities", "horizon=24", "output.dashboard=false", "output.progress=false"]
DESIGN = (
    "method: lhs\nn: 3\nreplications: 2\nroot_seed: 7\n"
    "parameters:\n  model.trust.success: [0.01, 0.15]\n  levers.coordination: null\n"
)


@pytest.fixture(scope="module")
def cluster() -> str:
    """A scheduler and two single-threaded worker processes on the loopback interface."""
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as local:
        yield local.scheduler_address


def test_a_design_on_a_dask_cluster_matches_the_basic_launcher(
    cluster: str, tmp_path: Path
) -> None:
    design = tmp_path / "tiny.yaml"
    design.write_text(DESIGN)
    base = ["sweep", f"design={design}", *FAST, "--runs-per-job=2", "--run-folders"]
    dask_dir, basic_dir = tmp_path / "dask", tmp_path / "basic"
    proc = run_cli([*base, f"--dask={cluster}", f"hydra.sweep.dir={dask_dir}"], tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    proc = run_cli([*base, f"hydra.sweep.dir={basic_dir}"], tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    on_dask, basic = (pd.read_parquet(d / "summary.parquet") for d in (dask_dir, basic_dir))
    assert len(on_dask) == 6 and (on_dask["status"] == "completed").all()
    assert sorted(on_dask["run_id"]) == sorted(basic["run_id"])
    for run in on_dask["run_dir"]:
        pd.testing.assert_frame_equal(
            pd.read_parquet(dask_dir / run / "timeseries.parquet"),
            pd.read_parquet(basic_dir / run / "timeseries.parquet"),
        )
    # Resume on the cluster: the completed runs are skipped, the lost one is redone.
    lost = on_dask["run_dir"].iloc[0]
    (dask_dir / lost / "status.json").unlink()
    kept = {r: (dask_dir / r / "status.json").stat().st_mtime_ns for r in on_dask["run_dir"][1:]}
    proc = run_cli(["sweep", "resume", str(dask_dir)], tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert {r: (dask_dir / r / "status.json").stat().st_mtime_ns for r in kept} == kept
    assert (dask_dir / lost / "status.json").is_file()


@pytest.mark.parametrize("listens", [False, True], ids=["refused", "silent"])
def test_a_scheduler_that_does_not_answer(tmp_path: Path, listens: bool) -> None:
    """Nothing on the port (refused at once), or a port that accepts and never answers: the
    second kept the command waiting for good before the bounded handshake (over 600 s with
    ``--dask-timeout=2``)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        if listens:
            s.listen(8)  # the kernel accepts connections; nobody reads or writes
        else:
            s.close()  # a free port on which nothing listens
        start = time.monotonic()
        proc = run_cli(
            ["sweep", "design=replicate", *FAST, f"--dask=tcp://127.0.0.1:{port}",
             "--dask-timeout=2", f"hydra.sweep.dir={tmp_path / 'sw'}"],
            tmp_path,
            timeout=120,
        )  # fmt: skip
        elapsed = time.monotonic() - start
    assert elapsed < 60, elapsed  # imports and the 2 s wait, on a loaded machine
    assert proc.returncode == 2, proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith("citypeace: error: command line: --dask = "), line
    assert "a Dask scheduler that answers within 2 s" in line
    assert list(tmp_path.iterdir()) == []


def test_the_bounded_wait_works_inside_a_running_event_loop() -> None:
    """``connect`` called from code that runs an event loop (a notebook) still gives the one
    error after the bounded wait, not asyncio's 'cannot be called from a running event loop'."""
    import asyncio

    from sim.errors import ConfigError
    from sim.experiments.sweep_dask import connect

    async def inside() -> str:
        with pytest.raises(ConfigError) as info:
            connect(address, 1.0)
        return str(info.value)

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(8)  # accepts, never answers
        address = f"tcp://127.0.0.1:{s.getsockname()[1]}"
        start = time.monotonic()
        message = asyncio.run(inside())
        assert time.monotonic() - start < 30
    assert "a Dask scheduler that answers within 1 s" in message, message
