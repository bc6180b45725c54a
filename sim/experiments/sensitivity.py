"""Sensitivity indices of a designed sweep's outcomes (SALib), per command-line combination."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


def sensitivity(
    sweep_dir: Path, outcomes: Sequence[str], summary: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Sensitivity indices of ``outcomes`` from a designed sweep.

    Sobol designs: first-order and total Sobol indices (SALib ``sobol.analyze``); Morris:
    mu*, sigma (``morris.analyze``); LHS: the moment-independent delta and a first-order
    estimate (``delta.analyze``, which takes any sample). Outcomes are averaged over the
    replications of each design point. One block per command-line combination (``combo``).
    A combination with missing points (failed or unfinished runs) is reported, not analysed:
    the Saltelli and Morris estimators need every point.
    """
    from sim.experiments.summary import read_summary
    from sim.experiments.sweep_state import read_design_state

    sweep_dir = Path(sweep_dir)
    spec = read_design_state(sweep_dir)
    if spec["method"] == "replicate":
        return pd.DataFrame()
    plan_frame = pd.read_parquet(sweep_dir / "design.parquet")
    summary = read_summary(sweep_dir) if summary is None else summary
    done = summary[summary["status"] == "completed"]
    problem = spec["problem"]
    names = problem["names"]
    frames = []
    for combo, jobs in plan_frame.groupby("combo", sort=False):
        wanted = ["overrides", *(o for o in outcomes if o in done.columns)]
        merged = jobs[["overrides", "design_point", *names]].merge(
            done[wanted], on="overrides", how="left"
        )
        for outcome in outcomes:
            if outcome not in merged.columns:
                continue
            y = merged.groupby("design_point")[outcome].mean().sort_index()
            x = merged.drop_duplicates("design_point").sort_values("design_point")[names]
            missing = int(y.isna().sum()) + max(len(x) - len(y), 0)
            note = ""
            if missing:
                note = f"{missing} design points without a completed run"
            elif spec["method"] == "lhs" and len(y) < 10 * len(names):
                note = f"{len(y)} points: the delta estimator needs >= 10 per parameter"
            if note:
                frames.append(
                    pd.DataFrame(
                        [{"combo": combo, "outcome": outcome, "missing": missing, "note": note}]
                    )
                )
                continue
            frames.append(
                _analyse(spec, problem, x.to_numpy(float), y.to_numpy(float), combo, outcome)
            )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _analyse(
    spec: dict[str, Any], problem: dict, x: np.ndarray, y: np.ndarray, combo: str, outcome: str
) -> pd.DataFrame:
    seed = int(spec["root_seed"]) % 2**32
    if spec["method"] == "sobol":
        from SALib.analyze import sobol

        res = sobol.analyze(problem, y, calc_second_order=bool(spec["second_order"]), seed=seed)
        cols = {"S1": "S1", "S1_conf": "S1_conf", "ST": "ST", "ST_conf": "ST_conf"}
    elif spec["method"] == "morris":
        from SALib.analyze import morris

        res = morris.analyze(problem, x, y, num_levels=int(spec["levels"]), seed=seed)
        cols = {"mu_star": "mu_star", "mu_star_conf": "mu_star_conf", "sigma": "sigma"}
    else:
        from SALib.analyze import delta

        # Borgonovo's delta as published ("raw"); SALib >= 1.5 also offers bias-corrected ones.
        res = delta.analyze(problem, x, y, seed=seed, method="raw")
        cols = {
            "delta_raw": "delta",
            "delta_raw_conf": "delta_conf",
            "S1": "S1",
            "S1_conf": "S1_conf",
        }
    frame = pd.DataFrame({out: np.asarray(res[k], dtype=float) for k, out in cols.items()})
    frame.insert(0, "parameter", problem["names"])
    frame.insert(0, "outcome", outcome)
    frame.insert(0, "combo", combo)
    frame["method"] = spec["method"]
    frame["missing"] = 0
    frame["note"] = ""
    return frame
