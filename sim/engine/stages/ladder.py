"""Stage 6b, the cooperation ladder: mutual benefit and stages of city-city ties (rules.ladder).

Runs after trust, on the ties of the ladder (twinnings and partnerships between two cities);
the stages it sets act from the next month (offer weights, project hazard, trust decay, memory).
"""

from __future__ import annotations

import numpy as np

from sim.engine.coefficients import Coefficients
from sim.engine.kernels import climb as climb_loop
from sim.engine.month import Month
from sim.engine.state import State
from sim.engine.world import World
from sim.rules import fused, ladder


def climb(world: World, state: State, co: Coefficients, month: Month) -> None:
    """One month of mutual benefit and ladder stages on every city-city tie."""
    g, ties, lp = world.groups, state.ties, co.ladder
    rows = g.ladder_ties
    if not rows.size:
        return
    # The same, in one compiled loop, where the month's other stages run theirs: decided by the
    # batch's ties, as they are, so a run that loads the loops anyway does not leave this one
    # out (at 10,000 cities the ladder's 28,930 ties took 0.9 ms a month in numpy).
    if fused.wanted(ties.trust.size):
        climb_loop.climb(g, ties, month, co.switches.ladder, lp)
        return
    back = np.where(g.ladder_has_reverse, np.take(month.taken, g.ladder_reverse, axis=-1), 0.0)
    joint = ladder.joint_outcome(
        np.take(month.peace_delivered, rows, axis=-1),
        np.take(month.completed, rows, axis=-1).astype(np.float64),
        back,
    )
    # (np.take gathers along the tie axis: a row-major result, three times faster than x[:, rows])
    benefit = ladder.mutual_benefit(np.take(ties.benefit, rows, axis=1), joint, lp.benefit_memory)
    on = np.broadcast_to(co.switches.ladder, benefit.shape)
    stage, up, down = ladder.advance(
        np.take(ties.stage, rows, axis=1),
        np.take(ties.months_up, rows, axis=1),
        np.take(ties.months_down, rows, axis=1),
        benefit,
        np.take(ties.trust, rows, axis=1),
        on,
        lp,
    )
    ties.benefit[:, rows] = benefit
    ties.stage[:, rows], ties.months_up[:, rows], ties.months_down[:, rows] = stage, up, down
