"""Proposals and acceptance: providers split resources over open ties (MODEL.md 5.3).

Providers weigh each tie by ``trust x need x mandate``, keeping a floor for ties they have just
committed to. Recipients accept with probability
``sigma(b0 + b_trust*trust + b_benefit*benefit - b_hostility*hostility + b_mediator*mediated
+ b_will*(will - 0.5) + b_intensity*min(intensity, 1))``: expected tangible gain brings hostile
parties to the table (004:3207-3209); lack of trust is the main constraint (004:4098); having
once agreed is a base for later (004:3217-3231).
"""

from __future__ import annotations

import numpy as np

from sim.rules import group_sum, sigmoid


def tie_weights(
    trust: np.ndarray,
    need: np.ndarray,
    mandate: np.ndarray,
    open_: np.ndarray,
    committed: np.ndarray,
    commit_share: float,
) -> np.ndarray:
    """(E, 3) weights; closed pillars get zero, committed ties keep a floor."""
    base = (trust * need)[:, None] * mandate
    floor = np.where(committed, commit_share, 0.0)[:, None] * mandate
    return np.where(open_, np.maximum(base, floor), 0.0)


def split_by_weight(amount: np.ndarray, group: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Split each group's ``amount`` over its rows in proportion to ``weight`` (rows x 3).

    Rows whose group has zero total weight get nothing: money with nowhere open to go is kept.
    """
    total = group_sum(group, weight.sum(axis=1), amount.size)
    share = np.divide(amount, total, out=np.zeros_like(amount), where=total > 0)
    return weight * share[group][:, None]


def expected_benefit(offer_total: np.ndarray, need: np.ndarray, scale: float) -> np.ndarray:
    """A saturating reading of how much an offer would help, in [0, 1]."""
    return need * (1.0 - np.exp(-offer_total / scale))


def acceptance_probability(
    trust: np.ndarray,
    benefit: np.ndarray,
    hostility: np.ndarray,
    mediated: np.ndarray,
    will: np.ndarray,
    intensity: np.ndarray | float = 0.0,
    *,
    beta0: float,
    beta_trust: float,
    beta_benefit: float,
    beta_hostility: float,
    beta_mediator: float,
    beta_will: float,
    beta_intensity: float = 0.0,
) -> np.ndarray:
    """Probability that the recipient accepts an offer on each tie.

    ``intensity`` is recent contact, capped at 1: an ongoing relationship is not renegotiated
    from scratch every month.
    """
    logit = (
        beta0
        + beta_trust * trust
        + beta_benefit * benefit
        - beta_hostility * hostility
        + beta_mediator * mediated
        + beta_will * (will - 0.5)
        + beta_intensity * np.minimum(intensity, 1.0)
    )
    return sigmoid(logit)
