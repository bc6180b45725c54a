"""Compiled loops over ties (numba) for the stages whose numpy form makes many passes.

At 250,000 cities a month is about 1.25 million ties, and each numpy operation of a rule is a
pass over all of them through main memory. A kernel here does one stage's elementwise work and
its per-tie gathers in one loop over the ties, in the same operations and the same order as
the numpy form, so the result is identical bit for bit (``tests/test_kernels.py``). The numpy
form in ``sim.rules`` and ``sim.engine.stages`` stays the equation of record; a kernel is only
the same arithmetic, fused. Transcendental functions (``exp``, ``expm1``, ``**``) stay in
numpy, whose SIMD versions can differ from libm's in the last bit.

Kernels run where ``sim.rules.fused.wanted`` says (large arrays with numba installed;
``CITYPEACE_NUMBA=0`` or ``1`` forces the choice).

Threads: the loops that only write their own elements run over fixed blocks of (replicate,
tie) elements on numba's threads (``prange``; by default one per core, ``NUMBA_NUM_THREADS=1``
for one). Sums over ties (money received, weights per provider, trust gained) stay serial, in
tie order, and compacting loops place each block's results at offsets counted per block: the
results are the same bit for bit on any number of threads (``tests/test_kernels.py``).

- ``gates``: each tie's open channels from its combination's answers (stage 2).
- ``offers``: provider weights, the split of resources by weight and the offers (stage 4).
- ``acceptance``: the dose, expected benefit and acceptance probability (stage 4).
- ``parts``: the parts of each offer taken, accepted and declined (stage 4).
- ``delivery``: flows, money received, peace work's trust and its spill (stage 5a).
- ``projects``: small development money without programmes (stage 5b).
- ``drift``: trust's success, failure, drift to its floor, memory and contact (stage 6).
- ``climb``: the cooperation ladder's mutual benefit and stages (stage 6b).
"""

from __future__ import annotations

import functools
import os
import threading
import types
from collections.abc import Callable
from typing import Any

import numpy as np

prange = range  # numba.prange inside a parallel kernel (see compiled)
BLOCK = 1 << 13  # elements per block of a parallel loop: its unit of work on one thread
_LAUNCH = threading.Lock()


def compiled(loop: Callable[..., Any], parallel: bool = False) -> Callable[[], Callable[..., Any]]:
    """A getter of ``loop`` compiled by numba (on first use, cached on disk): compiling at
    import would cost every small run the half second numba takes to load.

    ``parallel``: the loop's ``prange`` runs on numba's threads. Only loops whose every
    iteration writes its own elements are parallel, so the result does not depend on the
    number of threads; sums over ties stay in serial loops, in tie order.
    """

    @functools.cache
    def get() -> Callable[..., Any]:
        # Idle threads sleep rather than spin between loops: on a shared machine, or with
        # several runs in parallel processes, spinning threads take cores from the others.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import numba

        if not parallel:
            return numba.njit(cache=True, nogil=True)(loop)
        # ``prange`` is ``range`` in the plain module (so the loop reads as Python); numba
        # parallelises it when the global it sees is numba.prange.
        names = {**loop.__globals__, "prange": numba.prange}
        function = types.FunctionType(loop.__code__, names, loop.__name__, loop.__defaults__)
        function.__qualname__, function.__module__ = loop.__qualname__, loop.__module__
        kernel = numba.njit(cache=True, nogil=True, parallel=True)(function)

        def launch(*args: Any) -> Any:
            # One launch at a time: numba's fallback thread pool (workqueue) aborts the
            # process when two Python threads start parallel loops at once.
            with _LAUNCH:
                return kernel(*args)

        return launch

    return get


def threads() -> int:
    """The threads a parallel loop uses (numba's ``get_num_threads``: by default one per core;
    ``NUMBA_NUM_THREADS`` sets it)."""
    import numba

    return int(numba.get_num_threads())


def blocks(size: int) -> np.ndarray:
    """(B + 1,) bounds of fixed blocks of ``size`` flattened elements: the unit of work of the
    loops that fill a compacted array, so their offsets never depend on the thread count."""
    return np.append(np.arange(0, size, BLOCK, dtype=np.int64), np.int64(size))


def _scatter_add_loop(values, index, out):  # noqa: ANN001, ANN202
    r_count, e_count = values.shape
    for r in range(r_count):
        for e in range(e_count):
            out[r, index[e]] += values[r, e]


_scatter_add_kernel = compiled(_scatter_add_loop)


def scatter_add(values: np.ndarray, index: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``out[r, index[e]] += values[r, e]`` in (replicate, tie) order, as ``np.bincount`` sums:
    serial, so a sum never depends on the number of threads; ``out`` (R, A), returned."""
    _scatter_add_kernel()(values, index, out)
    return out


def per_replicate(coefficient: Any, r: int) -> np.ndarray:
    """(R,) float64 values of a coefficient given as a number or an (R, 1) array."""
    return np.ascontiguousarray(
        np.broadcast_to(np.asarray(coefficient, dtype=np.float64), (r, 1))[:, 0]
    )


def per_tie(values: Any, r: int, e: int, dtype: Any = None) -> np.ndarray:
    """(R, E) view of a per-tie array given as (E,) or (R, E) (or a number)."""
    values = np.asarray(values, dtype=dtype)
    return np.broadcast_to(values, (r, e))
