"""Stage 6, trust: success, failure, drift, mediation, violence shocks and memory
(MODEL.md 5.5; rules.trust), with the cooperation ladder's effects on decay, floor and memory
(rules.ladder; the stages themselves move in stage 6b, ``stages.ladder``)."""

from __future__ import annotations

import numpy as np

from sim.engine.chunks import by_ties
from sim.engine.coefficients import Coefficients
from sim.engine.kernels import drift as drift_loops
from sim.engine.month import Month
from sim.engine.stages import delegates, governance
from sim.engine.state import State
from sim.engine.world import World
from sim.rules import HUM, PEACE, displacement, fused, ladder, trust, venue


def update_trust(world: World, state: State, co: Coefficients, month: Month) -> None:
    """One month of trust, memory and contact on every tie."""
    t, ties, tp, r = world.ties, state.ties, co.trust, state.ties.trust.shape[0]
    cultural = world.context(state.cities.C, 0.0)
    # Trust feels violence above the city's usual level: the encoded starting trust already
    # bears the violence the place has long lived with (rules.trust.floor's anchor).
    violence = world.context(displacement.excess(state.cities.D, state.cities.usual_D), 0.0)
    talks = talks_share(world, state, co, violence)
    before = ties.trust  # the communities' trust at the start of the month (stages.delegates)
    if fused.wanted(ties.trust.size):  # the same arithmetic in loops (sim.engine.kernels)
        met = _update_fused(world, state, co, month, (cultural, violence), talks)
        governance.update_governance(world, state, co, month, cultural)
        delegates.update_delegates(world, state, co, before, met, cultural)
        return
    # The refused share of an offer costs a little trust: the part the recipient refuses of its
    # own accord, not what its state's hostility refuses (rules.trust.refusal_owned), and only
    # down to what the tie holds without contact (rules.trust.refuse: a refusal is contact
    # withheld, not a breach).
    decline = decline_cost(world, state, co, month)
    refused = (1.0 - month.taken) * month.has_offer * decline
    trust_now = trust.refuse(ties.trust, refused, no_contact_floor(world, state, co))
    # Mediation first: a mediated party tie is in contact this month (meetings abroad). The
    # talks build the delegates' trust, not the communities' (stages.delegates, branch levels).
    push, mediated = talks_push(world, state, co, trust_now, talks)
    # Institutional ties (governance, membership, active mediation) are standing
    # relationships; only activity-carrying ties drift down without contact.
    standing = mediated | ~t.carries
    standing &= co.levers.mediation | world.groups.not_mediation
    # A month in which a recipient took part of an offer is that share of a month of contact.
    contact = np.maximum(standing, month.taken)
    # Successes are delivered outcomes: the share of the offer delivered as humanitarian aid or
    # peace work, plus one for a completed project. Development money taken is contact; it
    # counts as a success only when its project completes.
    offer_total = month.offer_total
    outcome = np.divide(
        month.offer[HUM] + month.offer[PEACE],
        offer_total,
        out=np.zeros_like(offer_total),
        where=offer_total > 0,
    )
    # The cooperation ladder: institutionalised ties drift down slower; ceremonial ties fall to
    # a lower floor and forget faster (rules.ladder).
    lp = co.ladder
    on = world.groups.on_ladder & co.switches.ladder
    stage = month.ladder_stage  # the stages of this month's offers (they move in stage 6b)
    ceremonial = ladder.ceremonial(stage, ties.benefit, on, lp.fall_benefit)
    kept = ladder.institution(stage, lp.institution)
    trust_now = by_ties(
        _drift_and_shocks,
        trust_now,
        ties.memory,
        ties.start_trust,
        ties.start_baseline,
        outcome * month.taken + month.completed,
        month.breach,  # each interruption's share the partners broke (rules.nexus)
        contact,
        kept,
        1.0 - lp.ceremonial_floor * ceremonial,  # the share of the baseline the tie realises
        t.src,
        t.dst,
        t.pair,
        t.cross_divide,
        cultural,
        violence,
        state.countries.hostility.reshape(r, -1),
        mediated,
        n_ties=world.n_ties,
        tp=tp,
    )
    ties.trust = trust_now
    forgetting = tp.memory_decay * np.where(ceremonial, lp.ceremonial_fade, kept)
    ties.memory = trust.remember(
        ties.memory, trust_now, month.completed, tp.memory_gain, forgetting
    )
    intensity = ties.intensity * (1.0 - tp.intensity_decay) + month.taken
    ties.intensity = np.minimum(intensity, 1.0 / np.maximum(tp.intensity_decay, 1e-9))
    ties.last_contact = np.where(month.accepted, month.step, ties.last_contact)
    ties.age = ties.age + 1
    # A city's relationship with its own government: the top level's acts (stage 6's own
    # rules, read at the governance ties, which the pass above leaves standing).
    governance.update_governance(world, state, co, month, cultural)
    # The delegates' trust, and what of it their communities take up (rules.delegates).
    delegates.update_delegates(
        world, state, co, before, (push if world.med_party.size else None, mediated), cultural
    )


