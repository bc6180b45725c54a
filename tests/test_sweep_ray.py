"""The Ray launcher against a local Ray instance; runs where ``citypeace[ray]`` is installed.

hydra-ray-launcher needs cloudpickle<3 and the joblib launcher cloudpickle>=3, so this runs
in an environment of its own (``pip install -e '.[ray,test]'``); elsewhere it is skipped.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("ray")
pytest.importorskip("hydra_plugins.hydra_ray_launcher")

FAST = ["scenario=two_cities", "horizon=24", "output.dashboard=false", "output.progress=false"]
# A private local instance: two CPUs, no dashboard, no token file in the home folder.
RAY = [
    "hydra/launcher=ray",
    "hydra.launcher.ray.init.address=local",  # never join a cluster that happens to run here
    "+hydra.launcher.ray.init.num_cpus=2",
    "+hydra.launcher.ray.init.include_dashboard=false",
]


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONHASHSEED": "0", "RAY_AUTH_MODE": "disabled"}
    return subprocess.run(
        [sys.executable, "-m", "sim", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_ray_launcher_matches_basic(tmp_path: Path) -> None:
    ray_dir, basic_dir = tmp_path / "ray", tmp_path / "basic"
    proc = _run(["-m", *FAST, "seed=1,2,3", f"hydra.sweep.dir={ray_dir}", *RAY], tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    proc = _run(["-m", *FAST, "seed=1,2,3", f"hydra.sweep.dir={basic_dir}"], tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    ray_summary = pd.read_parquet(ray_dir / "summary.parquet")
    assert len(ray_summary) == 3 and (ray_summary["status"] == "completed").all()
    for run in ray_summary["run_dir"]:
        pd.testing.assert_frame_equal(
            pd.read_parquet(ray_dir / run / "timeseries.parquet"),
            pd.read_parquet(basic_dir / run / "timeseries.parquet"),
        )
    # A re-run on Ray skips the completed runs.
    before = {r: (ray_dir / r / "status.json").stat().st_mtime_ns for r in ray_summary["run_dir"]}
    proc = _run(["-m", *FAST, "seed=1,2,3", f"hydra.sweep.dir={ray_dir}", *RAY], tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    after = {r: (ray_dir / r / "status.json").stat().st_mtime_ns for r in ray_summary["run_dir"]}
    assert before == after


def test_design_sweep_on_ray(tmp_path: Path) -> None:
    design = tmp_path / "tiny.yaml"
    design.write_text("method: lhs\nn: 2\nparameters:\n  levers.coordination: null\n")
    sweep = tmp_path / "sweep"
    proc = _run(["sweep", f"design={design}", *FAST, f"hydra.sweep.dir={sweep}", *RAY], tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = pd.read_parquet(sweep / "summary.parquet")
    assert len(summary) == 2 and (summary["status"] == "completed").all()
    assert summary["levers.coordination"].between(0, 1).all()


@pytest.mark.slow
def test_ray_cluster_preset_joins_a_running_head(tmp_path: Path) -> None:
    import shutil
    import socket
    import tempfile

    with socket.socket() as s:  # a free port on the loopback interface for the Ray head
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ray = Path(sys.executable).with_name("ray")
    env = {**os.environ, "RAY_AUTH_MODE": "disabled"}
    # A short private temp dir: Ray's socket paths must stay under ~107 characters, and the
    # machine-wide /tmp/ray pointer to "the current cluster" is not touched.
    temp = Path(tempfile.mkdtemp(prefix="cpray", dir="/tmp"))
    head = [
        str(ray),
        "start",
        "--head",
        "--block",  # keeps the head in this process group: stopping it stops only this test's
        "--node-ip-address=127.0.0.1",
        f"--port={port}",
        "--num-cpus=2",
        "--include-dashboard=false",
        "--disable-usage-stats",
        f"--temp-dir={temp}",
    ]
    proc_head = subprocess.Popen(
        head, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 90
        while not (temp / "ray_current_cluster").exists():
            assert proc_head.poll() is None, "the Ray head did not start"
            assert time.monotonic() < deadline, "the Ray head did not come up in 90 s"
            time.sleep(1)
        sweep = tmp_path / "sweep"
        args = ["-m", *FAST, "seed=1,2", "hydra/launcher=ray_cluster", f"hydra.sweep.dir={sweep}"]
        proc = subprocess.run(
            [sys.executable, "-m", "sim", *args],
            cwd=tmp_path,
            env={**env, "RAY_ADDRESS": f"127.0.0.1:{port}", "PYTHONHASHSEED": "0"},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert "Connected to Ray cluster" in proc.stderr
        summary = pd.read_parquet(sweep / "summary.parquet")
        assert (summary["status"] == "completed").all() and len(summary) == 2
    finally:
        os.killpg(proc_head.pid, signal.SIGTERM)
        try:
            proc_head.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc_head.pid, signal.SIGKILL)
        shutil.rmtree(temp, ignore_errors=True)
