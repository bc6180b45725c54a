"""Stage 8, levels: Lederach's horizontal and vertical integration, the spill-up of cross-border
trust into national hostility's slow base, and its violence part, which rises with violence
across a divide above the usual and fades when it ends (MODEL.md 5.7; rules.lederach).

:func:`integration_by_city` gives each city's integration at the start of a month, for the
rules that act on it (gates, acceptance, cultural violence); :func:`update_levels` moves
national hostility at the end of the month and records the model-level integration.
"""

from __future__ import annotations

import numpy as np

from sim.engine.coefficients import Coefficients
from sim.engine.month import Month
from sim.engine.state import State
from sim.engine.world import World
from sim.rules import displacement, group_sum, lederach


def integration_by_city(
    world: World, state: State, co: Coefficients
) -> tuple[np.ndarray, np.ndarray]:
    """((R, N) vertical v_i, (R, N) horizontal h_i) of every city now."""
    trust, n = state.ties.trust, world.n_cities
    # The trust of each city's relationships with the level above, summed at the city end.
    up_total = group_sum(np.take(trust, world.up_ties, axis=1), world.up_ends, n)
    up_count = np.bincount(world.up_ends, minlength=n)
    vertical = lederach.vertical_by_city(up_total, up_count, state.cities.participation)
    g = world.groups
    total = group_sum(np.take(trust, g.horizontal_rows, axis=1), g.horizontal_ends, n)
    return vertical, lederach.horizontal_by_city(total, g.horizontal_count)


def country_vertical(world: World, vertical: np.ndarray) -> np.ndarray:
    """(R, K) mean vertical integration of each country's cities (0 for a country without)."""
    k = world.n_countries
    total = group_sum(vertical, world.city_country, k)
    count = np.bincount(world.city_country, minlength=k)
    return np.divide(total, count, out=np.zeros_like(total), where=count > 0)


def hostility_after_spill_up(
    world: World, state: State, co: Coefficients, hostility: np.ndarray
) -> np.ndarray:
    """(R, K, K) ``hostility`` (the slow base) after trust across the divide spills up
    (Lederach)."""
    trust, lp, k = state.ties.trust, co.lederach, world.n_countries
    r = trust.shape[0]
    # Mean trust of cross-divide, cross-border ties by unordered country pair.
    pair_total = group_sum(np.take(trust, world.lederach_ties, axis=1), world.lederach_pair, k * k)
    pair_total = pair_total.reshape(r, k, k)
    pair_total = pair_total + pair_total.swapaxes(-1, -2)
    count = world.lederach_count
    pair_mean = np.divide(pair_total, count, out=np.zeros_like(pair_total), where=count > 0)
    return lederach.spill_up(
        hostility,
        pair_mean,
        count > 0,
        lp.spill_up[..., None],
        lp.spill_up_threshold[..., None],
    )


def side_excess(world: World, state: State) -> np.ndarray:
    """(R, G) each side's violence that events add: the mean over a side's cities (one
    community's divided cities in one country) of ``X = max(D - D°, 0)``, D° the city's D
    without event pressure (``Cities.calm_D``; ODD 7.7, branch fade2). Not the excess over the
    slow usual level U that flight reads: U lags a slow structural rise of D, which then read
    as violence for years."""
    g, c = world.groups, state.cities
    member = g.violence_group >= 0
    excess = np.compress(member, displacement.excess(c.D, c.calm_D), axis=1)
    by_group = group_sum(excess, g.violence_group[member], g.n_violence_groups)
    cities = g.side_cities
    return np.divide(by_group, cities, out=np.zeros_like(by_group), where=cities > 0)


def pair_excess(world: World, state: State) -> np.ndarray:
    """(R, K, K) violence across a divide between two countries that events add: that of the
    pair's side that suffers most (:func:`side_excess`, ``rules.lederach.divide_violence``)."""
    g, k = world.groups, world.n_countries
    r = state.cities.D.shape[0]
    if not g.pair_rows.size:
        return np.zeros((r, k, k))
    side = side_excess(world, state)
    return lederach.divide_violence(side, g.pair_rows, g.pair_cols, k * k).reshape(r, k, k)


def violence_steps(
    world: World, state: State, co: Coefficients, base: np.ndarray, part: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(R, K, K) (rise, fade) of hostility's violence part this month: the rise toward the
    level the current violence across a divide sets, and the fade of last month's part
    (``rules.lederach.violence_rise``, ``violence_fade``)."""
    lp = co.lederach
    gain, half_life = lp.hostility_violence[..., None], lp.hostility_half_life[..., None]
    excess = pair_excess(world, state)
    rise = lederach.violence_rise(base, excess, world.groups.has_divide, gain, half_life)
    return rise, lederach.violence_fade(part, half_life)


def update_levels(world: World, state: State, co: Coefficients, month: Month) -> None:
    """Spill-up into hostility's slow base and violence into its violence part, and this
    month's integration into ``month``."""
    countries = state.countries
    base, part = lederach.split(countries.hostility, countries.violence_part)
    base = hostility_after_spill_up(world, state, co, base)
    rise, fade = violence_steps(world, state, co, base, part)
    part = lederach.violence_part(part, rise, fade, base)
    countries.hostility, countries.violence_part = base + part, part
    vertical, horizontal = integration_by_city(world, state, co)
    month.horizontal_by_city, month.vertical_by_city = horizontal, vertical
    month.horizontal = lederach.horizontal_integration(horizontal, world.groups.has_horizontal)
    month.vertical = lederach.vertical_integration(vertical)
