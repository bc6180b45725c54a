"""Benchmark: the ensemble engine against running the same runs one by one (issue 14's table).

Every row times the single-run path (``PeaceModel(...).run()`` per run, a batch of one) and
the batched path (``Ensemble``, replicates stepped together, over up to two worker processes)
on the same runs, in this one process; the commands users type (``citypeace validate``,
``citypeace sweep ... --runs-per-job``) are timed end to end in a subprocess. Wall and CPU
seconds are both reported: the machine is a shared 2-core VM, so wall times carry other
people's load (recorded). The old engine's figures (before the batched engine) are in
``results/baseline_old_engine.json``.

    .venv/bin/python experiments/bench/ensemble_speed.py             # ~15 minutes
    .venv/bin/python experiments/bench/ensemble_speed.py --quick     # small sizes, ~1 minute

Writes ``results/ensemble_speed.json`` and ``results/ensemble_speed.md``.
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
from typing import Any

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
# A child's own peak memory: VmHWM (its own address space since exec; ru_maxrss would count
# the forked parent's pages too).
PEAK = "int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0]) / 1024"


def clock() -> tuple[float, float]:
    """(wall, CPU of this process and its reaped children)."""
    own = time.process_time()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter(), own + kids.ru_utime + kids.ru_stime


def since(start: tuple[float, float]) -> dict[str, float]:
    wall, cpu = clock()
    return {"wall_s": round(wall - start[0], 2), "cpu_s": round(cpu - start[1], 2)}


def single_runs(scenario: str, reps: list[Any], horizon: int | None) -> dict[str, float]:
    """Each replicate as its own PeaceModel (the single-run path)."""
    from sim import PeaceModel

    start = clock()
    for rep in reps:
        PeaceModel(
            scenario, seed=rep.seed, horizon=horizon, policy=rep.policy, params=rep.params,
            levers=rep.levers, cities_every=0,
        ).run()  # fmt: skip
    return {**since(start), "runs": len(reps)}


def batched(scenario: str, reps: list[Any], horizon: int | None, workers: int) -> dict[str, float]:
    from sim import Ensemble

    start = clock()
    ens = Ensemble(scenario, reps, horizon=horizon, workers=workers).run()
    assert not ens.failures, ens.failures
    return {**since(start), "runs": len(reps), "workers": workers}


def validate_replicates(seeds: int) -> list[Any]:
    """What ``citypeace validate scenario=tuzla seeds=N nulls=none`` runs: every policy a
    contrast names and the baseline, seeds 0..N-1, the full model."""
    import dataclasses

    from sim.engine.params import ModelParams
    from sim.experiments import validate

    case = __import__("sim.scenario.loader", fromlist=["x"]).load_scenario("tuzla")
    opts = validate.Options(seeds, [], None, 1, None, True)
    reps, _ = validate.plan(case, ModelParams(), {}, opts)
    assert all(dataclasses.is_dataclass(ModelParams()) for _ in reps[:1])
    return reps


def lhs_replicates(n: int) -> list[Any]:
    """The bench_lhs design's first n points (one replication each), as replicates."""
    from sim.engine.replicates import zipped_replicates
    from sim.experiments.sweep import load_design, replication_seeds, sample

    design = load_design("bench_lhs", [f"design.n={n}"])
    points = sample(design)
    seed = replication_seeds(design)[0]
    params = {p.key[len("model.") :]: points[:, j] for j, p in enumerate(design.parameters)
              if p.key.startswith("model.")}  # fmt: skip
    levers = {p.key[len("levers.") :]: points[:, j] for j, p in enumerate(design.parameters)
              if p.key.startswith("levers.")}  # fmt: skip
    return zipped_replicates([seed] * n, None, params, levers)


def sobol_replicates(n: int) -> tuple[list[Any], dict[str, Any]]:
    """A Saltelli design over 8 coefficients and levers: n x (8 + 2) runs."""
    from SALib.sample import sobol

    from sim.engine.replicates import zipped_replicates

    keys = {
        "trust.success": [0.01, 0.15], "trust.decay": [0.005, 0.05],
        "trust.failure": [0.05, 0.4], "proposals.beta_trust": [1.0, 6.0],
        "proposals.beta_hostility": [1.0, 6.0], "delivery.synergy": [0.0, 1.5],
        "levers.coordination": [0.0, 1.0], "levers.funding_scale": [0.5, 2.0],
    }  # fmt: skip
    problem = {"num_vars": len(keys), "names": list(keys), "bounds": list(keys.values())}
    points = sobol.sample(problem, n, calc_second_order=False, seed=11)
    params = {k: points[:, j] for j, k in enumerate(keys) if not k.startswith("levers.")}
    levers = {k[7:]: points[:, j] for j, k in enumerate(keys) if k.startswith("levers.")}
    return zipped_replicates([7] * len(points), None, params, levers), problem


