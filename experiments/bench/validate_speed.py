"""Benchmark: the full protocol, ``citypeace validate scenario=tuzla seeds=30 nulls=all``.

Runs it as a user would (a subprocess, output to a temporary folder) and reports the wall time,
the CPU time of the process, the number of model runs (models x policies x seeds) and the
runs per second. Writes ``experiments/bench/results/validate_speed.json`` and
``validate_speed.md``.

    .venv/bin/python experiments/bench/validate_speed.py                 # ~6 min on a free core
    .venv/bin/python experiments/bench/validate_speed.py --seeds 2       # smoke
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parents[2]


def runs_planned(scenario: str, seeds: int) -> int:
    """Models (full + every null) x policies (baseline + each contrast's) x seeds."""
    from sim.experiments.nulls import load_nulls
    from sim.scenario.loader import load_scenario

    case = load_scenario(scenario)
    policies = 1 + len({p["policy"] for p in case.patterns if p["kind"] == "contrast"})
    return (1 + len(load_nulls())) * policies * seeds


def measure(scenario: str, seeds: int) -> dict:
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        args = [
            sys.executable, "-m", "sim", "validate", f"scenario={scenario}", f"seeds={seeds}",
            "nulls=all", f"out={tmp}/out", "-q",
        ]  # fmt: skip
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.time()
        proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)
        wall = time.time() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"validate failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    cpu = (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)
    runs = runs_planned(scenario, seeds)
    return {
        "command": " ".join(["citypeace", *args[3:-2]]),
        "scenario": scenario,
        "seeds": seeds,
        "runs": runs,
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "runs_per_s": round(runs / wall, 2),
        "exit": proc.returncode,
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="tuzla")
    ap.add_argument("--seeds", type=int, default=30)
    ap.add_argument("--out", type=Path, default=RESULTS)
    a = ap.parse_args()
    r = measure(a.scenario, a.seeds)
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "validate_speed.json").write_text(json.dumps(r, indent=2) + "\n", encoding="utf-8")
    md = "\n".join(
        [
            "# Validation protocol speed",
            "",
            f"`{r['command']}`: {r['runs']} model runs (full model and every null, every policy "
            f"a contrast needs, {r['seeds']} seeds) in **{r['wall_s']:.0f} s** wall "
            f"({r['runs_per_s']:.2f} runs/s; {r['cpu_s']:.0f} s CPU; validate exited {r['exit']}).",
            "",
            f"Shared 2-core machine, load average {r['load_before']:.1f} before and "
            f"{r['load_after']:.1f} after; Python {r['python']}. The runs go one by one through "
            "the ensemble interface (`sim.engine.ensemble`) until the batched engine lands.",
            "",
        ]
    )
    (a.out / "validate_speed.md").write_text(md, encoding="utf-8")
    print(md)


if __name__ == "__main__":
    main()
