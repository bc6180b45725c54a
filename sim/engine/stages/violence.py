"""Stage 7, violence and peace: the Galtung update of every city (MODEL.md 5.6;
rules.galtung), with what aid's effect stocks do to its targets (rules.money), capacity's damage
and recovery (rules.recovery) and people's flight and return (rules.displacement)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sim.engine.coefficients import Coefficients
from sim.engine.kernels import violence as violence_loops
from sim.engine.month import Month
from sim.engine.random_streams import RandomStreams
from sim.engine.state import State
from sim.engine.world import World
from sim.rules import (
    DEV,
    HUM,
    PEACE,
    displacement,
    fused,
    galtung,
    group_sum,
    money,
    recovery,
    trust,
)


def cross_trust_per_city(
    world: World, state: State, co: Coefficients, hostility: np.ndarray | None = None
) -> np.ndarray:
    """(R, N) mean trust of each city's cross-divide ties (both ends count).

    A city without any has had no contact across the divide: it reads what culture and the
    states allow without contact, anchored at its encoded start (:func:`lonely_trust`), not
    the trust other cities' ties build (ODD 7.6; issue 15, branch mediation3). ``hostility``
    is each city's country's highest hostility (R, N), read from the state when None.
    """
    ties, n = state.ties.trust, world.n_cities
    total = group_sum(np.take(ties, world.city_cross_rows, axis=1), world.city_cross_ends, n)
    count = world.city_cross_count
    if count.all():
        return total / count
    if hostility is None:
        hostility = city_hostility(world, state.countries.hostility)
    lonely = lonely_trust(state.cities.C, hostility, state.cities.lonely_start, co.trust.baseline)
    return np.divide(total, count, out=lonely, where=count > 0)


def lonely_trust(
    cultural: np.ndarray, hostility: np.ndarray, start: np.ndarray, b0: np.ndarray
) -> np.ndarray:
    """(R, N) the cross-divide trust of a city without a cross-divide tie of its own:
    ``start + trust.baseline(C, C, h)`` in [0, 1], ``start`` its encoded trust minus the
    baseline at its encoded C and hostility (``Cities.lonely_start``). As a tie's no-contact
    floor (``trust.floor``), it moves only as the city's own cultural violence and its
    country's hostility move the baseline: no contact, no transfer from other towns' talks
    (Mousa 2020; Schroeder and Risen 2016)."""
    return np.clip(start + trust.baseline(cultural, cultural, hostility, b0), 0.0, 1.0)


def city_hostility(world: World, hostility: np.ndarray) -> np.ndarray:
    """(R, N) each city's country's highest hostility (0 in a world without countries)."""
    if not world.n_countries:
        return np.zeros((hostility.shape[0], world.n_cities))
    return np.take(hostility.max(axis=-1), world.city_country, axis=1)


def update_cities(
    world: World,
    state: State,
    co: Coefficients,
    month: Month,
    streams: Sequence[RandomStreams],
) -> None:
    """D, S, C, needs, capacity, displacement and cohesion of every city."""
    c, g, n = state.cities, co.galtung, world.n_cities
    hostility = city_hostility(world, state.countries.hostility)  # its country's highest
    cross = cross_trust_per_city(world, state, co, hostility)
    # Small monthly shocks: standard normals scaled by the noise level, for D, S and C, from
    # the replicate's own noise stream (a fixed (3, n) a month: the same shocks under any policy).
    noise = np.zeros((len(streams), 3, n))
    for r, noisy in enumerate((g.noise[:, 0] > 0).tolist()):
        if noisy:
            streams[r].noise.standard_normal(out=noise[r])
    noise *= g.noise[..., None]
    # After the first month (which sets the anchors), a large world's cities move in compiled
    # loops of the same arithmetic (sim.engine.kernels.violence; identical results).
    if month.step > 0 and fused.wanted(c.D.size):
        _moving_target(world, c, month)
        terms = (c.displaced_share, hostility, cross, month.horizontal_city, month.multiplier)
        violence_loops.update(c, co, noise, terms, world.city_isolated)
    else:
        _update_plain(world, c, co, month, hostility, cross, noise)
    month.cross_trust_city, month.hostility_city = cross, hostility


def _update_plain(
    world: World,
    c: object,
    co: Coefficients,
    month: Month,
    hostility: np.ndarray,
    cross: np.ndarray,
    noise: np.ndarray,
) -> None:
    """:func:`update_cities` in numpy: the rules' equations as written (ODD 7.6, 7.7)."""
    g = co.galtung
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
    _moving_target(world, c, month)
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


def _moving_target(world: World, c: object, month: Month) -> None:
    """Steady states that move: this month's gap target K* of their cities (branch growth)."""
    if world.steady_path is not None:
        path = world.steady_path
        level, slope = path.at(month.step)
        c.capacity_target[:, path.cities] = recovery.moving_target(
            level, slope, c.steady_gain[:, path.cities], c.steady_pace[:, path.cities]
        )


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
