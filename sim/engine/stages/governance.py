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

from types import SimpleNamespace

import numpy as np

from sim.engine.coefficients import Coefficients
from sim.engine.kernels import governance as governance_loops
from sim.engine.month import Month
from sim.engine.state import State
from sim.engine.world import World
from sim.rules import HUM, PEACE, fused, gates, group_sum, trust
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


def layout(world: World) -> SimpleNamespace:
    """The fixed index arrays the stage reads, built once per world and set of active ties
    (``world.border_carrying`` is rebuilt when the active ties change)."""
    cached = getattr(world, "_governance_layout", None)
    if cached is not None and cached.border is world.border_carrying:
        return cached
    t, n, k = world.ties, world.n_cities, world.n_countries
    rows, cities = governance_ties(world)
    b = world.border_carrying
    sc, dc = t.src_country[b], t.dst_country[b]
    # The city ends of the cross-border ties, src ends then dst ends; a non-city end goes to
    # a spare bin n, which the sums drop.
    src_end = np.where(t.src[b] < n, t.src[b], n)
    dst_end = np.where(t.dst[b] < n, t.dst[b], n)
    out = SimpleNamespace(
        border=b, rows=rows, cities=cities, pair=t.pair[b], own_src=sc * k + dc,
        own_dst=dc * k + sc, src_end=src_end, dst_end=dst_end, gov_src=t.src[rows],
        gov_dst=t.dst[rows], gov_pair=t.pair[rows], pairs=np.unique(t.pair[b]),
        own_pairs=np.unique(np.concatenate([sc * k + dc, dc * k + sc])),
        count=np.bincount(np.concatenate([src_end, dst_end]), minlength=n + 1)[:n],
    )  # fmt: skip
    world._governance_layout = out  # noqa: SLF001 (a cache on the world it describes)
    return out


def update_governance(
    world: World, state: State, co: Coefficients, month: Month, cultural: np.ndarray
) -> None:
    """Move each city's governance ties' trust by the top level's acts this month.

    ``cultural`` (R, A) is each actor's cultural violence (``world.context``), which the
    anchored floor reads (``trust.floor``)."""
    lay = layout(world)
    rows, b = lay.rows, lay.border
    if not rows.size:
        return
    ties, tp, n = state.ties, co.trust, world.n_cities
    r = ties.trust.shape[0]
    hostility = state.countries.hostility.reshape(r, -1)
    live = np.take(ties.active, b, axis=1)
    taken = np.take(month.taken, b, axis=1)
    # What the states did, read per country pair first (a few thousand pairs, not a million
    # ties): a hostile border, a city's own government's closed permission.
    perm = state.countries.permission.reshape(r, -1)
    hostile = bool(np.take(hostility, lay.pairs, axis=1).any())
    own_shut = bool((np.take(perm, lay.own_pairs, axis=1) < gates.HUMANITARIAN).any())
    # every tie live (no dated tie out of its window): the count is the layout's, and x 1.0
    # would change no bit, so the passes that multiply by ``on`` are skipped
    every = bool(live.all())
    on = None if every else live.astype(np.float64)
    if every:
        count = np.broadcast_to(lay.count, (r, n))
    else:
        count = (group_sum(on, lay.src_end, n + 1) + group_sum(on, lay.dst_end, n + 1))[:, :n]
    # The quantities each end sums: contact always; the state's acts only where a border is
    # hostile or a city's own permission is closed (else the state did nothing the rule reads).
    src_parts, dst_parts = [taken], [taken]
    if hostile or own_shut:
        if fused.wanted(month.taken.size):  # the same arithmetic in a loop (kernels.governance)
            success, refused_src, refused_dst = governance_loops.acts(
                lay, month, ties.active, (hostility, perm), co.proposals.beta_hostility,
                gates.HUMANITARIAN, (hostile, own_shut),
            )  # fmt: skip
        else:
            success, refused_src, refused_dst = _acts(
                lay, month, co, live, taken, (hostility, perm), (hostile, own_shut)
            )
        # A provider's state refuses only by its own closed permission: without one, the
        # providers' refused shares are all zero (sums of values >= 0, never -0), so their sum
        # is skipped.
        src_parts += [refused_src if own_shut else None] + ([success] if hostile else [])
        dst_parts += [refused_dst] + ([success] if hostile else [])
    # Per city, the mean over its live cross-border ties, at either end: one sum per quantity
    # and end (a quantity at a time: stacking them copies and makes the sums' bins longer).

    def mean_at_governed(src_part: np.ndarray | None, dst_part: np.ndarray) -> np.ndarray:
        if not every:
            dst_part = dst_part * on
        total = group_sum(dst_part, lay.dst_end, n + 1)
        if src_part is not None:  # (None: zero at every tie, and 0 + x is x to the bit)
            src_part = src_part if every else src_part * on
            total = group_sum(src_part, lay.src_end, n + 1) + total
        total = total[:, :n]
        mean = np.divide(total, count, out=np.zeros_like(total), where=count > 0)
        return np.take(mean, lay.cities, axis=1)

    none = np.zeros((r, rows.size))
    c_city = mean_at_governed(src_parts[0], dst_parts[0])
    f_city = mean_at_governed(src_parts[1], dst_parts[1]) if len(src_parts) > 1 else none
    s_city = mean_at_governed(src_parts[2], dst_parts[2]) if len(src_parts) > 2 else none
    # The governance tie of each city: refusals first, as stage 6 charges a tie's own.
    old = np.take(ties.trust, rows, axis=1)
    g_trust = old * (1.0 - co.proposals.decline_cost * f_city)
    floor = trust.floor(
        np.take(cultural, lay.gov_src, axis=1),
        np.take(cultural, lay.gov_dst, axis=1),
        np.take(hostility, lay.gov_pair, axis=1),
        np.take(ties.start_trust, rows, axis=-1),
        np.take(ties.start_baseline, rows, axis=-1),
        tp.baseline,
    )
    g_trust = trust.update(
        g_trust, np.take(ties.memory, rows, axis=-1), s_city, np.zeros_like(g_trust), c_city,
        floor, success=tp.success, failure=tp.failure, decay=tp.decay,
    )  # fmt: skip
    ties.trust[:, rows] = np.where(np.take(ties.active, rows, axis=1), g_trust, old)


