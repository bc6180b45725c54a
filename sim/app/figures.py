"""The figures of a session at a given screen size: which painter, which data, cached per month.

The page asks for ``render(ses, kind, ...)`` and gets image bytes; painters are built once per
run set, size and scale, and a figure is drawn at most once per month and view (the play
thread draws the next frame *before* the page hears of it, so a render pass only picks up
bytes: drawing inside render passes made Solara give up on clicks while playing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.app.history import city_series, model_series
from sim.app.inspector import CityPainter, city_name
from sim.app.network_figure import NetworkPainter
from sim.app.series_figure import CITY_SCOPED, COLUMNS, SeriesPainter, has_mediation

NARROW = 760  # px: below this width the layout stacks (phones, split screens)


@dataclass(frozen=True)
class ScreenLayout:
    """Pixel sizes of the page's parts for one viewport (and projector mode)."""

    narrow: bool
    sidebar: int
    network: tuple[int, int]
    series: tuple[int, int]
    city: tuple[int, int]
    scale: float


def screen_layout(width: int, height: int, projector: bool = False) -> ScreenLayout:
    """Figure sizes that fit the viewport beside the controls, without scrolling.

    Wide screens: a sidebar of controls, a toolbar on top, then network and series side by
    side filling the rest of the height. Narrow screens: everything stacks at full width.
    """
    width, height = max(int(width), 320), max(int(height), 400)
    scale = 1.35 if projector else 1.0
    if width < NARROW:
        w = width - 16
        return ScreenLayout(True, 0, (w, int(w * 0.9)), (w, int(w * 1.25)), (w, 260), scale)
    sidebar = 250 if width < 1300 else 290
    if projector:
        sidebar += 40
    toolbar = int(160 * (1.2 if projector else 1.0))  # date, buttons and the status chips
    tabs = 44  # the row of tab buttons stays in view under the figures
    free_w = width - sidebar - 28
    free_h = max(height - toolbar - tabs - 16, 300)
    net_w = int(free_w * 0.46)
    series_w = free_w - net_w - 8
    city_w = min(free_w, 620)
    return ScreenLayout(
        False, sidebar, (net_w, free_h), (series_w, free_h), (city_w, int(260 * scale)), scale
    )


def series_data(ses: Any, city: int | None = None) -> list[dict[str, Any]]:
    """Each run's series as the figure draws them, read in place (``sim.app.history``).

    With ``city``, the Galtung and needs panels show that city's own series (its months, its
    values); a city whose history is not recorded (large worlds keep a sample) shows none.
    """
    out = []
    for run in ses.runs:
        data: dict[str, Any] = model_series(run.model, COLUMNS)
        if city is not None and 0 <= city < run.model.n_cities:
            own = city_series(run.model, city)
            for col in CITY_SCOPED:
                data[col] = None if own is None else (own["step"], own[col])
        out.append(data)
    return out


def scope_label(ses: Any, city: int | None) -> str:
    if city is None or not 0 <= city < ses.model.n_cities:
        return "all cities (pop.-weighted)"
    return city_name(ses.model, city).split(" (")[0]


def idle_of(ses: Any, model: Any) -> tuple[np.ndarray, str]:
    """The actors ``model``'s policy leaves idle (``sim.app.idle``), against the scenario."""
    from sim.app.idle import idle_actors
    from sim.app.runs import load_case

    if ses.settings.scenario == "synthetic":
        return idle_actors(model, None)
    base = ses.memo(("base case",), lambda: load_case(ses.settings.scenario))
    return idle_actors(model, base)


def painter(ses: Any, key: tuple, make: Any) -> Any:
    with ses.lock:
        if key not in ses.painters:
            if len(ses.painters) > 12:  # old sizes and focuses: let them go
                ses.painters.clear()
            ses.painters[key] = make()
        return ses.painters[key]


def render(ses: Any, kind: str, size: tuple[int, int], scale: float = 1.0, **kw: Any) -> bytes:
    """JPEG bytes of a figure: ``network`` (run, view_t, selected, focus), ``series`` (view_t,
    city) or ``city`` (city); drawn at most once per month and arguments."""
    key = (kind, ses.version, size, scale, tuple(sorted(kw.items())))
    with ses.lock:
        if key in ses.frames:
            return ses.frames[key]
        image = _draw(ses, kind, size, scale, **kw)
        for old in [k for k in ses.frames if k[1] != ses.version]:
            del ses.frames[old]
        ses.frames[key] = image
        return image


