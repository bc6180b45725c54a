"""The report's figures: fan charts, outcome distributions, the ranking and sensitivity bars.

Panels that show the same quantity share one y-axis, and an index (a value in [0, 1]) is drawn
on its whole scale, so that what looks large is large (``sim.experiments.report``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sim.experiments.run_status import HORIZON_YEARS  # noqa: E402
from sim.outputs.atomic import atomic_write  # noqa: E402

DISTRIBUTION_METRICS = ("peace", "positive_peace", "negative_peace", "cross_divide_trust")


def _colours(groups: Sequence[Any]) -> dict[Any, Any]:
    cmap = plt.get_cmap("tab10")
    return {g: cmap(i % 10) for i, g in enumerate(groups)}


def plot_fans(fans: dict[Any, pd.DataFrame], series: str, path: Path, by: str) -> Path:
    """One panel per group, plus an overlay of the medians, all on one y-axis (the same
    series), so that a band's height can be compared across panels."""
    groups = list(fans)
    colours = _colours(groups)
    n = len(groups) + 1
    cols = min(3, n)
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(
        rows, cols, figsize=(4.2 * cols, 3.0 * rows), squeeze=False, sharey=True
    )
    flat = axes.ravel()
    for ax, group in zip(flat, groups, strict=False):
        f, c = fans[group], colours[group]
        ax.fill_between(f["date"], f["q05"], f["q95"], color=c, alpha=0.18, lw=0)
        ax.fill_between(f["date"], f["q25"], f["q75"], color=c, alpha=0.35, lw=0)
        ax.plot(f["date"], f["q50"], color=c, lw=1.5)
        ax.set_title(f"{by}={group} (n={int(f['runs'].iloc[0])})", fontsize=9)
        ax.set_ylabel(series, fontsize=8)
    overlay = flat[len(groups)]
    for group in groups:
        f = fans[group]
        overlay.plot(f["date"], f["q50"], color=colours[group], lw=1.5, label=str(group))
    overlay.set_title("medians", fontsize=9)
    overlay.legend(fontsize=7)
    for ax in flat[n:]:
        ax.set_visible(False)
    for ax in flat[:n]:
        ax.tick_params(labelsize=7)
        ax.yaxis.set_tick_params(labelleft=True)  # every panel shows the shared scale
    low, high = _index_limits(pd.concat([f[["q05", "q95"]] for f in fans.values()]))
    if low is not None:
        flat[0].set_ylim(low, high)
    fig.suptitle(f"{series}: 5-95 % and 25-75 % of runs, median (shared y-axis)", fontsize=10)
    fig.tight_layout()
    return _save(fig, path)


def plot_distributions(summary: pd.DataFrame, path: Path, by: str) -> Path | None:
    """Box plots of the key outcomes at each horizon, by group."""
    done = summary[summary["status"] == "completed"]
    metrics = [m for m in DISTRIBUTION_METRICS if f"{m}_{HORIZON_YEARS[0]}y" in done.columns]
    years = [
        y
        for y in HORIZON_YEARS
        if any(f"{m}_{y}y" in done.columns and done[f"{m}_{y}y"].notna().any() for m in metrics)
    ]
    if not metrics or not years or done.empty:
        return None
    groups = sorted(done[by].dropna().unique().tolist())
    colours = _colours(groups)
    # One y-axis per metric (row): the same quantity at 2, 10 and 20 years.
    fig, axes = plt.subplots(
        len(metrics),
        len(years),
        figsize=(3.4 * len(years), 2.4 * len(metrics)),
        squeeze=False,
        sharey="row",
    )
    for i, metric in enumerate(metrics):
        for j, y in enumerate(years):
            ax, col = axes[i, j], f"{metric}_{y}y"
            data = [done.loc[done[by] == g, col].dropna().to_numpy() for g in groups]
            if col not in done.columns or not any(len(d) for d in data):
                ax.text(0.5, 0.5, "not reached", ha="center", va="center", fontsize=8)
                ax.set_xticks([])
            else:
                parts = ax.boxplot(
                    [d if len(d) else [np.nan] for d in data], patch_artist=True, widths=0.6
                )
                for patch, g in zip(parts["boxes"], groups, strict=True):
                    patch.set_facecolor(colours[g])
                    patch.set_alpha(0.6)
                ax.set_xticks(range(1, len(groups) + 1), [str(g) for g in groups], fontsize=7)
                ax.tick_params(axis="x", rotation=30)
            ax.tick_params(labelsize=7)
            if i == 0:
                ax.set_title(f"{y} years", fontsize=9)
            if j == 0:
                ax.set_ylabel(metric, fontsize=8)
    fig.suptitle(f"Outcome distributions by {by}", fontsize=10)
    fig.tight_layout()
    return _save(fig, path)


