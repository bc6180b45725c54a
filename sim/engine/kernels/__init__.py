"""Compiled loops over ties and cities (numba) for the stages whose numpy form makes many passes.

At 250,000 cities a month is about 1.25 million ties, and each numpy operation of a rule is a
pass over all of them through main memory. A kernel here does one stage's elementwise work in
one loop over the ties, in the same operations and the same order as the numpy form, so the
result is identical bit for bit (``tests/test_kernels.py``). What a tie reads at or adds into
its ends (actors scattered over megabytes) is read or added in a short loop of its own before
or after it: a short loop keeps many ties' memory accesses in flight, a long one only a tie
or two. The numpy form in ``sim.rules`` and ``sim.engine.stages`` stays the equation of
record; a kernel is only the same arithmetic, fused. Transcendental functions (``exp``,
``expm1``, ``**``) stay in numpy, whose SIMD versions can differ from libm's in the last bit.

Kernels run where ``sim.rules.fused.wanted`` says (large arrays with numba installed;
``CITYPEACE_NUMBA=0`` or ``1`` forces the choice).

- ``gates``: each tie's open channels from its combination's answers (stage 2).
- ``offers``: provider weights, the split of resources by weight and the offers (stage 4).
- ``acceptance``: the dose, expected benefit and acceptance probability of each offer (stage 4).
- ``parts``: the parts of each offer taken, accepted and declined (stage 4).
- ``delivery``: flows, money received, peace work's trust (toward its ceiling) and its spill
  (stage 5a).
- ``projects``: small development money without programmes (stage 5b).
- ``drift``: trust's refusal cost, success, failure, drift to its floor, violence shock,
  memory and contact, in one loop (stage 6; mediation's lift moves the delegates' trust, in
  numpy: ``stages.delegates``).
- ``governance``: the top level's acts at the cross-border ties that the governance ties read
  (stage 6).
- ``climb``: the cooperation ladder's mutual benefit and stages (stage 6b).
- ``violence``: the cities' Galtung targets, D, S, C, needs, capacity, flight and cohesion
  (stage 7, after the first month; loops over the cities, not the ties).
- ``keys``: the offers' keyed uniforms (``sim.engine.random_streams``; integer arithmetic).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np


def compiled(loop: Callable[..., Any]) -> Callable[[], Callable[..., Any]]:
    """A getter of ``loop`` compiled by numba (on first use, cached on disk): compiling at
    import would cost every small run the half second numba takes to load."""

    @functools.cache
    def get() -> Callable[..., Any]:
        import numba

        return numba.njit(cache=True, nogil=True)(loop)

    return get


def per_replicate(coefficient: Any, r: int) -> np.ndarray:
    """(R,) float64 values of a coefficient given as a number or an (R, 1) array."""
    usual = isinstance(coefficient, np.ndarray) and coefficient.dtype == np.float64
    if usual and coefficient.shape == (r, 1):  # its column, a view: ten times cheaper
        return np.ascontiguousarray(coefficient[:, 0])
    return np.ascontiguousarray(
        np.broadcast_to(np.asarray(coefficient, dtype=np.float64), (r, 1))[:, 0]
    )


def per_tie(values: Any, r: int, e: int, dtype: Any = None) -> np.ndarray:
    """(R, E) view of a per-tie array given as (E,) or (R, E) (or a number)."""
    values = np.asarray(values, dtype=dtype)
    return values if values.shape == (r, e) else np.broadcast_to(values, (r, e))
