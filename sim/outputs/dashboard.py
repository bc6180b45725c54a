"""A one-page picture of a run: six panels, with the scenario's events numbered and listed.

Drawn on a bare :class:`matplotlib.figure.Figure` with a fixed layout (pyplot's import and
constrained layout cost more than the drawing), on an Agg canvas that draws a plain line of
text as one bitmap (:mod:`sim.outputs.agg_text`: Matplotlib 3.11 draws text glyph by glyph
in Python, which was three quarters of the drawing). Time is a plain number, the calendar
year, with a few fixed ticks: Matplotlib's date axis (unit conversion, rrule tick search)
cost more than the lines, and each panel's event lines are one collection. Each panel's
ticks are placed and labelled as Matplotlib's would be, but drawn as one line of marks, one
collection of grid lines and a text per label (:func:`_fix_ticks`; Matplotlib makes five
artists of each tick). Titles sit at a fixed height (``y=1``: where Matplotlib's automatic
placement puts them here, without measuring every axis' tick labels first) and 0-1 index
ticks have fixed labels. The PNG is RGB, compressed lightly (zlib level 1: a quarter of the
encoding time, a slightly larger file). The figure is made and drawn with Python's garbage
collector paused (its collections walked every object of the process), and the painter
(``sim.cli.painter``) makes the empty figure and its six axes ahead, while the model runs
(:func:`warm_up`); the PNG is the same, byte for byte.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from sim.outputs.atomic import atomic_write
from sim.outputs.dashboard_lines import relationship_lines
from sim.outputs.dashboard_ticks import (  # noqa: F401 - also read from here by tests
    INDEX_LABELS,
    INDEX_TICKS,
    y_ticks,
)
from sim.outputs.dashboard_ticks import fix_ticks as _fix_ticks

# A run's series and events: a pandas frame, or a mapping of column names to arrays (what the
# painter receives: sim.cli.painter draws without importing pandas).
Columns = Any

PILLAR_COLOURS = {"humanitarian": "#d95f02", "development": "#1b9e77", "peace": "#7570b3"}
MONEY = "money units per month (1 unit is about EUR 1,000)"
MAX_LISTED = 12  # events listed under the panels; the rest are in events.parquet
# Room above the top panels for the event numbers (two staggered rows, up to 10 pt + 8 pt type),
# so that the panel titles sit above them rather than behind them.
EVENT_PAD = 24
# Set before the axes exist, so each tick is made with them (setting them afterwards copies
# every tick's properties again).
STYLE = {
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "axes.grid": False,  # the grid is drawn with the ticks (_fix_ticks)
    "grid.alpha": 0.3,
    "legend.fontsize": 8,
    "axes.titlesize": 10,
}


def scenario_events(events: Columns | None) -> list[tuple[str, str]]:
    """The scenario's own events, (date, type) once per date and type, in date order."""
    if events is None or "origin" not in events:
        return []
    columns = (np.asarray(events[c]).astype(str) for c in ("date", "type", "origin"))
    rows = zip(*columns, strict=True)
    shown = dict.fromkeys((date, kind) for date, kind, origin in rows if origin == "scenario")
    return sorted(shown, key=lambda event: event[0])  # stable: same-date events keep order


def _dates(values: Any) -> np.ndarray:
    import pandas as pd

    return pd.to_datetime(pd.Series(values).astype(str)).to_numpy()


def years(values: Any) -> np.ndarray:
    """Dates ("YYYY-MM" text, dates or datetimes) as calendar years: 1996.5 is 1996-07."""
    months = np.asarray(_as_months(values), dtype="datetime64[M]").astype(np.int64)
    return 1970 + months / 12


def _as_months(values: Any) -> Any:
    array = np.asarray(values)
    if array.dtype.kind in "OUS":  # text parses as months; Python dates are read as days
        text = array.astype(str)
        return text if all(len(t) == 7 for t in text) else text.astype("datetime64[D]")
    return array


