"""Trust on ties, its memory, violence shocks and third-party mediation (MODEL.md 5.5).

Success builds trust toward 1, failure cuts it (broken commitments cost more than kept ones
earn), and without contact trust decays toward a floor: the larger of the tie's memory (past
cooperation is remembered, 004:3769-3777) and a baseline that national hostility and cultural
violence depress. A mediator with trust above a threshold on both sides lifts the parties'
trust each month of active mediation (004:3143-3157, 3801-3807).
"""

from __future__ import annotations

import numpy as np

from sim.rules import group_sum

Coefficient = float | np.ndarray


def baseline(
    cultural_src: np.ndarray, cultural_dst: np.ndarray, hostility: np.ndarray, b0: Coefficient
) -> np.ndarray:
    """Trust a tie drifts to without contact: lower where culture and states are hostile."""
    return b0 * (1.0 - 0.5 * (cultural_src + cultural_dst)) * (1.0 - hostility)


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
) -> np.ndarray:
    """One month of trust; ``successes`` and ``failures`` are counts (or shares) per tie.

    ``trust = 1 - (1 - trust) (1 - success)^successes``, then ``trust (1 - failure)^failures``,
    then a drift of ``decay (trust - max(memory, floor_baseline)) (1 - contact)``, in [0, 1].
    ``contact`` is a share in [0, 1] (a month with part of an offer taken is that much
    contact) or a flag.
    """
    trust = 1.0 - (1.0 - trust) * (1.0 - success) ** successes
    trust = trust * (1.0 - failure) ** failures
    floor = np.maximum(memory, floor_baseline)
    trust = trust - (trust - floor) * decay * (1.0 - contact)
    return np.clip(trust, 0.0, 1.0)


def remember(
    memory: np.ndarray, trust: np.ndarray, completed: np.ndarray, gain: Coefficient
) -> np.ndarray:
    """Completed cooperation raises the trust floor toward current trust."""
    return np.where(completed, memory + gain * np.maximum(trust - memory, 0.0), memory)


def violence_shock(
    trust: np.ndarray, cross_divide: np.ndarray, violence: np.ndarray, shock: Coefficient
) -> np.ndarray:
    """Cross-divide trust falls in proportion to direct violence at the ends."""
    return trust * (1.0 - shock * violence * cross_divide)


def mediation(
    trust: np.ndarray,
    party_tie: np.ndarray,
    tie_mu: np.ndarray,
    tie_mv: np.ndarray,
    neutrality: np.ndarray,
    active: np.ndarray | bool,
    *,
    threshold: Coefficient,
    rate: Coefficient,
) -> tuple[np.ndarray, np.ndarray]:
    """Trust after mediation, and which ties were mediated this month.

    Each triple is (party tie u->v, mediator->u tie, mediator->v tie), with the mediator's
    ``neutrality``; ``active`` switches mediation on or off (per replicate). A mediated tie
    counts as in contact: the mediator brings the parties to meet (004:3143-3151).
    """
    t_mu, t_mv = np.take(trust, tie_mu, axis=-1), np.take(trust, tie_mv, axis=-1)
    works = active & (t_mu > threshold) & (t_mv > threshold)
    gain = np.where(works, rate * neutrality * np.minimum(t_mu, t_mv), 0.0)
    lift = group_sum(gain, party_tie, trust.shape[-1])
    mediated = group_sum(works, party_tie, trust.shape[-1]) > 0
    return trust + np.minimum(lift, 1.0) * (1.0 - trust), mediated
