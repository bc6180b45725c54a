"""Capacity: war destroys it and stops its recovery; in peace it recovers by itself, faster with
aid.

Collier (1999) finds civil war lowers growth by about 2.2 points a year and that economies
recover after it; Chen, Loayza and Reynal-Querol (2008) find recovery is the norm once the war
ends and peace lasts; Cerra and Saxena (2008) find output rebounds after civil wars, but not
all the way. Collier and Hoeffler (2004) find aid raises post-conflict growth. War, not a city's
everyday violence, is what stops recovery and destroys: the rules read the excess of direct
violence over the city's usual level, ``E = max(D - U, 0)`` (``sim.rules.displacement``), as
flight does (ODD 7.6):

    K <- K + r_K max(0, 1 - E / e_stop)(c0 + (1 - c0) cohesion)(o + g_aid r_dev) max(K* - K, 0)
           - dep (1 - ownership x participation) K - delta_K E^2 K
    o = 1 for an open economy, o = s_closed for an isolated one
    K* = each city's gap target, solved from its steady capacity K_ss (below)

where ``r_dev`` is the response of the city's development effect stock (``sim.rules.money``).
Without aid a city recovers slowly, never collapses; at its usual violence it recovers at
peace-time speed; a war (E at or above ``e_stop``) stops recovery, and destroys capacity and
completed assets (the development stock) with the square of E. The literature on recovery is
about economies that trade and borrow: a city whose country is cut off from outside inputs (an
isolated economy, ``scenario.yaml``'s ``isolated``) closes its gap at ``s_closed`` of the open
speed by itself (Gundlach 1996: open and closed developing economies' convergence rates differ
by a factor of about 2.5; Sachs and Warner 1995: closed economies do not converge), while aid,
itself an outside input, speeds it as much as anywhere.

What a city recovers toward is its own steady state (conditional convergence: Barro and
Sala-i-Martin 1992; Mankiw, Romer and Weil 1992), open or not (branch steady; before it, open
cities closed their gap to the frontier, 1). Each city has a steady capacity ``K_ss`` (an
input, ``actors.yaml``'s ``steady_capacity``; by default its encoded start): the capacity it
holds in peace without aid. The growth term's gap target ``K*`` is the level at which ``K_ss``
is the month's fixed point at the city's own speed (open or closed):

    K* = K_ss (1 + dep (1 - ownership x part_0) / (r_K (c0 + (1 - c0) cohesion_0) o))

``K*`` is a target, not a state: it may exceed 1 (a rich city with fast depreciation needs a
gap wider than the distance to the frontier to hold its level), while capacity itself stays
clipped to [0, 1]. Capping ``K*`` at 1 (before the coordinator's fix after branch growth) made
every city above ``s_0 / (s_0 + dep)`` (about 0.79 in Korea) decay from its encoded start at
peace, e.g. Seoul 0.80 -> 0.777.

A post-war city's ``K_ss`` is its pre-war level, above its war-damaged start, so it recovers by
itself toward that level, not toward 1; a city at peace at the start stays there without
events; aid speeds recovery and lifts a city above ``K_ss`` only toward ``K*``. Isolation
keeps only its slower speed.
"""

from __future__ import annotations

import numpy as np

Coefficient = float | np.ndarray


def recovering(E: np.ndarray, stop: Coefficient) -> np.ndarray:
    """``max(0, 1 - E / e_stop)``: the share of peace-time recovery speed left at excess
    violence ``E``: 1 at the usual level, 0 in a war."""
    return np.clip(1.0 - E / np.maximum(stop, 1e-9), 0.0, 1.0)


def openness(isolated: np.ndarray | None, closed_share: Coefficient) -> Coefficient:
    """``o``: the share of the open economy's own recovery speed a city keeps, 1 where open and
    ``s_closed`` where its country is isolated."""
    if isolated is None:
        return 1.0
    return np.where(isolated, closed_share, 1.0)


