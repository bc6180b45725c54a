"""Pure, vectorised rule functions, one module per theory or mechanism (MODEL.md section 5).

Each function takes arrays and parameters and returns new arrays; none touches the model.
The model (``sim.engine.model``) wires them in the monthly order of MODEL.md section 3.
"""

import numpy as np

HUM, DEV, PEACE = 0, 1, 2  # pillar columns

# The ufunc behind np.clip. np.clip reaches it through three Python layers (fromnumeric,
# ndarray.clip, numpy._core._methods._clip), which on a small scenario's few dozen cities or
# ties cost twice the clipping itself; the result is the same array (tests/test_fast_paths.py).
# For the same reason the month's code calls a.take(i), m.nonzero()[0] and a.compress(m)
# rather than np.take, np.flatnonzero and np.compress: the same C code, less dispatch.
clip = getattr(getattr(np, "_core", None), "umath", np).clip


def sigmoid(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """The logistic function ``1 / (1 + exp(-x))``.

    ``out`` (which may be ``x`` itself) receives the result, saving temporaries on the large
    per-tie arrays. A very negative ``x`` overflows ``exp`` to infinity and gives exactly 0; a
    very positive one underflows it and gives exactly 1 (both silenced: they are expected).
    One ``exp`` costs about a third of the ``tanh`` in the equivalent ``0.5 (1 + tanh(x / 2))``,
    and keeps its relative precision in the far left tail, where ``1 + tanh`` cancels.
    """
    if np.ndim(x) == 0:
        with np.errstate(over="ignore", under="ignore"):
            return 1.0 / (1.0 + np.exp(-x))
    y = np.negative(x, out=out)
    with np.errstate(over="ignore", under="ignore"):
        np.exp(y, out=y)
    y += 1.0
    return np.divide(1.0, y, out=y)


def linear(terms: list[tuple[float, np.ndarray]], constant: float = 0.0) -> np.ndarray:
    """``w1 x1 + w2 x2 + ... + constant``, added left to right in one buffer.

    Bit for bit the expression written out: ``a - w x`` equals ``a + (-w) x`` and
    ``a - b`` equals ``a + (-b)`` exactly (negation is exact), and a weight of 1 adds ``x``
    itself. It only saves the temporaries of the long per-city sums.
    """
    (w, x), rest = terms[0], terms[1:]
    out = np.multiply(x, w)
    tmp = np.empty_like(out)
    for w, x in rest:
        if w == 1.0:
            out += x
        else:
            out += np.multiply(x, w, out=tmp)
    if constant:
        out += constant
    return out


def group_sum(groups: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    """Sum ``values`` by integer ``groups`` (a bincount that also takes 2-D values)."""
    if values.ndim == 1:
        return np.bincount(groups, weights=values, minlength=n_groups)
    out = np.empty((n_groups, values.shape[1]))
    for j in range(values.shape[1]):
        out[:, j] = np.bincount(groups, weights=values[:, j], minlength=n_groups)
    return out


def row_sum(values: np.ndarray) -> np.ndarray:
    """``values.sum(axis=1)`` for a few columns, added left to right.

    numpy adds a last axis shorter than 8 left to right too (pairwise summation starts at 8), so
    the result is bit for bit the same, but a C-ordered (rows, 3) reduction runs ten times slower
    than three column additions.
    """
    if values.shape[1] >= 8 or values.shape[1] == 0:
        return values.sum(axis=1)
    total = values[:, 0].copy()
    for j in range(1, values.shape[1]):
        total += values[:, j]
    return total
