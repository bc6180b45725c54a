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
ticks have fixed labels. The funds panel's six bands are one collection
(:func:`~sim.outputs.dashboard_lines.stack`); each legend's boxes are laid out once per draw
(:mod:`sim.outputs.legend_once`). Each line of text is laid out by FreeType once,
for its measure and its bitmap (:mod:`sim.outputs.agg_text`). The PNG is RGB, unfiltered
and compressed at zlib level 1 (:mod:`sim.outputs.png`). The figure is made and drawn with
Python's garbage collector paused (its collections walked every object of the process), and
the painter (``sim.cli.painter``) makes the empty figure and its six axes ahead, while the
model runs, and lays out the words every dashboard has (:func:`warm_up`,
:func:`~sim.outputs.dashboard_text.known_lines`); the picture is the same, pixel for pixel.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from sim.outputs.atomic import atomic_write
from sim.outputs.dashboard_lines import relationship_lines, stack
from sim.outputs.dashboard_text import (  # noqa: F401 - INDEX_*: also read from here by tests
    ACTIVITY_TITLE,
    CHANNELS,
    EVENTS_HEADING,
    FUNDS_LEGEND_SIZE,
    FUNDS_TITLE,
    INDEX_LABELS,
    INDEX_TICKS,
    PEACE_ALL,
    PEACE_LINES,
    PEACE_TITLE,
    PEOPLE_LINES,
    PEOPLE_TITLE,
    PILLAR_COLOURS,
    PROJECTS_LABEL,
    RELATIONS_TITLE,
    STYLE,
    SUPTITLE_SIZE,
    TEXT_SIZE,
    VIOLENCE_LINES,
    VIOLENCE_NAMES,
    VIOLENCE_TITLE,
    WHERE,
    flow_label,
    funds_label,
    known_lines,
    peace_label,
)
from sim.outputs.dashboard_ticks import fix_ticks as _fix_ticks
from sim.outputs.dashboard_ticks import (
    rules,
    y_ticks,  # noqa: F401 - also read from here by tests
)
from sim.outputs.legend_once import laid_out_once

# A run's series and events: a pandas frame, or a mapping of column names to arrays (what the
# painter receives: sim.cli.painter draws without importing pandas).
Columns = Any

