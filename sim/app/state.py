"""Per-browser-session state of the app and the actions that change it.

Module-level ``solara.reactive`` values are per browser session in Solara, so two users do not
share a run. Every change of settings goes through :func:`apply`: it builds the new runs first
and, on any failure, keeps the old ones and shows one line in the banner.
"""

from __future__ import annotations

import traceback
from typing import Any

import solara

from sim.app.runs import Session
from sim.app.settings import Settings, one_line

FIRST_CHOICE = "tuzla"
FALLBACK = "two_cities"

session_r: solara.Reactive[Session | None] = solara.reactive(None)
error_r = solara.reactive("")  # the banner: last failure, previous runs kept
notice_r = solara.reactive("")  # informational line (e.g. a fallback at start)
playing_r = solara.reactive(False)
frame_r = solara.reactive(0)  # bumped after every simulated frame: the views re-render
speed_r = solara.reactive(30)  # target months per second while playing
stride_r = solara.reactive(1)  # months simulated per rendered frame
selected_r: solara.Reactive[int | None] = solara.reactive(None)  # inspected city row
done_r = solara.reactive(False)  # the run reached its horizon (Play and Step disabled)
rev_r = solara.reactive(0)  # bumped on a refused change: the controls snap back
tab_r = solara.reactive(0)
viewport_r = solara.reactive((1440, 900))  # the browser window, reported by the page
viewport_known_r = solara.reactive(False)  # figures wait for it: no first picture to redo
scroll_r = solara.reactive(0)  # bumped when a tab is chosen: the page shows its panel
projector_r = solara.reactive(False)  # large type for a projector
view_t_r: solara.Reactive[int | None] = solara.reactive(None)  # a scrubbed-back month, or live
net_run_r = solara.reactive(0)  # which run's network is drawn
focus_r = solara.reactive(False)  # network zoomed to the chosen city's neighbourhood
intervene_r = solara.reactive(False)  # lever moves are dated interventions, not restarts
bands_r = solara.reactive(False)  # the "30 seeds" fan bands
busy_r = solara.reactive("")  # progress of a background job (run to a date, ensembles)


def report(where: str, exc: BaseException) -> None:
    """Show a failure in the banner; the server and the current run stay up."""
    traceback.print_exc()  # the full story goes to the server log
    error_r.set(f"{where}: {one_line(exc)}")


def start_session(settings: Settings | None = None) -> None:
    """The first run of a browser session: tuzla, or two_cities when tuzla does not load."""
    try:
        session_r.set(Session.build(settings or Settings(scenario=FIRST_CHOICE)))
        return
    except Exception as exc:  # a scenario being authored may not load yet
        first = one_line(exc)
    if settings is not None:  # settings from a URL that do not hold: say so, start as usual
        error_r.set(f"link settings not applied: {first}")
        try:
            session_r.set(Session.build(Settings(scenario=FIRST_CHOICE)))
            return
        except Exception as exc:
            first = one_line(exc)
    try:
        session_r.set(Session.build(Settings(scenario=FALLBACK)))
        notice_r.set(f"{FIRST_CHOICE} did not load ({first}); started with {FALLBACK}.")
    except Exception as exc:  # nothing loads: say why, offer a retry (see Page)
        error_r.set(f"{FIRST_CHOICE}: {first}; {FALLBACK}: {one_line(exc)}")


def apply(settings: Settings) -> bool:
    """Rebuild the runs with new settings; on any failure keep the old ones and show a banner."""
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
    old = session_r.value
    if old is None or old.settings.scenario != settings.scenario:
        selected_r.set(None)
    view_t_r.set(None)
    if net_run_r.value >= len(new.runs):
        net_run_r.set(0)
    done_r.set(new.done)
    session_r.set(new)
    frame_r.set(frame_r.value + 1)
    return True


def change(**changes: Any) -> None:
    """Apply a change of one or more settings to the current run's settings."""
    ses = session_r.value
    if ses is not None:
        apply(ses.settings.replace(**changes))


def advance(ses: Session, months: int | None = None) -> int:
    """Step the runs by one frame; a model error becomes a banner. Returns months simulated."""
    try:
        done = ses.step(max(int(stride_r.value if months is None else months), 1))
    except Exception as exc:
        playing_r.set(False)
        report(
            f"the model failed in month {ses.t} (the run may be inconsistent: Reset or change "
            "a setting)",
            exc,
        )
        return 0
    if ses.done != done_r.value:
        done_r.set(ses.done)
    return done


def step_once() -> None:
    ses = session_r.value
    if ses is not None and advance(ses, 1):
        view_t_r.set(None)
        frame_r.set(frame_r.value + 1)


def guard(fn: Any, fallback: Any) -> Any:
    """``fn()``, or ``fallback`` when it fails (logged): one broken view must not stop the app."""
    try:
        return fn()
    except Exception:
        traceback.print_exc()
        return fallback
