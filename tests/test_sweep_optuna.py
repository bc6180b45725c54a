"""The Optuna sweeper (hydra-optuna-sweeper): a study of 6 trials runs, each trial returns its
run's objective, and a bad objective is one line before anything is written."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
import yaml

from helpers import run_cli

pytest.importorskip("hydra_plugins.hydra_optuna_sweeper")

FAST = ["scenario=two_cities", "horizon=24", "output.dashboard=false", "output.progress=false"]


def test_a_six_trial_study_maximises_the_objective(tmp_path: Path) -> None:
    sweep = tmp_path / "study"
    args = [
        "-m",
        "hydra/sweeper=optuna_levers",
        "hydra.sweeper.n_trials=6",
        "hydra.callbacks.citypeace_sweep.objective=peace_2y",
        "hydra.callbacks.citypeace_sweep.budget=150",
        *FAST,
        f"hydra.sweep.dir={sweep}",
    ]
    proc = run_cli(args, tmp_path, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = pd.read_parquet(sweep / "summary.parquet")
    assert len(summary) == 6 and (summary["status"] == "completed").all()
    # Each trial's value is its run's objective less its overspend (sim.experiments.optimise).
    over = (summary["funds_total_2y"] / 150 - 1).clip(lower=0)
    values = summary["peace_2y"] - over
    best = yaml.safe_load((sweep / "optimization_results.yaml").read_text())
    assert best["best_value"] == pytest.approx(values.max(), rel=1e-12)
    row = summary.loc[values.idxmax()]
    for key, value in best["best_params"].items():
        assert row[key] == pytest.approx(value) if isinstance(value, float) else row[key] == value
    assert summary["levers.coordination"].between(0, 1).all()
    assert summary["levers.coordination"].nunique() == 6  # the sampler explored


def test_objective_value_penalises_overspending() -> None:
    from sim.experiments.optimise import objective_value

    record = {"status": "completed", "outcomes": {"peace_10y": 0.8, "funds_total_10y": 120.0}}
    assert objective_value(record, "peace_10y", None, "funds_total", True) == 0.8
    assert objective_value(record, "peace_10y", 200.0, "funds_total", True) == 0.8
    assert objective_value(record, "peace_10y", 100.0, "funds_total", True) == pytest.approx(0.6)
    assert objective_value(record, "peace_10y", 100.0, "funds_total", False) == pytest.approx(1.0)
    assert math.isnan(objective_value({"status": "failed"}, "peace_10y", None, "x", True))


@pytest.mark.parametrize(
    ("override", "key", "allowed"),
    [
        ("hydra.callbacks.citypeace_sweep.objective=peace_99y", "objective", "did you mean"),
        ("hydra.callbacks.citypeace_sweep.objective=peace_10y", "objective", "horizon 24"),
        ("hydra.callbacks.citypeace_sweep.budget=-5", "budget", "a number > 0"),
        ("levers.coordination=interval(0,2)", "levers.coordination", "[0"),
    ],
)
def test_a_bad_sweeper_config_is_one_line(
    tmp_path: Path, override: str, key: str, allowed: str
) -> None:
    args = ["-m", "hydra/sweeper=optuna_levers", override, *FAST, "hydra.sweep.dir=study"]
    if "objective" not in override:
        args.append("hydra.callbacks.citypeace_sweep.objective=peace_2y")
    proc = run_cli(args, tmp_path)
    assert proc.returncode == 2, proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith("citypeace: error: ") and f"{key} = " in line and allowed in line, line
    assert list(tmp_path.iterdir()) == []  # no sweep folder, nothing else
