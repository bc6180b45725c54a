"""The month: the stages of MODEL.md section 3, in order, over a whole batch.

:func:`step` advances every replicate of a batch by one month. Each stage is one module of
``sim.engine.stages``; the rules they call are in ``sim.rules``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sim.engine.coefficients import Coefficients
from sim.engine.events import EventLog, EventsEngine
from sim.engine.month import Month
from sim.engine.stages import (
    alliances,
    delivery,
    funding,
    gates,
    levels,
    projects,
    proposals,
    trust,
    violence,
)
from sim.engine.state import State
from sim.engine.world import World

STAGES = (
    "events",
    "gates",
    "funding",
    "proposals",
    "delivery",
    "projects",
    "trust",
    "violence",
    "levels",
    "alliances",
)


def step(
    t: int,
    world: World,
    state: State,
    co: Coefficients,
    rngs: Sequence[np.random.Generator],
    events: EventsEngine,
    log: EventLog,
) -> Month:
    """Advance every replicate from month ``t`` to ``t + 1``; returns the month's record.

    The stages see the world as it stands this month: without the ties of inactive actors and
    ties outside their window (``EventsEngine.apply``), whose trust stands still (``settle``).
    """
    world = events.apply(t, state, co)  # 1. events, and the ties active this month
    open_, third_src = gates.open_channels(world, state, co)  # 2. gates
    money, active, risk_ok = funding.programme_money(world, state, co, t, log)  # 3. funding
    month = Month(
        step=t, open=open_, third_src=third_src, prog_active=active, risk_ok=risk_ok, world=world
    )
    proposals.make_offers(world, state, co, month, money, rngs)  # 4. proposals
    mult = delivery.deliver(world, state, co, month)  # 5. delivery and the nexus
    projects.run_projects(world, state, co, month, mult, rngs)  # ... and projects
    trust.update_trust(world, state, co, month)  # 6. trust and mediation
    violence.update_cities(world, state, co, month, rngs)  # 7. violence and peace
    levels.update_levels(world, state, co, month)  # 8. levels
    alliances.update_alliances(world, state, co, month, log)  # 9. alliances
    events.settle(state)
    return month  # 10. the batch records it
