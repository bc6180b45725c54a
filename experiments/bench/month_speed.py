"""A large world's month, before and after: side by side in one process.

Both source trees (``--base``, unpacked with ``git archive``, and this checkout) are loaded in
this process (``two_engines.py``); each builds the same synthetic world (scale.py's UCLG
settings: 50 countries, 20 networks, twinning degree 7.4; about 1.25 million ties at 250,000
cities) and steps it. After a warm-up (compiling or loading the loops), the months alternate
between the before and the after engine, in an alternating order, so the load of a shared
machine falls on both alike. Each month is timed in CPU
and wall seconds; the medians and their ratios are the figures to read (the ratio of medians
of consecutive months of one run: the months' own work varies a little).

    .venv/bin/python experiments/bench/month_speed.py --base 82fb1e0 --cities 250000 --months 12

Each stage of ``sim.engine.step`` (and the recorder) is timed too, in CPU seconds, by wrapping
the stage functions of each side's own modules: where a month's time goes, before and after.

Writes ``results/month_speed.json`` and ``results/month_speed.md`` (``--name`` another stem).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
SIDES = ("before", "after")


def _build(engines: Any, side: str, n: int) -> Any:
    sim = engines.use(side)
    from sim.scenario.synthetic import SyntheticSpec, generate

    spec = SyntheticSpec(n_cities=n, horizon=240, n_countries=50, n_networks=20, mean_degree=7.4)
    return sim.PeaceModel(generate(spec, seed=1), seed=1, cities_every=12, cities_max=2000)


# (stage, module, function): the stages of sim.engine.step, and the recorder
STAGE_FUNCTIONS = (
    ("gates", "sim.engine.stages.gates", "open_channels"),
    ("funding", "sim.engine.stages.funding", "programme_money"),
    ("proposals", "sim.engine.stages.proposals", "make_offers"),
    ("delivery", "sim.engine.stages.delivery", "deliver"),
    ("projects", "sim.engine.stages.projects", "run_projects"),
    ("trust", "sim.engine.stages.trust", "update_trust"),
    ("ladder", "sim.engine.stages.ladder", "climb"),
    ("violence", "sim.engine.stages.violence", "update_cities"),
    ("levels", "sim.engine.stages.levels", "update_levels"),
    ("integration", "sim.engine.stages.levels", "integration_by_city"),
    ("alliances", "sim.engine.stages.alliances", "update_alliances"),
)


def _time_stages(modules: dict[str, Any], spent: dict[str, float]) -> None:
    """Wrap one side's stage functions (and its recorder's ``record``) with CPU timers that
    add into ``spent``; the step looks the functions up on their modules at each call."""

    def timed(name: str, function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.process_time() - start

        return wrapper

    for name, module, function in STAGE_FUNCTIONS:
        if module in modules and hasattr(modules[module], function):
            setattr(modules[module], function, timed(name, getattr(modules[module], function)))
    recorder = getattr(modules.get("sim.engine.observe"), "Recorder", None)
    if recorder is not None and hasattr(recorder, "record"):
        recorder.record = timed("recorder", recorder.record)


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) / 1024 for line in fh if line.startswith("VmRSS:"))


def measure(base_tree: Path, n: int, months: int, warm: int) -> dict[str, Any]:
    """Per-month CPU and wall seconds of each side, alternating; see the module docstring."""
    from two_engines import TwoEngines

    logging.getLogger("MESA").setLevel(logging.WARNING)
    engines = TwoEngines({"before": base_tree, "after": HERE})
    models, rss = {}, {}
    for side in ("before", "after"):
        start = _rss_mb()
        models[side] = _build(engines, side, n)
        rss[side] = _rss_mb() - start
        # the engine's modules, imported while building: the stage timers wrap these
        engines.modules[side] = {k: v for k, v in sys.modules.items() if k.split(".")[0] == "sim"}
        for _ in range(warm):  # compiles or loads the loops
            models[side].step()
    spent: dict[str, dict[str, float]] = {side: {} for side in SIDES}
    for side in SIDES:
        _time_stages(engines.modules[side], spent[side])
    times: dict[str, list[tuple[float, float]]] = {side: [] for side in SIDES}
    for i in range(months):
        for side in SIDES if i % 2 == 0 else SIDES[::-1]:
            engines.use(side)
            cpu, wall = time.process_time(), time.perf_counter()
            models[side].step()
            times[side].append((time.process_time() - cpu, time.perf_counter() - wall))
    rows = {
        key: {
            "cpu_ms": 1e3 * statistics.median(c for c, _ in values),
            "wall_ms": 1e3 * statistics.median(w for _, w in values),
            "months": len(values),
        }
        for key, values in times.items()
    }
    base = rows["before"]
    for row in rows.values():
        row["ratio_cpu"] = row["cpu_ms"] / base["cpu_ms"]
        row["ratio_wall"] = row["wall_ms"] / base["wall_ms"]
    ties = int(models["after"].ties.src.size)
    stages = {side: {k: 1e3 * v / months for k, v in spent[side].items()} for side in SIDES}
    return {"ties": ties, "rows": rows, "built_rss_mb": rss, "stage_cpu_ms": stages}


def markdown(meta: dict[str, Any], result: dict[str, Any]) -> str:
    lines = [
        "# A large world's month, before and after",
        "",
        f"{meta['cities']:,} synthetic cities ({result['ties']:,} ties). Before: `{meta['base']}`; "
        f"after: `{meta['after_commit']}`. Both engines in one process, months alternating "
        f"(before-after, after-before, ...) after {meta['warm']} warm-up months each; medians "
        f"of {meta['months']} months per side. {meta['cpus']} CPUs, one thread; load average "
        f"{meta['load_before'][0]:.1f} at the start and {meta['load_after'][0]:.1f} at the end: "
        "**the machine was shared** with other work, so the absolute times carry its load; "
        "the ratios are the figures to read.",
        "",
        "| side | CPU per month (ms) | wall per month (ms) | CPU / before | wall / before |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for key, row in result["rows"].items():
        lines.append(
            f"| {key} | {row['cpu_ms']:.0f} | {row['wall_ms']:.0f} | {row['ratio_cpu']:.2f} | "
            f"**{row['ratio_wall']:.2f}** |"
        )
    stages = result.get("stage_cpu_ms", {})
    if stages:
        lines += [
            "",
            "Where a month's CPU goes (each stage's mean CPU ms over the measured months):",
            "",
            "| stage | before | after | after / before |",
            "| --- | ---: | ---: | ---: |",
        ]
        for name in sorted(stages["before"], key=lambda k: -stages["before"][k]):
            b, a = stages["before"][name], stages["after"].get(name, 0.0)
            lines.append(f"| {name} | {b:.1f} | {a:.1f} | {a / b if b else float('nan'):.2f} |")
        b, a = sum(stages["before"].values()), sum(stages["after"].values())
        lines.append(f"| all timed stages | {b:.1f} | {a:.1f} | {a / max(b, 1e-9):.2f} |")
    rss = result["built_rss_mb"]
    lines += [
        "",
        f"Memory of each built world (RSS growth while building): before {rss['before']:.0f} MB, "
        f"after {rss['after']:.0f} MB; peak RSS of the process {meta['peak_rss_mb']:.0f} MB "
        "(both worlds). A fresh process's peak is in `scale.md`.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="82fb1e0", help="commit of the 'before' tree")
    parser.add_argument("--cities", type=int, default=250_000)
    parser.add_argument("--months", type=int, default=12, help="measured months per side")
    parser.add_argument("--warm", type=int, default=2)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--name", default="month_speed", help="results file name, no suffix")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from single_speed import _unpack

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        result = measure(
            _unpack(args.base, Path(tmp) / "before"), args.cities, args.months, args.warm
        )
    meta = {
        "base": args.base,
        "after_commit": os.popen(f"git -C {HERE} rev-parse --short HEAD").read().strip()
        + (
            " with uncommitted changes"
            if os.popen(f"git -C {HERE} status --porcelain sim").read()
            else ""
        ),
        "cities": args.cities,
        "months": args.months,
        "warm": args.warm,
        "cpus": os.cpu_count(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "load_before": list(load_before),
        "load_after": list(os.getloadavg()),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{args.name}.json").write_text(
        json.dumps({"meta": meta, "result": result}, indent=1) + "\n"
    )
    (args.out / f"{args.name}.md").write_text(markdown(meta, result))
    print((args.out / f"{args.name}.md").read_text())


if __name__ == "__main__":
    main()