def mark_events(ax: Any, events: Columns | None, label: bool = False,
                as_years: bool = False) -> None:  # fmt: skip
    """Dotted vertical lines at scenario events; with ``label``, their numbers on top.
    ``as_years``: the axis counts calendar years (:func:`years`), not dates."""
    shown = [date for date, _ in scenario_events(events)[:40]]
    if not shown:
        return
    dates = years(shown) if as_years else _dates(shown)
    # One collection of lines per panel: an axvline each would be an artist each to draw.
    ax.vlines(dates, 0, 1, transform=ax.get_xaxis_transform(), colors="0.6", lw=0.8, ls=":",
              zorder=0)  # fmt: skip
    if not label:
        return
    # A label is about 6% of a panel wide (five characters at 8 points): events closer than
    # that share one label, so numbers never print over each other.
    low, high = ax.get_xlim()
    gap = 0.06 * (high - low) if as_years else np.timedelta64(150, "D")
    for text, x, level in label_rows(dates[:MAX_LISTED], gap):
        ax.annotate(
            text, (x, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 1 + 9 * level),
            textcoords="offset points", ha="center", va="bottom", fontsize=8, color="0.3",
        )  # fmt: skip


def label_rows(dates: Any, gap: Any) -> list[tuple[str, Any, int]]:
    """Where the event numbers go: ``(text, x, row)``, one label per cluster of events.

    Events less than ``gap`` after the first of a cluster join it and share its label ("2,3"
    for two, "4-9" for more), placed at the cluster's first date. A label within 1.6 gaps of
    the one before goes one row up (two rows), since a range is wider than one number.
    """
    clusters: list[tuple[list[int], Any]] = []
    for number, x in enumerate(dates, start=1):
        if clusters and x - clusters[-1][1] < gap:
            clusters[-1][0].append(number)
        else:
            clusters.append(([number], x))
    placed: list[tuple[str, Any, int]] = []
    for numbers, x in clusters:
        if len(numbers) == 1:
            text = str(numbers[0])
        elif len(numbers) == 2:
            text = f"{numbers[0]},{numbers[1]}"
        else:
            text = f"{numbers[0]}-{numbers[-1]}"
        near = placed and x - placed[-1][1] < 1.6 * gap and placed[-1][2] == 0
        placed.append((text, x, 1 if near else 0))
    return placed


def _event_list(events: Columns | None) -> str:
    shown = scenario_events(events)
    lines = [
        f"{i}  {date}  {kind.replace('_', ' ')}"
        for i, (date, kind) in enumerate(shown[:MAX_LISTED], start=1)
    ]
    if len(shown) > MAX_LISTED:
        lines.append(f"... and {len(shown) - MAX_LISTED} more (events.parquet)")
    return "\n".join(lines)


def focus_names(case: Any) -> str:
    """The display names of a scenario's ``focus`` cities, in its order and joined by commas
    (an id where a city has no name); "" when the scenario has no focus list (its recipient
    side is then the cities that programmes target, ODD 7.9)."""
    focus = [str(a) for a in (getattr(case, "focus", None) or [])]
    if not focus:
        return ""
    from sim.engine.table_columns import has, values

    ids = [str(v) for v in values(case.actors, "id")]
    names = values(case.actors, "name") if has(case.actors, "name") else ids
    by_id = {i: n for i, n in zip(ids, names, strict=True) if isinstance(n, str) and n.strip()}
    return ", ".join(by_id.get(a, a) for a in focus)


def figure(
    ts: Columns, events: Columns | None = None, title: str = "", recipients: str = ""
) -> Any:
    """The dashboard's :class:`~matplotlib.figure.Figure` (:func:`panels`, in :data:`STYLE`)."""
    from matplotlib import rc_context

    with rc_context(STYLE):
        return panels(ts, events, title, recipients)


