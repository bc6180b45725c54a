"""The live figures (network, time series) and the play loop that feeds them.

While playing, the figures and the status line are updated directly (``push_frame``): reacton
re-walks and updates the whole widget tree on every render, which cost more than drawing the
month, while setting three widget values sends exactly three messages. The other panels catch
up every ``SYNC_S`` seconds and when playing stops.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

import numpy as np
import solara
import solara.lab

from sim.app import figures, state
from sim.app.bands import bands_png
from sim.app.inspector import city_name
from sim.app.settings import one_line
from sim.app.status import status_html
from sim.app.widgets import FigureWidget, alert

MIN_GAP_S = 0.004  # pause between frames while playing, so user events get their turn
SYNC_S = 1.0  # while playing, a full render of every view at most this often
STATUS_S = 0.25  # while playing, the status line at most this often


def layout() -> figures.ScreenLayout:
    w, h = state.viewport_r.value
    return figures.screen_layout(w, h, state.projector_r.value)


def network_args() -> dict[str, Any]:
    return {
        "run": state.net_run_r.value,
        "view_t": state.view_t_r.value,
        "selected": state.selected_r.value,
        "focus": bool(state.focus_r.value and state.selected_r.value is not None),
    }


def series_args() -> dict[str, Any]:
    return {"view_t": state.view_t_r.value, "city": state.selected_r.value}


def image(ses: Any, kind: str, **kw: Any) -> tuple[bytes | None, str]:
    """(image, "") or (None, reason): a figure that cannot be drawn must not stop the page."""
    lay = layout()
    size = {"network": lay.network, "series": lay.series, "city": lay.city}[kind]
    try:
        return figures.render(ses, kind, size, lay.scale, **kw), ""
    except Exception as exc:
        import traceback

        traceback.print_exc()
        return None, one_line(exc)


def use_hot(ses: Any, name: str, element: Any | None) -> None:
    """Register a widget the play loop may update directly (see ``push_frame``)."""

    def register() -> None:
        if element is None:  # nothing to update: the play loop renders normally
            ses.hot.pop(name, None)
            return
        with contextlib.suppress(KeyError):
            ses.hot[name] = solara.get_widget(element)

    solara.use_effect(register, None)


def node_spots(ses: Any, size: tuple[int, int], scale: float, args: dict[str, Any]) -> list:
    """Hover tooltips of the network: every actor's name and its values this month."""
    key = (
        "network",
        min(args["run"], len(ses.runs) - 1),
        *size,
        scale,
        args["selected"] if args["focus"] else None,
    )
    painter = ses.painters.get(key)
    run = ses.runs[key[1]]
    if painter is None or run.model.n_actors > 400:
        return []
    t = ses.t if args["view_t"] is None else args["view_t"]
    snap = run.snapshots[min(t, len(run.snapshots) - 1)]
    xy = painter.pixels()
    m = run.model
    spots = []
    for row in range(m.n_actors):
        name = city_name(m, row)
        if row < m.n_cities:
            c = m.cities
            text = (
                f"{name}\npositive peace {snap['positive_peace'][row]:.2f} · "
                f"population {c.population[row]:,.0f}"
            )
            r = max(float(np.sqrt(painter.sizes[row]) * 100 / 72 / 2), 6.0)
        else:
            text = f"{name} ({m.actor_frame['type'].iloc[row].replace('_', ' ')})"
            r = 7.0 * scale
        spots.append([round(float(xy[row, 0]), 1), round(float(xy[row, 1]), 1), round(r, 1), text])
    return spots


@solara.component
def NetworkView(ses: Any) -> None:
    """The network image: hover a node for its values, click a city to inspect it."""
    frame = state.frame_r.value
    args = network_args()
    lay = layout()
    png, problem = solara.use_memo(
        lambda: image(ses, "network", **args),
        [ses, frame, ses.version, *args.values(), lay],
    )
    playing = state.playing_r.value  # tooltips and readouts wait until playing stops
    spots = solara.use_memo(
        lambda: (
            []
            if playing
            else state.guard(lambda: node_spots(ses, lay.network, lay.scale, args), [])
        ),
        [ses, frame, ses.version, *args.values(), lay, png is None, playing],
    )

    def clicked(xy: Any) -> None:
        if not xy or len(xy) < 2:
            return
        try:
            key = [k for k in ses.painters if k[0] == "network"]
            p = ses.painters[key[-1]]
            row = p.city_at(float(xy[0]), float(xy[1]))
        except Exception as exc:
            state.report("could not find the clicked city", exc)
            return
        if row is not None and row < ses.model.n_cities:
            state.selected_r.set(row)
            state.tab_r.set(0)

    el = None
    if png is None:
        alert(f"The network could not be drawn: {problem}")
    else:
        el = FigureWidget.element(
            image=png,
            width=lay.network[0],
            height=lay.network[1],
            img_class="cp-network",
            box_class="cp-network-box",
            spots=spots,
            clicked=[],
            on_clicked=clicked,
            alt="network of cities and organisations",
        )
    use_hot(ses, "network", el)