def _draw(ses: Any, kind: str, size: tuple[int, int], scale: float, **kw: Any) -> bytes:
    w, h = size
    t = ses.t if kw.get("view_t") is None else min(int(kw["view_t"]), ses.t)
    if kind == "network":
        r = min(int(kw.get("run", 0)), len(ses.runs) - 1)
        run = ses.runs[r]
        focus = kw.get("selected") if kw.get("focus") else None
        p = painter(
            ses,
            ("network", r, w, h, scale, focus),
            lambda: NetworkPainter(run.model, w, h, scale, focus, idle_of(ses, run.model)),
        )
        label = run.label if len(ses.runs) > 1 else ""
        snap = run.snapshots[min(t, len(run.snapshots) - 1)]
        return p.render(run.model, snap, ses.date(t), t, kw.get("selected"), label)
    if kind == "series":
        city = kw.get("city")
        scope = scope_label(ses, city)
        p = painter(
            ses,
            ("series", w, h, scale, scope),
            lambda: SeriesPainter(
                ses.model,
                len(ses.runs),
                [r.style for r in ses.runs],
                [r.label for r in ses.runs],
                w,
                h,
                scale,
                scope,
                any(has_mediation(r.model) for r in ses.runs),
            ),
        )
        title = f"{ses.date(t)}  (month {t} of {ses.horizon})"
        return p.render(series_data(ses, city), t - 1, title)  # month 0: nothing run, no cursor
    if kind == "city":
        row = int(kw["city"])
        p = painter(
            ses,
            ("city", w, h, scale),
            lambda: CityPainter(
                ses.model, [r.style for r in ses.runs], [r.label for r in ses.runs], w, h, scale
            ),
        )
        hists = [city_series(run.model, row) for run in ses.runs]
        return p.render(hists, f"History of {city_name(ses.model, row).split(' (')[0]}")
    raise ValueError(f"unknown figure {kind!r}")


def export_png(ses: Any, kind: str, size: tuple[int, int], scale: float = 1.0, **kw: Any) -> bytes:
    """A full-quality PNG of a figure as shown, with a footer naming the runs and settings."""
    from sim.app.exports import footer

    with ses.lock:
        render(ses, kind, size, scale, **kw)
        key = [k for k in ses.painters if k[0] == kind]
        p = ses.painters[key[-1]]
        text = p.fig.text(
            0.005, 0.002, footer(ses), fontsize=6, color="0.3", va="bottom", wrap=True
        )
        live = p.title.get_text()
        p.title.set_text(p.caption)  # with the date, which the page shows in its header
        try:
            return p.blit.export(dpi=150)
        finally:
            text.remove()
            p.title.set_text(live)


def readout(ses: Any, city: int | None = None) -> list[str]:
    """One line per month for the hover readout: each run's key values at that month."""
    keys = (
        ("positive_peace", "pos. peace"),
        ("negative_peace", "neg. peace"),
        ("cross_divide_trust", "x-trust"),
        ("needs", "needs"),
    )
    runs = []
    for data in series_data(ses, city):
        at: dict[str, dict[int, float]] = {}
        for k, _ in keys:
            value = data.get(k)
            x, y = value if isinstance(value, tuple) else (data["step"], value)
            if y is not None:
                steps = np.asarray(x, dtype=int).tolist()
                at[k] = dict(zip(steps, np.asarray(y).tolist(), strict=True))
        runs.append(at)
    out: list[str] = []
    for step in range(ses.t):
        parts = [ses.date(step + 1)]
        for run, at in zip(ses.runs, runs, strict=True):
            vals = ", ".join(
                f"{name} {at[k][step]:.2f}"
                for k, name in keys
                if k in at and step in at[k] and np.isfinite(at[k][step])
            )
            if vals:
                parts.append(f"{run.label[:28]}: {vals}")
        out.append(" | ".join(parts))
    return out


__all__ = ["COLUMNS", "ScreenLayout", "export_png", "readout", "render", "screen_layout"]
