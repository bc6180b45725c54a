"""Stage 7, violence and peace: the Galtung update of every city (MODEL.md 5.6;
rules.galtung), with what aid's effect stocks do to its targets (rules.money), capacity's damage
and recovery (rules.recovery) and people's flight and return (rules.displacement)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sim.engine.coefficients import Coefficients
from sim.engine.month import Month
from sim.engine.random_streams import RandomStreams
from sim.engine.state import State
from sim.engine.world import World
from sim.rules import (
    DEV,
    HUM,
    PEACE,
    average,
    displacement,
    galtung,
    group_sum,
    money,
    recovery,
)


def cross_trust_per_city(world: World, state: State, co: Coefficients) -> np.ndarray:
    """(R, N) mean trust of each city's cross-divide ties (both ends count).

    A city without any takes the mean over every cross-divide tie of its world (each counted at
    both ends; in a union of worlds, ``sim.engine.union``, of its own block), or the trust
    baseline where no tie spans a divide at all.
    """
    trust, n = state.ties.trust, world.n_cities
    total = group_sum(np.take(trust, world.city_cross_rows, axis=1), world.city_cross_ends, n)
    fallback = np.broadcast_to(co.trust.baseline, total.shape)
    if world.cross.size:
        cross = np.take(trust, world.cross, axis=1)
        both_ends = np.concatenate([cross, cross], axis=1)
        fallback = np.broadcast_to(average(both_ends)[:, None], total.shape)
        if world.blocks is not None:  # a union of worlds: each block's own mean (ODD 3)
            fallback = _block_means(world, cross, co.trust.baseline, total.shape)
    count = world.city_cross_count
    return np.divide(total, count, out=fallback.copy(), where=count > 0)


def _block_means(
    world: World, cross: np.ndarray, baseline: np.ndarray, shape: tuple[int, ...]
) -> np.ndarray:
    """(R, N) the fallback of a union of worlds (``sim.engine.union``): each city the mean
    over its own block's cross-divide ties, as in its world alone (the baseline without any)."""
    out = np.broadcast_to(baseline, shape).copy()
    owner = world.blocks.tie_block[world.cross]  # block-ordered: each block one run
    for b in np.unique(owner).tolist():
        mine = cross[:, owner == b]
        out[:, world.blocks.city_block == b] = average(np.concatenate([mine, mine], axis=1))[
            :, None
        ]
    return out


