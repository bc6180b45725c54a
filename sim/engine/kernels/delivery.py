"""Stage 5a's per-tie work in two loops over the ties (``sim.engine.stages.delivery``).

The numpy form: ``flows = offer x taken`` and their sums per recipient (all money, and money
from careless providers, ``carefree x`` the flow's total); the share of the offer delivered as
peace work; peace work's trust gain ``nexus.peace_work_trust`` with the dose
``money.dose(offer[PEACE] x taken, people)``; the gained trust and the working ties from
middle-range providers summed per recipient. :func:`flows` is the first pair of loops, up to
the argument of ``saturation``'s ``expm1`` (which numpy computes: its SIMD ``expm1`` can differ
from libm's in the last bit); :func:`peace_trust` the second. The per-tie values are computed on
numba's threads; each sum then adds its terms in tie order from zero, serially, as
``np.bincount`` does: identical results for any number of threads (``tests/test_kernels.py``).
"""

from __future__ import annotations

import numpy as np

from sim.engine.kernels import BLOCK, compiled, per_replicate, prange

EUR_PER_UNIT_YEAR = 12_000.0  # rules.money.EUR_PER_UNIT_YEAR


def _flows_loop(  # noqa: ANN202, PLR0913 - numba loop
    offer, offer_total, taken, dst, carefree, people, x_half,
    flows, peace_delivered, exponent,
):  # fmt: skip
    r_count, e_count = offer_total.shape
    size = r_count * e_count
    for blk in prange((size + BLOCK - 1) // BLOCK):
        r, e = divmod(blk * BLOCK, e_count)
        for _ in range(min(BLOCK, size - blk * BLOCK)):
            share = taken[r, e]
            flows[0, r, e] = offer[0, r, e] * share
            flows[1, r, e] = offer[1, r, e] * share
            flows[2, r, e] = offer[2, r, e] * share
            total = offer_total[r, e]
            peace = offer[2, r, e]
            peace_delivered[r, e] = (peace / total if total > 0 else 0.0) * share
            dose = peace * share * EUR_PER_UNIT_YEAR / max(people[r, e], 1.0)
            exponent[r, e] = -max(dose, 0.0) / x_half[r]
            r, e = (r + 1, 0) if e + 1 == e_count else (r, e + 1)


def _received_loop(flows, dst, carefree, received, careless):  # noqa: ANN001, ANN202
    r_count, e_count = flows.shape[1:]
    for r in range(r_count):  # serial: each sum adds its terms in tie order
        for e in range(e_count):
            d = dst[e]
            f0, f1, f2 = flows[0, r, e], flows[1, r, e], flows[2, r, e]
            received[0, r, d] += f0
            received[1, r, d] += f1
            received[2, r, d] += f2
            careless[r, d] += ((f0 + f1) + f2) * carefree[e]


def _peace_trust_loop(  # noqa: ANN202, PLR0913 - numba loop
    trust, expm1, gain, multiplier, dst, after
):  # fmt: skip
    r_count, e_count = trust.shape
    size = r_count * e_count
    for blk in prange((size + BLOCK - 1) // BLOCK):
        r, e = divmod(blk * BLOCK, e_count)
        for _ in range(min(BLOCK, size - blk * BLOCK)):
            reached = -expm1[r, e] * gain[r] * multiplier[r, dst[e]]
            before = trust[r, e]
            after[r, e] = (1.0 - before) * min(reached, 1.0) + before
            r, e = (r + 1, 0) if e + 1 == e_count else (r, e + 1)


def _gained_loop(trust, after, dst, middle_src, has_offer, gained, working):  # noqa: ANN001, ANN202
    r_count, e_count = trust.shape
    for r in range(r_count):  # serial: each sum adds its terms in tie order
        for e in range(e_count):
            d = dst[e]
            middle = 1.0 if middle_src[e] else 0.0
            gained[r, d] += (after[r, e] - trust[r, e]) * middle
            working[r, d] += 1.0 if has_offer[r, e] and middle_src[e] else 0.0


_flows_kernel = compiled(_flows_loop, parallel=True)
_received_kernel = compiled(_received_loop)
_peace_trust_kernel = compiled(_peace_trust_loop, parallel=True)
_gained_kernel = compiled(_gained_loop)


def flows(
    offer: np.ndarray,
    offer_total: np.ndarray,
    taken: np.ndarray,
    dst: np.ndarray,
    carefree: np.ndarray,
    people: np.ndarray,
    x_half: np.ndarray | float,
    n_actors: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """((3, R, E) flows, (3, R, A) money received, (R, A) money from careless providers,
    (R, E) share of the offer delivered as peace work, (R, E) ``-max(peace dose, 0) /
    x_half``: the argument of peace work's saturation); ``people`` (R, E) are the people
    each tie's offer serves."""
    _, r, e = offer.shape
    out_flows, peace_delivered, exponent = np.empty(offer.shape), np.empty((r, e)), np.empty((r, e))
    received, careless = np.zeros((3, r, n_actors)), np.zeros((r, n_actors))
    _flows_kernel()(
        offer, offer_total, taken, dst, carefree, people, per_replicate(x_half, r),
        out_flows, peace_delivered, exponent,
    )  # fmt: skip
    _received_kernel()(out_flows, dst, carefree, received, careless)
    return out_flows, received, careless, peace_delivered, exponent


def peace_trust(
    trust: np.ndarray,
    expm1: np.ndarray,
    gain: np.ndarray | float,
    multiplier: np.ndarray,
    dst: np.ndarray,
    middle_src: np.ndarray,
    has_offer: np.ndarray,
    n_actors: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """((R, E) trust after peace work, (R, A) its gain summed per recipient over ties from
    middle-range providers, (R, A) their ties with an offer); ``expm1`` is ``np.expm1`` of
    :func:`flows`' exponent, ``multiplier`` (R, A) the recipient's nexus multiplier."""
    r, e = trust.shape
    after = np.empty((r, e))
    gained, working = np.zeros((r, n_actors)), np.zeros((r, n_actors))
    _peace_trust_kernel()(trust, expm1, per_replicate(gain, r), multiplier, dst, after)
    _gained_kernel()(trust, after, dst, middle_src, has_offer, gained, working)
    return after, gained, working
