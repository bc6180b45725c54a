"""Can a union batch's blocks be summed in one call and keep each block's own bits?

A block recorder (``sim.engine.union_views.BlockRecorders``) sums each block's cities or ties
along the last axis of its own slice, ``x[:, block].sum(axis=-1)``: numpy's pairwise sum of
that slice. A one-pass recorder would sum every block at once. This compares, over edge
shapes (replicates 1, 3, 150; block lengths around numpy's 8-wide unrolling and 128-element
pairwise blocks; 1, 2 and 5 blocks; values over sixteen orders of magnitude), the per-block
sums with ``np.add.reduceat`` over the block starts and with a reshaped ``(R, blocks, m)``
sum, and ``np.add.reduceat`` over blocks of unequal lengths.

    .venv/bin/python experiments/bench/block_sums.py

Prints how many shapes differ in any bit, per form and block length.
"""

from __future__ import annotations

import numpy as np

LENGTHS = (1, 2, 7, 8, 9, 15, 16, 17, 127, 128, 129, 1000, 4099)


def main() -> None:
    rng = np.random.default_rng(0)
    print("| block length | shapes | reduceat differs | reshaped sum differs |")
    print("| ---: | ---: | ---: | ---: |")
    for m in LENGTHS:
        shapes = at = reshaped = 0
        for r in (1, 3, 150):
            for b in (1, 2, 5):
                x = rng.standard_normal((r, b * m)) * 10.0 ** rng.integers(-8, 8, (r, b * m))
                alone = np.stack([x[:, k * m : (k + 1) * m].sum(axis=-1) for k in range(b)], -1)
                shapes += 1
                at += not np.array_equal(alone, np.add.reduceat(x, np.arange(0, b * m, m), -1))
                reshaped += not np.array_equal(alone, x.reshape(r, b, m).sum(axis=-1))
        print(f"| {m} | {shapes} | {at} | {reshaped} |")
    for sizes in ([3, 200, 9], [129, 1, 4000], [5, 8, 2]):
        x = rng.standard_normal((4, sum(sizes))) * 1e3
        starts = np.r_[0, np.cumsum(sizes)[:-1]]
        alone = np.stack([x[:, s : s + n].sum(-1) for s, n in zip(starts, sizes, strict=True)], -1)
        same = np.array_equal(alone, np.add.reduceat(x, starts, axis=-1))
        print(f"unequal blocks {sizes}: reduceat {'equal' if same else 'differs'}")


if __name__ == "__main__":
    main()
