"""Elementwise rules over many ties, a cache-sized block of ties at a time.

A rule such as the acceptance probability is a dozen numpy operations, each a pass over every
tie; at 250,000 cities (1.25 million ties) every pass streams the arrays from main memory.
:func:`by_ties` calls the same function on consecutive blocks of ties, so a block's arrays stay
in cache across the passes: the same operations on the same values (each element is computed
alone, so the result is identical). Measured at 250,000 cities on the 2-core development VM:
the month 5-10 % faster (about 420 against 455 ms); one rule alone up to three times faster
when other processes share the memory bus, no faster when they do not. Batches whose ties fit
in one block call the function once, as is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

BLOCK = 1 << 16  # elements per block: a dozen float arrays of this size fit in L2 cache


def by_ties(function: Callable[..., Any], *args: Any, n_ties: int, **kwargs: Any) -> Any:
    """``function(*args, **kwargs)`` for an elementwise rule, computed over blocks of ties.

    Positional arrays whose last axis has ``n_ties`` entries are cut into blocks along it;
    everything else (numbers, (R, 1) coefficients, keyword arguments) is passed whole. The
    result (an array or a tuple of arrays) has the ties on its last axis.
    """
    rows = max(
        (a.size // a.shape[-1] for a in args if isinstance(a, np.ndarray) and a.ndim and a.size),
        default=1,
    )
    block = max(BLOCK // rows, 1)
    if n_ties <= 2 * block:
        return function(*args, **kwargs)
    parts = []
    for start in range(0, n_ties, block):
        cut = slice(start, start + block)
        sliced = [a[..., cut] if np.ndim(a) and np.shape(a)[-1] == n_ties else a for a in args]
        parts.append(function(*sliced, **kwargs))
    if isinstance(parts[0], tuple):
        return tuple(np.concatenate(p, axis=-1) for p in zip(*parts, strict=True))
    return np.concatenate(parts, axis=-1)
