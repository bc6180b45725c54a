"""Issue 14's sweep targets end to end, side by side: the 1,000-run LHS of tuzla before and after
sweep14 (a batched job writes one series file and one record file instead of a folder a run),
and the 10,240-run Sobol design once.

"Before" is a source tree given by ``--before`` (a folder, e.g. the read-only ``/tmp/base13`` of
5d32e69); "after" is this checkout. Each measurement is one fresh process of the whole command
as a user runs it, ``citypeace sweep design=bench_lhs scenario=tuzla horizon=240`` with
``ensemble_speed.py``'s outputs (no dashboard, activities or city rows), the joblib launcher on
2 processes and ``--runs-per-job=500``: before, every run its own folder (the only way then);
after, the default (no run folders). The sides alternate (before-after, after-before, ...)
after one untimed warm-up each (a 20-run sweep); medians of ``--repeat`` a side: wall and CPU
seconds of the process tree, the largest resident set of one process, the load average at
each measurement, and a digest of the summary's outcome columns by run id (both sides must
give the same numbers).

The Sobol design (``design=bench_sobol``: 1,024 x (8 + 2) runs) runs once on the after side
(``--sobol-runs-per-job``, 512 by default), unless ``--skip sobol``.

    .venv/bin/python experiments/bench/sweep14_ab.py --before /tmp/base13 --repeat 3

Writes ``results/sweep14_ab.json`` and ``.md`` (``--name`` to change the stem).
"""

from __future__ import annotations

import argparse
import hashlib
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
OUTPUT = ["output.dashboard=false", "output.activities=false", "output.cities_every=0",
          "output.progress=false"]  # fmt: skip
# Columns of summary.parquet that differ between two runs of the same sweep (time, host, code,
# where a run's files are).
VOLATILE = {"duration_s", "cpu_s", "finished_at", "git_commit", "run_dir", "host", "citypeace"}


def sweep_run(tree: Path, design: str, n: int | None, per_job: int) -> dict[str, Any]:
    """One fresh ``citypeace sweep`` in ``tree``: wall, CPU of the process tree, the largest
    process's peak memory, the files it left, and a digest of the summary."""
    import pandas as pd

    with tempfile.TemporaryDirectory(dir=os.environ.get("SWEEP14_TMP")) as tmp:
        sweep = Path(tmp) / "sweep"
        size = [f"design.n={n}"] if n else []
        command = [sys.executable, "-m", "sim", "sweep", f"design={design}", *size,
                   "scenario=tuzla", "horizon=240", *OUTPUT, "hydra/launcher=joblib",
                   "hydra.launcher.n_jobs=2", f"--runs-per-job={per_job}",
                   f"hydra.sweep.dir={sweep}"]  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONHASHSEED": "0"}
        before, start = os.times(), time.perf_counter()
        proc = subprocess.run(command, cwd=tmp, env=env, capture_output=True, text=True,
                              check=False)  # fmt: skip
        wall, after = time.perf_counter() - start, os.times()
        if proc.returncode != 0:
            raise SystemExit(f"sweep failed in {tree}:\n{proc.stderr[-3000:]}")
        summary = pd.read_parquet(sweep / "summary.parquet")
        summary = summary.drop(columns=[c for c in summary.columns if c in VOLATILE])
        summary = summary.sort_values("run_id").reset_index(drop=True)
        digest = hashlib.sha256(summary.to_csv(index=False).encode()).hexdigest()[:16]
        completed = int((summary["status"] == "completed").sum())
        files = sum(len(f) for _, _, f in os.walk(sweep))
        size_mb = sum(p.stat().st_size for p in sweep.rglob("*") if p.is_file()) / 1e6
        shutil.rmtree(sweep, ignore_errors=True)
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest so far
    return {"wall_s": wall, "cpu_s": cpu, "outputs": digest, "completed": completed,
            "files": files, "size_mb": round(size_mb, 1), "peak_mb_so_far": round(peak),
            "load": os.getloadavg()[0]}  # fmt: skip


