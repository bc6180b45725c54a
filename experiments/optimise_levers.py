"""Optuna finds the lever mix that maximises an outcome under a budget (Hydra sweeper).

Runs the documented command (configs/hydra/sweeper/optuna_levers.yaml: TPE, 40 trials over
coordination, funding and participation scales and mediation; objective ``peace_20y``; a budget
of 2,500 funds over the 20 years)::

    citypeace -m hydra/sweeper=optuna_levers scenario=tuzla horizon=240 hydra.sweep.dir=...

then runs the best trial's levers and the default levers again over ``--seeds`` fresh seeds
(each trial saw one seed), and writes ``experiments/results/optimise_levers/result.md`` (the
best levers beside the defaults, their outcome and spending, on the trial's seed and over the
fresh seeds) and ``trials.csv`` (every trial: levers, outcome,
spending and the value Optuna saw).

    .venv/bin/python experiments/optimise_levers.py                 # tuzla, 40 trials
    .venv/bin/python experiments/optimise_levers.py --trials 12 --scenario two_cities --horizon 120

Needs the ``optuna`` extra (``pip install 'citypeace[optuna]'``).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import yaml

from sim.outputs.atomic import atomic_write, write_text

RESULTS = Path(__file__).resolve().parent / "results" / "optimise_levers"
LEVERS = ["levers.coordination", "levers.funding_scale", "levers.participation_scale",
          "levers.mediation"]  # fmt: skip


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="tuzla")
    parser.add_argument("--horizon", type=int, default=240)
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--budget", type=float, default=2500.0)
    parser.add_argument("--objective", default="peace_20y")
    parser.add_argument("--seeds", type=int, default=10, help="seeds to check the best on")
    parser.add_argument("--out", type=Path, default=RESULTS)
    ns = parser.parse_args()
    from sim.engine.params import Levers
    from sim.experiments.optimise import objective_value
    from sim.experiments.sweep_series import read_series

    with tempfile.TemporaryDirectory(prefix="optimise_levers_") as tmp:
        sweep = Path(tmp) / "study"
        common = [f"scenario={ns.scenario}", f"horizon={ns.horizon}", "output.dashboard=false"]
        args = [
            "-m", "hydra/sweeper=optuna_levers", f"hydra.sweeper.n_trials={ns.trials}",
            f"hydra.callbacks.citypeace_sweep.objective={ns.objective}",
            f"hydra.callbacks.citypeace_sweep.budget={ns.budget}", *common,
            f"hydra.sweep.dir={sweep}",
        ]  # fmt: skip
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "sim", *args], check=True, env=os.environ.copy())
        elapsed = time.perf_counter() - start
        summary = pd.read_parquet(sweep / "summary.parquet")
        best = yaml.safe_load((sweep / "optimization_results.yaml").read_text())
        # The scenario's own levers, as a reference run (one run, same seed).
        own = Path(tmp) / "own"
        subprocess.run(
            [sys.executable, "-m", "sim", "-m", *common, f"hydra.sweep.dir={own}"],
            check=True,
        )
        reference = pd.read_parquet(own / "summary.parquet").iloc[0]
        peace = read_series(sweep, variable="peace", entity="model")
        best_levers = [f"{k}={v}" for k, v in best["best_params"].items()]
        # Each trial is one seed: is the best trial's edge more than seed noise? Both lever
        # mixes again over the same fresh seeds (a replicate design: common random numbers).
        checks = {
            name: _replicate(Path(tmp) / f"check_{name}", [*common, *levers], ns.seeds)
            for name, levers in (("best", best_levers), ("own", []))
        }
    years = ns.objective.rsplit("_", 1)[-1]
    spend = f"funds_total_{years}"

    def value(row: pd.Series) -> float:
        record = {"status": row["status"], "outcomes": {ns.objective: row[ns.objective],
                                                        spend: row[spend]}}  # fmt: skip
        return objective_value(record, ns.objective, ns.budget, "funds_total", maximise=True)

    summary["value"] = summary.apply(value, axis=1)
    trials = summary[[*LEVERS, ns.objective, spend, "value", "run_id"]].sort_values(
        "value", ascending=False
    )
    ns.out.mkdir(parents=True, exist_ok=True)
    atomic_write(ns.out / "trials.csv", lambda tmp: trials.to_csv(tmp, index=False))
    top = trials.iloc[0]
    defaults = {f"levers.{k}": v for k, v in dataclasses.asdict(Levers()).items()}
    paired = (
        checks["best"].set_index("seed")[ns.objective]
        - checks["own"].set_index("seed")[ns.objective]
    )
    lines = [
        f"# The lever mix that maximises `{ns.objective}` on {ns.scenario} under a budget",
        "",
        f"`citypeace -m hydra/sweeper=optuna_levers scenario={ns.scenario} "
        f"horizon={ns.horizon} hydra.sweeper.n_trials={ns.trials} "
        f"hydra.callbacks.citypeace_sweep.budget={ns.budget:g}` (TPE, seed 20240601): "
        f"{len(summary)} trials in {elapsed:.0f} s wall on a 2-core machine shared with other "
        f"work. A trial's value is `{ns.objective}` less the share by which its funds over "
        f"the {years[:-1]} years exceed the budget of {ns.budget:g}.",
        "",
        "| | " + " | ".join(LEVERS) + f" | `{ns.objective}` | `{spend}` | value |",
        "| --- |" + " --- |" * (len(LEVERS) + 3),
        "| best trial | "
        + " | ".join(_fmt(top[k]) for k in LEVERS)
        + f" | {top[ns.objective]:.4f} | {top[spend]:.0f} | {top['value']:.4f} |",
        "| the default levers (sim/engine/params.py) | "
        + " | ".join(_fmt(defaults[k]) for k in LEVERS)
        + f" | {reference[ns.objective]:.4f} | {reference[spend]:.0f} | "
        f"{value(reference):.4f} |",
        "",
        f"Both again over {ns.seeds} fresh seeds (the same seeds for both; mean and standard "
        "deviation over the seeds):",
        "",
        f"| | `{ns.objective}` | `{spend}` | value | seeds within the budget |",
        "| --- | --- | --- | --- | --- |",
        *(
            f"| {label} | {_spread(checks[name][ns.objective])} | "
            f"{_spread(checks[name][spend], 0)} | {_spread(checks[name].apply(value, axis=1))} | "
            f"{int((checks[name][spend] <= ns.budget).sum())} of {len(checks[name])} |"
            for name, label in (("best", "best trial's levers"), ("own", "default levers"))
        ),
        "",
        f"Paired difference (best - default) in `{ns.objective}` over the same seeds: "
        f"{_spread(paired)}; the best levers do better on {int((paired > 0).sum())} of "
        f"{len(paired)} seeds.",
        "",
        f"Optuna's own record of the best trial: value {best['best_value']:.4f}, "
        f"parameters {best['best_params']}.",
        f"Trials within the budget: {int((trials[spend] <= ns.budget).sum())} of {len(trials)}; "
        f"the monthly peace series of every trial is in the sweep's `series/` dataset "
        f"({peace['run'].nunique()} runs read back with one call).",
        "",
        "Every trial: `trials.csv` (best first).",
        "",
    ]
    write_text("\n".join(lines), ns.out / "result.md")
    print("\n".join(lines))


def _replicate(sweep: Path, args: list[str], seeds: int) -> pd.DataFrame:
    """The summary of ``args`` run over ``seeds`` seeds spawned from the default root seed."""
    subprocess.run(
        [sys.executable, "-m", "sim", "sweep", "design=replicate", f"design.replications={seeds}",
         *args, f"--runs-per-job={seeds}", f"hydra.sweep.dir={sweep}"],
        check=True,
    )  # fmt: skip
    return pd.read_parquet(sweep / "summary.parquet")


def _spread(values: pd.Series, digits: int = 4) -> str:
    return f"{values.mean():.{digits}f} ± {values.std():.{digits}f}"


def _fmt(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    main()