def plot_ranking(table: pd.DataFrame, outcome: str, path: Path, by: str) -> Path:
    """Means with bootstrap 95 % intervals, best at the top."""
    fig, ax = plt.subplots(figsize=(6, 0.45 * len(table) + 1.4))
    y = np.arange(len(table))[::-1]
    ax.errorbar(
        table["mean"],
        y,
        xerr=[table["mean"] - table["ci_low"], table["ci_high"] - table["mean"]],
        fmt="o",
        color="#1b9e77",
        capsize=3,
    )
    ax.set_yticks(y, [f"{g} (n={n})" for g, n in zip(table[by], table["n"], strict=True)])
    ax.set_ylim(-0.7, len(table) - 0.3)
    # The axis spans the outcome's whole scale (0 to 1 for an index; from 0 for other
    # non-negative outcomes), not just the spread of the means: a gap of 0.009 looks its size.
    low, high = _index_limits(table[["ci_low", "ci_high"]])
    if low is None and (table["ci_low"] >= 0).all():
        low, high = 0.0, float(table["ci_high"].max()) * 1.05 or 1.0
    if low is not None:
        ax.set_xlim(low, high)
    ax.set_xlabel(f"mean {outcome} (bootstrap 95 % CI)")
    title = f"{by} ranked by {outcome}"
    if len(table) > 1:
        gap = abs(float(table["mean"].iloc[0] - table["mean"].iloc[1]))
        title += f"\nfirst - second: {gap:.3g}"
    ax.set_title(title, fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return _save(fig, path)


def _index_limits(values: pd.DataFrame) -> tuple[float | None, float | None]:
    """(0, 1) when every value lies in [0, 1] (an index: the model's whole scale), else None."""
    finite = values.to_numpy(float)
    finite = finite[np.isfinite(finite)]
    if finite.size and finite.min() >= 0.0 and finite.max() <= 1.0:
        return 0.0, 1.0
    return None, None


def plot_sensitivity(frame: pd.DataFrame, path: Path) -> Path | None:
    """Bars of the main indices per parameter, one panel per outcome and combination."""
    if "parameter" not in frame.columns:
        return None
    frame = frame[frame["parameter"].notna()]
    if frame.empty:
        return None
    method = frame["method"].iloc[0]
    pairs = {
        "sobol": [("S1", "S1_conf"), ("ST", "ST_conf")],
        "morris": [("mu_star", "mu_star_conf"), ("sigma", None)],
        "lhs": [("delta", "delta_conf"), ("S1", "S1_conf")],
    }[method]
    blocks = list(frame.groupby(["outcome", "combo"], sort=False))
    fig, axes = plt.subplots(
        len(blocks),
        1,
        figsize=(7, 0.35 * frame["parameter"].nunique() * len(blocks) + 1.5),
        squeeze=False,
    )
    for ax, ((outcome, combo), block) in zip(axes[:, 0], blocks, strict=True):
        y = np.arange(len(block))
        h = 0.38
        for k, (col, conf) in enumerate(pairs):
            err = block[conf].to_numpy() if conf else None
            ax.barh(y + (k - 0.5) * h, block[col], h, xerr=err, label=col, capsize=2)
        ax.set_yticks(y, block["parameter"], fontsize=7)
        ax.invert_yaxis()
        ax.set_title(f"{outcome} {combo}".strip(), fontsize=9)
        ax.legend(fontsize=7)
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle(f"Sensitivity ({method})", fontsize=10)
    fig.tight_layout()
    return _save(fig, path)


def _save(fig: plt.Figure, path: Path) -> Path:
    atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    plt.close(fig)
    return path
