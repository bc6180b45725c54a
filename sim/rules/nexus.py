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

from sim.rules import clip


def per_thousand(amount: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Money per 1,000 inhabitants, the unit every effect scale is expressed in."""
    out = np.divide(amount, np.maximum(population, 1.0))
    out *= 1000.0
    return out


def saturate(x: np.ndarray, scale: float) -> np.ndarray:
    """1 - exp(-x / scale): diminishing returns, 0 at 0, towards 1."""
    if np.ndim(x) == 0:
        return 1.0 - np.exp(-np.maximum(x, 0.0) / scale)
    # The same operations in one buffer (the functions below do likewise).
    out = np.maximum(x, 0.0)
    np.negative(out, out=out)
    out /= scale
    np.exp(out, out=out)
    return np.subtract(1.0, out, out=out)


def nexus_multiplier(
    last_received: np.ndarray, step: int, window: int, synergy: float, coordination: float
) -> np.ndarray:
    """(N,) multiplier: 1 + synergy*coordination where >= 2 pillars arrived in the window."""
    recent = (step - last_received) < window
    # Pillars in the window, counted column by column (an (N, 3) row reduction is slow).
    pillars = recent[:, 0].astype(np.int64)
    for j in range(1, recent.shape[1]):
        pillars += recent[:, j]
    return 1.0 + synergy * coordination * (pillars >= 2)


def humanitarian_relief(
    needs: np.ndarray,
    aid_per_thousand: np.ndarray,
    multiplier: np.ndarray,
    effect: float,
    scale: float,
) -> np.ndarray:
    """Needs after this month's humanitarian aid; never raises needs.

    ``needs (1 - min(effect saturate(aid) multiplier, 1))``
    """
    relief = saturate(aid_per_thousand, scale)
    if np.ndim(relief) == 0:
        return needs * (1.0 - np.minimum(effect * relief * multiplier, 1.0))
    relief *= effect
    relief *= multiplier
    np.minimum(relief, 1.0, out=relief)
    np.subtract(1.0, relief, out=relief)
    relief *= needs
    return relief


def dependency_update(
    dependency: np.ndarray,
    hum_per_thousand: np.ndarray,
    dev_received: np.ndarray,
    gain: float,
    decay: float,
    scale: float,
) -> np.ndarray:
    """Aid without development builds dependency; development or time wears it down.

    ``clip((dep + gain saturate(hum aid) [no development] (1 - dep)) (1 - decay), 0, 1)``: a
    little aid builds a little dependency, saturating aid builds ``gain`` of the gap a month.
    """
    aid_only = saturate(hum_per_thousand, scale) * ~(dev_received > 0)
    grown = dependency + gain * aid_only * (1.0 - dependency)
    return clip(grown * (1.0 - decay), 0.0, 1.0)


def felt_dependency(dependency: np.ndarray, hum_received: np.ndarray) -> np.ndarray:
    """The dependency that pushes needs up: only where no humanitarian aid arrived this month.

    Needs rebound when aid *stops* (an assumption: see ``delivery.dependency_gain``); while it
    flows, the stock only accumulates.
    This also keeps more aid in a month from ever raising needs in that month.
    """
    return np.where(hum_received > 0, 0.0, dependency)


def project_hazard(
    direct_violence: np.ndarray,
    gate_closed: np.ndarray,
    unfunded: np.ndarray,
    participation: np.ndarray,
    *,
    base: float,
    violence: float,
    gate: float,
    unfunded_h: float,
    low_participation: float,
) -> np.ndarray:
    """Monthly probability that an active project is interrupted."""
    hazard = (
        base
        + violence * direct_violence
        + gate * gate_closed
        + unfunded_h * unfunded
        + low_participation * (1.0 - participation)
    )
    return clip(hazard, 0.0, 1.0)


def completion_gain(
    spent_per_thousand: np.ndarray,
    participation: np.ndarray,
    multiplier: np.ndarray,
    coefficient: float,
) -> np.ndarray:
    """Share of the remaining gap a completed project closes, in [0, 1)."""
    dose = coefficient * spent_per_thousand * (0.5 + participation) * multiplier
    return 1.0 - np.exp(-dose)


def peace_work(
    trust: np.ndarray,
    cultural: np.ndarray,
    amount: np.ndarray,
    per_thousand_amount: np.ndarray,
    multiplier_tie: np.ndarray,
    multiplier_city: np.ndarray,
    *,
    trust_gain: float,
    culture_gain: float,
    scale: float,
) -> tuple[np.ndarray, np.ndarray]:
    """(tie trust, city cultural violence) after peace and relationship work.

    ``trust + min(trust_gain saturate(amount) multiplier_tie, 1) (1 - trust)`` and
    ``cultural (1 - min(1 - exp(-culture_gain per_thousand_amount multiplier_city), 1))``.
    Scalars are fine for the half a caller does not need.
    """
    gain = saturate(amount, scale)
    if np.ndim(gain) == 0 or np.ndim(trust) == 0:
        new_trust = trust + np.minimum(trust_gain * gain * multiplier_tie, 1.0) * (1.0 - trust)
    else:
        gain *= trust_gain
        gain *= multiplier_tie
        np.minimum(gain, 1.0, out=gain)
        new_trust = np.subtract(1.0, trust)
        new_trust *= gain
        new_trust += trust
    if np.ndim(per_thousand_amount) == 0 and np.ndim(multiplier_city) == 0:
        cut = np.minimum(1.0 - np.exp(-culture_gain * per_thousand_amount * multiplier_city), 1.0)
        return new_trust, cultural * (1.0 - cut)
    keep = np.multiply(per_thousand_amount, -culture_gain)
    keep *= multiplier_city
    np.exp(keep, out=keep)
    np.subtract(1.0, keep, out=keep)  # the cut
    np.minimum(keep, 1.0, out=keep)
    np.subtract(1.0, keep, out=keep)
    keep *= cultural
    return new_trust, keep


def do_no_harm(
    cohesion: np.ndarray,
    diversity: np.ndarray,
    aid_per_thousand: np.ndarray,
    insensitivity: np.ndarray,
    harm: float,
    scale: float,
) -> np.ndarray:
    """Cohesion after aid that reaches communities unevenly (``insensitivity`` in [0, 1]).

    ``cohesion (1 - min(harm diversity insensitivity saturate(aid), 1))``
    """
    loss = np.multiply(diversity, harm)
    loss *= insensitivity
    loss *= saturate(aid_per_thousand, scale)
    np.minimum(loss, 1.0, out=loss)
    np.subtract(1.0, loss, out=loss)
    loss *= cohesion
    return loss
