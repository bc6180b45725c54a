"""Alliance lifecycle, such as the Municipal Alliance for Peace (MODEL.md 5.8; 004:3097-3231).

proposed -> negotiating -> founded -> active <-> suspended -> dissolved.
Negotiation progresses only while a mediator trusted by both sides is active and the violence
the talks are exposed to is not too high; it was about five years for MAP (004:3107-3115).
That violence is the excess over the members' usual level (as flight reads it,
``sim.rules.displacement``): talks stall on violence above what the parties have long lived
with, not on the standing level (MAP's talks went on while armed clashes were in full swing,
004:3143-3151). Mediated talks are held at a neutral venue abroad, so they feel only part of
it (``sim.rules.venue``). Founding needs full progress, secured funding and *working trust*
between the member sides: every member tie at least ``found_trust`` of the trust mediated
talks can build on it, its ceiling ``M = trust.mediation_ceiling x (1 - mean C of the ends)``
(``sim.rules.trust``; Kelman 2005: talks build a working trust in the other side's
seriousness, bounded by what the communities' culture allows). Branch founding made it so
after MAP's founding failed under that ceiling against an absolute threshold. An active
alliance is suspended while violence above the members' usual level (as flight reads it,
``sim.rules.displacement``) is above a threshold: staff were not seconded as tension and
clashes kept worsening (004:3191-3201). It dissolves when a founding member withdraws or trust
stays below the exit threshold for too long.
"""

from __future__ import annotations

import numpy as np

Coefficient = float | np.ndarray

PROPOSED, NEGOTIATING, FOUNDED, ACTIVE, SUSPENDED, DISSOLVED = range(6)
STATE_NAMES = ("proposed", "negotiating", "founded", "active", "suspended", "dissolved")


def founding_shortfall(trust: np.ndarray, ceiling: np.ndarray, share: Coefficient) -> np.ndarray:
    """``max over the members' ties of (share x M - trust)``: at most 0 when every tie holds at
    least ``share`` (``alliances.found_trust``) of the working trust talks can build on it, its
    ceiling ``M`` (``ceiling``). Since branch levels ``trust`` is the members' delegates' trust
    (``rules.delegates``) and ``M`` is 1, what talks build at the table; from branch founding
    to levels it was the one trust index against ``rules.trust.mediation_ceiling``. Ties on the
    last axis (..., nT); ``share`` a number or an array broadcasting against (..., 1). Where
    ``M`` is 0 trust cannot bar founding: the talks and the money still must."""
    return (share * ceiling - trust).max(axis=-1)


def advance(
    state: np.ndarray,
    progress: np.ndarray,
    months_low: np.ndarray,
    mediated: np.ndarray,
    side_violence: np.ndarray,
    min_trust: np.ndarray,
    funded: np.ndarray,
    withdrawn: np.ndarray,
    p,
    talks_violence: np.ndarray | None = None,
    found_short: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One month of lifecycle for every alliance; ``p`` is an AllianceParams (numbers or
    ``(R, 1)`` arrays).

    ``side_violence`` is the members' highest direct violence at home above their usual level
    (it suspends an active alliance); ``talks_violence`` the share of that excess the mediated
    talks are exposed to (``venue.exposure`` of it; ``side_violence`` when not given). Both
    are on the excess's scale, so ``stall_violence`` and ``suspend_violence`` are levels of
    violence above the usual. ``found_short`` is ``founding_shortfall`` of the members' ties
    (founding needs it at most 0); when not given, ``found_trust - min_trust``: every tie's
    ceiling taken as 1. ``min_trust`` (the members' lowest tie) decides survival (``exit_trust``).
    Returns (state, progress, months_low). All inputs are arrays over alliances, (..., nA).
    """
    state = state.copy()
    if talks_violence is None:
        talks_violence = side_violence
    talks = (state == NEGOTIATING) & mediated & (talks_violence < p.stall_violence)
    progress = np.where(talks, np.minimum(progress + p.negotiation_rate, 1.0), progress)
    if found_short is None:
        found_short = p.found_trust - min_trust
    found = (state == NEGOTIATING) & (progress >= 1.0) & (found_short <= 0.0) & funded
    started = (state == FOUNDED) & funded
    suspend = (state == ACTIVE) & (side_violence >= p.suspend_violence)
    resume = (state == SUSPENDED) & (side_violence < p.suspend_violence) & funded
    state[found] = FOUNDED
    state[started] = ACTIVE
    state[suspend] = SUSPENDED
    state[resume] = ACTIVE
    alive = (state >= FOUNDED) & (state < DISSOLVED)
    months_low = np.where(alive & (min_trust < p.exit_trust), months_low + 1, 0)
    state[alive & (withdrawn | (months_low >= p.exit_months))] = DISSOLVED
    return state, progress, months_low