def alternate(measure: Any, trees: dict[str, Path], repeat: int) -> dict[str, Any]:
    """``repeat`` measurements a side, alternating the order each round."""
    rows: dict[str, list[dict[str, Any]]] = {side: [] for side in SIDES}
    for i in range(repeat):
        for side in SIDES if i % 2 == 0 else SIDES[::-1]:
            row = measure(trees[side])
            rows[side].append(row)
            print(f"lhs: {side:6s} wall {row['wall_s']:.2f} s, CPU {row['cpu_s']:.2f} s, "
                  f"{row['files']} files, load {row['load']:.1f}", flush=True)  # fmt: skip
    keys = ("wall_s", "cpu_s", "load", "files", "size_mb")
    med = {side: {k: statistics.median(r[k] for r in rs) for k in keys}
           for side, rs in rows.items()}  # fmt: skip
    outputs = {side: sorted({r["outputs"] for r in rs}) for side, rs in rows.items()}
    same = outputs["before"] == outputs["after"] and len(outputs["after"]) == 1
    return {"median": med, "same_outputs": same, "outputs": outputs, "runs": rows}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", required=True, help="a source folder")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--lhs", type=int, default=1000, help="LHS points (runs) of the sweep")
    ap.add_argument("--sobol-runs-per-job", type=int, default=512)
    ap.add_argument("--name", default="sweep14_ab")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--skip", choices=["lhs", "sobol"], action="append", default=[])
    a = ap.parse_args()
    trees = {"before": Path(a.before), "after": HERE}
    per_job = max(a.lhs // 2, 1)
    load_start = list(os.getloadavg())
    result: dict[str, Any] = {}
    if "lhs" not in a.skip:
        for side in SIDES:  # warm-up: numba's caches, the OS's file cache
            sweep_run(trees[side], "bench_lhs", 20, 10)
        result["lhs"] = alternate(lambda t: sweep_run(t, "bench_lhs", a.lhs, per_job), trees,
                                  a.repeat)  # fmt: skip
    if "sobol" not in a.skip:
        row = sweep_run(HERE, "bench_sobol", None, a.sobol_runs_per_job)
        print(
            f"sobol: wall {row['wall_s']:.1f} s, CPU {row['cpu_s']:.1f} s, "
            f"{row['completed']} completed, load {row['load']:.1f}",
            flush=True,
        )
        result["sobol"] = row
    git = ["git", "rev-parse", "--short", "HEAD"]
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "before": str(a.before),
        "after": subprocess.run(git, cwd=HERE, capture_output=True, text=True).stdout.strip(),
        "lhs": f"citypeace sweep design=bench_lhs design.n={a.lhs} scenario=tuzla horizon=240 "
        f"{' '.join(OUTPUT)} hydra/launcher=joblib hydra.launcher.n_jobs=2 "
        f"--runs-per-job={per_job}",
        "sobol": f"citypeace sweep design=bench_sobol scenario=tuzla horizon=240 "
        f"{' '.join(OUTPUT)} hydra/launcher=joblib hydra.launcher.n_jobs=2 "
        f"--runs-per-job={a.sobol_runs_per_job}",
        "repeat": a.repeat,
        "load_start": load_start,
        "load_end": list(os.getloadavg()),
        "cpus": os.cpu_count(),
    }
    a.out.mkdir(parents=True, exist_ok=True)
    stem = a.out / a.name
    stem.with_suffix(".json").write_text(json.dumps({"meta": meta, **result}, indent=1) + "\n")
    stem.with_suffix(".md").write_text(markdown(meta, result), encoding="utf-8")
    print(stem.with_suffix(".md").read_text())


def markdown(meta: dict[str, Any], result: dict[str, Any]) -> str:
    lines = [
        "# The 1,000-run LHS sweep before and after sweep14, and the 10,240-run Sobol design",
        "",
        f"{meta['date']}. Before: `{meta['before']}`, after: `{meta['after']}`. Fresh processes, "
        f"alternating after one warm-up each; medians. {meta['cpus']} CPUs shared with other "
        f"work: load average {meta['load_start'][0]:.1f} at the start and "
        f"{meta['load_end'][0]:.1f} at the end (the load at each measurement is in the JSON). "
        "CPU: the command and its worker processes.",
        "",
    ]
    if "lhs" in result:
        r = result["lhs"]
        b, a = r["median"]["before"], r["median"]["after"]
        same = "the same summary" if r["same_outputs"] else "**DIFFER**"
        lines += [
            f"`{meta['lhs']}`, {meta['repeat']} a side (before: a folder a run; after: none):",
            "",
            "| | target | before | after | after / before |",
            "| --- | ---: | ---: | ---: | ---: |",
            f"| wall | <= 10 s | {b['wall_s']:.2f} s | {a['wall_s']:.2f} s | "
            f"{a['wall_s'] / b['wall_s']:.2f} |",
            f"| CPU | | {b['cpu_s']:.2f} s | {a['cpu_s']:.2f} s | {a['cpu_s'] / b['cpu_s']:.2f} |",
            f"| files in the sweep folder | | {b['files']:.0f} | {a['files']:.0f} | |",
            f"| bytes in the sweep folder | | {b['size_mb']:.0f} MB | {a['size_mb']:.0f} MB | |",
            f"| load average (median) | | {b['load']:.1f} | {a['load']:.1f} | |",
            f"| outputs | | | | {same} |",
            "",
        ]
    if "sobol" in result:
        s = result["sobol"]
        lines += [
            f"`{meta['sobol']}`, once: **{s['wall_s']:.1f} s wall** (target 2 minutes), "
            f"{s['cpu_s']:.1f} s CPU, {s['completed']} runs completed, {s['files']} files, "
            f"{s['size_mb']:.0f} MB, load {s['load']:.1f}; the largest process's peak "
            f"{s['peak_mb_so_far']} MB (the largest of any child so far).",
            "",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
