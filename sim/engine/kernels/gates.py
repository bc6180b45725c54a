"""Stage 2's per-tie gate answers in one loop over the ties (``sim.engine.stages.gates``).

The numpy form: each tie's provider is a third channel or not (``third[src]``), which with the
tie's fixed inputs picks its combination's answer per pillar (evaluated once per combination
by ``rules.gates``), and a channel is open only on a carrying, active tie. The same gathers and
``and``s, in one loop: identical results (``tests/test_kernels.py``).
"""

from __future__ import annotations

import numpy as np

from sim.engine.kernels import compiled


def _gates_loop(third, src, key, answer, n_inputs, carries, active, allowed, third_src):  # noqa: ANN001, ANN202
    r_count, e_count = active.shape
    for r in range(r_count):
        for e in range(e_count):
            third_here = third[r, src[e]]
            third_src[r, e] = third_here
            at = key[e] + n_inputs * (1 if third_here else 0) + 2 * n_inputs * r
            open_here = carries[e] and active[r, e]
            allowed[0, r, e] = answer[0, at] and open_here
            allowed[1, r, e] = answer[1, at] and open_here
            allowed[2, r, e] = answer[2, at] and open_here


_gates_kernel = compiled(_gates_loop)


def open_ties(
    third: np.ndarray,
    src: np.ndarray,
    key: np.ndarray,
    answer: np.ndarray,
    n_inputs: int,
    carries: np.ndarray,
    active: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """((3, R, E) open channels, (R, E) the provider is a third channel); ``answer`` (3, R, 2 x
    ``n_inputs``) holds each of the ``n_inputs`` combinations' answers without and with a third
    channel, ``key`` (E,) each tie's combination."""
    r, e = active.shape
    allowed, third_src = np.empty((3, r, e), dtype=bool), np.empty((r, e), dtype=bool)
    _gates_kernel()(
        third, src, key, answer.reshape(3, -1), n_inputs, carries, active, allowed, third_src
    )
    return allowed, third_src
