"""Stage 4, proposals and acceptance: offers along open ties and the share taken
(rules.proposals, rules.gates for sanctions).

Per-tie gathers use ``np.take(values, ties, axis=1)``: a row-major (R, E) result, which keeps
the following arithmetic on contiguous rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sim.engine.chunks import by_ties
from sim.engine.coefficients import Coefficients
from sim.engine.kernels import acceptance as acceptance_loops
from sim.engine.kernels import offers as offer_loops
from sim.engine.kernels import parts as parts_loops
from sim.engine.month import Month
from sim.engine.random_streams import RandomStreams, keyed_uniforms
from sim.engine.state import State
from sim.engine.world import World
from sim.rules import HUM, fused, gates, group_sum, proposals
from sim.rules.money import dose as money_dose

REFERENCE_PEOPLE = 100_000.0  # a non-city recipient without a community: a town this size


def make_offers(
    world: World,
    state: State,
    co: Coefficients,
    month: Month,
    money: np.ndarray,
    streams: Sequence[RandomStreams],
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
    threshold = keep * keep * keep
    stage = np.where(world.groups.on_ladder & co.switches.ladder, ties.stage, 0)
    # Sanctions let only part of direct humanitarian money through; the rest stays with the
    # provider, like money with no open tie.
    if fused.wanted(month.third_src.size):  # the same arithmetic in loops (sim.engine.kernels)
        offer, split, offer_total, has_offer, passage = _offers_fused(
            world, state, co, month, money, resources, need, threshold, stage
        )
    else:
        passage = by_ties(
            gates.sanction_passage,
            t.src_country,
            t.dst_country,
            state.countries.sanctioned,
            month.third_src,
            t.human_security,
            n_ties=world.n_ties,
            friction=co.gates.sanction_friction,
        )
        passage = np.where(co.switches.gates, passage, 1.0)
        committed = ties.intensity > threshold
        weight = by_ties(
            _weights, ties.trust, np.maximum(need, 0.05), t.mandate, month.open, committed,
            stage, n_ties=world.n_ties, commit_share=pp.commit_share,
            stage_weight=pp.stage_weight,
        )  # fmt: skip
        offer = proposals.split_by_weight(resources, t.src, weight)
        split = _programme_split(world, state, month, money, weight)
        if world.row_tie.size:  # a scenario without programmes has no programme money
            offer = offer + group_sum(split, world.row_tie, world.n_ties)
        offer[HUM] *= passage
        offer_total = offer.sum(axis=0)
        has_offer = offer_total > 0
    # The offer as a dose: EUR per inhabitant of the recipient (a non-city recipient: its
    # community's cities' mean, or a town of REFERENCE_PEOPLE).
    people = world.context(state.cities.people, REFERENCE_PEOPLE)
    hostility = state.countries.hostility.reshape(r, -1)
    vertical = world.context(month.vertical_city, 0.0)
    if fused.wanted(has_offer.size):  # the same arithmetic in loops (sim.engine.kernels)
        prob, month.tie_people = acceptance_loops.probability(  # (offers only)
            ties.trust, offer_total, has_offer, need, ties.intensity,
            t.mediated & co.levers.mediation, t, (people, will, vertical, hostility), pp,
        )  # fmt: skip
    else:
        month.tie_people = np.take(people, t.dst, axis=1)  # (R, E): peace work's dose too
        dose = money_dose(offer_total, month.tie_people)
        prob = by_ties(
            _acceptance,
            ties.trust,
            dose,
            need,
            np.take(hostility, t.pair, axis=1),
            t.mediated & co.levers.mediation,
            np.take(will, t.dst, axis=1),
            ties.intensity,
            np.take(vertical, t.dst, axis=1),
            n_ties=world.n_ties,
            benefit_dose=pp.benefit_dose,
            beta0=pp.beta0,
            beta_trust=pp.beta_trust,
            beta_benefit=pp.beta_benefit,
            beta_hostility=pp.beta_hostility,
            beta_mediator=pp.beta_mediator,
            beta_will=pp.beta_will,
            beta_intensity=pp.beta_intensity,
            beta_vertical=pp.beta_vertical,
        )
    # One uniform per tie and month from the offers stream, keyed by the tie: the numbers do not
    # depend on who made an offer or which ties a policy drops.
    draws = keyed_uniforms(
        [own.offers for own in streams], world.tie_key, np.empty(has_offer.shape)
    )
    if fused.wanted(has_offer.size):  # the same count in loops (sim.engine.kernels)
        items = np.broadcast_to(pp.items, (r, 1))[:, 0]
        # (the trust stage reads the probability at the offers; 1 elsewhere)
        parts, taken, accepted, declined, month.accept_prob = parts_loops.parts(
            prob, draws, has_offer, items
        )
    else:
        month.accept_prob = prob
        parts = _parts_of_offers(prob, draws, has_offer, pp.items)
        taken, accepted = parts / pp.items, parts > 0
        declined = has_offer & ~accepted
    month.offer, month.split, month.passage = offer, split, passage
    month.offer_total, month.has_offer = offer_total, has_offer
    month.parts, month.taken = parts, taken
    month.ladder_stage = stage
    month.accepted, month.declined = accepted, declined


def _programme_split(
    world: World, state: State, month: Month, money: np.ndarray, weight: np.ndarray
) -> np.ndarray:
    """(3, R, rows) each programme's money over its own (programme, tie) rows and pillars."""
    row_weight = np.take(weight, world.row_tie, axis=-1) * world.row_pillars_at(month.step)
    row_weight = row_weight * state.programmes.row_active
    return proposals.split_by_weight(money, world.row_prog, row_weight)


