"""Stage 4, proposals and acceptance: offers along open ties and the share taken
(rules.proposals, rules.gates for sanctions).

Per-tie gathers use ``np.take(values, ties, axis=1)``: a row-major (R, E) result, which keeps
the following arithmetic on contiguous rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sim.engine.coefficients import Coefficients
from sim.engine.month import Month
from sim.engine.state import State
from sim.engine.world import World
from sim.rules import HUM, gates, group_sum, proposals


def make_offers(
    world: World,
    state: State,
    co: Coefficients,
    month: Month,
    money: np.ndarray,
    rngs: Sequence[np.random.Generator],
) -> None:
    """Offers, acceptance and the parts taken, into ``month``."""
    t, ties, pp = world.ties, state.ties, co.proposals
    r = ties.trust.shape[0]
    # A city offers its own resources as far as its leadership wills; other actors in full.
    will = state.actors.will
    resources = state.actors.resources * np.where(world.is_city, will, 1.0)
    need = np.take(world.context(state.cities.needs, 0.5), t.dst, axis=1)
    # Committed: recent contact worth more than one full month's three months ago.
    keep = 1.0 - co.trust.intensity_decay
    committed = ties.intensity > keep * keep * keep
    weight = proposals.tie_weights(
        ties.trust, np.maximum(need, 0.05), t.mandate * month.open, committed, pp.commit_share
    )
    offer = proposals.split_by_weight(resources, t.src, weight)
    # Each programme's money over its own (programme, tie) rows and pillars.
    row_weight = np.take(weight, world.row_tie, axis=-1) * world.row_pillars
    row_weight = row_weight * state.programmes.row_active
    split = proposals.split_by_weight(money, world.row_prog, row_weight)
    if world.row_tie.size:  # a scenario without programmes has no programme money
        offer = offer + group_sum(split, world.row_tie, world.n_ties)
    # Sanctions let only part of direct humanitarian money through; the rest stays with the
    # provider, like money with no open tie.
    passage = gates.sanction_passage(
        t.src_country,
        t.dst_country,
        state.countries.sanctioned,
        month.third_src,
        t.human_security,
        friction=co.gates.sanction_friction,
    )
    passage = np.where(co.switches.gates, passage, 1.0)
    offer[HUM] *= passage
    offer_total = offer.sum(axis=0)
    has_offer = offer_total > 0
    prob = proposals.acceptance_probability(
        ties.trust,
        proposals.expected_benefit(offer_total, need, pp.benefit_scale),
        np.take(state.countries.hostility.reshape(r, -1), t.pair, axis=1),
        t.mediated & co.levers.mediation,
        np.take(will, t.dst, axis=1),
        ties.intensity,
        beta0=pp.beta0,
        beta_trust=pp.beta_trust,
        beta_benefit=pp.beta_benefit,
        beta_hostility=pp.beta_hostility,
        beta_mediator=pp.beta_mediator,
        beta_will=pp.beta_will,
        beta_intensity=pp.beta_intensity,
    )
    # One uniform per tie and month, drawn for every tie: the random stream does not depend
    # on who made an offer.
    draws = np.empty(has_offer.shape)
    for row, rng in zip(draws, rngs, strict=True):
        rng.random(out=row)
    parts = np.zeros(has_offer.shape, dtype=np.int64)
    bids = np.flatnonzero(has_offer)  # the parts taken matter only where there is an offer
    items = np.broadcast_to(pp.items, has_offer.shape)
    parts.flat[bids] = proposals.parts_taken(prob.flat[bids], draws.flat[bids], items.flat[bids])
    accepted = parts > 0
    month.offer, month.split, month.passage = offer, split, passage
    month.has_offer, month.parts, month.taken = has_offer, parts, parts / pp.items
    month.accepted, month.declined = accepted, has_offer & ~accepted
