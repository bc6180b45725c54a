"""Stage 4's parts taken, in loops over the offers (``sim.engine.stages.proposals``).

The numpy form: on the ties with an offer, ``proposals.parts_taken(prob, draw, items)``
(``p = clip(prob, 0, 1)``, the binomial CDF built part by part from ``P(K = 0) = (1 - p)^items``
with the odds ``p / (1 - p)``, up to the target ``1 - draw``; all parts where ``p`` is 1),
then ``taken = parts / items``, accepted where a part was taken, declined where an offer had
none. :func:`parts` gathers the offers' ``1 - p``, odds and target in one loop, lets numpy take
the power ``(1 - p)^items`` (its SIMD ``**`` can differ from libm's in the last bit), counts
with ``sim.rules.fused.count_parts`` (the one count loop) and scatters in a second loop, which
also spreads the offers' probabilities over the ties (1 where a tie has no offer).
Identical results (``tests/test_kernels.py``).
"""

from __future__ import annotations

import numpy as np

from sim.engine.kernels import compiled
from sim.rules import fused


def _prepare_loop(prob, draws, has_offer, q, odds, target):  # noqa: ANN001, ANN202
    r_count, e_count = has_offer.shape
    i = 0
    for r in range(r_count):
        for e in range(e_count):
            if has_offer[r, e]:
                x = prob[i]
                p = 0.0 if x < 0.0 else (1.0 if x > 1.0 else x)  # np.clip (NaN stays NaN)
                qi = 1.0 - p
                q[i] = qi
                odds[i] = p / qi if qi > 0 else 0.0
                target[i] = 1.0 - draws[r, e]
                i += 1


def _scatter_loop(has_offer, q, counted, items, prob, parts, taken, accepted, declined, every):  # noqa: ANN001, ANN202, PLR0913
    r_count, e_count = has_offer.shape
    i = 0
    for r in range(r_count):
        n = items[r]
        for e in range(e_count):
            k = 0
            p = 1.0  # a tie without an offer: 1 (what the trust stage reads there)
            if has_offer[r, e]:
                k = n if q[i] <= 0 else counted[i]  # certain acceptance takes everything
                p = prob[i]
                i += 1
            every[r, e] = p
            parts[r, e] = k
            taken[r, e] = k / n
            accepted[r, e] = k > 0
            declined[r, e] = has_offer[r, e] and k == 0


_prepare_kernel = compiled(_prepare_loop)
_scatter_kernel = compiled(_scatter_loop)


def parts(
    prob: np.ndarray, draws: np.ndarray, has_offer: np.ndarray, items: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """((R, E) parts taken, share taken, accepted, declined, acceptance probability of every
    tie, 1 where it has no offer); ``prob`` (offers,) the acceptance probability of each offer
    (``has_offer``'s ties in (replicate, tie) order), ``items`` (R,) whole parts per offer of
    each replicate."""
    r, e = has_offer.shape
    per_replicate = np.count_nonzero(has_offer, axis=1)
    offers = int(per_replicate.sum())
    q, odds, target = np.empty(offers), np.empty(offers), np.empty(offers)
    _prepare_kernel()(prob, draws, has_offer, q, odds, target)
    items = np.ascontiguousarray(items, dtype=np.int64)
    each = np.repeat(items, per_replicate)  # the offers' own numbers of parts
    # The power as parts_taken takes it: one whole number for the batch stays a number.
    power = np.asarray(int(items[0])) if (items == items[0]).all() else each
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        pmf0 = q**power  # P(K = 0)
    counted = fused.count_parts(pmf0, odds, target, each)
    out_parts = np.empty((r, e), dtype=np.int64)
    taken = np.empty((r, e))
    accepted, declined = np.empty((r, e), dtype=bool), np.empty((r, e), dtype=bool)
    every = np.empty((r, e))
    _scatter_kernel()(
        has_offer, q, counted, items, prob, out_parts, taken, accepted, declined, every
    )
    return out_parts, taken, accepted, declined, every
