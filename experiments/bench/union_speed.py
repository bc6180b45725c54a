"""Benchmark: a scenario's policies as one union batch (``sim.engine.union``) against the
ensemble's one batch per structure (issue 14: validate's 150 tuzla runs in <= 2 s).

For each scenario, the policies a union can hold today (levers that differ from the
baseline's only per city) x 30 seeds, in this one process, taking turns (CPU seconds):

- ``ensemble``: ``Ensemble(scenario, seeds=range(30), policies=..., batch_size=30).run()``,
  one worker: one batch per structure (``batch_size`` keeps the ensemble off the union path,
  which it takes by itself since perf150: without it this column was a union too, valcmd);
- ``union``: ``union_batch(...)`` with a row per seed and a block per policy, run to the
  horizon, each block's series recorded by its own world's recorder (its logs are not split
  into outputs yet);
- ``union_half``: the same with 15 rows, what each of two workers would run.

And the recorder's cost: 181 months recorded on the tuzla union world as one (30 rows)
against the same on each block's own world (what recording per block costs, without slicing
the state).

    .venv/bin/python experiments/bench/union_speed.py --repeat 3

Writes ``results/<name>.json`` and ``.md`` (``--name``, default ``union_speed_perf150``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import time
from pathlib import Path

import numpy as np

from sim.engine.batch import Batch
from sim.engine.ensemble import Ensemble
from sim.engine.inputs import load_case, model_params, resolve_levers
from sim.engine.observe import Recorder
from sim.engine.union import PER_CITY_LEVERS, union_batch, union_world
from sim.scenario.loader import load_scenario

RESULTS = Path(__file__).resolve().parent / "results"
SEEDS = 30


def mergeable(scenario: str) -> tuple[list, list]:
    """Baseline and the policies whose levers differ from its only per city."""
    cases, levers = [], []
    for policy in ["baseline", *load_scenario(scenario).policies]:
        case = load_case(scenario, 0, None, policy, None)
        lever = resolve_levers(case, {})
        if levers:
            differ = {
                f.name
                for f in dataclasses.fields(lever)
                if getattr(lever, f.name) != getattr(levers[0], f.name)
            }
            if differ - set(PER_CITY_LEVERS):
                continue
        cases.append(case)
        levers.append(lever)
    return cases, levers


def recorder_cost(worlds: list, rows: int) -> float:
    """CPU seconds of a horizon of recording on each world (a stepped batch's month)."""
    params, done = model_params({}), []
    for world in worlds:
        b = Batch(world, [params] * rows, [resolve_levers(world.case, {})] * rows,
                  [np.random.default_rng(s) for s in range(rows)])  # fmt: skip
        b.step()
        done.append((world, b.state, b.month))
    start = time.process_time()
    for world, state, month in done:
        rec = Recorder(world, rows)
        for _ in range(world.horizon):
            rec.record(state, month)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--scenarios", nargs="*", default=["tuzla", "map", "seoul_pyongyang", "croatia_twinnings"]
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--name", default="union_speed_perf150", help="results file stem")
    args = parser.parse_args()
    load = os.getloadavg()
    results: dict[str, dict] = {}
    for scenario in args.scenarios:
        cases, levers = mergeable(scenario)
        policies = [c.policy for c in cases]
        params = model_params({})

        def ensemble(policies: list[str] = policies, scenario: str = scenario) -> None:
            Ensemble(scenario, seeds=range(SEEDS), policies=policies, workers=1,
                     batch_size=SEEDS).run()  # fmt: skip

        def union(rows: int, cases: list = cases, levers: list = levers, params=params) -> None:
            union_batch(cases, [params] * rows, [levers] * rows, range(rows))[0].run()

        runs = {"ensemble": ensemble, "union": lambda: union(SEEDS)}
        runs["union_half"] = lambda: union(SEEDS // 2)
        union(2)  # warm up both paths
        ensemble()
        times: dict[str, list[float]] = {k: [] for k in runs}
        for _ in range(args.repeat):
            for key, run in runs.items():
                start = time.process_time()
                run()
                times[key].append(round(time.process_time() - start, 3))
        groups = len({_structure_key(c) for c in cases})
        row = {"policies": policies, "ensemble_batches": groups, "cpu_s": times}
        row["median"] = {k: statistics.median(v) for k, v in times.items()}
        row["union_over_ensemble"] = round(row["median"]["union"] / row["median"]["ensemble"], 3)
        row["union_half_over_ensemble"] = round(
            row["median"]["union_half"] / row["median"]["ensemble"], 3
        )
        results[scenario] = row
        print(scenario, json.dumps(row["median"]), row["union_over_ensemble"], flush=True)
    cases, _ = mergeable("tuzla")
    union, alone, _ = union_world(cases)
    rec = {"union_world": [], "each_block": []}
    for _ in range(args.repeat):
        rec["union_world"].append(round(recorder_cost([union], SEEDS), 3))
        rec["each_block"].append(round(recorder_cost(alone, SEEDS), 3))
    results["tuzla recorder, 181 months x 30 rows"] = {
        k: {"cpu_s": v, "median": statistics.median(v)} for k, v in rec.items()
    }
    meta = {"date": time.strftime("%Y-%m-%d %H:%M"), "load_before": list(load),
            "load_after": list(os.getloadavg()), "repeat": args.repeat, "seeds": SEEDS}  # fmt: skip
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{args.name}.json").write_text(
        json.dumps({"meta": meta, "results": results}, indent=1) + "\n"
    )
    (args.out / f"{args.name}.md").write_text(markdown(meta, results))
    print((args.out / f"{args.name}.md").read_text())


def _structure_key(case: object) -> str:
    from sim.engine.ensemble import _structure

    return _structure(case)


def markdown(meta: dict, results: dict) -> str:
    lines = [
        "# Union batches against the ensemble's batches (perf150)",
        "",
        f"{meta['date']}; CPU seconds in one process, taking turns, median of "
        f"{meta['repeat']}; {meta['seeds']} seeds per policy; load average "
        f"{meta['load_before'][0]:.1f} before, {meta['load_after'][0]:.1f} after (a shared "
        "2-core VM: read the ratios). The union records each block with its own world's "
        "recorder (the last table: what that costs against one recorder of the union).",
        "",
        "| scenario | policies (runs) | ensemble batches | ensemble | union | union / ensemble "
        "| union, half the rows | half / ensemble |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for scenario, row in results.items():
        if "policies" not in row:
            continue
        m = row["median"]
        lines.append(
            f"| {scenario} | {', '.join(row['policies'])} ({len(row['policies']) * meta['seeds']})"
            f" | {row['ensemble_batches']} | {m['ensemble']:.2f} s | {m['union']:.2f} s | "
            f"{row['union_over_ensemble']:.2f} | {m['union_half']:.2f} s | "
            f"{row['union_half_over_ensemble']:.2f} |"
        )
    rec = results.get("tuzla recorder, 181 months x 30 rows")
    if rec:
        lines += [
            "",
            "| tuzla recorder, 181 months x 30 rows | CPU |",
            "| --- | ---: |",
            f"| the union world, once | {rec['union_world']['median']:.2f} s |",
            f"| each block's own world (5 recorders) | {rec['each_block']['median']:.2f} s |",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