@solara.component
def SeriesView(ses: Any) -> None:
    """The time series of every run; hover for the values of a month."""
    frame = state.frame_r.value
    args = series_args()
    lay = layout()
    png, problem = solara.use_memo(
        lambda: image(ses, "series", **args), [ses, frame, ses.version, *args.values(), lay]
    )
    playing = state.playing_r.value
    rows = solara.use_memo(
        lambda: [] if playing else state.guard(lambda: figures.readout(ses, args["city"]), []),
        [ses, frame, ses.version, args["city"], playing],
    )
    axis = solara.use_memo(lambda: _axis(ses, lay), [ses, lay, args["city"], png is None])
    el = None
    if png is None:
        alert(f"The time series could not be drawn: {problem}")
    else:
        el = FigureWidget.element(
            image=png,
            width=lay.series[0],
            height=lay.series[1],
            img_class="cp-series",
            box_class="cp-series-box",
            readout=rows,
            axis=axis,
            horizon=ses.horizon,
            alt="time series",
        )
    use_hot(ses, "series", el)
    if state.bands_r.value:
        BandsView(ses)


def _axis(ses: Any, lay: Any) -> list[float]:
    p = [v for k, v in ses.painters.items() if k[0] == "series"]
    return list(p[-1].axis_pixels()) if p else []


@solara.component
def BandsView(ses: Any) -> None:
    """The 30-seed fan bands under the series (computed off the UI thread)."""
    lay = layout()
    size = (lay.series[0], int(lay.series[1] * 0.55))
    png = bands_png(ses, size, lay.scale, state.selected_r.value)
    if png is not None:
        solara.Image(png, format="png", classes=["cp-bands"])


@solara.component
def StatusBar(ses: Any) -> None:
    """Date, alliance states, cross-border gates, national permissions, sanctions."""
    frame = state.frame_r.value
    view_t = state.view_t_r.value
    text = solara.use_memo(lambda: status_html(ses, view_t), [ses, frame, ses.version, view_t])
    element = solara.HTML(tag="div", unsafe_innerHTML=text, classes=["cp-statusbar"])
    use_hot(ses, "status", element)


def push_frame(ses: Any, status: bool = True) -> bool:
    """Send this month's figures and status line straight to their widgets (see the module)."""
    hot = dict(ses.hot)
    if not {"network", "series", "status"} <= hot.keys():
        return False
    net, _ = image(ses, "network", **network_args())
    series, _ = image(ses, "series", **series_args())
    if net is None or series is None:
        return False
    hot["network"].image = net
    hot["series"].image = series
    if status:
        hot["status"].unsafe_innerHTML = status_html(ses)
    return True


def play_loop() -> None:
    """Advance and show frames while playing, paced to the chosen speed."""
    ses = state.session_r.value
    last_sync = last_status = 0.0
    state.view_t_r.set(None)
    while state.playing_r.value and state.session_r.value is ses and ses is not None:
        t0 = time.perf_counter()
        if not state.advance(ses):
            state.playing_r.set(False)
            break
        # The status line changes slowly and is text to read: a few times a second is enough,
        # and each update makes the browser lay the page out again.
        status = t0 - last_status >= STATUS_S
        pushed = push_frame(ses, status)
        last_status = t0 if status else last_status
        if not pushed or t0 - last_sync >= SYNC_S:
            # A full render: the other views catch up (the figures' bytes are cached already).
            state.frame_r.set(state.frame_r.value + 1)
            last_sync = t0
        slot = max(int(state.stride_r.value), 1) / max(int(state.speed_r.value), 1)
        # Always yield a little: without it, a frame slower than its slot makes this thread
        # re-take the render lock at once, and a click on Pause waited seconds for its turn.
        time.sleep(max(slot - (time.perf_counter() - t0), MIN_GAP_S))
    state.frame_r.set(state.frame_r.value + 1)  # stopped: bring every view to the last month


@solara.component
def Player() -> None:
    """Runs the play loop in a worker thread while Play is on."""

    def run() -> None:
        if state.playing_r.value:
            play_loop()

    solara.lab.use_task(run, dependencies=[state.playing_r.value], prefer_threaded=True)
