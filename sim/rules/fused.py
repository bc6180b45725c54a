"""Compiled loops (numba) for the one rule whose numpy form makes many passes over the ties.

``parts_taken`` (``sim.rules.proposals``) builds a binomial CDF part by part: in numpy that is
up to ``items`` passes over every offer (at 250,000 cities about a million offers a month,
most of the month's time). Here one loop per offer does the same operations in the same order
and stops at its own count, so the result is identical to the numpy form, bit for bit
(tests/test_batch_rules.py). The powers are computed by numpy before the loop, so no libm
call differs either. This count is the only one: stage 4's loops (``sim.engine.kernels.parts``)
call :func:`count_parts` too.

Used for large arrays only (``MIN_SIZE``): importing numba and loading the compiled loops take
about half a second, more than the loops save a small run. ``CITYPEACE_NUMBA=0`` forces
the numpy form everywhere, ``=1`` this one for any size; without numba installed the numpy
form runs.
"""

from __future__ import annotations

import functools
import os

import numpy as np

MIN_SIZE = 40_000


def wanted(size: int) -> bool:
    """Whether to run a stage's compiled loops on ``size`` (replicate, tie) elements (or
    ``size`` offers), counted per tie, not per pillar and tie.

    Measured on the shared 2-core VM, both forms in one process: a 240-month run with every
    loop on took 0.82x the CPU of the numpy form at 1,000 cities, 0.84x at 3,000 and 0.72x
    at 10,000 (about 50,000 ties); a batch of 300 tuzla runs (24,600 elements) 0.95x. Numba's
    import and loading the loops cost about half a second once per process, so below
    ``MIN_SIZE`` (a world of about 8,000 cities, or about 500 tuzla replicates) the numpy
    form is the cheaper run."""
    choice = os.environ.get("CITYPEACE_NUMBA", "").strip()
    if choice == "0":
        return False
    if choice != "1" and size < MIN_SIZE:
        return False
    return _kernel() is not None


def _count_loop(pmf0, odds, target, items, taken):  # noqa: ANN001, ANN202, C901 - numba loop
    # (n - j) / (j + 1) depends on the offer only through n: a table per n takes the
    # division out of each offer's chain of dependent multiplications (the same quotients,
    # so the same products, bit for bit).
    ratio = np.empty(0)
    table_n = -1
    size = pmf0.size
    i = 0
    while i < size:
        n = items[i]
        if n != table_n:
            ratio = np.empty(n)
            for j in range(n):
                ratio[j] = (n - j) / (j + 1)
            table_n = n
        if i + 4 <= size and items[i + 1] == n and items[i + 2] == n and items[i + 3] == n:
            # Four offers side by side: each keeps its own chain of the same operations (so
            # its own bits) and the CPU overlaps the four chains. The CDF never decreases (it
            # adds terms >= 0; a NaN stays NaN), so once a lane's CDF reaches its target it
            # stays there: counting every j whose CDF is below the target counts the same
            # parts as stopping at the first that is not, without a branch per lane and part
            # (0.7x of the loop's time on a 250,000-city month's offers). Past its count a
            # lane's values are computed but not counted; every fourth part the four lanes
            # stop if all are done (offers that take few parts).
            p0, p1, p2, p3 = pmf0[i], pmf0[i + 1], pmf0[i + 2], pmf0[i + 3]
            c0, c1, c2, c3 = p0, p1, p2, p3
            o0, o1, o2, o3 = odds[i], odds[i + 1], odds[i + 2], odds[i + 3]
            t0, t1, t2, t3 = target[i], target[i + 1], target[i + 2], target[i + 3]
            k0 = k1 = k2 = k3 = 0
            for j in range(n):
                if j % 4 == 0 and not (c0 < t0 or c1 < t1 or c2 < t2 or c3 < t3):
                    break
                k0 += c0 < t0
                k1 += c1 < t1
                k2 += c2 < t2
                k3 += c3 < t3
                x = ratio[j]
                p0 = p0 * (o0 * x)
                p1 = p1 * (o1 * x)
                p2 = p2 * (o2 * x)
                p3 = p3 * (o3 * x)
                c0 = c0 + p0
                c1 = c1 + p1
                c2 = c2 + p2
                c3 = c3 + p3
            taken[i], taken[i + 1], taken[i + 2], taken[i + 3] = k0, k1, k2, k3
            i += 4
            continue
        pmf = pmf0[i]
        cdf = pmf
        k = 0
        for j in range(n):
            if not cdf < target[i]:  # the CDF only grows: no more parts
                break
            k += 1
            pmf = pmf * (odds[i] * ratio[j])
            cdf = cdf + pmf
        taken[i] = k
        i += 1


@functools.cache
def _kernel():  # noqa: ANN202 - a compiled function, or None without numba
    try:
        import numba
    except ImportError:
        return None
    return numba.njit(cache=True, nogil=True)(_count_loop)


def count_parts(
    pmf0: np.ndarray, odds: np.ndarray, target: np.ndarray, items: np.ndarray
) -> np.ndarray:
    """Parts taken per offer (1-D arrays): the number of ``j < items`` with ``P(K <= j) <
    target``, from ``P(K = 0)`` and the odds ``p / (1 - p)``."""
    taken = np.zeros(pmf0.size, dtype=np.int64)
    _kernel()(
        np.ascontiguousarray(pmf0, dtype=np.float64),
        np.ascontiguousarray(odds, dtype=np.float64),
        np.ascontiguousarray(target, dtype=np.float64),
        np.ascontiguousarray(items, dtype=np.int64),
        taken,
    )
    return taken
