"""Benchmark (branch cli6): a command's CPU up to its plan, before and after, first run and
repeated, in fresh processes taking turns.

Each sample runs ``citypeace ARGS`` through ``sim.cli.main.command`` in a wrapper that stops
the process as soon as ``sim.cli.single._plan`` returns (config composed or read, scenario
read and checked or read back), printing the CPU and wall seconds from the interpreter's
start. This isolates what a first run adds (compose, the scenario's checks) from the model
and the painter, whose seconds swing with the machine's load. The code at ``--before``
(unpacked) and this checkout alternate; median and paired differences.

    .venv/bin/python experiments/bench/cli6_plan_ab.py --before e4b0bd4 --repeats 8
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_speed import ROOT, compile_tree, unpack  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
WRAPPER = r"""
import json, os, sys, time, resource
import sim.cli.single as single
plan = single._plan
def timed(*a, **k):
    r = plan(*a, **k)
    ru = resource.getrusage(resource.RUSAGE_SELF)
    print("PLAN " + json.dumps({"cpu": ru.ru_utime + ru.ru_stime,
          "pydantic": any(m.startswith("pydantic") for m in sys.modules)}), flush=True)
    os._exit(0)
single._plan = timed
sys.argv = ["citypeace", *sys.argv[1:]]
from sim.cli.main import command
command()
"""
COMMANDS = {"tuzla": ["scenario=tuzla"], "two_cities_h1": ["scenario=two_cities", "horizon=1"]}


def one(code: Path, args: list[str], cwd: Path, env: dict[str, str]) -> dict:
    env = {**os.environ, "PYTHONPATH": str(code), "PYTHONHASHSEED": "0", **env}
    out = subprocess.run([sys.executable, "-c", WRAPPER, *args, "output.progress=false"],
                         cwd=cwd, env=env, capture_output=True, text=True, check=True)  # fmt: skip
    line = next(x for x in out.stdout.splitlines() if x.startswith("PLAN "))
    return json.loads(line[5:])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", default="e4b0bd4")
    ap.add_argument("--repeats", type=int, default=8)
    ap.add_argument("--name", default="cli6_plan")
    a = ap.parse_args()
    load = [list(os.getloadavg())]
    got: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        roots = {"before": unpack(a.before, t), "after": ROOT}
        compile_tree(ROOT)
        for i in range(a.repeats):
            for name, args in COMMANDS.items():
                for mode in ("first", "repeated"):
                    sides = list(roots.items())[:: -1 if i % 2 else 1]
                    for side, root in sides:
                        env = {"CITYPEACE_CACHE_DIR": str(t / f"c-{side}")}
                        if mode == "first":
                            env["CITYPEACE_CACHE"] = "0"
                        cwd = t / f"w-{side}-{name}-{mode}-{i}"
                        cwd.mkdir()
                        if i == 0 and mode == "repeated":  # stored once first
                            one(root, args, cwd, env)
                        got.setdefault(f"{name} {mode}", {}).setdefault(side, []).append(
                            one(root, args, cwd, env)
                        )
    load.append(list(os.getloadavg()))
    rows = {}
    for key, sides in got.items():
        b = [s["cpu"] for s in sides["before"]]
        f = [s["cpu"] for s in sides["after"]]
        rows[key] = {
            "before_cpu": round(statistics.median(b), 3),
            "after_cpu": round(statistics.median(f), 3),
            "paired_diff_median": round(
                statistics.median(y - x for x, y in zip(b, f, strict=True)), 3
            ),
            "before_all": [round(x, 3) for x in b],
            "after_all": [round(x, 3) for x in f],
            "pydantic_before": sides["before"][0]["pydantic"],
            "pydantic_after": sides["after"][0]["pydantic"],
        }
    result = {"before": a.before, "repeats": a.repeats, "load": load, "rows": rows}
    lines = [
        "# CPU up to the plan, before and after (branch cli6)",
        "",
        f"Before `{a.before}`, after this checkout; fresh processes taking turns, median of "
        f"{a.repeats}; the process stops when its plan is ready (`cli6_plan_ab.py`). Load "
        f"{[round(x, 1) for x in load[0]]} at the start, {[round(x, 1) for x in load[1]]} at "
        "the end.",
        "",
        "| command | before CPU | after CPU | paired difference | pydantic imported "
        "(before / after) |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for key, r in rows.items():
        lines.append(
            f"| {key} | {r['before_cpu']:.3f} s | {r['after_cpu']:.3f} s | "
            f"{r['paired_diff_median']:+.3f} s | {r['pydantic_before']} / {r['pydantic_after']} |"
        )
    from sim.outputs.atomic import write_json, write_text

    write_json(result, RESULTS / f"{a.name}.json")
    write_text("\n".join(lines) + "\n", RESULTS / f"{a.name}.md")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
