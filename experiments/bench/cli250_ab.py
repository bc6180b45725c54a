"""The synthetic world's whole command, before and after, fresh processes alternating.

``citypeace scenario=synthetic scenario.n_cities=N horizon=240`` (issue 15's 250,000-city
run, issue 14's 10,000 and 250,000 rows) as a user runs it: ``python -m sim`` of one source
tree (``--before``, a folder such as a ``git archive`` of the base commit, and ``--after``,
default this checkout) in a fresh process, in a working folder of its own (its run folder
written there and deleted after), with a plan cache and a numba cache of its own per side
(``CITYPEACE_CACHE_DIR``, ``NUMBA_CACHE_DIR``: nothing is written into either tree). One
untimed warm-up command per side and size (compiling the loops, filling the plan cache), then
``--repeat`` commands per side, alternating (before-after, after-before, ...) so that a shared
machine's load falls on both alike. Each command's wall seconds, CPU seconds (user + system of
the command and the processes it waited for: the dashboard's painter) and peak RSS of the
command's own process; medians and after/before ratios; the load average around each run.

    .venv/bin/python experiments/bench/cli250_ab.py --before /tmp/base65 --sizes 10000 250000

Writes ``results/<name>.json`` and ``results/<name>.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
SIDES = ("before", "after")


def command(tree: Path, n: int, work: Path, caches: Path, threads: str | None) -> dict[str, Any]:
    """One fresh command; wall, CPU and peak RSS."""
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(tree),
        CITYPEACE_CACHE_DIR=str(caches / "plans"),
        NUMBA_CACHE_DIR=str(caches / "numba"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    if threads is not None:
        env["CITYPEACE_THREADS"] = threads
    args = [sys.executable, "-m", "sim", "scenario=synthetic", f"scenario.n_cities={n}"]
    args.append("horizon=240")
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    out, err = proc.stdout.read(), proc.stderr.read()  # type: ignore[union-attr]
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if status != 0:
        raise RuntimeError(f"{tree}: exit {status}: {err.decode()[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    shutil.rmtree(work / "outputs", ignore_errors=True)
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "own_cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "load_start": load,
        "load_end": os.getloadavg()[0],
        "tail": out.decode()[-200:],
    }


def measure(trees: dict[str, Path], sizes: list[int], repeat: int, threads: str | None) -> dict:
    root = Path(tempfile.mkdtemp(prefix="cli250_ab_"))
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {
        str(n): {s: [] for s in SIDES} for n in sizes
    }
    try:
        for n in sizes:
            for side in SIDES:  # warm-up: numba compiles into the side's cache, plans cached
                (root / side / "work").mkdir(parents=True, exist_ok=True)
                print(f"warm-up {side} {n}", flush=True)
                command(trees[side], n, root / side / "work", root / side, threads)
            for i in range(repeat):
                for side in SIDES if i % 2 == 0 else SIDES[::-1]:
                    row = command(trees[side], n, root / side / "work", root / side, threads)
                    runs[str(n)][side].append(row)
                    print(
                        n, side, {k: round(v, 2) for k, v in row.items() if k != "tail"}, flush=True
                    )
    finally:
        shutil.rmtree(root, ignore_errors=True)
    summary: dict[str, Any] = {}
    for n, by_side in runs.items():
        med = {
            side: {
                k: statistics.median(r[k] for r in rows) for k in ("wall_s", "cpu_s", "peak_rss_mb")
            }
            for side, rows in by_side.items()
        }
        ratio = {k: med["after"][k] / med["before"][k] for k in med["after"]}
        summary[n] = {"median": med, "ratio": ratio}
    return {"runs": runs, "summary": summary}


def markdown(meta: dict[str, Any], result: dict[str, Any]) -> str:
    lines = [
        "# The synthetic command, before and after (fresh processes, alternating)",
        "",
        "`citypeace scenario=synthetic scenario.n_cities=N horizon=240`, before: "
        f"`{meta['before']}` ({meta['before_label']}), after: `{meta['after']}` "
        f"({meta['after_label']}). One warm-up "
        f"command per side and size, then {meta['repeat']} commands a side alternating; medians. "
        f"{meta['cpus']} CPUs, shared with other work: load average {meta['load_before']:.1f} at "
        f"the start, {meta['load_after']:.1f} at the end (each run's in the JSON). CPU is user + "
        "system of the command and the processes it waited for (the dashboard's painter); peak "
        "RSS the command's own process."
        + (f" `CITYPEACE_THREADS={meta['threads']}` on both sides." if meta["threads"] else ""),
        "",
        "| cities | side | wall s | CPU s | peak RSS MB | loads during the runs |",
        "| ---: | --- | ---: | ---: | ---: | --- |",
    ]
    for n, s in result["summary"].items():
        for side in SIDES:
            m = s["median"][side]
            loads = ", ".join(
                f"{r['load_start']:.1f}-{r['load_end']:.1f}" for r in result["runs"][n][side]
            )
            lines.append(
                f"| {int(n):,} | {side} | {m['wall_s']:.1f} | {m['cpu_s']:.1f} | "
                f"{m['peak_rss_mb']:.0f} | {loads} |"
            )
        r = s["ratio"]
        lines.append(
            f"| {int(n):,} | after / before | **{r['wall_s']:.2f}** | {r['cpu_s']:.2f} | "
            f"{r['peak_rss_mb']:.2f} | |"
        )
    lines += ["", "Every run (wall s / CPU s):", ""]
    for n, by_side in result["runs"].items():
        for side, rows in by_side.items():
            text = ", ".join(f"{r['wall_s']:.1f}/{r['cpu_s']:.1f}" for r in rows)
            lines.append(f"- {int(n):,} {side}: {text}")
    return "\n".join(lines) + "\n"


def _label(tree: Path) -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=tree, capture_output=True, text=True
    )
    return done.stdout.strip() or "not a git checkout"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the 'before' source tree")
    parser.add_argument("--after", type=Path, default=HERE)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 250_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", default=None, help="CITYPEACE_THREADS for both sides")
    parser.add_argument("--label-before", default=None)
    parser.add_argument("--name", default="cli250_ab")
    args = parser.parse_args()
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    meta: dict[str, Any] = {
        "before": str(trees["before"]), "after": str(trees["after"]),
        "before_label": args.label_before or _label(trees["before"]),
        "after_label": _label(trees["after"]), "repeat": args.repeat, "sizes": args.sizes,
        "threads": args.threads, "cpus": os.cpu_count(), "load_before": os.getloadavg()[0],
    }  # fmt: skip
    result = measure(trees, args.sizes, args.repeat, args.threads)
    meta["load_after"] = os.getloadavg()[0]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{args.name}.json").write_text(json.dumps({"meta": meta, **result}, indent=1))
    text = markdown(meta, result)
    (RESULTS / f"{args.name}.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
