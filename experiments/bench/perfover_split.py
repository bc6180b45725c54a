"""Where a sweep's and validate's CPU goes outside the runs, by phase (perfover, issue 14 item 4).

Each measurement is one fresh process of a source tree (``--tree``, default this checkout)
running the whole command through its entry point with the steps wrapped in CPU timers:

- ``sweep``: ``citypeace sweep design=bench_lhs design.n=N scenario=tuzla horizon=240`` (no
  dashboard, activities or city rows) with joblib on **one** process, so that the jobs run in
  the command's own process and every phase is timed there: start-up and imports, the
  leader (compose, design, plan, launcher), each job's per-run configs (``run_batch`` less
  ``run_together``), the stepping (``_step``), the runs' rows (``run_together`` less the
  stepping and the commit), the commit (``BatchWriter.commit``), the progress markers
  (``mark_progress``), and the summary (``SweepCallback.finish`` less the progress bar);
- ``validate``: ``citypeace validate scenario=S seeds=N nulls=none`` with the steps of
  ``validate_ab.py`` (its phases), CPU of this process only (the runs' workers and the
  fan-chart child are not counted: what the command itself does outside them).

``--profile PHASE`` also writes a cProfile (CPU timer) of that phase's function to
``<out>/<name>_<phase>.pstats``.

    .venv/bin/python experiments/bench/perfover_split.py sweep --tree /tmp/citypeace-e4b0bd4
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parents[2]

SWEEP_CHILD = r"""
import json, os, sys, time
T0 = time.process_time()
spent = {}
def add(k, v):
    spent[k] = spent.get(k, 0.0) + v
import sim.experiments.sweep_batch as sb
import sim.experiments.sweep_records as sr
import sim.experiments.run_status as rs
import sim.experiments.summary as summ
import sim.experiments.progress as prog
def wrap(owner, name, label):
    f = getattr(owner, name)
    def timed(*a, **k):
        c = time.process_time()
        try:
            return f(*a, **k)
        finally:
            add(label, time.process_time() - c)
    setattr(owner, name, timed)
wrap(sb, "run_batch", "job")
wrap(sb, "run_together", "job: run_together")
wrap(sb, "_step", "job: stepping")
wrap(sr.BatchWriter, "commit", "job: commit")
wrap(rs, "mark_progress", "progress markers")
wrap(summ.SweepCallback, "finish", "summary (and progress bar stop)")
import sim.experiments.sweep as sw
wrap(sw, "plan", "design (sample and plan)")
import sim.experiments.sweep_configs as sc
wrap(sc.RunConfigs, "resolved", "job: configs: resolved (plain data, hash)")
wrap(rs, "new_record", "job: configs: new_record")
import sim.cli.config as cc
wrap(cc, "model_kwargs", "job: configs: model_kwargs")
wrap(sb, "_apply_numbers", "job: configs: apply overrides")
import sim.engine.outputs as eo
wrap(eo.Outputs, "series_table",
     "job: rows: series_table")
wrap(rs, "outcomes", "job: rows: outcomes")
wrap(sr.BatchWriter, "add", "job: rows: BatchWriter.add (Parquet)")
spent["start-up and imports"] = time.process_time() - T0
from sim.cli.main import main
sys.argv = ["citypeace", "sweep", *sys.argv[1:]]
import atexit
PROF = None
if os.environ.get("PERFOVER_PSTATS"):
    import cProfile
    PROF = cProfile.Profile(time.process_time)
    PROF.enable()
def done():
    if PROF is not None:
        PROF.disable()
        PROF.dump_stats(os.environ["PERFOVER_PSTATS"])
    spent["whole process"] = time.process_time() - T0
    json.dump(spent, open(os.environ["PERFOVER_OUT"], "w"))
atexit.register(done)
main()
"""

SWEEP_ARGS = ["scenario=tuzla", "horizon=240", "output.dashboard=false",
              "output.activities=false", "output.cities_every=0", "output.progress=false",
              "hydra/launcher=joblib", "hydra.launcher.n_jobs=1"]  # fmt: skip


def split_sweep(spent: dict[str, float]) -> dict[str, float]:
    """The phases from the wrapped totals (each job's parts apart)."""
    job, together = spent.get("job", 0.0), spent.get("job: run_together", 0.0)
    step, commit = spent.get("job: stepping", 0.0), spent.get("job: commit", 0.0)
    marks = spent.get("progress markers", 0.0)
    out = {
        "start-up and imports": spent["start-up and imports"],
        "per-run configs": job - together,
        "stepping (the runs)": step,
        "rows (series tables, records)": together - step - commit,
        "commit": commit,
        "progress markers": marks,
        "summary": spent.get("summary (and progress bar stop)", 0.0),
    }
    out["leader (compose, design, launcher)"] = spent["whole process"] - sum(out.values()) - marks
    out.update({k: v for k, v in spent.items() if k.startswith(("job: configs", "job: rows",
                                                                "design"))})  # fmt: skip
    out["whole process"] = spent["whole process"]
    return out


def run_sweep(
    tree: Path, n: int, per_job: int, design: str = "bench_lhs", pstats: str | None = None
) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONHASHSEED": "0",
               "PERFOVER_OUT": f"{tmp}/split.json", "CITYPEACE_FAST_EXIT": "0",
               **({"PERFOVER_PSTATS": str(pstats)} if pstats else {})}  # fmt: skip
        cmd = [sys.executable, "-c", SWEEP_CHILD, f"design={design}", *SWEEP_ARGS, f"design.n={n}",
               f"--runs-per-job={per_job}", f"hydra.sweep.dir={tmp}/sweep"]  # fmt: skip
        proc = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise SystemExit(proc.stderr[-3000:])
        return split_sweep(json.loads(Path(f"{tmp}/split.json").read_text()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=["sweep"])
    ap.add_argument("--tree", type=Path, default=HERE)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--per-job", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--design", default="bench_lhs", help="bench_sobol: n x 10 runs")
    ap.add_argument("--pstats", default=None, help="also a cProfile (CPU) of the whole process")
    a = ap.parse_args()
    for _ in range(a.repeat):
        row = run_sweep(a.tree, a.n, a.per_job, a.design, a.pstats)
        print(json.dumps({"tree": str(a.tree), "load": os.getloadavg()[0],
                          **{k: round(v, 3) for k, v in row.items()}}), flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
