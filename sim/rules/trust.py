"""Trust on ties, its memory, violence shocks and third-party mediation (MODEL.md 5.5).

Success builds trust toward 1, failure cuts it (broken commitments cost more than kept ones
earn), and without contact trust decays toward a floor: the larger of the tie's memory (past
cooperation is remembered, 004:3769-3777, and the memory itself fades over decades) and the
tie's encoded starting trust, moved by as much as national hostility and cultural violence
have moved the baseline since the start (:func:`floor`): a divide does not harden by itself.
A success is a delivered outcome (aid or peace work delivered, a project completed), not an
accepted offer. A mediator with trust above a threshold on both sides lifts the parties' trust
each month of active mediation (004:3143-3157, 3801-3807), less as violence above the usual
level stalls the talks (:func:`talks_share`), toward a ceiling the two communities' culture
sets (:func:`mediation_ceiling`), not toward 1: talks build a working relationship; trust
beyond it comes from delivered outcomes. Cross-divide trust falls with the direct
violence above the usual level a tie is exposed to; a tie a mediator carries meets at a
neutral venue abroad and is exposed to only part of the violence at home
(``sim.rules.venue``). A refused offer costs trust only for
the part of the refusal that is the recipient's own, not its state's (:func:`refusal_owned`),
and only down to the tie's no-contact floor (:func:`refuse`): a refusal is a month's contact
withheld, not a breach; failures and violence are breaches and act on trust itself.
"""

from __future__ import annotations

import numpy as np

from sim.rules import group_sum

Coefficient = float | np.ndarray


def baseline(
    cultural_src: np.ndarray, cultural_dst: np.ndarray, hostility: np.ndarray, b0: Coefficient
) -> np.ndarray:
    """``b0 (1 - mean C of the ends)(1 - hostility)``: what culture and states let trust be."""
    return b0 * (1.0 - 0.5 * (cultural_src + cultural_dst)) * (1.0 - hostility)


def floor(
    cultural_src: np.ndarray,
    cultural_dst: np.ndarray,
    hostility: np.ndarray,
    start_trust: np.ndarray,
    start_baseline: np.ndarray,
    b0: Coefficient,
    baseline_share: Coefficient | np.ndarray = 1.0,
) -> np.ndarray:
    """The trust a tie drifts to without contact, anchored at its encoded start:
    ``T0 + share x baseline - baseline_0`` in [0, 1], ``baseline_0`` the baseline at the
    encoded C and hostility and ``share`` (``baseline_share``) the part of the baseline the tie
    realises: 1, or ``1 - ladder.ceremonial_floor`` for a ceremonial tie.

    At the encoded start the floor is the tie's starting trust (what the baseline does not
    explain of it persists, as ``galtung.anchors`` keeps the start of D, S and C), so a divide
    hardens only when hostility or cultural violence rise above their starting level, and eases
    when they fall, by as much as the baseline moves. A ceremonial tie (friendship on paper)
    realises only ``share`` of what culture and states allow, the baseline; what the baseline
    does not explain of its start, ``T0 - baseline_0``, it keeps like any tie.
    """
    now = baseline(cultural_src, cultural_dst, hostility, b0)
    return np.clip(start_trust + baseline_share * now - start_baseline, 0.0, 1.0)


def refusal_owned(
    prob: np.ndarray, hostility: np.ndarray, beta_hostility: Coefficient
) -> np.ndarray:
    """Share of a refusal that is the recipient's own, in [0, 1]: ``(1 - p_free) / (1 - p)``.

    ``p = sigma(z)`` is the acceptance probability (``proposals.acceptance_probability``),
    whose logit carries ``- beta_hostility x hostility``, the national governments' hostility
    (the top level's permission, Lederach); ``p_free = sigma(z + beta_hostility x hostility)``
    is the probability the recipient would accept if its state were not hostile. Of the share
    it refuses, ``1 - p``, the part ``1 - p_free`` it would refuse anyway (its own low trust,
    will, the offer's worth); the rest is its state's. Only the own part is a refusal by a
    partner that could accept. 1 where nothing is refused (``p`` = 1).
    """
    p = np.clip(prob, 1e-12, 1.0 - 1e-12)
    free = 1.0 / (1.0 + (1.0 - p) / p * np.exp(-beta_hostility * hostility))
    refused = 1.0 - p
    return np.where(prob < 1.0, np.clip((1.0 - free) / refused, 0.0, 1.0), 1.0)


