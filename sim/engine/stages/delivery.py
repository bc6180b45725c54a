"""Stage 5a, delivery and the triple nexus: what accepted offers do (rules.nexus, rules.money).

Per-pillar arrays put the pillar first: flows (3, R, E), money received (3, R, N). Money
reaches a city as a dose (EUR per inhabitant per year, ``money.dose``); humanitarian and peace
money delivered this month feed the city's effect stocks of the horizon of the programme that
paid it (``money.effect_stock``), which move the targets of the Galtung update (stage 7).
The committed money a closed programme pays its projects under way (``stages.committed``) is
delivered development money too: do no harm and the city's money received read it (harm17).
"""

from __future__ import annotations

import numpy as np

from sim.engine.chunks import by_ties
from sim.engine.coefficients import Coefficients
from sim.engine.groups import DESIGN
from sim.engine.kernels import delivery as delivery_loops
from sim.engine.month import Month
from sim.engine.stages.committed import pay_committed
from sim.engine.state import State
from sim.engine.world import World
from sim.rules import DEV, HUM, PEACE, fused, group_sum, money, nexus, trust


def deliver(world: World, state: State, co: Coefficients, month: Month) -> np.ndarray:
    """Do no harm (read on the resource transfers), peace work's trust and the effect stocks;
    returns the (R, N) nexus multiplier."""
    c, t, dp, n = state.cities, world.ties, co.delivery, world.n_cities
    step = month.step
    # Each tie delivers the share of its offer that was taken; do no harm reads the resource
    # transfers (humanitarian and development money) from providers blind to conflict
    # (``carefree``), not peace work (ODD 7.4).
    fast = fused.wanted(month.offer_total.size)  # the per-tie work in loops (sim.engine.kernels)
    if fast:
        flows, received, careless, month.peace_delivered, exponent = delivery_loops.flows(
            month.offer, month.offer_total, month.taken, t.dst, t.carefree, month.tie_people,
            co.money.x_half_contact, world.n_actors,
        )  # fmt: skip
        received, careless = received[..., :n], careless[:, :n]
    else:
        flows = month.offer * month.taken
        received = group_sum(flows, t.dst, world.n_actors)[..., :n]
        careless = group_sum((flows[HUM] + flows[DEV]) * t.carefree, t.dst, world.n_actors)[:, :n]
    # A closed programme's committed money paid this month (stages.committed) is development
    # money delivered on its tie: it counts in the tie's flow, in what its city received (the
    # nexus window, the received series) and in do no harm's dose and weights, once each, added
    # the same way after either path (so the compiled loops and numpy stay bit for bit).
    pay_committed(world, state, month)
    if month.committed_paid is not None:
        paid = month.committed_paid
        flows[DEV] += paid
        received[DEV] += group_sum(paid, t.dst, world.n_actors)[:, :n]
        careless += group_sum(paid * t.carefree, t.dst, world.n_actors)[:, :n]
    c.received = received
    c.last_received = np.where(received > 0, step, c.last_received)
    mult = nexus.nexus_multiplier(
        c.last_received, step, dp.nexus_window, dp.synergy, co.levers.coordination
    )
    people = c.people
    x = money.dose(received, people)  # (3, R, N) EUR per inhabitant per year
    # Do no harm: resources handed out by providers blind to conflict strain a mixed city's
    # cohesion; peace work transfers no resources to divide (ODD 7.4).
    transfers = received[HUM] + received[DEV]
    insensitivity = np.divide(careless, transfers, out=np.zeros_like(careless), where=transfers > 0)
    c.cohesion = nexus.do_no_harm(
        c.cohesion, c.diversity, x[HUM] + x[DEV], insensitivity, dp.harm, co.money.x_half_hum
    )
    # Peace work builds trust on its tie, read as the dose delivered on it (EUR per recipient
    # inhabitant per year); the share of the offer delivered as peace work feeds the ladder.
    # Middle-range providers spill part of the trust they built into the city's cohesion: the
    # mean gain over the city's ties from middle-range providers (one partner or twenty) that
    # offered something this month. A tie with no offer (a programme's partnership before the
    # programme pays) did no work, so it does not dilute the others' gains.
    mult_actor = np.concatenate([mult, np.ones((mult.shape[0], world.n_actors - n))], axis=1)
    before = state.ties.trust
    # Toward what the communities' culture allows across a divide (trust.delivery_ceiling).
    if fast:  # (the ceiling computed at each tie in the loop)
        culture = (world.context(state.cities.C, 0.0), t.src, t.cross_divide)
        after, gained, working = delivery_loops.peace_trust(
            before, np.expm1(exponent), dp.peace_trust, mult_actor, t.dst, t.middle_src,
            month.has_offer, world.n_actors, culture,
        )  # fmt: skip
        gained, working = gained[:, :n], working[:, :n]
    else:
        offer_total = month.offer.sum(axis=0)
        peace_share = np.divide(
            month.offer[PEACE], offer_total, out=np.zeros_like(offer_total), where=offer_total > 0
        )
        month.peace_delivered = peace_share * month.taken
        peace_dose = money.dose(month.offer[PEACE] * month.taken, month.tie_people)
        after = by_ties(
            nexus.peace_work_trust,
            before,
            peace_dose,
            np.take(mult_actor, t.dst, axis=1),
            delivery_ceiling(world, state),
            n_ties=world.n_ties,
            gain=dp.peace_trust,
            x_half=co.money.x_half_contact,
        )
        gained = group_sum((after - before) * t.middle_src, t.dst, world.n_actors)[:, :n]
        working = group_sum(month.has_offer & t.middle_src, t.dst, world.n_actors)[:, :n]
    state.ties.trust = after
    spill = dp.middle_spill * gained / np.maximum(working, 1)
    c.cohesion = np.clip(c.cohesion + np.minimum(spill, 1.0) * (1.0 - c.cohesion), 0.0, 1.0)
    # Humanitarian and peace money feed the effect stocks of their programmes' horizons.
    if world.row_tie.size:
        by_horizon = _received_by_horizon(world, month, flows)  # (3, 3, R, N)
        delivered = lambda pillar, h: money.dose(by_horizon[pillar, h], people)  # noqa: E731
    else:  # all of it the providers' own, as design: the doses above, no money elsewhere
        delivered = lambda pillar, h: x[pillar] if h == DESIGN else 0.0  # noqa: E731
    for pillar in (HUM, PEACE):
        for h in range(3):
            c.stock[pillar, h] = money.effect_stock(
                c.stock[pillar, h], delivered(pillar, h), lifetime(co, pillar, h)
            )
    month.flows, month.multiplier = flows, mult
    return mult


