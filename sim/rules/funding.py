"""Funding: programmes are paid while they run, are funded and look stable (MODEL.md 5.2).

Programmes end when their money ends, not when they fail (001:5035; 004:3657-3659); a project
a programme approved carries its money to the end (its committed budget), so a programme's end
stops new projects, not the ones under way (001:5029-5031). A funder
with risk tolerance r refuses or suspends a grant while the recipients' mean direct violence,
over its last ``risk_window`` months, is above r: the EU refused MAP over doubts about stability
(004:3173-3183).
"""

from __future__ import annotations

import numpy as np

from sim.rules import group_sum


def recipients_mean_violence(
    direct_violence: np.ndarray, prog_of_row: np.ndarray, city_of_row: np.ndarray, n_prog: int
) -> np.ndarray:
    """(..., P) mean D over each programme's recipient cities (0 for a programme with none).

    ``prog_of_row`` and ``city_of_row`` list the (programme, recipient city) pairs.
    """
    violence = group_sum(direct_violence[..., city_of_row], prog_of_row, n_prog)
    count = np.bincount(prog_of_row, minlength=n_prog)
    return np.divide(violence, count, out=np.zeros_like(violence), where=count > 0)


def remember_violence(recent: np.ndarray, violence: np.ndarray) -> np.ndarray:
    """The window of past months' violence, (..., W, P), newest first: push this month's."""
    return np.concatenate([violence[..., None, :], recent[..., :-1, :]], axis=-2)


def window_mean(recent: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Mean over the newest ``months`` rows of ``recent`` (..., W, P); ``months`` is (..., 1)."""
    partial = np.add.accumulate(recent, axis=-2)  # row k: the sum of the newest k + 1 months
    newest = np.take_along_axis(partial, (np.asarray(months) - 1)[..., None], axis=-2)[..., 0, :]
    return newest / months


def risk_acceptable(recent_violence: np.ndarray, risk_tolerance: np.ndarray) -> np.ndarray:
    """A funder grants only while the recipients' recent mean violence is within its tolerance."""
    return recent_violence <= risk_tolerance


def programme_money(
    step: int,
    start: np.ndarray,
    end: np.ndarray,
    funded: np.ndarray,
    risk_ok: np.ndarray,
    alliance_ok: np.ndarray,
    budget: np.ndarray,
    funding_scale: float | np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(active, money): which programmes pay out this month, and how much each."""
    running = (start <= step) & (step < end)
    active = running & funded & risk_ok & alliance_ok
    return active, np.where(active, budget * funding_scale, 0.0)


def programme_closed(
    step: int, start: np.ndarray, end: np.ndarray, funded: np.ndarray
) -> np.ndarray:
    """(..., P) programmes whose paying window is over: past their (phase's) end, before their
    start, or ended by a ``funding_end`` event. A suspended grant (a funder's refusal over
    violence, an alliance not active) is not closed: the funder holds its money back."""
    return ~((start <= step) & (step < end) & funded)


def committed_share(
    funded_share: np.ndarray, programme: np.ndarray, closed: np.ndarray
) -> np.ndarray:
    """Each live project's share of a month's work paid for: this month's taken share of its
    tie's development offer, or 1 where none arrived because the programme that approved it has
    closed (its committed budget pays the rest of the work; ``programme`` -1: the provider's own
    money, committed by nobody). ``closed`` is each project's programme's
    :func:`programme_closed`, read at ``max(programme, 0)``."""
    carried = (funded_share <= 0.0) & (programme >= 0) & closed
    return np.where(carried, 1.0, funded_share)


def committed_payment(
    taken_share: np.ndarray, programme: np.ndarray, closed: np.ndarray, committed: np.ndarray
) -> np.ndarray:
    """The committed money each live project is paid this month: ``committed`` (its tie's
    development offer in its first month, always > 0) where :func:`committed_share` carries it
    (its programme closed and none of its tie's development money arrived), else 0. Computed
    once a month before delivery (``stages.committed``): delivery counts it as development
    money delivered on the tie, and the projects stage pays the work with the same value."""
    return (committed_share(taken_share, programme, closed) - taken_share) * committed
