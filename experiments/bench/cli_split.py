"""Where the 10,000-city command spends its time outside the model: a split by phase.

Each measurement is one ``citypeace ARGS`` in a fresh process (the command's own ``main``, so
its painter forks as it does), whose functions are wrapped to time each phase: the imports,
the config (the plan: stored, or composed and checked), the run folder, the scenario's
generation, the world and batch built, the first month (numba loads its cached kernels there),
the other months, the recorder's hand-off, each table written, the texts, and the wait for the
dashboard's painter. Each phase has its wall seconds and the CPU seconds of the main thread (a
phase inside another, such as the generation inside the config's, counts in its own row only);
imports done inside a phase are counted in it and also shown apart (their CPU seconds).
After the command, the same process times the model's own run as ``cli_speed.py`` does (the
engine's batch of one, built and run, warm), so the split and the model are read side by side.

    .venv/bin/python experiments/bench/cli_split.py                   # this checkout, 3 runs
    .venv/bin/python experiments/bench/cli_split.py --before ead1c38  # and main, alternating

Writes ``results/cli_split.json`` and ``results/cli_split.md``. The machine is a shared 2-core
VM: walls carry other jobs' load; the CPU columns are steadier.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_speed import PY, QUIET, ROOT, compile_tree, unpack  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
ARGS = ["scenario=synthetic", "scenario.n_cities=10000", "horizon=240", *QUIET]
# The model's own run, timed after the command in the same process (PeaceModel's arguments).
MODEL = {"scenario": "synthetic", "horizon": 240,
         "synthetic": {"n_cities": 10000, "horizon": 240}}  # fmt: skip
TUZLA = (["scenario=tuzla", *QUIET], {"scenario": "tuzla"})  # --tuzla

# The phases in the order a run goes through them (the JSON keeps its keys sorted).
ORDER = ("imports", "config", "run folder", "scenario", "world", "batch", "first month",
         "months", "recorder", "dashboard: hand", "write timeseries", "write series",
         "write actors", "write events", "write activities", "texts", "provenance",
         "write cities", "dashboard: wait")  # fmt: skip

CHILD = r"""
import builtins, json, sys, time
T0 = time.perf_counter()
CPU0 = time.thread_time()
phases = {}     # name -> [wall, cpu, import wall]
stack = [["imports", 0.0, 0.0]]  # [phase, its nested phases' wall, CPU]: times are exclusive
_depth = [0]
_real_import = builtins.__import__

def _add(name, wall, cpu, imp=0.0):
    got = phases.setdefault(name, [0.0, 0.0, 0.0])
    got[0] += wall; got[1] += cpu; got[2] += imp

def timed_import(*a, **k):
    if _depth[0] or stack[-1][0] == "imports":
        _depth[0] += 1
        try:
            return _real_import(*a, **k)
        finally:
            _depth[0] -= 1
    _depth[0] += 1
    start = time.thread_time()
    try:
        return _real_import(*a, **k)
    finally:
        _depth[0] -= 1
        _add(stack[-1][0], 0.0, 0.0, time.thread_time() - start)

builtins.__import__ = timed_import

def wrap(owner, attr, name):
    fn = getattr(owner, attr)
    def wrapped(*a, **k):
        label = name(*a) if callable(name) else name
        import threading
        main = threading.current_thread() is threading.main_thread()
        if main:
            stack.append([label, 0.0, 0.0])
        start, cpu = time.perf_counter(), time.thread_time()
        try:
            return fn(*a, **k)
        finally:
            wall, used = time.perf_counter() - start, time.thread_time() - cpu
            if main:
                _, inner_wall, inner_cpu = stack.pop()
                stack[-1][1] += wall
                stack[-1][2] += used
                _add(label, wall - inner_wall, used - inner_cpu)
            else:
                _add(label + " (thread)", wall, used)
    setattr(owner, attr, wrapped)

import sim.cli.main, sim.cli.single, sim.experiments.runner, sim.engine.inputs
import sim.engine.batch, sim.engine.world, sim.outputs.tables, sim.outputs.run_folder
import sim.cli.painter, sim.outputs.atomic
cli_main = sys.modules["sim.cli.main"]
_add("imports", time.perf_counter() - T0, time.thread_time() - CPU0)
months = [0]
def month_name(*a):
    months[0] += 1
    return "first month (numba loads its kernels)" if months[0] == 1 else "months 2..end"
wrap(sys.modules['sim.cli.single'], "_plan", "config (plan)")
wrap(sim.outputs.run_folder, "prepare", "run folder")
wrap(sim.engine.inputs, "generate", "scenario generation")
import sim.cli.scenario_cache, sim.cli.plain
wrap(sim.cli.scenario_cache, "load", "scenario read and checked (or cached)")
wrap(sim.cli.plain, "plain_plan", "config composed without Hydra")
if hasattr(sys.modules["sim.cli.single"], "synthetic_case"):  # the command generates it
    wrap(sys.modules["sim.cli.single"], "synthetic_case", "scenario generation")
