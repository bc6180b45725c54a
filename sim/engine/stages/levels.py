"""Stage 8, levels: Lederach's horizontal and vertical integration and the spill-up of
cross-border trust into national hostility (MODEL.md 5.7; rules.lederach)."""

from __future__ import annotations

import numpy as np

from sim.engine.coefficients import Coefficients
from sim.engine.month import Month
from sim.engine.state import State
from sim.engine.world import World
from sim.rules import group_sum, lederach


def update_levels(world: World, state: State, co: Coefficients, month: Month) -> None:
    """Spill-up into hostility, and this month's integration measures into ``month``."""
    trust, lp, k = state.ties.trust, co.lederach, world.n_countries
    r = trust.shape[0]
    # Mean trust of cross-divide, cross-border ties by unordered country pair.
    pair_total = group_sum(np.take(trust, world.lederach_ties, axis=1), world.lederach_pair, k * k)
    pair_total = pair_total.reshape(r, k, k)
    pair_total = pair_total + pair_total.swapaxes(-1, -2)
    count = world.lederach_count
    pair_mean = np.divide(pair_total, count, out=np.zeros_like(pair_total), where=count > 0)
    state.countries.hostility = lederach.spill_up(
        state.countries.hostility,
        pair_mean,
        count > 0,
        lp.spill_up[..., None],
        lp.spill_up_threshold[..., None],
    )
    # A city is linked up when one of its ties up works.
    working = np.take(trust, world.up_ties, axis=1) >= lp.working_tie
    linked_up = group_sum(working, world.ties.src[world.up_ties], world.n_cities) > 0
    month.horizontal = lederach.horizontal_integration(
        np.take(trust, world.horizontal_ties, axis=1)
    )
    month.vertical = lederach.vertical_integration(
        linked_up, state.cities.participation, lp.participation_min
    )