def _acts(
    lay: SimpleNamespace,
    month: Month,
    co: Coefficients,
    live: np.ndarray,
    taken: np.ndarray,
    pairs: tuple[np.ndarray, np.ndarray],
    flags: tuple[bool, bool],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(R, B) at the cross-border carrying ties: the top level's successes (both ends), and the
    state's refused share at the provider's and at the recipient's end
    (``trust.top_level_acts``). ``pairs`` are the hostility and the permission per country
    pair (R, K x K), ``flags`` whether any border pair is hostile and whether any city's own
    permission is closed (the numpy form of ``kernels.governance.acts``)."""
    b, (hostility, perm), (hostile, shut) = lay.border, pairs, flags
    h_b = np.take(hostility, lay.pair, axis=1) if hostile else np.zeros(taken.shape)
    if shut:
        own_shut = (
            np.take(perm, lay.own_src, axis=1) < gates.HUMANITARIAN,
            np.take(perm, lay.own_dst, axis=1) < gates.HUMANITARIAN,
        )
    else:
        own_shut = (np.zeros(taken.shape, dtype=bool),) * 2
    # The tie's own successes (stage 6): humanitarian aid and peace work delivered, one for a
    # completed project; the top level's part is the hostility its permission overrides.
    total = np.take(month.offer_total, b, axis=1)
    offer = np.take(month.offer[HUM], b, axis=1) + np.take(month.offer[PEACE], b, axis=1)
    outcome = np.divide(offer, total, out=np.zeros_like(total), where=total > 0)
    delivered = outcome * taken + np.take(month.completed, b, axis=1)
    refused = (1.0 - taken) * np.take(month.has_offer, b, axis=1)
    # The recipient's own share of each refusal (trust.refusal_owned), read only where something
    # was refused across a hostile border: elsewhere it does not enter (refused x (1 - owned)).
    owned = np.ones_like(refused)
    asked = (refused > 0) & (h_b > 0)
    if asked.any():
        beta = np.broadcast_to(co.proposals.beta_hostility, refused.shape)[asked]
        prob = np.take(month.accept_prob, b, axis=1)[asked]
        owned[asked] = trust.refusal_owned(prob, h_b[asked], beta)
    # A gate shut on every pillar is some government's closed permission: each end's own
    # government answers for it only where its own permission toward the other country is
    # closed (the North's closure is not the South's act).
    if own_shut[0].any() or own_shut[1].any():  # else nothing shut is a city's own state's act
        closed = live & ~np.take(month.open, b, axis=2).any(axis=0)
    else:
        closed = np.zeros_like(live)
    shut_dst = closed & own_shut[1]
    success, refused_dst = trust.top_level_acts(delivered, refused, owned, shut_dst, h_b)
    refused_src = (closed & own_shut[0]).astype(np.float64)  # a provider's state refuses no offer
    return success, refused_src, refused_dst
