"""The time series: four panels over the whole horizon, every run on screen drawn and labelled.

Colours name the series, line styles the runs (solid: yours; dashed, dotted, dash-dot: the
runs compared). Scenario events are numbered markers (their list, with sources, is in the
Events tab and in the hover readout); the current month is a black line.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.app.blit import Blitter, short
from sim.scenario.vocabulary import TIE_TYPES

DPI = 100
CROSS_COLOUR = "#c2185b"
DELEGATES_COLOUR = "#f48fb1"  # the cross-divide colour, paler: the delegates' trust
NOW_COLOUR = "#111111"

# (title, unit of the y axis, ((column, label, colour, width), ...), fixed y range or None)
PANELS: tuple[tuple[str, str, tuple[tuple[str, str, str, float], ...], Any], ...] = (
    (
        "Peace (Galtung)",
        "index 0–1",
        (
            ("peace", "peace", "#2e7d32", 1.4),
            ("negative_peace", "negative peace 1−D", "#1565c0", 1.4),
            ("positive_peace", "positive peace", "#ef6c00", 2.0),
        ),
        (0.0, 1.0),
    ),
    (
        "Relationships (Lederach)",
        "trust 0–1",
        (
            ("horizontal_integration", "horizontal integration", "#8d6e63", 1.1),
            # The recipient side (ODD 7.9), with the all-city mean thin and grey, as the
            # dashboard draws it: provider cities' standing ties hold the all-city mean still.
            ("vertical_integration_recipients", "vertical integration, recipients", "#37474f", 1.4),
            ("vertical_integration", "vertical, all cities", "#9e9e9e", 0.8),
            # The delegates' trust on the same ties (ODD 7.5, "Two levels of trust"), a paler
            # shade of the same colour drawn beneath it; only where a run has mediation ties
            # (:func:`has_mediation`). Not dashed, as the dashboard draws it: here line
            # styles name the runs.
            ("delegates_trust", "delegates' trust (mediated ties)", DELEGATES_COLOUR, 1.3),
            ("cross_divide_trust", "communities' cross-divide trust", CROSS_COLOUR, 2.2),
        ),
        (0.0, 1.0),
    ),
    (
        "Needs and displaced",
        "share 0–1",
        (
            ("needs", "needs", "#0277bd", 1.6),
            ("displaced_share", "displaced (share of pop.)", "#6a1b9a", 1.6),
            ("capacity", "capacity", "#5d4037", 1.2),
        ),
        (0.0, 1.0),
    ),
    (
        "Aid by pillar (triple nexus)",
        "deliveries / month",
        (
            ("flows_humanitarian", "humanitarian", "#d95f02", 1.4),
            ("flows_development", "development", "#1b9e77", 1.4),
            ("flows_peace", "peace work", "#7570b3", 1.4),
            ("projects_active_development", "active dev. projects", "#004d40", 1.0),
        ),
        None,
    ),
)
COLUMNS = tuple(col for _, _, lines, _ in PANELS for col, _, _, _ in lines)
DELEGATES = "delegates_trust"


def has_mediation(model: Any) -> bool:
    """Whether a run has mediation ties: only a mediated tie lifts the delegates' trust above
    the communities' (rules.delegates), so without one the two are equal all run (Tuzla,
    Seoul-Pyongyang) and the delegates' line is left out of the panel and its legend."""
    return bool(np.any(model.world.ties.type == TIE_TYPES.index("mediation")))


def shown_panels(mediated: bool) -> tuple[tuple[str, str, tuple, Any], ...]:
    """:data:`PANELS` as drawn: without the delegates' trust where no run has mediation."""
    if mediated:
        return PANELS
    return tuple((title, unit, tuple(line for line in lines if line[0] != DELEGATES), ylim)
                 for title, unit, lines, ylim in PANELS)  # fmt: skip


CITY_SCOPED = ("peace", "negative_peace", "positive_peace", "needs", "displaced_share", "capacity")


