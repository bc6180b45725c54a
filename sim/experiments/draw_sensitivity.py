"""Draw sensitivity: which coefficients decide the patterns that fail in coefficient draws.

``citypeace validate ... perturb=0.25 draws=20`` reports, per pattern, the share of draws (every
coefficient within +-25% of its value, :mod:`sim.experiments.robustness`) in which it passes.
This diagnostic takes the patterns that pass in fewer than :data:`FRAGILE` of the record's draws
(``docs/validation/<scenario>/robustness.csv``), re-runs the same draws (draw ``i`` is the same
coefficients as the record's draw ``i``) and more, keeps each draw's coefficient values and each
pattern's hold share (share of seeds in which it holds; it passes at >= 80%), and ranks the
coefficients by how strongly they go with it:

- Spearman's rank correlation between a coefficient's drawn value and the pattern's hold share
  over the draws (``scipy.stats.spearmanr``), with Benjamini-Hochberg q-values over the
  coefficients (``scipy.stats.false_discovery_control``): every coefficient is drawn
  independently and uniformly, so a rank correlation is a fair, distribution-free measure of
  one coefficient's main effect. The hold share is used rather than pass/fail because it keeps
  the information in near misses; a pattern that never passes still shows which way it leans.
- For the top coefficients, the pass rate (and median hold share) of the draws below and above
  the coefficient's own value: the draws are uniform around it, so the split halves them.

This is diagnosis. It says which coefficients a fragile pattern depends on; it does not license
moving any of them to make a pattern pass: a coefficient tuned on a pattern is recorded as tuned
on it (the pattern becomes a calibration pattern), and one set of coefficients serves every
scenario. Interactions between coefficients are not ranked (a one-at-a-time view of a joint
draw); a pattern decided by an interaction shows weak correlations everywhere.

Run from the repository root (the draws run in blocks so memory stays small)::

    .venv/bin/python -m sim.experiments.draw_sensitivity docs/validation \\
        map croatia_twinnings seoul_pyongyang tuzla --draws 60 --seeds 30 [--resume]
    # writes docs/validation/draw_sensitivity.md, draw_sensitivity.csv (coefficient ranks) and
    # draw_holds.csv (each draw's hold share per pattern)
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments import matrix, robustness

FRAGILE = 0.7  # item 10: evidence patterns pass in at least 70% of +-25% draws
PERTURB = 0.25
TOP = 3  # coefficients reported per pattern
BLOCK = 5  # draws per ensemble (memory: every run's series is held until its block is scored)


def fragile(folder: Path, share: float = FRAGILE) -> list[str]:
    """Patterns passing in fewer than ``share`` of the record's draws (``robustness.csv``)."""
    table = pd.read_csv(folder / "robustness.csv")
    return table.loc[table["share"] < share, "pattern"].tolist()


def _setup(scenario: str, overrides: Sequence[str] = ()) -> tuple[dict[str, Any], Any]:
    """(the composed run's keyword arguments, the loaded scenario)."""
    from sim.cli.config import model_kwargs
    from sim.experiments import validate
    from sim.scenario.loader import load_scenario

    kwargs = model_kwargs(validate._compose([f"scenario={scenario}", *overrides]))
    return kwargs, load_scenario(kwargs["scenario"], horizon=kwargs["horizon"])


def draw_values(base: Any, draws: int) -> pd.DataFrame:
    """Draw x coefficient (``model.group.name``): the values of draws 0..n-1, as validate's."""
    sampled = [robustness.draw(base, PERTURB, i) for i in range(draws)]
    return pd.DataFrame(robustness.draws_table(sampled)).pivot(
        index="draw", columns="key", values="value"
    )


