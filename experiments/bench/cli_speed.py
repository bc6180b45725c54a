"""Benchmark: the command line before and after issue 17, side by side in one run.

The "before" is the code at a git ref (default: ead1c38, main when the sixth round of
issue 17's speed work started; f9953fe started the fifth, 82fb1e0 the fourth, 1bc2cea the
third, ``--before 2837d53`` is main before issue 17), unpacked with
``git archive`` into a temporary folder and run with this same Python as a subprocess; the
"after" is this checkout, run twice: as a repeated command runs (its plan found in the plan
cache, ``sim.cli.run_cache``, filled by one run before the timed ones) and as a first run
(``CITYPEACE_CACHE=0``: Hydra composes and the config is validated), and as a new command
(a seed not run before, after a run with another seed: the plan comes from that seed's
template, ``sim.cli.seeds``, the scenario from its cache). Both draw
the dashboard in the forked painter (``sim.cli.painter``), as the command does. Each side runs
in a working folder of its own (the cache key includes it), with a plan cache of its own.
Each command runs in a fresh process, the variants alternating, and the median wall and CPU
(user + system, the painter's included) seconds are reported, with the model's own time (build
and run in this process, no imports) for the targets that are stated against it. The
dashboard is timed in process, both versions drawing the same run, alternating, and as the
painter draws it: in a fresh process that imports the painter (and, where the version has it,
warms up while the model would run), the time from the run's series to the PNG. The machine is
a shared 2-core VM: wall times carry other people's load (the load average is recorded).

    .venv/bin/python experiments/bench/cli_speed.py              # ~5 minutes (idle machine)
    .venv/bin/python experiments/bench/cli_speed.py --quick      # one repeat, small synthetic
    .venv/bin/python experiments/bench/cli_speed.py --from-json results/cli_speed.json --parent-only

Writes ``results/cli_speed.json`` and ``results/cli_speed.md`` (the tables:
``cli_speed_report.py``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_speed_report import to_markdown  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
QUIET = ["output.progress=false"]
BEFORE = "ead1c38"
SIDES = {"before": {}, "after": {}, "after_first_run": {"CITYPEACE_CACHE": "0"},
         "after_new_command": {}}  # fmt: skip
# A new command: a seed not run before, so its plan is composed while its scenario (stored
# for the same files, policy and horizon) comes from the cache, as a user's next command.
NEW_SEED = 1000
OWN_SIDES = {k: v for k, v in SIDES.items() if k != "after_new_command"}  # parent_only's


def unpack(ref: str, dest: Path) -> Path:
    """The tree at ``ref`` under ``dest`` (sim/, configs/, scenarios/)."""
    archive = dest / "before.tar"
    with open(archive, "wb") as fh:
        subprocess.run(["git", "-C", str(ROOT), "archive", ref, "sim", "configs", "scenarios"],
                       stdout=fh, check=True)  # fmt: skip
    with tarfile.open(archive) as tar:
        tar.extractall(dest / "before", filter="data")
    compile_tree(dest / "before")
    return dest / "before"


def compile_tree(root: Path) -> None:
    """Byte-compile ``root/sim`` now, so that neither side compiles its modules in every timed
    process (with PYTHONDONTWRITEBYTECODE set, as on this machine, a fresh tree never gets its
    ``__pycache__``, and the side without one would pay for compiling in each run)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([PY, "-m", "compileall", "-q", str(root / "sim")], check=True, env=env)


