"""The command line end to end on two_cities, and every bad input of the core issue."""

from __future__ import annotations

import datetime
from pathlib import Path

import pandas as pd
import pytest

from helpers import as_written, run_cli

GOOD = ["scenario=two_cities", "seed=3", "horizon=36", "output.progress=false"]


def _folders(root: Path) -> list[Path]:
    out = root / "outputs"
    return [p for p in out.rglob("*") if p.is_dir()] if out.exists() else []


def test_run_writes_every_output(tmp_path: Path) -> None:
    proc = run_cli(GOOD, tmp_path)
    assert proc.returncode == 0, proc.stderr
    (run,) = [p for p in (tmp_path / "outputs" / "two_cities").iterdir()]
    for name in (
        "timeseries.parquet",
        "cities.parquet",
        "events.parquet",
        "activities.parquet",
        "config.yaml",
        "dashboard.png",
        "provenance.json",
    ):
        assert (run / name).stat().st_size > 0, name
    ts = pd.read_parquet(run / "timeseries.parquet")
    assert len(ts) == 36 and ts["date"].iloc[0] == datetime.date(2000, 1, 1)  # a real date
    assert not list(run.glob(".*.tmp"))  # no temporary files left


def test_cli_matches_python_api(tmp_path: Path) -> None:
    from sim import PeaceModel

    assert run_cli(GOOD, tmp_path).returncode == 0
    (run,) = list((tmp_path / "outputs" / "two_cities").iterdir())
    api = PeaceModel.from_scenario("two_cities", seed=3, horizon=36).run().timeseries()
    pd.testing.assert_frame_equal(pd.read_parquet(run / "timeseries.parquet"), as_written(api))


