"""The command line end to end on two_cities, and every bad input of the core issue."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers import run_cli

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
    assert len(ts) == 36 and ts["date"].iloc[0] == "2000-01"
    assert not list(run.glob(".*.tmp"))  # no temporary files left


def test_cli_matches_python_api(tmp_path: Path) -> None:
    from sim import PeaceModel

    assert run_cli(GOOD, tmp_path).returncode == 0
    (run,) = list((tmp_path / "outputs" / "two_cities").iterdir())
    api = PeaceModel.from_scenario("two_cities", seed=3, horizon=36).run().timeseries()
    pd.testing.assert_frame_equal(pd.read_parquet(run / "timeseries.parquet"), api)


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
