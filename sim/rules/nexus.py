"""Delivery and the humanitarian-development-peace triple nexus (MODEL.md 5.4; 004:2639-2816).

What aid does to a city acts through its effect stocks (``sim.rules.money``) on the targets of
needs, structural and cultural violence (``sim.rules.galtung``) and on the speed of recovery
(``sim.rules.recovery``). This module holds the rest of the nexus: development projects may
be interrupted, and an interrupted one leaves built what it finished; peace work builds trust
on its tie; a city that receives two or
more pillars within the nexus window gets every response multiplied by
``1 + synergy x coordination``; and aid into a mixed city by a provider with little conflict
sensitivity lowers cohesion: do no harm (004:2700-2712), read on the resources aid hands out
(humanitarian and development money), not on peace work. Money is read as a dose in EUR per
inhabitant per year.
"""

from __future__ import annotations

import numpy as np

from sim.rules import money

Coefficient = float | np.ndarray


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


def hazard_sum(
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
    """The interruption hazard's terms summed, before its multipliers:
    ``base + violence D + gate [closed] + unfunded_h [no money] + low_participation (1 -
    participation)`` (shared by :func:`project_hazard` and :func:`interruption_breach`)."""
    return (
        base
        + violence * direct_violence
        + gate * gate_closed
        + unfunded_h * unfunded
        + low_participation * (1.0 - participation)
    )


def project_hazard(
    direct_violence: np.ndarray,
    gate_closed: np.ndarray,
    unfunded: np.ndarray,
    participation: np.ndarray,
    expertise: np.ndarray | float = 0.0,
    stage: np.ndarray | float = 0.0,
    *,
    base: Coefficient,
    violence: Coefficient,
    gate: Coefficient,
    unfunded_h: Coefficient,
    low_participation: Coefficient,
    expertise_cut: Coefficient = 0.0,
    stage_cut: Coefficient = 0.0,
) -> np.ndarray:
    """Monthly probability that an active project is interrupted.

    ``(base + violence D + gate [closed] + unfunded_h [no money] + low_participation
    (1 - participation)) (1 - expertise_cut expertise) (1 - stage_cut stage / 3)``: an
    experienced provider (004:3663-3669) and an institutionalised tie (a higher ``stage`` of
    the cooperation ladder, 000:1044-1046) see fewer projects fail.
    """
    hazard = hazard_sum(
        direct_violence, gate_closed, unfunded, participation, base=base, violence=violence,
        gate=gate, unfunded_h=unfunded_h, low_participation=low_participation,
    )  # fmt: skip
    hazard = hazard * (1.0 - expertise_cut * expertise) * (1.0 - stage_cut * stage / 3.0)
    return np.clip(hazard, 0.0, 1.0)


def interruption_breach(
    direct_violence: np.ndarray,
    gate_closed: np.ndarray,
    unfunded: np.ndarray,
    participation: np.ndarray,
    refused: np.ndarray,
    owned: np.ndarray,
    *,
    base: Coefficient,
    violence: Coefficient,
    gate: Coefficient,
    unfunded_h: Coefficient,
    low_participation: Coefficient,
) -> np.ndarray:
    """The share of an interrupted project that is a breach by the partners on its tie, in
    [0, 1] (branch breach17, ODD 7.4 and 7.5): of :func:`project_hazard`'s terms (its
    multipliers scale every term alike and cancel), the ones the partners made over their sum,

    ``(low_participation (1 - participation) + unfunded_h [no money] x own) / (base + violence
    D + gate [closed] + unfunded_h [no money] + low_participation (1 - participation))``,

    ``own`` the partners' part of a month without money: 0 where the gate was closed (the
    state shut the channel), ``owned`` (``trust.refusal_owned``) where the recipient refused
    the offer (the rest of that refusal is its state's), 1 where no offer came through an open
    gate (the funder stopped paying). The recipient community's low participation is its own
    part. The base hazard and violence are misfortune, and the state's part is the top level's
    act, which the governance tie already counts for the same month (``trust.top_level_acts``):
    neither is the partner's breach. 0 where every term is 0 (no hazard: nothing interrupted).
    """
    shared = unfunded_h * unfunded
    partner = low_participation * (1.0 - participation)
    own = np.where(gate_closed, 0.0, np.where(refused, owned, 1.0))
    partner = partner + shared * own
    total = hazard_sum(
        direct_violence, gate_closed, unfunded, participation, base=base, violence=violence,
        gate=gate, unfunded_h=unfunded_h, low_participation=low_participation,
    )  # fmt: skip
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.clip(partner / total, 0.0, 1.0)
    return np.where(total > 0, share, 0.0)


def kept_when_interrupted(
    spent: np.ndarray,
    monthly: np.ndarray,
    work_size: Coefficient,
    work_months: Coefficient,
) -> np.ndarray:
    """The value an interrupted project leaves built: what it spent, less the works under way.

    ``spent - min(spent, max(work_size, work_months x monthly))``. A project is a set of works
    (a house, a school, a trauma centre); an interruption stops the works under way, which are
    lost, and leaves the finished ones standing. At least one work is under way (an unfinished
    single building serves nobody), and a large flow has about ``work_months`` months of its
    ``monthly`` money in works under way. So a small project of one work keeps nothing, and a
    reconstruction flow of hundreds of works keeps all but its last few months.
    """
    under_way = np.maximum(work_size, work_months * monthly)
    return spent - np.minimum(spent, under_way)


def peace_work_trust(
    trust: np.ndarray,
    peace_dose: np.ndarray,
    multiplier: np.ndarray,
    ceiling: Coefficient | np.ndarray = 1.0,
    *,
    gain: Coefficient,
    x_half: Coefficient,
) -> np.ndarray:
    """Tie trust after this month's peace and relationship work on it.

    ``trust + min(gain saturation(peace dose) multiplier, 1) max(ceiling - trust, 0)``, the
    gap to the trust delivered outcomes can build (``trust.delivery_ceiling``: what the
    communities' culture allows across a divide, 1 elsewhere; branch deltrust), where ``peace_dose``
    is the peace work delivered on the tie as a dose (EUR per recipient inhabitant per year,
    ``money.dose``) and ``saturation`` is ``1 - exp(-x / x_half)`` (``money.saturation``): a
    little contact builds a little trust, and a tie cannot absorb more than ``gain`` of the gap
    a month however much is spent. Other pillars' money on the same tie does not enter: the
    same visits build the same trust whatever development money joins them.
    """
    reached = money.saturation(peace_dose, x_half) * gain * multiplier
    return np.maximum(ceiling - trust, 0.0) * np.minimum(reached, 1.0) + trust


def do_no_harm(
    cohesion: np.ndarray,
    diversity: np.ndarray,
    aid_dose: np.ndarray,
    insensitivity: np.ndarray,
    harm: Coefficient,
    x_half: Coefficient,
) -> np.ndarray:
    """Cohesion after aid that reaches communities unevenly (``insensitivity`` in [0, 1]).

    ``cohesion (1 - min(harm diversity insensitivity saturation(aid dose), 1))``, the dose in
    EUR per inhabitant per year (``money.saturation``). ``aid_dose`` is the resource transfers
    (humanitarian and development money) and ``insensitivity`` the share of them from providers
    blind to the divide: Anderson's distribution, theft and market effects are effects of the
    resources aid hands out; peace work, which hands out none and works on the divide itself
    (004:2706-2708: the harm is of aid that does not advance peace), does not strain.
    """
    loss = np.minimum(diversity * harm * insensitivity * money.saturation(aid_dose, x_half), 1.0)
    return (1.0 - loss) * cohesion