def hold_shares(
    scenario: str,
    draws: int,
    seeds: int,
    patterns: Sequence[str] | None = None,
    overrides: Sequence[str] = (),
    workers: int = 1,
) -> tuple[pd.DataFrame, pd.DataFrame, Any]:
    """(draw x pattern hold shares, draw x coefficient values, the scenario), draws 0..n-1.

    ``patterns``: only these (default all), and only the policies their contrasts need.
    """
    from sim.engine.ensemble import Ensemble
    from sim.experiments import validate

    kwargs, case = _setup(scenario, overrides)
    chosen = [p for p in case.patterns if patterns is None or p["id"] in patterns]
    base = kwargs["params"]
    params = dataclasses.asdict(base)
    opts = validate.Options(seeds, [], None, 0, None, True)
    only = SimpleNamespace(patterns=chosen)
    reps, _ = validate.plan(only, base, kwargs["levers"], opts)  # the full model's, per policy
    holds = []
    for start in range(0, draws, BLOCK):
        block = []
        for i in range(start, min(start + BLOCK, draws)):
            p = validate._merge(params, robustness.draw(base, PERTURB, i))
            block += [dataclasses.replace(r, params=p, label=f"draw_{i}") for r in reps]
        ens = Ensemble(kwargs["scenario"], block, horizon=kwargs["horizon"], workers=workers)
        runs, _ = validate.collect(ens.run())
        holds.append(matrix.hold_rates(chosen, runs).T)
    shares = pd.concat(holds)
    shares.index = range(draws)
    return shares, draw_values(base, draws), case


def rank(shares: pd.Series, values: pd.DataFrame, defaults: Mapping[str, float]) -> pd.DataFrame:
    """Coefficients by |Spearman rho| with one pattern's hold share over the draws."""
    from scipy.stats import false_discovery_control, spearmanr

    varying = [k for k in values.columns if values[k].nunique() > 1]
    y = shares.to_numpy(dtype=float)
    rows = []
    for key in varying:
        x = values[key].to_numpy(dtype=float)
        rho, p = spearmanr(x, y) if np.ptp(y) > 0 else (np.nan, np.nan)
        below = x < defaults[key]
        above = x > defaults[key]
        rows.append(
            {
                "coefficient": key,
                "default": defaults[key],
                "rho": float(rho),
                "p_value": float(p),
                "pass_below": _rate(y[below] >= matrix.PASS_SHARE),
                "pass_above": _rate(y[above] >= matrix.PASS_SHARE),
                "hold_below": float(np.median(y[below])) if below.any() else np.nan,
                "hold_above": float(np.median(y[above])) if above.any() else np.nan,
                "n_below": int(below.sum()),
                "n_above": int(above.sum()),
            }
        )
    out = pd.DataFrame(rows)
    ok = out["p_value"].notna()
    out["q_value"] = np.nan
    if ok.any():
        out.loc[ok, "q_value"] = false_discovery_control(out.loc[ok, "p_value"].to_numpy())
    out["size"] = out["rho"].abs()
    return out.sort_values("size", ascending=False, na_position="last").drop(columns="size")


def _rate(passed: np.ndarray) -> float:
    return float(np.mean(passed)) if passed.size else float("nan")


def analyse(
    scenario: str,
    shares: pd.DataFrame,
    values: pd.DataFrame,
    patterns: Sequence[dict[str, Any]],
    chosen: Sequence[str],
) -> pd.DataFrame:
    """Every chosen pattern's coefficient ranking, keyed by scenario and pattern."""
    defaults = {f"model.{k}": v for k, v, _, _ in robustness.coefficients()}
    roles = {p["id"]: p["role"] for p in patterns}
    frames = []
    for pattern in chosen:
        y = shares[pattern]
        r = rank(y, values, defaults)
        frames.append(
            r.assign(
                scenario=scenario,
                pattern=pattern,
                role=roles[pattern],
                pass_share=float(np.mean(y >= matrix.PASS_SHARE)),
                draws=len(y),
            )
        )
    if not frames:
        return pd.DataFrame()
    out = pd.concat(frames, ignore_index=True)
    lead = ["scenario", "pattern", "role", "pass_share", "draws"]
    return out[[*lead, *(c for c in out.columns if c not in lead)]]


def _pct(x: float) -> str:
    return "-" if not np.isfinite(x) else f"{x:.0%}"


