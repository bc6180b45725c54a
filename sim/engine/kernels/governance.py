"""Stage 6's governance ties: the top level's acts at each cross-border carrying tie in one loop
(``sim.engine.stages.governance``).

The numpy form (``governance._acts``) gathers about ten (R, B) arrays at the B cross-border
carrying ties (the offers, the share taken, completed projects, the acceptance probability,
the open channels, the country pair's hostility and each end's own permission) and makes some
twenty passes over them: each tie's delivered outcome, its refused share, the recipient's own
part of a refusal (``trust.refusal_owned``, at the refusals across a hostile border), the gate
its own state shut, then ``trust.top_level_acts``' successes and the state's refused share at
either end. Here one loop per replicate reads each tie's values from the full (R, E) arrays and
writes the three results: the same operations in the same order, so the same numbers bit for
bit (``tests/test_kernels.py``). The per-city sums of the results stay ``np.bincount``'s
(``group_sum``): at 900,000 ties into 250,000 cities a compiled loop adding into the cities
was no faster (each end's adds wait on memory either way).

``refusal_owned``'s ``exp(-beta_hostility x hostility)`` depends on the tie only through its
country pair, so numpy computes it once per pair before the loop (as stage 6's trust loop
does): no libm call differs.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from sim.engine.kernels import compiled

CLIP_LOW, CLIP_HIGH = 1e-12, 1.0 - 1e-12  # trust.refusal_owned's clip of the probability


def _acts_loop(  # noqa: ANN202, PLR0913 - numba loop
    border, pair, own_src, own_dst, active, taken, offer, offer_total, completed, has_offer,
    accept_prob, open_, hostility, perm, relief, gate, hostile, own_shut,
    success, refused_src, refused_dst,
):  # fmt: skip
    r_count = taken.shape[0]
    for r in range(r_count):
        for i in range(border.size):
            e = border[i]
            tk = taken[r, e]
            h = hostility[r, pair[i]] if hostile else 0.0
            total = offer_total[r, e]
            worth = offer[0, r, e] + offer[2, r, e]
            outcome = worth / total if total > 0 else 0.0
            delivered = outcome * tk + (1.0 if completed[r, e] else 0.0)
            refused = (1.0 - tk) * (1.0 if has_offer[r, e] else 0.0)
            owned = 1.0
            if refused > 0 and h > 0:  # trust.refusal_owned, where it is read
                prob = accept_prob[r, e]
                p = prob  # np.clip's order: a NaN stays NaN, as there
                p = CLIP_LOW if p < CLIP_LOW else p
                p = CLIP_HIGH if p > CLIP_HIGH else p
                free = 1.0 / (1.0 + (1.0 - p) / p * relief[r, pair[i]])
                if prob < 1.0:
                    owned = (1.0 - free) / (1.0 - p)
                    owned = 0.0 if owned < 0.0 else owned
                    owned = 1.0 if owned > 1.0 else owned
            shut_src = shut_dst = False
            if own_shut:  # a gate shut on every pillar, and the end's own state shut it
                closed = active[r, e] and not (open_[0, r, e] or open_[1, r, e] or open_[2, r, e])
                shut_src = closed and perm[r, own_src[i]] < gate
                shut_dst = closed and perm[r, own_dst[i]] < gate
            success[r, i] = delivered * h
            refused_src[r, i] = 1.0 if shut_src else 0.0
            refused_dst[r, i] = 1.0 if shut_dst else refused * (1.0 - owned)


_acts_kernel = compiled(_acts_loop)


def acts(
    lay: SimpleNamespace,
    month: object,
    active: np.ndarray,
    pairs: tuple[np.ndarray, np.ndarray],
    beta_hostility: np.ndarray | float,
    gate: int,
    flags: tuple[bool, bool],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(R, B) at the cross-border carrying ties ``lay.border``: the top level's successes,
    and the state's refused share at the provider's and at the recipient's end, as
    ``stages.governance._acts`` gives them. ``pairs`` are the hostility and the permission per
    country pair (R, K x K); ``flags`` say whether any of the border's pairs is hostile (else
    the hostility read is 0) and whether any city's own permission is closed (else no gate
    is its own state's closure)."""
    hostility, perm = pairs
    r, b = active.shape[0], lay.border.size
    relief = np.exp(-beta_hostility * hostility)  # trust.refusal_owned's, per country pair
    relief = np.ascontiguousarray(np.broadcast_to(relief, hostility.shape))
    success, refused_src, refused_dst = np.empty((r, b)), np.empty((r, b)), np.empty((r, b))
    _acts_kernel()(
        lay.border, lay.pair, lay.own_src, lay.own_dst, active, month.taken, month.offer,
        month.offer_total, month.completed, month.has_offer,
        np.ascontiguousarray(np.broadcast_to(month.accept_prob, active.shape)), month.open,
        hostility, perm, relief, gate, flags[0], flags[1], success, refused_src, refused_dst,
    )  # fmt: skip
    return success, refused_src, refused_dst