def panels(
    ts: Columns, events: Columns | None = None, title: str = "", recipients: str = ""
) -> Any:
    """Six panels: peace indices (recipient side), relationships, activity by pillar, funds by
    channel, the recipient cities' violence, needs and capacity, and the people of all cities.

    The peace panel shows the recipient side where the run records it (cities that programmes
    target, or the scenario's ``focus`` list): a population-weighted index over every city is
    dominated by large provider cities whose own peace drifts (issue 15, item 9). The all-city
    index is drawn thin and grey beside it. ``recipients``: the names of the scenario's
    ``focus`` cities (:func:`focus_names`), written at the top of that panel, so that a reader
    sees which cities its recipient side is (a focus list chose them, not the programmes).
    """
    fig, axes = _READY.pop() if _READY else _blank()
    x = years(ts["date"])
    side = "_recipients" if "peace_recipients" in ts else ""
    where = "recipient cities" if side else "all cities"
    ax = axes[0, 0]
    for col, style in (("peace", "-"), ("negative_peace", "--"), ("positive_peace", "-.")):
        ax.plot(x, ts[col + side], style, label=col.replace("_", " "))
    if side:
        ax.plot(x, ts["peace"], color="0.6", lw=0.8, label="peace, all cities")
    ax.set_ylim(0, 1)
    ax.set_title(f"Peace indices (Galtung), {where}, population-weighted", pad=EVENT_PAD, y=1)
    if side and recipients:
        _name_recipients(ax, recipients)
    ax.legend(loc="lower right")
    ax = axes[0, 1]
    for col, label, style in relationship_lines(ts):
        ax.plot(x, ts[col], label=label, **style)
    ax.set_ylim(0, 1)
    ax.set_title("Relationships (Lederach), index 0-1", pad=EVENT_PAD, y=1)
    ax.legend(loc="best")  # the lines lie anywhere in 0-1: in Tuzla low, in two_cities high
    ax = axes[1, 0]
    for pillar, colour in PILLAR_COLOURS.items():
        ax.plot(x, ts[f"flows_{pillar}"], color=colour, label=f"{pillar} (ties delivering)")
    ax.plot(x, ts["projects_active_development"], color=PILLAR_COLOURS["development"], ls="--",
            label="development projects active")  # fmt: skip
    _headroom(ax, *(ts[f"flows_{p}"] for p in PILLAR_COLOURS), ts["projects_active_development"])
    ax.set_title("Activity by pillar (triple nexus), count", y=1)
    ax.legend(loc="upper right")
    ax = axes[1, 1]
    series, labels, colours = [], [], []
    from matplotlib.colors import to_rgba

    for pillar, colour in PILLAR_COLOURS.items():
        for channel, alpha in (("direct", 1.0), ("io", 0.45)):
            series.append(np.asarray(ts[f"funds_{pillar}_{channel}"]))
            labels.append(f"{pillar} ({'via IOs' if channel == 'io' else 'direct'})")
            colours.append(to_rgba(colour, alpha))
    ax.stackplot(x, *series, labels=labels, colors=colours)
    _headroom(ax, np.sum(series, axis=0))
    ax.set_title("Funds delivered, kEUR per month (1 model unit = EUR 1,000)", y=1)
    ax.legend(loc="upper right", fontsize=7, ncol=2)
    ax = axes[2, 0]
    names = {"S": "structural violence", "C": "cultural violence"}
    for col in ("S", "C", "needs", "capacity"):
        if col + side in ts:
            ax.plot(x, ts[col + side], label=names.get(col, col))
    ax.set_ylim(0, 1)
    ax.set_title(f"Structural and cultural violence, needs, capacity ({where})", y=1)
    ax.legend(loc="upper right")
    ax = axes[2, 1]
    # As shares of the first month's residents: on one axis with the residents themselves
    # (millions) a flight of thousands is a flat line at zero.
    first = float(np.asarray(ts["population"])[0]) if "population" in ts else 0.0
    shares = [
        (100.0 * np.asarray(ts[col]) / first, label)
        for col, label in (("fled", "fled (may return)"), ("displaced", "hosted displaced"))
        if col in ts and first > 0
    ]
    for share, label in shares:
        ax.plot(x, share, label=label)
    ax.set_ylim(bottom=0)
    _headroom(ax, *(share for share, _ in shares))
    ax.set_title(f"People displaced, % of the {first:,.0f} residents at the start", y=1)
    ax.legend(loc="upper right")
    _fix_ticks(axes, x)
    for i, ax in enumerate(axes.flat):
        mark_events(ax, events, label=i < 2, as_years=True)
    listed = _event_list(events)
    if listed:
        fig.text(0.815, 0.91, "Scenario events\n\n" + listed, va="top", ha="left", fontsize=8,
                 color="0.2", linespacing=1.5)  # fmt: skip
    fig.suptitle(title, fontsize=11)
    return fig


