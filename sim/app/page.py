"""The citypeace browser app: explore policies and teach with a live model (``citypeace app``).

Built on plain Solara rather than Mesa's ``SolaraViz``, which could not do the job here:
its Reset re-instantiates the model with no validation or error handling (we must show a banner
and keep the previous model), its parameter inputs are a static dict (our policy list depends
on the chosen scenario), it steps one model (compare mode steps two in lockstep), and its
default views are Altair charts, which stay blank offline. What we keep from Mesa is the model
itself and its agents: the city inspector reads each city through its ``Municipality`` agent.

All figures are matplotlib, drawn by ``sim.app.views`` (blitted: only what changes is redrawn
each month) and sent as JPEG frames; downloads are full-quality PNG. While playing, the figures
and the status line are updated directly (``push_frame``) and the rest of the page catches up
twice a second. Module-level ``solara.reactive`` values are per browser session in Solara, so
two users do not share a run.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import html
import math
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import ipyvuetify
import ipywidgets
import pandas as pd
import solara
import solara.lab
import traitlets

from sim.app.views import (
    LEVER_RANGES,
    LIVE_FORMAT,
    SYNTHETIC_DEFAULT_N,
    Session,
    Settings,
    city_options,
    city_state,
    compare_csv,
    compare_summary,
    export_name,
    is_reference,
    one_line,
    settings_for_policy,
    status,
    timeseries_csv,
)

EVENT_COLUMNS = ["step", "date", "type", "detail", "source", "assumption", "origin"]
MIN_GAP_S = 0.005  # pause between frames while playing, so user events get their turn
SYNC_S = 0.5  # while playing, a full render of every view at most this often
FIRST_CHOICE = "tuzla"
FALLBACK = "two_cities"

# ----------------------------------------------------------------------------- session state

session_r: solara.Reactive[Session | None] = solara.reactive(None)
error_r = solara.reactive("")  # the banner: last failure, previous model kept
notice_r = solara.reactive("")  # informational line (e.g. a fallback at start)
playing_r = solara.reactive(False)
frame_r = solara.reactive(0)  # bumped after every simulated frame: the views re-render
speed_r = solara.reactive(10)  # target months per second while playing
stride_r = solara.reactive(1)  # months simulated per rendered frame
selected_r: solara.Reactive[int | None] = solara.reactive(None)  # inspected city row
done_r = solara.reactive(False)  # the run reached its horizon (Play and Step disabled)
rev_r = solara.reactive(0)  # bumped on a refused change: the controls snap back
tab_r = solara.reactive(0)


def scenario_names() -> list[str]:
    """Scenarios offered in the picker (folders on disk plus synthetic)."""
    from sim.scenario.loader import available_scenarios

    return list(available_scenarios())


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
    """
    from sim.scenario.archive import install_archive

    try:
        name = install_archive(data or b"", filename, uploads_root())
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
    return apply(
        settings_for_policy(base.replace(scenario=name), {}, "baseline").replace(
            n_cities=base.n_cities or SYNTHETIC_DEFAULT_N
        )
    )


def start_session() -> None:
    """The first run of a browser session: tuzla, or two_cities when tuzla does not load."""
    try:
        session_r.set(Session.build(Settings(scenario=FIRST_CHOICE)))
        return
    except Exception as exc:  # a scenario being authored may not load yet
        first = one_line(exc)
    try:
        session_r.set(Session.build(Settings(scenario=FALLBACK)))
        notice_r.set(f"{FIRST_CHOICE} did not load ({first}); started with {FALLBACK}.")
    except Exception as exc:  # nothing loads: say why, offer a retry (see Page)
        error_r.set(f"{FIRST_CHOICE}: {first}; {FALLBACK}: {one_line(exc)}")


def apply(settings: Settings) -> bool:
    """Rebuild the run with new settings; on any failure keep the old run and show a banner."""
    playing_r.set(False)
    try:
        new = Session.build(settings)
    except Exception as exc:
        old = session_r.value
        keep = f" Still showing {old.settings.scenario} ({old.settings.label()})." if old else ""
        error_r.set(f"{one_line(exc)}.{keep}")
        rev_r.set(rev_r.value + 1)
        return False
    error_r.set("")
    selected_r.set(None)
    done_r.set(new.done)
    session_r.set(new)
    frame_r.set(frame_r.value + 1)
    return True


def change(**changes: Any) -> None:
    """Apply a change of one or more settings to the current run's settings."""
    ses = session_r.value
    if ses is not None:
        apply(ses.settings.replace(**changes))


def report(where: str, exc: BaseException) -> None:
    """Show a failure in the banner; the server and the current run stay up."""
    import traceback

    traceback.print_exc()  # the full story goes to the server log
    error_r.set(f"{where}: {one_line(exc)}")