def sobol_batched(reps: list[Any], problem: dict[str, Any], chunk: int) -> dict[str, Any]:
    """The design in chunks of ``chunk`` replicates (2 workers each), keeping peace at 20
    years per run (what a Sobol analysis needs), then SALib's first and total indices."""
    from SALib.analyze import sobol

    from sim import Ensemble

    start = clock()
    outcome = []
    for first in range(0, len(reps), chunk):
        part = reps[first : first + chunk]
        ens = Ensemble("tuzla", part, horizon=240, workers=2).run()
        for i in range(len(part)):
            out, row = ens.outputs(i)
            column = out.names["model"].index("peace")
            outcome.append(float(out.blocks["model"][row, 239, column]))
    times = since(start)
    indices = sobol.analyze(problem, np.array(outcome), calc_second_order=False, seed=1)
    return {**times, "runs": len(reps), "chunk": chunk, "ST_max": float(np.max(indices["ST"]))}


def cli(args: list[str], cwd: Path) -> dict[str, Any]:
    """A citypeace command in a subprocess: wall and CPU seconds, exit code."""
    env = {**os.environ, "CITYPEACE_PROGRESS": "0", "PYTHONHASHSEED": "0"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [PY, "-m", "sim", *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{args[0]} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return {"command": "citypeace " + " ".join(args), "wall_s": round(wall, 2),
            "cpu_s": round(cpu, 2), "exit": proc.returncode}  # fmt: skip


def memory_of_a_batch(runs: int) -> dict[str, Any]:
    """Peak RSS of a fresh process that runs ``runs`` tuzla replicates (240 months) as one
    batch and keeps every run's model-level series."""
    code = (
        "from sim import Ensemble\n"
        f"e = Ensemble('tuzla', seeds=range({runs}), horizon=240).run()\n"
        "kept = sum(b.nbytes for b in e.outputs(0)[0].blocks.values())\n"
        f"print({PEAK}, kept / 2**20)\n"
    )
    out = subprocess.run([PY, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    peak, kept = map(float, out.stdout.split())
    return {"runs": runs, "peak_rss_mb": round(peak), "series_mb": round(kept)}


def synthetic(n: int, months: int) -> dict[str, Any]:
    """A fresh process: the UCLG-scale synthetic world of n cities (scale.py's settings)."""
    code = (
        "import time\nfrom sim import PeaceModel\n"
        "from sim.scenario.synthetic import SyntheticSpec, generate\n"
        f"case = generate(SyntheticSpec(n_cities={n}, horizon={months}, n_countries=50, "
        "n_networks=20, mean_degree=7.4), seed=1)\n"
        "c0, t0 = time.process_time(), time.perf_counter()\n"
        "m = PeaceModel(case, seed=1, cities_every=12, cities_max=2000).run()\n"
        "print(time.perf_counter() - t0, time.process_time() - c0, m.world.n_ties, "
        f"{PEAK})\n"
    )
    out = subprocess.run([PY, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    wall, cpu, ties, peak = out.stdout.split()
    return {"n_cities": n, "months": months, "ties": int(ties), "run_wall_s": round(float(wall), 2),
            "run_cpu_s": round(float(cpu), 2), "peak_rss_mb": round(float(peak))}  # fmt: skip


def blocks_gain(n_ties: int = 1_245_901) -> dict[str, float]:
    """The acceptance rule on n_ties ties at once, and a cache-sized block at a time."""
    from sim.engine.chunks import by_ties
    from sim.rules import proposals

    rng = np.random.default_rng(0)
    trust, benefit, host, will, inten = (rng.random((1, n_ties)) for _ in range(5))
    mediated = rng.random((1, n_ties)) < 0.1
    kw = dict(beta0=-1.0, beta_trust=3.0, beta_benefit=2.5, beta_hostility=3.0,
              beta_mediator=1.0, beta_will=1.5, beta_intensity=0.0)  # fmt: skip
    args = (trust, benefit, host, mediated, will, inten)
    out = {}
    for name, fn in (
        ("whole_ms", lambda: proposals.acceptance_probability(*args, **kw)),
        (
            "blocks_ms",
            lambda: by_ties(proposals.acceptance_probability, *args, n_ties=n_ties, **kw),
        ),
    ):
        fn()
        start = time.process_time()
        for _ in range(5):
            fn()
        out[name] = round((time.process_time() - start) / 5 * 1000, 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--name", default="ensemble_speed", help="the results' file name (no suffix)")
    ap.add_argument(
        "--previous", type=Path, help="an earlier run's JSON, quoted beside this one's figures"
    )
    a = ap.parse_args()
    q = a.quick
    r: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "load_start": os.getloadavg(),
        },  # fmt: skip
        "date": time.strftime("%Y-%m-%d"),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),  # fmt: skip
    }
    seeds = 3 if q else 30
    reps = validate_replicates(seeds)
    r["validate"] = {
        "single": single_runs("tuzla", reps, None),
        "batched_1_worker": batched("tuzla", reps, None, 1),
        "batched_2_workers": batched("tuzla", reps, None, 2),
    }
    print(json.dumps(r["validate"]), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        r["validate"]["cli"] = cli(
            ["validate", "scenario=tuzla", f"seeds={seeds}", "nulls=none", f"out={tmp}/v", "-q"],
            ROOT,
        )
        if not q:
            r["validate_all_nulls_cli"] = cli(
                ["validate", "scenario=tuzla", "seeds=30", "nulls=all", f"out={tmp}/a", "-q"], ROOT
            )
    n_lhs = 40 if q else 1000
    lhs = lhs_replicates(n_lhs)
    sample = lhs[: 10 if q else 50]
    single = single_runs("tuzla", sample, 240)
    per_run = single["cpu_s"] / len(sample)
    r["lhs"] = {
        "single_sample": single,
        "single_projected_cpu_s": round(per_run * n_lhs, 1),
        "single_projected_wall_s_2_cores": round(per_run * n_lhs / 2, 1),
        "batched_2_workers": batched("tuzla", lhs, 240, 2),
        "batched_1_worker": batched("tuzla", lhs, 240, 1),
    }
    print(json.dumps(r["lhs"]), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        per_job = max(n_lhs // 2, 1)
        r["lhs"]["cli_sweep"] = cli(
            ["sweep", "design=bench_lhs", f"design.n={n_lhs}", "scenario=tuzla", "horizon=240",
             "output.dashboard=false", "output.activities=false", "output.cities_every=0",
             "output.progress=false", "hydra/launcher=joblib", "hydra.launcher.n_jobs=2",
             f"--runs-per-job={per_job}", f"hydra.sweep.dir={tmp}/sweep"],
            Path(tmp),
        )  # fmt: skip
    sobol_reps, problem = sobol_replicates(32 if q else 1024)
    r["sobol"] = sobol_batched(sobol_reps, problem, 256 if q else 2048)
    r["sobol"]["single_projected_cpu_s"] = round(per_run * len(sobol_reps), 1)
    print(json.dumps(r["sobol"]), flush=True)
    r["memory_1000_runs"] = memory_of_a_batch(100 if q else 1000)
    r["synthetic"] = [synthetic(n, 24 if q else 240) for n in ((2000,) if q else (10_000, 250_000))]
    r["blocks"] = blocks_gain(200_000 if q else 1_245_901)
    r["machine"]["load_end"] = os.getloadavg()
    a.out.mkdir(parents=True, exist_ok=True)
    from sim.outputs.atomic import write_text

    write_text(json.dumps(r, indent=2) + "\n", a.out / f"{a.name}.json")
    previous = json.loads(a.previous.read_text(encoding="utf-8")) if a.previous else None
    md = markdown(r, previous)
    write_text(md, a.out / f"{a.name}.md")
    print(md)


def markdown(r: dict[str, Any], previous: dict[str, Any] | None = None) -> str:
    """The issue's table from the measurements, with the old engine's figures beside them (and
    an earlier run's, ``previous``, in a column of its own)."""
    rows = table_rows(r)
    head = "| work | issue's figure | old engine, measured here | now | target |"
    if previous is not None:
        before = {row[0]: row[3] for row in table_rows(previous)}
        rows = [(a, b, c, before.get(a, ""), d, e) for a, b, c, d, e in rows]
        head = (
            f"| work | issue's figure | old engine, measured here | at {previous['commit']} "
            "| now | target |"
        )
    m = r["machine"]
    lines = [
        "# Ensemble engine speed",
        "",
        f"Commit {r['commit']}, {r['date']}; {m['cpus']} CPUs, Python {m['python']}, numpy "
        f"{m['numpy']}. The machine is shared with other work: load average "
        f"{m['load_start'][0]:.1f} at the start and {m['load_end'][0]:.1f} at the end, so wall "
        "times carry other people's load; CPU seconds much less.",
        "",
        *([r["note"], ""] if r.get("note") else []),
        head,
        "| --- " * (head.count("|") - 1) + "|",
        *("| " + " | ".join(row) + " |" for row in rows),
        "",
        "The old engine's column: `results/baseline_old_engine.json` (commit 31b0d48, measured "
        "on this machine before the batched engine, under other helpers' load). 'One by one' "
        "is the new engine with a batch of one per run, in the same process as the batched "
        "path.",
        "",
        f"Rules over cache-sized blocks of ties (`sim/engine/chunks.py`): the acceptance rule "
        f"on 1.25 million ties took {r['blocks']['whole_ms']} ms at once and "
        f"{r['blocks']['blocks_ms']} ms in blocks in this run (the gain depends on how busy "
        "the memory bus is; over a whole 250,000-city month it was 5-10 %).",
        "",
    ]
    return "\n".join(lines)


def table_rows(r: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """(work, the issue's figure, the old engine's, this run's, the target) for each row."""
    old = json.loads((RESULTS / "baseline_old_engine.json").read_text(encoding="utf-8"))
    v, lhs, sob = r["validate"], r["lhs"], r["sobol"]
    syn = {row["n_cities"]: row for row in r["synthetic"]}
    old_lhs = old["sweep_lhs_1000_tuzla_240_months_runs_per_job_10_joblib_2_cores"]
    issue = old["issue_14_figures_for_comparison"]

    def cell(x: dict[str, Any]) -> str:
        return f"{x['wall_s']} s wall, {x['cpu_s']} s CPU"

    rows = [
        ("`validate scenario=tuzla seeds=30`, 5 policies (150 runs): the runs",
         "28 s", f"{old['validate_tuzla_seeds30_nulls_none']['wall_s']} s wall, "
         f"{old['validate_tuzla_seeds30_nulls_none']['cpu_s']} s CPU",
         f"one by one: {cell(v['single'])}; batched, 2 workers: {cell(v['batched_2_workers'])}"
         f" (1 worker: {cell(v['batched_1_worker'])})", "<= 2 s wall"),
        ("... the whole command", "", "", cell(v["cli"]), ""),
        ("1,000-run LHS of tuzla, 240 months: the runs", "116 s",
         f"{old_lhs['wall_s']} s wall, {old_lhs['cpu_s_per_run_model_and_outputs']} CPU s a run",
         f"one by one: {lhs['single_projected_cpu_s']} s CPU (projected from "
         f"{lhs['single_sample']['runs']} runs); batched, 2 workers: "
         f"{cell(lhs['batched_2_workers'])}", "<= 10 s wall"),
        ("... `citypeace sweep --runs-per-job`, every run its own folder", "", "",
         cell(lhs["cli_sweep"]), ""),
        (f"{sob['runs']:,}-run Sobol design on tuzla, 240 months", "not measured", "",
         f"batched: {cell(sob)}; one by one: {sob['single_projected_cpu_s']} s CPU (projected)",
         "<= 2 min"),
    ]  # fmt: skip
    for n, key in ((10_000, "synthetic_10000_cities_240_months"),
                   (250_000, "synthetic_250000_cities_240_months")):  # fmt: skip
        if n in syn:
            s = syn[n]
            rows.append(
                (f"synthetic {n:,} cities x {s['months']} months",
                 f"{issue['synthetic_10k_s' if n == 10_000 else 'synthetic_250k_s']} s",
                 f"{old[key]['run_s']} s (peak {old[key]['peak_rss_mb']} MB)",
                 f"{s['run_wall_s']} s wall, {s['run_cpu_s']} s CPU, peak {s['peak_rss_mb']} MB",
                 "not slower" + (", <= 4 GB" if n == 250_000 else ""))
            )  # fmt: skip
    if "validate_all_nulls_cli" in r:
        rows.append(("`validate scenario=tuzla seeds=30 nulls=all` (1,800 runs), the command",
                     "3 min 48 s", f"{old['validate_tuzla_seeds30_nulls_all']['wall_s']} s wall, "
                     f"{old['validate_tuzla_seeds30_nulls_all']['cpu_s']} s CPU",
                     cell(r["validate_all_nulls_cli"]), "(time it)"))  # fmt: skip
    mem = r["memory_1000_runs"]
    kept = f"peak RSS {mem['peak_rss_mb']} MB (series {mem['series_mb']} MB)"
    rows.append((f"a batch of {mem['runs']:,} tuzla runs keeping model-level series", "", "",
                 kept, "<= 2 GB"))  # fmt: skip
    side = r.get("synthetic_side_by_side")
    if side:
        for n in ("10000", "250000"):
            old_s = f"{side[n]['old_run_s']} s ({side[n]['old_cpu_s']} s CPU)"
            new_s = f"{side[n]['new_run_s']} s ({side[n]['new_cpu_s']} s CPU)"
            label = f"... {int(n):,} cities, old and new one after the other, quiet machine"
            rows.append((label, "", old_s, new_s, ""))
    return rows


if __name__ == "__main__":
    main()
