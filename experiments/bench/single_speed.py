"""Single-run speed, before and after: the same runs on two source trees, side by side.

Two source trees of citypeace (``--before``, by default ``git archive`` of ``--base`` unpacked
into a temporary folder; ``--after``, this checkout) both hold a package named ``sim``, so they
cannot share a process. Each measurement is a fresh subprocess on one tree that times only the
run (the world built and stepped, the time series built; imports and scenario loading are
outside the clock) and reports wall and CPU seconds and its peak RSS. The two trees alternate
(before, after, before, after, ...) so that the load of a shared machine falls on both alike;
the ratio of the medians is the figure to read.

Cases: the shipped scenarios (tuzla, map, seoul_pyongyang, seed 0, their own horizons), the
synthetic world of 10,000 cities x 240 months with scale.py's UCLG settings (50 countries, 20
networks, twinning degree 7.4; about 50,000 ties), and, with ``--large``, the same world at
250,000 cities (about 1.25 million ties; minutes per run: ``--large-repeat`` runs a side,
default one, each with the load average at its start and end). ``--record`` adds the
validation record's command for tuzla (``citypeace validate seeds=S nulls=all perturb=0.25
draws=D``) end to end, with reduced seeds and draws by default. ``--cases validate_150`` times
the 150 runs of ``citypeace validate scenario=tuzla seeds=30`` as one ``Ensemble`` in one
worker (its ``timeseries()`` built, as a run's is).

    .venv/bin/python experiments/bench/single_speed.py --base a261a79 --repeat 3 --record
    .venv/bin/python experiments/bench/single_speed.py --base a261a79 --cases --large

``--head <commit>`` measures a commit rather than the checkout (so the checkout can change
while the benchmark runs). ``--inprocess`` times the cases with both engines loaded in this one
process, taking turns run by run (``two_engines.py``): the fairest comparison on a shared
machine, in CPU seconds.

Writes ``results/single_speed.json`` and ``results/single_speed.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
HERE = Path(__file__).resolve().parents[2]
SYNTHETIC = (
    "from sim.scenario.synthetic import SyntheticSpec, generate\n"
    "case = generate(SyntheticSpec(n_cities={n}, horizon=240, n_countries=50, n_networks=20, "
    "mean_degree=7.4), seed=1)\n"
    "build = lambda: PeaceModel(case, seed=1, cities_every=12, cities_max=2000)\n"
)
CASES = {
    "tuzla": "build = lambda: PeaceModel('tuzla', seed=0)\n",
    "map": "build = lambda: PeaceModel('map', seed=0)\n",
    "seoul_pyongyang": "build = lambda: PeaceModel('seoul_pyongyang', seed=0)\n",
    "synthetic_10k": SYNTHETIC.format(n=10_000),
    # validate scenario=tuzla seeds=30's 150 runs (nulls=none): the baseline and the four
    # policies its contrasts name, 30 seeds each, as one Ensemble in one worker (5 batches)
    "validate_150": (
        "from sim import Ensemble\n"
        "policies = ['baseline', 'low_participation', 'no_abc', 'no_coordination', "
        "'no_field_visits']\n"
        "build = lambda: Ensemble('tuzla', seeds=range(30), policies=policies, workers=1)\n"
    ),
}
LARGE = {"synthetic_250k": SYNTHETIC.format(n=250_000)}
TIMER = """
import resource, time
from sim import PeaceModel
{setup}
c0, t0 = time.process_time(), time.perf_counter()
model = build()
model.run()
model.timeseries()
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
print(wall, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def measure(tree: Path, setup: str) -> dict[str, float]:
    """Wall and CPU seconds of one run, and the process's peak RSS (MB), on ``tree``."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run(
        [sys.executable, "-c", TIMER.format(setup=setup)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    wall, cpu, rss = map(float, out.stdout.split()[-3:])
    return {"wall_s": wall, "cpu_s": cpu, "peak_rss_mb": rss}


def record(tree: Path, seeds: int, draws: int) -> dict[str, float]:
    """The validation record's command for tuzla, end to end, in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    with tempfile.TemporaryDirectory() as out:
        args = [
            sys.executable, "-m", "sim", "validate", "scenario=tuzla", f"seeds={seeds}",
            "nulls=all", "perturb=0.25", f"draws={draws}", f"out={out}/tuzla", "-q",
        ]  # fmt: skip
        before = os.times()
        start = time.perf_counter()
        proc = subprocess.run(args, cwd=tree, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - start
        after = os.times()
    if proc.returncode not in (0, 1):  # 1: a pattern failed, a result rather than an error
        raise SystemExit(f"validate failed on {tree}:\n{proc.stderr[-2000:]}")
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return {"wall_s": wall, "cpu_s": cpu, "peak_rss_mb": float("nan")}


def side_by_side(trees: dict[str, Path], repeat: int, run) -> dict[str, object]:  # noqa: ANN001
    """``run(tree)`` ``repeat`` times per tree, alternating; medians and the after/before ratio."""
    times: dict[str, list[dict[str, float]]] = {side: [] for side in trees}
    for _ in range(repeat):
        for side, tree in trees.items():
            times[side].append(run(tree))
    row: dict[str, object] = {"runs": times}
    for side in trees:
        for key in ("wall_s", "cpu_s", "peak_rss_mb"):
            row[f"{side}_{key}"] = statistics.median(m[key] for m in times[side])
    row["ratio_wall"] = row["after_wall_s"] / row["before_wall_s"]
    row["ratio_cpu"] = row["after_cpu_s"] / row["before_cpu_s"]
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="a261a79", help="commit of the 'before' tree")
    parser.add_argument("--before", type=Path, help="an unpacked 'before' tree (else --base)")
    parser.add_argument("--after", type=Path, default=HERE)
    parser.add_argument(
        "--head", help="a commit for the 'after' tree (unpacked like --base; else --after)"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cases", nargs="*", default=list(CASES))
    parser.add_argument("--large", action="store_true", help="also 250,000 cities")
    parser.add_argument(
        "--large-repeat", type=int, default=1, help="250,000-city runs a side (default 1)"
    )
    parser.add_argument("--name", default="single_speed", help="results file name, no suffix")
    parser.add_argument("--record", action="store_true", help="also the validation record")
    parser.add_argument("--seeds", type=int, default=10, help="the record's seeds")
    parser.add_argument("--draws", type=int, default=5, help="the record's coefficient draws")
    parser.add_argument("--record-repeat", type=int, default=2)
    parser.add_argument(
        "--inprocess",
        action="store_true",
        help="time the cases with both engines in this process, alternating (CPU seconds)",
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        before = args.before or _unpack(args.base, Path(tmp) / "before")
        after = _unpack(args.head, Path(tmp) / "after") if args.head else args.after
        trees = {"before": before, "after": after}
        results = _measure_all(args, trees)
    commit = (
        args.head
        or subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True
        ).stdout.strip()
    )
    meta = {
        "base": args.base if args.before is None else str(args.before),
        "after_commit": commit,
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "load_before": list(results.pop("_load_before")),
        "load_after": list(os.getloadavg()),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "repeat": args.repeat,
        "record_repeat": args.record_repeat,
        "large_repeat": args.large_repeat,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    payload = {"meta": meta, "results": results}
    (args.out / f"{args.name}.json").write_text(json.dumps(payload, indent=1) + "\n")
    (args.out / f"{args.name}.md").write_text(markdown(meta, results))
    print((args.out / f"{args.name}.md").read_text())


def _unpack(commit: str, into: Path) -> Path:
    """The source tree of ``commit`` (git archive), unpacked into ``into``."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", commit], cwd=HERE, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def _measure_all(args: argparse.Namespace, trees: dict[str, Path]) -> dict[str, object]:
    results: dict[str, object] = {"_load_before": os.getloadavg()}
    if args.inprocess:  # both engines in this process, taking turns (two_engines.py)
        from two_engines import TwoEngines, alternate

        engines = TwoEngines(trees)
        for case in args.cases:
            results[f"{case} (in one process)"] = row = alternate(engines, CASES[case], args.repeat)
            print(case, f"in one process: after/before {row['ratio_cpu']:.3f} CPU", flush=True)
        engines.use("after")
    for case in [] if args.inprocess else args.cases:
        results[case] = side_by_side(trees, args.repeat, lambda t, c=case: measure(t, CASES[c]))
        print(case, _line(results[case]), flush=True)
    if args.large:
        for case, setup in LARGE.items():
            results[case] = side_by_side(
                trees, args.large_repeat, lambda t, s=setup: _measure_loaded(t, s)
            )
            print(case, _line(results[case]), flush=True)
    if args.record:
        name = f"validate_record_tuzla_seeds{args.seeds}_draws{args.draws}"
        results[name] = side_by_side(
            trees, args.record_repeat, lambda t: record(t, args.seeds, args.draws)
        )
        print(name, _line(results[name]), flush=True)
    return results


def _measure_loaded(tree: Path, setup: str) -> dict[str, float]:
    """:func:`measure`, with the load average at its start and end (long runs on a shared
    machine: the load each one ran under)."""
    start = os.getloadavg()[0]
    row = measure(tree, setup)
    print(f"  {tree.name}: {row} (load {start:.1f} -> {os.getloadavg()[0]:.1f})", flush=True)
    return {**row, "load_start": start, "load_end": os.getloadavg()[0]}


def _line(row: dict[str, object]) -> str:
    return (
        f"before {row['before_wall_s']:.2f} s, after {row['after_wall_s']:.2f} s wall; "
        f"after/before {row['ratio_wall']:.2f} wall, {row['ratio_cpu']:.2f} CPU"
    )


def markdown(meta: dict[str, object], results: dict[str, object]) -> str:
    """The table to read."""
    lines = [
        "# Single-run speed, before and after",
        "",
        f"Before: `{meta['base']}`; after: `{meta['after_commit']}` (this branch). Median of "
        f"{meta['repeat']} fresh processes per side, alternating before/after (250,000 cities: "
        f"{meta.get('large_repeat', 1)} each; the validation record: {meta['record_repeat']} "
        "each). Run time only: the "
        "world built and stepped and the time series built (the validation record: the whole "
        "command). "
        f"{meta['cpus']} CPUs, Python {meta['python']}, measured {meta['date']}; load average "
        f"{meta['load_before'][0]:.1f} at the start and {meta['load_after'][0]:.1f} at the end: "
        "**the machine was shared** with other work, so absolute times carry its load; the "
        "ratios, measured side by side, are the figures to read.",
    ]
    inprocess = {case: row for case, row in results.items() if "before_wall_s" not in row}
    if len(inprocess) < len(results):
        lines += [
            "",
            "Fresh processes per run:",
            "",
            "| case | before wall (s) | after wall (s) | after / before, wall | before CPU (s) | "
            "after CPU (s) | after / before, CPU | peak RSS before (MB) | peak RSS after (MB) |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
    for case, row in results.items():
        if case in inprocess:
            continue
        lines.append(
            f"| {case} | {row['before_wall_s']:.2f} | {row['after_wall_s']:.2f} | "
            f"**{row['ratio_wall']:.2f}** | {row['before_cpu_s']:.2f} | {row['after_cpu_s']:.2f} | "
            f"{row['ratio_cpu']:.2f} | {row['before_peak_rss_mb']:.0f} | "
            f"{row['after_peak_rss_mb']:.0f} |"
        )
    if inprocess:
        lines += [
            "",
            "Both engines in one process (``--inprocess``, ``two_engines.py``), taking turns "
            "run by run after a warm-up run each; CPU seconds, median of "
            f"{meta['repeat']} runs per side:",
            "",
            "| case | before CPU (s) | after CPU (s) | after / before |",
            "| --- | ---: | ---: | ---: |",
        ]
        for case, row in inprocess.items():
            lines.append(
                f"| {case} | {row['before_cpu_s']:.3f} | {row['after_cpu_s']:.3f} | "
                f"**{row['ratio_cpu']:.3f}** |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