def advance(ses: Session) -> int:
    """Step the run by one frame and draw its figures; a model error becomes a banner.

    Drawing here, before ``frame_r`` announces the month, keeps the page's render passes short
    (they only pick up the cached images); see ``Session.render``.
    """
    try:
        done = ses.step(max(int(stride_r.value), 1))
    except Exception as exc:
        playing_r.set(False)
        report(
            f"the model failed in month {ses.t} (the run may be inconsistent: Reset or change "
            "a setting)",
            exc,
        )
        return 0
    if done:
        safe_image(ses, "network", selected=selected_r.value)
        safe_image(ses, "series")
    if ses.done != done_r.value:
        done_r.set(ses.done)
    return done


def step_once() -> None:
    ses = session_r.value
    if ses is not None and advance(ses):
        frame_r.set(frame_r.value + 1)


def guard(fn: Any, fallback: Any) -> Any:
    """``fn()``, or ``fallback`` when it fails (logged): one broken view must not stop the app."""
    try:
        return fn()
    except Exception:
        import traceback

        traceback.print_exc()
        return fallback


def safe_image(ses: Session, kind: str, **kwargs: Any) -> tuple[bytes | None, str]:
    """(image, "") or (None, reason): a figure that cannot be drawn must not stop the page."""
    try:
        return ses.render(kind, **kwargs), ""
    except Exception as exc:
        import traceback

        traceback.print_exc()
        return None, one_line(exc)


# ----------------------------------------------------------------------------- small widgets


