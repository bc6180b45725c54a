"""Lederach: horizontal and vertical integration and spill-over between levels (MODEL.md 5.7).

Peace needs horizontal ties across the divide and vertical ties between the top, the middle
range and the grassroots; the middle range (municipal leaders among them) is the link
(004:1924-2000). Both act (issue 15): a city's horizontal integration h_i lowers its cultural
violence (``galtung``), and its vertical integration v_i (the trust of its relationships with the
level above, times its grassroots' participation) raises acceptance (``proposals``) and, per
country, keeps the hostility gate open longer (``gates``). Bottom-up change is slow:
sustained cross-divide trust eases national hostility a little each month, and cross-divide
events (an alliance dissolved) harden it. National hostility is a slow part B (scripted
summits, spill-up, events) plus a violence part V that relaxes toward the level the current
violence across a divide (the excess of the side that suffers most) sets and fades when it
ends (ODD 7.7). National hostility feeds cultural violence and shuts gates (``galtung`` and
``gates``).
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
    trust_total: np.ndarray, count: np.ndarray, participation: np.ndarray
) -> np.ndarray:
    """v_i = p_i x T_i: how far city i is tied into the levels above it and below it (ODD 7.7).

    ``T_i`` is the mean trust of the city's relationships with the level above (its active
    governance, membership, partnership and funding ties, either way, with its national
    government or an IO, none across a divide): ``trust_total`` (..., N) sums that trust at
    each city, ``count`` (N,) counts the ties. ``p_i`` is its participation (..., N), how far
    its grassroots take part. 0 for a city without a relationship up; in [0, 1] when both
    factors are (Lederach: integration is the relationships between levels, 004:1935-1949).
    """
    up = np.divide(trust_total, count, out=np.zeros(np.shape(trust_total)), where=count > 0)
    return np.asarray(participation, dtype=np.float64) * up


def vertical_integration(by_city: np.ndarray) -> np.ndarray:
    """Model-level vertical integration: the mean v_i over the cities (0 with none)."""
    if by_city.shape[-1] == 0:
        return np.zeros(by_city.shape[:-1])
    return average(by_city)


def split(hostility: np.ndarray, part: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(base B, violence part V) of national hostility ``H = B + V``, both >= 0.

    ``part`` is the violence part carried from last month. Whatever moved H since then (a
    scripted summit, an alliance's dissolution) lands in the base; a summit that lowers H below
    the violence part takes it down with it, so that H = B + V holds exactly.
    """
    base = np.clip(hostility - part, 0.0, 1.0)
    return base, hostility - base


def divide_violence(
    side_excess: np.ndarray, pair_rows: np.ndarray, pair_cols: np.ndarray, n_pairs: int
) -> np.ndarray:
    """E: the violence across each divide, the excess of the side that suffers most,
    ``E_ab = max over the pair's sides s of E_s``.

    ``side_excess`` (..., G) is each side's mean violence that events add (ODD 7.7); side
    ``pair_cols[m]`` belongs to the pair in row ``pair_rows[m]`` of a flattened (K x K) country
    table with ``n_pairs`` rows. Returns (..., n_pairs), 0 for a pair without sides. Each public
    hardens with the violence it suffers (Jaeger et al. 2012; Sharvit et al. 2015), and one
    side's hardening is enough to harden the relation: a war on one side is not diluted by calm
    on the other, as a mean over the sides would dilute it (ODD 8).
    """
    side = np.asarray(side_excess, dtype=np.float64)
    out = np.zeros((n_pairs, *side.shape[:-1]))
    # The excess is >= 0, so a pair without sides keeps 0.
    np.maximum.at(out, pair_rows, np.moveaxis(np.take(side, pair_cols, axis=-1), -1, 0))
    return np.moveaxis(out, 0, -1)


def violence_rise(
    base: np.ndarray,
    excess: np.ndarray,
    has_divide: np.ndarray,
    gain: float | np.ndarray,
    half_life: float | np.ndarray,
) -> np.ndarray:
    """``k x V*``: how far this month's violence lifts the violence part, where
    ``V* = min(gain x E, 1) x (1 - B)`` is the level the violence across a divide holds
    hostility at and ``k = 1 - 2^(-1 / half_life)`` the monthly share of the way to it.

    ``excess`` E (..., K, K) is the violence events add (ODD 7.7) that the pair's side which
    suffers most suffers (:func:`divide_violence`; Jaeger et al. 2012: each public radicalises
    with the violence it suffers); ``V*`` never exceeds the gap ``1 - B``, so H stays in
    [0, 1].
    """
    target = np.minimum(gain * np.where(has_divide, excess, 0.0), 1.0) * (1.0 - base)
    return fade_rate(half_life) * target


def violence_fade(part: np.ndarray, half_life: float | np.ndarray) -> np.ndarray:
    """``-k x V``: the violence part fades by a share k a month (Jaeger et al. 2012: the
    radicalising effect of a fatality vanishes within about 90 days)."""
    return -fade_rate(half_life) * part


def fade_rate(half_life: float | np.ndarray) -> np.ndarray:
    """``k = 1 - 2^(-1 / half_life)``: the monthly share for a half-life in months."""
    return 1.0 - np.power(0.5, 1.0 / np.asarray(half_life, dtype=np.float64))


def violence_part(
    part: np.ndarray, rise: np.ndarray, fade: np.ndarray, base: np.ndarray
) -> np.ndarray:
    """The violence part after a month: ``V + k V* - k V = V + k (V* - V)``, relaxing toward
    the level the current violence sets and fading when it ends (:func:`violence_rise`,
    :func:`violence_fade`). From ``V <= 1 - B`` it stays in [0, 1 - B] (the clip only guards
    rounding), so ``H = B + V`` stays in [0, 1]."""
    return np.clip(part + rise + fade, 0.0, 1.0 - base)


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
