"""The month: the stages of MODEL.md section 3, in order, over a whole batch.

:func:`step` advances every replicate of a batch by one month. Each stage is one module of
``sim.engine.stages``; the rules they call are in ``sim.rules``.
"""

from __future__ import annotations

from collections.abc import Sequence

from sim.engine.coefficients import Coefficients
from sim.engine.events import EventLog, EventsEngine
from sim.engine.month import Month
from sim.engine.random_streams import RandomStreams
from sim.engine.stages import (
    alliances,
    delivery,
    funding,
    gates,
    ladder,
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
    "ladder",
    "violence",
    "levels",
    "alliances",
)


def step(
    t: int,
    world: World,
    state: State,
    co: Coefficients,
    streams: Sequence[RandomStreams],
    events: EventsEngine,
    log: EventLog,
) -> Month:
    """Advance every replicate from month ``t`` to ``t + 1``; returns the month's record.

    The stages see the world as it stands this month: without the ties of inactive actors and
    ties outside their window (``EventsEngine.apply``), whose trust stands still (``settle``).
    """
    world = events.apply(t, state, co)  # 1. events, and the ties active this month
    vertical, horizontal = levels.integration_by_city(world, state, co)  # (Lederach, as of now)
    open_, third_src = gates.open_channels(world, state, co, vertical)  # 2. gates
    money, active, risk_ok = funding.programme_money(world, state, co, t, log)  # 3. funding
    month = Month(
        step=t, vertical_city=vertical, horizontal_city=horizontal, open=open_,
        third_src=third_src, prog_active=active, risk_ok=risk_ok, world=world,
    )  # fmt: skip
    proposals.make_offers(world, state, co, month, money, streams)  # 4. proposals
    delivery.deliver(world, state, co, month)  # 5. delivery and the nexus
    projects.run_projects(world, state, co, month, streams)  # ... and projects
    trust.update_trust(world, state, co, month)  # 6. trust and mediation
    ladder.climb(world, state, co, month)  # ... and the cooperation ladder
    violence.update_cities(world, state, co, month, streams)  # 7. violence and peace
    levels.update_levels(world, state, co, month)  # 8. levels
    alliances.update_alliances(world, state, co, month, log)  # 9. alliances
    events.settle(state)
    return month  # 10. the batch records it
