"""``citypeace report <sweep_dir>``: a Markdown report with figures for a finished sweep.

Writes into ``<sweep_dir>/report/``:

- ``report.md``: run counts, the policy ranking table, failures, sensitivity (designed sweeps);
- ``fan_<series>.png``: fan charts (5-95 % and 25-75 % bands, median) per policy;
- ``distributions.png``: key outcomes at 2, 10 and 20 years by policy;
- ``ranking.png`` and ``ranking.csv``: policies ranked by an outcome, with bootstrap 95 %
  confidence intervals of the mean and the bootstrap probability of being best;
- ``sensitivity.png`` and ``sensitivity.csv`` for LHS, Sobol and Morris designs;
- ``report.json``: every number in the report, for scripts and tests.

Run series are read one run at a time (a column or two each), so a sweep of any size fits.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import ConfigError
from sim.experiments.report_figures import (
    plot_distributions,
    plot_fans,
    plot_ranking,
    plot_sensitivity,
)
from sim.experiments.summary import HORIZON_YEARS, read_summary
from sim.outputs.atomic import atomic_write, write_json, write_text

DEFAULT_SERIES = ("peace", "cross_divide_trust")
# Violence outcomes rank the other way round: less is better.
LOWER_IS_BETTER = ("D_", "S_", "C_")
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def default_outcome(summary: pd.DataFrame) -> str:
    """Peace at the longest horizon that the completed runs reached."""
    for y in sorted(HORIZON_YEARS, reverse=True):
        col = f"peace_{y}y"
        if col in summary.columns and summary[col].notna().any():
            return col
    raise ConfigError("report", "outcome", None, "a sweep with completed runs")


def bootstrap_ranking(
    summary: pd.DataFrame,
    outcome: str,
    by: str = "policy",
    resamples: int = 2000,
    seed: int = 0,
    lower_is_better: bool | None = None,
) -> pd.DataFrame:
    """Groups ranked by the mean of ``outcome``, with percentile bootstrap 95 % intervals.

    ``p_best`` is the share of bootstrap resamples in which the group has the best mean.
    """
    if lower_is_better is None:
        lower_is_better = outcome.startswith(LOWER_IS_BETTER)
    rng = np.random.default_rng(seed)
    done = summary[(summary["status"] == "completed") & summary[outcome].notna()]
    rows, draws = [], {}
    for group, frame in done.groupby(by, sort=True):
        x = frame[outcome].to_numpy(float)
        means = np.empty(resamples)
        step = max(1, 5_000_000 // max(len(x), 1))  # resample in chunks to bound memory
        for start in range(0, resamples, step):
            k = min(step, resamples - start)
            means[start : start + k] = x[rng.integers(0, len(x), (k, len(x)))].mean(axis=1)
        draws[group] = means
        lo, hi = np.percentile(means, [2.5, 97.5])
        rows.append(
            {
                by: group,
                "n": len(x),
                "mean": float(x.mean()),
                "sd": float(x.std(ddof=1)) if len(x) > 1 else 0.0,
                "ci_low": float(lo),
                "ci_high": float(hi),
            }
        )
    table = pd.DataFrame(rows, columns=[by, "n", "mean", "sd", "ci_low", "ci_high"])
    if table.empty:
        return table.assign(p_best=[], rank=[])
    stacked = np.vstack([draws[g] for g in table[by]])
    best = stacked.argmin(axis=0) if lower_is_better else stacked.argmax(axis=0)
    table["p_best"] = np.bincount(best, minlength=len(table)) / resamples
    table = table.sort_values("mean", ascending=lower_is_better, kind="stable")
    table["rank"] = np.arange(1, len(table) + 1)
    return table.reset_index(drop=True)


def fan_data(
    sweep_dir: Path,
    summary: pd.DataFrame,
    series: str,
    by: str = "policy",
    max_runs: int = 1000,
    seed: int = 0,
) -> dict[Any, pd.DataFrame]:
    """Per group: monthly quantiles of ``series`` over completed runs (at most ``max_runs``).

    Only one column per run is read; groups with more runs are sampled (seeded) so memory is
    bounded by ``max_runs`` x months.
    """
    out: dict[Any, pd.DataFrame] = {}
    done = summary[summary["status"] == "completed"]
    for group, frame in done.groupby(by, sort=True):
        if len(frame) > max_runs:
            frame = frame.sample(max_runs, random_state=seed)
        columns, dates = [], None
        folderless = frame["run_dir"].isna()
        stored = _from_dataset(sweep_dir, frame.loc[folderless, "run_id"], series)
        for run_id, run_dir in zip(frame["run_id"], frame["run_dir"], strict=True):
            if isinstance(run_dir, str):
                path = Path(sweep_dir) / run_dir / "timeseries.parquet"
                try:
                    ts = pd.read_parquet(path, columns=["date", series])
                except (OSError, KeyError, ValueError):
                    continue
            elif run_id in stored:
                ts = stored[run_id]
            else:
                continue
            columns.append(ts[series].to_numpy(float))
            if dates is None or len(ts) > len(dates):
                dates = ts["date"].astype(str).to_numpy()
        if not columns:
            continue
        months = max(len(c) for c in columns)
        matrix = np.full((len(columns), months), np.nan)
        for i, col in enumerate(columns):
            matrix[i, : len(col)] = col
        quant = np.nanquantile(matrix, QUANTILES, axis=0)
        table = pd.DataFrame({f"q{int(q * 100):02d}": quant[i] for i, q in enumerate(QUANTILES)})
        table.insert(0, "date", pd.to_datetime(dates[:months]))
        table["runs"] = len(columns)
        out[group] = table
    return out


def _from_dataset(sweep_dir: Path, run_ids: pd.Series, series: str) -> dict[str, pd.DataFrame]:
    """Model-level ``series`` of runs without a folder, from the sweep's series dataset (one
    read for all of them): run id -> frame of ``date`` and ``series``."""
    from sim.errors import CitypeaceError
    from sim.experiments.sweep_series import read_series

    if run_ids.empty:
        return {}
    try:
        long = read_series(sweep_dir, variable=series, entity="model", runs=list(run_ids))
    except (CitypeaceError, OSError):
        return {}
    long = long.sort_values(["run", "date"], kind="stable").rename(columns={"value": series})
    return {run: part[["date", series]] for run, part in long.groupby("run", sort=False)}


def md_table(frame: pd.DataFrame, digits: int = 4) -> str:
    """A Markdown table without extra dependencies."""
    if frame.empty:
        return "_none_\n"

    def cell(v: Any) -> str:
        if isinstance(v, float | np.floating):
            return f"{v:.{digits}g}" if np.isfinite(v) else ""
        return str(v).replace("|", "\\|")

    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "| " + " | ".join("---" for _ in frame.columns) + " |"
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *body]) + "\n"


def publish(lines: Sequence[str], out: Path | None) -> str:
    """Join a diagnostic script's Markdown lines, write them atomically to ``out`` (if given)
    and print them: the ending every script under ``experiments/`` shares."""
    text = "\n".join(lines)
    if out:
        write_text(text, out)
    print(text)
    return text


def check_inputs(sweep_dir: Path, outcome: str | None, by: str) -> tuple[pd.DataFrame, str]:
    """The summary and the outcome to rank by, checked before anything is written."""
    from sim.experiments.summary import iter_status

    sweep_dir = Path(sweep_dir)
    if not sweep_dir.is_dir():
        raise ConfigError("report", "sweep_dir", str(sweep_dir), "an existing sweep folder")
    if not (sweep_dir / "summary.parquet").is_file() and next(iter_status(sweep_dir), None) is None:
        raise ConfigError(
            str(sweep_dir.resolve()),
            "runs",
            0,
            "a sweep folder with at least one run (<run>/status.json or records/)",
        )
    summary = read_summary(sweep_dir)
    if summary.empty:
        raise ConfigError(str(sweep_dir.resolve()), "runs", 0, "a sweep with at least one run")
    outcome = outcome or default_outcome(summary)
    if outcome not in summary.columns:
        options = [c for c in summary.columns if c.endswith("y") and c[-2].isdigit()]
        raise ConfigError("report", "--outcome", outcome, f"one of {options}")
    if by not in summary.columns:
        raise ConfigError("report", "--by", by, f"a summary column: one of {list(summary.columns)}")
    return summary, outcome


def build_report(
    sweep_dir: Path,
    outcome: str | None = None,
    by: str = "policy",
    series: Sequence[str] = DEFAULT_SERIES,
    out_dir: Path | None = None,
    resamples: int = 2000,
    max_fan_runs: int = 1000,
) -> dict[str, Any]:
    """Write the report files; returns the numbers also written to ``report.json``.

    Everything is written into a temporary folder beside ``out_dir``, which then replaces it:
    a report that fails half way (bad input, a full disk) leaves no half-written folder.
    """
    import shutil
    import tempfile

    summary, outcome = check_inputs(sweep_dir, outcome, by)
    sweep_dir = Path(sweep_dir)
    final = Path(out_dir) if out_dir else sweep_dir / "report"
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        out = Path(tempfile.mkdtemp(prefix=f".{final.name}.", dir=final.parent))
    except OSError as exc:
        why = f"a writable folder ({exc.strerror})"
        raise ConfigError("report", "--out", str(final), why) from None
    try:
        numbers = _write_report(sweep_dir, summary, outcome, by, series, out, resamples,
                                max_fan_runs)  # fmt: skip
        old = final.with_name(f".{final.name}.old")
        if final.exists():
            shutil.rmtree(old, ignore_errors=True)
            final.rename(old)
        out.rename(final)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise
    return numbers


def _write_report(
    sweep_dir: Path,
    summary: pd.DataFrame,
    outcome: str,
    by: str,
    series: Sequence[str],
    out: Path,
    resamples: int,
    max_fan_runs: int,
) -> dict[str, Any]:
    counts = summary["status"].value_counts().to_dict()
    figures: dict[str, str] = {}
    for s in series:
        fans = fan_data(sweep_dir, summary, s, by=by, max_runs=max_fan_runs)
        if fans:
            figures[f"fan_{s}"] = plot_fans(fans, s, out / f"fan_{s}.png", by).name
    dist = plot_distributions(summary, out / "distributions.png", by)
    if dist:
        figures["distributions"] = dist.name
    ranking = bootstrap_ranking(summary, outcome, by=by, resamples=resamples)
    atomic_write(out / "ranking.csv", lambda tmp: ranking.to_csv(tmp, index=False))
    if not ranking.empty:
        figures["ranking"] = plot_ranking(ranking, outcome, out / "ranking.png", by).name
    sens = pd.DataFrame()
    if (sweep_dir / "design.json").is_file():
        from sim.experiments.sensitivity import sensitivity

        sens = sensitivity(sweep_dir, [outcome], summary=summary)
        if not sens.empty:
            atomic_write(out / "sensitivity.csv", lambda tmp: sens.to_csv(tmp, index=False))
            fig = plot_sensitivity(sens, out / "sensitivity.png")
            if fig:
                figures["sensitivity"] = fig.name
    failed = summary[summary["status"] == "failed"]
    numbers = {
        "sweep_dir": str(sweep_dir),
        "runs": int(len(summary)),
        "status": {k: int(v) for k, v in counts.items()},
        "outcome": outcome,
        "by": by,
        "resamples": resamples,
        "ranking": json.loads(ranking.to_json(orient="records")),
        "sensitivity": json.loads(sens.to_json(orient="records")) if not sens.empty else [],
        "figures": figures,
    }
    write_json(numbers, out / "report.json")
    write_text(_markdown(numbers, ranking, sens, failed, summary), out / "report.md")
    return numbers


def _markdown(
    numbers: dict[str, Any],
    ranking: pd.DataFrame,
    sens: pd.DataFrame,
    failed: pd.DataFrame,
    summary: pd.DataFrame,
) -> str:
    figs = numbers["figures"]
    by, outcome = numbers["by"], numbers["outcome"]
    status = ", ".join(f"{v} {k}" for k, v in sorted(numbers["status"].items()))
    scen = ", ".join(sorted(summary["scenario"].dropna().astype(str).unique()))
    lines = [
        f"# Sweep report: {Path(numbers['sweep_dir']).name}",
        "",
        f"- Runs: {numbers['runs']} ({status}); scenario: {scen}",
        f"- Outcome ranked: `{outcome}`; grouped by `{by}`; "
        f"{numbers['resamples']} bootstrap resamples (percentile 95 % CI of the mean).",
        "- Horizons: 2, 10 and 20 years from the scenario start (Lederach's crisis, design "
        "and vision horizons); an outcome is empty where a run was shorter.",
        "",
        f"## Ranking by `{outcome}`",
        "",
        md_table(ranking),
    ]
    if "ranking" in figs:
        lines += [f"![ranking]({figs['ranking']})", ""]
    for key, name in figs.items():
        if key.startswith("fan_"):
            lines += [f"## Fan chart: `{key[4:]}`", "", f"![{key}]({name})", ""]
    if "distributions" in figs:
        lines += ["## Outcome distributions", "", f"![distributions]({figs['distributions']})", ""]
    if not sens.empty:
        shown = sens.drop(columns=[c for c in ("method",) if c in sens.columns])
        lines += ["## Sensitivity", "", md_table(shown, digits=3)]
        if "sensitivity" in figs:
            lines += [f"![sensitivity]({figs['sensitivity']})", ""]
    lines += ["## Failed runs", ""]
    if failed.empty:
        lines += ["None.", ""]
    else:
        shown = failed[["run_dir", "overrides", "error"]].head(50)
        lines += [md_table(shown), f"({len(failed)} failed; errors in `<run>/error.txt`)", ""]
    return "\n".join(lines)


def main(args: list[str]) -> int:
    """Entry point of ``citypeace report``."""
    parser = argparse.ArgumentParser(
        prog="citypeace report", description="Report on a finished (or partial) sweep."
    )
    parser.add_argument("sweep_dir", type=Path)
    parser.add_argument("--outcome", help="summary column to rank by (default: peace_20y)")
    parser.add_argument("--by", default="policy", help="group column (default: policy)")
    parser.add_argument(
        "--series", default=",".join(DEFAULT_SERIES), help="time series for the fan charts"
    )
    parser.add_argument("--resamples", type=int, default=2000, help="bootstrap resamples")
    parser.add_argument("--out", type=Path, default=None, help="folder (default: <sweep>/report)")
    ns = parser.parse_args(args)
    numbers = build_report(
        ns.sweep_dir,
        outcome=ns.outcome,
        by=ns.by,
        series=[s for s in ns.series.split(",") if s],
        out_dir=ns.out,
        resamples=ns.resamples,
    )
    out = ns.out or ns.sweep_dir / "report"
    print(f"citypeace: wrote {out / 'report.md'} ({len(numbers['figures'])} figures)")
    return 0
