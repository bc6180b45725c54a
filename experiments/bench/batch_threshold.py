"""The compiled kernels' threshold for small-scenario batches: tuzla LHS batches of 125, 250
and 500 replicates (10,250 to 41,000 replicate-tie elements), each run to 240 months with the
kernels forced on (``CITYPEACE_NUMBA=1``) and off (``=0``), alternating in one process after
numba is loaded (``sim.rules.fused.wanted`` reads the variable at each call). Medians of the
CPU seconds of the later rounds (the first of each side is dropped).

    PYTHONPATH=$PWD .venv/bin/python experiments/bench/batch_threshold.py

Prints one line per size; ``results/batch_threshold_perfbatch.md`` records a run.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    from ensemble_speed import lhs_replicates

    from sim import Ensemble

    reps = lhs_replicates(500)
    for size in (125, 250, 500):
        spent: dict[str, list[float]] = {"0": [], "1": []}
        for i in range(6):
            for choice in ("0", "1") if i % 2 else ("1", "0"):
                os.environ["CITYPEACE_NUMBA"] = choice
                start = time.process_time()
                Ensemble("tuzla", reps[:size], horizon=240, workers=1).run()
                spent[choice].append(time.process_time() - start)
        numpy_s, kernels_s = (statistics.median(spent[c][1:]) for c in ("0", "1"))
        print(
            f"{size} replicates ({size * 82} elements): numpy {numpy_s:.3f} s, kernels "
            f"{kernels_s:.3f} s, ratio {kernels_s / numpy_s:.3f}; load {os.getloadavg()[0]:.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