def talks_push(
    world: World, state: State, co: Coefficients, trust_now: np.ndarray, talks: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """((R, E) ``min(lift x talks, 1)``, the share of the gap to 1 this month's mediated talks
    close on each party tie's delegates' trust, (R, E) which ties were mediated), from the
    communities' trust ``trust_now`` at the mediation ties (``trust.mediation_lift``)."""
    lift, mediated = trust.mediation_lift(
        np.take(trust_now, world.med_mu, axis=-1), np.take(trust_now, world.med_mv, axis=-1),
        world.med_party, np.take(state.actors.neutrality, world.med_mediator, axis=1),
        co.levers.mediation,
        np.take(state.ties.active, world.med_mu, axis=-1)
        & np.take(state.ties.active, world.med_mv, axis=-1),
        trust_now.shape[-1], threshold=co.trust.mediation_threshold, rate=co.trust.mediation_rate,
    )  # fmt: skip
    return np.minimum(lift * talks, 1.0), mediated


def decline_cost(
    world: World, state: State, co: Coefficients, month: Month, tie: np.ndarray | None = None
) -> np.ndarray:
    """(R, E) the trust share a wholly refused offer costs: ``proposals.decline_cost`` times
    the share of the refusal that is the recipient's own (``trust.refusal_owned``, from the
    acceptance probability and the country pair's hostility in its logit); (R, len(tie)) at
    the ties ``tie`` only."""
    pp, t = co.proposals, world.ties
    pair = t.pair if tie is None else np.take(t.pair, tie)
    hostility = np.take(state.countries.hostility.reshape(month.taken.shape[0], -1), pair, axis=1)
    prob, has_offer = month.accept_prob, month.has_offer
    if tie is not None:
        prob, has_offer = np.take(prob, tie, axis=-1), np.take(has_offer, tie, axis=-1)
    owned = trust.refusal_owned(prob, hostility, pp.beta_hostility)
    return pp.decline_cost * np.where(has_offer, owned, 1.0)


def talks_share(
    world: World, state: State, co: Coefficients, excess: np.ndarray | None = None
) -> np.ndarray:
    """(R, E) the share of a mediated tie's talks not stalled by violence
    (``trust.talks_share``): the larger excess of its ends' direct violence over their usual
    level (``displacement.excess``; ``excess`` per actor (R, A) when the caller has it), at the
    neutral venue (``venue.exposure``), against ``alliances.stall_violence``, as an alliance's
    talks read it (``stages.alliances``). Talks stall on violence above what the parties have
    long lived with, not on the standing level (ODD 7.5, 8 "mapdyn")."""
    t = world.ties
    if not world.med_party.size:  # nobody mediates: no talks to stall
        return np.ones(state.ties.trust.shape)
    if excess is None:
        excess = world.context(displacement.excess(state.cities.D, state.cities.usual_D), 0.0)
    ends = np.maximum(np.take(excess, t.src, axis=1), np.take(excess, t.dst, axis=1))
    exposed = venue.exposure(ends, np.ones(ends.shape, dtype=bool), co.trust.venue_shield)
    return trust.talks_share(exposed, co.alliances.stall_violence)


def mediation_ceiling(world: World, co: Coefficients, cultural: np.ndarray) -> np.ndarray | float:
    """(R, E) the trust mediated talks can build on each tie (``trust.mediation_ceiling``,
    from the ends' cultural violence ``cultural`` (R, A)); 1.0 where nobody mediates (then no
    tie is lifted)."""
    if not world.med_party.size:
        return 1.0
    t = world.ties
    return trust.mediation_ceiling(
        np.take(cultural, t.src, axis=1), np.take(cultural, t.dst, axis=1),
        co.trust.mediation_ceiling,
    )  # fmt: skip


def no_contact_floor(world: World, state: State, co: Coefficients) -> np.ndarray:
    """(R, E) each tie's no-contact floor now, ``max(memory, trust.floor)`` with the ladder's
    ceremonial share, as stage 6 computes it (for events that read it: a new leadership)."""
    t, ties, lp = world.ties, state.ties, co.ladder
    r = ties.trust.shape[0]
    on = world.groups.on_ladder & co.switches.ladder
    stage = np.where(on, ties.stage, 0)
    ceremonial = ladder.ceremonial(stage, ties.benefit, on, lp.fall_benefit)
    cultural = world.context(state.cities.C, 0.0)
    hostility = state.countries.hostility.reshape(r, -1)
    anchored = trust.floor(
        np.take(cultural, t.src, axis=1), np.take(cultural, t.dst, axis=1),
        np.take(hostility, t.pair, axis=1), ties.start_trust, ties.start_baseline,
        co.trust.baseline, 1.0 - lp.ceremonial_floor * ceremonial,
    )  # fmt: skip
    return np.maximum(ties.memory, anchored)


def _update_fused(
    world: World,
    state: State,
    co: Coefficients,
    month: Month,
    context: tuple[np.ndarray, np.ndarray],
    talks: np.ndarray,
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """:func:`update_trust` in the compiled loop of ``sim.engine.kernels.drift``: refusal
    and its cost, drift, the violence shock, memory and contact in one pass over the ties (the
    success power, the decline cost's exponential per country pair and mediation's sums over
    its few triples in numpy, as there). Returns (``min(lift x talks, 1)`` or None where
    nobody mediates, mediated or None) for the delegates' trust (``stages.delegates``): the
    talks lift it, not the communities' trust the loop moves."""
    t, ties, tp, r = world.ties, state.ties, co.trust, state.ties.trust.shape[0]
    hostility = state.countries.hostility.reshape(r, -1)
    lift, mediated = None, None
    if world.med_party.size:  # mediation reads the trust after refusal at its triples' ties
        mu, mv = world.med_mu, world.med_mv
        low = no_contact_floor(world, state, co)  # a refusal's bound (trust.refuse)

        def refused_at(tie: np.ndarray) -> np.ndarray:
            refused = (1.0 - np.take(month.taken, tie, axis=-1)) * np.take(
                month.has_offer, tie, axis=-1
            )
            cost = decline_cost(world, state, co, month, tie)
            return trust.refuse(
                np.take(ties.trust, tie, axis=-1), refused * cost, np.take(low, tie, axis=-1)
            )

        lift, mediated = trust.mediation_lift(
            refused_at(mu), refused_at(mv), world.med_party,
            np.take(state.actors.neutrality, world.med_mediator, axis=1), co.levers.mediation,
            np.take(ties.active, mu, axis=-1) & np.take(ties.active, mv, axis=-1), world.n_ties,
            threshold=tp.mediation_threshold, rate=tp.mediation_rate,
        )  # fmt: skip
        lift = lift * talks  # violence stalls part of the talks (trust.mediation)
    standing = ~t.carries if mediated is None else mediated | ~t.carries
    standing = standing & (co.levers.mediation | world.groups.not_mediation)
    successes = drift_loops.successes(month.offer, month.offer_total, month.taken, month.completed)
    grow = (1.0 - tp.success) ** successes
    cultural, violence = context
    reach = trust.delivery_ceiling(  # successes close the gap to it (trust.update)
        np.take(cultural, t.src, axis=1), np.take(cultural, t.dst, axis=1), t.cross_divide
    )
    # trust.refusal_owned's exp(-beta_hostility x hostility), once per country pair
    pp = co.proposals
    relief = np.exp(-pp.beta_hostility * hostility)
    # The talks lift the delegates' trust, not the communities' (stages.delegates): no lift here.
    drift_loops.update(
        ties, month, (grow, reach), standing,
        (mediated, (month.accept_prob, relief, pp.decline_cost)),
        world.groups.on_ladder & co.switches.ladder, t, (cultural, hostility, violence), tp,
        co.ladder,
    )  # fmt: skip
    return (None if lift is None else np.minimum(lift, 1.0)), mediated


def _drift_and_shocks(
    trust_now: np.ndarray,
    memory: np.ndarray,
    start_trust: np.ndarray,
    start_baseline: np.ndarray,
    successes: np.ndarray,
    failures: np.ndarray,
    contact: np.ndarray,
    kept: np.ndarray,
    floor_share: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    pair: np.ndarray,
    cross_divide: np.ndarray,
    cultural: np.ndarray,
    violence: np.ndarray,
    hostility: np.ndarray,
    mediated: np.ndarray,
    tp: object,
) -> np.ndarray:
    """Success, failure and drift to the floor, then the violence shock, for a block of ties.

    ``cultural`` and ``violence`` (direct violence above the usual level) are per actor (R, A),
    ``hostility`` per country pair; ``kept`` scales each tie's decay (its ladder stage),
    ``floor_share`` the share of the baseline its no-contact floor realises (a ceremonial tie's
    is lower), which is anchored at the tie's ``start_trust`` and ``start_baseline``
    (``trust.floor``). A tie a mediator carried this
    month (``mediated``) met at a neutral venue abroad and feels only part of the violence at its
    ends (``rules.venue``).
    """
    floor = trust.floor(
        np.take(cultural, src, axis=1),
        np.take(cultural, dst, axis=1),
        np.take(hostility, pair, axis=1),
        start_trust,
        start_baseline,
        tp.baseline,
        floor_share,
    )
    # Delivered outcomes build trust toward what the ends' culture allows across a divide.
    reach = trust.delivery_ceiling(
        np.take(cultural, src, axis=1), np.take(cultural, dst, axis=1), cross_divide
    )
    trust_now = trust.update(
        trust_now,
        memory,
        successes,
        failures,
        contact,
        floor,
        success=tp.success,
        failure=tp.failure,
        decay=tp.decay * kept,
        ceiling=reach,
    )
    ends = np.maximum(np.take(violence, src, axis=1), np.take(violence, dst, axis=1))
    # Most worlds mediate few or no ties: skip the exposure's passes when it would return ends.
    exposed = venue.exposure(ends, mediated, tp.venue_shield) if mediated.any() else ends
    return np.clip(
        trust.violence_shock(trust_now, cross_divide, exposed, tp.violence_shock), 0.0, 1.0
    )
