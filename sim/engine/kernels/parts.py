"""Stage 4's parts taken, in loops over the offers (``sim.engine.stages.proposals``).

The numpy form: on the ties with an offer, ``proposals.parts_taken(prob, draw, items)``
(``p = clip(prob, 0, 1)``, the binomial CDF built part by part from ``P(K = 0) = (1 - p)^items``
with the odds ``p / (1 - p)``, up to the target ``1 - draw``; all parts where ``p`` is 1),
then ``taken = parts / items``, accepted where a part was taken, declined where an offer had
none. :func:`parts` gathers the offers' ``1 - p``, odds and target in one loop, lets numpy take
the power ``(1 - p)^items`` (its SIMD ``**`` can differ from libm's in the last bit), and
counts and scatters in a second loop, the count as ``sim.rules.fused``'s. Identical results
(``tests/test_kernels.py``).
"""

from __future__ import annotations

import numpy as np

from sim.engine.kernels import compiled


def _prepare_loop(prob, draws, has_offer, q, odds, target):  # noqa: ANN001, ANN202
    r_count, e_count = has_offer.shape
    i = 0
    for r in range(r_count):
        for e in range(e_count):
            if has_offer[r, e]:
                x = prob[r, e]
                p = 0.0 if x < 0.0 else (1.0 if x > 1.0 else x)  # np.clip (NaN stays NaN)
                qi = 1.0 - p
                q[i] = qi
                odds[i] = p / qi if qi > 0 else 0.0
                target[i] = 1.0 - draws[r, e]
                i += 1


def _count_loop(  # noqa: ANN202, PLR0913 - numba loop
    has_offer, pmf0, q, odds, target, items, parts, taken, accepted, declined
):  # fmt: skip
    r_count, e_count = has_offer.shape
    i = 0
    for r in range(r_count):
        n = items[r]
        for e in range(e_count):
            k = 0
            if has_offer[r, e]:
                if q[i] <= 0:  # certain acceptance takes everything
                    k = n
                else:
                    pmf = pmf0[i]
                    cdf = pmf
                    for j in range(n):
                        if not cdf < target[i]:  # the CDF only grows: no more parts
                            break
                        k += 1
                        pmf = pmf * (odds[i] * ((n - j) / (j + 1)))
                        cdf = cdf + pmf
                i += 1
            parts[r, e] = k
            taken[r, e] = k / items[r]
            accepted[r, e] = k > 0
            declined[r, e] = has_offer[r, e] and k == 0


_prepare_kernel = compiled(_prepare_loop)
_count_kernel = compiled(_count_loop)


def parts(
    prob: np.ndarray, draws: np.ndarray, has_offer: np.ndarray, items: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """((R, E) parts taken, share taken, accepted, declined); ``items`` (R,) whole parts per
    offer of each replicate."""
    r, e = has_offer.shape
    offers = int(np.count_nonzero(has_offer))
    q, odds, target = np.empty(offers), np.empty(offers), np.empty(offers)
    _prepare_kernel()(prob, draws, has_offer, q, odds, target)
    items = np.ascontiguousarray(items, dtype=np.int64)
    # The power as parts_taken takes it: one whole number for the batch stays a number.
    each = (
        np.asarray(int(items[0]))
        if (items == items[0]).all()
        else np.repeat(items, np.count_nonzero(has_offer, axis=1))
    )
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        pmf0 = q**each  # P(K = 0)
    out_parts = np.empty((r, e), dtype=np.int64)
    taken = np.empty((r, e))
    accepted, declined = np.empty((r, e), dtype=bool), np.empty((r, e), dtype=bool)
    _count_kernel()(has_offer, pmf0, q, odds, target, items, out_parts, taken, accepted, declined)
    return out_parts, taken, accepted, declined
