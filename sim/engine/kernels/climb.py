"""Stage 6b, the cooperation ladder, in one loop over the ladder's ties
(``sim.engine.stages.ladder``).

The numpy form, per city-city tie: the joint outcome ``max(peace delivered, completed,
delivered on the reverse tie)`` (``ladder.joint_outcome``), the mutual benefit's moving
average (``ladder.mutual_benefit``) and the stage's climb or fall (``ladder.advance``), written
back into the tie state. Same operations, same order: identical results
(``tests/test_kernels.py``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.engine.kernels import compiled, per_replicate

TOP = 3  # political alliance (rules.ladder.TOP)


def _climb_loop(  # noqa: ANN202, PLR0913 - numba loop
    rows, reverse, has_reverse, peace_delivered, completed, taken, trust, on, rate,
    climb_trust, trust_step, climb_benefit, fall_benefit, climb_months, fall_months,
    benefit, stage, months_up, months_down,
):  # fmt: skip
    r_count = trust.shape[0]
    for r in range(r_count):
        for i in range(rows.size):
            e = rows[i]
            back = taken[r, reverse[i]] if has_reverse[i] else 0.0
            joint = peace_delivered[r, e]
            done = 1.0 if completed[r, e] else 0.0
            joint = joint if joint >= done else done
            joint = joint if joint >= back else back
            b = benefit[r, e]
            b = b + rate[r] * (joint - b)
            s = stage[r, e]
            needed = climb_trust[r] + s * trust_step[r]
            climbing = on[r] and s < TOP and b >= climb_benefit[r] and trust[r, e] >= needed
            up_months = months_up[r, e] + 1 if climbing else 0
            lacking = on[r] and b < fall_benefit[r]
            down_months = months_down[r, e] + 1 if lacking else 0
            up = up_months >= climb_months[r]
            down = down_months >= fall_months[r] and s > 0
            benefit[r, e] = b
            stage[r, e] = s + (1 if up else 0) - (1 if down else 0)
            months_up[r, e] = 0 if up or down else up_months
            months_down[r, e] = 0 if up or down else down_months


_climb_kernel = compiled(_climb_loop)


def climb(groups: Any, ties: Any, month: Any, on: np.ndarray, lp: Any) -> None:
    """One month of the ladder on ``groups.ladder_ties``, into ``ties`` (a TieState) in place;
    ``on`` (R, 1) is the ladder switch, ``lp`` the LadderParams."""
    r = ties.trust.shape[0]
    _climb_kernel()(
        groups.ladder_ties, groups.ladder_reverse, groups.ladder_has_reverse,
        month.peace_delivered, month.completed, month.taken, ties.trust,
        np.ascontiguousarray(np.broadcast_to(on, (r, 1))[:, 0]),
        *(per_replicate(c, r) for c in (
            lp.benefit_memory, lp.climb_trust, lp.trust_step, lp.climb_benefit,
            lp.fall_benefit, lp.climb_months, lp.fall_months,
        )),
        ties.benefit, ties.stage, ties.months_up, ties.months_down,
    )  # fmt: skip