wrap(sim.engine.world.World, "__init__", "world build")
wrap(sim.engine.batch.Batch, "__init__", "batch build")
wrap(sim.engine.batch.Batch, "step", month_name)
wrap(sim.engine.batch.Batch, "outputs", "recorder hand-off")
wrap(sim.outputs.tables, "write", lambda table, path, *r: "write " + path.name)
wrap(sim.experiments.runner, "write_text", "texts (config, dictionary)")
wrap(sim.experiments.runner, "write_json", "provenance.json")
wrap(sim.cli.painter.Painter, "draw", "dashboard: hand to the painter")
wrap(sim.cli.painter.Painter, "wait", "dashboard: wait for the painter")
MODEL = json.loads(sys.argv[2])
sys.argv = ["citypeace", *sys.argv[3:]]
start_main = time.perf_counter()
try:
    cli_main.main()
except SystemExit as exc:
    if exc.code:
        raise
total = time.perf_counter() - T0
import atexit
atexit.register(lambda: sys.stderr.write(f"END {time.perf_counter() - T0}\n"))
builtins.__import__ = _real_import
command = {k: list(v) for k, v in phases.items()}  # the command's (the engine's: apart)
stack[:] = [["imports", 0.0, 0.0]]
import statistics
from sim.experiments.runner import EngineRun
from sim.scenario.synthetic import SyntheticSpec
kw = {"seed": 0, "horizon": None, "policy": "baseline", "params": None, "levers": {},
      "cities_every": 1, "cities_max": 5000, **MODEL}
engine = []
for _ in range(2):
    s, c = time.perf_counter(), time.process_time()
    EngineRun.from_kwargs(kw).run()
    engine.append((time.perf_counter() - s, time.process_time() - c))