def _name_recipients(ax: Any, names: str) -> None:
    """ "recipient cities: ..." in small type just under the panel, in the free band above the
    next row's title (the top row has no tick labels under it), where it hides no data: at
    most two lines of about 85 characters."""
    import textwrap

    lines = textwrap.wrap(f"recipient cities: {names}", 85, max_lines=2, placeholder=" ...")
    ax.text(0.0, -0.03, "\n".join(lines), transform=ax.transAxes, va="top", ha="left",
            fontsize=8, color="0.2")  # fmt: skip


def _blank() -> tuple[Any, Any]:
    """The dashboard's empty figure and its six axes (a fixed layout: nothing in it depends
    on the run), made in :data:`STYLE`, as :func:`panels` is called."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(13, 11), dpi=100)
    fig.subplots_adjust(left=0.05, right=0.80, top=0.91, bottom=0.05, hspace=0.30, wspace=0.16)
    return fig, fig.subplots(3, 2)  # one time axis, set by _fix_ticks


# An empty figure made ahead by :func:`warm_up` (the painter's, while the model runs), used
# once by the next :func:`panels`: making the six axes is an eighth of the drawing.
_READY: list[tuple[Any, Any]] = []


def _headroom(ax: Any, *values: Any) -> None:
    """Room above the data for the upper-right legend, which hid MAP's peaks (funds, ties)."""
    top = max((float(np.max(v)) for v in values if np.size(v)), default=0.0)
    if top > 0:
        ax.set_ylim(0, top * 1.45)


def warm_up() -> None:
    """Draw a tiny throwaway figure with every kind of artist the dashboard has, so that the
    fonts are loaded and Matplotlib's first-use work is done: the painter does this while the
    model runs, and the dashboard then draws in two thirds of the time."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    from sim.outputs.agg_text import Canvas

    with rc_context(STYLE):
        fig = Figure(figsize=(2, 2), dpi=100)
        ax = fig.subplots()
        ax.plot([0, 1], [0, 1], label="a")
        ax.stackplot([0, 1], [0, 1], labels=["b"])
        ax.vlines([0.5], 0, 1, transform=ax.get_xaxis_transform(), ls=":")
        ax.legend(loc="lower right")
        ax.set_title("t", y=1)
        ax.annotate("1", (0.5, 1.0), xycoords=("data", "axes fraction"), fontsize=8)
        fig.text(0.1, 0.1, "x", fontsize=8)
        fig.suptitle("s", fontsize=11)
        Canvas(fig).draw()
        _READY[:] = [_blank()]


def write_dashboard(
    ts: Columns, events: Columns | None, path: Path, title: str = "", recipients: str = ""
) -> Path:
    """Render the dashboard to a PNG, atomically (``recipients``: :func:`panels`)."""
    from matplotlib import rc_context

    from sim.outputs.agg_text import Canvas

    with rc_context(STYLE), _no_collection():  # ticks are also made while drawing
        fig = panels(ts, events, title, recipients)
        canvas = Canvas(fig)
        canvas.draw()
        return atomic_write(path, lambda tmp: _save_png(canvas, tmp))


@contextlib.contextmanager
def _no_collection() -> Iterator[None]:
    """Python's cyclic garbage collector paused while the figure is made and drawn: its
    thousands of small artists and transforms set off collections that walk every object of
    the process, an eighth of the drawing's time (measured: 0.40 s with, 0.34-0.35 s without
    or frozen, load 6). Nothing is lost: the figure's cycles are collected after, as ever."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _save_png(canvas: Any, path: Path) -> None:
    """The drawn canvas as an RGB PNG (the figure is opaque: an alpha channel would be a
    quarter more to compress), compressed lightly (zlib level 1: a quarter of the encoding
    time of the default, a slightly larger file)."""
    from PIL import Image

    width, height = canvas.get_width_height()
    rgba = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    with open(path, "wb") as fh:
        rgba.convert("RGB").save(fh, format="png", compress_level=1)