def year_ticks(start_date: str, horizon: int) -> tuple[list[int], list[str]]:
    """Steps and labels of January ticks, spaced so that at most ~10 appear."""
    year, month = int(start_date[:4]), int(start_date[5:7])
    first = (13 - month) % 12  # steps until the next January
    years = max(1, math.ceil(horizon / 12 / 10))
    steps = list(range(first, horizon + 1, 12 * years))
    return steps, [str(year + (s + month - 1) // 12) for s in steps]


def scenario_events(model: Any) -> list[dict[str, Any]]:
    """The scenario's dated events, numbered from 1 in time order (for markers and lists)."""
    out = []
    for ev in model.case.events:
        if ev.get("step") is None:
            continue
        end = ev.get("end_step")
        out.append(
            {
                "step": int(ev["step"]),
                "end": None if end is None else int(end),
                "type": str(ev.get("type", "event")),
                "date": model.date_of(int(ev["step"])),
                "source": str(ev.get("source") or ""),
                "detail": str(ev.get("description") or ev.get("note") or ""),
            }
        )
    out.sort(key=lambda e: (e["step"], -1 if e["end"] is None else e["end"], e["type"]))
    for i, ev in enumerate(out, start=1):
        ev["number"] = i
    return out


class SeriesPainter:
    """Four stacked panels, built once per run set and size; only lines move each month."""

    def __init__(
        self,
        model: Any,
        n_runs: int,
        styles: Sequence[Any],
        labels: Sequence[str],
        width: int = 640,
        height: int = 560,
        scale: float = 1.0,
        scope: str = "all cities",
        mediated: bool = True,
    ) -> None:
        self.panels = shown_panels(mediated)
        self.width, self.height, self.scale = int(width), int(height), float(scale)
        self.horizon = int(model.horizon)
        fs = 8.0 * self.scale
        fig = self.fig = Figure(figsize=(self.width / DPI, self.height / DPI), dpi=DPI)
        FigureCanvasAgg(fig)
        px = fs * DPI / 72  # one line of text in pixels
        top = 1 - (3.4 * px + (1.5 * px if n_runs > 1 else 0)) / self.height
        bottom = 1.9 * px / self.height
        left = 4.2 * px / self.width
        axes = fig.subplots(len(self.panels), 1, sharex=True)
        fig.subplots_adjust(left=left, right=0.985, top=top, bottom=bottom, hspace=0.5)
        self.axes = list(axes)
        self.events = scenario_events(model)
        self.ylims = [ylim or (0.0, 1.0) for _, _, _, ylim in self.panels]
        for ax, (title, unit, lines, ylim) in zip(self.axes, self.panels, strict=True):
            where = f" — {scope}" if lines[0][0] in CITY_SCOPED else ""
            ax.set_title(f"{title}{where}", fontsize=fs * 1.05, loc="left", pad=2)
            ax.set_ylabel(unit, fontsize=fs * 0.8, labelpad=1)
            ax.tick_params(labelsize=fs * 0.85, length=2, pad=1)
            ax.grid(alpha=0.25)
            for _, label, colour, lw in lines:  # legend entries; the data lines are below
                ax.plot([], [], color=colour, lw=lw * self.scale, label=label)
            ax.set_ylim(*(ylim or (0, 1)))
            self._legend(ax, fs, len(lines))
            for ev in self.events:
                if ev["end"] is not None and ev["end"] > ev["step"]:
                    ax.axvspan(ev["step"], ev["end"], color="#b71c1c", alpha=0.07, lw=0, zorder=0)
                ax.axvline(ev["step"], color="0.55", lw=0.6, ls=":", zorder=0)
        self._fit_texts()
        self._number_events(fs)
        steps, ticks = year_ticks(model.date_of(0), self.horizon)
        self.axes[-1].set_xticks(steps, ticks)
        self.axes[-1].set_xlim(0, max(self.horizon - 1, 1))
        # The date lives in the page's header; the title (``caption``) is drawn only into
        # exported PNGs: a text drawn every month cost 3 ms, as much as all the lines.
        self.title = fig.text(0.01, 0.995, "", fontsize=fs * 1.15, va="top", weight="bold")
        self.caption = ""
        if n_runs > 1:
            handles = [Line2D([], [], color="0.15", ls=styles[r], lw=1.5) for r in range(n_runs)]
            fig.legend(
                handles,
                [short(x, 34) for x in labels],
                loc="upper left",
                bbox_to_anchor=(0.0, 1 - 1.5 * px / self.height),
                ncol=min(n_runs, 4),
                fontsize=fs * 0.85,
                frameon=False,
                handlelength=2.2,
                columnspacing=1.0,
            )
        self._ymax = 1.0
        # Every run's lines are one collection in figure inches (one draw call per run, not one
        # per line; inches, not pixels, so that an export at another dpi draws them in place);
        # the cursor is one more. See ``render``.
        self.order = [
            (p, col, colour, lw)
            for p, (_, _, lines, _) in enumerate(self.panels)
            for col, _, colour, lw in sorted(lines, key=lambda c: c[0] == "cross_divide_trust")
        ]
        self.runs = []
        for r in range(n_runs):
            widths = [lw * self.scale * (1.0 if r == 0 else 0.85) for _, _, _, lw in self.order]
            lc = LineCollection(
                [],
                colors=[colour for _, _, colour, _ in self.order],
                linewidths=widths,
                linestyles=styles[r],
                transform=fig.dpi_scale_trans,
                capstyle="butt",
                joinstyle="round",
            )
            self.runs.append(fig.add_artist(lc))
        self.now = fig.add_artist(
            LineCollection(
                [], colors=NOW_COLOUR, linewidths=1.3 * self.scale, transform=fig.dpi_scale_trans
            )
        )
        self.blit = Blitter(fig, [*self.runs, self.now])

    @staticmethod
    def _legend(ax: Any, fs: float, ncol: int) -> None:
        ax.legend(
            loc="upper right",
            fontsize=fs * 0.75,
            frameon=True,
            framealpha=0.75,
            ncol=ncol,
            handlelength=1.2,
            columnspacing=0.6,
            borderpad=0.2,
            labelspacing=0.1,
            edgecolor="none",
        )

    def _fit_texts(self) -> None:
        """Narrow figures (projector type, phones): legends wrap and titles shrink to fit."""
        renderer = self.fig.canvas.get_renderer()
        for ax, (_, _, lines, _) in zip(self.axes, self.panels, strict=True):
            room = ax.get_window_extent(renderer).width
            legend = ax.get_legend()
            if legend is not None and legend.get_window_extent(renderer).width > room:
                fs = legend.get_texts()[0].get_fontsize() / 0.75
                self._legend(ax, fs, math.ceil(len(lines) / 2))
            title = ax._left_title  # set_title(loc="left") has no public getter of the artist
            wide = title.get_window_extent(renderer).width
            limit = self.width - ax.get_window_extent(renderer).x0 - 4
            if wide > limit:
                title.set_fontsize(title.get_fontsize() * max(limit / wide, 0.6))

    def _number_events(self, fs: float) -> None:
        """Numbered circles on the top panel's upper edge; close ones step down a row."""
        ax = self.axes[0]
        x_px = self.width * (ax.get_position().x1 - ax.get_position().x0) / max(self.horizon, 1)
        last_at: list[float] = []
        for ev in self.events:
            row = 0
            while row < len(last_at) and (ev["step"] - last_at[row]) * x_px < 2.2 * fs:
                row += 1
            if row == len(last_at):
                last_at.append(-1e9)
            last_at[row] = ev["step"]
            ax.annotate(
                str(ev["number"]),
                (ev["step"], 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(0, -1.1 * fs * (row + 0.6)),
                textcoords="offset points",
                ha="center",
                va="center",
                fontsize=fs * 0.75,
                color="white",
                weight="bold",
                zorder=6,
                bbox={"boxstyle": "circle,pad=0.15", "fc": "0.35", "ec": "none"},
            )

    def axis_pixels(self) -> tuple[float, float]:
        """Left and right pixel of the time axis (for the hover readout)."""
        box = self.axes[0].get_position()
        return box.x0 * self.width, box.x1 * self.width

    def _inches(self, panel: int, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """(n, 2) figure inches of data points of a panel, values clipped to its y range."""
        lo, hi = self.ylims[panel]
        xy = np.column_stack([x, np.clip(y, lo, hi)])
        return self.axes[panel].transData.transform(xy) / self.fig.dpi

    def render(self, data: Sequence[Mapping[str, Any]], now: int, title: str = "") -> bytes:
        """Draw each run's series with the cursor at month ``now`` (none if ``now`` < 0).

        ``data`` has one mapping per run (in run order): ``step`` and each column's values,
        or for a column with its own months (one city's series) a pair (steps, values).
        ``title`` is kept for exports (see ``figures.export_png``), not drawn live.
        """
        top = 1.0
        for series in data:
            for col in series:
                if col.startswith(("flows_", "projects_")):
                    y = np.asarray(series[col], dtype=float)
                    if y.size and np.isfinite(y).any():
                        top = max(top, float(np.nanmax(y)))
        # Grow the activity axis in steps, so it does not jump every month.
        if top > self._ymax or top < self._ymax / 4:
            self._ymax = max(1.0, 2 ** math.ceil(math.log2(top * 1.1)))
            self.axes[-1].set_ylim(0, self._ymax)
            self.ylims[-1] = (0.0, self._ymax)
            self.blit.invalidate()  # the ticks of that axis live in the background
        empty = np.zeros((0, 2))
        for lc, series in zip(self.runs, data, strict=False):
            steps = np.asarray(series.get("step", ()), dtype=float)
            segments = []
            for panel, col, _, _ in self.order:
                value = series.get(col)
                if value is None:
                    segments.append(empty)
                    continue
                x, y = value if isinstance(value, tuple) else (steps, value)
                segments.append(self._inches(panel, x, np.asarray(y, dtype=float)))
            lc.set_segments(segments)
        cursor = []
        for ax in self.axes if now >= 0 else ():  # before the first month: no cursor yet
            lo, hi = ax.get_ylim()
            cursor.append(ax.transData.transform([(now, lo), (now, hi)]) / self.fig.dpi)
        self.now.set_segments(cursor)
        self.caption = title
        return self.blit.image()
