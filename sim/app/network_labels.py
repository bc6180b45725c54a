"""The network's names: groups, cities and organisations, placed so that none overlaps.

Placement itself is :func:`sim.app.network_layout.place_labels` (pure, tested on its own);
here the painter's nodes become obstacles and text sizes come from the renderer.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.font_manager import FontProperties

from sim.app.network_layout import place_labels

LABEL_ALL_UP_TO = 60  # actors; bigger worlds name their largest cities only
DPI = 100  # the network figure's dots per inch (as in network_figure)


def short_name(name: Any, fallback: str, limit: int = 24) -> str:
    """A label for the picture: the name before any bracket, cut to ``limit`` characters."""
    text = name if isinstance(name, str) and name.strip() else fallback
    head = text.split(" (")[0].strip() or text
    return head if len(head) <= limit else head[: limit - 1] + "…"


def _idle_groups(model: Any, idle: np.ndarray, names: list[str]) -> set[str]:
    """Names of community groups whose cities are all idle (their label is greyed too)."""
    out = set()
    comms = list(getattr(model.case, "communities", ()) or ())
    for g, name in enumerate(comms):
        rows = np.flatnonzero(model.actors.community[: model.n_cities] == g)
        if name in names and rows.size and idle[rows].all():
            out.add(name)
    return out


def draw_labels(painter: Any, model: Any, fs: float) -> list[int]:
    """Names placed without overlap: group names, then cities by size, then the others.

    Every node (city or organisation) is an obstacle, text sizes are measured by the
    renderer, and idle actors (see ``sim.app.idle``) are not named.
    """
    ax = painter.ax
    px = ax.transData.transform(np.nan_to_num(painter.pos))
    px[:, 1] = painter.height - px[:, 1]
    renderer = painter.fig.canvas.get_renderer()

    def size(text: str, points: float, weight: str = "normal") -> tuple[float, float]:
        prop = FontProperties(size=points, weight=weight)
        w, h, _ = renderer.get_text_width_height_descent(text, prop, ismath=False)
        return w + 2.0, h * 1.35

    frame = model.actor_frame
    a = model.n_actors
    idle_groups = _idle_groups(model, painter.idle, [g for g, _, _ in painter.group_labels])
    if a <= LABEL_ALL_UP_TO:
        by_size = np.argsort(-model.cities.population, kind="stable")
        order = [*by_size, *range(painter.n, a)]
    else:
        order = list(np.argsort(-model.cities.population, kind="stable")[:8])
    order = [int(r) for r in order if not painter.idle[r]]
    texts = [short_name(frame["name"].iloc[r], str(model.actors.ids[r])) for r in order]
    radius = np.sqrt(painter.sizes) * DPI / 72 / 2
    mixed = getattr(painter, "mixed", np.zeros(0, dtype=np.int64))
    radius[mixed] *= math.sqrt(1.9) * 1.1  # the dashed ring around a mixed city is an obstacle
    marker = math.sqrt(painter.marker_area) * DPI / 72 / 2
    radii = np.concatenate([radius, np.full(a - painter.n, marker)])
    nodes = [
        (x - r, y - r, x + r, y + r)
        for (x, y), r in zip(px, radii, strict=True)
        if np.isfinite(x) and np.isfinite(y)
    ]
    bounds = (2.0, 2.6 * fs * DPI / 72, painter.width - 2.0, painter.height - painter.bottom_px)
    group = painter.group_labels
    gpx = ax.transData.transform([(x, y) for _, x, y in group]) if group else np.zeros((0, 2))
    gpx[:, 1] = painter.height - gpx[:, 1]
    gsizes = [size(txt, fs * 1.05, "bold") for txt, _, _ in group]
    gspots = place_labels(gpx, gsizes, bounds, 10.0, nodes, at_anchor=True)
    placed = list(nodes)
    for (txt, _, _), spot, (w, h) in zip(group, gspots, gsizes, strict=True):
        if spot is None:
            continue
        placed.append((spot[0] - w / 2, spot[1] - h / 2, spot[0] + w / 2, spot[1] + h / 2))
        ax.text(
            spot[0],
            painter.height - spot[1],
            txt,
            transform=None,
            ha="center",
            va="center",
            fontsize=fs * 1.05,
            weight="bold",
            color="0.3" if txt not in idle_groups else "0.65",
        )
    anchors = px[order] if order else np.zeros((0, 2))
    spots = place_labels(
        anchors,
        [size(s, fs) for s in texts],
        bounds,
        3.0,
        placed,
        pad=[radii[r] for r in order],
    )
    labelled: list[int] = []
    for r, s, spot in zip(order, texts, spots, strict=True):
        if spot is None:
            continue
        ax.text(
            spot[0],
            painter.height - spot[1],
            s,
            transform=None,
            ha="center",
            va="center",
            fontsize=fs,
            color="0.15",
            zorder=5,
        )
        labelled.append(int(r))
    return labelled
