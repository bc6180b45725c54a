"""The gate keys' distinct rows at 250,000 cities: ``np.unique(axis=1)`` against
``sim.engine.unique_rows.unique_columns``.

Builds the 250,000-city UCLG world (its build CPU, with ``unique_columns``), then times both
on its (4, ties) gate keys, twice, and checks they agree. Prints; the figures are copied into
``results/unique_keys_perf250b.md``.

    .venv/bin/python experiments/bench/unique_keys.py
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from month_profile import build  # noqa: E402

from sim.engine.unique_rows import unique_columns  # noqa: E402


def main() -> None:
    logging.getLogger("MESA").setLevel(logging.WARNING)
    start = time.process_time()
    model = build(250_000, True)
    built = time.process_time() - start
    t = model.world.ties
    keys = np.stack([t.src_country, t.dst_country, t.src_is_io, t.human_security])
    for _ in range(2):
        start = time.process_time()
        want, want_inverse = np.unique(keys, axis=1, return_inverse=True)
        slow = time.process_time() - start
        start = time.process_time()
        got, inverse = unique_columns(keys)
        fast = time.process_time() - start
        same = np.array_equal(want, got) and np.array_equal(want_inverse.reshape(-1), inverse)
        print(f"np.unique axis=1 {slow:.2f} s, unique_columns {fast:.2f} s, same {same}")
    print(f"build (with unique_columns) {built:.1f} s CPU, load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