def run_cli(
    code_root: Path, args: list[str], cwd: Path, extra_env: dict[str, str] | None = None
) -> dict[str, float]:
    """One ``python -m sim ARGS`` with ``code_root`` first on the path: wall and CPU seconds."""
    env = {**os.environ, "PYTHONPATH": str(code_root), "PYTHONHASHSEED": "0", **(extra_env or {})}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([PY, "-m", "sim", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False)  # fmt: skip
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{code_root}: {' '.join(args)}: {proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": wall, "cpu_s": cpu}


def model_time(kwargs: dict[str, Any], repeats: int) -> dict[str, float]:
    """The model's own time: build and run in this (warm) process, median wall and CPU
    seconds (CPU of every thread, as for the command), through ``PeaceModel`` and as the
    command drives it (the engine's batch of one, ``sim.experiments.runner.EngineRun``)."""
    from sim import PeaceModel
    from sim.experiments.runner import EngineRun

    full = {
        "seed": 0,
        "horizon": None,
        "policy": "baseline",
        "params": None,
        "levers": {},
        "cities_every": 1,
        "cities_max": 5000,
        **kwargs,
    }  # PeaceModel's defaults
    sides = {"model": lambda: PeaceModel(**kwargs).run(),
             "engine": lambda: EngineRun.from_kwargs(full).run()}  # fmt: skip
    walls: dict[str, list[float]] = {k: [] for k in sides}
    cpus: dict[str, list[float]] = {k: [] for k in sides}
    for _ in range(repeats):
        for name, build_and_run in sides.items():
            start, cpu = time.perf_counter(), time.process_time()
            build_and_run()
            walls[name].append(time.perf_counter() - start)
            cpus[name].append(time.process_time() - cpu)
    out = {}
    for name in sides:
        out[f"{name}_wall_s"] = statistics.median(walls[name])
        out[f"{name}_cpu_s"] = statistics.median(cpus[name])
    return out


def dashboard_times(before_root: Path, repeats: int) -> dict[str, float]:
    """Median seconds to draw and save tuzla's dashboard, before and after."""
    from sim import PeaceModel

    model = PeaceModel("tuzla", seed=0).run()
    ts, events = model.timeseries(), model.events_frame()
    where = [before_root / "sim" / "outputs" / "dashboard.py", before_root / "sim" / "dashboard.py"]
    spec = importlib.util.spec_from_file_location(
        "before_dashboard", next(p for p in where if p.is_file())
    )
    old = importlib.util.module_from_spec(spec)
    import sim.outputs.atomic

    # The old dashboard imports the atomic writes from where they were (sim.io, before the
    # layout change); this process has the new package on its path.
    sys.modules.setdefault("sim.io", sim.outputs.atomic)
    spec.loader.exec_module(old)
    from sim.outputs import dashboard as new

    sides = {"before": old, "after": new}
    times: dict[str, list[float]] = {name: [] for name in sides}
    cpus: dict[str, list[float]] = {name: [] for name in sides}
    with tempfile.TemporaryDirectory() as tmp:
        for module in sides.values():
            module.write_dashboard(ts, events, Path(tmp) / "warm.png", "warm")  # fonts cached
        for _ in range(repeats):  # alternating, so that both see the same load
            for name, module in sides.items():
                start, cpu = time.perf_counter(), time.process_time()
                module.write_dashboard(ts, events, Path(tmp) / f"{name}.png", "Tuzla")
                times[name].append(time.perf_counter() - start)
                cpus[name].append(time.process_time() - cpu)
    out: dict[str, float] = {}
    for name in sides:
        out[f"{name}_s"] = statistics.median(times[name])
        out[f"{name}_cpu_s"] = statistics.median(cpus[name])
        out[f"{name}_min_s"] = min(times[name])
    return out


PAINTER_CHILD = """
import sys, time
from pathlib import Path
from matplotlib.backends import backend_agg  # as both painters import it before the payload
from sim.cli.painter import unpack
from sim.outputs import dashboard
if hasattr(dashboard, "warm_up"):  # done while the parent runs the model
    dashboard.warm_up()
data = Path(sys.argv[1]).read_bytes()
wall, cpu = time.perf_counter(), time.process_time()
ts, events, path, title, *recipients = unpack(data)  # recipients: since branch vrecip
dashboard.write_dashboard(ts, events, path, title, *recipients)
print(time.perf_counter() - wall, time.process_time() - cpu)
"""


def painter_times(before_root: Path, repeats: int) -> dict[str, float]:
    """The painter's part after the run: from tuzla's series (the payload the parent sends)
    to the PNG, in fresh processes, before and after alternating; median wall and CPU s."""
    from sim import PeaceModel
    from sim.cli.painter import pack

    model = PeaceModel("tuzla", seed=0).run()
    roots = {"before": before_root, "after": ROOT}
    got: dict[str, list[tuple[float, float]]] = {name: [] for name in roots}
    with tempfile.TemporaryDirectory() as tmp:
        payload = Path(tmp) / "payload.npz"
        title = "Tuzla | policy=baseline seed=0"
        png = Path(tmp) / "dashboard.png"
        payload.write_bytes(pack(model.timeseries(), model.events_frame(), png, title))
        for _ in range(repeats):
            for name, root in roots.items():
                env = {**os.environ, "PYTHONPATH": str(root)}
                # cwd: ``python -c`` puts its working folder first on the path, and this
                # checkout's sim/ there would shadow the before side's.
                done = subprocess.run([PY, "-c", PAINTER_CHILD, str(payload)], env=env, cwd=tmp,
                                      capture_output=True, text=True, check=True)  # fmt: skip
                wall, cpu = (float(x) for x in done.stdout.split())
                got[name].append((wall, cpu))
    out = {}
    for name, runs in got.items():
        out[f"{name}_s"] = statistics.median(w for w, _ in runs)
        out[f"{name}_cpu_s"] = statistics.median(c for _, c in runs)
    return out


def measure(args: argparse.Namespace) -> dict[str, Any]:
    n_cities = 2000 if args.quick else 10000
    repeats = 1 if args.quick else args.repeats
    cases = {
        "two_cities_h1": (["scenario=two_cities", "horizon=1"], None),
        "tuzla": (["scenario=tuzla"], {"scenario": "tuzla"}),
        f"synthetic_{n_cities}": (
            ["scenario=synthetic", f"scenario.n_cities={n_cities}", "horizon=240"],
            {"scenario": "synthetic", "horizon": 240, "synthetic": {"n_cities": n_cities,
                                                                      "horizon": 240}},
        ),
    }  # fmt: skip
    rows = []
    load_start = list(os.getloadavg())
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        before_root = unpack(args.before, tmp)
        compile_tree(ROOT)
        for name, (cli_args, model_kwargs) in cases.items():
            got: dict[str, list[dict[str, float]]] = {side: [] for side in SIDES}
            folders = {side: tmp / f"{name}-{side}" for side in SIDES}
            envs = {side: {"CITYPEACE_CACHE_DIR": str(tmp / f"cache-{name}-{side}"), **extra}
                    for side, extra in SIDES.items()}  # fmt: skip
            for folder in folders.values():
                folder.mkdir()
            # The repeated command's plan is cached by a first run (not timed); the new
            # commands' scenario too, by a run with a seed of its own, as a user's previous
            # command (a seed's plan template: sim.cli.seeds).
            run_cli(ROOT, [*cli_args, *QUIET], folders["after"], envs["after"])
            run_cli(ROOT, [*cli_args, *QUIET, f"seed={NEW_SEED - 1}"],
                    folders["after_new_command"], envs["after_new_command"])  # fmt: skip
            for i in range(repeats):
                for side in SIDES:
                    code_root = before_root if side == "before" else ROOT
                    new = [f"seed={NEW_SEED + i}"] if side == "after_new_command" else []
                    got[side].append(run_cli(code_root, [*cli_args, *QUIET, *new],
                                             folders[side], envs[side]))  # fmt: skip
            row: dict[str, Any] = {"case": name, "command": "citypeace " + " ".join(cli_args)}
            for side, runs in got.items():
                row[f"{side}_wall_s"] = statistics.median(r["wall_s"] for r in runs)
                row[f"{side}_cpu_s"] = statistics.median(r["cpu_s"] for r in runs)
            if model_kwargs is not None:
                model = model_time(model_kwargs, repeats)
                row["model_s"], row["model_cpu_s"] = model["model_wall_s"], model["model_cpu_s"]
                row["engine_s"], row["engine_cpu_s"] = model["engine_wall_s"], model["engine_cpu_s"]
            rows.append(row)
        dash = dashboard_times(before_root, max(repeats, 5))
        painter = painter_times(before_root, max(repeats, 5))
    return {
        "before_ref": args.before,
        "before_commit": subprocess.run(["git", "-C", str(ROOT), "rev-parse", args.before],
                                        capture_output=True, text=True).stdout.strip(),
        "after_commit": subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"],
                                       capture_output=True, text=True).stdout.strip(),
        "repeats": repeats,
        "new_command_after_a_seed": True,  # the new commands follow a run with a seed
        "rows": rows,
        "dashboard": dash,
        "painter": painter,
        "machine": {"python": platform.python_version(), "cores": os.cpu_count(),
                    "load_average_start": load_start,
                    "load_average": list(os.getloadavg())},
    }  # fmt: skip


def parent_only(before: str, repeats: int) -> dict[str, Any]:
    """The command's own process alone: no dashboard, no painter (``CITYPEACE_PAINTER=0``,
    ``output.dashboard=false``), before and after (repeated, and first run), alternating in
    one working folder each; median wall and CPU seconds. The painter's share (importing
    Matplotlib and drawing) runs beside this process and is left out here."""
    cases = {"two_cities_h1": ["scenario=two_cities", "horizon=1"], "tuzla": ["scenario=tuzla"]}
    quiet = [*QUIET, "output.dashboard=false"]
    rows = []
    load_start = list(os.getloadavg())
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        before_root = unpack(before, tmp)
        for name, cli_args in cases.items():
            envs = {side: {"CITYPEACE_PAINTER": "0",
                           "CITYPEACE_CACHE_DIR": str(tmp / f"c-{name}-{side}"), **extra}
                    for side, extra in OWN_SIDES.items()}  # fmt: skip
            folders = {side: tmp / f"{name}-{side}" for side in OWN_SIDES}
            for folder in folders.values():
                folder.mkdir()
            run_cli(ROOT, [*cli_args, *quiet], folders["after"], envs["after"])  # fills the cache
            got: dict[str, list[dict[str, float]]] = {side: [] for side in OWN_SIDES}
            for _ in range(repeats):
                for side in OWN_SIDES:
                    root = before_root if side == "before" else ROOT
                    got[side].append(run_cli(root, [*cli_args, *quiet], folders[side], envs[side]))
            row: dict[str, Any] = {"case": name, "command": "citypeace " + " ".join(cli_args)}
            for side, runs in got.items():
                row[f"{side}_wall_s"] = statistics.median(r["wall_s"] for r in runs)
                row[f"{side}_cpu_s"] = statistics.median(r["cpu_s"] for r in runs)
            rows.append(row)
    return {"repeats": repeats, "rows": rows, "load_average_start": load_start,
            "load_average": list(os.getloadavg())}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # The code to compare with: main when this round started (2837d53: before issue 17).
    parser.add_argument("--before", default=BEFORE, help="git ref of the code to compare with")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--name", default="cli_speed",
                        help="the results' file name (NAME.json, NAME.md)")  # fmt: skip
    parser.add_argument("--from-json", type=Path, help="only redraw the Markdown of a result")
    parser.add_argument("--parent-only", action="store_true",
                        help="with --from-json: add the own-process comparison")  # fmt: skip
    parser.add_argument("--dashboard-only", action="store_true",
                        help="with --from-json: time the dashboard and the painter again, "
                             "--repeats times each")  # fmt: skip
    args = parser.parse_args()
    # --from-json: only redraw the table of a stored result
    result = json.loads(args.from_json.read_text()) if args.from_json else measure(args)
    if args.parent_only or not args.from_json:
        result["parent_only"] = parent_only(args.before, 1 if args.quick else 5)
    if args.dashboard_only:
        with tempfile.TemporaryDirectory() as tmp:
            before_root = unpack(args.before, Path(tmp))
            load = list(os.getloadavg())
            result["dashboard"] = dashboard_times(before_root, args.repeats)
            result["painter"] = painter_times(before_root, args.repeats)
            result["dashboard_repeats"] = args.repeats
            result["dashboard_load"] = [load, list(os.getloadavg())]
    from sim.outputs.atomic import write_json, write_text

    write_json(result, args.out / f"{args.name}.json")
    write_text(to_markdown(result), args.out / f"{args.name}.md")
    print(to_markdown(result))


if __name__ == "__main__":
    main()
