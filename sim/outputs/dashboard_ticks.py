"""The dashboard's ticks, drawn as Matplotlib places them but as a few artists per panel.

Matplotlib makes each tick of an axis five artists (two marks, a grid line, two labels) and
lays them out again while drawing, which cost a sixth of the dashboard's drawing. Here each
panel's ticks are placed and labelled as Matplotlib would (``tests/test_dashboard_drawing.py``
compares the pixels), drawn as one line of marks, one collection of grid lines and a text per
label. Split from ``sim.outputs.dashboard`` (the panels) by idea.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.outputs.dashboard_text import INDEX_LABELS, INDEX_TICKS


def fix_ticks(axes: Any, x: np.ndarray) -> None:
    """The time axis in whole years (at most six), labelled on the bottom row only; quarters
    on index panels, at most six round values on the others.

    Matplotlib makes each tick of an axis five artists (two marks, a grid line, two labels)
    and lays them out again while drawing, which cost a sixth of the drawing. Here each
    panel's ticks are drawn as Matplotlib would place them (:func:`_draw_ticks`), but as one
    line of tick marks, one collection of grid lines and a text per label; the axes' own
    locators find no ticks. A panel whose labels need an offset or a power of ten
    (``1e6`` above the axis) keeps Matplotlib's own y ticks.
    """
    from matplotlib.ticker import MaxNLocator, NullLocator

    lo, hi = (float(x[0]), float(x[-1])) if len(x) else (0.0, 1.0)
    pad = max(0.02 * (hi - lo), 1 / 12)
    first, last = int(np.floor(lo)), int(np.ceil(hi))
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 10**9) if (last - first) / s <= 6)
    ticks = np.arange(-(-first // step) * step, last + 1, step)
    ticks = ticks[(ticks >= lo - pad) & (ticks <= hi + pad)]
    for row, ax in enumerate(axes):
        for panel in ax:
            panel.set_xlim(lo - pad, hi + pad)
            panel.xaxis.set_major_locator(NullLocator())
            labels = [f"{t:d}" for t in ticks] if row == len(axes) - 1 else None
            _draw_ticks(panel, "x", ticks, labels)
            ylim = panel.get_ylim()
            panel.set_ylim(ylim)  # as autoscaled: the ticks' own artists must not widen it
            found = y_ticks(panel)
            if found is None:  # Matplotlib's ticks draw the offset text too
                panel.yaxis.set_major_locator(MaxNLocator(nbins=5))
                panel.yaxis.grid(True)
                continue
            panel.yaxis.set_major_locator(NullLocator())
            _draw_ticks(panel, "y", *found)


def y_ticks(panel: Any) -> tuple[np.ndarray, list[str]] | None:
    """The y ticks Matplotlib would draw on ``panel`` at its present limits, and their labels:
    quarters on a 0-1 index, else at most six round values (``MaxNLocator(nbins=5)``) as its
    ``ScalarFormatter`` labels them; None if that label needs an offset or a power of ten."""
    from matplotlib.ticker import MaxNLocator

    ylim = panel.get_ylim()
    if ylim == (0.0, 1.0):  # labelled as ScalarFormatter would
        locs, labels = np.asarray(INDEX_TICKS, dtype=float), list(INDEX_LABELS)
    else:
        locs = MaxNLocator(nbins=5).tick_values(*ylim)
        formatter = panel.yaxis.get_major_formatter()
        labels = formatter.format_ticks(locs)
        if formatter.get_offset():
            return None
    shown = _within(locs, ylim)
    return locs[shown], [t for t, s in zip(labels, shown, strict=True) if s]


def _within(locs: np.ndarray, limits: tuple[float, float]) -> np.ndarray:
    """The ticks Matplotlib draws: those within the view limits, give or take 1e-10 of them
    (``matplotlib.transforms._interval_contains_close``)."""
    a, b = sorted(limits)
    slack = (b - a) * 1e-10
    return (locs >= a - slack) & (locs <= b + slack)


def _draw_ticks(panel: Any, which: str, locs: Any, labels: list[str] | None) -> None:
    """``panel``'s ticks on its ``which`` axis at ``locs``, as Matplotlib's major ticks look
    (left and bottom marks of rcParams' size, width and colour, pointing out; labels at the
    same pad, size and alignment; grid lines in rcParams' grid style): one line of marks,
    one collection of grid lines, a text per label (none: no marks and no labels)."""
    from matplotlib import rcParams
    from matplotlib.lines import TICKDOWN, TICKLEFT, Line2D

    locs = np.asarray(locs, dtype=float)
    axis = f"{which}tick"
    grid = {"colors": rcParams["grid.color"], "linewidths": rcParams["grid.linewidth"],
            "alpha": rcParams["grid.alpha"], "zorder": 1.5}  # fmt: skip
    if which == "x":
        rules(panel, locs, "x", **grid)
    else:
        rules(panel, locs, "y", **grid)
    if labels is None:
        return
    zeros = np.zeros_like(locs)
    size, width = rcParams[f"{axis}.major.size"], rcParams[f"{axis}.major.width"]
    if which == "x":
        xy, marker = (locs, zeros), TICKDOWN
        marks = panel.get_xaxis_transform(which="tick1")
        place, va, ha = panel.get_xaxis_text1_transform(rcParams[f"{axis}.major.pad"] + size)
    else:
        xy, marker = (zeros, locs), TICKLEFT
        marks = panel.get_yaxis_transform(which="tick1")
        place, va, ha = panel.get_yaxis_text1_transform(rcParams[f"{axis}.major.pad"] + size)
    colour = rcParams[f"{axis}.color"]
    label_colour = rcParams[f"{axis}.labelcolor"]
    label_colour = colour if label_colour == "inherit" else label_colour
    # One line of marks, added as an artist: plot's unit handling and data-limit update are
    # not needed (the panel's limits are set; the marks lie outside them).
    panel.add_artist(Line2D(*xy, transform=marks, ls="none", marker=marker, ms=size, mew=width,
                            color=colour, clip_on=False, zorder=1.5))  # fmt: skip
    for loc, text in zip(locs, labels, strict=True):
        at = (loc, 0) if which == "x" else (0, loc)
        panel.text(*at, text, transform=place, va=va, ha=ha, color=label_colour,
                   fontsize=rcParams[f"{axis}.labelsize"])  # fmt: skip


def rules(panel: Any, locs: Any, which: str, **style: Any) -> Any:
    """Lines across ``panel`` at ``locs`` on its ``which`` axis (data units; across the whole
    panel in the other direction), as one collection: what ``vlines`` / ``hlines`` with the
    axis' blended transform draw, without their unit handling and data-limit update (the
    panel's limits are set before any of these is drawn)."""
    from matplotlib.collections import LineCollection

    locs = np.asarray(locs, dtype=float)
    ends = np.zeros((len(locs), 2, 2))
    ends[:, :, 0 if which == "x" else 1] = locs[:, None]
    ends[:, 1, 1 if which == "x" else 0] = 1.0
    transform = panel.get_xaxis_transform() if which == "x" else panel.get_yaxis_transform()
    colours = style.pop("colors", None)
    lines = LineCollection(ends, colors=colours, linestyles=style.pop("ls", "solid"), label="")
    panel.add_collection(lines, autolim=False)
    lines.set(transform=transform, **style)
    return lines
