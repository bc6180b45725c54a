"""The network view: cities coloured by positive peace, ties by trust, divides in magenta.

Built once per run, size and focus, then recoloured every month from a snapshot (see
:func:`sim.app.runs.snapshot`), so a scrub back in time redraws an old month just as fast.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.app.blit import Blitter
from sim.app.network_labels import draw_labels
from sim.app.network_layout import network_layout

PEACE_CMAP = colormaps["RdYlGn"]
PEACE_NORM = Normalize(0.0, 1.0)
CROSS_COLOUR = "#c2185b"  # cross-divide ties and divides: one loud colour, the rest in greys
TIE_GREY = np.array([0.25, 0.25, 0.30])
MARKERS = {"national_government": "^", "ngo": "D", "international_organisation": "s"}
DPI = 100
IDLE_RGBA = (0.86, 0.86, 0.86, 0.55)  # actors the run's policy leaves idle


def peace_colours(values: np.ndarray) -> np.ndarray:
    """(N, 4) RGBA for positive peace on a fixed [0, 1] scale, comparable across months."""
    return PEACE_CMAP(PEACE_NORM(np.clip(np.nan_to_num(values, nan=0.0), 0.0, 1.0)))


def node_sizes(population: np.ndarray, n_cities: int, scale: float = 1.0) -> np.ndarray:
    """Marker areas: proportional to sqrt(population), smaller when there are many cities."""
    pop = np.maximum(np.nan_to_num(population, nan=0.0), 0.0)
    top = pop.max() if pop.size and pop.max() > 0 else 1.0
    crowd = math.sqrt(max(n_cities / 25.0, 1.0))
    return scale * (12.0 / crowd + 420.0 / crowd * np.sqrt(pop / top))


def edge_style(
    trust: np.ndarray, cross: np.ndarray, active: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(E, 4) RGBA and (E,) widths: darker and wider with trust; cross-divide in magenta.

    With many ties every line is fainter (and thinner), so that a dense sample reads as shades
    of trust rather than a black blot. An inactive tie is not drawn at all (alpha 0).
    """
    t = np.clip(np.nan_to_num(trust, nan=0.0), 0.0, 1.0)
    dense = min(1.0, math.sqrt(150.0 / max(t.size, 1)))
    rgba = np.empty((t.size, 4))
    rgba[:, :3] = TIE_GREY
    rgba[:, 3] = (0.06 + 0.55 * t) * dense
    cross = np.asarray(cross, dtype=bool)
    rgba[cross, :3] = to_rgba(CROSS_COLOUR)[:3]
    # A cross-divide tie stays visible even at zero trust: the divide itself is the message.
    rgba[cross, 3] = (0.35 + 0.65 * t[cross]) * max(dense, 0.5)
    width = (0.4 + 1.2 * t) * max(dense, 0.5)
    width[cross] = (0.8 + 3.0 * t[cross]) * max(dense, 0.5)
    if active is not None:
        rgba[~np.asarray(active, dtype=bool), 3] = 0.0
    return rgba, width


