"""The controls: run settings, levers (restart or dated intervention), compare, play, export."""

from __future__ import annotations

from typing import Any

import solara

from sim.app import state
from sim.app.exports import compare_csv, config_yaml, export_name, timeseries_csv
from sim.app.figures import export_png
from sim.app.settings import (
    LEVER_LABELS,
    LEVER_RANGES,
    MAX_RUNS,
    SWITCHES,
    policy_levers,
    settings_for_policy,
)
from sim.app.widgets import Choice, Download, IntField, LeverSlider, Toggle

SMALL = {"font-size": "12px", "color": "#555", "line-height": "1.3"}


def scenario_names() -> list[str]:
    """Scenarios offered in the picker (folders on disk plus synthetic)."""
    from sim.scenario.loader import available_scenarios

    return list(available_scenarios())


@solara.component
def RunControls(ses: Any, switch_scenario: Any) -> None:
    """Scenario, policy, seed and synthetic size."""
    s = ses.settings
    Choice("Scenario", scenario_names(), s.scenario, switch_scenario, "cp-scenario")
    policies = ["baseline", *ses.policies]
    Choice(
        "Policy (counterfactual)",
        policies,
        s.policy,
        lambda v: state.apply(settings_for_policy(s, ses.policies, v)),
        "cp-policy",
        disabled=len(policies) == 1,
    )
    desc = (ses.policies.get(s.policy) or {}).get("description")
    if desc:
        solara.Text(desc, style=SMALL, classes=["cp-policy-desc"])
    with solara.Row(gap="6px"):
        IntField("Seed", s.seed, lambda v: state.change(seed=v), "cp-seed")
        if s.scenario == "synthetic":
            IntField("Cities (N)", s.n_cities, lambda v: state.change(n_cities=v), "cp-ncities")


def lever_change(ses: Any, key: str, value: Any) -> None:
    """A lever moved: a dated intervention from the next month, or a restart with the value."""
    if state.intervene_r.value and ses.t > 0:
        try:
            ses.intervene({key: value})
        except Exception as exc:
            state.error_r.set(f"{state.one_line(exc)}. The run goes on unchanged.")
            state.rev_r.set(state.rev_r.value + 1)
            return
        state.error_r.set("")
        state.notice_r.set(f"Intervention recorded: {key} = {value} from {ses.date(ses.t + 1)}.")
        state.frame_r.set(state.frame_r.value + 1)
        return
    state.change(**{key: value})


@solara.component
def LeverControls(ses: Any) -> None:
    """The generic levers; a policy-fixed lever is shown, disabled, with the reason."""
    s = ses.settings
    fixed = policy_levers(ses.policies, s.policy)
    live = state.intervene_r.value and ses.t > 0
    now = ses.levers_now() if live else s.levers()
    for key, (lo, hi) in LEVER_RANGES.items():
        label = LEVER_LABELS[key]
        LeverSlider(
            label + (f" (fixed by {s.policy})" if key in fixed else ""),
            float(now[key]),
            lo,
            hi,
            lambda v, key=key: lever_change(ses, key, v),
            f"cp-lever-{key}",
            disabled=key in fixed,
        )
    for key in SWITCHES:
        label = LEVER_LABELS[key] + (f" (fixed by {s.policy})" if key in fixed else "")
        Toggle(
            label,
            bool(now[key]),
            lambda v, key=key: lever_change(ses, key, v),
            f"cp-lever-{key}",
            disabled=key in fixed,
        )
    Toggle(
        "Lever moves are dated interventions",
        state.intervene_r.value,
        state.intervene_r.set,
        "cp-intervene",
    )
    solara.Text(
        "On: a lever moved mid-run acts from the next month and is recorded (Events, exports). "
        "Off: a change restarts the run at its first month.",
        style=SMALL,
    )


@solara.component
def CompareControls(ses: Any) -> None:
    """Up to four runs side by side: the baseline, and any run pinned from the controls."""
    s = ses.settings
    Toggle(
        "Compare with the baseline",
        s.compare,
        lambda v: state.change(compare=v),
        "cp-compare-switch",
    )
    room = 1 + int(s.compare) + len(s.pinned) < MAX_RUNS
    solara.Button(
        "Pin this run for comparison",
        on_click=lambda: state.change(pinned=(*s.pinned, s.run_only())),
        disabled=not room,
        outlined=True,
        small=True,
        classes=["cp-pin"],
    )
    solara.Text(
        "Pin, then change policy or levers: the pinned run stays beside yours.", style=SMALL
    )
    for i, other in enumerate(s.pinned):
        with solara.Row(style={"align-items": "center"}, gap="4px"):
            solara.Text(f"{i + 1}. {other.label()} (seed {other.seed})", style=SMALL)
            solara.Button(
                "Remove",
                on_click=lambda i=i: state.change(pinned=s.pinned[:i] + s.pinned[i + 1 :]),
                text=True,
                small=True,
                classes=[f"cp-unpin-{i + 1}"],
            )
    Toggle(
        "30 seeds: median and 80% bands", state.bands_r.value, state.bands_r.set, "cp-bands-switch"
    )


