"""Lederach: horizontal and vertical integration and spill-over between levels (MODEL.md 5.7).

Peace needs horizontal ties across the divide and vertical ties between the top, the middle
range and the grassroots; the middle range (municipal leaders among them) is the link
(004:1924-2000). Bottom-up change is slow: sustained cross-divide trust eases national hostility
a little each month, while national hostility feeds cultural violence and shuts gates (handled
in ``galtung`` and ``gates``).
"""

from __future__ import annotations

import numpy as np

from sim.rules import clip


def horizontal_integration(
    trust: np.ndarray, cross_divide: np.ndarray, middle: np.ndarray
) -> float:
    """Mean trust on cross-divide ties whose ends are both middle-range (0 when none)."""
    mask = cross_divide & middle
    return float(trust[mask].mean()) if mask.any() else 0.0


def vertical_integration(
    has_working_tie_up: np.ndarray, participation: np.ndarray, participation_min: float
) -> float:
    """Share of cities linked up (a working tie to a government or IO) and down (participation)."""
    if has_working_tie_up.size == 0:
        return 0.0
    return float(np.mean(has_working_tie_up & (participation >= participation_min)))


def spill_up(
    hostility: np.ndarray,
    pair_trust: np.ndarray,
    pair_has_ties: np.ndarray,
    rate: float,
    threshold: float,
) -> np.ndarray:
    """National hostility eases where cross-border trust between two countries is sustained."""
    excess = np.where(pair_has_ties, np.maximum(pair_trust - threshold, 0.0), 0.0)
    return clip(hostility * (1.0 - rate * excess), 0.0, 1.0)