def refuse(trust: np.ndarray, cost: np.ndarray, floor: np.ndarray) -> np.ndarray:
    """Trust after a month's refusals: ``trust - cost x max(trust - floor, 0)`` (branch
    trustpace, ODD 7.5), ``cost`` the month's refusal in [0, 1] (``proposals.decline_cost``
    times the refused share of the offer times the share that is the recipient's own,
    :func:`refusal_owned`) and ``floor`` the tie's no-contact floor, ``max(memory,`` :func:`floor`
    ``)``, the level :func:`update`'s drift pulls a tie without contact toward.

    A refusal closes its share of the gap between trust and that floor, as a delivered outcome
    closes its share of the gap to the delivery ceiling (:func:`toward`): a refused overture
    withholds a month's contact and says how willing the partner is now, and trust learns a
    partner's rate of reciprocation, not the count of its refusals (a meta-analysis of 68
    repeated trust game studies, PsyArXiv doi 10.31234/osf.io/bjux7); a refused conciliatory
    initiative is to be repeated, not read as a betrayal (Osgood 1962, GRIT; Lindskold 1978,
    Psychological Bulletin 85). The n-th refusal of the same kind
    costs less as trust nears what the refusals have already said, and no run of refusals,
    however often the offers come, takes a tie below what it holds without contact. Breaches,
    which the asymmetry of trust concerns (Slovic 1993, Risk Analysis 13: 675-682), keep
    acting on trust itself: a failed project (:func:`update`) and violence
    (:func:`violence_shock`). A tie at or below its floor loses nothing to a refusal."""
    return trust - cost * np.maximum(trust - floor, 0.0)


def talks_share(violence: np.ndarray, stall: Coefficient) -> np.ndarray:
    """Share of a month's mediated talks that are not stalled, in [0, 1]:
    ``max(1 - violence / stall, 0)``, ``violence`` the direct violence above the usual level
    the talks are exposed to (``venue.exposure`` of ``displacement.excess``) and ``stall`` the
    level at which an alliance's talks stall (``alliances.stall_violence``): talks under fire
    achieve less, and nothing where they stall. A stall level of 0 stalls every talk, as the
    alliance rule's ``talks_violence < stall_violence`` does (and 0/0 would be NaN)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # a tiny stall: share 0
        share = np.clip(1.0 - violence / stall, 0.0, 1.0)
    return np.where(np.asarray(stall) > 0, share, 0.0)


def update(
    trust: np.ndarray,
    memory: np.ndarray,
    successes: np.ndarray,
    failures: np.ndarray,
    contact: np.ndarray,
    floor_baseline: np.ndarray,
    *,
    success: Coefficient,
    failure: Coefficient,
    decay: Coefficient,
    ceiling: Coefficient | np.ndarray = 1.0,
) -> np.ndarray:
    """One month of trust; ``successes`` and ``failures`` are counts (or shares) per tie.

    ``trust = toward(trust, 1 - (1 - success)^successes, ceiling)`` (delivered outcomes close
    that share of the gap to ``ceiling``, :func:`delivery_ceiling`, 1 off the divide), then
    ``trust (1 - failure)^failures``, then a drift of ``decay (trust - max(memory,
    floor_baseline)) (1 - contact)``, in [0, 1]. ``contact`` is a share in [0, 1] (a month
    with part of an offer taken is that much contact) or a flag.
    """
    trust = toward(trust, (1.0 - success) ** successes, ceiling)
    trust = trust * (1.0 - failure) ** failures
    low = np.maximum(memory, floor_baseline)
    trust = trust - (trust - low) * decay * (1.0 - contact)
    return np.clip(trust, 0.0, 1.0)


def remember(
    memory: np.ndarray,
    trust: np.ndarray,
    completed: np.ndarray,
    gain: Coefficient,
    decay: Coefficient = 0.0,
) -> np.ndarray:
    """Completed cooperation raises the trust floor toward current trust; memory fades slowly.

    ``(memory + gain [completed] max(trust - memory, 0)) (1 - decay)``, where ``decay`` may
    differ per tie (ceremonial ties forget faster, institutionalised ones slower: ``ladder``).
    """
    raised = np.where(completed, memory + gain * np.maximum(trust - memory, 0.0), memory)
    return raised * (1.0 - decay)


def violence_shock(
    trust: np.ndarray, cross_divide: np.ndarray, violence: np.ndarray, shock: Coefficient
) -> np.ndarray:
    """Cross-divide trust falls in proportion to the direct violence the tie is exposed to:
    ``trust (1 - shock x violence x cross_divide)``, where ``violence`` is the larger direct
    violence above the usual level of the ends (``displacement.excess``), times ``1 -
    venue_shield`` for a tie a mediator carried this month (``venue``)."""
    return trust * (1.0 - shock * violence * cross_divide)


def culture_room(cultural_src: np.ndarray, cultural_dst: np.ndarray) -> np.ndarray:
    """``1 - mean C of the ends`` in [0, 1]: the trust across a divide that what the two
    communities' culture legitimises against the other (C, Galtung) leaves room for."""
    return 1.0 - 0.5 * (cultural_src + cultural_dst)


