"""The offers' keyed uniforms in one loop over the ties (``sim.engine.random_streams``).

The numpy form (``uniforms_of``): SplitMix64's finaliser of ``tie key ^ month key``, then the
top 53 bits times ``2**-53``. In numpy that is about ten passes over a (R, E) array of 64-bit
words; here one. Integer arithmetic wraps modulo 2**64 in both, and the 53-bit word converts
to a double exactly, so the values are identical (``tests/test_random_streams.py``).
"""

from __future__ import annotations

import numpy as np

from sim.engine.kernels import compiled

_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_UNIT = 2.0**-53


def _uniforms_loop(keys, month, out):  # noqa: ANN001, ANN202 - numba loop
    r_count, e_count = out.shape
    for r in range(r_count):
        m = month[r]
        for e in range(e_count):
            x = keys[e] ^ m
            x = x ^ (x >> _S30)
            x = x * _M1
            x = x ^ (x >> _S27)
            x = x * _M2
            x = x ^ (x >> _S31)
            out[r, e] = float(x >> _S11) * _UNIT


_uniforms_kernel = compiled(_uniforms_loop)


def uniforms(keys: np.ndarray, month: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``out`` (R, E) float64: ``uniforms_of(keys[None, :], month[:, None])`` for (E,) tie keys
    and (R,) month keys (both uint64)."""
    _uniforms_kernel()(
        np.ascontiguousarray(keys, dtype=np.uint64),
        np.ascontiguousarray(month, dtype=np.uint64),
        out,
    )
    return out
