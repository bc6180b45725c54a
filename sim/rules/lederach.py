"""Lederach: horizontal and vertical integration and spill-over between levels (MODEL.md 5.7).

Peace needs horizontal ties across the divide and vertical ties between the top, the middle
range and the grassroots; the middle range (municipal leaders among them) is the link
(004:1924-2000). Bottom-up change is slow: sustained cross-divide trust eases national hostility
a little each month, while national hostility feeds cultural violence and shuts gates (handled
in ``galtung`` and ``gates``).
"""

from __future__ import annotations

import numpy as np

from sim.rules import average


def horizontal_integration(trust: np.ndarray) -> np.ndarray:
    """Mean trust of the cross-divide ties whose ends are both middle-range (0 when none).

    ``trust`` is (..., k): those ties' trust.
    """
    if trust.shape[-1] == 0:
        return np.zeros(trust.shape[:-1])
    return average(trust)


def vertical_integration(
    has_working_tie_up: np.ndarray,
    participation: np.ndarray,
    participation_min: float | np.ndarray,
) -> np.ndarray:
    """Share of cities linked up (a working tie to a government or IO) and down (participation).

    Arrays are (..., N) over cities; 0 when there are none.
    """
    if has_working_tie_up.shape[-1] == 0:
        return np.zeros(has_working_tie_up.shape[:-1])
    return np.mean(has_working_tie_up & (participation >= participation_min), axis=-1)


def spill_up(
    hostility: np.ndarray,
    pair_trust: np.ndarray,
    pair_has_ties: np.ndarray,
    rate: float | np.ndarray,
    threshold: float | np.ndarray,
) -> np.ndarray:
    """National hostility eases where cross-border trust between two countries is sustained.

    Country tables are (..., K, K); ``rate`` and ``threshold`` broadcast against them.
    """
    excess = np.where(pair_has_ties, np.maximum(pair_trust - threshold, 0.0), 0.0)
    return np.clip(hostility * (1.0 - rate * excess), 0.0, 1.0)
