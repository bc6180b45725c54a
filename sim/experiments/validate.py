"""``citypeace validate scenario=NAME seeds=30``: check a scenario's patterns over an ensemble.

Runs the baseline (and every policy a contrast pattern names) for ``seeds`` seeds, then prints
and writes a table: each pattern, its source, the share of seeds in which it holds and
pass/fail (pass means at least 80% of seeds; a contrast passes when the ensemble median of
baseline minus policy reaches its threshold). Writes fan charts (median and 10-90% band) of
the key series with events marked. Exit code 0 when every pattern passes, 1 when any fails,
2 on bad input.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import ConfigError
from sim.experiments.patterns import contrast_difference, holds, measure
from sim.io import atomic_write, write_text
from sim.scenario.dates import format_month

PASS_SHARE = 0.8
KEY_SERIES = (
    "peace",
    "positive_peace",
    "negative_peace",
    "cross_divide_trust",
    "needs",
    "projects_active_development",
    "funds_total",
)


def _compose(overrides: list[str]) -> Any:
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from sim.config import config_dir, register

    register()
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
            return compose("config", overrides=overrides)
    finally:
        GlobalHydra.instance().clear()


def _run_one(job: tuple[list[str], str, int]) -> pd.DataFrame:
    """One ensemble member: (overrides, policy, seed) -> time series."""
    from sim.config import model_kwargs
    from sim.engine.model import PeaceModel

    overrides, policy, seed = job
    cfg = _compose([*overrides, f"policy={policy}", f"seed={seed}"])
    return PeaceModel(**model_kwargs(cfg)).run().timeseries()


def run_ensemble(
    overrides: list[str], policy: str, seeds: int, jobs: int, progress: bool = True
) -> list[pd.DataFrame]:
    """Time series of ``seeds`` runs (seeds 0..n-1), in parallel over ``jobs`` processes."""
    work = [(overrides, policy, s) for s in range(seeds)]
    if jobs <= 1:
        results = map(_run_one, work)
    else:
        pool = ProcessPoolExecutor(max_workers=jobs)
        results = pool.map(_run_one, work)
    if progress:
        from tqdm.auto import tqdm

        results = tqdm(results, total=seeds, desc=f"validate {policy}", unit="run")
    try:
        return list(results)
    finally:
        if jobs > 1:
            pool.shutdown()


def evaluate(patterns: list[dict[str, Any]], runs: dict[str, list[pd.DataFrame]]) -> pd.DataFrame:
    """One row per pattern: source, share of seeds that hold it, a summary value, pass/fail."""
    rows = []
    base = runs["baseline"]
    for p in patterns:
        source = p.get("source") or f"assumption: {p.get('assumption')}"
        if p["kind"] == "contrast":
            diff = contrast_difference(p, base, runs[p["policy"]])
            ok = diff >= float(p.get("min_difference", 0.0))
            rows.append(
                {
                    "pattern": p["id"],
                    "kind": "contrast",
                    "source": source,
                    "share": 1.0 if ok else 0.0,
                    "value": f"median diff {diff:.3f} (need >= {p.get('min_difference')})",
                    "pass": ok,
                    "description": p.get("description", ""),
                }
            )
            continue
        held = [holds(p, ts) for ts in base]
        values = [measure(p, ts) for ts in base]
        numeric = [v for v in values if isinstance(v, int | float) and np.isfinite(v)]
        summary = (
            f"median {np.median(numeric):.3g}"
            if numeric
            else f"e.g. {next((v for v in values if v), 'never')}"
        )
        share = float(np.mean(held))
        rows.append(
            {
                "pattern": p["id"],
                "kind": p["kind"],
                "source": source,
                "share": share,
                "value": summary,
                "pass": share >= PASS_SHARE,
                "description": p.get("description", ""),
            }
        )
    return pd.DataFrame(rows)


def fan_charts(runs: list[pd.DataFrame], events: pd.DataFrame, path: Path, title: str) -> Path:
    """Median and 10-90% band of the key series over seeds, with events marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.dashboard import mark_events

    series = [s for s in KEY_SERIES if s in runs[0]]
    series += [c for c in runs[0].columns if c.startswith("positive_peace@")][:3]
    cols = 3
    rows = int(np.ceil(len(series) / cols))
    fig, axes = plt.subplots(
        rows,
        cols,
        figsize=(5 * cols, 3.2 * rows),
        sharex=True,
        constrained_layout=True,
        squeeze=False,
    )
    x = pd.to_datetime(runs[0]["date"])
    for ax, name in zip(axes.flat, series, strict=False):
        stack = np.stack([r[name].to_numpy(dtype=float) for r in runs])
        lo, mid, hi = np.nanpercentile(stack, [10, 50, 90], axis=0)
        ax.fill_between(x, lo, hi, alpha=0.3, label="10-90%")
        ax.plot(x, mid, lw=1.5, label="median")
        ax.set_title(name, fontsize=9)
        mark_events(ax, events)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(series) :]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=7)
    fig.suptitle(title)
    try:
        return atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=100, format="png"))
    finally:
        plt.close(fig)


