"""Galtung: direct, structural and cultural violence per city (MODEL.md 5.6; 004:1534-1670).

Each kind relaxes toward a target driven by the other two (they feed one another,
004:1633-1637) and by needs, displacement, capacity, cohesion, national hostility and
cross-divide trust. Aid moves the targets, not the states (issue 15): development and peace work
through their effect stocks' responses, humanitarian relief through the needs target, so the
slow rates bound how fast structural and cultural violence can change. Direct violence moves in
months, structural in years and cultural in decades (it is the most persistent,
004:1619-1623): ``rate_D >> rate_S >> rate_C``.
"""

from __future__ import annotations

import numpy as np

from sim.rules import sigmoid


def targets(
    D: np.ndarray,
    S: np.ndarray,
    C: np.ndarray,
    needs: np.ndarray,
    displaced_share: np.ndarray,
    capacity: np.ndarray,
    cohesion: np.ndarray,
    pressure: np.ndarray,
    hostility: np.ndarray,
    cross_trust: np.ndarray,
    horizontal: np.ndarray,
    dev_response: np.ndarray,
    peace_response: np.ndarray,
    anchor: np.ndarray,
    p,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(D*, S*, C*) for every city; ``p`` is a GaltungParams.

    D* = sigmoid(w_DS S + w_DC C + w_DN needs + pressure - w_Dcoh cohesion - w_DK capacity - b_D)
    S* = sigmoid(w_SD D + w_SN needs + w_Sdisp displaced_share - w_SK capacity
                 - w_S_dev dev_response - b_S + a_S)
    C* = sigmoid(w_CD D + w_CH hostility - w_CT cross_trust - w_Ccoh cohesion
                 - w_C_peace peace_response - w_Chor horizontal - b_C + a_C)

    ``anchor`` is (a_S, a_C), each city's persistent structure and culture (:func:`anchors`).

    ``dev_response`` and ``peace_response`` are the responses r(Z, K) of the city's
    development and peace effect stocks times the nexus multiplier (``sim.rules.money``);
    ``horizontal`` is the mean trust on its middle-level cross-divide ties (Lederach).
    """
    d_star = sigmoid(
        p.w_DS * S
        + p.w_DC * C
        + p.w_DN * needs
        + pressure
        - p.w_Dcoh * cohesion
        - p.w_DK * capacity
        - p.b_D
    )
    s_star = sigmoid(
        p.w_SD * D
        + p.w_SN * needs
        + p.w_Sdisp * displaced_share
        - p.w_SK * capacity
        - p.w_S_dev * dev_response
        - p.b_S
        + anchor[0]
    )
    c_star = sigmoid(
        p.w_CD * D
        + p.w_CH * hostility
        - p.w_CT * cross_trust
        - p.w_Ccoh * cohesion
        - p.w_C_peace * peace_response
        - p.w_Chor * horizontal
        - p.b_C
        + anchor[1]
    )
    return d_star, s_star, c_star


def anchors(
    S: np.ndarray,
    C: np.ndarray,
    targets_without: tuple[np.ndarray, np.ndarray],
    persistence: float | np.ndarray,
) -> np.ndarray:
    """(2, ...) the persistent part of each city's structural and cultural violence, in logits.

    ``a_X = persistence (logit X0 - logit X*0)``, where ``X*0`` is the target without an anchor
    in the first month: the part of the scenario's initial S and C that the model's drivers
    (violence, needs, displacement, capacity, trust, hostility) do not explain. It stands for
    structures and culture that outlast a programme (Galtung, 004:1534-1670, 1619-1623), so
    a city's S and C move as their drivers change from where they started, not toward a
    level every city shares.
    """

    def logit(x: np.ndarray) -> np.ndarray:
        x = np.clip(x, 0.01, 0.99)
        return np.log(x / (1.0 - x))

    s_star, c_star = targets_without
    return persistence * np.stack([logit(S) - logit(s_star), logit(C) - logit(c_star)])


def escalation_rate(
    D: np.ndarray, target: np.ndarray, rate_up: float | np.ndarray, rate_down: float | np.ndarray
) -> np.ndarray:
    """The rate at which direct violence moves: ``rate_up`` toward a higher target (fighting
    breaks out within weeks, so a war month is in that month's D), ``rate_down`` toward a lower
    one (violence ebbs over months)."""
    return np.where(target > D, rate_up, rate_down)


def relax(
    x: np.ndarray, target: np.ndarray, rate: float | np.ndarray, noise: np.ndarray | float
) -> np.ndarray:
    """Move part of the way to the target, add noise, stay in [0, 1]."""
    return np.clip(x + rate * (target - x) + noise, 0.0, 1.0)


def needs_target(
    D: np.ndarray,
    S: np.ndarray,
    displaced_share: np.ndarray,
    capacity: np.ndarray,
    hum_response: np.ndarray,
    p,
) -> np.ndarray:
    """Needs follow violence, deprivation, displacement and destroyed services; humanitarian
    relief lowers them.

    ``hum_response`` is the response of the humanitarian effect stock times the nexus
    multiplier.

    sigmoid(w_ND D + w_NS S + w_Ndisp displaced_share + w_NK (1 - capacity)
            - w_N_hum hum_response - b_N)
    """
    return sigmoid(
        p.w_ND * D
        + p.w_NS * S
        + p.w_Ndisp * displaced_share
        + p.w_NK * (1.0 - capacity)
        - p.w_N_hum * hum_response
        - p.b_N
    )


def cohesion_target(cross_trust: np.ndarray, D: np.ndarray, C: np.ndarray, p) -> np.ndarray:
    """Intra-city trust between groups follows cross-divide trust and falls with violence.

    sigmoid(w_cohT cross_trust - w_cohD D - w_cohC C + b_coh)
    """
    return sigmoid(p.w_cohT * cross_trust - p.w_cohD * D - p.w_cohC * C + p.b_coh)


def indices(
    D: np.ndarray, S: np.ndarray, C: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(negative peace, positive peace, peace) as defined in MODEL.md 5.6."""
    negative = 1.0 - D
    positive = np.sqrt((1.0 - S) * (1.0 - C))
    peace = np.cbrt((1.0 - D) * (1.0 - S) * (1.0 - C))
    return negative, positive, peace
