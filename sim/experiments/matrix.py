"""The patterns x models matrix: where each pattern holds, and whether its evidence is evidence.

``runs`` maps a model label (``full``, a null's name, or a coefficient draw ``draw_07``) to a
mapping policy -> the runs by seed (``None`` for a run that failed). For each pattern and model
the *hold rate* is the share of seeds in which the pattern holds: a per-seed pattern on the
baseline run, a contrast on the pair (baseline, policy) of the same seed. A pattern passes a
model at a hold rate of at least :data:`PASS_SHARE`. An evidence pattern *discriminates* when
it passes the full model and holds in at most :data:`NULL_MAX` of seeds under every null that
removes a mechanism it names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments.pattern_seeds import SeedRuns, contrast_differences, seed_runs
from sim.experiments.patterns import contrast_holds, median_interval

FULL = "full"
PASS_SHARE = 0.8
NULL_MAX = 0.5
Runs = Mapping[str, Mapping[str, Sequence[pd.DataFrame | None]]]


def held(
    pattern: dict[str, Any], by_policy: Mapping[str, Sequence[pd.DataFrame | None]]
) -> np.ndarray:
    """Per seed: does the pattern hold? (A failed run does not.)"""
    base = by_policy["baseline"]
    if pattern["kind"] == "contrast":
        diffs = contrast_differences(pattern, base, by_policy[pattern["policy"]])
        return contrast_holds(pattern, diffs)
    return seed_runs(base).held(pattern)


def summary_value(pattern: dict[str, Any], by_policy: Mapping[str, Sequence]) -> str:
    """What the pattern measured, in words (median over seeds, or an example date)."""
    if pattern["kind"] == "contrast":
        diffs = contrast_differences(pattern, by_policy["baseline"], by_policy[pattern["policy"]])
        median, low, high = median_interval(diffs)
        return f"median gap {median:.3g} [{low:.3g}, {high:.3g}]"
    values = [v for v in seed_runs(by_policy["baseline"]).measures(pattern) if v is not None]
    numeric = [v for v in values if isinstance(v, int | float) and np.isfinite(v)]
    if numeric:
        return f"median {np.median(numeric):.3g}"
    return f"e.g. {next((v for v in values if v), 'never')}"


def read_once(runs: Runs) -> dict[str, dict[str, SeedRuns]]:
    """``runs`` with each model's and policy's runs as :class:`SeedRuns`: pass it to
    :func:`hold_rates`, :func:`summary_value` and :func:`contrasts` so that they read each run's
    dates and series once between them."""
    return {
        model: {policy: seed_runs(by_seed) for policy, by_seed in by_policy.items()}
        for model, by_policy in runs.items()
    }


def hold_rates(patterns: list[dict[str, Any]], runs: Runs) -> pd.DataFrame:
    """Rows: patterns; columns: models (in the order of ``runs``); values: hold rates."""
    runs = read_once(runs)
    table = {
        model: [float(np.mean(held(p, by_policy))) for p in patterns]
        for model, by_policy in runs.items()
    }
    return pd.DataFrame(table, index=[p["id"] for p in patterns])


def verdicts(
    patterns: list[dict[str, Any]],
    rates: pd.DataFrame,
    mechanisms: Mapping[str, list[str]],
    values: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """One row per pattern: role, full-model hold rate, pass, discriminates, verdict text.

    ``discriminates`` is True or False for an evidence pattern whose nulls all ran, None
    otherwise (a scripted or calibration pattern is never evidence; with a null missing the
    question was not asked).
    """
    rows = []
    for p in patterns:
        rate = float(rates.at[p["id"], FULL])
        passed = rate >= PASS_SHARE
        discriminates, text = None, ""
        if not passed:
            text = f"FAILS: holds in {rate:.0%} of seeds (needs {PASS_SHARE:.0%})"
        elif p["role"] == "scripted":
            text = "holds (a consistency check, not evidence)"
        elif p["role"] == "calibration":
            text = f"holds (calibrated on it: {', '.join(p['calibrates'])})"
        if p["role"] == "evidence":
            nulls = [n for m in p["mechanism"] for n in mechanisms.get(m, [])]
            missing = [n for n in nulls if n not in rates.columns]
            missing += [f"none removes {m}" for m in p["mechanism"] if not mechanisms.get(m)]
            survives = [n for n in nulls if n in rates.columns and rates.at[p["id"], n] > NULL_MAX]
            if missing:
                text = text or f"holds; discrimination not assessed (nulls not run: {missing})"
            else:
                discriminates = passed and not survives
                if passed and survives:
                    where = ", ".join(f"{rates.at[p['id'], n]:.0%} under {n}" for n in survives)
                    text = f"does not discriminate: still holds in {where}"
                elif passed:
                    worst = max(nulls, key=lambda n: rates.at[p["id"], n])
                    text = f"discriminates (at most {rates.at[p['id'], worst]:.0%} under {worst})"
        rows.append(
            {
                "pattern": p["id"],
                "role": p["role"],
                "kind": p["kind"],
                "mechanism": "; ".join(p.get("mechanism", [])),
                "calibrates": "; ".join(p.get("calibrates", [])),
                "held_full": rate,
                "value": (values or {}).get(p["id"], ""),
                "pass": passed,
                "discriminates": discriminates,
                "verdict": text,
                "source": p.get("source") or f"assumption: {p.get('assumption')}",
                "role_reason": p.get("role_reason", ""),
            }
        )
    return pd.DataFrame(rows)


def contrasts(
    patterns: list[dict[str, Any]], runs: Runs, null: str = "no_aid_effect"
) -> pd.DataFrame:
    """Each contrast under every model: share of seed pairs meeting the threshold, median gap
    and its bootstrap 95% interval, and whether the threshold exceeds the gap ``null`` shows."""
    rows = []
    runs = read_once(runs)
    for p in (q for q in patterns if q["kind"] == "contrast"):
        threshold = float(p.get("min_difference", 0.0))
        gaps = {}
        for model, by_policy in runs.items():
            diffs = contrast_differences(p, by_policy["baseline"], by_policy[p["policy"]])
            gaps[model] = (float(np.mean(contrast_holds(p, diffs))), *median_interval(diffs))
        null_gap = gaps.get(null)
        for model, (share, median, low, high) in gaps.items():
            rows.append(
                {
                    "pattern": p["id"],
                    "policy": p["policy"],
                    "model": model,
                    "share": share,
                    "median": median,
                    "ci_low": low,
                    "ci_high": high,
                    "threshold": threshold,
                    # Above the upper end of the null's interval: a gap the null cannot show.
                    "exceeds_null": None if null_gap is None else bool(threshold > null_gap[3]),
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "pattern", "policy", "model", "share", "median", "ci_low", "ci_high", "threshold",
            "exceeds_null",
        ],
    )  # fmt: skip


def robustness(patterns: list[dict[str, Any]], rates: pd.DataFrame) -> pd.DataFrame:
    """Per pattern: in how many of the draw columns of ``rates`` it passes, and the share."""
    draws = [c for c in rates.columns if str(c).startswith("draw_")]
    rows = []
    for p in patterns:
        passed = int(sum(rates.at[p["id"], d] >= PASS_SHARE for d in draws))
        rows.append(
            {
                "pattern": p["id"],
                "role": p["role"],
                "draws": len(draws),
                "passed": passed,
                "share": passed / len(draws) if draws else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def null_effects(rates: pd.DataFrame, nulls: Sequence[Any]) -> pd.DataFrame:
    """Per null: the patterns it breaks (pass under the full model, not under the null) and the
    patterns it rescues (the reverse). A null that breaks nothing removes a mechanism that no
    pattern of the scenario needs: untested here."""
    full = rates[FULL] >= PASS_SHARE
    rows = []
    for n in nulls:
        if n.name not in rates.columns:
            continue
        passes = rates[n.name] >= PASS_SHARE
        rows.append(
            {
                "null": n.name,
                "removes": n.removes,
                "breaks": [str(i) for i in rates.index[full & ~passes]],
                "rescues": [str(i) for i in rates.index[~full & passes]],
            }
        )
    return pd.DataFrame(rows, columns=["null", "removes", "breaks", "rescues"])
