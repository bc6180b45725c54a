"""Stage 6's trust loop before and after, on one large month's own arguments, in one process.

``sim.engine.kernels.drift.update`` writes its results into the tie state, so
``loop_sides.py`` (which compares return values) cannot time it. This script captures the
arguments of the compiled trust loop itself (``_trust_loop``) in one month of a synthetic
world (UCLG settings, default 250,000 cities: about 1.25 million ties), then runs ``--base``'s
loop and this checkout's on them, alternating call by call, each writing into its own
output arrays (written once before the clock, so no side pays for fresh pages). It reports
the median and minimum CPU ms of each side, their ratios, and whether the five outputs (trust,
memory, intensity, last contact, age) are identical bit for bit.

    .venv/bin/python experiments/bench/trust_loops.py --base df70bdd --name trust_loops_perf250k

The two loops must take the same arguments: 86dd7a2's loop still has the dead mediation-lift
arguments (``lift``, ``ceiling``, ``has_lift``) that batch17 removed, so compare trees on the
same side of that change (the script stops with a message otherwise).

Below ``sim.rules.fused.MIN_SIZE`` the stage takes its numpy form: ``CITYPEACE_NUMBA=1`` forces the
loop at a small size.

Writes ``results/<name>.json`` and ``results/<name>.md``.
"""

from __future__ import annotations

import argparse
import inspect
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from loop_sides import base_module  # noqa: E402
from month_profile import build  # noqa: E402
from scale_sides import base_tree  # noqa: E402

MODULE = "sim.engine.kernels.drift"


def capture(n: int, warm: int) -> list[Any]:
    """The trust loop's arguments in the month after ``warm`` months."""
    from sim.engine.kernels import drift

    model = build(n, True)
    for _ in range(warm):
        model.step()
    saved: list[Any] = []
    getter = drift._trust_kernel

    def capturing() -> Any:
        loop = getter()

        def call(*args: Any) -> Any:
            if not saved:
                saved.extend(a.copy() if isinstance(a, np.ndarray) else a for a in args)
            return loop(*args)

        return call

    drift._trust_kernel = capturing
    try:
        model.step()
    finally:
        drift._trust_kernel = getter
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="commit of the 'before' loop")
    parser.add_argument("--cities", type=int, default=250_000)
    parser.add_argument("--warm", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--name", default="trust_loops")
    args = parser.parse_args()
    logging.getLogger("MESA").setLevel(logging.WARNING)
    load = [os.getloadavg()[0]]
    saved = capture(args.cities, args.warm)
    if not saved:  # below sim.rules.fused.MIN_SIZE the stage takes its numpy form
        raise SystemExit(f"the compiled trust loop did not run at {args.cities} cities")
    base = base_module(base_tree(args.base), MODULE)
    after = __import__(MODULE, fromlist=["_trust_loop"])
    if inspect.signature(base._trust_loop) != inspect.signature(after._trust_loop):
        raise SystemExit(f"{args.base}'s trust loop takes other arguments than this checkout's")
    loops = {
        "before": base._trust_kernel(),
        "after": after._trust_kernel(),
    }
    outs = {side: [np.empty_like(a) for a in saved[-5:]] for side in loops}

    def cpu_ms(side: str) -> float:
        start = time.process_time()
        loops[side](*saved[:-5], *outs[side])
        return (time.process_time() - start) * 1000

    for side in loops:  # compile or load, and write each side's outputs once
        cpu_ms(side)
    same = all(a.tobytes() == b.tobytes() for a, b in zip(*outs.values(), strict=True))
    times: dict[str, list[float]] = {side: [] for side in loops}
    for i in range(args.repeat):
        for side in ("before", "after") if i % 2 == 0 else ("after", "before"):
            times[side].append(cpu_ms(side))
    load.append(os.getloadavg()[0])
    med = {side: statistics.median(v) for side, v in times.items()}
    low = {side: min(v) for side, v in times.items()}
    sha = os.popen(f"git -C {HERE} rev-parse --short HEAD").read().strip()
    result = {
        "base": args.base, "after": sha, "cities": args.cities, "ties": saved[0].size,
        "load": load, "times_ms": times, "median_ms": med, "min_ms": low,
        "ratio_median": med["after"] / med["before"], "ratio_min": low["after"] / low["before"],
        "identical": same,
    }  # fmt: skip
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.name}.json").write_text(json.dumps(result, indent=1) + "\n")
    text = "\n".join(
        [
            "# Stage 6's trust loop before and after, on one large month's arguments",
            "",
            f"Before: `{args.base}`; after: this checkout (`{sha}` plus its working tree). "
            f"{args.cities:,} synthetic cities (UCLG settings, {saved[0].size:,} ties), the "
            f"arguments of month {args.warm + 1}; {args.repeat} calls a side, alternating; "
            f"CPU ms. Load average {load[0]:.1f} at the start and {load[1]:.1f} at the end "
            "(a shared 2-core machine).",
            "",
            "| side | median ms | min ms |",
            "| --- | ---: | ---: |",
            f"| before | {med['before']:.1f} | {low['before']:.1f} |",
            f"| after | {med['after']:.1f} | {low['after']:.1f} |",
            f"| after / before | {result['ratio_median']:.2f} | {result['ratio_min']:.2f} |",
            "",
            f"Outputs identical bit for bit: {'yes' if same else '**no**'}.",
        ]
    )
    (RESULTS / f"{args.name}.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
