"""Whole synthetic runs, before and after: two source trees side by side, alternating.

``--base`` (a commit, unpacked with ``git archive`` into a kept folder, so its compiled loops
are cached like this checkout's) is "before"; this checkout is "after". Each run is one fresh
process (``scale_run.run_world``: generate, build, 240 months; peak RSS its own) importing one
tree's ``sim``. After one untimed warm-up run per side (numba compiles or loads its cache),
the runs alternate (before-after, after-before, ...) so that a shared machine's load falls on
both alike; the medians and their after/before ratios, in wall and CPU seconds and peak RSS,
are the figures to read. Each run's outputs are hashed: equal hashes mean the two engines
computed the same series bit for bit.

    .venv/bin/python experiments/bench/scale_sides.py --base f9953fe --repeat 3 --large-repeat 2

Writes ``results/scale_sides.json`` and ``results/scale_sides.md``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling modules, also by path
from scale_run import UCLG, in_fresh_process, machine, plain, run_world  # noqa: E402

HERE = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
SIDES = ("before", "after")
# (label, cities, generator settings): the scale benchmark's rows the targets name.
WORLDS = {
    "10k_uclg": (10_000, UCLG),
    "10k_default": (10_000, {}),
    "250k_uclg": (250_000, UCLG),
}
KEYS = ("total_s", "run_s", "setup_s", "total_cpu_s", "run_cpu_s")


def base_tree(commit: str) -> Path:
    """``commit``'s source tree in a kept temporary folder (unpacked once)."""
    sha = subprocess.run(
        ["git", "rev-parse", "--short", commit],
        cwd=HERE,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    tree = Path(tempfile.gettempdir()) / f"citypeace-{sha}"
    if not (tree / "sim" / "__init__.py").exists():
        tree.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", sha], cwd=HERE, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree


def alternate(trees: dict[str, Path], n: int, synthetic: dict, months: int, repeat: int) -> dict:
    """``repeat`` fresh-process runs per side, alternating the order each round."""
    runs: dict[str, list[dict[str, Any]]] = {side: [] for side in SIDES}
    for i in range(repeat):
        for side in SIDES if i % 2 == 0 else SIDES[::-1]:
            row = in_fresh_process(run_world, n, months, 1, synthetic, str(trees[side]))
            row["load_average"] = list(os.getloadavg())
            runs[side].append(row)
            print(
                f"  {side:6s} N={n:,}: total {row['total_s']:.2f} s, CPU {row['total_cpu_s']:.2f}"
                f" s, peak {row['rss_mb']['peak']:.0f} MB",
                flush=True,
            )
    med = {
        side: {
            **{k: statistics.median(r[k] for r in rows) for k in KEYS},
            "peak_rss_mb": statistics.median(r["rss_mb"]["peak"] for r in rows),
        }
        for side, rows in runs.items()
    }
    ratios = {k: med["after"][k] / med["before"][k] for k in med["after"]}
    digests = {side: sorted({r["outputs_sha256"] for r in rows}) for side, rows in runs.items()}
    same = digests["before"] == digests["after"] and len(digests["after"]) == 1
    ties = runs["after"][0]["ties"]
    return {"ties": ties, "runs": runs, "median": med, "ratio": ratios, "same_outputs": same}


def _load_words(meta: dict[str, Any], cores: int) -> str:
    """What the load says: other work on the machine, or only the benchmark's own process."""
    if max(meta["load_start"][0], meta["load_end"][0]) > 0.75 * cores + 0.5:
        return "**the machine was shared** with other work, so the seconds carry its load"
    return "the machine was otherwise quiet: the load is the benchmark's own process"


def markdown(meta: dict[str, Any], results: dict[str, Any]) -> str:
    m = meta["machine"]
    lines = [
        "# Whole synthetic runs, before and after, side by side",
        "",
        f"Before: `{meta['base']}` (main); after: `{meta['after']}`. Each run is a fresh process "
        f"(generate, build, {meta['months']} months; scale.py's recording: yearly city rows "
        "for 2,000 cities); one untimed warm-up run per side, then the sides alternate "
        "(before-after, after-before, ...). Medians per side; ratios after / before. "
        f"{m['cores']} CPUs, Python {m['python']}, numpy {m['numpy']}. Load average "
        f"{meta['load_start'][0]:.1f} at the start and {meta['load_end'][0]:.1f} at the end "
        f"({_load_words(meta, m['cores'])}); the ratios, measured alternating, are the figures "
        "to read.",
        "",
        "| world | ties | runs/side | side | total s | run s | setup s | total CPU s "
        "| run CPU s | peak RSS MB |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, res in results.items():
        reps = len(res["runs"]["after"])
        for side in (*SIDES, "ratio"):
            row = res["median"][side] if side != "ratio" else res["ratio"]
            fmt = "{:.3f}" if side == "ratio" else "{:.2f}"
            cells = [fmt.format(row[k]) for k in KEYS]
            rss = f"{row['peak_rss_mb']:.3f}" if side == "ratio" else f"{row['peak_rss_mb']:.0f}"
            name = f"**{side} (after / before)**" if side == "ratio" else side
            lines.append(
                f"| {label} | {res['ties']:,} | {reps} | {name} | "
                + " | ".join(cells)
                + f" | {rss} |"
            )
    lines += [""]
    for label, res in results.items():
        verdict = "identical" if res["same_outputs"] else "DIFFERENT"
        loads = [r["load_average"][0] for side in SIDES for r in res["runs"][side]]
        lines.append(
            f"- {label}: outputs of every run {verdict} (SHA-256 of the recorded series and the "
            f"final tie trust); load average after each run {min(loads):.1f}-{max(loads):.1f}."
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="f9953fe", help="commit of the 'before' tree")
    parser.add_argument("--worlds", nargs="+", default=list(WORLDS), choices=list(WORLDS))
    parser.add_argument("--months", type=int, default=240)
    parser.add_argument("--repeat", type=int, default=3, help="runs per side below 250k")
    parser.add_argument("--large-repeat", type=int, default=1, help="runs per side at 250k")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--name", default="scale_sides")
    args = parser.parse_args()
    trees = {"before": base_tree(args.base), "after": HERE}
    load_start = list(os.getloadavg())
    for side in SIDES:  # warm-up: compile or load each tree's cached loops, untimed
        in_fresh_process(run_world, 10_000, 6, 1, {}, str(trees[side]))
    results = {}
    for label in args.worlds:
        n, synthetic = WORLDS[label]
        repeat = args.large_repeat if n >= 100_000 else args.repeat
        print(label, flush=True)
        results[label] = alternate(trees, n, synthetic, args.months, repeat)
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "sim"], cwd=HERE, capture_output=True, text=True
    ).stdout
    meta = {
        "base": args.base,
        "months": args.months,
        "after": head + (" with uncommitted changes" if dirty else ""),
        "machine": machine(),
        "load_start": load_start,
        "load_end": list(os.getloadavg()),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    from sim.outputs.atomic import write_json, write_text

    write_json(plain({"meta": meta, "results": results}), args.out / f"{args.name}.json")
    write_text(markdown(meta, results), args.out / f"{args.name}.md")
    print((args.out / f"{args.name}.md").read_text())


if __name__ == "__main__":
    main()
