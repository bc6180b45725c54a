"""Pure, vectorised rule functions, one module per theory or mechanism (MODEL.md section 5).

Each function takes arrays and parameters and returns new arrays; none touches a model. Arrays
may carry a leading replicate axis: city arrays are ``(R, N)``, tie arrays ``(R, E)``, per-pillar
arrays ``(R, E, 3)``, and a coefficient is a number or an ``(R, 1)`` array (one value per
replicate), so one call updates a whole batch of runs. Every sum runs within one replicate
(:func:`group_sum`, :func:`total`), so a replicate's numbers never depend on the rest of its batch.
The engine (``sim.engine.stages``) wires the rules in the monthly order of MODEL.md section 3.
"""

from __future__ import annotations

import math

import numpy as np

HUM, DEV, PEACE = 0, 1, 2  # pillar columns


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function ``1 / (1 + exp(-x))``.

    A very negative ``x`` overflows ``exp`` to infinity and gives exactly 0, a very positive
    one gives exactly 1 (both silenced: they are expected).
    """
    with np.errstate(over="ignore", under="ignore"):
        e = np.exp(-x)
        if np.ndim(e) == 0:
            return 1.0 / (1.0 + e)
        # the same two operations in place: two arrays fewer to allocate (250,000 cities)
        e += 1.0
        return np.divide(1.0, e, out=e)


def group_sum(values: np.ndarray, groups: np.ndarray, n_groups: int, axis: int = -1) -> np.ndarray:
    """Sum ``values`` along ``axis`` into ``n_groups`` bins by the integer labels ``groups``.

    ``values`` has any leading axes (replicates, series); each leading index gets its own
    bins, and every bin adds its terms in the order of ``axis``, from zero: exactly what one
    ``np.bincount`` per replicate would give, whatever the batch holds.
    """
    values = np.asarray(values, dtype=np.float64)
    last = axis in (-1, values.ndim - 1)
    moved = values if last else np.moveaxis(values, axis, -1)
    lead = moved.shape[:-1]
    rows = math.prod(lead)
    bins = _bins(groups, rows, n_groups)
    sums = np.bincount(bins, weights=moved.reshape(-1), minlength=rows * n_groups)
    # (bincount of nothing comes back as integers)
    sums = sums.astype(np.float64, copy=False).reshape(*lead, n_groups)
    return sums if last else np.moveaxis(sums, -1, axis)


_BINS: dict[tuple[int, int, int], tuple[np.ndarray, np.ndarray]] = {}


def _bins(groups: np.ndarray, rows: int, n_groups: int) -> np.ndarray:
    """Bin of every element of ``rows`` stacked copies of ``groups``: row r's group g is bin
    ``r * n_groups + g``. Kept for the last few (groups, rows) asked for: a batch sums by the
    same fixed groupings (tie ends, communities) every month."""
    if rows == 1:
        return groups
    key = (id(groups), rows, n_groups)
    hit = _BINS.get(key)
    if hit is not None and hit[0] is groups:
        return hit[1]
    bins = (np.arange(rows)[:, None] * n_groups + groups[None, :]).ravel()
    if len(_BINS) >= 64:
        _BINS.pop(next(iter(_BINS)))
    _BINS[key] = (groups, bins)
    return bins


def total(values: np.ndarray, axis: int = -1) -> np.ndarray:
    """``values.sum(axis)``, summed along a contiguous last axis.

    numpy sums a contiguous row pairwise, the same way for a row of a batch as for the row
    alone; along an axis that is not contiguous in memory (a gathered ``x[:, ties]`` is
    column-major) it adds in another order, which can depend on the batch's size. Copying
    ``axis`` last and contiguous keeps a replicate's sum independent of its batch.
    """
    if axis not in (-1, values.ndim - 1):
        values = np.moveaxis(values, axis, -1)
    return np.ascontiguousarray(values).sum(axis=-1)


def average(values: np.ndarray, axis: int = -1) -> np.ndarray:
    """``values.mean(axis)`` as :func:`total` sums: the same for a replicate in any batch."""
    return total(values, axis) / values.shape[axis]
