"""Benchmark: a 1,000-run LHS sweep of tuzla (20-year horizon) with joblib on 1 and 2 cores.

Runs ``citypeace sweep design=bench_lhs`` as a user would (a subprocess, the joblib launcher,
sweep outputs without the dashboard PNG and the per-city and per-project tables) and reports
runs per second, the fixed start-up time, and the parallel efficiency of 2 cores against 1.
Writes ``experiments/bench/results/sweep_speed.json`` and ``sweep_speed.md``.

    .venv/bin/python experiments/bench/sweep_speed.py                    # 1,000 runs; 1 core: 250
    .venv/bin/python experiments/bench/sweep_speed.py --runs 40 --runs-1core 20   # smoke
    .venv/bin/python experiments/bench/sweep_speed.py --runs-per-job 10   # 10 runs per job

The 1-core leg runs fewer points (``--runs-1core``) of the same design and is compared on
runs per second after start-up, so it does not take four times as long as the 2-core leg.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parents[2]
OUTPUT = [
    "output.dashboard=false",
    "output.activities=false",
    "output.cities_every=0",
    "output.progress=false",
]


def leg(
    scenario: str, runs: int, horizon: int, cores: int, work: Path, runs_per_job: int = 1
) -> dict:
    """One sweep; returns wall time, start-up time and steady-state throughput."""
    sweep = work / f"sweep_{cores}core"
    shutil.rmtree(sweep, ignore_errors=True)
    args = [
        sys.executable,
        "-m",
        "sim",
        "sweep",
        "design=bench_lhs",
        f"design.n={runs}",
        f"scenario={scenario}",
        f"horizon={horizon}",
        *OUTPUT,
        "hydra/launcher=joblib",
        f"hydra.launcher.n_jobs={cores}",
        f"--runs-per-job={runs_per_job}",
        # a folder a run: the steady rate below reads each run's status.json (a batched job
        # writes none without it; experiments/bench/sweep14_ab.py times that default)
        *(["--run-folders"] if runs_per_job > 1 else []),
        f"hydra.sweep.dir={sweep}",
    ]
    env = {**os.environ, "CITYPEACE_PROGRESS": "0", "PYTHONHASHSEED": "0"}
    load_before = os.getloadavg()[0]
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.time()
    proc = subprocess.run(args, cwd=work, env=env, capture_output=True, text=True, check=False)
    wall = time.time() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU of the whole process tree (the sweep and its joblib workers, once reaped): what the
    # sweep costs, whatever else the machine was doing.
    cpu = (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"sweep failed ({cores} cores):\n{proc.stderr[-3000:]}")
    summary = pd.read_parquet(sweep / "summary.parquet")
    done = sorted(os.path.getmtime(sweep / d / "status.json") for d in summary["run_dir"])
    first, last = done[0] - start, done[-1] - start
    steady = (len(done) - 1) / (last - first) if len(done) > 1 and last > first else float("nan")
    return {
        "cores": cores,
        "runs": int(len(summary)),
        "completed": int((summary["status"] == "completed").sum()),
        "wall_s": round(wall, 2),
        "runs_per_s": round(len(summary) / wall, 3),
        "startup_s": round(first, 2),  # process start, design, preflight, workers' imports
        "steady_runs_per_s": round(steady, 3),
        "mean_run_s": round(float(summary["duration_s"].mean()), 4),  # model + outputs only
        "mean_run_cpu_s": round(float(summary["cpu_s"].mean()), 4),
        "cpu_s_total": round(cpu, 1),
        "cpu_s_per_run": round(cpu / len(summary), 4),
        # Runs/s if the sweep had its cores to itself: cores / CPU seconds per run.
        "cpu_bound_runs_per_s": round(cores * len(summary) / cpu, 3),
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "months": int(summary["months"].max()),
    }


def main() -> None:
    """Run both legs and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="tuzla")
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--runs-1core", type=int, default=250)
    parser.add_argument("--horizon", type=int, default=240)
    parser.add_argument("--runs-per-job", type=int, default=1, help="citypeace sweep's option")
    parser.add_argument("--keep", type=Path, default=None, help="keep the sweeps here")
    parser.add_argument("--note", default="", help="a line for the results page")
    parser.add_argument("--render", action="store_true", help="only rewrite the .md from .json")
    ns = parser.parse_args()
    if ns.render:
        result = json.loads((RESULTS / "sweep_speed.json").read_text())
        (RESULTS / "sweep_speed.md").write_text(markdown(result))
        return
    work = ns.keep or Path(tempfile.mkdtemp(prefix="citypeace_bench_"))
    work.mkdir(parents=True, exist_ok=True)
    two = leg(ns.scenario, ns.runs, ns.horizon, 2, work, ns.runs_per_job)
    print(json.dumps(two))
    one = leg(ns.scenario, ns.runs_1core, ns.horizon, 1, work, ns.runs_per_job)
    print(json.dumps(one))
    efficiency = two["steady_runs_per_s"] / (2 * one["steady_runs_per_s"])
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    result = {
        "note": ns.note,
        "scenario": ns.scenario,
        "horizon_months": ns.horizon,
        "design": "bench_lhs (LHS over 4 coefficients and levers)",
        "launcher": "joblib (loky)",
        "runs_per_job": ns.runs_per_job,
        "target_s": 120,
        "two_cores": two,
        "one_core": one,
        "parallel_efficiency": round(efficiency, 3),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "git_commit": commit or "not a git checkout",
        "date": time.strftime("%Y-%m-%d"),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "sweep_speed.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "sweep_speed.md").write_text(markdown(result))
    print(markdown(result))
    if ns.keep is None:
        shutil.rmtree(work, ignore_errors=True)


TARGET_RUNS = 1000  # the benchmark: 1,000 runs in <= 120 s on 2 cores


def markdown(r: dict) -> str:
    """The results as a short Markdown page."""
    two, one = r["two_cores"], r["one_core"]
    # The target is for TARGET_RUNS runs; a shorter measurement is projected at its steady rate.
    if two["runs"] >= TARGET_RUNS:
        wall, how = two["wall_s"] * TARGET_RUNS / two["runs"], "wall"
    else:
        wall = two["startup_s"] + TARGET_RUNS / two["steady_runs_per_s"]
        how = f"wall, projected from {two['runs']} runs at their steady rate"
    verdict = "met" if wall <= r["target_s"] else "NOT met"
    projected = TARGET_RUNS / two["cpu_bound_runs_per_s"]
    load = max(two["load_before"], two["load_after"], one["load_before"], one["load_after"])
    busy = (
        f"- The machine was shared while this ran (load average up to {load} on "
        f"{r['machine']['cpus']} CPUs): the wall times, runs/s and the efficiency above "
        "overstate the cost; the CPU-bound projection does not depend on the load.\n"
        if load > r["machine"]["cpus"] + 0.5
        else ""
    )
    rows = "\n".join(
        f"| {x['cores']} | {x['runs']} | {x['wall_s']} | {x['runs_per_s']} | "
        f"{x['startup_s']} | {x['steady_runs_per_s']} | {x['cpu_s_per_run']} | "
        f"{x['mean_run_cpu_s']} | {x['load_before']} / {x['load_after']} |"
        for x in (two, one)
    )
    per_job = r.get("runs_per_job", 1)
    return f"""# Sweep speed: {two["runs"]}-run LHS sweep of {r["scenario"]}

{r["horizon_months"]}-month horizon, launcher {r["launcher"]}, {per_job} run(s) per launcher
job (`--runs-per-job`), outputs without the dashboard, city and project tables.
Machine: {r["machine"]["cpus"]} CPUs, Python {r["machine"]["python"]}.
Commit {r["git_commit"]}, {r["date"]}. {r.get("note", "")}

| cores | runs | wall (s) | runs/s | start-up (s) | steady runs/s | CPU s per run (all) \
| CPU s per run (model+outputs) | load before / after |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
{rows}

- Target: {TARGET_RUNS} runs in <= {r["target_s"]} s on 2 cores: **{verdict}** \
({wall:.0f} s {how}).
- CPU-bound projection of {TARGET_RUNS} runs on 2 otherwise idle cores: {projected:.0f} s \
({two["cpu_bound_runs_per_s"]} runs/s = 2 / CPU seconds per run, the sweep's whole process tree).
- Parallel efficiency of 2 cores against 1 (steady runs/s): {r["parallel_efficiency"]:.0%}.
{busy}- "CPU s per run (model+outputs)" is the job's own work (build the scenario, run the months,
  write the run folder); "(all)" adds Hydra's per-job cost, the workers' start-up and the
  sweep process. A load above 2 means other processes shared the 2 cores.
"""


if __name__ == "__main__":
    main()
