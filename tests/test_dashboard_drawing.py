"""The dashboard's quicker drawing looks as Matplotlib's own: its ticks pixel for pixel, its
text (a line as one bitmap, sim.outputs.agg_text) within a pixel of where Matplotlib puts it."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FixedFormatter, FixedLocator, FormatStrFormatter, MaxNLocator

from sim.outputs import agg_text
from sim.outputs import dashboard as d


def pixels(canvas: FigureCanvasAgg) -> np.ndarray:
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].astype(int)


def ticked(ylim: tuple[float, float], ours: bool) -> np.ndarray:
    """A panel with its ticks drawn by Matplotlib, or as the dashboard draws them."""
    with rc_context({**d.STYLE, "axes.grid": not ours}):
        fig = Figure(figsize=(4, 3), dpi=100)
        ax = fig.subplots()
        ax.plot([2000, 2010], ylim)
        ax.set_ylim(*ylim)
        if ours:  # one row: the bottom row, its years labelled
            d._fix_ticks(np.array([[ax]]), np.array([2000.0, 2010.0]))
        else:  # ten years padded by a fiftieth, every second year
            ax.set_xlim(1999.8, 2010.2)
            ax.xaxis.set_major_locator(FixedLocator(range(2000, 2011, 2)))
            ax.xaxis.set_major_formatter(FormatStrFormatter("%d"))
            if ylim == (0, 1):
                ax.yaxis.set_major_locator(FixedLocator(d.INDEX_TICKS))
                ax.yaxis.set_major_formatter(FixedFormatter(d.INDEX_LABELS))
            else:
                ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
        return pixels(FigureCanvasAgg(fig))


@pytest.mark.parametrize(
    "ylim",
    [
        (0, 1),
        (0, 3.7),
        (0, 10400.0),
        (-2.5, 5),
        (0, 6.43),
        (0, 0.0031),
        (0.2, 0.8),
        (1_000_000, 1_000_004),
    ],  # the last: an offset label, Matplotlib's own ticks  # fmt: skip
)
def test_ticks_and_grid_are_drawn_as_matplotlib_draws_them(ylim: tuple[float, float]) -> None:
    assert np.array_equal(ticked(ylim, ours=True), ticked(ylim, ours=False))


def test_a_label_with_an_offset_keeps_matplotlibs_ticks() -> None:
    fig = Figure()
    ax = fig.subplots()
    ax.set_ylim(1_000_000, 1_000_004)  # labelled 0..4 with "+1e6" above the axis
    assert d.y_ticks(ax) is None
    ax.set_ylim(0, 1)
    locs, labels = d.y_ticks(ax)
    assert list(locs) == list(d.INDEX_TICKS) and labels == list(d.INDEX_LABELS)


def one_text(canvas: type, text: str, **kw: object) -> np.ndarray:
    fig = Figure(figsize=(4, 1.5), dpi=100)
    fig.text(0.5, 0.5, text, **kw)
    return pixels(canvas(fig))


def ink_box(image: np.ndarray) -> tuple[int, int, int, int]:
    rows, cols = np.nonzero((image < 255).any(axis=2))
    return rows.min(), rows.max(), cols.min(), cols.max()


TEXTS = [
    ("Peace indices (Galtung), recipient cities", {"fontsize": 10}),
    ("0.75", {"fontsize": 8, "ha": "right", "va": "center_baseline"}),
    ("2005", {"fontsize": 8, "ha": "center", "va": "top"}),
    ("1  1995-12  violence\n2  1996-01  refugee influx", {"fontsize": 8, "va": "top"}),
    ("tuzla | policy=baseline seed=0", {"fontsize": 11, "ha": "center", "color": "0.3"}),
    ("humanitarian (via IOs)", {"fontsize": 7, "va": "bottom"}),
    ("people displaced, % of 1,539,899 Ajyg", {"fontsize": 9, "va": "baseline"}),
]


@pytest.mark.skipif(not agg_text._ONE_BITMAP, reason="this Matplotlib draws a line in one piece")
@pytest.mark.parametrize(("text", "kw"), TEXTS, ids=[t[:12] for t, _ in TEXTS])
def test_a_plain_line_lands_within_a_pixel_of_matplotlibs(
    text: str, kw: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    theirs = one_text(FigureCanvasAgg, text, **kw)
    calls = []
    real = RendererAgg.draw_text
    monkeypatch.setattr(RendererAgg, "draw_text", lambda *a, **k: calls.append(a) or real(*a, **k))
    mine = one_text(agg_text.Canvas, text, **kw)
    assert calls == []  # drawn as one bitmap, not by Matplotlib's draw_text
    assert np.abs(np.subtract(ink_box(mine), ink_box(theirs))).max() <= 1
    ink_mine, ink_theirs = (255 - mine).sum(), (255 - theirs).sum()
    assert abs(ink_mine - ink_theirs) <= 0.03 * ink_theirs


@pytest.mark.parametrize(
    ("text", "kw"),
    [
        ("Žepče and Tuzla", {}),  # not ASCII: font fallback and shaping are Matplotlib's
        ("서울 평양", {}),
        ("rotated", {"rotation": 30}),
        (r"$\alpha^2$ mathtext", {}),
    ],
)
def test_any_other_text_is_drawn_by_matplotlib(text: str, kw: dict) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a glyph missing from the fonts installed
        assert np.array_equal(one_text(agg_text.Canvas, text, **kw),
                              one_text(FigureCanvasAgg, text, **kw))  # fmt: skip


def test_the_figure_made_ahead_draws_the_same_png_and_gc_is_restored(tmp_path: Path) -> None:
    """The painter's empty figure, made during warm_up (d._READY), is used once and draws the
    same PNG, byte for byte, as one made on the spot; the garbage collector, paused while
    drawing, is on again after (and stays off for a caller who had turned it off)."""
    import gc

    from sim import PeaceModel

    outputs = PeaceModel("tuzla", seed=0, horizon=24).run().batch.outputs()
    ts, events = outputs.timeseries_columns(0), outputs.events_columns(0)
    d._READY.clear()
    d.write_dashboard(ts, events, tmp_path / "spot.png", "Tuzla")
    assert gc.isenabled()
    d.warm_up()
    assert len(d._READY) == 1
    d.write_dashboard(ts, events, tmp_path / "ahead.png", "Tuzla")
    assert d._READY == []  # used once
    assert (tmp_path / "ahead.png").read_bytes() == (tmp_path / "spot.png").read_bytes()
    gc.disable()
    try:
        d.write_dashboard(ts, events, tmp_path / "off.png", "Tuzla")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_headline_panel_names_the_focus_cities() -> None:
    """A scenario whose ``focus`` list chose the recipient side (issue 15 item 9) has its
    cities named under the headline panel, by their display names in the focus list's order;
    a scenario without one (its recipients are the cities programmes target) keeps the
    generic label and draws no such line."""
    from types import SimpleNamespace

    from sim import PeaceModel

    model = PeaceModel("seoul_pyongyang", seed=0, horizon=3)
    names = d.focus_names(model.case)
    assert names == (
        "Pyongyang, Kangwon Province (North), "
        "Other North Korean provinces (aggregate of aid-receiving rural areas)"
    )
    plain = {"id": np.array(["a", "b", "c"]), "name": np.array(["A", None, " "], dtype=object)}
    assert d.focus_names(SimpleNamespace(focus=["c", "a", "b"], actors=plain)) == "c, A, b"
    assert d.focus_names(SimpleNamespace(focus=[], actors=plain)) == ""
    ts = model.run().batch.outputs().timeseries_columns(0)

    def texts(recipients: str) -> list[str]:
        with rc_context(d.STYLE):
            fig = d.panels(ts, None, "Seoul", recipients)
        return [t.get_text() for t in fig.axes[0].texts]

    named = [t for t in texts(names) if t.startswith("recipient cities: ")]
    assert len(named) == 1 and named[0].replace("\n", " ") == f"recipient cities: {names}"
    assert not [t for t in texts("") if "recipient cities" in t]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(1990, 2030, allow_nan=False), min_size=1, max_size=30))
def test_event_labels_cover_every_event_once_and_never_crowd_a_row(years: list[float]) -> None:
    from sim.outputs.dashboard import label_rows

    dates = sorted(years)
    gap = 2.0
    placed = label_rows(dates, gap)
    numbers: list[int] = []
    for text, _, _ in placed:
        if "-" in text:
            first, last = map(int, text.split("-"))
            numbers.extend(range(first, last + 1))
        else:
            numbers.extend(map(int, text.split(",")))
    assert numbers == list(range(1, len(dates) + 1))
    # Clusters start at least a gap apart, so labels of one row never share a gap.
    starts = [x for _, x, _ in placed]
    assert all(b - a >= gap for a, b in zip(starts, starts[1:], strict=False))
    for row in (0, 1):
        xs = [x for _, x, r in placed if r == row]
        assert all(b - a >= gap for a, b in zip(xs, xs[1:], strict=False))


def test_events_on_one_date_share_a_label() -> None:
    from sim.outputs.dashboard import label_rows

    assert label_rows([2000.0, 2000.0, 2000.1, 2010.0], 1.0) == [
        ("1-3", 2000.0, 0),
        ("4", 2010.0, 0),
    ]
    assert label_rows([2000.0, 2000.5, 2001.2], 1.0) == [("1,2", 2000.0, 0), ("3", 2001.2, 1)]


def test_the_relationships_panel_draws_the_recipients_and_one_line_for_equal_series() -> None:
    """The relationships panel draws vertical integration for the recipient side, with the
    all-city mean thin and grey (issue 15 item 9), and horizontal integration that stays
    within 0.005 of cross-divide trust all run as one line named for both; a series that
    leaves that band in a single month keeps its own line, and a run without the recipient
    series draws the all-city one as before."""
    from sim.outputs.dashboard_lines import relationship_lines

    cross = np.array([0.0, 0.2, 0.4, 0.41])
    ts = {
        "cross_divide_trust": cross,
        "horizontal_integration": cross + np.array([0.0, 0.0049, -0.0049, 0.0]),
        "vertical_integration": np.full(4, 0.3),
        "vertical_integration_recipients": np.array([0.2, 0.25, 0.21, 0.2]),
    }
    lines = relationship_lines(ts)
    assert [(c, label) for c, label, _ in lines] == [
        ("cross_divide_trust", "cross-divide trust (= horizontal integration)"),
        ("vertical_integration_recipients", "vertical integration, recipient cities"),
        ("vertical_integration", "vertical integration, all cities"),
    ]
    assert lines[-1][2]["lw"] < 1 and lines[-1][2]["color"] == "0.6"
    apart = dict(ts, horizontal_integration=cross + np.array([0.0, 0.0, 0.0051, 0.0]))
    del apart["vertical_integration_recipients"]
    assert [label for _, label, _ in relationship_lines(apart)] == [
        "cross divide trust",
        "horizontal integration",
        "vertical integration",
    ]
    assert len({str(s["color"]) for _, _, s in relationship_lines(apart)}) == 3

    from sim import PeaceModel

    run = PeaceModel("tuzla", seed=0, horizon=4).run().batch.outputs().timeseries_columns(0)
    with rc_context(d.STYLE):
        fig = d.panels(run, None, "Tuzla")
    drawn = {line.get_label(): line.get_ydata() for line in fig.axes[1].get_lines()}
    assert np.array_equal(
        drawn["vertical integration, recipient cities"], run["vertical_integration_recipients"]
    )
    assert np.array_equal(drawn["vertical integration, all cities"], run["vertical_integration"])


def test_the_delegates_line_needs_a_month_apart_and_takes_the_cross_divide_colour() -> None:
    """The delegates' trust is drawn only where it leaves the communities' by more than
    SAME_LINE in some month (a month without cross-divide ties, NaN, counts as equal); drawn,
    it is dashed in the cross-divide line's colour, whether or not horizontal integration
    shares that line, and the cross-divide line is named for the communities."""
    from sim.outputs.dashboard_lines import SAME_LINE, relationship_lines
    from sim.outputs.dashboard_text import DELEGATES_LABEL

    cross = np.array([np.nan, 0.1, 0.2, 0.3])
    ts = {"cross_divide_trust": cross, "horizontal_integration": cross + 0.2,
          "delegates_trust": cross + np.array([0.0, 0.0, 0.9 * SAME_LINE, 0.0])}  # fmt: skip
    assert [label for _, label, _ in relationship_lines(ts)] == [
        "cross divide trust",
        "horizontal integration",
    ]
    ts["delegates_trust"] = cross + np.array([0.0, 0.0, 1.1 * SAME_LINE, 0.0])
    lines = relationship_lines(ts)
    assert [label for _, label, _ in lines] == [
        "communities' cross-divide trust",
        "horizontal integration",
        DELEGATES_LABEL,
    ]
    assert lines[2][2] == {"color": lines[0][2]["color"], "ls": "--"}
    assert lines[1][2]["color"] != lines[0][2]["color"]
    cross = np.nan_to_num(cross)  # horizontal integration shares the line only without NaN
    ts = {"cross_divide_trust": cross, "horizontal_integration": cross,
          "delegates_trust": cross + 0.1}  # fmt: skip
    lines = relationship_lines(ts)
    assert [label for _, label, _ in lines] == [
        "communities' cross-divide trust (= horizontal integration)",
        DELEGATES_LABEL,
    ]
    assert lines[1][2]["color"] == lines[0][2]["color"]
