"""Recording validate's tuzla union batch, before and after, two engines in one process.

Each side (``--base``, a ``git archive`` unpacked, and this checkout; ``two_engines.py``)
builds the union batch one of validate's two workers runs (the five policies' blocks, the
first 15 seeds' rows), steps it 24 months, then records its last month again and again,
the sides taking turns call by call: median CPU ms of ``BlockRecorders.record`` (the block
views and each block's own recorder) and of the views alone.

    .venv/bin/python experiments/bench/union_record_ab.py --base /tmp/before

Prints the medians (perfbatch's figures are in docs/validation/issue15.md, section perfbatch).
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from two_engines import TwoEngines  # noqa: E402

SIDES = ("before", "after")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True)
    parser.add_argument("--calls", type=int, default=70, help="records per side (< 157)")
    args = parser.parse_args()
    logging.getLogger("MESA").setLevel(logging.WARNING)
    engines = TwoEngines({"before": args.base, "after": HERE})
    batches = {}
    for side in SIDES:
        sim = engines.use(side)
        sys.modules.pop("ensemble_speed", None)
        from ensemble_speed import validate_replicates

        from sim.engine.union import union_batch

        cases, rows = sim.Ensemble("tuzla", validate_replicates(30), workers=1)._union_rows()
        rows = rows[:15]
        batch, _, _ = union_batch(
            cases, [r[0].params for r in rows], [[m.levers for m in r] for r in rows],
            [r[0].seed for r in rows],
        )  # fmt: skip
        batches[side] = batch.run(24)
        engines.modules[side].update(
            {k: v for k, v in sys.modules.items() if k == "sim" or k.startswith("sim.")}
        )
    load = os.getloadavg()[0]
    for what in ("views", "record"):
        spent: dict[str, list[float]] = {side: [] for side in SIDES}
        for i in range(args.calls):
            for side in SIDES if i % 2 else SIDES[::-1]:
                engines.use(side)
                b = batches[side]
                start = time.process_time()
                if what == "views":
                    for view in b.recorder.views:
                        view.month(b.month, view.state(b.state))
                else:
                    b.recorder.record(b.state, b.month)
                spent[side].append(time.process_time() - start)
        medians = {side: 1e3 * statistics.median(t) for side, t in spent.items()}
        print(
            f"{what}: before {medians['before']:.2f} ms, after {medians['after']:.2f} ms a "
            f"month ({args.calls} calls each, load {load:.1f} -> {os.getloadavg()[0]:.1f})"
        )


if __name__ == "__main__":
    main()
