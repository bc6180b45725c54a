"""Issue 14's ensemble commands end to end, before and after, side by side: validate and an LHS
sweep of tuzla.

"Before" is a source tree given by ``--before`` (a folder, e.g. the read-only ``/tmp/base65`` of
65868b2, or a commit unpacked with ``git archive`` as ``scale_sides.py`` does); "after" is this
checkout. Each measurement is one fresh process of the whole command as a user runs it:

- ``citypeace validate scenario=tuzla seeds=30 nulls=none out=<tmp> -q`` (150 runs), through
  ``validate_ab.py``'s timed child (its phases: start-up, compose and checks, runs, record,
  files), with a hash of every file written: both sides must write the same bytes;
- ``citypeace sweep design=bench_lhs design.n=N scenario=tuzla horizon=240`` with the outputs of
  ``ensemble_speed.py``'s sweep (no dashboard, activities or city rows), the joblib launcher on 2
  processes and ``--runs-per-job=N/2`` (every run its own folder, as the sweep writes them), with
  a digest of the summary's outcome columns (by run id): both sides must give the same numbers.

The sides alternate (before-after, after-before, ...) after one untimed warm-up each (a small
sweep for the sweep); medians of ``--repeat`` per side, wall and CPU seconds of the process tree
(the command and its workers), and the load average at each measurement.

    .venv/bin/python experiments/bench/perfval_ab.py --before /tmp/base65 --repeat 3

Writes ``results/perfval_ab.json`` and ``.md`` (``--name`` to change the stem).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_sides import base_tree  # noqa: E402
from validate_ab import one_run as validate_run  # noqa: E402

HERE = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
SIDES = ("before", "after")
OUTPUT = ["output.dashboard=false", "output.activities=false", "output.cities_every=0",
          "output.progress=false"]  # fmt: skip
# Columns of summary.parquet that differ between two runs of the same sweep (time, host, code).
VOLATILE = {"duration_s", "cpu_s", "finished_at", "git_commit", "run_dir", "host", "citypeace"}


def sweep_run(tree: Path, n: int, horizon: int = 240) -> dict[str, Any]:
    """One fresh ``citypeace sweep`` of ``n`` LHS points of tuzla in ``tree``: wall, CPU of the
    process tree, and a digest of the summary's non-volatile columns."""
    import pandas as pd

    with tempfile.TemporaryDirectory() as tmp:
        sweep = Path(tmp) / "sweep"
        command = [sys.executable, "-m", "sim", "sweep", "design=bench_lhs", f"design.n={n}",
                   "scenario=tuzla", f"horizon={horizon}", *OUTPUT, "hydra/launcher=joblib",
                   "hydra.launcher.n_jobs=2", f"--runs-per-job={max(n // 2, 1)}",
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
        shutil.rmtree(sweep, ignore_errors=True)
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return {"wall_s": wall, "cpu_s": cpu, "outputs": digest, "completed": completed,
            "load": os.getloadavg()[0]}  # fmt: skip


def alternate(label: str, measure: Any, trees: dict[str, Path], repeat: int) -> dict[str, Any]:
    """``repeat`` measurements a side, alternating the order each round."""
    rows: dict[str, list[dict[str, Any]]] = {side: [] for side in SIDES}
    for i in range(repeat):
        for side in SIDES if i % 2 == 0 else SIDES[::-1]:
            row = measure(trees[side])
            rows[side].append(row)
            print(f"{label}: {side:6s} wall {row['wall_s']:.2f} s, CPU {row['cpu_s']:.2f} s, "
                  f"load {row['load']:.1f}", flush=True)  # fmt: skip
    med = {side: {k: statistics.median(r[k] for r in rs) for k in ("wall_s", "cpu_s", "load")}
           for side, rs in rows.items()}  # fmt: skip
    for side, rs in rows.items():
        if "phases_s" in rs[0]:
            phases = rs[0]["phases_s"]
            med[side]["phases_s"] = {
                p: statistics.median(r["phases_s"].get(p, 0.0) for r in rs) for p in phases
            }
    outputs = {side: sorted({r["outputs"] for r in rs}) for side, rs in rows.items()}
    same = outputs["before"] == outputs["after"] and len(outputs["after"]) == 1
    return {"median": med, "same_outputs": same, "outputs": outputs, "runs": rows}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", required=True, help="a source folder, or a commit to unpack")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--lhs", type=int, default=1000, help="LHS points (runs) of the sweep")
    ap.add_argument("--seeds", type=int, default=30)
    ap.add_argument("--name", default="perfval_ab")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--skip", choices=["validate", "sweep"], action="append", default=[])
    a = ap.parse_args()
    before = Path(a.before)
    trees = {"before": before if before.is_dir() else base_tree(a.before), "after": HERE}
    val_args = ["scenario=tuzla", f"seeds={a.seeds}", "nulls=none"]
    load_start = list(os.getloadavg())
    result: dict[str, Any] = {}
    if "validate" not in a.skip:
        for side in SIDES:  # warm-up: numba's caches, the OS's file cache
            validate_run(trees[side], val_args)
        result["validate"] = alternate("validate", lambda t: validate_run(t, val_args), trees,
                                       a.repeat)  # fmt: skip
    if "sweep" not in a.skip:
        for side in SIDES:
            sweep_run(trees[side], 20)
        result["sweep"] = alternate("sweep", lambda t: sweep_run(t, a.lhs), trees, a.repeat)
    git = ["git", "rev-parse", "--short", "HEAD"]
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "before": str(a.before),
        "after": subprocess.run(git, cwd=HERE, capture_output=True, text=True).stdout.strip(),
        "validate": f"citypeace validate {' '.join(val_args)} out=<tmp> -q",
        "sweep": f"citypeace sweep design=bench_lhs design.n={a.lhs} scenario=tuzla horizon=240 "
        f"{' '.join(OUTPUT)} hydra/launcher=joblib hydra.launcher.n_jobs=2 "
        f"--runs-per-job={max(a.lhs // 2, 1)}",
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
        "# Validate and an LHS sweep, before and after, side by side",
        "",
        f"{meta['date']}. Before: `{meta['before']}`, after: `{meta['after']}`. Fresh processes, "
        f"{meta['repeat']} per side after one warm-up each, alternating; medians. "
        f"{meta['cpus']} CPUs shared with other work: load average {meta['load_start'][0]:.1f} "
        f"at the start and {meta['load_end'][0]:.1f} at the end (the load at each measurement "
        "is in the JSON). CPU: the command and its worker processes.",
        "",
        "| command | target | before wall | after wall | after / before | before CPU | "
        "after CPU | after / before | outputs |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    targets = {"validate": "<= 2 s", "sweep": "<= 10 s"}
    for key, r in result.items():
        b, a = r["median"]["before"], r["median"]["after"]
        same = "the same bytes" if key == "validate" else "the same summary"
        lines.append(
            f"| `{meta[key]}` | {targets[key]} | {b['wall_s']:.2f} s | {a['wall_s']:.2f} s | "
            f"{a['wall_s'] / b['wall_s']:.2f} | {b['cpu_s']:.2f} s | {a['cpu_s']:.2f} s | "
            f"{a['cpu_s'] / b['cpu_s']:.2f} | {same if r['same_outputs'] else '**DIFFER**'} |"
        )
    if "validate" in result and "phases_s" in result["validate"]["median"]["after"]:
        med = result["validate"]["median"]
        lines += ["", "validate's phases (wall seconds, medians):", "",
                  "| phase | before | after |", "| --- | ---: | ---: |"]  # fmt: skip
        for phase, after in med["after"]["phases_s"].items():
            lines.append(f"| {phase} | {med['before']['phases_s'].get(phase, 0.0):.2f} | "
                         f"{after:.2f} |")  # fmt: skip
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