def _offers_fused(
    world: World,
    state: State,
    co: Coefficients,
    month: Month,
    money: np.ndarray,
    resources: np.ndarray,
    need: np.ndarray,
    threshold: np.ndarray,
    stage: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The offers as in :func:`make_offers`'s numpy form, in the compiled loops of
    ``sim.engine.kernels.offers``: (offer, split, offer total, has offer, passage)."""
    t, pp = world.ties, co.proposals
    weight, weight_total = offer_loops.weights(
        state.ties.trust, need, t.mandate, month.open, state.ties.intensity, threshold,
        pp.commit_share, stage, pp.stage_weight, t.src, world.n_actors,
    )  # fmt: skip
    share = np.divide(
        resources, weight_total, out=np.zeros_like(weight_total), where=weight_total > 0
    )
    split = _programme_split(world, state, month, money, weight)
    extra = group_sum(split, world.row_tie, world.n_ties) if world.row_tie.size else None
    sanctions = (
        t.src_country, t.dst_country, state.countries.sanctioned, month.third_src,
        t.human_security, co.gates.sanction_friction, co.switches.gates,
    )  # fmt: skip
    offer, offer_total, has_offer, passage = offer_loops.offers(
        weight, share, t.src, extra, sanctions
    )
    return offer, split, offer_total, has_offer, passage


def _parts_of_offers(
    prob: np.ndarray, draws: np.ndarray, has_offer: np.ndarray, items: np.ndarray
) -> np.ndarray:
    """(R, E) parts taken where there is an offer, none elsewhere: the rule evaluated on the
    offers only (each offer's count depends on its own tie alone, so this is the same count
    as over every tie, with a quarter fewer passes in a typical month)."""
    parts = np.zeros(has_offer.shape, dtype=np.int64)
    items = np.asarray(items)
    # One number of parts for the whole batch (the usual case) stays a number.
    each = int(items.flat[0]) if (items == items.flat[0]).all() else None
    if each is None:
        each = np.broadcast_to(items, has_offer.shape)[has_offer]
    parts[has_offer] = proposals.parts_taken(prob[has_offer], draws[has_offer], each)
    return parts


def _weights(
    trust: np.ndarray,
    need: np.ndarray,
    mandate: np.ndarray,
    open_: np.ndarray,
    committed: np.ndarray,
    stage: np.ndarray,
    commit_share: np.ndarray,
    stage_weight: np.ndarray,
) -> np.ndarray:
    """Tie weights on open channels (rules.proposals.tie_weights), for a block of ties."""
    return proposals.tie_weights(
        trust, need, mandate * open_, committed, commit_share, stage, stage_weight
    )


def _acceptance(
    trust: np.ndarray,
    dose: np.ndarray,
    need: np.ndarray,
    *args: np.ndarray,
    benefit_dose: np.ndarray,
    **betas: np.ndarray,
) -> np.ndarray:
    """The acceptance probability of a block of ties' offers (rules.proposals)."""
    benefit = proposals.expected_benefit(dose, need, benefit_dose)
    return proposals.acceptance_probability(trust, benefit, *args, **betas)
