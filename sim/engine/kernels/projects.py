"""Stage 5b's small development money in one loop over the ties (``sim.engine.stages.projects``).

The numpy form: on a tie without a live project where no project starts, the development
money delivered (``offer[DEV] x taken``), if positive and to a city, counts as a share
``small_dev_share`` of it, summed per (replicate, recipient city) in tie order. Here for a
world without programme rows, where all of it is the providers' own (the design horizon).
Identical results (``tests/test_kernels.py``).
"""

from __future__ import annotations

import numpy as np

from sim.engine.kernels import compiled, per_replicate


def _small_money_loop(dev_offer, taken, row, starting, dst, n, share, out):  # noqa: ANN001, ANN202
    r_count, e_count = dev_offer.shape
    for r in range(r_count):
        for e in range(e_count):
            if row[r, e] < 0 and not starting[r, e]:
                small = dev_offer[r, e] * taken[r, e]
                if small > 0 and dst[e] < n:
                    out[r, dst[e]] += small * share[r]


_small_money_kernel = compiled(_small_money_loop)


def small_money(
    dev_offer: np.ndarray,
    taken: np.ndarray,
    row: np.ndarray,
    starting: np.ndarray,
    dst: np.ndarray,
    n_cities: int,
    share: np.ndarray | float,
) -> np.ndarray:
    """(R, N) small development money counted per recipient city this month; ``row`` (R, E) is
    each tie's live project's row (-1: none), ``share`` the counted share."""
    r = dev_offer.shape[0]
    out = np.zeros((r, n_cities))
    _small_money_kernel()(
        dev_offer, taken, row, starting, dst, n_cities, per_replicate(share, r), out
    )
    return out