def delivery_ceiling(
    cultural_src: np.ndarray, cultural_dst: np.ndarray, cross_divide: np.ndarray
) -> np.ndarray:
    """The trust delivered outcomes can build on a tie, in [0, 1]: :func:`culture_room` on a
    cross-divide tie, 1 on any other (branch deltrust, ODD 7.5).

    Cooperation that delivers changes how partners treat each other, not what their
    communities hold of the other side: mixed teams and classes changed behaviour toward the
    partners met, not prejudice toward the out-group at large (Scacco and Warren 2018, APSR;
    Mousa 2020, Science), and contact's effects are weaker across ethnic divides (Paluck,
    Green and Green 2019). A municipality's officials answer to their community, so delivered
    outcomes fill the whole room its culture leaves (talks fill ``trust.mediation_ceiling``
    of it, :func:`mediation_ceiling`) and trust beyond it waits for C to fall."""
    return np.where(cross_divide, culture_room(cultural_src, cultural_dst), 1.0)


def toward(
    trust: np.ndarray, keep: np.ndarray | float, ceiling: Coefficient | np.ndarray
) -> np.ndarray:
    """``ceiling - (ceiling - trust) keep`` where trust is below ``ceiling``, else ``trust``:
    a delivered outcome closes ``1 - keep`` of the gap to the ceiling and takes nothing from
    a tie already above it (its start, or C rose since). At ceiling 1 it is ``1 - (1 -
    trust) keep``, the rule before branch deltrust, to the last bit."""
    return np.where(trust < ceiling, ceiling - (ceiling - trust) * keep, trust)


def mediation_ceiling(
    cultural_src: np.ndarray, cultural_dst: np.ndarray, share: Coefficient
) -> np.ndarray:
    """``share x (1 - mean C of the ends)`` in [0, 1]: the trust mediated talks can build on a
    tie. Talks build a working trust in the other side's seriousness (Kelman 2005), held back
    by what the two communities' culture legitimises against the other (C, Galtung): the
    delegates go home to it, and the gains fade there (Schroeder and Risen 2016). ``share``
    (``trust.mediation_ceiling``) is the part of that room (:func:`culture_room`) talks can
    fill, an assumption."""
    return share * culture_room(cultural_src, cultural_dst)


