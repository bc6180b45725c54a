"""validate's figures drawn faster draw the same: the fan charts' percentiles and date ticks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest


def test_fan_chart_percentiles_are_nanpercentile() -> None:
    from sim.experiments.validation_report import percentiles

    rng = np.random.default_rng(0)
    stack = rng.random((30, 50))
    stack[3, 5] = np.nan  # a failed month in one seed
    stack[:, 7] = np.nan  # a month no seed has
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):
        want = np.nanpercentile(stack, [10, 50, 90], axis=0)
        got = percentiles(stack, [10, 50, 90])
    assert np.array_equal(want, got, equal_nan=True)
    clean = rng.random((30, 181))
    assert np.array_equal(
        np.nanpercentile(clean, [10, 50, 90], axis=0), percentiles(clean, [10, 50, 90])
    )


def test_date_ticks_worked_out_once_draw_the_same_figure(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from sim.experiments import figure_ticks
    from sim.experiments.validation_report import fan_charts

    rng = np.random.default_rng(1)
    dates = [f"{1995 + m // 12}-{m % 12 + 1:02d}" for m in range(181)]
    runs = [pd.DataFrame({"date": dates, "peace": rng.random(181), "needs": rng.random(181)})
            for _ in range(5)]  # fmt: skip
    events = pd.DataFrame({"date": ["1996-01", "2000-12"], "type": ["a", "b"],
                           "origin": ["scenario"] * 2})  # fmt: skip
    once = fan_charts(runs, events, tmp_path / "once.png", "t").read_bytes()
    monkeypatch.setattr(figure_ticks, "once_date_ticks", lambda axis: None)
    plain = fan_charts(runs, events, tmp_path / "plain.png", "t").read_bytes()
    assert once == plain


def test_the_fan_charts_date_axis_gets_the_caching_ticks() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.experiments.figure_ticks import OnceDateFormatter, OnceDateLocator, once_date_ticks

    fig, axes = plt.subplots(1, 2, sharex=True)
    for ax in axes:
        ax.plot(pd.to_datetime(["2000-01", "2010-01"]), [0, 1])
    once_date_ticks(axes[0].xaxis)
    for ax in axes:  # the shared axis's one locator and formatter
        assert isinstance(ax.xaxis.get_major_locator(), OnceDateLocator)
        assert isinstance(ax.xaxis.get_major_formatter(), OnceDateFormatter)
    fig.canvas.draw()
    assert len(axes[0].xaxis.get_major_locator()._seen) == 1  # one view, worked out once
    plt.close(fig)


def _boom(x: int) -> int:
    raise ValueError(f"no {x}")


def test_work_apart_returns_its_result_or_raises_the_childs_error(monkeypatch) -> None:  # noqa: ANN001
    import os

    from sim.experiments import apart

    if apart.usable_cores() >= 2:
        assert apart.start(os.getpid)() != os.getpid()  # a forked process did it
    with pytest.raises(RuntimeError, match="ValueError: no 3"):
        apart.start(_boom, 3)()
    monkeypatch.setattr(apart, "usable_cores", lambda: 1)
    assert apart.start(os.getpid)() == os.getpid()  # one core: done in the caller


def test_fan_charts_drawn_apart_are_the_ones_drawn_here(tmp_path: Path) -> None:
    from sim.experiments import apart
    from sim.experiments.validation_report import fan_charts, fan_charts_png

    dates = [f"{2000 + m // 12}-{m % 12 + 1:02d}" for m in range(36)]
    runs = [pd.DataFrame({"date": dates, "peace": np.linspace(0, 1, 36) * k}) for k in (1, 2)]
    events = pd.DataFrame(columns=["date", "type", "origin"])
    here = fan_charts(runs, events, tmp_path / "f.png", "t").read_bytes()
    assert apart.start(fan_charts_png, runs, events, "t")() == here
