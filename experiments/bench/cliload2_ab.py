"""Benchmark: issue 17's command-line targets before and after cliload2, side by side.

Every sample is a fresh process; the code at ``--before`` (unpacked by ``git archive``, as
``cli_speed.py`` does) and this checkout take turns. Measured:

- ``citypeace scenario=two_cities horizon=1`` and ``citypeace scenario=tuzla`` (with
  ``output.progress=false``; the dashboard drawn by the forked painter, as the command does),
  each as a first run (``CITYPEACE_CACHE=0``: the config composed, the scenario read) and as
  a repeated command (its plan and scenario cached by an untimed run first): median wall and
  CPU (user + system, the painter's included);
- tuzla's model on its own (build and run, in this process: ``cli_speed.model_time``), the
  time the tuzla target is stated against;
- tuzla's dashboard, as the painter draws it (a fresh process imports the painter, warms up
  as it does while the model runs, then draws from the run's series: the time from series to
  PNG) and drawn in process (a fresh process draws it once, untimed, then times a second
  draw).

The machine is a shared 2-core VM: wall times carry other people's load (recorded); read
the CPU and the ratios taken in one run.

    .venv/bin/python experiments/bench/cliload2_ab.py --before bd199ca --repeats 5

Writes ``results/NAME.json`` and ``results/NAME.md`` (default ``cli_ab_cliload2``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_speed import PAINTER_CHILD, PY, ROOT, compile_tree, model_time, run_cli, unpack  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
QUIET = ["output.progress=false"]
COMMANDS = {"two_cities_h1": ["scenario=two_cities", "horizon=1"], "tuzla": ["scenario=tuzla"]}
KINDS = {"first_run": {"CITYPEACE_CACHE": "0"}, "repeated": {}}

CHECK_ROOT = """
import sys
from sim.outputs import dashboard as _side
assert _side.__file__.startswith(sys.argv[2]), _side.__file__
"""
IN_PROCESS_CHILD = """
import sys, time
from pathlib import Path
from sim.cli.painter import unpack
from sim.outputs import dashboard
assert dashboard.__file__.startswith(sys.argv[2]), dashboard.__file__
ts, events, path, title = unpack(Path(sys.argv[1]).read_bytes())
dashboard.write_dashboard(ts, events, path, title)  # untimed: fonts and first use
wall, cpu = time.perf_counter(), time.process_time()
dashboard.write_dashboard(ts, events, path, title)
print(time.perf_counter() - wall, time.process_time() - cpu)
"""


def commands(roots: dict[str, Path], tmp: Path, repeats: int) -> dict[str, Any]:
    got: dict[str, list[dict[str, float]]] = {}
    folders = {side: tmp / f"cwd-{side}" for side in roots}
    for side, root in roots.items():
        folders[side].mkdir()
        for args in COMMANDS.values():  # the repeated commands' plans and scenarios, cached
            run_cli(root, [*args, *QUIET], folders[side],
                    {"CITYPEACE_CACHE_DIR": str(tmp / f"cache-{side}")})  # fmt: skip
    for _ in range(repeats):
        for name, args in COMMANDS.items():
            for kind, env in KINDS.items():
                for side, root in roots.items():
                    env_side = {"CITYPEACE_CACHE_DIR": str(tmp / f"cache-{side}"), **env}
                    got.setdefault(f"{name}/{kind}/{side}", []).append(
                        run_cli(root, [*args, *QUIET], folders[side], env_side)
                    )
    return {key: {"wall_s": statistics.median(r["wall_s"] for r in runs),
                  "cpu_s": statistics.median(r["cpu_s"] for r in runs),
                  "samples": runs}
            for key, runs in got.items()}  # fmt: skip


def dashboards(roots: dict[str, Path], tmp: Path, repeats: int) -> dict[str, Any]:
    """The dashboard drawn in fresh processes, each side's code first on the path (a check in
    each child: ``sim.outputs.dashboard``'s file is under its root)."""
    from sim import PeaceModel
    from sim.cli.painter import pack

    model = PeaceModel("tuzla", seed=0).run()
    payload = tmp / "payload.npz"
    png = tmp / "dashboard.png"
    payload.write_bytes(pack(model.timeseries(), model.events_frame(), png,
                             "Tuzla | policy=baseline seed=0"))  # fmt: skip
    got: dict[str, list[tuple[float, float]]] = {}
    for _ in range(repeats):
        for kind, child in (
            ("painter", CHECK_ROOT + PAINTER_CHILD),
            ("in_process", IN_PROCESS_CHILD),
        ):
            for side, root in roots.items():
                env = {**os.environ, "PYTHONPATH": str(root)}
                # Not from this checkout's folder: ``python -c`` puts the working folder
                # first on the path, and its sim/ would shadow the other side's.
                done = subprocess.run([PY, "-c", child, str(payload), str(root)], env=env, cwd=tmp,
                                      capture_output=True, text=True, check=True)  # fmt: skip
                wall, cpu = (float(x) for x in done.stdout.split())
                got.setdefault(f"{kind}/{side}", []).append((wall, cpu))
    return {key: {"wall_s": statistics.median(w for w, _ in runs),
                  "cpu_s": statistics.median(c for _, c in runs),
                  "min_wall_s": min(w for w, _ in runs), "samples": runs}
            for key, runs in got.items()}  # fmt: skip


