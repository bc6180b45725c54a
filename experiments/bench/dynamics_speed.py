"""Issue 15's speed check: the same runs on the engine before and after the credible dynamics.

Two source trees of citypeace (``--before``: a checkout of the commit before issue 15, e.g.
``git worktree add /tmp/before <commit>`` or ``git archive <commit> | tar -x -C /tmp/before``;
``--after``: this one) both contain a package named ``sim``, so they cannot share a process.
Each measurement is a fresh subprocess that times only the run (world built, months stepped,
tables built; imports and scenario loading excluded), and the two trees alternate
(before, after, before, after, ...) so that the load of a shared machine falls on both alike.
The script writes ``results/dynamics_speed.json`` and ``.md``: the median of each side and
their ratio, per case.

    .venv/bin/python experiments/bench/dynamics_speed.py --before /tmp/before --repeat 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
HERE = Path(__file__).resolve().parents[2]
CASES = {
    "tuzla": "PeaceModel('tuzla', seed=0)",
    "map": "PeaceModel('map', seed=0)",
    "seoul_pyongyang": "PeaceModel('seoul_pyongyang', seed=0)",
    "synthetic_10k": (
        "PeaceModel('synthetic', seed=1, horizon=120, cities_every=12, cities_max=2000, "
        "synthetic={'n_cities': 10000})"
    ),
}
TIMER = """
import time, sys
from sim import PeaceModel
model = {build}
t0 = time.perf_counter()
model.run()
model.timeseries()
print(time.perf_counter() - t0)
"""


def measure(tree: Path, build: str) -> float:
    """Seconds one run takes in a fresh process on the source tree ``tree``."""
    env = {**os.environ, "PYTHONPATH": str(tree), "CITYPEACE_NUMBA": "0"}
    out = subprocess.run(
        [sys.executable, "-c", TIMER.format(build=build)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="source tree before issue 15")
    parser.add_argument("--after", type=Path, default=HERE, help="source tree after (this one)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cases", nargs="*", default=list(CASES))
    args = parser.parse_args()
    started = time.time()
    rows = {}
    for case in args.cases:
        times: dict[str, list[float]] = {"before": [], "after": []}
        for _ in range(args.repeat):
            for side, tree in (("before", args.before), ("after", args.after)):
                times[side].append(measure(tree, CASES[case]))
        before, after = statistics.median(times["before"]), statistics.median(times["after"])
        rows[case] = {"before_s": before, "after_s": after, "ratio": after / before, **times}
        print(f"{case}: before {before:.3f} s, after {after:.3f} s, ratio {after / before:.2f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    meta = {
        "load_average_at_start": os.getloadavg(),
        "repeat": args.repeat,
        "wall_s": time.time() - started,
        "note": "shared 2-core machine; fresh process per run, before and after alternating",
    }
    (RESULTS / "dynamics_speed.json").write_text(
        json.dumps({"meta": meta, "cases": rows}, indent=1)
    )
    lines = [
        "# Issue 15: run time before and after the credible dynamics",
        "",
        f"Median of {args.repeat} fresh processes per side, alternating before/after; "
        f"load average at start {meta['load_average_at_start'][0]:.1f} (a shared 2-core "
        "machine). Run time only (the world built and stepped, the time series built).",
        "",
        "| case | before (s) | after (s) | after / before |",
        "| --- | ---: | ---: | ---: |",
    ]
    for case, r in rows.items():
        lines.append(f"| {case} | {r['before_s']:.3f} | {r['after_s']:.3f} | {r['ratio']:.2f} |")
    (RESULTS / "dynamics_speed.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
