"""Benchmark: a first run (every cache off) of two commands, before and after, and the engine.

Each sample is a fresh ``python -m sim ARGS`` with ``CITYPEACE_CACHE=0`` (the config composed
and the scenario read and checked, as for a new user with nothing stored), the dashboard drawn
as the command draws it (the forked painter), the code at ``--before`` (unpacked with ``git
archive``) and this checkout taking turns. Wall and CPU seconds (user + system of the command
and of every process it waited for: the painter's and the checker's included). The engine's
own time (tuzla built and run in a warm process as the command drives it,
``sim.experiments.runner.EngineRun``) is measured in the same run, between the samples. On a
shared machine read the CPU columns and the ratios within one run; the load average is
recorded at the start and the end.

    .venv/bin/python experiments/bench/cli5_first_run.py --before 5d32e69 --repeats 7

Writes ``results/NAME.json`` and ``results/NAME.md`` (default ``cli5_first_run``).
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
    "tuzla": ["scenario=tuzla", "output.progress=false"],
    "two_cities_h1": ["scenario=two_cities", "horizon=1", "output.progress=false"],
}
FIRST_RUN = {"CITYPEACE_CACHE": "0"}


def measure(before: str, repeats: int, also: list[str]) -> dict:
    load = [list(os.getloadavg())]
    names = ["before", "after", *also]
    samples: dict[str, dict[str, list[dict]]] = {c: {n: [] for n in names} for c in COMMANDS}
    engine: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        roots = {"before": unpack(before, tmp_path), "after": ROOT}
        for ref in also:  # more trees measured in the same turns (e.g. a variant tried)
            (tmp_path / ref).mkdir()
            roots[ref] = unpack(ref, tmp_path / ref)
        compile_tree(ROOT)
        for i in range(repeats):
            for name, args in COMMANDS.items():
                sides = list(roots.items())
                if i % 2:  # alternate which side goes first
                    sides.reverse()
                for side, root in sides:
                    cwd = tmp_path / f"cwd-{side}-{name}-{i}"
                    cwd.mkdir()
                    samples[name][side].append(run_cli(root, args, cwd, FIRST_RUN))
            engine.append(model_time({"scenario": "tuzla"}, 1))
    load.append(list(os.getloadavg()))
    out: dict = {"before": before, "after": "this checkout", "repeats": repeats, "load": load,
                 "commands": {}}  # fmt: skip
    for name, sides in samples.items():
        out["commands"][name] = summarise(sides)
    out["engine"] = {k: round(statistics.median(e[k] for e in engine), 3) for k in engine[0]}
    return out


def to_markdown(r: dict) -> str:
    eng = r["engine"]
    lines = [
        "# A first run, before and after (issue 17 item 1, branch cli5)",
        "",
        f"Before: `{r['before']}`; after: {r['after']}. `CITYPEACE_CACHE=0` (nothing stored: "
        "config composed, scenario read and checked), the dashboard drawn by the forked "
        f"painter; fresh processes, the sides taking turns, median of {r['repeats']}. CPU: "
        "user + system of the command and every process it waited for. Load average "
        f"{[round(x, 1) for x in r['load'][0]]} at the start, "
        f"{[round(x, 1) for x in r['load'][1]]} at the end (a shared 2-core VM: wall times "
        "carry the other jobs' load; compare within a row).",
        "",
        "| command (first run) | before wall | after wall | before CPU | after CPU | after / "
        "before CPU (medians) | paired CPU ratios' median |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, row in r["commands"].items():
        b, a = row["before"], row["after"]
        lines.append(
            f"| `{' '.join(COMMANDS[name][:-1])}` | {b['wall_s']:.2f} s | {a['wall_s']:.2f} s "
            f"| {b['cpu_s']:.2f} s | {a['cpu_s']:.2f} s | {a['cpu_s'] / b['cpu_s']:.2f} | "
            f"{row['paired_cpu_ratio_median']:.2f} |"
        )
    for ref in r.get("also", []):
        lines.append(f"| *also `{ref}`:* | | | | | | |")
        for name, row in r["commands"].items():
            b, x = row["before"], row[ref]
            lines.append(
                f"| `{' '.join(COMMANDS[name][:-1])}` at `{ref}` | {b['wall_s']:.2f} s | "
                f"{x['wall_s']:.2f} s | {b['cpu_s']:.2f} s | {x['cpu_s']:.2f} s | "
                f"{x['cpu_s'] / b['cpu_s']:.2f} | |"
            )
    tz = r["commands"]["tuzla"]
    lines += [
        "",
        f"The engine's own time (tuzla, warm process, median of {r['repeats']} taken between "
        f"the samples): {eng['engine_wall_s']:.2f} s wall, {eng['engine_cpu_s']:.2f} s CPU "
        f"(through `PeaceModel`: {eng['model_wall_s']:.2f} s wall). tuzla's first run over "
        f"the engine's wall: before +{tz['before']['wall_s'] - eng['engine_wall_s']:.2f} s, "
        f"after +{tz['after']['wall_s'] - eng['engine_wall_s']:.2f} s (target: within 1 s).",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", default="5d32e69")
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--also", nargs="*", default=[], help="more git refs, measured alike")
    ap.add_argument("--name", default="cli5_first_run")
    a = ap.parse_args()
    result = measure(a.before, a.repeats, a.also)
    result["also"] = a.also
    from sim.outputs.atomic import write_json, write_text

    write_json(result, RESULTS / f"{a.name}.json")
    write_text(to_markdown(result), RESULTS / f"{a.name}.md")
    print(to_markdown(result))


if __name__ == "__main__":
    main()
