"""Stage 5a's first step: the committed money a closed programme pays its projects under way
this month (rules.funding, ODD 7.2; branch harm17).

A project a programme approved carries its budget to the end (001:5029-5031): once the
programme has closed, a month in which its tie gets no development money is paid from what
the programme committed at approval. Which projects are live, which programmes have closed
(events, stage 1; funding, stage 3) and what share of each tie's development offer was taken
(stage 4) are all known before delivery, so the month's payment is computed once, here, and
both delivery (5a: the tie's delivered flow, the city's money received, do no harm) and the
projects (5b: progress, spending, the unfunded hazard) read the same value from ``month``.
"""

from __future__ import annotations

import numpy as np

from sim.engine.month import Month
from sim.engine.state import State
from sim.engine.world import World
from sim.rules import DEV, funding


def pay_committed(world: World, state: State, month: Month) -> None:
    """Put this month's committed payments into ``month``: ``committed_paid`` (R, E) the money
    paid on each tie, ``committed_programme`` (R, E) the programme that paid it (-1 where
    none); both stay None in a month that pays none (most months: no (R, E) arrays then).

    Only the projects live at the month's start can be paid: a project starting this month
    had some of its offer taken, and its programme is paying (its offer), so it is open."""
    pj = state.projects
    month.committed_paid, month.committed_programme = None, None
    if not state.programmes.funded.shape[-1]:  # no programmes (synthetic worlds): nothing to pay
        return
    live = np.flatnonzero(pj.row >= 0)
    if not live.size:
        return
    programme_of = pj.programme.ravel()[live]
    if not (programme_of >= 0).any():  # only the providers' own projects: committed by nobody
        return
    start, end, _ = world.phase_window(month.step)
    closed = funding.programme_closed(month.step, start, end, state.programmes.funded)
    r_of = live // world.n_ties
    closed_of = closed[r_of, np.maximum(programme_of, 0)]
    offered = month.offer[DEV].ravel()[live]
    taken_share = np.where(offered > 0, month.taken.ravel()[live], 0.0)
    paid = funding.committed_payment(
        taken_share, programme_of, closed_of, pj.committed.ravel()[live]
    )
    if not paid.any():
        return
    month.committed_paid = np.zeros_like(pj.committed)
    month.committed_programme = np.full_like(pj.programme, -1)
    month.committed_paid.ravel()[live] = paid
    month.committed_programme.ravel()[live] = np.where(paid > 0, programme_of, -1)
