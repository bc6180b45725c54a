"""The tabs under the figures: inspect a city, compare runs, events, the scenario's story."""

from __future__ import annotations

import html
from typing import Any

import pandas as pd
import solara

from sim.app import state
from sim.app.compare import MODEL_ROWS, compare_table
from sim.app.history import model_series
from sim.app.inspector import city_name, city_options, city_state, recorded
from sim.app.live import image
from sim.app.series_figure import scenario_events
from sim.app.widgets import alert, table_html

MODEL_KEYS = tuple(key for _, key in MODEL_ROWS)
EVENT_COLUMNS = ["step", "date", "type", "detail", "source", "assumption", "origin"]


@solara.component
def InspectTab(ses: Any) -> None:
    """Pick (or click) a city; its state now, read through its Mesa agent, and its history."""
    options = solara.use_memo(lambda: city_options(ses.model), [ses])
    row = state.selected_r.value
    if row is not None and not 0 <= row < len(options):
        row = None
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}, gap="8px"):
        with solara.Div(style={"min-width": "260px", "flex": "1 1 260px"}):
            solara.Select(
                "City",
                values=options,
                value=options[row] if row is not None else None,
                on_value=lambda v: state.selected_r.set(options.index(v) if v in options else None),
                classes=["cp-city-select"],
            )
        if row is not None:
            solara.Button(
                "All cities",
                on_click=lambda: state.selected_r.set(None),
                text=True,
                classes=["cp-city-clear"],
            )
            if ses.model.n_cities > 60:
                solara.Switch(
                    label="Zoom the network to its neighbours",
                    value=state.focus_r,
                    classes=["cp-focus"],
                )
    if row is None:
        solara.Text(
            "Choose a city above, or click one in the network. The Peace and Needs "
            "panels then follow that city."
        )
    else:
        CityDetails(ses, row)


@solara.component
def CityDetails(ses: Any, row: int) -> None:
    """The inspected city now (every run) and over time (every run, one line style each)."""
    frame = state.frame_r.value
    states = solara.use_memo(
        lambda: [state.guard(lambda r=r: city_state(r.model, row), {}) for r in ses.runs],
        [ses, frame, ses.version, row],
    )
    img, problem = solara.use_memo(
        lambda: image(ses, "city", city=row), [ses, frame, ses.version, row]
    )
    keys = list(states[0]) if states and states[0] else []
    rows = [[k, *[s.get(k, "") for s in states]] for k in keys]
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start"}):
        solara.HTML(
            tag="div",
            unsafe_innerHTML=table_html(rows, ["", *[r.label for r in ses.runs]], "cp-city"),
        )
        if img is None:
            alert(f"The history could not be drawn: {problem}")
        else:
            solara.Image(img, format="jpeg", classes=["cp-city-history"])
    if ses.t and not recorded(ses.model, row):
        solara.Text("This city is not in the recorded sample, so it has no history plot.")


@solara.component
def CompareTab(ses: Any) -> None:
    """Each run's values now for the chosen city, the recipient side and the whole model."""
    frame = state.frame_r.value
    row = state.selected_r.value
    reference = next((i for i, r in enumerate(ses.runs) if r.role == "baseline"), 1)
    table = solara.use_memo(
        lambda: state.guard(
            lambda: compare_table(
                [r.model for r in ses.runs],
                [r.label for r in ses.runs],
                [model_series(r.model, MODEL_KEYS) for r in ses.runs],
                row,
                city_name(ses.model, row).split(" (")[0] if row is not None else "",
                reference,
            ),
            None,
        ),
        [ses, frame, ses.version, row],
    )
    if len(ses.runs) < 2:
        solara.Text(
            "Compare is off: switch on “Compare with the baseline”, or pin this run and "
            "change a policy or lever (sidebar, Compare)."
        )
        return
    if len(ses.runs) == 2 and ses.runs[0].settings == ses.runs[1].settings.replace(
        interventions=ses.runs[0].settings.interventions
    ):
        alert(
            "Both runs have the same settings, so they coincide: pick a policy or move a lever.",
            "warning",
        )
    solara.Text(
        f"{len(ses.runs)} runs at {ses.date()} (month {ses.t}); line styles in the figures: "
        + "; ".join(f"{r.label} ({_style_name(i)})" for i, r in enumerate(ses.runs)),
        classes=["cp-compare-caption"],
    )
    if row is None:
        solara.Text(
            "Choose a city (Inspect a city, or click it) to add its rows.",
            style={"font-size": "12px", "color": "#555"},
        )
    if table is not None:
        header, rows = table
        solara.HTML(tag="div", unsafe_innerHTML=table_html(rows, header, "cp-compare"))


