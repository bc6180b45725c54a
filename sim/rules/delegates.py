"""Two levels of trust on a tie: the delegates' and the communities' (ODD 7.5, 7.7; branch
levels).

Lederach's middle range (municipal leaders, officials, delegations) meets across a divide; the
grassroots do not. What a mediated meeting builds in days is the delegates' working trust
(Kelman 2005); what whole communities come to hold of the other side moves by delivered
outcomes and contact and is bounded by their culture (``trust.delivery_ceiling``,
``trust.mediation_ceiling``). A tie carries both: the communities' trust ``T`` (the index every
rule read before this branch, ``TieState.trust``) and the delegates' trust ``G`` >= ``T``
(``TieState.delegates``). The delegates hold what their communities hold plus a surplus the
table built; without a meeting the surplus fades (they go home to their constituencies:
Schroeder and Risen 2016), and the communities' trust is pulled toward the delegates', within
what their culture allows, at a slow pace through the middle range's horizontal ties (the
re-entry transfer: Kelman 2005; Fisher 2020; Lederach 1997).
"""

from __future__ import annotations

import numpy as np

Coefficient = float | np.ndarray


def surplus(delegates: np.ndarray, communities: np.ndarray) -> np.ndarray:
    """``max(G - T, 0)``: what the delegates built at the table beyond what their communities
    hold (0 where the communities have caught up, or outrun them by delivered outcomes)."""
    return np.maximum(delegates - communities, 0.0)


def after_month(
    communities: np.ndarray,
    kept_surplus: np.ndarray,
    mediated: np.ndarray,
    push: np.ndarray | float,
    fade: Coefficient,
) -> np.ndarray:
    """The delegates' trust after a month, in [0, 1]:

        G' = T' + s (1 - fade (1 - mediated))
        G  = G' + push max(1 - G', 0)

    ``T'`` the communities' trust after the month (what moved them moves their delegates: a
    delivered outcome, a failure, violence at home), ``s`` the surplus at the start of the month
    (:func:`surplus`), which fades by ``fade`` (``trust.decay``, the pace at which trust without
    contact drifts down) in a month without a meeting; ``push`` = ``min(lift x talks, 1)`` the
    share of the gap a month of mediated talks closes (``trust.mediation_lift``), toward 1, not
    toward the cultural bound: at a neutral table the delegates build working trust in each
    other's seriousness (Kelman 2005), which their communities' culture does not cap there.
    """
    met = np.asarray(mediated, dtype=np.float64)
    held = communities + kept_surplus * (1.0 - fade * (1.0 - met))
    return np.clip(held + push * np.maximum(1.0 - held, 0.0), 0.0, 1.0)


def transfer(
    communities: np.ndarray,
    delegates: np.ndarray,
    bound: np.ndarray | float,
    horizontal: np.ndarray,
    rate: Coefficient,
) -> np.ndarray:
    """The communities' trust after the re-entry transfer, in [0, 1]:

        T <- T + rate [horizontal] max(min(G, M) - T, 0)

    ``M`` (``bound``) the trust the communities' culture allows talks to build
    (``trust.mediation_ceiling``), ``horizontal`` whether the tie joins two middle-range actors
    across a divide (Lederach's horizontal integration: the middle range carries what it built
    down to its own grassroots and across to the other's). Only gains: delegates who trust each
    other less than their communities do take nothing from them. ``rate`` is
    ``delegates.transfer`` (per month)."""
    room = np.maximum(np.minimum(delegates, bound) - communities, 0.0)
    return np.clip(communities + rate * np.where(horizontal, room, 0.0), 0.0, 1.0)


def leadership_kept(
    delegates: np.ndarray, communities_before: np.ndarray, communities_after: np.ndarray,
    survival: Coefficient,
) -> np.ndarray:  # fmt: skip
    """The delegates' trust after a new leadership: ``T_after + survival x s``, the surplus
    ``s`` (:func:`surplus`) kept by the same share as the communities' trust above its floor
    (``trust.leadership_survival``): the new leaders keep part of what their predecessors'
    delegates built."""
    return np.clip(communities_after + survival * surplus(delegates, communities_before), 0.0, 1.0)
