"""Mechanism effect sizes: what each null model changes in a scenario's outcomes, beyond noise.

The mechanism table (``mechanism_table``) says which mechanisms a source-backed pattern tests.
This diagnostic asks the prior question: does switching the mechanism off change anything
anyone could observe? For every null of ``configs/nulls/`` and every scenario it runs the full
model and the null over the same seeds (the baseline policy, one batched ensemble per scenario)
and, for each outcome (:data:`OUTCOMES`, scenario-wide, and the local series of :data:`LOCAL`,
each city's, tie's, programme's and country pair's, since a mechanism may act on one city only),
finds the month where the null's seed median lies furthest from the full model's, and compares
that gap with the seed-to-seed spread there.

Measure (chosen to read as "would anyone see it"): ``gap`` is the largest absolute difference
over the horizon between the two seed medians; ``spread`` is the larger of the two models'
interquartile ranges across seeds at that month; ``ratio = gap / spread`` (infinite when both
are deterministic and differ). An outcome *moves visibly* when ``gap >= floor`` (0.01 on an
index or a share, one project or offer on a cumulative count) and ``ratio >= 1``: the medians
lie further apart than the middle half of the seeds spans. The medians and the IQR are robust to
a single odd seed, and the test needs no distribution; a Mann-Whitney p-value at that month
(``scipy``, when installed) is written beside it as a cross-check, not used to classify, since
picking the month of the largest gap makes any test at that month optimistic.

A null is classified, per scenario:

- ``visible``: some outcome moves visibly;
- ``faint``: some recorded series differs from the full model's in some seed, none visibly;
- ``idle``: every recorded series (all of them, not only :data:`OUTCOMES`) is identical, seed
  by seed, to the full model's (to 1e-12): the mechanism changes nothing in this scenario.

Seeds are paired (the same seed drives the same random stream in both models), so an idle null
gives identical runs. Only the baseline policy runs: a mechanism that acts only under a
scenario's other policies (a lever a policy sets) is not seen here. Run from the repository root::

    .venv/bin/python -m sim.experiments.mechanism_effects docs/validation \\
        tuzla map seoul_pyongyang croatia_twinnings --seeds 30
    # writes docs/validation/mechanism_effects.md and mechanism_effects.csv

The summary reads ``docs/validation/<scenario>/`` (the validation record) to say which acting
mechanisms no discriminating evidence pattern tests yet.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments.mechanism_effects_report import render, statuses
from sim.experiments.nulls import NullModel, load_nulls

FULL = "full"
INDEX_FLOOR = 0.01  # the smallest gap on an index or share that counts as visible
COUNT_FLOOR = 1.0  # one project or one offer
SAME = 1e-12  # numerical identity between two runs' series
INDICES = (
    "peace", "negative_peace", "positive_peace",
    "peace_recipients", "negative_peace_recipients", "positive_peace_recipients",
    "peace_divided", "D", "S", "C", "D_recipients", "S_recipients", "C_recipients",
    "needs", "needs_recipients", "capacity", "capacity_recipients", "cohesion",
    "cross_divide_trust", "horizontal_integration", "vertical_integration", "mutual_benefit",
    "ladder_friendship", "ladder_projects", "ladder_economic", "ladder_political",
    "hostility_max", "gate_open_humanitarian", "gate_open_development", "gate_open_peace",
    "io_share", "participation",
)  # fmt: skip
COUNTS = (  # monthly counts, compared as running totals
    "projects_completed_development",
    "projects_interrupted_development",
    "offers_accepted",
    "offers_declined",
)
PEOPLE = ("population", "displaced", "fled")  # as shares of the full model's first population
MONEY = ("funds_total",)  # running total, as a share of the full model's final total
OUTCOMES: tuple[tuple[str, str], ...] = (
    *((n, "index") for n in INDICES),
    *((n, "count") for n in COUNTS),
    *((n, "people") for n in PEOPLE),
    *((n, "money") for n in MONEY),
)
# Local outcomes, where the scenario records them: a mechanism may act on one city or tie only.
LOCAL = (
    (re.compile(r"(direct_violence|structural_violence|cultural_violence|needs|capacity|cohesion"
                r"|negative_peace|positive_peace|peace|trust|funded)@.+"), "index"),
    (re.compile(r"hostility_[A-Z]+_[A-Z]+"), "index"),
    (re.compile(r"(population|displaced|fled)@.+"), "people"),  # of the city's first population
    (re.compile(r"(received_funds|funds_total)@.+"), "money"),
)  # fmt: skip


def outcomes(columns: Sequence[str]) -> list[tuple[str, str, str]]:
    """(series, kind, scope) of every outcome a run records: :data:`OUTCOMES`, then local."""
    out = [(n, k, "aggregate") for n, k in OUTCOMES if n in columns]
    for name in columns:
        for pattern, kind in LOCAL:
            if pattern.fullmatch(name):
                out.append((name, kind, "local"))
                break
    return out


def models(base: Mapping[str, Any], nulls: Mapping[str, NullModel]) -> dict[str, dict[str, Any]]:
    """Label -> full nested coefficients: the full model, then every null."""
    from sim.experiments.validate import _merge

    return {FULL: dict(base), **{n.name: _merge(base, n.params) for n in nulls.values()}}


def run(
    scenario: str | Path, params: Mapping[str, Mapping[str, Any]], seeds: int, **kw: Any
) -> dict[str, list[pd.DataFrame | None]]:
    """Label -> the baseline runs by seed (``None`` for a failed one), one batched ensemble."""
    from sim.engine.ensemble import Ensemble, Replicate

    reps = [
        Replicate(seed=s, params=p, label=label)
        for label, p in params.items()
        for s in range(seeds)
    ]
    ens = Ensemble(scenario, reps, **kw).run()
    frames = ens.runs()
    out: dict[str, list[pd.DataFrame | None]] = {label: [] for label in params}
    for i, rep in enumerate(reps):
        out[rep.label].append(frames.get(i))
    return out


def _matrix(runs: Sequence[pd.DataFrame], name: str, kind: str, scale: float) -> np.ndarray:
    """(seeds, months) of one outcome, on the scale its floor is stated in."""
    x = np.stack([ts[name].to_numpy(dtype=float) for ts in runs])
    if kind in ("count", "money"):
        x = np.cumsum(x, axis=1)
    return x / scale if kind in ("people", "money") else x


def _scale(full: Sequence[pd.DataFrame], name: str, kind: str) -> float:
    """What a people or money outcome is divided by (so its floor is a share)."""
    if kind == "people":  # the city's own population for a local series
        base = "population" + name[name.index("@") :] if "@" in name else "population"
        v = np.median([ts[base].iloc[0] for ts in full])
    elif kind == "money":
        v = np.median([ts[name].sum() for ts in full])
    else:
        return 1.0
    return float(v) if v > 0 else 1.0


def effects(
    full: Sequence[pd.DataFrame | None], null: Sequence[pd.DataFrame | None]
) -> pd.DataFrame:
    """One row per outcome present in both: the largest median gap, where, and against what."""
    pairs = [(a, b) for a, b in zip(full, null, strict=True) if a is not None and b is not None]
    f = [a for a, _ in pairs]
    n = [b for _, b in pairs]
    rows = []
    for name, kind, scope in outcomes(list(f[0].columns) if f else []):
        if name not in n[0].columns:
            continue
        scale = _scale(f, name, kind)
        xf, xn = _matrix(f, name, kind, scale), _matrix(n, name, kind, scale)
        mf, mn = np.median(xf, axis=0), np.median(xn, axis=0)
        diff = mn - mf
        t = int(np.argmax(np.abs(diff)))
        gap = float(abs(diff[t]))
        iqr = [float(np.subtract(*np.percentile(x[:, t], [75, 25]))) for x in (xf, xn)]
        spread = max(iqr)
        ratio = gap / spread if spread > 0 else (np.inf if gap > SAME else 0.0)
        floor = COUNT_FLOOR if kind == "count" else INDEX_FLOOR
        rows.append(
            {
                "outcome": name,
                "kind": kind,
                "scope": scope,
                "month": t,
                "date": str(f[0]["date"].iloc[t]) if "date" in f[0].columns else str(t),
                "full_median": float(mf[t]),
                "null_median": float(mn[t]),
                "gap": float(diff[t]),
                "spread": spread,
                "ratio": float(ratio),
                "floor": floor,
                "p_value": _mann_whitney(xf[:, t], xn[:, t]),
                "visible": bool(gap >= floor and ratio >= 1.0),
            }
        )
    return pd.DataFrame(rows)


def _mann_whitney(a: np.ndarray, b: np.ndarray) -> float:
    try:
        from scipy.stats import mannwhitneyu
    except ImportError:  # scipy comes with the sweep extras; the classification needs none
        return float("nan")
    if np.array_equal(a, b) or np.ptp(np.concatenate([a, b])) == 0:
        return 1.0
    return float(mannwhitneyu(a, b, alternative="two-sided").pvalue)


def identical(full: Sequence[pd.DataFrame | None], null: Sequence[pd.DataFrame | None]) -> bool:
    """Every numeric series of every seed the same in both models (NaN equal to NaN)."""
    for a, b in zip(full, null, strict=True):
        if (a is None) != (b is None):
            return False
        if a is None:
            continue
        if list(a.columns) != list(b.columns):
            return False
        xa = a.select_dtypes("number").to_numpy(dtype=float)
        xb = b.select_dtypes("number").to_numpy(dtype=float)
        if not np.allclose(xa, xb, rtol=0.0, atol=SAME, equal_nan=True):
            return False
    return True


def classify(rows: pd.DataFrame, same: bool) -> str:
    """``idle`` when nothing differs, ``visible`` when some outcome moves visibly, else faint."""
    if same:
        return "idle"
    return "visible" if len(rows) and bool(rows["visible"].any()) else "faint"


def scenario_effects(
    scenario: str | Path,
    seeds: int,
    nulls: Mapping[str, NullModel] | None = None,
    overrides: Sequence[str] = (),
    **kw: Any,
) -> pd.DataFrame:
    """Every null of one scenario against the full model: one row per (null, outcome)."""
    from sim.cli.config import model_kwargs
    from sim.experiments.validate import _compose

    nulls = load_nulls() if nulls is None else nulls
    kwargs = model_kwargs(_compose([f"scenario={scenario}", *overrides]))
    base = dataclasses.asdict(kwargs["params"])
    runs = run(kwargs["scenario"], models(base, nulls), seeds, horizon=kwargs["horizon"], **kw)
    frames = []
    for null in nulls.values():
        rows = effects(runs[FULL], runs[null.name])
        verdict = classify(rows, identical(runs[FULL], runs[null.name]))
        failed = sum(r is None for r in runs[FULL] + runs[null.name])
        frames.append(
            rows.assign(
                scenario=str(scenario),
                null=null.name,
                mechanism=null.removes,
                verdict=verdict,
                seeds=seeds,
                failed_runs=failed,
            )
        )
    out = pd.concat(frames, ignore_index=True)
    lead = ["scenario", "mechanism", "null", "verdict", "outcome"]
    return out[[*lead, *(c for c in out.columns if c not in lead)]]


def _atomic(path: Path, write: Any) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write(
    out: Path,
    scenarios: Sequence[str],
    seeds: int,
    workers: int = 1,
    nulls: Mapping[str, NullModel] | None = None,
    reuse: bool = False,
    **kw: Any,
) -> list[Path]:
    """Run every scenario and write ``mechanism_effects.csv`` and ``.md`` in ``out``.

    ``reuse``: re-render ``out/mechanism_effects.csv`` (a previous run's) without running.
    """
    nulls = load_nulls() if nulls is None else nulls
    csv, md = out / "mechanism_effects.csv", out / "mechanism_effects.md"
    if reuse:
        table = pd.read_csv(csv, keep_default_na=False, na_values=[""])
        table = table[table["scenario"].isin(scenarios)]
        seeds = int(table["seeds"].iloc[0])
    else:
        frames = []
        for s in scenarios:
            start = time.perf_counter()
            frame = scenario_effects(s, seeds, nulls, workers=workers, **kw)
            frames.append(frame.assign(run_s=time.perf_counter() - start))
        table = pd.concat(frames, ignore_index=True)
    meta = {
        "floor": INDEX_FLOOR,
        "outcomes": [n for n, _ in OUTCOMES],
        "seeds": seeds,
        "wall_s": table.drop_duplicates("scenario")["run_s"].sum(),
        "runs": len(scenarios) * (table["null"].nunique() + 1) * seeds,
    }
    text = render(table, statuses(out, scenarios), meta)
    _atomic(csv, lambda p: table.to_csv(p, index=False, float_format="%.6g"))
    _atomic(md, lambda p: Path(p).write_text(text, encoding="utf-8"))
    return [md, csv]


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="the record folder, e.g. docs/validation")
    ap.add_argument("scenarios", nargs="+")
    ap.add_argument("--seeds", type=int, default=30)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--reuse", action="store_true", help="re-render OUT's CSV without running")
    a = ap.parse_args(argv)
    if not 2 <= a.seeds <= 10_000:
        ap.error(f"--seeds {a.seeds}: a whole number in [2, 10000]")
    for path in write(a.out, a.scenarios, a.seeds, a.workers, reuse=a.reuse):
        print(path)


if __name__ == "__main__":
    main()
