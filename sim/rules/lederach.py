"""Lederach: horizontal and vertical integration and spill-over between levels (MODEL.md 5.7).

Peace needs horizontal ties across the divide and vertical ties between the top, the middle
range and the grassroots; the middle range (municipal leaders among them) is the link
(004:1924-2000). Both act (issue 15): a city's horizontal integration h_i lowers its cultural
violence (``galtung``), and its vertical integration v_i raises acceptance (``proposals``) and,
per country, keeps the hostility gate open longer (``gates``). Bottom-up change is slow:
sustained cross-divide trust eases national hostility a little each month; direct violence
across a divide and cross-divide events (an alliance dissolved) harden it. National hostility
feeds cultural violence and shuts gates (``galtung`` and ``gates``).
"""

from __future__ import annotations

import numpy as np

from sim.rules import average, total


def horizontal_by_city(trust_total: np.ndarray, count: np.ndarray) -> np.ndarray:
    """h_i: mean trust of each city's middle-level cross-divide ties (0 for a city without).

    ``trust_total`` (..., N) sums those ties' trust at each city end; ``count`` (N,) counts them.
    """
    return np.divide(trust_total, count, out=np.zeros(trust_total.shape), where=count > 0)


def horizontal_integration(by_city: np.ndarray, has_ties: np.ndarray) -> np.ndarray:
    """Model-level horizontal integration: the mean h_i over the cities that have middle-level
    cross-divide ties (0 when none has)."""
    k = int(np.count_nonzero(has_ties))
    if k == 0:
        return np.zeros(by_city.shape[:-1])
    return total(np.where(has_ties, by_city, 0.0)) / k


def vertical_by_city(
    has_working_tie_up: np.ndarray,
    participation: np.ndarray,
    participation_min: float | np.ndarray,
) -> np.ndarray:
    """v_i: 1 for a city linked up (a working tie to its government or an IO) and down
    (participation at least ``participation_min``), else 0. Arrays are (..., N)."""
    return (has_working_tie_up & (participation >= participation_min)).astype(np.float64)


def vertical_integration(by_city: np.ndarray) -> np.ndarray:
    """Model-level vertical integration: the share of cities linked up and down (0 with none)."""
    if by_city.shape[-1] == 0:
        return np.zeros(by_city.shape[:-1])
    return average(by_city)


def side_excess(side_violence: np.ndarray, floor: float | np.ndarray) -> np.ndarray:
    """Violence one side of a divide suffers above the everyday floor: ``max(D_s - floor, 0)``.

    ``side_violence`` (..., G) is the mean D of each side's divided cities (a side is one
    community's cities in one country); ``floor`` broadcasts against it.
    """
    return np.maximum(side_violence - floor, 0.0)


def hostility_from_violence(
    hostility: np.ndarray,
    excess: np.ndarray,
    has_divide: np.ndarray,
    rate: float | np.ndarray,
) -> np.ndarray:
    """National hostility hardens with direct violence across a divide between two countries.

    ``h + rate x excess x (1 - h)``, where ``excess`` (..., K, K) is the mean over the pair's
    sides of :func:`side_excess`: each side's public hardens with the violence it suffers
    (Jaeger et al. 2012; Berrebi and Klor 2008), so a war on one side is not averaged away
    by calm on the other before the floor.
    """
    return np.clip(hostility + rate * np.where(has_divide, excess, 0.0) * (1.0 - hostility), 0, 1)


def hostility_shock(hostility: np.ndarray, hit: np.ndarray, bump: float | np.ndarray) -> np.ndarray:
    """A cross-divide event (an alliance dissolved) between two countries: ``h + bump (1 - h)``
    where ``hit`` (..., K, K) marks the pairs it touches."""
    return np.where(hit, hostility + bump * (1.0 - hostility), hostility)


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