def test_python_dash_m_synthetic(tmp_path: Path) -> None:
    proc = run_cli(
        [
            "scenario=synthetic",
            "scenario.n_cities=500",
            "horizon=12",
            "output=large",
            "output.progress=false",
        ],
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    (run,) = list((tmp_path / "outputs" / "synthetic").iterdir())
    assert len(pd.read_parquet(run / "timeseries.parquet")) == 12


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["scenario=atlantis"], "scenario = 'atlantis': one of"),
        (["scenario.n_citie=5"], "scenario.n_citie"),
        (["model.trust.decay=-1"], "model.trust.decay = -1.0: a number in [0, 1]"),
        (["scenario=synthetic", "scenario.n_cities=0"], "scenario.n_cities = 0"),
        (["seed=abc"], "seed = 'abc'"),
        (["horizon=0"], "horizon = 0"),
        (["levers.coordination=1.5"], "levers.coordination = 1.5"),
        (["policy=no_abc"], "policy = 'no_abc': one of"),
        (["scenario=synthetic", "scenario.n_cities=4000000"], "memory"),
        (["scenario.path=/nonexistent/two_cities"], "an existing folder"),
    ],
)
def test_bad_overrides_one_line_exit_2_no_folder(
    tmp_path: Path, args: list[str], needle: str
) -> None:
    proc = run_cli([*args, "output.progress=false"], tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert needle in lines[0]
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not _folders(tmp_path)


def test_help_lists_the_commands(tmp_path: Path) -> None:
    proc = run_cli(["--help"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    for command in ("run", "validate", "sweep", "report", "series", "app"):
        assert f"\n  {command} " in proc.stdout, command
    for command in ("validate", "sweep", "report", "series"):
        sub = run_cli([command, "--help"], tmp_path)
        assert sub.returncode == 0 and f"citypeace {command}" in sub.stdout, (command, sub.stderr)
        assert "Traceback" not in sub.stderr
    assert not (tmp_path / "outputs").exists()


def test_missing_extra_names_the_pip_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    import sys

    from sim.cli import main

    for name in [m for m in sys.modules if m.startswith("sim.app")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "solara", None)  # as if the app extra were missing
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    with pytest.raises(SystemExit) as info:
        main(["app", "--port", "0"])
    assert info.value.code == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("citypeace: error: citypeace app: ") and "(not installed)" in line
    assert line.endswith("pip install 'citypeace[app]'"), line
    monkeypatch.setattr("sim.cli.extras._installed", lambda module: False)
    with pytest.raises(SystemExit) as info:
        main(["-m", "scenario=two_cities", "seed=1,2", "hydra/launcher=joblib"])
    assert info.value.code == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "hydra/launcher = 'joblib'" in line and "pip install 'citypeace[sweep]'" in line


def test_from_config_without_register(tmp_path: Path) -> None:
    """The README's ``from_config``: Hydra's compose API with citypeace's configs, or
    ``sim.cli.config.compose``; no undocumented registration step."""
    import subprocess
    import sys

    code = (
        "from hydra import compose, initialize_config_dir\n"
        "from sim import PeaceModel\n"
        "from sim.cli.config import compose as cp, config_dir\n"
        "with initialize_config_dir(config_dir=str(config_dir()), version_base='1.3'):\n"
        "    cfg = compose('config', overrides=['scenario=tuzla', 'horizon=2'])\n"
        "a = PeaceModel.from_config(cfg).run().timeseries()\n"
        "b = PeaceModel.from_config(cp(['scenario=tuzla', 'horizon=2'])).run().timeseries()\n"
        "assert a.equals(b) and len(a) == 2\n"
        "print('ok')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, timeout=300, check=False)  # fmt: skip
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


def test_painter_draws_the_same_dashboard_and_reports_its_failure(tmp_path: Path) -> None:
    """The command draws the dashboard in a forked painter (sim.cli.painter): the same PNG as
    drawn in process, and a failed write is the same one line, exit 2, as in process."""
    small = ["scenario=two_cities", "horizon=12", "output.progress=false"]
    pngs = []
    for name, env in (("forked", {}), ("one", {"CITYPEACE_PAINTER": "0"})):
        proc = run_cli([*small, f"hydra.run.dir={tmp_path / name}"], tmp_path, env=env)
        assert proc.returncode == 0, proc.stderr
        pngs.append((tmp_path / name / "dashboard.png").read_bytes())
    assert pngs[0] == pngs[1] and pngs[0].startswith(b"\x89PNG")
    lines = []
    for name, env in (("blocked", {}), ("blocked_one", {"CITYPEACE_PAINTER": "0"})):
        run = tmp_path / name
        (run / "dashboard.png").mkdir(parents=True)  # a folder where the picture goes
        proc = run_cli([*small, f"hydra.run.dir={run}"], tmp_path, env=env)
        assert proc.returncode == 2, proc.stderr
        assert [p.name for p in run.iterdir()] == ["dashboard.png"]  # the run's files removed
        lines.append(proc.stderr.replace(name, "RUN"))
    assert lines[0] == lines[1]
    assert lines[0] == (
        f"citypeace: error: {tmp_path / 'RUN' / 'dashboard.png'}: write = 'Is a directory': "
        "a writable folder with free space\n"
    )


def test_a_run_ends_without_the_teardown_unless_something_runs_at_exit(tmp_path: Path) -> None:
    """One run's command (sim.cli.main.command: the console script and ``python -m sim``)
    ends with ``os._exit`` once its folder is written (the interpreter's teardown is skipped),
    its output line flushed; a profiler's results, and ``CITYPEACE_FAST_EXIT=0``, keep the
    normal exit, and ``main()`` returns to its caller."""
    import os
    import subprocess
    import sys

    small = ["scenario=two_cities", "horizon=1", "output.progress=false", "output.dashboard=false"]
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('at exit', flush=True))\n"
        "from sim.cli.main import command, main\n"
        "entry = {'command': command, 'main': main}[sys.argv[1]]\n"
        "sys.argv = ['citypeace', *sys.argv[2:]]\n"
        "entry()\n"
    )
    got = {}
    for name, entry, env in (("fast", "command", {}),
                             ("slow", "command", {"CITYPEACE_FAST_EXIT": "0"}),
                             ("main", "main", {})):  # fmt: skip
        argv = [sys.executable, "-c", code, entry, *small, f"hydra.run.dir={tmp_path / name}"]
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=300, cwd=tmp_path,
                              env={**os.environ, **env}, check=False)  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.startswith("citypeace: wrote "), proc.stdout
        assert (tmp_path / name / "timeseries.parquet").stat().st_size > 0
        got[name] = proc.stdout.splitlines()[-1]
    assert got == {"fast": f"citypeace: wrote {tmp_path / 'fast'}", "slow": "at exit",
                   "main": "at exit"}  # fmt: skip
    profile = tmp_path / "run.prof"
    proc = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "sim",
                           *small, f"hydra.run.dir={tmp_path / 'profiled'}"], capture_output=True,
                          text=True, timeout=300, cwd=tmp_path, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert profile.stat().st_size > 0  # written after main returned
