"""``citypeace report`` on a small sweep: the files exist and the numbers match summary.parquet."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import run_cli


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report")
    sweep = root / "sweep"
    args = [
        "-m",
        "scenario=two_cities",
        "horizon=36",
        "policy=baseline,no_mediator",
        "seed=range(0,3)",
        "output.dashboard=false",
        "output.activities=false",
        f"hydra.sweep.dir={sweep}",
    ]
    proc = run_cli(args, root)
    assert proc.returncode == 0, proc.stderr
    return sweep


def test_report_files_and_numbers(sweep: Path) -> None:
    proc = run_cli(["report", str(sweep), "--outcome", "peace_2y"], sweep.parent)
    assert proc.returncode == 0, proc.stderr
    out = sweep / "report"
    for name in (
        "report.md",
        "report.json",
        "ranking.csv",
        "ranking.png",
        "fan_peace.png",
        "fan_cross_divide_trust.png",
        "distributions.png",
    ):
        assert (out / name).stat().st_size > 0, name
    assert (out / "ranking.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    summary = pd.read_parquet(sweep / "summary.parquet")
    numbers = json.loads((out / "report.json").read_text())
    assert numbers["runs"] == len(summary) == 6
    assert numbers["status"] == {"completed": 6}
    expected = summary.groupby("policy")["peace_2y"].agg(["mean", "count"])
    ranking = pd.read_csv(out / "ranking.csv").set_index("policy")
    for policy, row in expected.iterrows():
        assert ranking.loc[policy, "mean"] == pytest.approx(row["mean"], rel=1e-12)
        assert ranking.loc[policy, "n"] == row["count"]
        assert ranking.loc[policy, "ci_low"] <= row["mean"] <= ranking.loc[policy, "ci_high"]
    assert ranking["p_best"].sum() == pytest.approx(1.0)
    assert list(ranking["rank"]) == [1, 2]
    assert ranking["mean"].is_monotonic_decreasing
    md = (out / "report.md").read_text()
    best = ranking.index[0]
    assert f"| {best} | {expected.loc[best, 'count']} | {expected.loc[best, 'mean']:.4g} |" in md
    for fig in numbers["figures"].values():
        assert f"]({fig})" in md


def test_fan_quantiles_match_run_series(sweep: Path) -> None:
    from sim.experiments.report import fan_data

    summary = pd.read_parquet(sweep / "summary.parquet")
    fans = fan_data(sweep, summary, "peace")
    for policy, fan in fans.items():
        runs = summary[summary["policy"] == policy]["run_dir"]
        series = np.vstack(
            [pd.read_parquet(sweep / r / "timeseries.parquet")["peace"].to_numpy() for r in runs]
        )
        assert np.allclose(fan["q50"], np.median(series, axis=0))
        assert (fan["runs"] == len(runs)).all() and len(fan) == 36


def test_bootstrap_ranking_lower_is_better() -> None:
    from sim.experiments.report import bootstrap_ranking

    frame = pd.DataFrame(
        {
            "status": ["completed"] * 6 + ["failed"],
            "policy": ["a", "a", "a", "b", "b", "b", "b"],
            "D_10y": [0.1, 0.2, 0.3, 0.5, 0.6, 0.7, np.nan],
        }
    )
    table = bootstrap_ranking(frame, "D_10y", resamples=500)
    assert list(table["policy"]) == ["a", "b"]  # less violence ranks first
    assert table.loc[0, "p_best"] == pytest.approx(1.0)
    assert table.loc[1, "n"] == 3  # the failed run is left out


def test_report_on_partial_sweep_rebuilds_summary(sweep: Path, tmp_path: Path) -> None:
    from sim.experiments.report import build_report

    (sweep / "summary.parquet").unlink()
    numbers = build_report(sweep, out_dir=tmp_path / "r", resamples=200)
    assert (sweep / "summary.parquet").is_file() and numbers["runs"] == 6
    assert numbers["outcome"] == "peace_2y"  # the longest horizon the runs reached


def test_report_on_an_empty_folder_leaves_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = run_cli(["report", str(empty)], tmp_path)
    assert proc.returncode == 2, proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith(f"citypeace: error: {empty}: runs = 0: a sweep folder"), line
    assert list(empty.iterdir()) == []  # no summary.parquet, no report/


def test_a_failed_report_keeps_the_old_one(sweep: Path, tmp_path: Path) -> None:
    from sim.errors import ConfigError
    from sim.experiments.report import build_report

    out = tmp_path / "r"
    build_report(sweep, out_dir=out, resamples=100)
    before = sorted(p.name for p in out.iterdir())
    with pytest.raises(ConfigError, match="--outcome"):
        build_report(sweep, outcome="peace_99y", out_dir=out, resamples=100)
    assert sorted(p.name for p in out.iterdir()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]  # no temporary folder left


def test_axes_are_honest(sweep: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fan panels share one y-axis; an index is ranked on its whole 0-1 scale."""
    import matplotlib.pyplot as plt

    from sim.experiments import report_figures
    from sim.experiments.report import bootstrap_ranking, fan_data

    seen = []
    monkeypatch.setattr(report_figures, "_save", lambda fig, path: seen.append(fig) or path)
    summary = pd.read_parquet(sweep / "summary.parquet")
    report_figures.plot_fans(
        fan_data(sweep, summary, "peace"), "peace", tmp_path / "f.png", "policy"
    )
    axes = [ax for ax in seen[-1].axes if ax.get_visible()]
    assert len(axes) == 3 and len({ax.get_ylim() for ax in axes}) == 1
    assert axes[0].get_ylim() == (0.0, 1.0)  # peace is an index
    table = bootstrap_ranking(summary, "peace_2y", resamples=100)
    report_figures.plot_ranking(table, "peace_2y", tmp_path / "r.png", "policy")
    ax = seen[-1].axes[0]
    assert ax.get_xlim() == (0.0, 1.0)
    gap = abs(table["mean"].iloc[0] - table["mean"].iloc[1])
    assert f"first - second: {gap:.3g}" in ax.get_title()
    plt.close("all")
