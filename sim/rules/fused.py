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


def _count_loop(pmf0, odds, target, items, taken):  # noqa: ANN001, ANN202 - numba loop
    # (n - j) / (j + 1) depends on the offer only through n: a table per n takes the
    # division out of each offer's chain of dependent multiplications (the same quotients,
    # so the same products, bit for bit).
    ratio = np.empty(0)
    table_n = -1
    for i in range(pmf0.size):
        n = items[i]
        if n != table_n:
            ratio = np.empty(n)
            for j in range(n):
                ratio[j] = (n - j) / (j + 1)
            table_n = n
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
