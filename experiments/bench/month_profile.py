"""Where one engine's month goes: stage CPU timers and a cProfile of the busiest functions.

Builds one synthetic world (scale.py's recording; ``--uclg`` for the UCLG generator settings
the 250,000-city row uses), steps it ``--warm`` months (compiling or loading the loops), then
times ``--months`` months with month_speed.py's stage timers and a second set of months under
cProfile (own time of the top functions; the profiler's overhead inflates the many small
calls, so read its shares, and the stage timers for the month's CPU). Also counts the calls
a month makes that cProfile sees (Python functions, builtins and numpy's functions and
methods; ufuncs applied through operators, ``a * b``, are not among them).

    .venv/bin/python experiments/bench/month_profile.py --cities 250000 --uclg \
        --name month_profile_250k

``--validate S`` profiles instead what ``citypeace validate scenario=tuzla seeds=S`` runs (the
full model, every policy a contrast names and the baseline, 5 x S replicates, as ``Ensemble``
runs them in one worker: since perf150 one union batch whose blocks are the policies' worlds,
``sim.engine.union``; before it, one batch per structure, 4 for tuzla): one warm-up ensemble,
then one timed and one under cProfile.
Its "month" is one batch's month; building the batches (worlds, states, coefficients) and
their outputs count outside the months.

Writes ``results/<name>.json`` and ``results/<name>.md``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import logging
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from month_speed import _time_stages  # noqa: E402
from scale_run import UCLG  # noqa: E402


def build(n: int, uclg: bool) -> Any:
    """The synthetic world at ``n`` cities, as scale_run builds it."""
    from sim import PeaceModel
    from sim.scenario.synthetic import SyntheticSpec, generate

    spec = SyntheticSpec(n_cities=n, horizon=240, **(UCLG if uclg else {}))
    return PeaceModel(generate(spec, seed=1), seed=1, cities_every=12, cities_max=2000)


class _Validate:
    """validate's tuzla ensemble (``--validate``), stepped as a whole: ``step()`` runs it
    once; ``months`` is how many batch-months a run holds, ``step_cpu`` the CPU seconds spent
    inside ``Batch.step`` (the months) in the last run. With ``lhs``, the first ``lhs`` points
    of the bench_lhs design on tuzla instead (``--lhs``, one batch: a sweep job's)."""

    def __init__(self, seeds: int, lhs: int = 0) -> None:
        from ensemble_speed import lhs_replicates, validate_replicates

        from sim.engine import batch

        self.reps = lhs_replicates(lhs) if lhs else validate_replicates(seeds)
        self.horizon = 240 if lhs else None
        self.batch = batch
        self.months = 0
        self.step_cpu = 0.0
        self.ties = 0
        self.batches: set[int] = set()
        inner = batch.Batch.step

        def counted(b: Any) -> None:
            start = time.process_time()
            inner(b)
            self.step_cpu += time.process_time() - start
            self.months += 1
            self.ties = int(b.world.ties.src.size)
            self.batches.add(id(b))

        batch.Batch.step = counted  # type: ignore[method-assign]

    def step(self) -> None:
        from sim import Ensemble

        self.months, self.step_cpu, self.batches = 0, 0.0, set()
        Ensemble("tuzla", self.reps, horizon=self.horizon, workers=1).run()


def profile(
    n: int, uclg: bool, months: int, warm: int, top: int, validate: int = 0, lhs: int = 0
) -> dict[str, Any]:
    """Stage CPU ms per month, and cProfile's top functions by own time."""
    logging.getLogger("MESA").setLevel(logging.WARNING)
    model = _Validate(validate, lhs) if validate or lhs else build(n, uclg)
    validate = validate or lhs
    runs = 1 if validate else months  # an ensemble run is many months
    for _ in range(warm):
        model.step()
    modules = {k: v for k, v in sys.modules.items() if k.split(".")[0] == "sim"}
    spent: dict[str, float] = {}
    _time_stages(modules, spent)
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(runs):
        model.step()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    extra: dict[str, Any] = {}
    if validate:
        months = model.months
        extra = {
            "replicates": len(model.reps),
            "batches": len(model.batches),
            "batch_months": months,
            "ensemble_cpu_s": cpu,
            "ensemble_wall_s": wall,
            "outside_months_cpu_ms": 1e3 * (cpu - model.step_cpu),
        }
        cpu = model.step_cpu  # the months' CPU; the rest is building and outputs
    stages = {k: 1e3 * v / months for k, v in spent.items()}
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        model.step()
    profiler.disable()
    stats = pstats.Stats(profiler)
    rows = []
    for (file, line, name), (_, calls, own, cum, _) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append({
            "function": f"{Path(file).name}:{line}({name})",
            "calls": calls / months,
            "own_ms": 1e3 * own / months,
            "cum_ms": 1e3 * cum / months,
        })  # fmt: skip
    rows.sort(key=lambda r: -r["own_ms"])
    numpy_calls = sum(
        r["calls"] for r in rows if "numpy" in r["function"] or r["function"].startswith("~:0(<")
    )
    return {
        **extra,
        "ties": int(model.ties if validate else model.ties.src.size),
        "cpu_ms": 1e3 * cpu / months,
        "wall_ms": 1e3 * wall / months,
        "stage_cpu_ms": stages,
        "profiled_ms": 1e3 * stats.total_tt / months,  # type: ignore[attr-defined]
        "calls_per_month": sum(r["calls"] for r in rows),
        "builtin_and_numpy_calls_per_month": numpy_calls,
        "top": rows[:top],
    }


def markdown(meta: dict[str, Any], res: dict[str, Any]) -> str:
    total = sum(res["stage_cpu_ms"].values())
    if meta.get("lhs"):
        title = f"a batch of {res['replicates']} tuzla LHS replicates"
        what = (
            f"The first {meta['lhs']} points of `design=bench_lhs` on tuzla, 240 months, as "
            f"one batch ({res['batches']} batch(es), {res['ties']} ties), one worker; "
            f"{meta['warm']} warm-up ensemble, then one timed ({res['ensemble_cpu_s']:.2f} s "
            f"CPU, {res['ensemble_wall_s']:.2f} s wall, of which "
            f"{res['outside_months_cpu_ms']:.0f} ms CPU outside the months) and one under "
            f"cProfile. A replicate-month costs **"
            f"{1e3 * res['cpu_ms'] / res['replicates']:.1f} us CPU**. "
        )
    elif meta.get("validate"):
        title = f"validate's tuzla batch-month ({res['replicates']} replicates)"
        what = (
            f"What `citypeace validate scenario=tuzla seeds={meta['validate']}` runs: "
            f"{res['replicates']} replicates in {res['batches']} batch(es) (a union batch "
            f"holds the policies' worlds as blocks; {res['ties']} ties in the last), "
            f"{res['batch_months']} batch-months, "
            f"one worker; {meta['warm']} warm-up ensemble, then one timed "
            f"({res['ensemble_cpu_s']:.2f} s CPU, {res['ensemble_wall_s']:.2f} s wall, of which "
            f"{res['outside_months_cpu_ms']:.0f} ms CPU outside the months: building the "
            "batches and their outputs) and one under cProfile. A month below is one batch's "
            "month (its rows times its blocks are the replicates). "
        )
    else:
        title = f"a {meta['cities']:,}-city month"
        what = (
            f"{meta['cities']:,} synthetic cities ({'UCLG' if meta['uclg'] else 'default'}"
            f" generator settings; {res['ties']:,} ties), {meta['warm']} warm-up months, then "
            f"{meta['months']} timed months and {meta['months']} months under cProfile. "
        )
    lines = [
        f"# Where {title} goes ({meta['commit']})",
        "",
        what + f"{meta['cpus']} CPUs; load average {meta['load_before'][0]:.1f} at the start and "
        f"{meta['load_after'][0]:.1f} at the end: the machine was shared with other helpers' "
        "work, so read the shares; absolute times carry the load.",
        "",
        f"A month: **{res['cpu_ms']:.1f} ms CPU** ({res['wall_ms']:.1f} ms wall).",
        "",
        "| stage | CPU ms / month | share |",
        "| --- | ---: | ---: |",
    ]
    for name, ms in sorted(res["stage_cpu_ms"].items(), key=lambda kv: -kv[1]):
        lines.append(f"| {name} | {ms:.1f} | {100 * ms / max(res['cpu_ms'], 1e-9):.0f}% |")
    lines += [
        f"| all timed stages | {total:.1f} | {100 * total / max(res['cpu_ms'], 1e-9):.0f}% |",
        f"| the rest (step's glue, events, settle, finiteness check) | "
        f"{res['cpu_ms'] - total:.1f} | "
        f"{100 * (res['cpu_ms'] - total) / max(res['cpu_ms'], 1e-9):.0f}% |",
        "",
        f"Under cProfile a month is {res['profiled_ms']:.1f} ms with "
        f"{res['calls_per_month']:,.0f} function calls that cProfile sees "
        f"({res['builtin_and_numpy_calls_per_month']:,.0f} of them builtins and numpy's; ufuncs "
        "applied through operators are not counted). Top functions by own time (ms a month):",
        "",
        "| function | calls / month | own ms | cumulative ms |",
        "| --- | ---: | ---: | ---: |",
    ]
    for row in res["top"]:
        lines.append(
            f"| `{row['function']}` | {row['calls']:.0f} | {row['own_ms']:.2f} | "
            f"{row['cum_ms']:.2f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=250_000)
    parser.add_argument("--uclg", action="store_true", help="the UCLG generator settings")
    parser.add_argument("--months", type=int, default=8)
    parser.add_argument("--warm", type=int, default=2)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--name", default="month_profile")
    parser.add_argument(
        "--validate", type=int, default=0, metavar="S",
        help="profile validate's tuzla ensemble at S seeds instead (--warm: warm-up ensembles)",
    )  # fmt: skip
    parser.add_argument(
        "--lhs", type=int, default=0, metavar="N",
        help="profile a batch of the bench_lhs design's first N points on tuzla instead",
    )  # fmt: skip
    args = parser.parse_args()
    load_before = os.getloadavg()
    res = profile(args.cities, args.uclg, args.months, args.warm, args.top, args.validate, args.lhs)
    commit = subprocess.run(
        ["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    meta = {
        "cities": args.cities,
        "uclg": args.uclg,
        "validate": args.validate,
        "lhs": args.lhs,
        "months": args.months,
        "warm": args.warm,
        "commit": commit,
        "cpus": os.cpu_count(),
        "load_before": list(load_before),
        "load_after": list(os.getloadavg()),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    from sim.outputs.atomic import write_text

    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"meta": meta, "result": res}, indent=1) + "\n"
    write_text(text, RESULTS / f"{args.name}.json")
    write_text(markdown(meta, res), RESULTS / f"{args.name}.md")
    print(markdown(meta, res))


if __name__ == "__main__":
    main()
