"""The compiled loops of ``sim.engine.kernels`` against the numpy form, month by month in one run.

One synthetic world (scale.py's UCLG settings) is built once and stepped with the stages'
compiled loops switched on and off in alternate months, in one process, so both paths see the
same load, caches and state sizes; the figure to read is the ratio of the median CPU
milliseconds per month. "Off" is the numpy form of every stage, with ``parts_taken``'s
compiled count still on (``sim.rules.fused``, as before the kernels). Both paths give the same
results bit for bit (``tests/test_kernels.py``), so alternating does not change the run.

    .venv/bin/python experiments/bench/kernels_speed.py --cities 250000 --months 16

Writes ``results/kernels_speed.json`` and ``results/kernels_speed.md``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import statistics
import time
import types
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
STAGES = ("gates", "proposals", "delivery", "projects", "trust", "ladder")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=250_000)
    parser.add_argument("--months", type=int, default=16, help="months timed (half each way)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    logging.getLogger("MESA").setLevel(logging.WARNING)
    from sim import PeaceModel
    from sim.rules import fused
    from sim.scenario.synthetic import SyntheticSpec, generate

    spec = SyntheticSpec(
        n_cities=args.cities, horizon=args.months + 2, n_countries=50, n_networks=20,
        mean_degree=7.4,
    )  # fmt: skip
    model = PeaceModel(generate(spec, seed=1), seed=1, cities_every=12, cities_max=2000)
    on = {"kernels": True}
    # The stages ask sim.rules.fused whether to use their loops; this stand-in answers "no"
    # in the months timed without them (parts_taken keeps asking the real module).
    switch = types.SimpleNamespace(wanted=lambda size: on["kernels"] and fused.wanted(size))
    for name in STAGES:
        importlib.import_module(f"sim.engine.stages.{name}").fused = switch
    load_before = os.getloadavg()
    model.step()  # warm-up both ways: numba's cached loops loaded, buffers allocated
    on["kernels"] = False
    model.step()
    cpu: dict[bool, list[float]] = {True: [], False: []}
    for month in range(args.months):
        on["kernels"] = month % 2 == 0
        start = time.process_time()
        model.step()
        cpu[on["kernels"]].append(1e3 * (time.process_time() - start))
    with_loops, without = statistics.median(cpu[True]), statistics.median(cpu[False])
    result = {
        "cities": args.cities,
        "ties": model.world.n_ties,
        "months_each": len(cpu[True]),
        "cpu_ms_per_month_kernels": with_loops,
        "cpu_ms_per_month_numpy": without,
        "ratio": with_loops / without,
        "load_before": list(load_before),
        "load_after": list(os.getloadavg()),
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "cpus": os.cpu_count(),
        "months_ms": {"kernels": cpu[True], "numpy": cpu[False]},
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "kernels_speed.json").write_text(json.dumps(result, indent=1) + "\n")
    (args.out / "kernels_speed.md").write_text(markdown(result))
    print(markdown(result))


def markdown(r: dict) -> str:
    """The table to read."""
    return (
        "# Compiled loops against the numpy form, in one run\n\n"
        f"Synthetic world of {r['cities']:,} cities ({r['ties']:,} ties), months alternating "
        f"with the stages' compiled loops on and off, {r['months_each']} months each; median "
        f"CPU ms per month. {r['cpus']} CPUs, measured {r['date']}, load average "
        f"{r['load_before'][0]:.1f} at the start and {r['load_after'][0]:.1f} at the end: **the "
        "machine was shared**, so the milliseconds carry its load; the ratio, measured side by "
        "side, is the figure to read.\n\n"
        "| path | CPU ms / month |\n| --- | ---: |\n"
        f"| numpy form (parts' count compiled) | {r['cpu_ms_per_month_numpy']:.1f} |\n"
        f"| compiled loops (`sim/engine/kernels/`) | {r['cpu_ms_per_month_kernels']:.1f} |\n"
        f"| ratio | **{r['ratio']:.3f}** |\n"
    )


if __name__ == "__main__":
    main()
