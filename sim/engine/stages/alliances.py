"""Stage 9, alliances: the lifecycle of alliances such as MAP (MODEL.md 5.8;
rules.alliances)."""

from __future__ import annotations

import numpy as np

from sim.engine.coefficients import Coefficients
from sim.engine.events import EventLog
from sim.engine.month import Month
from sim.engine.state import State
from sim.engine.world import World
from sim.rules import alliances, displacement, group_sum, lederach, venue
from sim.rules import trust as trust_rule


def update_alliances(
    world: World, state: State, co: Coefficients, month: Month, log: EventLog
) -> None:
    """Advance every alliance one month; log transitions; joint work of active ones."""
    n_all = len(world.alliances)
    if n_all == 0:
        return
    trust, al, step = state.ties.trust, state.alliances, month.step
    r = trust.shape[0]
    # Suspension and the talks read violence above the usual level, as flight does
    # (rules.displacement): the standing level is what the parties have long lived with.
    excess = world.context(displacement.excess(state.cities.D, state.cities.usual_D), 0.0)
    mediated = np.zeros((r, n_all), dtype=bool)
    side_excess = np.zeros((r, n_all))
    min_trust = np.zeros((r, n_all))
    # Founding and survival read the members' working trust, their delegates' (branch levels,
    # rules.delegates): each member tie against the trust talks can build at the table, 1.
    # An alliance without member ties reads min trust 0, as before: found_trust - 0.
    found_short = np.repeat(np.broadcast_to(co.alliances.found_trust, (r, 1)), n_all, axis=1)
    envoys = state.ties.delegates
    for i, spec in enumerate(world.alliances):  # a few alliances, not agents
        side_excess[:, i] = excess[:, spec.members].max(axis=-1)
        if spec.inner.size:
            min_trust[:, i] = envoys[:, spec.inner].min(axis=-1)
            found_short[:, i] = alliances.founding_shortfall(
                envoys[:, spec.inner], 1.0, co.alliances.found_trust
            )
        if spec.has_mediators:
            # A mediator trusted above the threshold by every member keeps the talks going.
            talking = trust[:, spec.talks] > co.trust.mediation_threshold
            reached = group_sum(talking, spec.talks_member, spec.distinct_members) > 0
            mediated[:, i] = (reached.sum(axis=-1) == spec.n_members) & co.levers.mediation[:, 0]
    # Money is secured while a linked programme runs, is funded and passes its risk test.
    in_window = (world.prog_start <= step) & (step < world.prog_end) & state.programmes.funded
    linked = world.prog_alliance
    secured = group_sum(in_window & month.risk_ok & (linked >= 0), np.maximum(linked, 0), n_all)
    before = al.state
    al.state, al.progress, al.months_low = alliances.advance(
        al.state,
        al.progress,
        al.months_low,
        mediated,
        side_excess,
        min_trust,
        secured > 0,
        al.withdrawn,
        co.alliances,
        # Mediated talks meet at a neutral venue abroad (rules.venue).
        venue.exposure(side_excess, mediated, co.trust.venue_shield),
        found_short,
    )
    # An alliance across a divide that dissolves hardens its members' states (a withdrawal).
    dissolved = (al.state == alliances.DISSOLVED) & (before != alliances.DISSOLVED)
    for i in np.flatnonzero(dissolved.any(axis=0)).tolist():
        hit = dissolved[:, i, None, None] & world.groups.alliance_pairs[i]
        state.countries.hostility = lederach.hostility_shock(
            state.countries.hostility, hit, co.lederach.hostility_event[..., None]
        )
    rows, which = np.nonzero(before != al.state)
    log.note(
        rows,
        step,
        [f"alliance_{alliances.STATE_NAMES[s]}" for s in al.state[rows, which].tolist()],
        [f"alliance={world.alliance_ids[i]}" for i in which.tolist()],
    )
    joint = co.alliances.joint_trust
    # Joint work is a delivered outcome: toward what the ends' culture allows across a divide
    # (trust.delivery_ceiling), not toward 1.
    if not world.alliances:
        return
    cultural = world.context(state.cities.C, 0.0)
    t = world.ties
    reach = trust_rule.delivery_ceiling(
        np.take(cultural, t.src, axis=1), np.take(cultural, t.dst, axis=1), t.cross_divide
    )
    for i, spec in enumerate(world.alliances):
        active = (al.state[:, i] == alliances.ACTIVE)[:, None]
        inner = trust[:, spec.inner]
        room = np.maximum(reach[:, spec.inner] - inner, 0.0)
        trust[:, spec.inner] = np.where(active, inner + joint * room, inner)
