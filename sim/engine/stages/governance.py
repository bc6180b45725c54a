"""Stage 6, trust, for governance ties: a city's relationship with its own national government
moves with the top level's acts on the city's exchange across the border (ODD 7.5, "The top
level's acts"; rules.trust.top_level_acts), by the shared trust rule (rules.trust.update).

A governance tie carries nothing, so the carrying ties' successes, refusals and contact never
reach it, and its trust stayed at its generated 0.5 (branch vertical). Here each city's
governance tie counts, over the city's active cross-border carrying ties (either end):
- successes: the mean of the ties' delivered outcomes times the hostility between the states
  (the part of the outcome that is the top level's permission);
- the state's refusals: the mean refused share its state's hostility made on the city's
  incoming offers (the part ``trust.refusal_owned`` leaves to the state), or the whole month
  on a tie whose gate is closed by the city's own government's permission, at the decline
  cost a refusal costs any tie;
- contact: the mean share taken; without it the tie drifts toward its anchored floor.
"""

from __future__ import annotations

import numpy as np

from sim.engine.coefficients import Coefficients
from sim.engine.month import Month
from sim.engine.state import State
from sim.engine.world import World
from sim.rules import HUM, PEACE, gates, group_sum, trust
from sim.scenario.vocabulary import ACTOR_TYPES, TIE_TYPES

GOVERNANCE = TIE_TYPES.index("governance")
NATIONAL = ACTOR_TYPES.index("national_government")


def governance_ties(world: World) -> tuple[np.ndarray, np.ndarray]:
    """(tie rows, their city ends): the domestic governance ties between a city and a
    national government, either way (the generated ones run city -> government)."""
    t, a, n = world.ties, world.actors, world.n_cities
    src_city, dst_city = t.src < n, t.dst < n
    gov_src = a.type[t.src] == NATIONAL
    gov_dst = a.type[t.dst] == NATIONAL
    rows = np.flatnonzero(
        (t.type == GOVERNANCE) & ~t.cross_border & ((src_city & gov_dst) | (dst_city & gov_src))
    )
    return rows, np.where(t.src[rows] < n, t.src[rows], t.dst[rows])


def update_governance(
    world: World, state: State, co: Coefficients, month: Month, cultural: np.ndarray
) -> None:
    """Move each city's governance ties' trust by the top level's acts this month.

    ``cultural`` (R, A) is each actor's cultural violence (``world.context``), which the
    anchored floor reads (``trust.floor``)."""
    rows, cities = governance_ties(world)
    if not rows.size:
        return
    t, ties, tp, n = world.ties, state.ties, co.trust, world.n_cities
    r = ties.trust.shape[0]
    hostility = state.countries.hostility.reshape(r, -1)
    active = ties.active
    b = world.border_carrying  # the cross-border carrying ties: read only these
    offer_total = np.take(month.offer_total, b, axis=1)
    # The tie's own successes (stage 6): humanitarian aid and peace work delivered, one for a
    # completed project.
    offer = np.take(month.offer[HUM], b, axis=1) + np.take(month.offer[PEACE], b, axis=1)
    outcome = np.divide(offer, offer_total, out=np.zeros_like(offer_total), where=offer_total > 0)
    delivered_b = outcome * np.take(month.taken, b, axis=1) + np.take(month.completed, b, axis=1)
    h_b = np.take(hostility, t.pair[b], axis=1)
    owned = trust.refusal_owned(
        np.take(month.accept_prob, b, axis=1), h_b, co.proposals.beta_hostility
    )
    has_offer = np.take(month.has_offer, b, axis=1)
    owned = np.where(has_offer, owned, 1.0)  # no offer, nothing refused (whatever prob holds)
    taken = np.take(month.taken, b, axis=1)
    refused = (1.0 - taken) * has_offer
    live = np.take(active, b, axis=1)
    closed = live & ~np.take(month.open, b, axis=2).any(axis=0)
    # A gate shut on every pillar is some government's closed permission: each end's own
    # government answers for it only where its own permission toward the other country is
    # closed (the North's closure is not the South's act).
    src, dst = t.src[b], t.dst[b]
    perm = state.countries.permission.reshape(r, -1)
    k = world.n_countries
    sc, dc = t.src_country[b], t.dst_country[b]
    shut_src = closed & (np.take(perm, sc * k + dc, axis=1) < gates.HUMANITARIAN)
    shut_dst = closed & (np.take(perm, dc * k + sc, axis=1) < gates.HUMANITARIAN)
    success, refused_dst = trust.top_level_acts(delivered_b, refused, owned, shut_dst, h_b)
    _, refused_src = trust.top_level_acts(delivered_b, np.zeros_like(refused), owned, shut_src, h_b)
    # Per city end: both ends count the permission; only the recipient's state refuses an
    # offer, and each end's own government a closed gate.
    live_f = live.astype(np.float64)
    ends = np.concatenate([src, dst])
    at_city = ends < n
    ends = ends[at_city]

    def mean_at_cities(src_part: np.ndarray, dst_part: np.ndarray) -> np.ndarray:
        both = np.concatenate([src_part * live_f, dst_part * live_f], axis=1)[:, at_city]
        return group_sum(both, ends, n)

    count = mean_at_cities(np.ones_like(live_f), np.ones_like(live_f))

    def per_city(total: np.ndarray) -> np.ndarray:  # 0 for a city without such a tie
        return np.divide(total, count, out=np.zeros_like(total), where=count > 0)

    s_city = per_city(mean_at_cities(success, success))
    f_city = per_city(mean_at_cities(refused_src, refused_dst))
    c_city = per_city(mean_at_cities(taken, taken))
    # The governance tie of each city: refusals first, as stage 6 charges a tie's own.
    g_trust = np.take(ties.trust, rows, axis=1)
    g_trust = g_trust * (1.0 - co.proposals.decline_cost * np.take(f_city, cities, axis=1))
    pair = t.pair[rows]
    floor = trust.floor(
        np.take(cultural, t.src[rows], axis=1),
        np.take(cultural, t.dst[rows], axis=1),
        np.take(hostility, pair, axis=1),
        np.take(ties.start_trust, rows, axis=-1),
        np.take(ties.start_baseline, rows, axis=-1),
        tp.baseline,
    )
    g_trust = trust.update(
        g_trust,
        np.take(ties.memory, rows, axis=-1),
        np.take(s_city, cities, axis=1),
        np.zeros_like(g_trust),
        np.take(c_city, cities, axis=1),
        floor,
        success=tp.success,
        failure=tp.failure,
        decay=tp.decay,
    )
    old = np.take(ties.trust, rows, axis=1)
    ties.trust[:, rows] = np.where(np.take(active, rows, axis=1), g_trust, old)
