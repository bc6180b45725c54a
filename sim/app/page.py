"""The citypeace browser app: explore policies and teach with a live model (``citypeace app``).

Built on plain Solara rather than Mesa's ``SolaraViz``, which could not do the job here: its
Reset re-instantiates the model with no validation or error handling (we must show a banner and
keep the previous model), its parameter inputs are a static dict (our policy list depends on
the chosen scenario), it steps one model (compare mode steps up to four in lockstep), and its
default views are Altair charts, which stay blank offline. What we keep from Mesa is the model
itself and its agents: the city inspector reads each city through its ``Municipality`` agent.

The page fits the browser window: the window reports its size (``widgets.Viewport``) and the
figures are drawn to fill what the controls leave (``figures.screen_layout``); below 760 px
wide everything stacks. Modules: ``settings`` and ``url`` (what a run is), ``runs`` (the runs in
lockstep), ``figures`` with ``network_figure``, ``series_figure`` and ``inspector`` (drawing),
``compare``, ``status``, ``exports``, ``bands`` (30-seed ensembles), and for Solara ``state``,
``widgets``, ``controls``, ``live`` (figures and the play loop), ``panels`` and ``learn``.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path
from typing import Any

import ipywidgets
import solara

from sim.app import state
from sim.app.controls import (
    CompareControls,
    ExportControls,
    LeverControls,
    PlayBar,
    RunControls,
    Timeline,
    scenario_names,
)
from sim.app.learn import LearnTab
from sim.app.live import NetworkView, Player, SeriesView, StatusBar, layout
from sim.app.panels import CompareTab, EventsTab, InfoTab, InspectTab
from sim.app.settings import SYNTHETIC_DEFAULT_N, Settings, one_line, settings_for_policy
from sim.app.state import error_r, session_r, start_session
from sim.app.url import from_query, to_query
from sim.app.widgets import ScrollWidget, Viewport, alert

__all__ = ["Page", "error_r", "scenario_names", "session_r", "start_session"]

CSS = """
.cp-table { border-collapse: collapse; font-size: 13px; margin: 4px 0; }
.cp-table th, .cp-table td { border-bottom: 1px solid #ddd; padding: 2px 8px; text-align: left; }
.cp-table th { background: #f3f3f3; }
.cp-date { font-size: 22px; font-weight: 600; margin-right: 8px; }
.cp-head { display: flex; align-items: baseline; flex-wrap: wrap; gap: 4px; }
.cp-month { font-size: 13px; color: #333; white-space: normal; }
.cp-status { white-space: nowrap; overflow-x: auto; overflow-y: hidden; max-height: 30px;
             max-width: calc(100vw - 24px); }
.cp-chip { display: inline-block; padding: 1px 7px; margin: 1px; border-radius: 10px;
           background: #eef; font-size: 12px; }
.cp-chip.closed { background: #fdd; } .cp-chip.open { background: #dfd; }
.cp-chip.humanitarian { background: #ffe9c7; }
.cp-figure img { display: block; }
.cp-readout { background: rgba(255,255,255,0.93); font: 12px/1.3 sans-serif; padding: 3px 6px;
              border-top: 1px solid #bbb; white-space: normal; }
.cp-alert { padding: 8px 12px; border-radius: 4px; border-left: 5px solid; margin: 2px 0;
            font-size: 14px; }
.cp-alert-error { background: #fdecea; border-color: #d32f2f; color: #611a15; }
.cp-alert-info { background: #e8f4fd; border-color: #1976d2; color: #0d3c61; }
.cp-alert-warning { background: #fff4e5; border-color: #ed6c02; color: #663c00; }
.cp-banner { position: fixed; left: 50%; transform: translateX(-50%); bottom: 12px;
             z-index: 1000; max-width: min(900px, 94vw); box-shadow: 0 2px 10px #0004;
             background: white; border-radius: 6px; }
.cp-learn, .cp-info { max-width: 980px; } .cp-learn pre { background: #f6f6f6; padding: 6px; }
.cp-source { color: #555; font-size: 12px; }
.cp-sidebar { overflow-y: auto; padding: 6px 8px; border-right: 1px solid #e0e0e0; }
.cp-sidebar h3 { font-size: 15px; margin: 8px 0 2px; }
.cp-sidebar .v-input { margin-top: 0 !important; }
.cp-lever-label { font-size: 13px; margin: 2px 0 -6px; line-height: 1.2; }
.cp-lever .v-slider, .cp-lever .v-input { margin: 0 !important; }
.cp-sidebar .v-switch .v-selection-control { min-height: 30px; }
.cp-sidebar .v-switch label { font-size: 13px; }
.cp-main { min-width: 0; padding: 4px 8px; }
.cp-speed { width: 150px; } .cp-speed .v-input { margin: 0; }
.cp-runto { width: 140px; } .cp-timeline { max-width: 700px; }
.cp-brand { font-size: 17px; font-weight: 700; }
.cp-sticky { position: sticky; top: 0; z-index: 5; background: white; }
/* ipywidgets' upload button appends a file count, "Choose a .zip (0)"; show the label only. */
.cp-upload-choose button { font-size: 0 !important; }
.cp-upload-choose button::after { content: "Choose a .zip"; font-size: 14px; }
.cp-panels { scroll-margin-top: 160px; flex-wrap: wrap; height: auto !important; max-width: 100%; }
.cp-projector { font-size: 125%; } .cp-projector .cp-date { font-size: 30px; }
.cp-projector .cp-table { font-size: 17px; } .cp-projector .cp-lever-label { font-size: 16px; }
"""


# ----------------------------------------------------------------------------- uploads


@functools.cache
def uploads_root() -> Path:
    """This server's folder of uploaded scenarios, offered in the picker; gone when it stops."""
    from sim.scenario.loader import add_scenario_root

    folder = Path(tempfile.mkdtemp(prefix="citypeace-uploads-"))
    atexit.register(shutil.rmtree, folder, True)
    add_scenario_root(folder)
    return folder


def upload_scenario(filename: str, data: bytes | None) -> bool:
    """Install a dropped .zip through the scenario validator, then switch to it.

    Bad archives and invalid scenarios become the usual one-line banner; nothing is installed.
    An edited case uploaded again under the same name replaces the earlier upload.
    """
    from sim.scenario.archive import install_archive

    try:
        name = install_archive(data or b"", filename, uploads_root(), replace=True)
    except Exception as exc:
        error_r.set(f"{one_line(exc)}. Nothing was added.")
        return False
    return switch_scenario(name)


def upload_chosen(files: Any) -> None:
    """A scenario .zip chosen in the file dialog: the same path as a dropped one."""
    for file in files or ():  # one at most (multiple=False); () when the widget is emptied
        upload_scenario(str(file["name"]), bytes(file["content"]))


def switch_scenario(name: str) -> bool:
    """Another scenario at its baseline policy, keeping the seed and the synthetic size."""
    ses = session_r.value
    base = ses.settings if ses is not None else Settings()
    fresh = Settings(
        seed=base.seed, n_cities=base.n_cities or SYNTHETIC_DEFAULT_N, compare=base.compare
    )
    return state.apply(settings_for_policy(fresh.replace(scenario=name), {}, "baseline"))


@solara.component
def Upload() -> None:
    with solara.Div(classes=["cp-upload"]):
        solara.FileDrop(
            label="Drop a scenario .zip here (format: docs/scenario-format.md)",
            on_file=lambda f: upload_scenario(f["name"], f["data"]),
            lazy=False,
        )
        # The same upload from a file dialog, for those who cannot drag and drop (and for the
        # browser test: a drop cannot be scripted with a real file, a file input can).
        with solara.Div(classes=["cp-upload-choose"]):
            ipywidgets.FileUpload.element(
                accept=".zip",
                multiple=False,
                description="Choose a .zip",
                value=(),  # emptied after each upload, so the same file can be chosen again
                on_value=upload_chosen,
                layout=ipywidgets.Layout(width="auto"),
            )


# ----------------------------------------------------------------------------- page


def start_from_link(query: str | None) -> None:
    """The first run of a session: the link's settings (checked like any other), or tuzla."""
    try:
        settings, view = from_query(query)
    except Exception as exc:
        error_r.set(f"link settings not applied: {one_line(exc)}")
        settings, view = None, {}
    start_session(settings)
    ses = session_r.value
    if ses is None:
        return
    if view.get("month"):
        months = min(max(int(view["month"]), 0), ses.horizon)
        state.advance(ses, months)
    if "city" in view and 0 <= view["city"] < ses.model.n_cities:
        state.selected_r.set(view["city"])


@solara.component
def Banner() -> None:
    """The error banner (previous runs kept) and the notice line, floating over the page."""
    if not (error_r.value or state.notice_r.value):
        return
    with solara.Div(classes=["cp-banner"]):
        if error_r.value:
            with solara.Row(classes=["cp-error-row"], style={"align-items": "center"}):
                alert(f"Not applied: {error_r.value}", "error", "cp-error")
                solara.Button("Dismiss", text=True, on_click=lambda: error_r.set(""))
        if state.notice_r.value:
            with solara.Row(style={"align-items": "center"}):
                alert(state.notice_r.value, "info", "cp-notice")
                solara.Button(
                    "OK",
                    text=True,
                    on_click=lambda: state.notice_r.set(""),
                    classes=["cp-notice-ok"],
                )


@solara.component
def UrlSync(ses: Any) -> None:
    """Keep the address bar on the current view, so a copied link reproduces it."""
    router = solara.use_router()
    playing = state.playing_r.value
    month = ses.t if state.view_t_r.value is None else state.view_t_r.value
    query = to_query(ses.settings, month, state.selected_r.value)

    def push() -> None:
        if not playing and query != (router.search or ""):
            router.push(f"{router.path or '/'}?{query}")

    solara.use_effect(push, [query, playing])


@solara.component
def Sidebar(ses: Any) -> None:
    with solara.Column(gap="2px"):
        solara.HTML(
            tag="div",
            unsafe_innerHTML='<span class="cp-brand">citypeace</span> '
            "<small>peacebuilding through city networks</small>",
        )
        RunControls(ses, switch_scenario)
        solara.HTML(tag="h3", unsafe_innerHTML="Levers")
        LeverControls(ses)
        solara.HTML(tag="h3", unsafe_innerHTML="Compare")
        CompareControls(ses)
        solara.HTML(tag="h3", unsafe_innerHTML="View")
        solara.Switch(
            label="Projector (large type)", value=state.projector_r, classes=["cp-projector-switch"]
        )
        if len(ses.runs) > 1:
            solara.ToggleButtonsSingle(
                value=min(state.net_run_r.value, len(ses.runs) - 1),
                values=list(range(len(ses.runs))),
                on_value=state.net_run_r.set,
                classes=["cp-net-run"],
            )
            solara.Text(
                "Network of run: " + ", ".join(f"{i} = {r.label}" for i, r in enumerate(ses.runs)),
                style={"font-size": "12px"},
            )
        solara.HTML(tag="h3", unsafe_innerHTML="Export")
        ExportControls(ses)
        solara.HTML(tag="h3", unsafe_innerHTML="Your own case")
        Upload()


@solara.component
def Page() -> None:
    solara.Title("citypeace")
    solara.Style(CSS)
    router = solara.use_router()
    Viewport()
    if session_r.value is None and not error_r.value:
        start_from_link(router.search)
    ses = session_r.value
    if ses is None:
        alert(f"No run could be built: {error_r.value}")
        solara.Button("Retry", on_click=lambda: (error_r.set(""), start_session()))
        return
    Player()
    UrlSync(ses)
    lay = layout()
    w, h = state.viewport_r.value
    classes = ["cp-page", *(["cp-projector"] if state.projector_r.value else [])]
    if lay.narrow:
        with solara.Column(classes=classes, gap="6px", style={"padding": "4px"}):
            Header(ses)
            Figures(ses)
            Tabs(ses)
            with solara.Div(classes=["cp-sidebar"], style={"border": "none"}):
                Sidebar(ses)
    else:
        with solara.Row(
            classes=classes, gap="0px", style={"flex-wrap": "nowrap", "align-items": "stretch"}
        ):
            with solara.Div(
                classes=["cp-sidebar"],
                style={
                    "width": f"{lay.sidebar}px",
                    "min-width": f"{lay.sidebar}px",
                    "height": f"{h}px",
                    "position": "sticky",
                    "top": "0",
                },
            ):
                Sidebar(ses)
            with solara.Div(classes=["cp-main"], style={"flex": "1 1 auto"}):
                Header(ses)
                Figures(ses)
                Tabs(ses)
    Banner()


@solara.component
def Header(ses: Any) -> None:
    # Sticky on wide screens: with a tab's panel scrolled into view, Play and Step stay at hand.
    sticky = not layout().narrow
    with solara.Div(classes=["cp-header", *(["cp-sticky"] if sticky else [])]):
        StatusBar(ses)
        PlayBar(ses)


@solara.component
def Figures(ses: Any) -> None:
    if not state.viewport_known_r.value:
        # Until the browser has said its size, a picture drawn for a guessed size would be
        # replaced a moment later (a visible flicker): keep the place empty instead.
        lay = layout()
        solara.Div(
            classes=["cp-figures-wait"],
            style={"height": f"{lay.network[1]}px", "color": "#777", "padding": "8px"},
            children=[solara.Text("Drawing for your window…")],
        )
        return
    with solara.Row(
        gap="8px", style={"flex-wrap": "wrap", "align-items": "flex-start"}, classes=["cp-figures"]
    ):
        NetworkView(ses)
        with solara.Column(gap="2px"):
            SeriesView(ses)


@solara.component
def Tabs(ses: Any) -> None:
    # A toggle row, not solara.lab.Tabs: those need ipyvuetify's TabsSlider, which ipyvuetify 3
    # no longer has. Only the chosen panel is rendered (and re-rendered each month).
    def choose(v: str) -> None:
        state.tab_r.set(PANELS.index(v))
        state.scroll_r.set(state.scroll_r.value + 1)  # below the fold at 768 px: bring it up

    solara.ToggleButtonsSingle(
        value=PANELS[state.tab_r.value],
        values=list(PANELS),
        on_value=choose,
        classes=["cp-panels"],
    )
    ScrollWidget.element(selector=".cp-panels", tick=state.scroll_r.value)
    Timeline(ses)
    # At least a screen tall, so the page never gets too short to bring the tabs to the top.
    with solara.Div(classes=[f"cp-panel-{state.tab_r.value}"], style={"min-height": "100vh"}):
        PANEL_VIEWS[state.tab_r.value](ses)


PANELS = ("Inspect a city", "Compare", "Events", "Info", "Learn")
PANEL_VIEWS = (InspectTab, CompareTab, EventsTab, InfoTab, LearnTab)