def own_steady_state(
    level: np.ndarray,
    cohesion: np.ndarray,
    participation: np.ndarray,
    p,
    isolated: np.ndarray | None = None,
) -> np.ndarray:
    """``K*``, each city's gap target: the level at which its steady capacity ``level``
    (``K_ss``, capacity index) is a fixed point in peace without aid at its encoded cohesion and
    participation (the scenario's, before a lever rescales it: ODD 8, branch abc),
    ``speed_0 o (K* - K_ss) = dep_0 K_ss`` (not capped at the frontier: see the module's
    docstring); 1 where the city has no
    own recovery to balance (``speed_0 o`` 0: aid alone then closes the gap to the frontier).
    ``isolated`` (N,) True where the city's country is cut off (speed ``closed_share``; None:
    every city open)."""
    o = openness(isolated, p.closed_share)
    cohesive = p.cohesion_floor + (1.0 - p.cohesion_floor) * cohesion
    speed = p.rate * cohesive * o
    depreciation = p.depreciation * (1.0 - p.ownership * participation)
    own = level * (1.0 + depreciation / np.maximum(speed, 1e-12))
    return np.where(speed > 0.0, own, 1.0)


def steady_rates(
    cohesion: np.ndarray,
    participation: np.ndarray,
    p,
    isolated: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``(1 + dep_0 / s_0, 1 / s_0)`` of each city at its encoded cohesion and participation,
    ``s_0 = r_K (c0 + (1 - c0) cohesion_0) o`` its own speed (per month); both 0 where ``s_0``
    is 0 (no own recovery: the gap target is then the frontier). What :func:`moving_target`
    reads every month."""
    o = openness(isolated, p.closed_share)
    cohesive = p.cohesion_floor + (1.0 - p.cohesion_floor) * cohesion
    speed = p.rate * cohesive * o
    depreciation = p.depreciation * (1.0 - p.ownership * participation)
    some = speed > 0.0
    gain = np.where(some, 1.0 + depreciation / np.maximum(speed, 1e-12), 0.0)
    return gain, np.where(some, 1.0 / np.maximum(speed, 1e-12), 0.0)


def moving_target(
    level: np.ndarray, slope: np.ndarray, gain: np.ndarray, pace: np.ndarray
) -> np.ndarray:
    """``K*(t) = max(0, K_ss(t) gain + (K_ss(t+1) - K_ss(t)) pace)``: the gap target at
    which a city on its moving steady state ``level`` (capacity index) is at ``level + slope``
    a month later in peace without aid (branch growth; ODD 7.6); 1 where ``gain`` is 0. At
    slope 0 it is :func:`own_steady_state` of ``level``."""
    own = np.maximum(level * gain + slope * pace, 0.0)
    return np.where(gain > 0.0, own, 1.0)


def capacity_update(
    capacity: np.ndarray,
    E: np.ndarray,
    cohesion: np.ndarray,
    dev_response: np.ndarray,
    participation: np.ndarray,
    p,
    isolated: np.ndarray | None = None,
    target: np.ndarray | None = None,
) -> np.ndarray:
    """One month of capacity, in [0, 1]; ``E`` is the excess violence over the city's usual
    level (``displacement.excess``), ``p`` a RecoveryParams, ``isolated`` (N,) True where
    the city's country is cut off from outside inputs (None: every city open) and ``target``
    each city's gap target ``K*`` (:func:`own_steady_state`; None: the frontier, 1)."""
    cohesive = p.cohesion_floor + (1.0 - p.cohesion_floor) * cohesion
    speed = p.rate * recovering(E, p.war_stop) * cohesive
    growth = speed * (openness(isolated, p.closed_share) + p.aid_gain * dev_response)
    gap = 1.0 - capacity if target is None else np.maximum(target - capacity, 0.0)
    growth = growth * gap
    depreciation = p.depreciation * (1.0 - p.ownership * participation) * capacity
    damage = p.damage * E * E * capacity
    return np.clip(capacity + growth - depreciation - damage, 0.0, 1.0)


def destroy(stock: np.ndarray, E: np.ndarray, damage: Coefficient) -> np.ndarray:
    """Completed assets destroyed by war: ``Z (1 - delta_K E^2)``."""
    return stock * (1.0 - damage * E * E)
