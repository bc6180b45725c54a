"""Stage 7's month of every city in loops over the cities (``sim.engine.stages.violence``).

The numpy form (``update_cities`` after the month's noise is drawn): the effect stocks'
responses ``multiplier x money.response``, the Galtung targets ``galtung.targets``, D, D without
the events, S and C relaxed toward them, needs toward ``galtung.needs_target``, the excess
violence ``displacement.excess``, ``recovery.capacity_update`` and ``recovery.destroy``,
``displacement.flows``, ``hosted`` and ``usual``, and cohesion toward
``galtung.cohesion_target``. At 250,000 cities that is about a hundred passes over arrays of
two megabytes each. Here the same operations in the same order run in four loops over the
cities, each stopping where the next value needs a transcendental function: numpy computes
the responses' ``expm1`` and the three sigmoids' ``exp`` (its SIMD versions can differ from
libm's in the last bit; each value depends on its own element alone), and ``1 / (1 + e)``
after it is the sigmoid. Identical results (``tests/test_kernels.py``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.engine.kernels import compiled, per_replicate, per_tie

# The coefficients each loop reads, one (R,) row each, in this order.
TARGETS = (
    "w_DS", "w_DC", "w_DN", "w_Dcoh", "w_DK", "b_D", "w_SD", "w_SN", "w_Sdisp", "w_SK",
    "w_S_dev", "b_S", "w_CD", "w_CH", "w_CT", "w_Ccoh", "w_C_peace", "w_Chor", "b_C",
)  # fmt: skip
RELAX = (
    "rate_D_up",
    "rate_D",
    "rate_S",
    "rate_C",
    "w_ND",
    "w_NS",
    "w_Ndisp",
    "w_NK",
    "w_N_hum",
    "b_N",
)
RECOVERY = (
    "rate", "war_stop", "cohesion_floor", "aid_gain", "damage", "depreciation", "ownership",
    "closed_share",
)  # fmt: skip
DISPLACEMENT = ("outflow", "return_rate", "host_leave", "usual_rate")
COHESION = ("rate_N", "w_cohT", "w_cohD", "w_cohC", "b_coh", "rate_cohesion")


def _response_loop(totals, capacity, a0, x_half, out):  # noqa: ANN001, ANN202 - numba loop
    # money.response up to its expm1: -max(x, 0) / (x_half A(K)), A(K) = a0 + (1 - a0) K
    pillars, r_count, n_count = totals.shape
    for p in range(pillars):
        for r in range(r_count):
            for n in range(n_count):
                a = a0[r] + (1.0 - a0[r]) * capacity[r, n]
                x = totals[p, r, n]
                x = x if x > 0.0 or x != x else 0.0  # np.maximum(x, 0) (-0 and NaN as numpy)
                out[p, r, n] = -x / (x_half[p, r] * a)


def _targets_loop(  # noqa: ANN202, PLR0913 - numba loop
    expm1, capacity, a0, multiplier, D, S, C, needs, share, cohesion, pressure, hostility, cross,
    horizontal, anchor, w, responses, minus_z,
):  # fmt: skip
    r_count, n_count = D.shape
    pressed = 0  # cities whose D without the events has a target of its own
    for r in range(r_count):
        for n in range(n_count):
            k = capacity[r, n]
            a = a0[r] + (1.0 - a0[r]) * k
            m = multiplier[r, n]
            for p in range(3):  # multiplier x A(K) (1 - exp(...))
                responses[p, r, n] = m * (a * -expm1[p, r, n])
            dev, peace = responses[1, r, n], responses[2, r, n]
            coh, nd = cohesion[r, n], needs[r, n]
            z_calm = (
                w[0, r] * S[r, n] + w[1, r] * C[r, n] + w[2, r] * nd - w[3, r] * coh
                - w[4, r] * k - w[5, r]
            )  # fmt: skip
            z_d = z_calm + pressure[r, n]
            z_s = (
                w[6, r] * D[r, n] + w[7, r] * nd + w[8, r] * share[r, n] - w[9, r] * k
                - w[10, r] * dev - w[11, r]
            )  # fmt: skip
            z_c = (
                w[12, r] * D[r, n] + w[13, r] * hostility[r, n] - w[14, r] * cross[r, n]
                - w[15, r] * coh - w[16, r] * peace - w[17, r] * horizontal[r, n] - w[18, r]
            )  # fmt: skip
            a_d = anchor[0, r, n]
            minus_z[0, r, n] = -(z_d + a_d)  # sigmoid's exp(-x)
            minus_z[1, r, n] = -(z_s + anchor[1, r, n])
            minus_z[2, r, n] = -(z_c + anchor[2, r, n])
            minus_z[3, r, n] = -(z_calm + a_d)
            pressed += minus_z[3, r, n] != minus_z[0, r, n]  # (a NaN counts)
    return pressed


def _relax_loop(  # noqa: ANN202, PLR0913 - numba loop
    e, e_calm, D, calm_D, S, C, noise, faster, share, capacity, hum, anchor, w, new, minus_needs
):  # fmt: skip
    r_count, n_count = D.shape
    for r in range(r_count):
        for n in range(n_count):
            d_star = 1.0 / (1.0 + e[0, r, n])
            s_star = 1.0 / (1.0 + e[1, r, n])
            c_star = 1.0 / (1.0 + e[2, r, n])
            d_calm = 1.0 / (1.0 + e_calm[r, n])
            shock = noise[r, 0, n]
            x = D[r, n]
            rate = w[0, r] if d_star > x else w[1, r]  # galtung.escalation_rate
            d = x + rate * (d_star - x) + shock
            d = 0.0 if d < 0.0 else (1.0 if d > 1.0 else d)  # np.clip (NaN stays NaN)
            x = calm_D[r, n]
            rate = w[0, r] if d_calm > x else w[1, r]
            y = x + rate * (d_calm - x) + shock
            new[1, r, n] = 0.0 if y < 0.0 else (1.0 if y > 1.0 else y)
            x = S[r, n]
            s = x + w[2, r] * (s_star - x) + noise[r, 1, n] * w[2, r] / faster[0, r]
            s = 0.0 if s < 0.0 else (1.0 if s > 1.0 else s)
            x = C[r, n]
            y = x + w[3, r] * (c_star - x) + noise[r, 2, n] * w[3, r] / faster[1, r]
            new[3, r, n] = 0.0 if y < 0.0 else (1.0 if y > 1.0 else y)
            new[0, r, n], new[2, r, n] = d, s
            logit = (
                w[4, r] * d + w[5, r] * s + w[6, r] * share[r, n]
                + w[7, r] * (1.0 - capacity[r, n]) - w[8, r] * hum[r, n] - w[9, r]
            )  # fmt: skip
            minus_needs[r, n] = -(logit + anchor[3, r, n])


def _cities_loop(  # noqa: ANN202, PLR0913, PLR0915 - numba loop
    e_needs, needs, D, C, usual, capacity, cohesion, dev, participation, target, closed,
    isolated, stock_dev, population, fled, displaced, cross, anchor, kp, dp, cp, new,
    minus_cohesion,
):  # fmt: skip
    r_count, n_count = D.shape
    for r in range(r_count):
        cohesive_share = 1.0 - kp[2, r]
        stop = kp[1, r] if kp[1, r] > 1e-9 else 1e-9  # np.maximum(war_stop, 1e-9)
        for n in range(n_count):
            x = needs[r, n]
            y = x + cp[0, r] * (1.0 / (1.0 + e_needs[r, n]) - x) + 0.0  # relax without noise
            new[0, r, n] = 0.0 if y < 0.0 else (1.0 if y > 1.0 else y)
            d = D[r, n]
            excess = d - usual[r, n]
            excess = excess if excess > 0.0 or excess != excess else 0.0  # np.maximum
            # recovery.capacity_update
            k = capacity[r, n]
            coh = cohesion[r, n]
            cohesive = kp[2, r] + cohesive_share * coh
            y = 1.0 - excess / stop  # recovery.recovering
            speed = kp[0, r] * (0.0 if y < 0.0 else (1.0 if y > 1.0 else y)) * cohesive
            open_ = (kp[7, r] if closed[n] else 1.0) if isolated else 1.0
            growth = speed * (open_ + kp[3, r] * dev[r, n])
            gap = target[r, n] - k
            growth = growth * (gap if gap > 0.0 or gap != gap else 0.0)
            depreciation = kp[5, r] * (1.0 - kp[6, r] * participation[r, n]) * k
            damage = kp[4, r] * excess * excess * k
            k = k + growth - depreciation - damage
            k = 0.0 if k < 0.0 else (1.0 if k > 1.0 else k)
            new[1, r, n] = k
            for h in range(stock_dev.shape[0]):  # recovery.destroy, in place
                stock_dev[h, r, n] = stock_dev[h, r, n] * (1.0 - kp[4, r] * excess * excess)
            # displacement.flows, hosted and usual
            leaving = dp[0, r] * excess * excess
            leaving = (leaving if leaving < 1.0 or leaving != leaving else 1.0) * population[r, n]
            back = dp[1, r] * (1.0 - excess) * (0.5 + 0.5 * k)
            back = (back if back < 1.0 or back != back else 1.0) * fled[r, n]
            new[2, r, n] = population[r, n] - leaving + back
            new[3, r, n] = fled[r, n] + leaving - back
            new[4, r, n] = displaced[r, n] * (1.0 - dp[2, r] * (1.0 - excess))
            u = usual[r, n]
            new[5, r, n] = u + dp[3, r] * (d - u)
            logit = cp[1, r] * cross[r, n] - cp[2, r] * d - cp[3, r] * C[r, n] + cp[4, r]
            minus_cohesion[r, n] = -(logit + anchor[4, r, n])


def _cohesion_loop(e, cohesion, rate, out):  # noqa: ANN001, ANN202 - numba loop
    r_count, n_count = cohesion.shape
    for r in range(r_count):
        for n in range(n_count):
            x = cohesion[r, n]
            y = x + rate[r] * (1.0 / (1.0 + e[r, n]) - x) + 0.0
            out[r, n] = 0.0 if y < 0.0 else (1.0 if y > 1.0 else y)


_response_kernel = compiled(_response_loop)
_targets_kernel = compiled(_targets_loop)
_relax_kernel = compiled(_relax_loop)
_cities_kernel = compiled(_cities_loop)
_cohesion_kernel = compiled(_cohesion_loop)


def _rows(params: Any, names: tuple[str, ...], r: int) -> np.ndarray:
    """(len(names), R) the coefficients ``names`` of ``params``, one row each."""
    return np.stack([per_replicate(getattr(params, name), r) for name in names])


def update(
    c: Any,
    co: Any,
    noise: np.ndarray,
    city_terms: tuple[np.ndarray, ...],
    closed: np.ndarray | None,
) -> None:
    """Stage 7's month of the cities ``c`` (a ``Cities`` state, updated: D, calm D, S, C, needs,
    capacity, the development stock, population, fled, displaced, usual D and cohesion) as
    ``update_cities``' numpy form does it; ``noise`` (R, 3, N) the month's scaled shocks,
    ``city_terms`` (displaced share, hostility, cross-divide trust, horizontal integration,
    nexus multiplier), each (R, N), and ``closed`` (N,) True where the city's country is
    isolated (None: none is)."""
    g, r, n = co.galtung, *c.D.shape
    share, hostility, cross, horizontal, multiplier = (per_tie(x, r, n) for x in city_terms)
    capacity, a0 = c.capacity, per_replicate(co.money.a0, r)
    mp = co.money
    x_half = np.stack(
        [per_replicate(x, r) for x in (mp.x_half_hum, mp.x_half_dev, mp.x_half_peace)]
    )
    totals = c.stock.sum(axis=1)  # (3, R, N), as stages.violence.responses
    _response_kernel()(totals, capacity, a0, x_half, totals)
    expm1 = np.expm1(totals, out=totals)
    responses, e = np.empty((3, r, n)), np.empty((4, r, n))
    pressed = _targets_kernel()(
        expm1, capacity, a0, multiplier, c.D, c.S, c.C, c.needs, share, c.cohesion, c.pressure,
        hostility, cross, horizontal, c.anchor, _rows(g, TARGETS, r), responses, e,
    )  # fmt: skip
    # Where the month has no events' pressure, D without them has D's own target: the same
    # argument gives the same exp (exp(-0) is exp(0)), so a world without events takes three.
    some = e if pressed else e[:3]
    with np.errstate(over="ignore", under="ignore"):  # as rules.sigmoid
        np.exp(some, out=some)
    rate_d = per_replicate(g.rate_D, r)
    faster = np.stack(
        [np.maximum(np.maximum(rate_d, per_replicate(x, r)), 1e-9) for x in (g.rate_S, g.rate_C)]
    )
    moved, minus_needs = np.empty((4, r, n)), np.empty((r, n))
    _relax_kernel()(
        e, e[3] if pressed else e[0], c.D, c.calm_D, c.S, c.C, noise, faster, share, capacity,
        responses[0], c.anchor, _rows(g, RELAX, r), moved, minus_needs,
    )  # fmt: skip
    c.D, c.calm_D, c.S, c.C = moved
    with np.errstate(over="ignore", under="ignore"):
        e_needs = np.exp(minus_needs, out=minus_needs)
    cities, minus_cohesion = np.empty((6, r, n)), np.empty((r, n))
    isolated = closed is not None
    closed = np.zeros(n, dtype=bool) if closed is None else np.asarray(closed, dtype=bool)
    stock_dev = c.stock[1]  # DEV: destroyed in place, as stock[DEV] = recovery.destroy(...)
    _cities_kernel()(
        e_needs, c.needs, c.D, c.C, c.usual_D, capacity, c.cohesion, responses[1],
        per_tie(c.participation, r, n), per_tie(c.capacity_target, r, n), closed, isolated,
        stock_dev, c.population, c.fled, c.displaced, cross, c.anchor,
        _rows(co.recovery, RECOVERY, r), _rows(co.displacement, DISPLACEMENT, r),
        _rows(g, COHESION, r), cities, minus_cohesion,
    )  # fmt: skip
    c.needs, c.capacity, c.population, c.fled, c.displaced, c.usual_D = cities
    with np.errstate(over="ignore", under="ignore"):
        e_cohesion = np.exp(minus_cohesion, out=minus_cohesion)
    cohesion = np.empty((r, n))
    _cohesion_kernel()(e_cohesion, c.cohesion, per_replicate(g.rate_cohesion, r), cohesion)
    c.cohesion = cohesion