print(json.dumps({"total_s": total, "phases": command, "engine": engine}))
"""


def one(root: Path, cwd: Path, env_extra: dict[str, str], args: list[str] = ARGS,
        model: dict[str, Any] = MODEL) -> dict[str, Any]:  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONHASHSEED": "0", **env_extra}
    start = time.perf_counter()
    done = subprocess.run([PY, "-c", CHILD, "--", json.dumps(model), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    got = json.loads(done.stdout.strip().splitlines()[-1])
    # after the last atexit hook: the interpreter's own teardown (modules, memory freed)
    end = float(done.stderr.strip().splitlines()[-1].split()[1])
    got["teardown_s"] = time.perf_counter() - start - end
    return got


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    names = list(dict.fromkeys(n for r in runs for n in r["phases"]))
    phases = {}
    for name in names:
        got = [r["phases"].get(name, [0.0, 0.0, 0.0]) for r in runs]
        phases[name] = {"wall_s": statistics.median(g[0] for g in got),
                        "cpu_s": statistics.median(g[1] for g in got),
                        "imports_s": statistics.median(g[2] for g in got)}  # fmt: skip
    engine = [e for r in runs for e in r["engine"][1:]]  # the first one warms up
    main_walls = [sum(w for n, (w, _, _) in r["phases"].items() if "thread" not in n)
                  for r in runs]  # fmt: skip
    return {
        "total_s": statistics.median(r["total_s"] for r in runs),
        "teardown_s": statistics.median(r["teardown_s"] for r in runs),
        "between_phases_s": statistics.median(
            r["total_s"] - w for r, w in zip(runs, main_walls, strict=True)
        ),
        "phases": phases,
        "engine_wall_s": statistics.median(e[0] for e in engine),
        "engine_cpu_s": statistics.median(e[1] for e in engine),
    }


def _load(values: list[float]) -> str:
    return ", ".join(f"{x:.1f}" for x in values)


def to_markdown(result: dict[str, Any]) -> str:
    order = ("before", "after")  # the JSON keeps its keys sorted
    sides = {k: result["sides"][k] for k in sorted(result["sides"], key=order.index)}
    lines = [
        "# Where a command spends its time (issue 17)",
        "",
        f"`citypeace {' '.join(result['args'])}`, "
        + (
            "a first run (`CITYPEACE_CACHE=0`: config composed, scenario read and checked)"
            if result.get("first_run")
            else "a repeated command (its plan and scenario in the cache)"
        )
        + f", each side run {result['repeats']} times in fresh processes, alternating; "
        "medians. Each phase: wall seconds and the main thread's CPU seconds; imports done "
        "inside a phase are counted in it and their CPU seconds shown apart. `(thread)`: "
        "work in a second thread, beside the main one. The model: the engine's batch of one "
        "built and run in the same process after the command (warm), as `cli_speed.py` "
        "times it. Shared 2-core "
        f"VM (six helpers at work), load average {_load(result['load'][0])} at the start, "
        f"{_load(result['load'][1])} at the end: read the CPU columns.",
        "",
    ]
    names = list(dict.fromkeys(n for s in sides.values() for n in s["phases"]))
    names.sort(key=lambda n: next((i for i, w in enumerate(ORDER) if n.startswith(w)), 99))
    head = "| phase |" + "".join(f" {s} wall | {s} CPU | {s} imports, CPU |" for s in sides)
    lines += [head, "| --- |" + " ---: | ---: | ---: |" * len(sides)]
    for name in names:
        cells = []
        for s in sides.values():
            p = s["phases"].get(name)
            got = p and f" {p['wall_s']:.3f} | {p['cpu_s']:.3f} | {p['imports_s']:.3f} |"
            cells.append(got or " | | |")
        lines.append(f"| {name} |" + "".join(cells))
    lines.append("| between the phases (start-up, run folder texts, waits) |" + "".join(
        f" {s['between_phases_s']:.3f} | | |" for s in sides.values()))  # fmt: skip
    lines.append("| **command, total wall** |" + "".join(
        f" **{s['total_s']:.2f}** | | |" for s in sides.values()))  # fmt: skip
    lines.append("| the interpreter's start and teardown (the parent's clock) |" + "".join(
        f" {s['teardown_s']:.3f} | | |" for s in sides.values()))  # fmt: skip
    lines.append("| model (engine, warm, same process) |" + "".join(
        f" {s['engine_wall_s']:.2f} | {s['engine_cpu_s']:.2f} (all threads) | |"
        for s in sides.values()))  # fmt: skip
    lines.append("")
    model = ("scenario generation", "world build", "batch build", "months 2..end")
    for side, s in sides.items():
        p = s["phases"]
        outside = sum(v["cpu_s"] for n, v in p.items() if n not in model and "thread" not in n)
        imports = sum(p[n]["imports_s"] for n in model if n in p)
        threads = sum(v["cpu_s"] for n, v in p.items() if "thread" in n)
        lines.append(
            f"- {side}: main-thread CPU outside the model's own phases {outside:.2f} s, plus "
            f"{imports:.2f} s of imports inside them (the warm engine imports nothing), plus "
            f"{threads:.2f} s in the second thread; the model's phases without their imports "
            f"{sum(p[n]['cpu_s'] - p[n]['imports_s'] for n in model if n in p):.2f} s."
        )
    return "\n".join(lines) + "\n"


def _commit(ref: str) -> str:
    got = subprocess.run(["git", "-C", str(ROOT), "rev-parse", ref], capture_output=True,
                         text=True)  # fmt: skip
    return got.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="git ref to split side by side (e.g. ead1c38)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--tuzla", action="store_true", help="split scenario=tuzla instead")
    parser.add_argument("--first-run", action="store_true",
                        help="every cache off (CITYPEACE_CACHE=0), no warm-up run")  # fmt: skip
    parser.add_argument("--name", default="cli_split")
    parser.add_argument("--from-json", type=Path, help="only redraw the Markdown of a result")
    args = parser.parse_args()
    if args.from_json:
        from sim.outputs.atomic import write_text

        write_text(to_markdown(json.loads(args.from_json.read_text())),
                   args.out / f"{args.name}.md")  # fmt: skip
        return
    cli_args, model = TUZLA if args.tuzla else (ARGS, MODEL)
    load = [list(os.getloadavg())]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        roots = {"after": ROOT}
        if args.before:
            roots = {"before": unpack(args.before, tmp), **roots}
        compile_tree(ROOT)
        envs, cwds = {}, {}
        for side in roots:
            envs[side] = {"CITYPEACE_CACHE_DIR": str(tmp / f"cache-{side}")}
            if args.first_run:
                envs[side]["CITYPEACE_CACHE"] = "0"
            cwds[side] = tmp / f"run-{side}"
            cwds[side].mkdir()
            # fills the plan cache (not kept); a first run warms only the file system's cache
            one(roots[side], cwds[side], envs[side], cli_args, model)
        runs: dict[str, list[dict[str, Any]]] = {side: [] for side in roots}
        for _ in range(args.repeats):
            for side, root in roots.items():
                runs[side].append(one(root, cwds[side], envs[side], cli_args, model))
    load.append(list(os.getloadavg()))
    result = {
        "args": cli_args,
        "model": model,
        "first_run": args.first_run,
        "repeats": args.repeats,
        "refs": {side: (args.before if side == "before" else "HEAD") for side in roots},
        "commits": {side: _commit(args.before if side == "before" else "HEAD") for side in roots},
        "load": load,
        "sides": {side: summarise(r) for side, r in runs.items()},
        "runs": runs,
    }
    from sim.outputs.atomic import write_json, write_text

    write_json(result, args.out / f"{args.name}.json")
    write_text(to_markdown(result), args.out / f"{args.name}.md")
    print(to_markdown(result))


if __name__ == "__main__":
    main()