def render(table: pd.DataFrame, record: Mapping[tuple[str, str], float], meta: Mapping) -> str:
    """The Markdown report: per fragile pattern, its top coefficients."""
    lines = [
        "| scenario | pattern | role | passed in the record's draws | here | top coefficients: rho "
        "(q); pass rate below / above its value |",
        "| --- | --- | --- | ---: | ---: | --- |",
    ]
    for (scenario, pattern), rows in table.groupby(["scenario", "pattern"], sort=False):
        first = rows.iloc[0]
        if rows["rho"].isna().all():
            top = "hold share constant over the draws: no coefficient within +-25% moves it"
        else:
            top = "<br>".join(
                f"`{r.coefficient.removeprefix('model.')}` {r.rho:+.2f} (q {r.q_value:.2g}); "
                f"{_pct(r.pass_below)} / {_pct(r.pass_above)} "
                f"(hold {_pct(r.hold_below)} / {_pct(r.hold_above)})"
                for r in rows.head(TOP).itertuples()
            )
        lines.append(
            f"| {scenario} | {pattern} | {first.role} | {_pct(record[(scenario, pattern)])} | "
            f"{_pct(first.pass_share)} | {top} |"
        )
    decisive = table[table["q_value"] < 0.05]
    counts = decisive.groupby("coefficient")["pattern"].nunique().sort_values(ascending=False)
    recurring = []
    for key, n in counts.items():
        rows = decisive[decisive["coefficient"] == key].sort_values("rho", ascending=False)
        signs = set(np.sign(rows["rho"]))
        tag = " **(opposite directions)**" if len(signs) > 1 else ""
        named = ", ".join(f"{r.scenario}/{r.pattern} {r.rho:+.2f}" for r in rows.itertuples())
        recurring.append(f"- `{key.removeprefix('model.')}`: {n} pattern(s){tag}: {named}")
    return "\n".join(
        [
            "# Draw sensitivity: which coefficients decide the fragile patterns",
            "",
            "Generated by `sim/experiments/draw_sensitivity.py` (its docstring has the command "
            "and the method); do not edit by hand. Data: `draw_sensitivity.csv` (every "
            "coefficient per pattern) and `draw_holds.csv` (each draw's hold share per pattern).",
            "",
            "**Diagnosis only.** A coefficient named here must not be moved to make a pattern "
            "pass: a coefficient tuned on a pattern is recorded as tuned on it (the pattern "
            "becomes calibration, not evidence), and one set of coefficients serves every "
            "scenario.",
            "",
            f"Patterns: those passing in fewer than {FRAGILE:.0%} of the validation record's "
            f"draws (`<scenario>/robustness.csv`). Here: {meta['draws']} draws per scenario "
            f"(every coefficient uniform within +-{PERTURB:.0%} of its value; draws 0-19 are the "
            f"record's), {meta['seeds']} seeds each, the record's policies. A pattern passes a "
            "draw when it holds in at least 80% of seeds. Per pattern, the coefficients with "
            "the largest |Spearman rho| between the drawn value and the hold share (sign: "
            "raising the coefficient raises the hold share when +), the Benjamini-Hochberg "
            "q-value over the coefficients, and the pass rate (median hold share) of the draws "
            "below and above the coefficient's value. With "
            f"{meta['draws']} draws, |rho| below about {meta['rho_noise']:.2f} is within "
            "chance (p = 0.05 for one coefficient); q < 0.05 survives the multiple testing "
            f"over {meta['coefficients']} coefficients.",
            "",
            *lines,
            "",
            "## Coefficients that decide patterns (q < 0.05)",
            "",
            "Each with the patterns it decides and rho (+: raising it helps the pattern). A "
            "coefficient pulling patterns in opposite directions trades one against the other: "
            "its value sits between what the two groups need, and moving it buys one group at "
            "the other's cost (and would be tuning on both).",
            "",
            *(recurring or ["none"]),
            "",
            f"Consistency with the record (draws 0-19, same seeds): {meta['consistency']}.",
            "",
            f"Run time: {meta['wall_s']}, on a shared 2-core machine (other jobs running).",
            "",
        ]
    )