def mediation(
    trust: np.ndarray,
    party_tie: np.ndarray,
    tie_mu: np.ndarray,
    tie_mv: np.ndarray,
    neutrality: np.ndarray,
    active: np.ndarray | bool,
    ties_active: np.ndarray | None = None,
    talks: np.ndarray | float = 1.0,
    *,
    threshold: Coefficient,
    rate: Coefficient,
    ceiling: Coefficient | np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Trust after mediation, and which ties were mediated this month.

    Each triple is (party tie u->v, mediator->u tie, mediator->v tie), with the mediator's
    ``neutrality``; ``active`` switches mediation on or off (per replicate). A mediator acts
    only while both its mediation ties exist (``ties_active`` (..., E): a dated tie is inactive
    outside its window). A mediated tie counts as in contact: the mediator brings the parties
    to meet (004:3143-3151). ``talks`` (..., E) is the share of each party tie's talks not
    stalled by violence (:func:`talks_share`): the lift is that share of a calm month's.
    Mediation closes that share of the gap to ``ceiling`` (..., E) (:func:`mediation_ceiling`),
    ``trust + min(lift x talks, 1) max(ceiling - trust, 0)``: a tie at or above it gains
    nothing from talks (and loses nothing to them).
    """
    both_exist = None
    if ties_active is not None:
        both_exist = np.take(ties_active, tie_mu, axis=-1) & np.take(ties_active, tie_mv, axis=-1)
    lift, mediated = mediation_lift(
        np.take(trust, tie_mu, axis=-1),
        np.take(trust, tie_mv, axis=-1),
        party_tie,
        neutrality,
        active,
        both_exist,
        trust.shape[-1],
        threshold=threshold,
        rate=rate,
    )
    room = np.maximum(ceiling - trust, 0.0)
    return trust + np.minimum(lift * talks, 1.0) * room, mediated


def mediation_lift(
    t_mu: np.ndarray,
    t_mv: np.ndarray,
    party_tie: np.ndarray,
    neutrality: np.ndarray,
    active: np.ndarray | bool,
    both_exist: np.ndarray | None,
    n_ties: int,
    *,
    threshold: Coefficient,
    rate: Coefficient,
) -> tuple[np.ndarray, np.ndarray]:
    """(..., E) each party tie's lift and whether it was mediated (:func:`mediation`), from
    the trust ``t_mu``, ``t_mv`` of each triple's two mediation ties; ``both_exist`` whether
    both ties are active (None: always). Trust after mediation is ``trust + min(lift x talks,
    1) max(ceiling - trust, 0)`` (:func:`mediation`)."""
    works = active & (t_mu > threshold) & (t_mv > threshold)
    if both_exist is not None:
        works = works & both_exist
    gain = np.where(works, rate * neutrality * np.minimum(t_mu, t_mv), 0.0)
    lift = group_sum(gain, party_tie, n_ties)
    mediated = group_sum(works, party_tie, n_ties) > 0
    return lift, mediated


def top_level_acts(
    delivered: np.ndarray,
    refused: np.ndarray,
    owned: np.ndarray,
    closed: np.ndarray,
    hostility: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(successes, refused share) a city's governance tie counts for one of the city's
    cross-border ties this month: what its national government, the top level, let through
    and what it refused (ODD 7.5, "The top level's acts").

    Cross-border municipal exchange needs the central government's permission or tacit consent
    (004:4108-4112). ``delivered`` is the tie's own delivered outcome (the successes the tie
    counts: aid or peace work delivered, a project completed); the top level's part of it is
    ``delivered x hostility``, the hostility between the two states the permission overrides:
    where the states are at peace (hostility 0) letting exchange through is no act of the
    state's, and the exchange says nothing about the city's relationship with it. The refused
    share is the state's part of what its city refused, ``refused x (1 - owned)``
    (:func:`refusal_owned` gives the recipient's own part, which the tie itself pays), or the
    whole month where the city's own government's closed permission shuts the tie (``closed``:
    no pillar may pass, and the city's own state closed it; the other state's closure is not
    its own state's act).
    """
    successes = delivered * hostility
    state_refused = np.where(closed, 1.0, refused * (1.0 - owned))
    return successes, state_refused