def table_html(rows: list[list[Any]], header: list[str] | None = None, cls: str = "") -> str:
    """A small HTML table (numbers formatted to 3 decimals)."""

    def cell(v: Any) -> str:
        if isinstance(v, float):
            return "–" if math.isnan(v) else f"{v:,.3f}" if abs(v) < 1000 else f"{v:,.0f}"
        return html.escape(str(v))

    head = "".join(f"<th>{html.escape(h)}</th>" for h in header or [])
    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in r) + "</tr>" for r in rows)
    return (
        f'<table class="cp-table {cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    )


CSS = """
.cp-table { border-collapse: collapse; font-size: 13px; margin: 4px 0; }
.cp-table th, .cp-table td { border-bottom: 1px solid #ddd; padding: 2px 8px; text-align: left; }
.cp-table th { background: #f3f3f3; }
.cp-date { font-size: 22px; font-weight: 600; margin-right: 10px; }
.cp-head { display: flex; align-items: baseline; flex-wrap: wrap; margin-bottom: 4px; }
.cp-chip { display: inline-block; padding: 2px 8px; margin: 2px; border-radius: 10px;
           background: #eef; font-size: 13px; }
.cp-chip.closed { background: #fdd; } .cp-chip.open { background: #dfd; }
.cp-chip.humanitarian { background: #ffe9c7; }
.cp-figure img, img.cp-network, img.cp-series { max-width: none; display: block; }
.cp-network-box { cursor: crosshair; }
.cp-alert { padding: 8px 12px; border-radius: 4px; border-left: 5px solid; margin: 2px 0;
            font-size: 14px; }
.cp-alert-error { background: #fdecea; border-color: #d32f2f; color: #611a15; }
.cp-alert-info { background: #e8f4fd; border-color: #1976d2; color: #0d3c61; }
.cp-alert-warning { background: #fff4e5; border-color: #ed6c02; color: #663c00; }
.cp-learn { max-width: 980px; } .cp-learn pre { background: #f6f6f6; padding: 6px; }
"""


DOWNLOAD_VUE = """
<template>
  <v-btn variant="outlined" size="small" :class="css_class" @click="request_download = true">
    {{ label }}
  </v-btn>
</template>
<script>
module.exports = {
  watch: {
    bytes(value) {
      if (this.request_download && value) {
        const a = document.createElement('a');
        a.download = this.filename;
        const url = window.URL.createObjectURL(new Blob([value], { type: this.mime_type }));
        a.href = url;
        document.body.appendChild(a);
        a.click();
        document.body.removeChild(a);
        setTimeout(() => window.URL.revokeObjectURL(url), 1000);
        this.request_download = false;
      }
    }
  }
}
</script>
"""


class DownloadWidget(ipyvuetify.VuetifyTemplate):
    """A button that asks the server for bytes and saves them as a file in the browser.

    Not solara.FileDownload: its template renders the button through <jupyter-widget>, which
    is not registered under ipyvuetify 3, so the button never appears.
    """

    template = traitlets.Unicode(DOWNLOAD_VUE).tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    css_class = traitlets.Unicode("").tag(sync=True)
    filename = traitlets.Unicode("").tag(sync=True)
    mime_type = traitlets.Unicode("application/octet-stream").tag(sync=True)
    bytes = traitlets.Bytes(None, allow_none=True).tag(sync=True)
    request_download = traitlets.Bool(False).tag(sync=True)


@solara.component
def Download(
    data: Any, filename: Any, label: str, mime_type: str = "application/octet-stream", css: str = ""
) -> None:
    """A download button; ``data()`` and ``filename()`` run only when it is clicked.

    Exports are not free, and the file name carries the month at the time of the click.
    """
    requested, set_requested = solara.use_state(False)

    def produce() -> tuple[bytes | None, str]:
        if not requested:
            return None, ""
        try:
            return data(), filename()
        except Exception as exc:
            report(f"could not export {label}", exc)
            return None, ""

    payload, name = solara.use_memo(produce, [requested])
    DownloadWidget.element(
        label=label,
        css_class=css,
        filename=name or "citypeace-export",
        mime_type=mime_type,
        bytes=payload,
        request_download=requested,
        on_request_download=set_requested,
    )


def alert(text: str, kind: str = "error", cls: str = "") -> None:
    """A coloured message box.

    Not solara.Error/Info/Warning: they pass a bool to ipyvuetify 3's Alert.text (a string
    trait), which raises and takes the whole page down.
    """
    solara.HTML(
        tag="div",
        unsafe_innerHTML=html.escape(text),
        classes=["cp-alert", f"cp-alert-{kind}", *([cls] if cls else [])],
        attributes={"role": "alert"},
    )


@solara.component
def Banner() -> None:
    """The error banner (previous model kept) and the notice line."""
    if error_r.value:
        with solara.Row(classes=["cp-error-row"], style={"align-items": "center"}):
            alert(f"Not applied: {error_r.value}", "error", "cp-error")
            solara.Button("Dismiss", text=True, on_click=lambda: error_r.set(""))
    if notice_r.value:
        alert(notice_r.value, "info", "cp-notice")


# ----------------------------------------------------------------------------- controls


def use_controlled(value: Any) -> tuple[Any, Any]:
    """(shown value, setter) for an input that must show the *running* value after a refusal.

    A refused change leaves the run's value as it was, so the widget's value property would not
    change and the browser would keep showing the refused input. Here the input shows its own
    state, re-synced from the run whenever the run's value or ``rev_r`` (bumped on each refusal)
    changes; the re-sync runs after the render that showed the refused value, so it is a real
    change that reaches the browser.
    """
    shown, set_shown = solara.use_state(value)
    solara.use_effect(lambda: set_shown(value), [value, rev_r.value])
    return shown, set_shown


@solara.component
def IntField(label: str, value: int, on_commit: Any, css: str) -> None:
    """A whole-number input that commits on Enter or when the field is left."""
    from solara.components.input import use_change

    text, set_text = use_controlled(str(value))

    def commit(raw: Any) -> None:
        try:
            number = int(str(raw).strip())
        except ValueError:
            error_r.set(f"{label} = {raw!r}: a whole number")
            rev_r.set(rev_r.value + 1)
            return
        if number != value:
            on_commit(number)

    field = solara.v.TextField(
        label=label,
        v_model=text,
        on_v_model=set_text,  # every keystroke: the text is ours, see use_controlled
        variant="filled",
        hide_details="auto",
        class_=css,
    )
    use_change(field, commit)


@solara.component
def Choice(
    label: str, values: list[str], value: str, on_commit: Any, css: str, disabled: bool = False
) -> None:
    """A select that shows the running value again when a choice is refused."""
    shown, set_shown = use_controlled(value)

    def pick(v: str) -> None:
        set_shown(v)
        if v != value:
            on_commit(v)

    solara.Select(
        label, values=values, value=shown, on_value=pick, disabled=disabled, classes=[css]
    )


@solara.component
def Toggle(label: str, value: bool, on_commit: Any, css: str) -> None:
    """A switch that flips back when its change is refused."""
    shown, set_shown = use_controlled(bool(value))

    def flip(v: bool) -> None:
        set_shown(bool(v))
        if bool(v) != bool(value):
            on_commit(bool(v))

    solara.Switch(label=label, value=shown, on_value=flip, color="primary", classes=[css])


@solara.component
def LeverSlider(label: str, value: float, lo: float, hi: float, on_commit: Any, css: str) -> None:
    """A lever slider that moves back when its change is refused."""
    shown, set_shown = use_controlled(float(value))

    def slide(v: float) -> None:
        v = round(float(v), 4)
        set_shown(v)
        if v != float(value):
            on_commit(v)

    with solara.Div(classes=[css]):
        solara.SliderFloat(
            f"{label}: {float(value):.2f}",
            value=shown,
            min=lo,
            max=hi,
            step=0.05,
            on_value=slide,
        )


@solara.component
def RunControls(ses: Session) -> None:
    """Scenario, policy, seed, synthetic size, compare mode."""
    s = ses.settings
    Choice(
        "Scenario",
        scenario_names(),
        s.scenario,
        switch_scenario,
        "cp-scenario",
    )
    policies = ["baseline", *ses.policies]
    Choice(
        "Policy (counterfactual)",
        policies,
        s.policy,
        lambda v: apply(settings_for_policy(s, ses.policies, v)),
        "cp-policy",
        disabled=len(policies) == 1,
    )
    desc = (ses.policies.get(s.policy) or {}).get("description")
    if desc:
        solara.Text(desc, style={"font-size": "12px", "color": "#555"})
    IntField("Seed", s.seed, lambda v: change(seed=v), "cp-seed")
    if s.scenario == "synthetic":
        IntField("Cities (synthetic N)", s.n_cities, lambda v: change(n_cities=v), "cp-ncities")
    Toggle("Compare with the baseline", s.compare, lambda v: change(compare=v), "cp-compare-switch")
    with solara.Div(classes=["cp-upload"]):
        solara.FileDrop(
            label="Drop a scenario .zip here to add it (format: docs/scenario-format.md)",
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
            )


@solara.component
def LeverControls(ses: Session) -> None:
    """The generic levers; a change restarts the run from month 0 with the new values."""
    s = ses.settings
    fixed = (ses.policies.get(s.policy) or {}).get("levers") or {}
    note = " – fixed by policy"
    for key, label in (
        ("coordination", "Nexus coordination"),
        ("funding_scale", "Funding level (x budget)"),
        ("participation_scale", "Participation (x)"),
    ):
        lo, hi = LEVER_RANGES[key]
        LeverSlider(
            label + (note if key in fixed else ""),
            float(getattr(s, key)),
            lo,
            hi,
            lambda v, key=key: change(**{key: v}),
            f"cp-lever-{key}",
        )
    for key, label in (
        ("mediation", "Mediator acts"),
        ("io_channel", "IO channel (third channel)"),
        ("direct_channel", "Direct city-to-city channel"),
    ):
        Toggle(
            label + (note if key in fixed else ""),
            bool(getattr(s, key)),
            lambda v, key=key: change(**{key: v}),
            f"cp-lever-{key}",
        )
    solara.Text(
        "Changing a setting restarts the run at its first month.",
        style={"font-size": "12px", "color": "#666"},
    )


@solara.component
def PlayControls(ses: Session) -> None:
    """Reset, Play/Pause, Step and speed."""
    done = done_r.value  # not frame_r: these buttons need not re-render every month

    with solara.Row(gap="6px"):
        solara.Button(
            "Reset",
            on_click=lambda: apply(ses.settings),
            outlined=True,
            classes=["cp-reset"],
        )
        solara.Button(
            "Pause" if playing_r.value else "Play",
            on_click=lambda: playing_r.set(not playing_r.value),
            color="primary",
            disabled=done and not playing_r.value,
            classes=["cp-play"],
        )
        solara.Button(
            "Step",
            on_click=step_once,
            disabled=playing_r.value or done,
            color="primary",
            outlined=True,
            classes=["cp-step"],
        )
    with solara.Div(classes=["cp-speed"]):
        solara.SliderInt(f"Speed: {speed_r.value} months/s", value=speed_r, min=1, max=30)
    with solara.Div(classes=["cp-stride"]):
        solara.SliderInt(f"Months per frame: {stride_r.value}", value=stride_r, min=1, max=12)


@solara.component
def ExportControls(ses: Session) -> None:
    """Downloads of the current run: time series CSV, figures PNG."""

    def name(suffix: str, ext: str) -> Any:
        def make() -> str:
            base = export_name(ses.settings, ses.date(), ext)
            return base.replace(f".{ext}", f"{suffix}.{ext}")

        return make

    with solara.Column(gap="4px", classes=["cp-export"]):
        Download(
            lambda: timeseries_csv(ses),
            filename=name("", "csv"),
            label="Time series (CSV)",
            mime_type="text/csv",
            css="cp-download-csv",
        )
        Download(
            lambda: ses.export_png("series"),
            filename=name("_series", "png"),
            label="Time-series figure (PNG)",
            mime_type="image/png",
            css="cp-download-series",
        )
        Download(
            lambda: ses.export_png("network"),
            filename=name("_network", "png"),
            label="Network figure (PNG)",
            mime_type="image/png",
            css="cp-download-network",
        )
        if ses.reference is not None:
            Download(
                lambda: compare_csv(ses),
                filename=name("_compare", "csv"),
                label="Comparison, long format (CSV)",
                mime_type="text/csv",
                css="cp-download-compare",
            )


# ----------------------------------------------------------------------------- views


def status_html(ses: Session) -> str:
    """The status line: date, alliance states, open gates, permissions, sanctions, IO share."""
    st = guard(lambda: status(ses.model, ses.timeseries()), None)
    if st is None:
        return (
            '<div class="cp-alert cp-alert-error">The status could not be read (see the log).</div>'
        )
    date = st["date"] if st["month"] else f"{st['date']} (start)"
    head = (
        f'<div class="cp-head"><span class="cp-date">{date}</span> '
        f'<span class="cp-month">month {st["month"]} of {st["horizon"]}  ·  '
        f"{html.escape(ses.settings.scenario)}  ·  {html.escape(ses.settings.label())}  ·  "
        f"seed {ses.settings.seed}</span></div>"
    )
    chips = []
    for a in st["alliances"]:
        chips.append(
            f'<span class="cp-chip cp-alliance">alliance {html.escape(a["id"])}: '
            f"<b>{a['state']}</b> ({a['progress']:.0%} negotiated)</span>"
        )
    gates = st["gates"]
    if gates["humanitarian"] is None:
        chips.append('<span class="cp-chip cp-gates">gates: press Step</span>')
    else:
        chips.append(
            '<span class="cp-chip cp-gates">cross-border ties open: '
            + ", ".join(f"{p[:3]} {v:.0%}" for p, v in gates.items())
            + "</span>"
        )
    for p in st["permissions"][:6]:
        chips.append(
            f'<span class="cp-chip {p["level"]}">{html.escape(p["pair"])}: {p["level"]}'
            f" (hostility {p['hostility']:.2f})</span>"
        )
    if len(st["permissions"]) > 6 or not st["permissions"]:
        chips.append(f'<span class="cp-chip">closed country pairs: {st["closed_pairs"]}</span>')
    if st["sanctioned"]:
        chips.append(
            f'<span class="cp-chip closed">sanctioned: {", ".join(st["sanctioned"])}</span>'
        )
    if st["io_share"] is not None:
        chips.append(f'<span class="cp-chip">IO share of funds: {st["io_share"]:.0%}</span>')
    return head + '<div class="cp-status">' + "".join(chips) + "</div>"


def use_hot(ses: Session, name: str, element: Any | None) -> None:
    """Register a widget the play loop may update directly (see ``push_frame``).

    Runs after every render of the view. When reacton kept the previous element (an equal
    one), the new element has no widget of its own and the registration already in place is
    still the right one, so a failed lookup keeps it.
    """

    def register() -> None:
        if element is None:  # no image to update: the play loop renders normally
            ses.hot.pop(name, None)
            return
        with contextlib.suppress(KeyError):
            ses.hot[name] = solara.get_widget(element)

    solara.use_effect(register, None)


@solara.component
def StatusBar(ses: Session) -> None:
    """Date, alliance states, cross-border gates, national permissions, sanctions."""
    frame = frame_r.value
    # One HTML widget for the whole line: while playing, every widget that changes costs a
    # message to the browser, and this line changes every month.
    text = solara.use_memo(lambda: status_html(ses), [ses, frame, ses.version])
    element = solara.HTML(tag="div", unsafe_innerHTML=text, classes=["cp-statusbar"])
    use_hot(ses, "status", element)


@solara.component
def NetworkView(ses: Session) -> None:
    """The network image; a click selects the nearest city for the inspector."""
    frame = frame_r.value
    selected = selected_r.value
    png, problem = solara.use_memo(
        lambda: safe_image(ses, "network", selected=selected), [ses, frame, ses.version, selected]
    )

    def on_click(*args: Any) -> None:
        data = args[-1] if args else {}
        x, y = data.get("offsetX"), data.get("offsetY")
        if x is None or y is None:
            return
        try:
            with ses.lock:
                row = ses.painter("network").city_at(float(x), float(y))
        except Exception as exc:
            report("could not find the clicked city", exc)
            return
        if row is not None:
            selected_r.set(row)
            tab_r.set(0)

    with solara.Div(classes=["cp-figure", "cp-network-box"]) as box:
        if png is None:
            alert(f"The network could not be drawn: {problem}")
            image = None
        else:
            image = solara.Image(png, format=LIVE_FORMAT, classes=["cp-network"])
    use_hot(ses, "network", image)
    solara.v.use_event(box, "click", on_click)


@solara.component
def SeriesView(ses: Session) -> None:
    """Peace, relationships and activity over the whole horizon (baseline dashed if comparing)."""
    frame = frame_r.value
    png, problem = solara.use_memo(lambda: safe_image(ses, "series"), [ses, frame, ses.version])
    with solara.Div(classes=["cp-figure"]):
        if png is None:
            alert(f"The time series could not be drawn: {problem}")
            image = None
        else:
            image = solara.Image(png, format=LIVE_FORMAT, classes=["cp-series"])
    use_hot(ses, "series", image)


@solara.component
def InspectTab(ses: Session) -> None:
    """Pick (or click) a city; its state now, read through its Mesa agent, and its history."""
    options = solara.use_memo(lambda: city_options(ses.model), [ses])
    row = selected_r.value
    if row is not None and not 0 <= row < len(options):
        row = None
    solara.Select(
        "City",
        values=options,
        value=options[row] if row is not None else None,
        on_value=lambda v: selected_r.set(options.index(v) if v in options else None),
        classes=["cp-city-select"],
    )
    if row is None:
        solara.Text("Choose a city above, or click one in the network.")
    else:
        CityDetails(ses, row)


@solara.component
def CityDetails(ses: Session, row: int) -> None:
    """The inspected city now and over time; the only part of the tab that follows each month."""
    frame = frame_r.value
    state = solara.use_memo(
        lambda: guard(lambda: city_state(ses.model, row), {}), [ses, frame, ses.version, row]
    )
    image, problem = solara.use_memo(
        lambda: safe_image(ses, "city", city=row), [ses, frame, ses.version, row]
    )
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start"}):
        solara.HTML(
            tag="div",
            unsafe_innerHTML=table_html([[k, v] for k, v in state.items()], ["", "now"], "cp-city"),
        )
        if image is None:
            alert(f"The history could not be drawn: {problem}")
        else:
            solara.Image(image, format=LIVE_FORMAT, classes=["cp-city-history"])
    if ses.t and row not in set(ses.model.recorder.city_sample.tolist()):
        # Big synthetic worlds record the history of a sample of cities only (observe.py).
        solara.Text("This city is not in the recorded sample, so it has no history plot.")


@solara.component
def CompareTab(ses: Session) -> None:
    """Baseline and the chosen run side by side in numbers; overlaid in the time-series figure."""
    frame = frame_r.value
    summary = solara.use_memo(
        lambda: (
            guard(lambda: compare_summary(ses.timeseries(), ses.timeseries(reference=True)), None)
            if ses.reference is not None
            else None
        ),
        [ses, frame, ses.version],
    )
    if ses.reference is None or summary is None:
        solara.Text("Compare mode is off: switch on “Compare with the baseline” in the sidebar.")
        return
    mine = ses.settings.label()
    if is_reference(ses.settings):
        alert(
            "Your run has the baseline's settings, so both series coincide: pick a policy or move "
            "a lever to see a counterfactual.",
            "warning",
        )
    solara.Text(
        f"Two runs, same seed {ses.settings.seed}: baseline (dashed) and {mine} (solid).",
        classes=["cp-compare-caption"],
    )
    rows = [
        [r["series"], r["baseline"], r["your run"], r["difference"], r["mean difference"]]
        for _, r in summary.iterrows()
    ]
    solara.HTML(
        tag="div",
        unsafe_innerHTML=table_html(
            rows,
            ["series", "baseline", f"your run: {mine}", "difference", "mean difference so far"],
            "cp-compare",
        ),
    )


@solara.component
def EventsTab(ses: Session) -> None:
    """What has happened so far: scenario events and the model's own (grants, alliance steps)."""
    frame = frame_r.value
    events = solara.use_memo(
        lambda: guard(ses.model.events_frame, pd.DataFrame(columns=EVENT_COLUMNS)),
        [ses, frame, ses.version],
    )
    rows = [
        [r["date"], r["type"], r["detail"], r["origin"]] for _, r in events.tail(40).iterrows()
    ][::-1]
    solara.HTML(
        tag="div",
        unsafe_innerHTML=table_html(rows, ["date", "event", "detail", "origin"], "cp-events"),
    )


@solara.component
def LearnTab(ses: Session) -> None:
    """Galtung, Lederach and the triple nexus in our words, with the rules and today's numbers."""
    frame = frame_r.value
    text = solara.use_memo(
        lambda: guard(lambda: learn_markdown(ses), "The Learn panel failed (see the log)."),
        [ses, frame, ses.version],
    )
    solara.HTML(tag="div", unsafe_innerHTML=markdown_html(text), classes=["cp-learn"])


def markdown_html(text: str) -> str:
    """Markdown to HTML on the server.

    Not solara.Markdown: it asks the page to load KaTeX from the CDN path, which solara-assets
    does not ship, so offline it fails (and online the server would fetch it from the internet).
    """
    import markdown

    return markdown.markdown(text, extensions=["fenced_code", "tables"])


def _latest(ses: Session, col: str) -> str:
    ts = ses.timeseries()
    if col not in ts or ts.empty:
        return "(press Step)"
    v = float(ts[col].iloc[-1])
    return "n/a" if math.isnan(v) else f"{v:.2f}"


def learn_markdown(ses: Session) -> str:
    """The Learn panel, with the run's parameter values and current numbers filled in."""
    m, p = ses.model, ses.model.params
    g, tr, d, pr = p.galtung, p.trust, p.delivery, p.proposals
    lv = m.levers
    mult = 1 + d.synergy * lv.coordination
    return f"""
### What you are looking at ({ses.date()})
Each **circle** is a city, coloured by its *positive peace* and sized by its population.
**Magenta lines** are ties across a divide (between communities in conflict). Grey lines are the
other ties. A darker, thicker line means more trust. The three panels on the right follow peace,
relationships and aid activity month by month. Dotted lines mark the scenario's events.

### Galtung: three kinds of violence, two kinds of peace
*Direct* violence (D) is the visible kind: killing, attacks, destruction. *Structural* violence
(S) is harm built into how a society is run: who gets water, jobs and schools. *Cultural*
violence (C) is the set of stories and prejudices that make the other two look normal.
Ending the fighting gives **negative peace**. **Positive peace** also needs fair structures and
a culture that does not justify violence.
```
negative peace = 1 − D        positive peace = √((1 − S)(1 − C))        peace = ∛((1−D)(1−S)(1−C))
X ← X + r_X·(X* − X) + noise
    r_D = {g.rate_D:g} ≫ r_S = {g.rate_S:g} ≫ r_C = {g.rate_C:g} per month
D* = σ(w·S + w·C + w·needs + pressure − w·cohesion − w·capacity − b)
S* = σ(w·D + w·needs + w·displaced share − w·capacity − b)
C* = σ(w·D + w·national hostility − w·cross-divide trust − w·cohesion − b)
```
The rates explain the picture. A ceasefire shows within months in the blue *negative peace*
line. The orange *positive peace* line and the colour of the cities move over years, because
S and C change slowly. Now: negative peace **{_latest(ses, "negative_peace")}**, positive peace
**{_latest(ses, "positive_peace")}**.

### Lederach: relationships, and the middle range
Peace is built in relationships across the divide, at three levels. At the *top* are national
leaders. In the *middle range* are mayors, municipal associations and respected NGOs. At the
*grassroots* are citizens. City diplomacy works in the middle range, which can reach both up and
down. Every tie carries trust:
```
success:     trust += a_s·(1 − trust)          a_s = {tr.success:g}
failure:     trust −= a_f·trust                a_f = {tr.failure:g}  (a broken promise costs more)
no contact:  trust −= decay·(trust − floor),   floor = max(memory, baseline), decay = {tr.decay:g}
mediation:   trust(u,v) += μ·neutrality(m)·min(trust(m,u), trust(m,v))
             when both trust(m,u) and trust(m,v) > θ = {tr.mediation_threshold:g}
take each item of an offer with p = σ(β0 + β_trust·trust + β_benefit·benefit − β_host·hostility
                                     + β_med·mediated + β_will·will),  β_trust = {pr.beta_trust:g}
```
The magenta lines and the second panel show this. *Cross-divide trust* is now
**{_latest(ses, "cross_divide_trust")}**, and *horizontal integration* (trust between middle-range
actors across the divide) is **{_latest(ses, "horizontal_integration")}**. Switching the
**mediator** off removes the mediation term. Where the parties do not trust each other, their
trust then stays near its low baseline.

### The triple nexus: humanitarian, development, peace
Humanitarian aid saves lives now. Development rebuilds capacity and lowers S over years. Peace
work builds trust and lowers C. Run in silos, they undercut one another. Aid without development
breeds dependency, so needs rebound when it stops. Projects in a violent place are interrupted
and leave broken promises behind.
```
nexus multiplier = 1 + synergy·coordination = 1 + {d.synergy:g}×{lv.coordination:g} = {mult:.2f}
   (for a city that received ≥ 2 pillars within {d.nexus_window} months)
gates: direct cross-border aid needs permission ≥ humanitarian; development and peace need open;
       sanctions block development; a neutral IO relaxes both for human-security work
       (the "third channel"), if the IO channel is on ({"on" if lv.io_channel else "off"} now)
```
The third panel counts accepted flows by pillar and the active development projects. The status
chips above the figures show which cross-border gates are open. **Nexus coordination**,
**funding level** and the **IO channel** are the levers to try.

### Alliances
An alliance such as MAP goes *proposed → negotiating → founded → active ⇄ suspended →
dissolved*. Negotiation advances only while a mediator trusted by both sides is active and
violence stays below {p.alliances.stall_violence:g}. Founding needs cross-divide trust of at least
{p.alliances.found_trust:g} and secured funding. The alliance state is in the status chips.

Guided lessons for a 45-minute class are in `docs/teaching.md`.
"""


# ----------------------------------------------------------------------------- playing


def push_frame(ses: Session) -> bool:
    """Send this month's figures and status line straight to their widgets.

    While playing this replaces a render pass: reacton re-walks and updates the whole widget
    tree (about 75 widgets here) on every render, which cost more than drawing the month.
    Setting three widget values sends exactly three messages. The other panels catch up at
    ``SYNC_S`` intervals and when playing stops. Returns False when a widget is missing (then
    the caller renders normally).
    """
    hot = dict(ses.hot)
    if not {"network", "series", "status"} <= hot.keys():
        return False
    net, _ = safe_image(ses, "network", selected=selected_r.value)
    series, _ = safe_image(ses, "series")
    if net is None or series is None:
        return False
    hot["network"].value = net
    hot["series"].value = series
    hot["status"].unsafe_innerHTML = status_html(ses)
    return True


def play_loop() -> None:
    """Advance and show frames while playing, paced to the chosen speed."""
    ses = session_r.value
    last_sync = 0.0
    while playing_r.value and session_r.value is ses and ses is not None:
        t0 = time.perf_counter()
        if not advance(ses):
            playing_r.set(False)
            break
        if t0 - last_sync >= SYNC_S or not push_frame(ses):
            # A full render: every view (inspector, compare table, ...) catches up.
            frame_r.set(frame_r.value + 1)
            last_sync = t0
        wait = max(int(stride_r.value), 1) / max(int(speed_r.value), 1) - (time.perf_counter() - t0)
        # Always yield a little: without it, a frame slower than its slot makes this thread
        # re-take the render lock at once, and a click on Pause waited seconds for its turn.
        time.sleep(max(wait, MIN_GAP_S))
    frame_r.set(frame_r.value + 1)  # stopped: bring every view to the last month


@solara.component
def Player() -> None:
    """Runs the play loop in a worker thread while Play is on."""

    def run() -> None:
        if playing_r.value:
            play_loop()

    solara.lab.use_task(run, dependencies=[playing_r.value], prefer_threaded=True)


# ----------------------------------------------------------------------------- page


@solara.component
def Page() -> None:
    solara.Title("citypeace")
    solara.Style(CSS)
    if session_r.value is None and not error_r.value:
        start_session()
    ses = session_r.value
    if ses is None:
        alert(f"No run could be built: {error_r.value}")
        solara.Button("Retry", on_click=lambda: (error_r.set(""), start_session()))
        return
    Player()
    with solara.Row(style={"align-items": "flex-start", "flex-wrap": "nowrap"}, gap="12px"):
        with solara.Column(style={"width": "330px", "min-width": "330px"}, gap="6px"):
            solara.HTML(
                tag="div",
                unsafe_innerHTML="<h2>citypeace</h2><div>Peacebuilding through city networks</div>",
            )
            with solara.Card("Run", margin=0):
                RunControls(ses)
            with solara.Card("Levers", margin=0):
                LeverControls(ses)
            with solara.Card("Play", margin=0):
                PlayControls(ses)
            with solara.Card("Export", margin=0):
                ExportControls(ses)
        with solara.Column(style={"flex": "1 1 auto", "min-width": "0"}, gap="6px"):
            Banner()
            StatusBar(ses)
            with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start"}, gap="8px"):
                NetworkView(ses)
                SeriesView(ses)
            # A toggle row, not solara.lab.Tabs: those need ipyvuetify's TabsSlider, which
            # ipyvuetify 3 no longer has. Only the chosen panel is rendered (and re-rendered
            # each month), which also keeps playing fast.
            solara.ToggleButtonsSingle(
                value=PANELS[tab_r.value],
                values=list(PANELS),
                on_value=lambda v: tab_r.set(PANELS.index(v)),
                classes=["cp-panels"],
            )
            with solara.Div(classes=[f"cp-panel-{tab_r.value}"]):
                PANEL_VIEWS[tab_r.value](ses)


PANELS = ("Inspect a city", "Compare", "Events", "Learn")
PANEL_VIEWS = (InspectTab, CompareTab, EventsTab, LearnTab)