def write(
    out: Path,
    scenarios: Sequence[str],
    draws: int,
    seeds: int,
    workers: int = 1,
    reuse: bool = False,
    resume: bool = False,
) -> list[Path]:
    """Run every scenario's draws and write the report and its two CSVs into ``out``.

    ``draw_holds.csv`` is rewritten after each scenario. ``reuse``: read the hold shares from it
    (a previous run's) instead of running, and only redo the analysis (the coefficient values
    follow from the draw index). ``resume``: reuse the scenarios it already holds with the
    same draws and seeds, run the others.
    """
    from sim.experiments.mechanism_effects import _atomic

    tables, holds, record, mismatches, seconds = [], [], {}, [], {}
    saved = out / "draw_holds.csv"
    old = pd.read_csv(saved) if (reuse or resume) and saved.is_file() else None
    for s in scenarios:
        rob = pd.read_csv(out / s / "robustness.csv").set_index("pattern")
        chosen = fragile(out / s)
        mine = None if old is None else old[old["scenario"] == s]
        if mine is not None and not reuse and (len(mine) != draws or mine["seeds"].iat[0] != seeds):
            mine = None  # resume only a scenario run with the same draws and seeds
        if mine is not None and len(mine):
            kwargs, case = _setup(s)
            seconds[s], seeds = float(mine["run_s"].iat[0]), int(mine["seeds"].iat[0])
            shares = mine.drop(columns=["scenario", "run_s", "seeds"]).set_index("draw")
            shares = shares.dropna(axis=1, how="all")
            draws = len(shares)
            values = draw_values(kwargs["params"], draws)
        else:
            began = time.perf_counter()
            shares, values, case = hold_shares(s, draws, seeds, chosen, workers=workers)
            seconds[s] = time.perf_counter() - began
        record.update({(s, p): float(rob.at[p, "share"]) for p in chosen})
        tables.append(analyse(s, shares, values, case.patterns, chosen))
        holds.append(
            shares.assign(scenario=s, run_s=seconds[s], seeds=seeds)
            .rename_axis("draw")
            .reset_index()
        )
        if not reuse:  # a checkpoint: a later scenario's failure keeps this one's runs
            both = pd.concat(holds, ignore_index=True)
            _atomic(saved, lambda p, both=both: both.to_csv(p, index=False, float_format="%.6g"))
        n = int(rob["draws"].iat[0])
        if draws >= n and seeds == 30:  # the record's seeds: draws 0..n-1 must pass as there
            again = (shares.iloc[:n] >= matrix.PASS_SHARE).sum()
            mismatches += [p for p in chosen if int(again[p]) != int(rob.at[p, "passed"])]
    table = pd.concat(tables, ignore_index=True)
    consistency = (
        "every pattern passes in the same number of the record's draws"
        if not mismatches
        else f"differs for {', '.join(mismatches)} (the model changed since the record?)"
    )
    from scipy.stats import t as student

    tcrit = float(student.ppf(0.975, draws - 2))
    meta = {
        "draws": draws,
        "seeds": seeds,
        "wall_s": ", ".join(f"{k} {v:.0f} s" for k, v in seconds.items()),
        "coefficients": int(table.groupby(["scenario", "pattern"]).size().max()),
        "rho_noise": tcrit / np.sqrt(draws - 2 + tcrit**2),
        "consistency": consistency if seeds == 30 else "not checked (seeds differ from 30)",
    }
    paths = [out / "draw_sensitivity.md", out / "draw_sensitivity.csv", out / "draw_holds.csv"]
    text = render(table, record, meta)
    _atomic(paths[0], lambda p: Path(p).write_text(text, encoding="utf-8"))
    _atomic(paths[1], lambda p: table.to_csv(p, index=False, float_format="%.6g"))
    both = pd.concat(holds, ignore_index=True)
    _atomic(paths[2], lambda p: both.to_csv(p, index=False, float_format="%.6g"))
    return paths


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="the record folder, e.g. docs/validation")
    ap.add_argument("scenarios", nargs="+")
    ap.add_argument("--draws", type=int, default=60)
    ap.add_argument("--seeds", type=int, default=30)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument(
        "--reuse", action="store_true", help="re-analyse OUT/draw_holds.csv without running"
    )
    ap.add_argument(
        "--resume", action="store_true", help="keep the scenarios OUT/draw_holds.csv holds"
    )
    a = ap.parse_args(argv)
    if not 4 <= a.draws <= robustness.DRAWS_MAX:
        ap.error(f"--draws {a.draws}: a whole number in [4, {robustness.DRAWS_MAX}]")
    for path in write(a.out, a.scenarios, a.draws, a.seeds, a.workers, a.reuse, a.resume):
        print(path)


if __name__ == "__main__":
    main()