MONEY = "money units per month (1 unit is about EUR 1,000)"
MAX_LISTED = 12  # events listed under the panels; the rest are in events.parquet
# Room above the top panels for the event numbers (two staggered rows, up to 10 pt + 8 pt type),
# so that the panel titles sit above them rather than behind them.
EVENT_PAD = 24
_DPI = 100  # a 1300 x 1100 picture; the lines laid out ahead are laid out at it


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
    if as_years:  # the panel's limits are set: drawn as vlines would, more cheaply
        rules(ax, dates, "x", colors="0.6", lw=0.8, ls=":", zorder=0)
    else:
        ax.vlines(dates, 0, 1, transform=ax.get_xaxis_transform(), colors="0.6", lw=0.8,
                  ls=":", zorder=0)  # fmt: skip
    if not label:
        return
    # A label is about 6% of a panel wide (five characters at 8 points): events closer than
    # that share one label, so numbers never print over each other.
    low, high = ax.get_xlim()
    gap = 0.06 * (high - low) if as_years else np.timedelta64(150, "D")
    for text, x, level in label_rows(dates[:MAX_LISTED], gap):
        ax.annotate(
            text, (x, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 1 + 9 * level),
            textcoords="offset points", ha="center", va="bottom", fontsize=TEXT_SIZE, color="0.3",
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
    where = WHERE[0] if side else WHERE[1]
    ax = axes[0, 0]
    for col, style in PEACE_LINES:
        ax.plot(x, ts[col + side], style, label=peace_label(col))
    if side:
        ax.plot(x, ts["peace"], color="0.6", lw=0.8, label=PEACE_ALL)
    ax.set_ylim(0, 1)
    ax.set_title(PEACE_TITLE.format(where=where), pad=EVENT_PAD, y=1)
    if side and recipients:
        _name_recipients(ax, recipients)
    laid_out_once(ax.legend(loc="lower right"))
    ax = axes[0, 1]
    for col, label, style in relationship_lines(ts):
        ax.plot(x, ts[col], label=label, **style)
    ax.set_ylim(0, 1)
    ax.set_title(RELATIONS_TITLE, pad=EVENT_PAD, y=1)
    # The lines lie anywhere in 0-1: in Tuzla low, in two_cities high.
    laid_out_once(ax.legend(loc="best"))
    ax = axes[1, 0]
    for pillar, colour in PILLAR_COLOURS.items():
        ax.plot(x, ts[f"flows_{pillar}"], color=colour, label=flow_label(pillar))
    ax.plot(x, ts["projects_active_development"], color=PILLAR_COLOURS["development"], ls="--",
            label=PROJECTS_LABEL)  # fmt: skip
    _headroom(ax, *(ts[f"flows_{p}"] for p in PILLAR_COLOURS), ts["projects_active_development"])
    ax.set_title(ACTIVITY_TITLE, y=1)
    laid_out_once(ax.legend(loc="upper right"))
    ax = axes[1, 1]
    layers = [
        (np.asarray(ts[f"funds_{pillar}_{channel}"], dtype=float), (colour, alpha),
         funds_label(pillar, channel))
        for pillar, colour in PILLAR_COLOURS.items() for channel, alpha in CHANNELS
    ]  # fmt: skip
    handles = stack(ax, x, layers)
    _headroom(ax, np.sum([values for values, _, _ in layers], axis=0))
    ax.set_title(FUNDS_TITLE, y=1)
    funds = ax.legend(handles=handles, loc="upper right", fontsize=FUNDS_LEGEND_SIZE, ncol=2)
    laid_out_once(funds)
    ax = axes[2, 0]
    for col in VIOLENCE_LINES:
        if col + side in ts:
            ax.plot(x, ts[col + side], label=VIOLENCE_NAMES.get(col, col))
    ax.set_ylim(0, 1)
    ax.set_title(VIOLENCE_TITLE.format(where=where), y=1)
    laid_out_once(ax.legend(loc="upper right"))
    ax = axes[2, 1]
    # As shares of the first month's residents: on one axis with the residents themselves
    # (millions) a flight of thousands is a flat line at zero.
    first = float(np.asarray(ts["population"])[0]) if "population" in ts else 0.0
    shares = [
        (100.0 * np.asarray(ts[col]) / first, label)
        for col, label in PEOPLE_LINES
        if col in ts and first > 0
    ]
    for share, label in shares:
        ax.plot(x, share, label=label)
    ax.set_ylim(bottom=0)
    _headroom(ax, *(share for share, _ in shares))
    ax.set_title(PEOPLE_TITLE.format(first=first), y=1)
    laid_out_once(ax.legend(loc="upper right"))
    _fix_ticks(axes, x)
    for i, ax in enumerate(axes.flat):
        mark_events(ax, events, label=i < 2, as_years=True)
    listed = _event_list(events)
    if listed:
        fig.text(0.815, 0.91, f"{EVENTS_HEADING}\n\n{listed}", va="top", ha="left",
                 fontsize=TEXT_SIZE, color="0.2", linespacing=1.5)  # fmt: skip
    fig.suptitle(title, fontsize=SUPTITLE_SIZE)
    return fig


def _name_recipients(ax: Any, names: str) -> None:
    """ "recipient cities: ..." in small type just under the panel, in the free band above the
    next row's title (the top row has no tick labels under it), where it hides no data: at
    most two lines of about 85 characters."""
    import textwrap

    lines = textwrap.wrap(f"recipient cities: {names}", 85, max_lines=2, placeholder=" ...")
    ax.text(0.0, -0.03, "\n".join(lines), transform=ax.transAxes, va="top", ha="left",
            fontsize=TEXT_SIZE, color="0.2")  # fmt: skip


def _blank() -> tuple[Any, Any]:
    """The dashboard's empty figure and its six axes (a fixed layout: nothing in it depends
    on the run), made in :data:`STYLE`, as :func:`panels` is called."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(13, 11), dpi=_DPI)
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


def warm_up(stop: Callable[[], bool] | None = None) -> None:
    """Draw a tiny throwaway figure with every kind of artist the dashboard has, so that the
    fonts are loaded and Matplotlib's first-use work is done, make the dashboard's empty
    figure, then lay out the words every dashboard has (:func:`known_lines`): the painter does
    this while the model runs, and the dashboard then draws in a third of the time.
    ``stop()`` true (the run's data has come) ends the laying out early."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    from sim.outputs.agg_text import Canvas, lay_out

    with rc_context(STYLE):
        fig = Figure(figsize=(2, 2), dpi=_DPI)
        ax = fig.subplots()
        ax.plot([0, 1], [0, 1], label="a")
        ax.legend(handles=stack(ax, np.array([0.0, 1.0]), [(np.ones(2), ("C0", 0.5), "b")]))
        ax.vlines([0.5], 0, 1, transform=ax.get_xaxis_transform(), ls=":")
        laid_out_once(ax.legend(loc="lower right"))
        ax.set_title("t", y=1)
        ax.annotate("1", (0.5, 1.0), xycoords=("data", "axes fraction"), fontsize=8)
        fig.text(0.1, 0.1, "x", fontsize=8)
        fig.suptitle("s", fontsize=11)
        Canvas(fig).draw()
        _READY[:] = [_blank()]
    lay_out(known_lines(), _DPI, stop)


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
    quarter more to compress), unfiltered at zlib level 1 (:mod:`sim.outputs.png`: under half
    the time of Pillow's adaptive filtering, a slightly smaller file)."""
    from sim.outputs.png import write_png

    with open(path, "wb") as fh:
        write_png(fh, np.asarray(canvas.buffer_rgba()))
