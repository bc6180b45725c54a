"""Delivery and the humanitarian-development-peace triple nexus (MODEL.md 5.4; 004:2639-2816).

Humanitarian aid relieves needs fast, but without development behind it needs rebound when aid
stops (a dependency stock). Development projects progress a little each funded month, may be
interrupted, and on completion raise capacity and lower structural violence in proportion to
``budget x (0.5 + participation)``. Peace work raises trust and lowers cultural violence. A city
that receives two or more pillars within the nexus window gets every effect multiplied by
``1 + synergy x coordination``. Aid into a mixed city by a provider with little conflict
sensitivity lowers cohesion: do no harm (004:2700-2712).
"""

from __future__ import annotations

import numpy as np

Coefficient = float | np.ndarray


def per_thousand(amount: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Money per 1,000 inhabitants, the unit every effect scale is expressed in."""
    return amount / np.maximum(population, 1.0) * 1000.0


def saturate(x: np.ndarray, scale: Coefficient) -> np.ndarray:
    """1 - exp(-x / scale): diminishing returns, 0 at 0, towards 1."""
    return 1.0 - np.exp(-np.maximum(x, 0.0) / scale)


def nexus_multiplier(
    last_received: np.ndarray,
    step: int,
    window: Coefficient,
    synergy: Coefficient,
    coordination: Coefficient,
) -> np.ndarray:
    """(..., N) multiplier: 1 + synergy x coordination where >= 2 pillars arrived in the window.

    ``last_received`` is (3, ..., N): the last step each pillar arrived.
    """
    pillars = ((step - last_received) < window).sum(axis=0)
    return 1.0 + synergy * coordination * (pillars >= 2)


def humanitarian_relief(
    needs: np.ndarray,
    aid_per_thousand: np.ndarray,
    multiplier: np.ndarray,
    effect: Coefficient,
    scale: Coefficient,
) -> np.ndarray:
    """Needs after this month's humanitarian aid; never raises needs.

    ``needs (1 - min(effect saturate(aid) multiplier, 1))``
    """
    relief = np.minimum(saturate(aid_per_thousand, scale) * effect * multiplier, 1.0)
    return (1.0 - relief) * needs


def dependency_update(
    dependency: np.ndarray,
    hum_per_thousand: np.ndarray,
    dev_received: np.ndarray,
    gain: Coefficient,
    decay: Coefficient,
    scale: Coefficient,
) -> np.ndarray:
    """Aid without development builds dependency; development or time wears it down.

    ``clip((dep + gain saturate(hum aid) [no development] (1 - dep)) (1 - decay), 0, 1)``: a
    little aid builds a little dependency, saturating aid builds ``gain`` of the gap a month.
    """
    aid_only = saturate(hum_per_thousand, scale) * ~(dev_received > 0)
    grown = dependency + gain * aid_only * (1.0 - dependency)
    return np.clip(grown * (1.0 - decay), 0.0, 1.0)


def felt_dependency(dependency: np.ndarray, hum_received: np.ndarray) -> np.ndarray:
    """The dependency that pushes needs up: only where no humanitarian aid arrived this month.

    Needs rebound when aid *stops* (an assumption: see ``delivery.dependency_gain``); while it
    flows, the stock only accumulates. This also keeps more aid in a month from ever raising
    needs in that month.
    """
    return np.where(hum_received > 0, 0.0, dependency)


def project_hazard(
    direct_violence: np.ndarray,
    gate_closed: np.ndarray,
    unfunded: np.ndarray,
    participation: np.ndarray,
    *,
    base: Coefficient,
    violence: Coefficient,
    gate: Coefficient,
    unfunded_h: Coefficient,
    low_participation: Coefficient,
) -> np.ndarray:
    """Monthly probability that an active project is interrupted."""
    hazard = (
        base
        + violence * direct_violence
        + gate * gate_closed
        + unfunded_h * unfunded
        + low_participation * (1.0 - participation)
    )
    return np.clip(hazard, 0.0, 1.0)


def completion_gain(
    spent_per_thousand: np.ndarray,
    participation: np.ndarray,
    multiplier: np.ndarray,
    coefficient: Coefficient,
) -> np.ndarray:
    """Share of the remaining gap a completed project closes, in [0, 1)."""
    dose = coefficient * spent_per_thousand * (0.5 + participation) * multiplier
    return 1.0 - np.exp(-dose)


def peace_work_trust(
    trust: np.ndarray,
    amount: np.ndarray,
    multiplier: np.ndarray,
    gain: Coefficient,
    scale: Coefficient,
) -> np.ndarray:
    """Tie trust after peace and relationship work worth ``amount`` on it this month.

    ``trust + min(gain saturate(amount) multiplier, 1) (1 - trust)``
    """
    return (1.0 - trust) * np.minimum(saturate(amount, scale) * gain * multiplier, 1.0) + trust


def peace_work_culture(
    cultural: np.ndarray, per_thousand_amount: np.ndarray, multiplier: np.ndarray, gain: Coefficient
) -> np.ndarray:
    """A city's cultural violence after peace work worth ``per_thousand_amount`` in it.

    ``cultural (1 - min(1 - exp(-gain per_thousand_amount multiplier), 1))``
    """
    cut = np.minimum(1.0 - np.exp(per_thousand_amount * -gain * multiplier), 1.0)
    return (1.0 - cut) * cultural


def do_no_harm(
    cohesion: np.ndarray,
    diversity: np.ndarray,
    aid_per_thousand: np.ndarray,
    insensitivity: np.ndarray,
    harm: Coefficient,
    scale: Coefficient,
) -> np.ndarray:
    """Cohesion after aid that reaches communities unevenly (``insensitivity`` in [0, 1]).

    ``cohesion (1 - min(harm diversity insensitivity saturate(aid), 1))``
    """
    loss = np.minimum(diversity * harm * insensitivity * saturate(aid_per_thousand, scale), 1.0)
    return (1.0 - loss) * cohesion