def lifetime(co: Coefficients, pillar: int, horizon: int) -> np.ndarray:
    """(R, 1) lifetime of an effect stock: its horizon's (crisis, design, vision); relief is
    consumed, so a humanitarian effect lasts at most ``money.relief_lifetime``."""
    mp = co.money
    tau = (mp.lifetime_crisis, mp.lifetime_design, mp.lifetime_vision)[horizon]
    return np.minimum(tau, mp.relief_lifetime) if pillar == HUM else tau


def _received_by_horizon(world: World, month: Month, flows: np.ndarray) -> np.ndarray:
    """(3 pillars, 3 horizons, R, N) money each city received this month, by the horizon of
    the programme that paid it; a provider's own money counts as ``design`` (without
    programmes, all of it: ``deliver`` then reads the doses it has already computed)."""
    g, n = world.groups, world.n_cities
    out = np.zeros((3, 3, *flows.shape[1:-1], n))
    taken = np.take(month.taken, world.row_tie, axis=-1)
    passage = np.take(month.passage, world.row_tie, axis=-1)
    delivered = month.split * taken  # (3, R, rows): each programme's delivered money
    delivered[HUM] *= passage  # sanctions hold back part of direct humanitarian money
    own = np.maximum(flows - group_sum(delivered, world.row_tie, world.n_ties), 0.0)
    for h, rows in enumerate(g.rows_by_horizon):
        if rows.size:
            out[:, h] = group_sum(np.take(delivered, rows, axis=-1), g.row_city[rows], n)
    out[:, DESIGN] += group_sum(own, world.ties.dst, world.n_actors)[..., :n]
    return out


def delivery_ceiling(world: World, state: State) -> np.ndarray:
    """(R, E) the trust delivered outcomes can build on each tie (``trust.delivery_ceiling``):
    ``1 - mean C of the ends`` across a divide, 1 elsewhere (ODD 7.5, branch deltrust)."""
    t = world.ties
    cultural = world.context(state.cities.C, 0.0)
    return trust.delivery_ceiling(
        np.take(cultural, t.src, axis=1), np.take(cultural, t.dst, axis=1), t.cross_divide
    )