def months_input(ses: Any, raw: str) -> int:
    """A date 'YYYY-MM' (or a month number) within the run as the month count to reach."""
    from sim.errors import ConfigError
    from sim.scenario.dates import parse_month

    text = str(raw).strip()
    try:
        target = int(text) if text.isdigit() else parse_month(text) - ses.model.start + 1
    except Exception as exc:
        raise ConfigError("app", "run to", text, "a month 'YYYY-MM' or a month number") from exc
    last = ses.date(ses.horizon)
    if not ses.t < target <= ses.horizon:
        raise ConfigError(
            "app", "run to", text, f"a month after {ses.date()} and no later than {last}"
        )
    return target


def run_to(ses: Any, raw: str) -> None:
    """Simulate up to a date without drawing each month, then draw once."""
    try:
        target = months_input(ses, raw)
    except Exception as exc:
        state.error_r.set(f"{state.one_line(exc)}. The run is unchanged.")
        return
    state.playing_r.set(False)
    state.advance(ses, target - ses.t)
    state.view_t_r.set(None)
    state.frame_r.set(state.frame_r.value + 1)


@solara.component
def PlayBar(ses: Any) -> None:
    """Reset, Play/Pause, Step, speed, run to a date and the timeline scrubber."""
    done = state.done_r.value  # not frame_r: these buttons need not re-render every month
    playing = state.playing_r.value
    target, set_target = solara.use_state("")
    with solara.Row(
        gap="6px", style={"align-items": "center", "flex-wrap": "wrap"}, classes=["cp-playbar"]
    ):
        solara.Button(
            "Reset", on_click=lambda: state.apply(ses.settings), outlined=True, classes=["cp-reset"]
        )
        solara.Button(
            "Pause" if playing else "Play",
            on_click=lambda: state.playing_r.set(not state.playing_r.value),
            color="primary",
            disabled=done and not playing,
            classes=["cp-play"],
        )
        solara.Button(
            "Step",
            on_click=state.step_once,
            disabled=playing or done,
            color="primary",
            outlined=True,
            classes=["cp-step"],
        )
        with solara.Div(classes=["cp-speed"]):
            solara.SliderInt(f"{state.speed_r.value} months/s", value=state.speed_r, min=1, max=30)
        with solara.Div(classes=["cp-runto"]):
            solara.InputText(
                "Run to (YYYY-MM)", value=target, on_value=set_target, continuous_update=False
            )
        solara.Button(
            "Go",
            on_click=lambda: run_to(ses, target),
            disabled=playing or done,
            outlined=True,
            classes=["cp-runto-go"],
        )


@solara.component
def Timeline(ses: Any) -> None:
    """Scrub back over the months already run (the figures and status show that month)."""
    frame = state.frame_r.value  # noqa: F841 - re-render as months pass
    t = ses.t
    if t < 1 or state.playing_r.value:
        return
    shown = t if state.view_t_r.value is None else state.view_t_r.value

    def scrub(v: int) -> None:
        state.view_t_r.set(None if int(v) >= ses.t else int(v))

    with solara.Div(classes=["cp-timeline"]):
        solara.SliderInt(f"Timeline: {ses.date(shown)}", value=shown, min=0, max=t, on_value=scrub)


@solara.component
def ExportControls(ses: Any) -> None:
    """Downloads of the runs on screen: CSV, figures (PNG) and the run's config YAML."""
    from sim.app.live import layout, network_args, series_args

    def name(suffix: str, ext: str) -> Any:
        return lambda: export_name(ses.settings, ses.date(), ext, suffix)

    lay = layout()
    with solara.Column(gap="4px", classes=["cp-export"]):
        Download(
            lambda: timeseries_csv(ses),
            filename=name("", "csv"),
            label="Time series (CSV)",
            mime_type="text/csv",
            css="cp-download-csv",
        )
        Download(
            lambda: export_png(ses, "series", lay.series, lay.scale, **series_args()),
            filename=name("_series", "png"),
            label="Time-series figure (PNG)",
            mime_type="image/png",
            css="cp-download-series",
        )
        Download(
            lambda: export_png(ses, "network", lay.network, lay.scale, **network_args()),
            filename=name("_network", "png"),
            label="Network figure (PNG)",
            mime_type="image/png",
            css="cp-download-network",
        )
        Download(
            lambda: config_yaml(ses),
            filename=name("_config", "yaml"),
            label="Run config (YAML)",
            mime_type="text/yaml",
            css="cp-download-config",
        )
        if len(ses.runs) > 1:
            Download(
                lambda: compare_csv(ses),
                filename=name("_compare", "csv"),
                label="Comparison, long format (CSV)",
                mime_type="text/csv",
                css="cp-download-compare",
            )