def update_cities(
    world: World,
    state: State,
    co: Coefficients,
    month: Month,
    streams: Sequence[RandomStreams],
) -> None:
    """D, S, C, needs, capacity, displacement and cohesion of every city."""
    c, g, n = state.cities, co.galtung, world.n_cities
    hostility = np.zeros(c.D.shape)
    if world.n_countries:  # a city feels its country's highest hostility
        hostility = np.take(state.countries.hostility.max(axis=-1), world.city_country, axis=1)
    cross = cross_trust_per_city(world, state, co)
    share = c.displaced_share
    # Aid acts through the responses of the effect stocks, times the nexus multiplier.
    hum_r, dev_r, peace_r = responses(c, co, month.multiplier)
    terms = (
        c.D, c.S, c.C, c.needs, share, c.capacity, c.cohesion, c.pressure, hostility, cross,
        month.horizontal_city, dev_r, peace_r,
    )  # fmt: skip
    if month.step == 0:  # what persists of the encoded start (rules.galtung.anchors)
        # The encoded cohesion, not the one this month's delivery (stage 5) has already moved:
        # one month of aid is not part of the status quo (ODD 7.6 and 8, branch abc).
        encoded = np.broadcast_to(world.initial_cities["cohesion"], c.cohesion.shape)
        start = (*terms[:6], encoded, *terms[7:])
        c.anchor = start_anchors(c, start, cross, g)
        # The usual violence is what the city's structure sustains without events (the level
        # D's one-sided anchor ebbs toward), not the encoded D: a war under way at the start is
        # a war from the first month, and settling into the city's own level is not one.
        calm = (*start[:7], np.zeros_like(c.pressure), *start[8:])
        c.usual_D = galtung.targets(*calm, c.anchor, g)[0]
        c.calm_D = c.usual_D.copy()  # D without events starts where the structure holds it
    d_star, s_star, c_star, d_calm = galtung.targets(*terms, c.anchor, g)
    # Small monthly shocks: standard normals scaled by the noise level, for D, S and C, from
    # the replicate's own noise stream (a fixed (3, n) a month: the same shocks under any policy).
    noise = np.zeros((len(streams), 3, n))
    for r, noisy in enumerate((g.noise[:, 0] > 0).tolist()):
        if noisy:
            streams[r].noise.standard_normal(out=noise[r])
    noise *= g.noise[..., None]
    c.D = galtung.relax(
        c.D, d_star, galtung.escalation_rate(c.D, d_star, g.rate_D_up, g.rate_D), noise[:, 0]
    )
    # D without the events (ODD 7.7, branch fade2): D's equation, speed and noise toward the
    # target without this month's pressure (d_calm), so a rise the structure drives moves both
    # alike and only the violence events add hardens national hostility (stages.levels).
    c.calm_D = galtung.relax(
        c.calm_D, d_calm, galtung.escalation_rate(c.calm_D, d_calm, g.rate_D_up, g.rate_D),
        noise[:, 0],
    )  # fmt: skip
    # S and C move slower, and so does their noise; never louder than D's, even when a draw
    # makes rate_D the slowest (rate_D 0 used to blow their noise up by 1e9).
    c.S = galtung.relax(c.S, s_star, g.rate_S, noise[:, 1] * g.rate_S / _faster(g.rate_D, g.rate_S))
    c.C = galtung.relax(c.C, c_star, g.rate_C, noise[:, 2] * g.rate_C / _faster(g.rate_D, g.rate_C))
    needs_star = galtung.needs_target(c.D, c.S, share, c.capacity, hum_r, g, c.anchor[3])
    c.needs = galtung.relax(c.needs, needs_star, g.rate_N, 0.0)
    # War is violence above the city's usual level: it stops recovery, destroys capacity and
    # completed assets, and drives people out; everyday violence does none of these.
    E = displacement.excess(c.D, c.usual_D)
    closed = world.city_isolated
    if month.step == 0:  # each city recovers toward its own steady state (rules.recovery)
        # At the encoded cohesion and participation, not the lever-scaled participation or the
        # cohesion this month's delivery (stage 5) has already moved: K_ss is the observed
        # city's fixed point, and a counterfactual with less participation must lose the
        # ownership it removes, not have the target re-solved to balance it (ODD 7.6, 8: abc).
        init = world.initial_cities
        c.capacity_target = recovery.own_steady_state(
            world.steady_capacity(c.capacity),
            init["cohesion"],
            init["participation"],
            co.recovery,
            closed,
        )
        if world.steady_path is not None:
            c.steady_gain, c.steady_pace = recovery.steady_rates(
                c.cohesion, c.participation, co.recovery, closed
            )
    if world.steady_path is not None:  # steady states that move: this month's K* (branch growth)
        path = world.steady_path
        level, slope = path.at(month.step)
        c.capacity_target[:, path.cities] = recovery.moving_target(
            level, slope, c.steady_gain[:, path.cities], c.steady_pace[:, path.cities]
        )
    c.capacity = recovery.capacity_update(
        c.capacity, E, c.cohesion, dev_r, c.participation, co.recovery, closed, c.capacity_target
    )
    c.stock[DEV] = recovery.destroy(c.stock[DEV], E, co.recovery.damage)
    # People flee war and come back when it ebbs.
    dp = co.displacement
    c.population, c.fled = displacement.flows(
        c.population, c.fled, E, c.capacity, dp.outflow, dp.return_rate
    )
    c.displaced = displacement.hosted(c.displaced, E, dp.host_leave)
    c.usual_D = displacement.usual(c.usual_D, c.D, dp.usual_rate)
    c.cohesion = galtung.relax(
        c.cohesion, galtung.cohesion_target(cross, c.D, c.C, g, c.anchor[4]), g.rate_cohesion, 0.0
    )
    month.cross_trust_city, month.hostility_city = cross, hostility


def start_anchors(c: object, terms: tuple, cross: np.ndarray, g: object) -> np.ndarray:
    """(5, R, N) anchors of D, S, C, needs and cohesion from the encoded start: each target's
    logit read at the start without this month's events and aid (no pressure, no effect stocks'
    responses), so that the start is the month's fixed point without them. ``terms`` carry the
    encoded cohesion (index 6), which is also the cohesion anchored."""
    zero = np.zeros_like(c.D)
    calm = (*terms[:7], zero, *terms[8:11], zero, zero)
    logits = [
        *galtung.target_logits(*calm, g)[:3],  # no pressure: z_D is z°_D
        galtung.needs_logit(c.D, c.S, c.displaced_share, c.capacity, zero, g),
        galtung.cohesion_logit(cross, c.D, c.C, g),
    ]
    start = np.stack([c.D, c.S, c.C, c.needs, terms[6]])
    return galtung.anchors(start, np.stack(logits), g.persistence)


def responses(
    c: object, co: Coefficients, multiplier: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(R, N) responses r(Z, K) of the humanitarian, development and peace effect stocks (summed
    over horizons), each times the nexus multiplier (rules.money)."""
    mp = co.money
    totals = c.stock.sum(axis=1)  # (3, R, N)
    return tuple(
        multiplier * money.response(totals[p], c.capacity, x_half, mp.a0)
        for p, x_half in zip(
            (HUM, DEV, PEACE), (mp.x_half_hum, mp.x_half_dev, mp.x_half_peace), strict=True
        )
    )


def _faster(rate_D: np.ndarray | float, rate: np.ndarray | float) -> np.ndarray:
    """The larger of D's rate and ``rate`` (at least 1e-9): what S's and C's noise is scaled by."""
    return np.maximum(np.maximum(rate_D, rate), 1e-9)