def sample_edges(
    src: np.ndarray, dst: np.ndarray, cross: np.ndarray, max_edges: int, seed: int = 0
) -> np.ndarray:
    """Indices of the ties to draw: all if few, else a fixed sample that keeps cross-divide ties.

    One direction per pair is enough on screen. The sample is drawn once per run, so the
    picture does not flicker from month to month.
    """
    e = src.size
    lo, hi = np.minimum(src, dst), np.maximum(src, dst)
    _, first = np.unique(lo.astype(np.int64) * (int(hi.max(initial=0)) + 1) + hi, return_index=True)
    first = np.sort(first)
    if first.size <= max_edges:
        return first
    rng = np.random.default_rng(seed)
    is_cross = np.asarray(cross, dtype=bool)[first]
    crossing, other = first[is_cross], first[~is_cross]
    keep_cross = min(crossing.size, max_edges // 2)
    chosen = [rng.choice(crossing, keep_cross, replace=False)] if keep_cross else []
    chosen.append(rng.choice(other, min(other.size, max_edges - keep_cross), replace=False))
    out = np.sort(np.concatenate(chosen))
    assert out.size <= max_edges and out.size <= e
    return out


def neighbourhood(src: np.ndarray, dst: np.ndarray, row: int) -> np.ndarray:
    """``row`` and every actor tied to it (for the focus view of large worlds)."""
    touching = (src == row) | (dst == row)
    return np.unique(np.concatenate([[row], src[touching], dst[touching]]))


class NetworkPainter:
    """One run's network at one size: built once, then recoloured every month.

    Nodes: cities as circles (colour = positive peace, area = population), governments as
    triangles, NGOs as diamonds, international organisations as squares. A dashed magenta ring
    marks a divide inside a mixed city (its width: diversity), a dashed magenta line the divide
    between two communities. ``focus`` zooms to one actor's neighbourhood (large worlds).
    """

    MAX_EDGES = 1500

    def __init__(
        self,
        model: Any,
        width: int = 600,
        height: int = 500,
        scale: float = 1.0,
        focus: int | None = None,
        idle: tuple[np.ndarray, str] | None = None,
    ) -> None:
        self.width, self.height, self.scale = int(width), int(height), float(scale)
        self.pos, self.kind, self.group_labels = network_layout(model)
        t = model.ties
        self.n = model.n_cities
        # Actors the run's policy leaves idle: grey, unnamed, their ties not drawn.
        self.idle, self.idle_note = idle or (np.zeros(model.n_actors, dtype=bool), "")
        fs = 8.5 * self.scale
        if focus is not None:
            keep = neighbourhood(t.src, t.dst, focus)
            inside = np.isin(t.src, keep) & np.isin(t.dst, keep)
            self.edges = np.flatnonzero(inside)[: self.MAX_EDGES]
            self.drawn_note = f"focus: {keep.size - 1} neighbours of one actor"
        else:
            self.edges = sample_edges(t.src, t.dst, t.cross_divide, self.MAX_EDGES)
            pairs = np.unique(
                np.stack([np.minimum(t.src, t.dst), np.maximum(t.src, t.dst)]), axis=1
            )
            self.drawn_note = (
                f"a fixed sample of {self.edges.size} of {pairs.shape[1]} tie pairs"
                if self.edges.size < pairs.shape[1]
                else "active ties only"
            )
        fig = self.fig = Figure(figsize=(self.width / DPI, self.height / DPI), dpi=DPI)
        FigureCanvasAgg(fig)
        # The legend's rows sit under the axes: reserve their height (8 entries at most).
        wide = self.width / self.scale
        self.ncol = 4 if wide >= 560 else 3 if wide >= 420 else 2
        rows = math.ceil((7 + int(self.idle.any())) / self.ncol)
        top_px, bottom_px = 2.6 * fs * DPI / 72, (rows * 1.25 + 0.5) * 0.85 * fs * DPI / 72
        self.bottom_px = bottom_px
        ax = self.ax = fig.add_axes(
            (0.01, bottom_px / self.height, 0.98, 1 - (top_px + bottom_px) / self.height)
        )
        ax.set_axis_off()
        seg = np.stack([self.pos[t.src[self.edges]], self.pos[t.dst[self.edges]]], axis=1)
        self.lines = LineCollection(seg, zorder=1)
        ax.add_collection(self.lines)
        self.edge_idle = self.idle[t.src[self.edges]] | self.idle[t.dst[self.edges]]
        self.divides = self._draw_divides(model, ax)
        self.sizes = node_sizes(model.cities.population, self.n, self.scale)
        self.nodes = ax.scatter(
            self.pos[: self.n, 0],
            self.pos[: self.n, 1],
            s=self.sizes,
            c=peace_colours(np.zeros(self.n)),
            edgecolors="0.2",
            linewidths=0.4 if self.n <= 200 else 0.0,
            zorder=3,
        )
        self._rings(model, ax)
        from sim.scenario.loader import ACTOR_TYPES

        self.marker_area = (55 if model.n_actors <= 200 else 18) * self.scale
        for kind_name, marker in MARKERS.items():
            rows = np.flatnonzero(model.actors.type == ACTOR_TYPES.index(kind_name))
            if rows.size:
                ax.scatter(
                    self.pos[rows, 0],
                    self.pos[rows, 1],
                    s=self.marker_area,
                    marker=marker,
                    c=np.where(self.idle[rows, None], IDLE_RGBA, to_rgba("0.6")),
                    edgecolors=np.where(self.idle[rows, None], to_rgba("0.7"), to_rgba("0.15")),
                    linewidths=0.6,
                    zorder=3,
                )
        self.selected = ax.scatter(
            [],
            [],
            s=500 * self.scale,
            facecolors="none",
            edgecolors="#0d47a1",
            linewidths=2.5,
            zorder=4,
        )
        self._limits(focus, t)
        self.labelled = draw_labels(self, model, fs)
        # The date lives in the page's header (a text drawn every month cost 3 ms); the title
        # names the run and changes only with it. Exports add the date (``caption``).
        self.title = fig.text(0.01, 0.99, "Network", fontsize=fs * 1.2, va="top", weight="bold")
        self.caption, self.label = "Network", ""
        fig.text(
            0.01,
            0.99 - 1.5 * fs * DPI / 72 / self.height,
            self.drawn_note,
            fontsize=fs * 0.85,
            color="0.35",
            va="top",
        )
        self._legend(fs)
        self._city_xy: np.ndarray | None = None
        # Ties, then cities on top, then the selection ring. Texts stay in the background.
        self.blit = Blitter(fig, [self.lines, self.nodes, self.selected])

    # ------------------------------------------------------------------ building

    def _draw_divides(self, model: Any, ax: Any) -> int:
        """Dashed magenta lines between communities in conflict (community layout)."""
        centres = {text: (x, y) for text, x, y in self.group_labels}
        comms = list(model.case.communities)
        divide = getattr(model, "divide", None)
        drawn = 0
        if divide is None or self.kind != "community":
            return 0
        for i in range(len(comms)):
            for j in range(i + 1, len(comms)):
                if i < divide.shape[0] and j < divide.shape[1] and divide[i, j]:
                    a, b = centres.get(comms[i]), centres.get(comms[j])
                    if a is None or b is None:
                        continue
                    mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2 + 0.17
                    dx, dy = b[1] - a[1], a[0] - b[0]  # across the line between the groups
                    norm = math.hypot(dx, dy) or 1.0
                    dx, dy = 0.35 * dx / norm, 0.35 * dy / norm
                    ax.plot(
                        [mx - dx, mx + dx],
                        [my - dy, my + dy],
                        ls=(0, (4, 3)),
                        color=CROSS_COLOUR,
                        lw=1.5 * self.scale,
                        zorder=0,
                    )
                    drawn += 1
        return drawn

    def _rings(self, model: Any, ax: Any) -> None:
        """A dashed ring around a mixed city: a divide runs through it (width: diversity)."""
        frame = model.actor_frame
        if "diversity" not in frame:
            return
        div = frame["diversity"].to_numpy(dtype=float)[: self.n]
        mixed = np.flatnonzero((model.actors.community[: self.n] < 0) & (div >= 0.3))
        if mixed.size and mixed.size <= 200:
            ax.scatter(
                self.pos[mixed, 0],
                self.pos[mixed, 1],
                s=self.sizes[mixed] * 1.9,
                facecolors="none",
                edgecolors=CROSS_COLOUR,
                linestyle="--",
                linewidths=0.6 + 2.5 * div[mixed] * self.scale,
                zorder=2,
            )
        self.mixed = mixed

    def _limits(self, focus: int | None, t: Any) -> None:
        rows = np.arange(len(self.pos))
        if focus is not None:
            rows = neighbourhood(t.src, t.dst, focus)
        pts = self.pos[rows]
        pts = pts[np.isfinite(pts).all(axis=1)]
        labels_y = [y - 0.1 for _, _, y in self.group_labels] if focus is None else []
        pad = 0.22
        lo_x, hi_x = pts[:, 0].min() - pad, pts[:, 0].max() + pad
        lo_y = min([pts[:, 1].min(), *labels_y]) - pad
        hi_y = pts[:, 1].max() + pad
        # Keep the aspect ratio of the data, so discs stay round whatever the screen.
        box = self.ax.get_position()
        want = (box.height * self.height) / (box.width * self.width)
        w, h = hi_x - lo_x, hi_y - lo_y
        if h / w < want:
            grow = (w * want - h) / 2
            lo_y, hi_y = lo_y - grow, hi_y + grow
        else:
            grow = (h / want - w) / 2
            lo_x, hi_x = lo_x - grow, hi_x + grow
        self.ax.set_xlim(lo_x, hi_x)
        self.ax.set_ylim(lo_y, hi_y)

    def _legend(self, fs: float) -> None:
        fig = self.fig
        handles = [
            Line2D([], [], color=CROSS_COLOUR, lw=2.5, label="cross-divide tie"),
            Line2D([], [], color=CROSS_COLOUR, lw=1.5, ls="--", label="divide"),
            Line2D([], [], color=TIE_GREY, lw=1.2, label="other tie"),
            Line2D([], [], marker="o", ls="", color="0.6", label="city (area: population)"),
            Line2D([], [], marker="^", ls="", color="0.6", label="government"),
            Line2D([], [], marker="s", ls="", color="0.6", label="intl. organisation"),
            Line2D([], [], marker="D", ls="", color="0.6", label="NGO"),
        ]
        if self.idle.any():
            handles.append(Line2D([], [], marker="o", ls="", color=IDLE_RGBA, label=self.idle_note))
        ncol = self.ncol
        legend = fig.legend(
            handles=handles,
            loc="lower left",
            fontsize=fs * 0.85,
            ncol=ncol,
            frameon=False,
            borderaxespad=0.1,
            columnspacing=0.8,
            handlelength=1.6,
        )
        # Large type in a narrow figure (projector mode): shrink the legend until it fits.
        wide = legend.get_window_extent(fig.canvas.get_renderer()).width
        if wide > self.width - 4:
            for text in legend.get_texts():
                text.set_fontsize(fs * 0.85 * max((self.width - 4) / wide, 0.6))
        cax = fig.add_axes((0.72, 1 - 2.2 * fs * DPI / 72 / self.height, 0.26, 0.012 * self.scale))
        bar = fig.colorbar(
            ScalarMappable(norm=PEACE_NORM, cmap=PEACE_CMAP), cax=cax, orientation="horizontal"
        )
        bar.set_label("positive peace", fontsize=fs * 0.8, labelpad=1)
        cax.tick_params(labelsize=fs * 0.75, length=2, pad=1)

    # ------------------------------------------------------------------ each month

    def render(
        self,
        model: Any,
        snap: dict[str, np.ndarray],
        date: str,
        month: int,
        selected: int | None = None,
        label: str = "",
    ) -> bytes:
        """The picture of one month from its snapshot (see ``runs.snapshot``)."""
        t = model.ties
        rgba, width = edge_style(
            snap["trust"][self.edges], t.cross_divide[self.edges], snap["active"][self.edges]
        )
        rgba[self.edge_idle, 3] = 0.0
        self.lines.set_color(rgba)
        self.lines.set_linewidth(width * self.scale)
        colours = peace_colours(snap["positive_peace"])
        colours[self.idle[: self.n]] = IDLE_RGBA
        self.nodes.set_facecolors(colours)
        if selected is not None and 0 <= selected < len(self.pos):
            self.selected.set_offsets(self.pos[[selected]])
        else:
            self.selected.set_offsets(np.zeros((0, 2)))
        who = f"  ·  {label}" if label else ""
        if label != self.label:
            self.label = label
            self.title.set_text(f"Network{who}")
            self.blit.invalidate()
        self.caption = f"Network  {date}  (month {month}){who}"
        return self.blit.image()

    def pixels(self) -> np.ndarray:
        """(A, 2) pixel positions of every actor in the image (from the top left)."""
        if self._city_xy is None:
            # The axes have a fixed rectangle and fixed limits, so transData is final already.
            xy = self.ax.transData.transform(np.nan_to_num(self.pos))
            xy[:, 1] = self.height - xy[:, 1]
            self._city_xy = xy
        return self._city_xy

    def city_at(self, x_px: float, y_px: float, radius_px: float = 14.0) -> int | None:
        """The actor nearest a click on the image (pixels from the top left), if close enough."""
        xy = self.pixels()
        d = np.hypot(xy[:, 0] - x_px, xy[:, 1] - y_px)
        i = int(np.argmin(d)) if d.size else -1
        return i if i >= 0 and d[i] <= radius_px * self.scale else None
