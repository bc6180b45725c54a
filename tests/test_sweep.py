"""Sweeps: Hydra multirun and ``citypeace sweep`` through the basic and joblib launchers.

Per-run outputs equal single runs with the same seed; a killed sweep resumes without
duplicates or corrupt files; a failing run is a failed row; designs and seeds are checked.
"""

from __future__ import annotations

import datetime
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import ROOT, as_written, run_cli

FAST = [
    "scenario=two_cities",
    "horizon=24",
    "output.dashboard=false",
    "output.progress=false",
]
OUTPUT_TABLES = ("timeseries", "events", "cities", "activities")
# The joblib launcher and SALib come with the `sweep` extra (pip install -e '.[sweep]').
HAS_JOBLIB = importlib.util.find_spec("hydra_plugins.hydra_joblib_launcher") is not None
JOBLIB = pytest.param(
    "joblib",
    marks=pytest.mark.skipif(not HAS_JOBLIB, reason="needs the sweep extra (joblib launcher)"),
)


def _single(tmp_path: Path, overrides: list[str], name: str) -> Path:
    out = tmp_path / "single" / name
    proc = run_cli([*overrides, f"hydra.run.dir={out}"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert not (out / "status.json").exists()  # a single run is not a sweep job
    return out


def _assert_same_run(a: Path, b: Path) -> None:
    for table in OUTPUT_TABLES:
        pd.testing.assert_frame_equal(
            pd.read_parquet(a / f"{table}.parquet"), pd.read_parquet(b / f"{table}.parquet")
        )
    assert (a / "config.yaml").read_text() == (b / "config.yaml").read_text()
    pa, pb = (json.loads((p / "provenance.json").read_text()) for p in (a, b))
    assert pa["config_hash"] == pb["config_hash"] and pa["seed"] == pb["seed"]


def _summary(sweep: Path) -> pd.DataFrame:
    return pd.read_parquet(sweep / "summary.parquet")


@pytest.mark.parametrize("launcher", ["basic", JOBLIB])
def test_multirun_matches_single_runs(tmp_path: Path, launcher: str) -> None:
    sweep = tmp_path / "sweep"
    args = ["-m", *FAST, "seed=1,2", f"hydra.sweep.dir={sweep}", f"hydra/launcher={launcher}"]
    if launcher == "joblib":
        args.append("hydra.launcher.n_jobs=2")
    proc = run_cli(args, tmp_path)
    assert proc.returncode == 0, proc.stderr
    summary = _summary(sweep)
    assert sorted(summary["seed"]) == [1, 2]
    assert (summary["status"] == "completed").all()
    assert summary["run_id"].is_unique
    for row in summary.itertuples():
        assert row.run_dir == row.run_id  # one folder per run, named by its config hash
        single = _single(tmp_path, [*FAST, f"seed={row.seed}"], f"s{row.seed}")
        _assert_same_run(sweep / row.run_dir, single)
        prov = json.loads((sweep / row.run_dir / "provenance.json").read_text())
        assert prov["config_hash"] == row.run_id
        assert prov["seed"] == row.seed and prov["citypeace"]
    # Lederach's horizons: 2 years reached, 10 and 20 not (horizon=24 months).
    assert summary["peace_2y"].notna().all()
    assert summary["peace_10y"].isna().all() and summary["peace_20y"].isna().all()
    assert (sweep / "sweep.json").is_file() and (sweep / "multirun.yaml").is_file()
    _assert_series_dataset(sweep, summary)


def _assert_series_dataset(sweep: Path, summary: pd.DataFrame) -> None:
    """series/ holds every run's series.parquet once (a file a run here: one run per job), and
    pandas, polars and DuckDB (when installed) each read all of it in one call."""
    import pyarrow.parquet as pq

    series = pd.read_parquet(sweep / "series")
    assert sorted(series.columns) == ["date", "entity", "run", "value", "variable"]
    assert sorted(series["run"].astype(str).unique()) == sorted(summary["run_id"])
    for row in summary.itertuples():
        own = pq.read_table(sweep / row.run_dir / "series.parquet").to_pandas()
        mine = series[series["run"] == row.run_id].reset_index(drop=True)
        pd.testing.assert_frame_equal(
            mine[list(own.columns)].astype({"run": str, "variable": str, "entity": str}),
            own.astype({"run": str, "variable": str, "entity": str}),
        )
        ts = pd.read_parquet(sweep / row.run_dir / "timeseries.parquet")
        peace = mine[(mine["variable"] == "peace") & (mine["entity"] == "model")]
        assert np.array_equal(peace["value"].to_numpy(), ts["peace"].to_numpy())
        assert str(peace["date"].iloc[0]) == str(ts["date"].iloc[0])  # both real dates
        assert isinstance(ts["date"].iloc[0], datetime.date)
    from sim.errors import ConfigError
    from sim.experiments.sweep_series import read_series

    peace = read_series(sweep, variable="peace", entity="model")
    whole = series[(series["variable"] == "peace") & (series["entity"] == "model")]
    assert len(peace) == len(whole) == len(summary) * len(ts)
    with pytest.raises(ConfigError, match=r"variable = 'peac': did you mean 'peace'\?"):
        read_series(sweep, variable="peac")  # a wrong name is an error, not an empty frame
    glob = str(sweep / "series" / "*.parquet")
    try:
        import polars as pl
    except ImportError:
        pass
    else:
        assert pl.read_parquet(glob).height == len(series)
    try:
        import duckdb
    except ImportError:
        pass
    else:
        query = f"SELECT count(*) FROM read_parquet('{glob}')"
        assert duckdb.sql(query).fetchall() == [(len(series),)]


@pytest.mark.skipif(not HAS_JOBLIB, reason="needs the sweep extra (joblib launcher)")
def test_design_sweep_basic_and_joblib_match_single_runs(tmp_path: Path) -> None:
    design = tmp_path / "tiny.yaml"
    design.write_text(
        "method: lhs\nn: 2\nreplications: 2\nroot_seed: 7\n"
        "parameters:\n  model.trust.success: [0.01, 0.15]\n  levers.coordination: null\n"
    )
    sweeps = {}
    for launcher in ("basic", "joblib"):
        sweeps[launcher] = tmp_path / launcher
        args = [
            "sweep",
            f"design={design}",
            *FAST,
            f"hydra/launcher={launcher}",
            f"hydra.sweep.dir={sweeps[launcher]}",
        ]
        proc = run_cli(args, tmp_path)
        assert proc.returncode == 0, proc.stderr
    basic, joblib = (_summary(sweeps[k]) for k in ("basic", "joblib"))
    assert len(basic) == 4 and (basic["status"] == "completed").all()
    assert sorted(basic["run_id"]) == sorted(joblib["run_id"])
    # Seeds: spawned from the root SeedSequence, logged per run, shared by design points.
    from sim.experiments.design import Design, replication_seeds

    seeds = replication_seeds(Design(name="t", replications=2, root_seed=7))
    assert sorted(set(basic["seed"])) == sorted(seeds)
    assert set(basic["seed_root"]) == {7} and set(basic["replication"]) == {0, 1}
    for row in basic.itertuples():
        assert seeds[row.replication] == row.seed
        _assert_same_run(sweeps["basic"] / row.run_dir, sweeps["joblib"] / row.run_dir)
    # The first design point equals a plain single run with the same overrides.
    first = basic.iloc[0]
    single = _single(tmp_path, first["overrides"].split(" "), "design0")
    _assert_same_run(sweeps["basic"] / first["run_dir"], single)
    plan = pd.read_parquet(sweeps["basic"] / "design.parquet")
    assert set(plan["overrides"]) == set(basic["overrides"])


def test_fast_loader_equals_full_composition() -> None:
    from hydra._internal.hydra import Hydra
    from hydra._internal.utils import create_config_search_path
    from hydra.core.global_hydra import GlobalHydra
    from hydra.core.utils import setup_globals
    from hydra.types import RunMode
    from omegaconf import OmegaConf

    from sim.cli.config import config_dir, register
    from sim.experiments.sweep_launch import FastSweepLoader

    register()
    setup_globals()
    GlobalHydra.instance().clear()
    try:
        hydra = Hydra.create_main_hydra2(
            task_name="cli", config_search_path=create_config_search_path(str(config_dir()))
        )
        master = hydra.compose_config(
            "config",
            overrides=["hydra.mode=MULTIRUN", "hydra.sweep.dir=/tmp/x"],
            run_mode=RunMode.MULTIRUN,
        )
        fast = FastSweepLoader.wrap(
            hydra.config_loader, ["model.trust.success", "levers.coordination", "seed"], "t"
        )
        for job in (
            ["policy=no_mediator", "model.trust.success=0.0123", "seed=5"],
            ["policy=no_mediator", "model.trust.success=0.1", "levers.coordination=1.0", "seed=6"],
            ["scenario=tuzla", "levers.coordination=0.25", "seed=7"],
        ):
            full = hydra.config_loader.load_sweep_config(master, list(job))
            quick = fast.load_sweep_config(master, list(job))
            a, b = (OmegaConf.to_container(c, resolve=False) for c in (quick, full))
            assert a == b
            assert OmegaConf.to_yaml(quick.hydra.overrides) == OmegaConf.to_yaml(
                full.hydra.overrides
            )
    finally:
        GlobalHydra.instance().clear()


def _status_files(sweep: Path) -> list[Path]:
    return sorted(sweep.glob("*/status.json"))


@pytest.mark.parametrize(
    "launcher",
    [
        "basic",
        pytest.param(
            "joblib",
            marks=[
                pytest.mark.slow,
                pytest.mark.skipif(not HAS_JOBLIB, reason="needs the sweep extra"),
            ],
        ),
    ],
)
def test_sigkill_halfway_then_resume(tmp_path: Path, launcher: str) -> None:
    sweep = tmp_path / "sweep"
    args = [
        "-m",
        *FAST,
        "output.activities=false",
        "seed=range(0,12)",
        f"hydra.sweep.dir={sweep}",
        f"hydra/launcher={launcher}",
    ]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", *args],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill takes the workers too
    )
    deadline = time.monotonic() + 240
    while len(_status_files(sweep)) < 5 and time.monotonic() < deadline:
        assert proc.poll() is None, "the sweep ended before it could be killed"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    before = {p.parent.name: p.stat().st_mtime_ns for p in _status_files(sweep)}
    assert 5 <= len(before) < 12, "kill the sweep halfway"
    assert not (sweep / "summary.parquet").exists()

    again = run_cli(args, tmp_path)
    assert again.returncode == 0, again.stderr
    summary = _summary(sweep)
    assert len(summary) == 12 and summary["run_id"].is_unique
    assert sorted(summary["seed"]) == list(range(12))
    assert (summary["status"] == "completed").all()
    # Runs completed before the kill were skipped, not run again.
    for name, mtime in before.items():
        assert (sweep / name / "status.json").stat().st_mtime_ns == mtime
    # None is corrupt: every table reads, no temporary file is left, sizes match status.
    for status_path in _status_files(sweep):
        run = status_path.parent
        status = json.loads(status_path.read_text())
        assert not list(run.glob(".*.tmp"))
        for name, size in status["files"].items():
            assert (run / name).stat().st_size == size
            if name.endswith(".parquet"):
                assert len(pd.read_parquet(run / name)) >= 0
        assert len(pd.read_parquet(run / "timeseries.parquet")) == 24
    run_dirs = [p for p in sweep.iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert len(run_dirs) == 13  # no duplicate folders: 12 runs and series/
    # The sweep's series dataset has each completed run once, whatever was killed on the way.
    series = pd.read_parquet(sweep / "series")
    assert sorted(series["run"].astype(str).unique()) == sorted(summary["run_id"])
    assert len(series) == len(series.drop_duplicates(["run", "variable", "entity", "date"]))


def test_failing_run_becomes_failed_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hydra.core.global_hydra import GlobalHydra

    import sim.experiments.runner
    from sim.cli import main

    real = sim.experiments.runner.run_to_folder

    def flaky(cfg, out, progress=None, config_id=None):  # noqa: ANN001, ANN202 - a stand-in
        if cfg.seed == 2:
            raise RuntimeError("boom: a run that raises")
        return real(cfg, out, progress=progress, config_id=config_id)

    monkeypatch.setattr(sim.experiments.runner, "run_to_folder", flaky)
    monkeypatch.chdir(tmp_path)
    sweep = tmp_path / "sweep"
    try:
        main(["-m", *FAST, "horizon=12", "seed=1,2,3", f"hydra.sweep.dir={sweep}"])
    finally:
        GlobalHydra.instance().clear()
    summary = _summary(sweep).set_index("seed")
    assert summary.loc[2, "status"] == "failed"
    assert "RuntimeError: boom" in summary.loc[2, "error"]
    assert np.isnan(summary.loc[2, "peace_2y"]) if "peace_2y" in summary else True
    assert (summary.loc[[1, 3], "status"] == "completed").all()  # the sweep went on
    failed = sweep / summary.loc[2, "run_dir"]
    assert "boom" in (failed / "error.txt").read_text()
    # A re-run retries the failed run (it is not 'completed') and skips the others.
    monkeypatch.setattr(sim.experiments.runner, "run_to_folder", real)
    try:
        main(["-m", *FAST, "horizon=12", "seed=1,2,3", f"hydra.sweep.dir={sweep}"])
    finally:
        GlobalHydra.instance().clear()
    assert (_summary(sweep)["status"] == "completed").all()
    assert not (failed / "error.txt").exists()


def test_outcomes_at_lederach_horizons() -> None:
    from sim.experiments.run_status import outcomes

    months = 130
    ts = pd.DataFrame(
        {
            "peace": np.linspace(0, 1, months),
            "projects_completed_development": np.ones(months),
            "funds_total": np.full(months, 2.0),
            "funds_development_io": np.full(months, 0.5),
            "alliance_map": np.r_[np.zeros(12), np.full(months - 12, 3)],
            "alliance_map_progress": np.zeros(months),
        }
    )
    out = outcomes(ts)
    assert out["peace_2y"] == pytest.approx(ts["peace"].iloc[23])
    assert out["peace_10y"] == pytest.approx(ts["peace"].iloc[119])
    assert out["peace_20y"] is None  # the run is shorter than 20 years
    assert out["projects_completed_development_10y"] == 120
    assert out["io_share_2y"] == pytest.approx(0.25)
    assert out["alliance_map_2y"] == 3 and "alliance_map_progress_2y" not in out


@pytest.mark.parametrize(
    "overrides",
    [
        ["scenario=tuzla", "horizon=240"],
        ["scenario=map", "policy=no_mediator", "levers.coordination=0.3"],
        ["scenario=synthetic", "scenario.n_cities=500"],
        ["scenario=seoul_pyongyang", "policy=plan_2016", "seed=12"],
    ],
)
def test_run_config_yaml_is_omegaconfs_text(overrides: list[str]) -> None:
    from hydra import compose, initialize_config_dir
    from omegaconf import OmegaConf

    from sim.cli.config import config_dir, register
    from sim.experiments.runner import config_yaml

    register()
    with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
        cfg = compose("config", overrides=overrides)
    assert config_yaml(cfg) == OmegaConf.to_yaml(cfg, resolve=True)
    # A string that reads as a number or a boolean stays a string, quoted as OmegaConf does.
    cfg.scenario.name = "1.5"
    cfg.policy = "yes"
    assert config_yaml(cfg) == OmegaConf.to_yaml(cfg, resolve=True)


def test_collect_dedups_and_streams(tmp_path: Path) -> None:
    from sim.experiments.summary import collect
    from sim.outputs.atomic import write_json

    for i in range(5):
        write_json(
            {
                "run_id": f"r{i % 4}",  # r0 twice: the later attempt wins
                "status": "completed" if i != 3 else "failed",
                "error": None if i != 3 else "ValueError: x",
                "job_num": i,
                "run_dir": f"d{i}",
                "overrides": f"seed={i}",
                "seed": i,
                "finished_at": f"2024-01-0{i + 1}T00:00:00+00:00",
                "params": {"levers.coordination": 0.5 if i else 1},
                "outcomes": {"peace_2y": 0.1 * i, "peace_10y": None},
            },
            tmp_path / f"d{i}" / "status.json",
        )
    (tmp_path / "d9").mkdir()  # a folder without a status file (a killed run)
    frame = pd.read_parquet(collect(tmp_path, batch=2))
    assert sorted(frame["run_id"]) == ["r0", "r1", "r2", "r3"]
    assert frame.set_index("run_id").loc["r0", "seed"] == 4
    assert frame["levers.coordination"].dtype == float
    assert frame["peace_10y"].isna().all()


def test_design_files_and_errors(tmp_path: Path) -> None:
    from sim.errors import ConfigError
    from sim.experiments.design import (
        Design,
        design_dir,
        load_design,
        plan,
        replication_seeds,
        sample,
    )

    for path in design_dir().glob("*.yaml"):
        design = load_design(path.stem)
        assert design.method in ("lhs", "sobol", "morris", "replicate")
    lhs = load_design("lhs", ["design.n=5"])
    points = sample(lhs)
    assert points.shape == (5, len(lhs.parameters))
    for j, p in enumerate(lhs.parameters):
        assert (points[:, j] >= p.low).all() and (points[:, j] <= p.high).all()
    jobs = plan(load_design("lhs", ["design.n=2", "design.replications=3"]), ["policy=a,b"])
    assert len(jobs) == 2 * 2 * 3 and jobs["overrides"].is_unique
    with pytest.raises(ConfigError, match="power of 2"):
        load_design("sobol", ["design.n=6"])
    with pytest.raises(ConfigError, match="inside"):
        bad = tmp_path / "bad.yaml"
        bad.write_text("method: lhs\nparameters:\n  model.trust.success: [0.5, 2.0]\n")
        load_design(str(bad))
    with pytest.raises(ConfigError, match="seed"):
        plan(lhs, ["seed=3"])
    # Seeds: prefix-stable when replications grow, distinct, below 2**63.
    few = replication_seeds(Design(name="x", replications=3, root_seed=1))
    more = replication_seeds(Design(name="x", replications=6, root_seed=1))
    assert more[:3] == few and len(set(more)) == 6 and max(more) < 2**63
    pytest.importorskip("SALib")
    sobol = load_design("sobol", ["design.n=4"])
    assert len(sample(sobol)) == 4 * (len(sobol.parameters) + 2)
    morris = load_design("morris", ["design.n=3"])
    assert len(sample(morris)) == 3 * (len(morris.parameters) + 1)


def test_sweep_bad_input_exit_2_no_folder(tmp_path: Path) -> None:
    for args in (
        ["sweep", "design=nope"],
        ["sweep", "design=lhs", "design.n=2", "policy=nope"],
        ["sweep", "design=lhs", "design.bogus=1"],
        ["sweep", "design=replicate", "scenario=two_cities", "hydra/launcher=nope"],
        ["sweep", "design=replicate", "scenario=two_cities", "--runs-per-job=0"],
        ["sweep", "design=replicate", "scenario=two_cities", "--runs-per-job=3", "--full-compose"],
    ):
        proc = run_cli([*args, f"hydra.sweep.dir={tmp_path / 'sw'}"], tmp_path)
        assert proc.returncode == 2, (args, proc.stderr)
        assert proc.stderr.strip().splitlines()[-1].startswith("citypeace: error:")
        assert "Traceback" not in proc.stderr
        assert not (tmp_path / "sw").exists()


@pytest.mark.parametrize("launcher", ["basic", JOBLIB])
def test_runs_per_job_gives_the_same_runs(tmp_path: Path, launcher: str) -> None:
    """--runs-per-job=3 --run-folders: 8 runs in launcher jobs of 3, 3 and 2; the same folders
    and outputs as one run per job; a rerun after losing two runs redoes just those two.
    (Without --run-folders: tests/test_sweep_records.py.)"""
    design = tmp_path / "tiny.yaml"
    design.write_text(
        "method: lhs\nn: 4\nreplications: 2\nroot_seed: 7\n"
        "parameters:\n  model.trust.success: [0.01, 0.15]\n  levers.coordination: null\n"
    )
    sweeps = {}
    for per_job in (1, 3):
        sweeps[per_job] = tmp_path / f"per{per_job}"
        args = ["sweep", f"design={design}", *FAST, f"hydra/launcher={launcher}"]
        args += [f"--runs-per-job={per_job}", f"hydra.sweep.dir={sweeps[per_job]}"]
        args += ["--run-folders"] if per_job > 1 else []
        proc = run_cli(args, tmp_path)
        assert proc.returncode == 0, proc.stderr
    one, three = (_summary(sweeps[k]) for k in (1, 3))
    assert len(three) == 8 and (three["status"] == "completed").all()
    assert sorted(three["run_id"]) == sorted(one["run_id"])
    assert sorted(three["job_num"]) == list(range(8))
    for row in three.itertuples():
        assert row.run_dir == row.run_id
        _assert_same_run(sweeps[3] / row.run_dir, sweeps[1] / row.run_dir)
    batches = json.loads((sweeps[3] / "batches.json").read_text())["batches"]
    assert [len(b) for b in batches] == [3, 3, 2]
    assert sorted(p.name for p in (sweeps[3] / ".batches").iterdir()) == [
        "000000",
        "000001",
        "000002",
    ]
    # Lose two runs, then resume: those two run again, the other six are skipped.
    lost = list(three["run_dir"][:2])
    for name in lost:
        shutil.rmtree(sweeps[3] / name)
    kept = {p: p.stat().st_mtime_ns for p in _status_files(sweeps[3])}
    again = run_cli(["sweep", "resume", str(sweeps[3])], tmp_path)
    assert again.returncode == 0, again.stderr
    assert len(_summary(sweeps[3])) == 8
    assert {p: p.stat().st_mtime_ns for p in kept} == kept
    for name in lost:
        _assert_same_run(sweeps[3] / name, sweeps[1] / name)


def test_progress_counts_job_markers(tmp_path: Path) -> None:
    from sim.experiments.progress import Progress
    from sim.experiments.run_status import mark_progress

    mark_progress(tmp_path, "old")
    bar = Progress(tmp_path, total=3, every=0.05).start()
    assert bar.done() == 0  # markers of an earlier session are cleared
    for i in range(3):
        mark_progress(tmp_path, f"r{i}")
    time.sleep(0.2)
    assert bar.done() == 3
    bar.stop()


def test_sweep_resume_command(tmp_path: Path) -> None:
    sweep = tmp_path / "sweep"
    proc = run_cli(["-m", *FAST, "horizon=12", "seed=1,2", f"hydra.sweep.dir={sweep}"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    first = {p: p.stat().st_mtime_ns for p in _status_files(sweep)}
    (sweep / "summary.parquet").unlink()
    again = run_cli(["sweep", "resume", str(sweep)], tmp_path)
    assert again.returncode == 0, again.stderr
    assert len(_summary(sweep)) == 2
    assert {p: p.stat().st_mtime_ns for p in _status_files(sweep)} == first


def test_launcher_presets_compose() -> None:
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from sim.cli.config import config_dir, register

    register()
    GlobalHydra.instance().clear()
    plugins = {
        "joblib": "hydra_plugins.hydra_joblib_launcher",
        "slurm": "hydra_plugins.hydra_submitit_launcher",
        "submitit_local": "hydra_plugins.hydra_submitit_launcher",
        "ray": "hydra_plugins.hydra_ray_launcher",
        "ray_cluster": "hydra_plugins.hydra_ray_launcher",
    }
    shipped = {p.stem for p in (ROOT / "configs" / "hydra" / "launcher").glob("*.yaml")}
    assert {"ray_cluster", "slurm"} <= shipped
    installed = [n for n, m in plugins.items() if importlib.util.find_spec(m) is not None]
    if not installed:
        pytest.skip("no launcher plugin installed")
    try:
        with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
            for name in installed:
                cfg = compose(
                    "config", overrides=[f"hydra/launcher={name}"], return_hydra_config=True
                )
                assert cfg.hydra.launcher._target_.startswith("hydra_plugins."), name
                if name == "slurm":
                    assert cfg.hydra.launcher.cpus_per_task == 1
    finally:
        GlobalHydra.instance().clear()


def test_joblib_gets_a_batch_size_unless_one_is_given() -> None:
    from sim.experiments.sweep_launch import JOBLIB_BATCH, joblib_defaults

    joblib = ["hydra/launcher=joblib", "hydra.launcher.n_jobs=2"]
    assert joblib_defaults(joblib) == [*joblib, f"hydra.launcher.batch_size={JOBLIB_BATCH}"]
    given = [*joblib, "hydra.launcher.batch_size=auto"]
    assert joblib_defaults(given) == given
    for other in ([], ["hydra/launcher=basic"], ["hydra/launcher=ray"]):
        assert joblib_defaults(other) == other
    # Jobs of several runs each are long enough to go one at a time.
    assert joblib_defaults(joblib, runs_per_job=5) == [*joblib, "hydra.launcher.batch_size=1"]


def test_a_batch_of_runs_keeps_failed_rows_per_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--runs-per-job steps a job's runs as one batch: an invalid run and a run that raises
    mid-run become failed rows; the others complete, each as its single run would."""
    import sim.engine.stages.violence as violence_stage
    from sim import PeaceModel
    from sim.cli.config import model_kwargs
    from sim.experiments import sweep_batch
    from sim.experiments.run_status import new_record, read_status
    from sim.experiments.runner import RunRecord, config_hash
    from sim.experiments.validate import _compose

    original = violence_stage.update_cities

    def poisoned(world, state, co, month, rngs):  # noqa: ANN001, ANN202 - a spy
        original(world, state, co, month, rngs)
        if month.step == 3 and (co.trust.decay[:, 0] == 0.0345).any():
            raise RuntimeError("injected failure")

    monkeypatch.setattr(violence_stage, "update_cities", poisoned)
    runs = []
    for seed, decay in ((1, 0.02), (2, 7.0), (3, 0.0345), (4, 0.03)):
        cfg = _compose([*FAST, "horizon=8", f"seed={seed}"])
        cfg.model.trust.decay = decay
        run_id = config_hash(cfg)
        out = tmp_path / run_id
        record = new_record(cfg, out, tmp_path, seed, [f"seed={seed}"], run_id)
        try:
            kwargs, error = model_kwargs(cfg), None
        except Exception as exc:  # noqa: BLE001 - the invalid run
            kwargs, error = None, f"{type(exc).__name__}: {exc}"
        runs.append(sweep_batch._Run(seed, out, record, RunRecord.of(cfg, run_id), kwargs, error))
    sweep_batch.run_together(runs, tmp_path)
    status = [read_status(r.out) for r in runs]
    assert [s["status"] for s in status] == ["completed", "failed", "failed", "completed"]
    assert "model.trust.decay" in status[1]["error"]
    assert "injected failure" in status[2]["error"]
    assert status[0]["batch_runs"] == 3 and (runs[2].out / "error.txt").is_file()
    monkeypatch.undo()
    alone = PeaceModel("two_cities", seed=4, horizon=8, params={"trust": {"decay": 0.03}})
    got = pd.read_parquet(runs[3].out / "timeseries.parquet")
    pd.testing.assert_frame_equal(got, as_written(alone.run().timeseries()), check_exact=True)
    assert status[3]["months"] == 8


def test_a_batch_marker_counts_its_runs(tmp_path: Path) -> None:
    """sobol17: a batched job leaves one marker ``<key>+<runs>`` for all its runs."""
    from sim.experiments.progress import Progress
    from sim.experiments.run_status import mark_progress

    bar = Progress(tmp_path, total=600, every=0.05).start()
    mark_progress(tmp_path, "0123abcd", 512)
    mark_progress(tmp_path, "skipped-000001", 7)
    mark_progress(tmp_path, "a+b")  # one run whose id has a plus: one
    assert bar.done() == 520
    bar.stop()
    assert len(list((tmp_path / ".progress").iterdir())) == 3
