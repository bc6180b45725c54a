"""Stage 3, funding: which programmes pay this month, and how much (rules.funding)."""

from __future__ import annotations

import numpy as np

from sim.engine.coefficients import Coefficients
from sim.engine.events import EventLog
from sim.engine.state import State
from sim.engine.world import World
from sim.rules import alliances, funding

STATUS_EVENTS = ("programme_idle", "grant_paid", "grant_refused")


def programme_money(
    world: World, state: State, co: Coefficients, step: int, log: EventLog
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """((R, P) money, (R, P) active, (R, P) risk acceptable); logs status changes."""
    prog, p = state.programmes, len(world.programme_ids)
    violence = funding.recipients_mean_violence(
        state.cities.D, world.recipient_prog, world.recipient_city, p
    )
    prog.recent_violence = funding.remember_violence(prog.recent_violence, violence)
    months = np.minimum(step + 1, co.funding.risk_window)
    risk_ok = funding.risk_acceptable(
        funding.window_mean(prog.recent_violence, months), world.prog_risk
    )
    # A programme linked to an alliance pays only while the alliance is active.
    alliance_ok = np.broadcast_to(world.prog_alliance < 0, risk_ok.shape)
    if world.alliance_ids:
        linked = state.alliances.state[:, np.maximum(world.prog_alliance, 0)]
        alliance_ok = alliance_ok | (linked == alliances.ACTIVE)
    # A phased programme pays inside its phases only, each with its own budget.
    start, end, budget = world.phase_window(step)
    active, money = funding.programme_money(
        step, start, end, prog.funded, risk_ok, alliance_ok, budget, co.levers.funding_scale
    )
    running = (start <= step) & (step < end) & prog.funded & alliance_ok
    status = np.where(active, 1, np.where(running & ~risk_ok, 2, 0)).astype(np.int8)
    # Log refusals and resumptions once, when a programme's status changes.
    r, i = np.nonzero(status != prog.status)
    log.note(
        r,
        step,
        [STATUS_EVENTS[s] for s in status[r, i].tolist()],
        [f"programme={world.programme_ids[k]}" for k in i.tolist()],
    )
    prog.status = status
    return money, active, risk_ok
