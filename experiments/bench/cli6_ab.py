"""Benchmark (branch cli6): the command before and after, as a first run and repeated.

Each sample is a fresh ``python -m sim ARGS``, the code at ``--before`` (unpacked with ``git
archive``) and this checkout taking turns (which goes first alternates), the dashboard drawn
by the forked painter. *first*: ``CITYPEACE_CACHE=0`` (the config composed, the scenario read
and checked: a new user's first command); *repeated*: the same command again with its plan
and scenario stored (a cache folder per side and command, filled by one run first). Wall and
CPU seconds (the command's and every process it waited for). The engine's own tuzla time
(``sim.experiments.runner.EngineRun`` in a warm process) is measured between the samples.
The load average is recorded at the start and the end.

    .venv/bin/python experiments/bench/cli6_ab.py --before e4b0bd4 --repeats 5

Writes ``results/NAME.json`` and ``results/NAME.md`` (default ``cli6``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ab_samples import summarise  # noqa: E402
from cli_speed import ROOT, compile_tree, model_time, run_cli, unpack  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
COMMANDS = {
    "two_cities_h1": ["scenario=two_cities", "horizon=1", "output.progress=false"],
    "tuzla": ["scenario=tuzla", "output.progress=false"],
}
MODES = ("first", "repeated")


def measure(before: str, repeats: int) -> dict:
    load = [list(os.getloadavg())]
    samples: dict = {f"{c} {m}": {"before": [], "after": []} for c in COMMANDS for m in MODES}
    engine: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        roots = {"before": unpack(before, tmp_path), "after": ROOT}
        compile_tree(ROOT)
        caches = {}
        for side, root in roots.items():  # each side's stored plan and scenario
            for name, args in COMMANDS.items():
                caches[side, name] = {"CITYPEACE_CACHE_DIR": str(tmp_path / f"c-{side}-{name}")}
                cwd = tmp_path / f"prime-{side}-{name}"
                cwd.mkdir()
                run_cli(root, args, cwd, caches[side, name])
        for i in range(repeats):
            for name, args in COMMANDS.items():
                for mode in MODES:
                    sides = list(roots.items())
                    if i % 2:
                        sides.reverse()
                    for side, root in sides:
                        env = dict(caches[side, name])
                        if mode == "first":
                            env["CITYPEACE_CACHE"] = "0"
                        cwd = tmp_path / f"cwd-{side}-{name}-{mode}-{i}"
                        cwd.mkdir()
                        samples[f"{name} {mode}"][side].append(run_cli(root, args, cwd, env))
            engine.append(model_time({"scenario": "tuzla"}, 1))
    load.append(list(os.getloadavg()))
    out: dict = {"before": before, "after": "this checkout", "repeats": repeats, "load": load,
                 "commands": {}}  # fmt: skip
    for key, sides in samples.items():
        out["commands"][key] = summarise(sides)
    out["engine"] = {k: round(statistics.median(e[k] for e in engine), 3) for k in engine[0]}
    return out


def to_markdown(r: dict) -> str:
    eng = r["engine"]
    lines = [
        "# The command before and after (issue 17 item 1, branch cli6)",
        "",
        f"Before: `{r['before']}`; after: {r['after']}. Fresh processes, the sides taking "
        f"turns, median of {r['repeats']}; the dashboard drawn by the forked painter. *first*: "
        "`CITYPEACE_CACHE=0`; *repeated*: plan and scenario stored. CPU: user + system of the "
        "command and every process it waited for. Load average "
        f"{[round(x, 1) for x in r['load'][0]]} at the start, "
        f"{[round(x, 1) for x in r['load'][1]]} at the end (a shared 2-core VM).",
        "",
        "| command | before wall | after wall | paired wall ratio | before CPU | after CPU | "
        "paired CPU ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, row in r["commands"].items():
        b, a = row["before"], row["after"]
        lines.append(
            f"| {key} | {b['wall_s']:.2f} s | {a['wall_s']:.2f} s | "
            f"{row['paired_wall_ratio_median']:.2f} | {b['cpu_s']:.2f} s | {a['cpu_s']:.2f} s | "
            f"{row['paired_cpu_ratio_median']:.2f} |"
        )
    first, rep = r["commands"]["tuzla first"], r["commands"]["tuzla repeated"]
    ew = eng["engine_wall_s"]
    lines += [
        "",
        f"The engine's own tuzla time (warm process, median of {r['repeats']}, between the "
        f"samples): {ew:.2f} s wall, {eng['engine_cpu_s']:.2f} s CPU. tuzla over the engine's "
        f"wall: first run before +{first['before']['wall_s'] - ew:.2f} s, after "
        f"+{first['after']['wall_s'] - ew:.2f} s; repeated before "
        f"+{rep['before']['wall_s'] - ew:.2f} s, after +{rep['after']['wall_s'] - ew:.2f} s "
        "(target: within 1 s).",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", default="e4b0bd4")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--name", default="cli6")
    a = ap.parse_args()
    result = measure(a.before, a.repeats)
    from sim.outputs.atomic import write_json, write_text

    write_json(result, RESULTS / f"{a.name}.json")
    write_text(to_markdown(result), RESULTS / f"{a.name}.md")
    print(to_markdown(result))


if __name__ == "__main__":
    main()