def paired(before: list[float], after: list[float]) -> float:
    """The median of each repeat's after / before (the two ran next to each other)."""
    return statistics.median(a / b for b, a in zip(before, after, strict=True))


def markdown(result: dict[str, Any]) -> str:
    cmd, dash, model = result["commands"], result["dashboard"], result["tuzla_model"]
    lines = [
        f"# The command line before ({result['before']}) and after ({result['after']})",
        "",
        f"Fresh processes, before and after alternating, median of {result['repeats']} "
        f"(dashboard: {result['dashboard_repeats']}); load average "
        f"{result['load_average'][0][0]:.1f} at the start, {result['load_average'][1][0]:.1f}"
        " at the end (a shared 2-core VM: read the CPU and the ratios).",
        "",
        "CPU seconds swing by 2x with the load between samples, so besides the medians the table"
        " gives each side's fastest sample and the median of the paired ratios (each repeat's"
        " after over the before run next to it).",
        "",
        "| what | before wall | after wall | before CPU | after CPU | after / before CPU"
        " | fastest CPU before -> after | paired ratios' median |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name in COMMANDS:
        for kind in KINDS:
            b, a = cmd[f"{name}/{kind}/before"], cmd[f"{name}/{kind}/after"]
            cb, ca = ([r["cpu_s"] for r in side["samples"]] for side in (b, a))
            lines.append(
                f"| `{' '.join(COMMANDS[name])}`, {kind.replace('_', ' ')} | {b['wall_s']:.2f} s"
                f" | {a['wall_s']:.2f} s | {b['cpu_s']:.2f} s | {a['cpu_s']:.2f} s"
                f" | {a['cpu_s'] / b['cpu_s']:.2f} | {min(cb):.2f} -> {min(ca):.2f} s"
                f" | {paired(cb, ca):.2f} |"
            )
    for kind, label in (("painter", "as the painter draws it"), ("in_process", "in process")):
        b, a = dash[f"{kind}/before"], dash[f"{kind}/after"]
        cb, ca = ([c for _, c in side["samples"]] for side in (b, a))
        lines.append(
            f"| tuzla's dashboard, {label} | {b['wall_s']:.3f} s | {a['wall_s']:.3f} s"
            f" | {b['cpu_s']:.3f} s | {a['cpu_s']:.3f} s | {a['cpu_s'] / b['cpu_s']:.2f}"
            f" | {min(cb):.3f} -> {min(ca):.3f} s | {paired(cb, ca):.2f} |"
        )
    lines += [
        "",
        f"tuzla's model on its own (build and run, warm process): {model['model_wall_s']:.2f} s"
        f" wall, {model['model_cpu_s']:.2f} s CPU; the command's excess over it:",
        "",
        "| tuzla | before | after |",
        "| --- | ---: | ---: |",
    ]
    for kind in KINDS:
        b, a = cmd[f"tuzla/{kind}/before"], cmd[f"tuzla/{kind}/after"]
        lines.append(
            f"| {kind.replace('_', ' ')}, wall | +{b['wall_s'] - model['model_wall_s']:.2f} s"
            f" | +{a['wall_s'] - model['model_wall_s']:.2f} s |"
        )
        lines.append(
            f"| {kind.replace('_', ' ')}, CPU | +{b['cpu_s'] - model['model_cpu_s']:.2f} s"
            f" | +{a['cpu_s'] - model['model_cpu_s']:.2f} s |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="bd199ca")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--dashboard-repeats", type=int, default=7)
    parser.add_argument("--name", default="cli_ab_cliload2")
    parser.add_argument("--from-json", type=Path, help="only redraw the Markdown of a result")
    args = parser.parse_args()
    from sim.outputs.atomic import write_json

    if args.from_json:
        text = markdown(json.loads(args.from_json.read_text()))
        args.from_json.with_suffix(".md").write_text(text)
        print(text)
        return

    load = [list(os.getloadavg())]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        roots = {"before": unpack(args.before, tmp), "after": ROOT}
        compile_tree(ROOT)
        result: dict[str, Any] = {"commands": commands(roots, tmp, args.repeats)}
        result["dashboard"] = dashboards(roots, tmp, args.dashboard_repeats)
    result["tuzla_model"] = model_time({"scenario": "tuzla"}, args.repeats)
    load.append(list(os.getloadavg()))
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    result.update(
        before=args.before,
        after=head,
        repeats=args.repeats,
        dashboard_repeats=args.dashboard_repeats,
        load_average=load,
    )
    write_json(result, RESULTS / f"{args.name}.json")
    text = markdown(result)
    (RESULTS / f"{args.name}.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
