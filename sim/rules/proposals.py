"""Proposals and acceptance: providers split resources over open ties (MODEL.md 5.3).

Providers weigh each tie by ``trust x need x mandate``, keeping a floor for ties they have just
committed to, and more for ties higher on the cooperation ladder. A tie's offer for the month
is a bundle of ``items`` equal parts (consignments, events, visits), and the recipient takes or
refuses each part, with probability
``sigma(b0 + b_trust*trust + b_benefit*benefit - b_hostility*hostility + b_mediator*mediated
+ b_will*(will - 0.5) + b_intensity*min(intensity, 1) + b_vertical*v)``: expected tangible
gain (read as a dose per recipient inhabitant) brings hostile parties to the table
(004:3207-3209); lack of trust is the main constraint (004:4098); having
once agreed is a base for later (004:3217-3231). (MODEL.md 5.3 has the whole month's offer on
a tie accepted or declined at once: ``items = 1``.)

Per-tie arrays are ``(..., E)``, per-pillar ones ``(3, ..., E)`` (the pillar first); coefficients
are numbers or ``(R, 1)`` arrays.
"""

from __future__ import annotations

import numpy as np

from sim.rules import fused, group_sum, money, sigmoid


def tie_weights(
    trust: np.ndarray,
    need: np.ndarray,
    open_mandate: np.ndarray,
    committed: np.ndarray,
    commit_share: float | np.ndarray,
    stage: np.ndarray | float = 0.0,
    stage_weight: float | np.ndarray = 0.0,
) -> np.ndarray:
    """(3, ..., E) weights ``max(trust x need, floor) x (1 + stage_weight x stage) x mandate``
    on open pillars, else 0.

    ``open_mandate`` is the provider's mandate where the channel is open and 0 where it is
    closed; ``floor`` is ``commit_share`` on ties committed to recently, else 0; ``stage`` is
    the tie's stage on the cooperation ladder (institutionalised ties get more).
    """
    base = np.maximum(trust * need, committed * commit_share) * (1.0 + stage_weight * stage)
    return base * open_mandate


def split_by_weight(amount: np.ndarray, group: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Split each group's ``amount`` (..., G) over its rows in proportion to ``weight``
    (3, ..., rows); ``group`` labels the rows.

    Rows whose group has zero total weight get nothing: money with nowhere open to go is kept.
    """
    weight_total = group_sum(weight.sum(axis=0), group, amount.shape[-1])
    share = np.divide(amount, weight_total, out=np.zeros_like(weight_total), where=weight_total > 0)
    return weight * np.take(share, group, axis=-1)


def expected_benefit(
    offer_dose: np.ndarray, need: np.ndarray, benefit_dose: float | np.ndarray
) -> np.ndarray:
    """How much an offer would help, in [0, 1]: ``need x saturation(dose, benefit_dose)``, the
    offer read as a dose in EUR per recipient inhabitant per year (``money``), so the same
    money means more to a town than to a capital."""
    return need * money.saturation(offer_dose, benefit_dose)


def acceptance_probability(
    trust: np.ndarray,
    benefit: np.ndarray,
    hostility: np.ndarray,
    mediated: np.ndarray,
    will: np.ndarray,
    intensity: np.ndarray | float = 0.0,
    vertical: np.ndarray | float = 0.0,
    *,
    beta0: float | np.ndarray,
    beta_trust: float | np.ndarray,
    beta_benefit: float | np.ndarray,
    beta_hostility: float | np.ndarray,
    beta_mediator: float | np.ndarray,
    beta_will: float | np.ndarray,
    beta_intensity: float | np.ndarray = 0.0,
    beta_vertical: float | np.ndarray = 0.0,
) -> np.ndarray:
    """Probability that the recipient accepts (each part of) an offer on each tie.

    ``intensity`` is recent contact, capped at 1: an ongoing relationship is not renegotiated
    from scratch every month. ``vertical`` is the recipient's vertical integration v_i
    in [0, 1] (Lederach: the trust of its relationships with its government or IOs times its
    citizens' participation, ODD 7.7).
    """
    logit = (
        beta_trust * trust
        + beta0
        + beta_benefit * benefit
        - beta_hostility * hostility
        + beta_mediator * mediated
        + beta_will * (will - 0.5)
        + beta_intensity * np.minimum(intensity, 1.0)
        + beta_vertical * vertical
    )
    return sigmoid(logit)


def share_taken(prob: np.ndarray, draw: np.ndarray, items: int | np.ndarray) -> np.ndarray:
    """Share of each offer the recipient takes, in [0, 1]: :func:`parts_taken` / ``items``.

    The offer is ``items`` equal parts, each taken with probability ``prob``; the number taken
    is the binomial quantile at ``draw`` (one uniform per offer): the largest ``k`` with
    ``P(K >= k) > draw``. Its mean share is ``prob`` whatever ``items`` is; more items only make
    it steadier. With the same draw, a higher ``prob`` never takes less, so more money (a
    larger benefit) never delivers less. ``items = 1`` is one decision: taken iff
    ``draw < prob``.
    """
    return parts_taken(prob, draw, items) / items


def parts_taken(prob: np.ndarray, draw: np.ndarray, items: int | np.ndarray) -> np.ndarray:
    """Whole parts of each offer taken, 0..``items`` (see :func:`share_taken`).

    The number of ``j < items`` with ``P(K <= j) < 1 - draw``, K ~ Bin(items, prob), built up
    part by part: ``P(K = j + 1) = P(K = j) x (items - j) / (j + 1) x prob / (1 - prob)``.
    ``items`` is a whole number or an ``(R, 1)`` array (one per replicate).
    """
    p = np.clip(prob, 0.0, 1.0)
    q = 1.0 - p
    items = np.asarray(items)
    target = 1.0 - draw
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        odds = np.divide(p, q, out=np.zeros(p.shape), where=q > 0)
        pmf = q**items  # P(K = 0)
        if fused.wanted(pmf.size):  # the same loop, compiled (sim.rules.fused)
            flat = np.broadcast_to(items, pmf.shape).reshape(-1)
            taken = fused.count_parts(pmf.reshape(-1), odds.reshape(-1), target.reshape(-1), flat)
            return np.where(q <= 0, items, taken.reshape(pmf.shape))
        cdf = pmf.copy()
        # A count of at most ``items`` parts: small integers add a bool mask cheaply.
        most = int(items.max(initial=0))
        taken = np.zeros(p.shape, dtype=np.int16 if most < 2**15 else np.int64)
        for j in range(most):
            below = cdf < target  # one more part taken ...
            within = j < items
            if not within.all():  # ... where the offer has that many parts
                below &= within
            if not below.any():  # the CDF only grows: no offer takes another part
                break
            taken += below
            pmf *= odds * ((items - j) / (j + 1))  # P(K = j + 1)
            cdf += pmf
    return np.where(q <= 0, items, taken)  # certain acceptance takes everything