def parse_args(args: list[str]) -> tuple[dict[str, str], list[str]]:
    """Split ``seeds=``, ``jobs=``, ``out=`` from Hydra overrides."""
    own, overrides = {}, []
    for arg in args:
        key = arg.split("=", 1)[0]
        if key in ("seeds", "jobs", "out") and "=" in arg:
            own[key] = arg.split("=", 1)[1]
        elif arg in ("--quiet", "-q"):
            own["quiet"] = "1"
        else:
            overrides.append(arg)
    return own, overrides


def main(args: list[str]) -> int:
    """Entry point of ``citypeace validate``."""
    from sim.cli import preflight
    from sim.config import model_kwargs
    from sim.engine.model import PeaceModel

    own, overrides = parse_args(args)
    try:
        seeds = int(own.get("seeds", 30))
        jobs = int(own.get("jobs", min(os.cpu_count() or 1, 2)))
    except ValueError:
        raise ConfigError("validate", "seeds", own.get("seeds"), "a whole number >= 1") from None
    if not 1 <= seeds <= 10_000:
        raise ConfigError("validate", "seeds", seeds, "a whole number in [1, 10000]")
    if any(o.startswith("policy=") for o in overrides):
        raise ConfigError(
            "validate",
            "policy",
            "...",
            "none: validate runs the baseline and the policies its contrast patterns name",
        )
    preflight(overrides)
    cfg = _compose(overrides)
    probe = PeaceModel(**{**model_kwargs(cfg), "horizon": 1})
    case = probe.case
    if not case.patterns:
        raise ConfigError("validate", "scenario", case.name, "a scenario with patterns.yaml")
    out = Path(own.get("out", f"validation/{case.name}"))
    quiet = "quiet" in own
    runs = {"baseline": run_ensemble(overrides, "baseline", seeds, jobs, not quiet)}
    for policy in sorted({p["policy"] for p in case.patterns if p["kind"] == "contrast"}):
        runs[policy] = run_ensemble(overrides, policy, seeds, jobs, not quiet)
    table = evaluate(case.patterns, runs)
    events = pd.DataFrame(
        [
            {"date": format_month(case.start + e["step"]), "type": e["type"], "origin": "scenario"}
            for e in case.events
        ],
        columns=["date", "type", "origin"],
    )
    write_text(table.to_csv(index=False), out / "validation.csv")
    markdown = _markdown(table, case.name, seeds)
    write_text(markdown, out / "validation.md")
    fan_charts(
        runs["baseline"],
        events,
        out / "fan_charts.png",
        f"{case.title}: {seeds} seeds, median and 10-90% band",
    )
    print(markdown)
    print(f"wrote {out}/validation.md, validation.csv, fan_charts.png")
    return 0 if bool(table["pass"].all()) else 1


def _markdown(table: pd.DataFrame, scenario: str, seeds: int) -> str:
    lines = [
        f"# Pattern validation: {scenario} ({seeds} seeds)",
        "",
        "| pattern | kind | held in | value | result | source |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for _, r in table.iterrows():
        lines.append(
            f"| {r['pattern']} | {r['kind']} | {r['share']:.0%} | {r['value']} | "
            f"{'PASS' if r['pass'] else 'FAIL'} | {r['source']} |"
        )
    passed = int(table["pass"].sum())
    lines += [
        "",
        f"{passed} of {len(table)} patterns pass (a per-seed pattern passes when it "
        f"holds in at least {PASS_SHARE:.0%} of seeds).",
    ]
    return "\n".join(lines) + "\n"