def _style_name(i: int) -> str:
    return ("solid", "dashed", "dotted", "dash-dot")[i % 4]


def event_rows(ses: Any) -> list[list[Any]]:
    """What has happened so far, newest first, in words: scenario events, interventions and
    the model's own (grants paid or refused, alliance steps); numbered like the markers."""
    events = state.guard(ses.model.events_frame, pd.DataFrame(columns=EVENT_COLUMNS))
    numbers = {(e["step"], e["type"]): e["number"] for e in scenario_events(ses.model)}
    rows = []
    for _, r in events.iterrows():
        number = numbers.get((int(r["step"]), str(r["type"])), "")
        what = str(r["type"]).replace("_", " ")
        detail = str(r["detail"]).replace("programme=", "programme ").replace("_", " ")
        origin = "scenario" if r["origin"] == "scenario" else "model"
        if r["type"] == "intervention":
            origin = "you (dated intervention)"
        rows.append([number, r["date"], what, detail, r.get("source", "") or "", origin])
    return rows[::-1][:60]


@solara.component
def EventsTab(ses: Any) -> None:
    """Numbered scenario events (as on the time series), with sources, and what followed."""
    frame = state.frame_r.value
    rows = solara.use_memo(lambda: event_rows(ses), [ses, frame, ses.version])
    upcoming = [
        [e["number"], e["date"], e["type"].replace("_", " "), e["source"]]
        for e in scenario_events(ses.model)
        if e["step"] >= ses.t
    ]
    solara.HTML(tag="h4", unsafe_innerHTML="So far (newest first)")
    solara.HTML(
        tag="div",
        unsafe_innerHTML=table_html(
            rows, ["#", "month", "event", "detail", "source", "origin"], "cp-events"
        ),
    )
    if upcoming:
        solara.HTML(tag="h4", unsafe_innerHTML="Still to come (numbers as on the time series)")
        solara.HTML(
            tag="div",
            unsafe_innerHTML=table_html(
                upcoming, ["#", "month", "event", "source"], "cp-events-upcoming"
            ),
        )


def info_html(info: dict[str, Any] | None, ses: Any) -> str:
    """The scenario's story as HTML: sections of dated, sourced items, then its policies."""
    if info is None:
        return (
            "<p>This scenario has no story file (<code>info.yaml</code> in its folder; "
            "format: <code>sim/scenario/info.py</code>).</p>"
        )
    e = html.escape
    parts = [f"<h3>{e(info['title'])}</h3>"]
    if info["summary"]:
        parts.append(f"<p>{e(info['summary'])}</p>")
    for sec in info["sections"]:
        parts.append(f"<h4>{e(sec['heading'])}</h4><ul>")
        for item in sec["items"]:
            date = f"<b>{e(item['date'])}</b> " if item["date"] else ""
            src = f' <span class="cp-source">[{e(item["source"])}]</span>' if item["source"] else ""
            parts.append(f"<li>{date}{e(item['text'])}{src}</li>")
        parts.append("</ul>")
    policies = {
        **{k: (v or {}).get("description", "") for k, v in ses.policies.items()},
        **info["policies"],
    }
    if policies:
        parts.append("<h4>The policies (counterfactuals)</h4><ul>")
        for name, text in policies.items():
            parts.append(f"<li><b>{e(name)}</b>: {e(text)}</li>")
        parts.append("</ul>")
    parts.append(
        '<p class="cp-source-note">Sources are <code>file:line</code> of the reports '
        "digested in the project's SOURCES.md.</p>"
    )
    return "".join(parts)


@solara.component
def InfoTab(ses: Any) -> None:
    """What happened in this case, when, with sources, and what its policies mean."""
    from sim.scenario.info import scenario_info

    def read() -> str:
        try:
            return info_html(scenario_info(ses.settings.scenario), ses)
        except Exception as exc:
            return f'<div class="cp-alert cp-alert-error">{html.escape(state.one_line(exc))}</div>'

    text = solara.use_memo(read, [ses.settings.scenario, ses])
    solara.HTML(tag="div", unsafe_innerHTML=text, classes=["cp-info"])
