"""The governance stage (``sim.engine.stages.governance``) with its compiled loop
(``sim.engine.kernels.governance``) and in its numpy form, month by month in one run.

One synthetic world (scale_run's UCLG settings) is built once and stepped with the governance
stage's loop switched on and off in alternate months (every other stage as usual), in one
process; the stage's own CPU (``time.process_time`` around ``update_governance``) and the whole
month's are recorded, medians per side. Both forms give the same results bit for bit
(``tests/test_kernels.py``), so alternating does not change the run. Before timing, one month's
governance update is run both ways from the same state and the governance trust compared.

    .venv/bin/python experiments/bench/governance_loops.py --cities 250000 --months 12

Writes ``results/<name>.json`` and ``.md`` (branch perf16).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import time
import types
from pathlib import Path

HERE = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_run import UCLG  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=250_000)
    parser.add_argument("--months", type=int, default=12, help="months timed (half each way)")
    parser.add_argument("--name", default="governance_loops")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    logging.getLogger("MESA").setLevel(logging.WARNING)
    import sim.engine.stages.trust as trust_stage
    from sim import PeaceModel
    from sim.engine.stages import governance
    from sim.rules import fused
    from sim.scenario.synthetic import SyntheticSpec, generate

    spec = SyntheticSpec(n_cities=args.cities, horizon=args.months + 4, **UCLG)
    model = PeaceModel(generate(spec, seed=1), seed=1, cities_every=12, cities_max=2000)
    on = {"loop": True}
    governance.fused = types.SimpleNamespace(wanted=lambda size: on["loop"] and fused.wanted(size))
    original, spent, same = governance.update_governance, [0.0], []

    def timed(world, state, co, month, cultural) -> None:  # noqa: ANN001
        if not same:  # once: both forms from the same state
            rows = governance.layout(world).rows
            before = state.ties.trust.copy()
            results = []
            for loop in (False, True):
                state.ties.trust[...] = before
                on["loop"] = loop
                original(world, state, co, month, cultural)
                results.append(state.ties.trust[:, rows].copy())
            same.append(results[0].tobytes() == results[1].tobytes())
            state.ties.trust[...] = before
            on["loop"] = True
        start = time.process_time()
        original(world, state, co, month, cultural)
        spent[0] += time.process_time() - start

    trust_stage.governance.update_governance = timed
    load_before = os.getloadavg()
    for loop in (True, False):  # warm-up both ways (the loop compiled or loaded)
        on["loop"] = loop
        model.step()
    cpu: dict[bool, list[float]] = {True: [], False: []}
    stage: dict[bool, list[float]] = {True: [], False: []}
    for month in range(args.months):
        on["loop"] = month % 2 == 0
        spent[0] = 0.0
        start = time.process_time()
        model.step()
        cpu[on["loop"]].append(1e3 * (time.process_time() - start))
        stage[on["loop"]].append(1e3 * spent[0])
    med = {k: (statistics.median(cpu[k]), statistics.median(stage[k])) for k in cpu}
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True
    ).stdout.strip()
    result = {
        "commit": commit, "cities": args.cities, "ties": model.world.n_ties,
        "border_ties": int(governance.layout(model.world).border.size),
        "months_each": len(cpu[True]), "identical": bool(same and same[0]),
        "month_cpu_ms": {"loop": med[True][0], "numpy": med[False][0]},
        "stage_cpu_ms": {"loop": med[True][1], "numpy": med[False][1]},
        "load_before": list(load_before), "load_after": list(os.getloadavg()),
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "months_ms": {"loop": cpu[True], "numpy": cpu[False]},
        "stage_ms": {"loop": stage[True], "numpy": stage[False]},
    }  # fmt: skip
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{args.name}.json").write_text(json.dumps(result, indent=1) + "\n")
    (args.out / f"{args.name}.md").write_text(markdown(result))
    print(markdown(result))


def markdown(res: dict) -> str:
    """The table to read."""
    m, s = res["month_cpu_ms"], res["stage_cpu_ms"]
    load = f"{res['load_before'][0]:.1f} -> {res['load_after'][0]:.1f}"
    return (
        f"# The governance stage, loop against numpy ({res['commit']})\n\n"
        f"{res['cities']:,} synthetic cities (UCLG settings; {res['ties']:,} ties, "
        f"{res['border_ties']:,} cross-border carrying), {res['months_each']} months each way, "
        f"alternating, one process; load {load}. One month's governance trust from the same "
        f"state identical both ways: **{res['identical']}**.\n\n"
        "| CPU ms, median | numpy | loop | loop / numpy |\n| --- | ---: | ---: | ---: |\n"
        f"| governance stage | {s['numpy']:.1f} | {s['loop']:.1f} | "
        f"{s['loop'] / s['numpy']:.2f} |\n"
        f"| whole month | {m['numpy']:.1f} | {m['loop']:.1f} | {m['loop'] / m['numpy']:.2f} |\n"
    )


if __name__ == "__main__":
    main()
