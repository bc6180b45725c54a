"""Where the network view puts each actor, and where its labels go without overlapping.

Deterministic and O(N): never a force-directed layout at run time, so the picture is the same
on every screen and a click maps back to one city.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))


def has_coordinates(model: Any) -> bool:
    """Geographic layout only when every city has lat/lon (display only, MODEL.md 2)."""
    n = model.n_cities
    frame = model.actor_frame
    if n < 2 or "lat" not in frame or "lon" not in frame:
        return False
    lat = pd.to_numeric(frame["lat"].iloc[:n], errors="coerce").to_numpy(dtype=float)
    lon = pd.to_numeric(frame["lon"].iloc[:n], errors="coerce").to_numpy(dtype=float)
    return bool(np.isfinite(lat).all() and np.isfinite(lon).all() and np.ptp(lat) + np.ptp(lon))


def sunflower(count: int, radius: float) -> np.ndarray:
    """(count, 2) points filling a disc evenly; deterministic, first point at the centre."""
    if count <= 0:
        return np.zeros((0, 2))
    k = np.arange(count)
    r = radius * np.sqrt((k + 0.5) / count) if count > 1 else np.zeros(1)
    a = k * GOLDEN_ANGLE
    return np.stack([r * np.cos(a), r * np.sin(a)], axis=1)


def _top_row(count: int, y: float, x_lo: float, x_hi: float) -> np.ndarray:
    """Actors without a place of their own: a row on top, like the top of Lederach's pyramid."""
    if count == 0:
        return np.zeros((0, 2))
    xs = np.linspace(x_lo, x_hi, count + 2)[1:-1]
    return np.stack([xs, np.full(count, y)], axis=1)


def network_layout(model: Any) -> tuple[np.ndarray, str, list[tuple[str, float, float]]]:
    """Positions of every actor, the layout kind and group labels (text, x, y).

    * ``geographic``: cities at lon/lat (x scaled by cos(mean latitude)); no map tiles.
    * ``community``: one disc per community on a circle (cities without a single community in
      the middle), largest city at each disc's centre.

    Other actors sit with their community, or at their country's cities, or, with neither, in a
    row on top. Fully deterministic and O(N): never a force-directed layout at run time.
    """
    n, a = model.n_cities, model.n_actors
    frame = model.actor_frame
    pos = np.full((a, 2), np.nan)
    community = model.actors.community.copy()
    country = model.actors.country
    pop = model.cities.population
    labels: list[tuple[str, float, float]] = []
    if has_coordinates(model):
        kind = "geographic"
        lat = frame["lat"].iloc[:n].to_numpy(dtype=float)
        lon = frame["lon"].iloc[:n].to_numpy(dtype=float)
        x = lon * math.cos(math.radians(float(np.mean(lat))))
        y = lat
        span = max(np.ptp(x), np.ptp(y), 1e-9)
        pos[:n, 0] = (x - x.mean()) / span * 2.0
        pos[:n, 1] = (y - y.mean()) / span * 2.0
    else:
        kind = "community"
        groups = sorted({int(c) for c in community[:n] if c >= 0})
        mixed = bool((community[:n] < 0).any())
        ring = 1.0 if len(groups) > 1 else 0.0
        centre: dict[int, tuple[float, float]] = {}
        for i, g in enumerate(groups):
            # Start at the left so two sides of a divide face each other across the middle.
            ang = math.pi - 2 * math.pi * i / max(len(groups), 1)
            centre[g] = (ring * math.cos(ang), ring * 0.8 * math.sin(ang))
        if mixed:
            centre[-1] = (0.0, 0.0)
        size = 0.42 if len(centre) > 1 else 0.9
        for g, (cx, cy) in centre.items():
            rows = np.flatnonzero(community[:n] == g)
            rows = rows[np.argsort(-pop[rows], kind="stable")]
            pts = sunflower(rows.size, size * min(1.0, math.sqrt(rows.size / 12) + 0.25))
            pos[rows] = pts + (cx, cy)
            name = "mixed cities" if g < 0 else model.case.communities[g]
            bottom = float(pts[:, 1].min()) if rows.size else 0.0
            labels.append((name, cx, cy + bottom - 0.17))
    # Non-city actors: with their community's cities, else their country's, else on top.
    city_rows = np.arange(n)
    ymax = float(np.nanmax(pos[:n, 1])) if n else 0.0
    xlo, xhi = (float(np.nanmin(pos[:n, 0])), float(np.nanmax(pos[:n, 0]))) if n else (-1, 1)
    homeless: list[int] = []
    placed_near: dict[tuple[str, int], int] = {}
    for r in range(n, a):
        anchor = np.zeros(0, dtype=np.int64)
        key: tuple[str, int]
        if community[r] >= 0:
            anchor = city_rows[community[:n] == community[r]]
            key = ("community", int(community[r]))
        if anchor.size == 0:
            anchor = city_rows[country[:n] == country[r]]
            key = ("country", int(country[r]))
        if anchor.size == 0:
            homeless.append(r)
            continue
        k = placed_near.get(key, 0)
        placed_near[key] = k + 1
        # A short row above their group (0, +d, -d, +2d, ...): governments and agencies sit
        # "higher" than the cities, as in Lederach's pyramid.
        offset = 0.13 * ((k + 1) // 2) * (1 if k % 2 else -1)
        pos[r] = (pos[anchor, 0].mean() + offset, pos[anchor, 1].max() + 0.16)
    pos[homeless] = _top_row(len(homeless), ymax + 0.45, xlo, xhi)
    return pos, kind, labels


def place_labels(
    anchors: np.ndarray,
    sizes: Sequence[tuple[float, float]],
    bounds: tuple[float, float, float, float],
    gap: float = 4.0,
    avoid: Sequence[tuple[float, float, float, float]] = (),
    pad: Sequence[float] | None = None,
    at_anchor: bool = False,
) -> list[tuple[float, float] | None]:
    """Centres for labels of ``sizes`` (w, h) near ``anchors`` (pixels), without overlap.

    Greedy in the given order (put the most important first): each label takes the first of
    below, above, right, left, then further out, that stays inside ``bounds`` (x0, y0, x1, y1;
    y grows downwards) and overlaps no label placed before it nor a box in ``avoid``. A label
    with no free place is left out (None) rather than drawn over another. ``pad`` adds a
    distance per anchor (a node's radius). ``at_anchor`` tries the anchor itself first (a
    group's name under its group).
    """
    x0, y0, x1, y1 = bounds
    placed: list[tuple[float, float, float, float]] = list(avoid)
    out: list[tuple[float, float] | None] = []
    pads = list(pad) if pad is not None else [0.0] * len(sizes)
    for (ax, ay), (w, h), extra in zip(np.asarray(anchors, dtype=float), sizes, pads, strict=True):
        spot = None
        for far in (1.0, 1.8, 2.6):
            d = gap * far + extra
            around = [(0, d + h / 2), (0, -d - h / 2), (d + w / 2, 0), (-d - w / 2, 0)]
            if at_anchor and far == 1.0:
                around.insert(0, (0.0, 0.0))
            for dx, dy in around:
                cx, cy = ax + dx, ay + dy
                box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                if box[0] < x0 or box[2] > x1 or box[1] < y0 or box[3] > y1:
                    continue
                if any(_overlap(box, other) for other in placed):
                    continue
                spot = (cx, cy)
                placed.append(box)
                break
            if spot is not None:
                break
        out.append(spot)
    return out


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
