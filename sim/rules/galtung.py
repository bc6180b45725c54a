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


def target_logits(
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
    p,
) -> np.ndarray:
    """(4, ...) the logits of (D*, S*, C*) and of D°*, D* without the events' pressure (ODD
    7.7), before each city's anchor; ``p`` is a GaltungParams.

    z°_D = w_DS S + w_DC C + w_DN needs - w_Dcoh cohesion - w_DK capacity - b_D
    z_D = z°_D + pressure
    z_S = w_SD D + w_SN needs + w_Sdisp displaced_share - w_SK capacity - w_S_dev dev_response
          - b_S
    z_C = w_CD D + w_CH hostility - w_CT cross_trust - w_Ccoh cohesion
          - w_C_peace peace_response - w_Chor horizontal - b_C

    ``dev_response`` and ``peace_response`` are the responses r(Z, K) of the city's
    development and peace effect stocks times the nexus multiplier (``sim.rules.money``);
    ``horizontal`` is the mean trust on its middle-level cross-divide ties (Lederach).
    """
    z_d_calm = (
        p.w_DS * S + p.w_DC * C + p.w_DN * needs - p.w_Dcoh * cohesion - p.w_DK * capacity - p.b_D
    )
    z_d = z_d_calm + pressure  # the events' pressure on top of what the structure drives
    z_s = (
        p.w_SD * D
        + p.w_SN * needs
        + p.w_Sdisp * displaced_share
        - p.w_SK * capacity
        - p.w_S_dev * dev_response
        - p.b_S
    )
    z_c = (
        p.w_CD * D
        + p.w_CH * hostility
        - p.w_CT * cross_trust
        - p.w_Ccoh * cohesion
        - p.w_C_peace * peace_response
        - p.w_Chor * horizontal
        - p.b_C
    )
    return np.stack(np.broadcast_arrays(z_d, z_s, z_c, z_d_calm))


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
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(D*, S*, C*) = sigmoid(z_X + a_X) for every city, and D°* = sigmoid(z°_D + a_D), the
    target of D without the events' pressure (ODD 7.7): the logits of :func:`target_logits`
    plus the city's anchors ``anchor[:3]`` = (a_D, a_S, a_C) (:func:`anchors`). Where a city
    has no pressure, D°* is D* to the last digit (z°_D + 0 is z°_D)."""
    z = target_logits(
        D, S, C, needs, displaced_share, capacity, cohesion, pressure, hostility, cross_trust,
        horizontal, dev_response, peace_response, p,
    )  # fmt: skip
    d_star, s_star, c_star, d_calm = sigmoid(z + anchor[[0, 1, 2, 0]])
    return d_star, s_star, c_star, d_calm


def anchors(
    start: np.ndarray, logits_without: np.ndarray, persistence: float | np.ndarray
) -> np.ndarray:
    """(5, ...) the persistent part of each city's starting D, S, C, needs and cohesion (rows in
    that order), in logits.

    ``a_X = persistence (logit X_0 - z_X0)`` and ``a_D = persistence min(logit D_0 - z_D0, 0)``,
    where ``z_X0`` is X's target logit without an anchor in the encoded start, without events
    or aid: the part of the scenario's initial state that the model's drivers (violence, needs,
    displacement, capacity, trust, hostility) do not explain. It stands for structures, culture,
    chronic deprivation and social fabric that outlast a programme (Galtung, 004:1534-1670,
    1619-1623; the conflict trap, Collier et al. 2003), so a city's state moves as its drivers
    change from where it started, not toward a level every city shares. Direct violence keeps
    only an order its drivers would not (a police state's low D amid high S and C): violence
    above what the structure sustains is a war's tail, which ebbs in months (Tuzla's D 0.3 at
    Dayton), not a standing feature. With ``persistence`` 1 the encoded start is then a fixed
    point of the month without events for S, C, needs and cohesion, and for D wherever its
    drivers do not explain less than the encoded D; it is a stable one while the loop gain of
    their feedback is below 1 (experiments/equilibrium_start.py).
    """
    x = np.clip(start, 1e-3, 1.0 - 1e-3)
    gap = np.log(x / (1.0 - x)) - logits_without
    return persistence * np.concatenate([np.minimum(gap[:1], 0.0), gap[1:]])


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
    anchor: np.ndarray | float = 0.0,
) -> np.ndarray:
    """Needs follow violence, deprivation, displacement and destroyed services; humanitarian
    relief lowers them.

    ``hum_response`` is the response of the humanitarian effect stock times the nexus
    multiplier.

    sigmoid(w_ND D + w_NS S + w_Ndisp displaced_share + w_NK (1 - capacity)
            - w_N_hum hum_response - b_N + a_N), ``anchor`` a_N the city's (:func:`anchors`)
    """
    return sigmoid(needs_logit(D, S, displaced_share, capacity, hum_response, p) + anchor)


def needs_logit(
    D: np.ndarray,
    S: np.ndarray,
    displaced_share: np.ndarray,
    capacity: np.ndarray,
    hum_response: np.ndarray,
    p,
) -> np.ndarray:
    """The logit of :func:`needs_target` before the city's anchor."""
    return (
        p.w_ND * D
        + p.w_NS * S
        + p.w_Ndisp * displaced_share
        + p.w_NK * (1.0 - capacity)
        - p.w_N_hum * hum_response
        - p.b_N
    )


def cohesion_target(
    cross_trust: np.ndarray, D: np.ndarray, C: np.ndarray, p, anchor: np.ndarray | float = 0.0
) -> np.ndarray:
    """Intra-city trust between groups follows cross-divide trust and falls with violence.

    sigmoid(w_cohT cross_trust - w_cohD D - w_cohC C + b_coh + a_coh), ``anchor`` a_coh the
    city's (:func:`anchors`)
    """
    return sigmoid(cohesion_logit(cross_trust, D, C, p) + anchor)


def cohesion_logit(cross_trust: np.ndarray, D: np.ndarray, C: np.ndarray, p) -> np.ndarray:
    """The logit of :func:`cohesion_target` before the city's anchor."""
    return p.w_cohT * cross_trust - p.w_cohD * D - p.w_cohC * C + p.b_coh


def indices(
    D: np.ndarray, S: np.ndarray, C: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(negative peace, positive peace, peace) as defined in MODEL.md 5.6."""
    negative = 1.0 - D
    positive = np.sqrt((1.0 - S) * (1.0 - C))
    peace = np.cbrt((1.0 - D) * (1.0 - S) * (1.0 - C))
    return negative, positive, peace
