"""Stage 5a's per-tie work in two loops over the ties (``sim.engine.stages.delivery``).

The numpy form: ``flows = offer x taken`` and their sums per recipient (all money, and the
resource transfers from careless providers, ``carefree x`` the flow's humanitarian and
development money: do no harm does not read peace work, ODD 7.4); the share of the offer
delivered as peace work; peace work's trust gain ``nexus.peace_work_trust`` with the dose
``money.dose(offer[PEACE] x taken, people)``; the gained trust and the working ties from
middle-range providers summed per recipient. :func:`flows` is the first loop, up to the
argument of ``saturation``'s ``expm1`` (which numpy computes: its SIMD ``expm1`` can differ from
libm's in the last bit); :func:`peace_trust` the second (itself three short loops: the
recipients' multipliers and the ends' ceiling ``trust.delivery_ceiling`` gathered, the trust,
the recipients' sums). Each sum adds its terms in
tie order from zero, as ``np.bincount`` does: identical results (``tests/test_kernels.py``).

The recipients are scattered over megabytes, so adding into a recipient's sums waits on memory:
:func:`flows` adds them in a short second pass over the flows it has written (a short loop
keeps many ties' memory accesses in flight, a long one only a tie or two: measured on a
250,000-city month's inputs, ``experiments/bench/results/month_speed_perf250.md``); so does
:func:`peace_trust`, and it gathers the recipients' multipliers in a short first loop (0.63x
of the loop's time when the gather sat in the long loop: ``results/kernels_perf250b.md``).
"""

from __future__ import annotations

import numpy as np

from sim.engine.kernels import compiled, per_replicate

EUR_PER_UNIT_YEAR = 12_000.0  # rules.money.EUR_PER_UNIT_YEAR


def _flows_loop(  # noqa: ANN202, PLR0913 - numba loop
    offer, offer_total, taken, dst, carefree, people, x_half,
    flows, received, careless, peace_delivered, exponent,
):  # fmt: skip
    r_count, e_count = offer_total.shape
    for r in range(r_count):
        for e in range(e_count):
            share = taken[r, e]
            f0 = offer[0, r, e] * share
            f1 = offer[1, r, e] * share
            f2 = offer[2, r, e] * share
            flows[0, r, e], flows[1, r, e], flows[2, r, e] = f0, f1, f2
            total = offer_total[r, e]
            peace = offer[2, r, e]
            peace_delivered[r, e] = (peace / total if total > 0 else 0.0) * share
            dose = peace * share * EUR_PER_UNIT_YEAR / max(people[r, e], 1.0)
            exponent[r, e] = -max(dose, 0.0) / x_half[r]
    for r in range(r_count):  # each recipient's sums, in tie order
        for e in range(e_count):
            d = dst[e]
            f0, f1, f2 = flows[0, r, e], flows[1, r, e], flows[2, r, e]
            received[0, r, d] += f0
            received[1, r, d] += f1
            received[2, r, d] += f2
            careless[r, d] += (f0 + f1) * carefree[e]  # resource transfers only (ODD 7.4)


def _peace_trust_loop(  # noqa: ANN202, PLR0913 - numba loop
    trust, expm1, gain, multiplier, src, dst, middle_src, has_offer, cultural, cross_divide,
    after, gained, working, scratch, ceiling,
):  # fmt: skip
    r_count, e_count = trust.shape
    for r in range(r_count):
        for e in range(e_count):  # what each tie reads at its ends, in a short loop
            d = dst[e]
            scratch[e] = multiplier[r, d]
            # trust.delivery_ceiling: 1 - mean C of the ends across a divide (culture_room)
            room = 1.0 - 0.5 * (cultural[r, src[e]] + cultural[r, d])
            ceiling[e] = room if cross_divide[e] else 1.0
        for e in range(e_count):
            reached = -expm1[r, e] * gain[r] * scratch[e]
            before = trust[r, e]
            room = ceiling[e] - before  # toward trust.delivery_ceiling, never down
            value = (room if room >= 0.0 else 0.0) * min(reached, 1.0) + before
            after[r, e] = value
            middle = 1.0 if middle_src[e] else 0.0
            scratch[e] = (value - before) * middle  # (the multiplier is read: now the gain)
        for e in range(e_count):  # each recipient's sums, in tie order
            d = dst[e]
            gained[r, d] += scratch[e]
            working[r, d] += 1.0 if has_offer[r, e] and middle_src[e] else 0.0


_flows_kernel = compiled(_flows_loop)
_peace_trust_kernel = compiled(_peace_trust_loop)


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
    """((3, R, E) flows, (3, R, A) money received, (R, A) humanitarian and development money
    from careless providers,
    (R, E) share of the offer delivered as peace work, (R, E) ``-max(peace dose, 0) /
    x_half``: the argument of peace work's saturation); ``people`` (R, E) are the people
    each tie's offer serves."""
    _, r, e = offer.shape
    out_flows, peace_delivered, exponent = np.empty(offer.shape), np.empty((r, e)), np.empty((r, e))
    received, careless = np.zeros((3, r, n_actors)), np.zeros((r, n_actors))
    _flows_kernel()(
        offer, offer_total, taken, dst, carefree, people, per_replicate(x_half, r),
        out_flows, received, careless, peace_delivered, exponent,
    )  # fmt: skip
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
    culture: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """((R, E) trust after peace work, (R, A) its gain summed per recipient over ties from
    middle-range providers, (R, A) their ties with an offer); ``expm1`` is ``np.expm1`` of
    :func:`flows`' exponent, ``multiplier`` (R, A) the recipient's nexus multiplier.
    ``culture`` is (each actor's cultural violence (R, A), the ties' ``src`` (E,), their
    ``cross_divide`` (E,)): the trust delivered outcomes can build on a tie
    (``trust.delivery_ceiling``), computed in the loop, not as an (R, E) array."""
    r, e = trust.shape
    cultural, src, cross_divide = culture
    after = np.empty((r, e))
    gained, working = np.zeros((r, n_actors)), np.zeros((r, n_actors))
    _peace_trust_kernel()(
        trust, expm1, per_replicate(gain, r), multiplier, src, dst, middle_src, has_offer,
        cultural, cross_divide, after, gained, working, np.empty(e), np.empty(e),
    )  # fmt: skip
    return after, gained, working
