"""How to share validate's tuzla union batch between two workers: by rows or by blocks.

Validate's 150 tuzla runs are one union batch (five policies' worlds as blocks, 30 seeds as
rows; ``sim.engine.union``). Two workers can each take half the rows with every block (each
worker then records all five blocks a month) or each take some blocks with every row
(``sim.engine.ensemble.union_parts``: three and two blocks; each block recorded once). This
times each worker's batch (built and run to the horizon) in one process, the shapes taking
turns, ``--repeat`` rounds: median CPU seconds of each shape (branch perf15).

    .venv/bin/python experiments/bench/union_parts_speed.py --repeat 3

Writes ``results/union_parts_speed.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
sys.path.insert(0, str(HERE))

POLICIES = ["baseline", "low_participation", "no_abc", "no_coordination", "no_field_visits"]
SHAPES = {  # a worker's batch: (its blocks, its rows)
    "by rows: 5 blocks x 15 rows (each of 2 workers)": (range(5), 15),
    "by blocks: 3 blocks x 30 rows (worker 1)": (range(3), 30),
    "by blocks: 2 blocks x 30 rows (worker 2)": (range(3, 5), 30),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from sim.engine.inputs import load_case, model_params, resolve_levers
    from sim.engine.union import union_batch

    cases = [load_case("tuzla", 0, None, p, None) for p in POLICIES]
    levers = [resolve_levers(c, {}) for c in cases]

    def run(blocks: list[int], rows: int) -> float:
        start = time.process_time()
        batch, _, _ = union_batch(
            [cases[k] for k in blocks],
            [model_params({})] * rows,
            [[levers[k] for k in blocks]] * rows,
            list(range(rows)),
        )
        batch.run()
        return time.process_time() - start

    load = [os.getloadavg()[0]]
    cpu: dict[str, list[float]] = {name: [] for name in SHAPES}
    for _ in range(args.repeat):
        for name, (blocks, rows) in SHAPES.items():
            cpu[name].append(run(list(blocks), rows))
    load.append(os.getloadavg()[0])
    med = {name: statistics.median(v) for name, v in cpu.items()}
    names = list(SHAPES)
    by_rows, by_blocks = 2 * med[names[0]], med[names[1]] + med[names[2]]
    out = {"cpu_s": cpu, "median_cpu_s": med, "load": load, "two_workers_cpu_s": {
        "by rows": by_rows, "by blocks": by_blocks}, "longest_worker_s": {
        "by rows": med[names[0]], "by blocks": max(med[names[1]], med[names[2]])}}  # fmt: skip
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "union_parts_speed.json").write_text(json.dumps(out, indent=2))
    lines = [
        "# validate's tuzla union on two workers: rows or blocks",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M')}; one process, shapes taking turns, {args.repeat} "
        f"rounds; load {load[0]:.1f} at the start, {load[1]:.1f} at the end. CPU seconds of a "
        "worker's batch, built and run to tuzla's horizon.",
        "",
        "| a worker's batch | median CPU s | rounds |",
        "| --- | ---: | --- |",
        *(f"| {n} | {med[n]:.2f} | {', '.join(f'{x:.2f}' for x in cpu[n])} |" for n in names),
        "",
        f"Both workers: by rows {by_rows:.2f} s CPU, by blocks {by_blocks:.2f} s "
        f"({by_blocks / by_rows:.2f}x); the longer worker {med[names[0]]:.2f} against "
        f"{max(med[names[1]], med[names[2]]):.2f} s.",
    ]
    (RESULTS / "union_parts_speed.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
