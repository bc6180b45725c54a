"""Stage 7, violence and peace: the Galtung update of every city (MODEL.md 5.6;
rules.galtung)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sim.engine.coefficients import Coefficients
from sim.engine.month import Month
from sim.engine.state import State
from sim.engine.world import World
from sim.rules import HUM, average, galtung, group_sum, nexus


def cross_trust_per_city(world: World, state: State, co: Coefficients) -> np.ndarray:
    """(R, N) mean trust of each city's cross-divide ties (both ends count).

    A city without any takes the mean over every cross-divide tie (each counted at both ends),
    or the trust baseline where no tie spans a divide at all.
    """
    trust, n = state.ties.trust, world.n_cities
    total = group_sum(np.take(trust, world.city_cross_rows, axis=1), world.city_cross_ends, n)
    fallback = np.broadcast_to(co.trust.baseline, total.shape)
    if world.cross.size:
        cross = np.take(trust, world.cross, axis=1)
        both_ends = np.concatenate([cross, cross], axis=1)
        fallback = np.broadcast_to(average(both_ends)[:, None], total.shape)
    count = world.city_cross_count
    return np.divide(total, count, out=fallback.copy(), where=count > 0)


def update_cities(
    world: World,
    state: State,
    co: Coefficients,
    month: Month,
    rngs: Sequence[np.random.Generator],
) -> None:
    """D, S, C, needs, capacity, displacement and cohesion of every city."""
    c, g, n = state.cities, co.galtung, world.n_cities
    hostility = np.zeros(c.D.shape)
    if world.n_countries:  # a city feels its country's highest hostility
        hostility = np.take(state.countries.hostility.max(axis=-1), world.city_country, axis=1)
    cross = cross_trust_per_city(world, state, co)
    share = c.displaced_share
    d_star, s_star, c_star = galtung.targets(
        c.D, c.S, c.C, c.needs, share, c.capacity, c.cohesion, c.pressure, hostility, cross, g
    )
    # Small monthly shocks: standard normals scaled by the noise level, for D, S and C.
    noise = np.zeros((len(rngs), 3, n))
    for r, noisy in enumerate((g.noise[:, 0] > 0).tolist()):
        if noisy:
            rngs[r].standard_normal(out=noise[r])
    noise *= g.noise[..., None]
    c.D = galtung.relax(c.D, d_star, g.rate_D, noise[:, 0])
    # S and C move slower, and so does their noise.
    fastest = np.maximum(g.rate_D, 1e-9)
    c.S = galtung.relax(c.S, s_star, g.rate_S, noise[:, 1] * g.rate_S / fastest)
    c.C = galtung.relax(c.C, c_star, g.rate_C, noise[:, 2] * g.rate_C / fastest)
    felt = nexus.felt_dependency(c.dependency, c.received[HUM])
    c.needs = galtung.relax(c.needs, galtung.needs_target(c.D, c.S, share, felt, g), g.rate_N, 0.0)
    c.capacity = galtung.capacity_decay(c.capacity, c.participation, g.capacity_decay, g.ownership)
    c.displaced = c.displaced * (1.0 - g.return_rate * (1.0 - c.D))
    c.cohesion = galtung.relax(
        c.cohesion, galtung.cohesion_target(cross, c.D, c.C, g), g.rate_cohesion, 0.0
    )
    month.cross_trust_city, month.hostility_city = cross, hostility
