"""What ``citypeace validate`` writes: the report, its tables, the heat map and the fan charts.

Every file is written atomically (``sim.outputs.atomic``) and only after every run has
finished, so a failed or interrupted validation leaves the previous record whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments.matrix import FULL, NULL_MAX, PASS_SHARE, null_effects
from sim.outputs.atomic import atomic_write, write_text

KEY_SERIES = (
    "peace",
    "positive_peace",
    "negative_peace",
    "cross_divide_trust",
    "needs",
    "projects_active_development",
    "funds_total",
)
_TAG = {"scripted": "S", "calibration": "C", "evidence": "E"}
STALE = ("robustness.csv", "draws.csv")  # written only by runs with perturb=


@dataclass
class Record:
    """Everything one validation found, ready to be written."""

    scenario: str
    title: str
    seeds: int
    patterns: list[dict[str, Any]]
    summary: pd.DataFrame  # matrix.verdicts
    rates: pd.DataFrame  # patterns x (full + nulls)
    contrasts: pd.DataFrame
    nulls: list[Any]  # NullModel
    mechanisms: dict[str, list[str]]
    robustness: pd.DataFrame | None = None
    perturb: float | None = None
    draws: pd.DataFrame | None = None
    failures: list[str] = field(default_factory=list)


def counts(record: Record) -> dict[str, int]:
    """Patterns by role, evidence patterns that discriminate, and patterns that pass."""
    s = record.summary
    return {
        "patterns": len(s),
        "scripted": int((s["role"] == "scripted").sum()),
        "calibration": int((s["role"] == "calibration").sum()),
        "evidence": int((s["role"] == "evidence").sum()),
        "discriminate": int((s["discriminates"] == True).sum()),  # noqa: E712 - None is not True
        "pass": int(s["pass"].sum()),
    }


def headline(record: Record) -> str:
    """One plain sentence: how many patterns are evidence and how many of those discriminate."""
    c = counts(record)
    assessed = record.summary[record.summary["role"] == "evidence"]["discriminates"].notna()
    if c["evidence"] == 0:
        tail = "none is evidence, so none can discriminate"
    elif assessed.all():
        verb = "discriminates" if c["discriminate"] == 1 else "discriminate"
        tail = f"{c['discriminate']} of them {verb} against the nulls of the mechanisms they name"
    else:
        tail = "their discrimination was not assessed (run with nulls=all)"
    return (
        f"{c['patterns']} patterns: {c['scripted']} scripted (consistency checks), "
        f"{c['calibration']} calibration, {c['evidence']} evidence; {tail}. "
        f"{c['pass']} of {c['patterns']} hold in at least {PASS_SHARE:.0%} of seeds under the "
        "full model."
    )


def markdown(record: Record) -> str:
    """The report: verdicts, the matrix, contrasts, robustness, nulls and role reasons."""
    models = list(record.rates.columns)
    n_nulls = len(models) - 1
    extra = (
        f"; {len(record.draws['draw'].unique())} coefficient draws at +-{record.perturb:.0%}"
        if (record.draws is not None)
        else ""
    )
    lines = [
        f"# Pattern validation: {record.scenario} ({record.seeds} seeds, full model and "
        f"{n_nulls} null models{extra})",
        "",
        headline(record),
        "",
        f"A pattern passes when it holds in at least {PASS_SHARE:.0%} of seeds. An evidence "
        f"pattern discriminates when it passes and holds in at most {NULL_MAX:.0%} of seeds under "
        "every null that removes a mechanism it names. Scripted patterns are guaranteed by the "
        "scenario's inputs and calibration patterns set a coefficient: neither is evidence.",
        "",
        "## Patterns",
        "",
        "| pattern | role | kind | held (full) | value | verdict | source |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    robust = _robust_by_pattern(record)
    for _, r in record.summary.iterrows():
        lines.append(
            f"| {r['pattern']} | {r['role']}{_mech(r)} | {r['kind']} | {r['held_full']:.0%} | "
            f"{r['value']} | {r['verdict']}{robust.get(r['pattern'], '')} | {r['source']} |"
        )
    lines += ["", "## Matrix: share of seeds in which each pattern holds", ""]
    lines += _matrix_table(record)
    lines += ["", "Bold: a null of a mechanism the evidence pattern names.", ""]
    lines += _effects_table(record)
    if not record.contrasts.empty:
        lines += _contrast_table(record)
    if record.robustness is not None:
        lines += _robustness_table(record)
    lines += ["", "## Null models", "", "| null | removes | what it switches off |"]
    lines += ["| --- | --- | --- |"]
    lines += [f"| {n.name} | {n.removes} | {n.description} |" for n in record.nulls]
    lines += ["", "## Why each pattern has its role", ""]
    lines += [f"- **{r['pattern']}** ({r['role']}): {r['role_reason']}" for _, r in
              record.summary.iterrows()]  # fmt: skip
    if record.failures:
        lines += ["", "## Failed runs", "", *[f"- {f}" for f in record.failures]]
    return "\n".join(lines) + "\n"


def _mech(row: pd.Series) -> str:
    return f" ({row['mechanism']})" if row["mechanism"] else ""


def _robust_by_pattern(record: Record) -> dict[str, str]:
    if record.robustness is None:
        return {}
    return {
        r["pattern"]: f"; passes in {r['passed']}/{r['draws']} coefficient draws"
        for _, r in record.robustness.iterrows()
    }


def _named_nulls(record: Record, pattern: dict[str, Any]) -> set[str]:
    if pattern["role"] != "evidence":
        return set()
    return {n for m in pattern["mechanism"] for n in record.mechanisms.get(m, [])}


def _matrix_table(record: Record) -> list[str]:
    models = list(record.rates.columns)
    lines = ["| pattern | " + " | ".join(models) + " |", "| --- |" + " ---: |" * len(models)]
    for p in record.patterns:
        named = _named_nulls(record, p)
        cells = []
        for m in models:
            text = f"{record.rates.at[p['id'], m]:.0%}"
            cells.append(f"**{text}**" if m in named else text)
        lines.append(f"| [{_TAG[p['role']]}] {p['id']} | " + " | ".join(cells) + " |")
    return lines


def _effects_table(record: Record) -> list[str]:
    effects = null_effects(record.rates, record.nulls)
    if effects.empty:
        return []
    lines = [
        "## What each null breaks",
        "",
        f"A null breaks a pattern that passes under the full model and not under the null (it "
        f"rescues one that fails under the full model and passes under it). A mechanism whose "
        f"null breaks nothing is not needed by any pattern of {record.scenario}: untested here.",
        "",
        "| null | removes | breaks | rescues |",
        "| --- | --- | --- | --- |",
    ]
    for _, r in effects.iterrows():
        lines.append(
            f"| {r['null']} | {r['removes']} | {', '.join(r['breaks']) or '-'} | "
            f"{', '.join(r['rescues']) or '-'} |"
        )
    idle = sorted(
        {r["removes"] for _, r in effects.iterrows()}
        - {r["removes"] for _, r in effects.iterrows() if r["breaks"]}
    )
    if idle:
        lines += ["", f"Untested in {record.scenario} (no pattern needs them): {', '.join(idle)}."]
    return [*lines, ""]


def _contrast_table(record: Record) -> list[str]:
    c = record.contrasts
    lines = [
        "## Contrasts, paired by seed",
        "",
        "Share of seed pairs whose gap meets the threshold, and the median gap with a bootstrap "
        "95% interval, under the full model and under no_aid_effect (every effect of aid and "
        "peace work zero). A threshold should exceed the gap no_aid_effect still shows.",
        "",
        "| pattern | policy | model | pairs meeting threshold | median gap [95% CI] | threshold |"
        " note |",
        "| --- | --- | --- | ---: | --- | ---: | --- |",
    ]
    for _, r in c[c["model"].isin([FULL, "no_aid_effect"])].iterrows():
        note = ""
        if r["model"] == FULL and r["exceeds_null"] is False:
            null = c[(c["pattern"] == r["pattern"]) & (c["model"] == "no_aid_effect")].iloc[0]
            note = (
                f"threshold does not exceed the no_aid_effect gap (up to {null['ci_high']:.3g}):"
                " the gap does not need aid to work"
            )
        elif r["model"] == FULL and r["exceeds_null"] is None:
            note = "no_aid_effect not run"
        lines.append(
            f"| {r['pattern']} | {r['policy']} | {r['model']} | {r['share']:.0%} | "
            f"{r['median']:.3g} [{r['ci_low']:.3g}, {r['ci_high']:.3g}] | {r['threshold']:g} | "
            f"{note} |"
        )
    return [*lines, ""]


def _robustness_table(record: Record) -> list[str]:
    lines = [
        "## Robustness to the coefficients",
        "",
        f"Each draw takes every coefficient uniformly within +-{record.perturb:.0%} of its value, "
        "clipped to its documented range (whole numbers rounded; switches and levers untouched), "
        "and runs the same seeds. Share of draws in which each pattern passes:",
        "",
        "| pattern | role | draws passed | share |",
        "| --- | --- | ---: | ---: |",
    ]
    for _, r in record.robustness.iterrows():
        lines.append(
            f"| {r['pattern']} | {r['role']} | {r['passed']}/{r['draws']} | {r['share']:.0%} |"
        )
    return [*lines, ""]


def load_matplotlib() -> None:
    """Import matplotlib with the file backend (the figures below import it themselves)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401


def heat_map(record: Record, path: Path) -> Path:
    """Patterns x models, coloured by hold rate; an evidence pattern's own nulls outlined."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    rates = record.rates
    models = list(rates.columns)
    fig, ax = plt.subplots(
        figsize=(5.0 + 0.7 * len(models), 2.2 + 0.42 * len(record.patterns)),
        constrained_layout=True,
    )
    image = ax.imshow(rates.to_numpy(dtype=float), cmap="RdYlGn", vmin=0.0, vmax=1.0, aspect="auto")
    for i, p in enumerate(record.patterns):
        named = _named_nulls(record, p)
        for j, m in enumerate(models):
            value = rates.at[p["id"], m]
            ax.text(j, i, f"{value:.0%}", ha="center", va="center", fontsize=7)
            if m in named:
                ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, lw=2.2, ec="black"))
    ax.set_xticks(range(len(models)), models, rotation=45, ha="right", fontsize=8)
    labels = [f"[{_TAG[p['role']]}] {p['id']}" for p in record.patterns]
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_title(
        f"{record.scenario}: share of {record.seeds} seeds in which each pattern holds\n"
        "[S] scripted, [C] calibration, [E] evidence;\noutlined: a null of a mechanism it names",
        fontsize=9,
    )
    fig.colorbar(image, ax=ax, shrink=0.6, label="hold rate")
    try:
        return atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    finally:
        plt.close(fig)


def percentiles(stack: np.ndarray, q: list[float]) -> np.ndarray:
    """``np.nanpercentile(stack, q, axis=0)``: numpy's plain percentile on the months without a
    NaN (the same numbers; nanpercentile goes month by month in Python, 0.2 s a series of 30
    seeds x 181 months), nanpercentile only on the months with one."""
    gaps = np.isnan(stack).any(axis=0)
    out = np.percentile(stack, q, axis=0)
    if gaps.any():
        out[:, gaps] = np.nanpercentile(stack[:, gaps], q, axis=0)
    return out


def fan_charts(runs: list[pd.DataFrame], events: pd.DataFrame, path: Path, title: str) -> Path:
    """Median and 10-90% band of the key series over seeds, with events marked."""
    png = fan_charts_png(runs, events, title)
    return atomic_write(path, lambda tmp: tmp.write_bytes(png))


def fan_charts_png(runs: list[pd.DataFrame], events: pd.DataFrame, title: str) -> bytes:
    """The fan charts (:func:`fan_charts`) as PNG bytes."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.experiments.figure_ticks import once_date_ticks
    from sim.outputs.dashboard import mark_events

    series = [s for s in KEY_SERIES if s in runs[0]]
    series += [c for c in runs[0].columns if c.startswith("positive_peace@")][:3]
    cols = 3
    rows = int(np.ceil(len(series) / cols))
    fig, axes = plt.subplots(
        rows, cols, figsize=(5 * cols, 3.2 * rows), sharex=True, constrained_layout=True,
        squeeze=False,
    )  # fmt: skip
    x = pd.to_datetime(runs[0]["date"])
    for ax, name in zip(axes.flat, series, strict=False):
        stack = np.stack([r[name].to_numpy(dtype=float) for r in runs])
        lo, mid, hi = percentiles(stack, [10, 50, 90])
        ax.fill_between(x, lo, hi, alpha=0.3, label="10-90%")
        ax.plot(x, mid, lw=1.5, label="median")
        ax.set_title(name, fontsize=9)
        mark_events(ax, events)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(series) :]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=7)
    fig.suptitle(title)
    once_date_ticks(axes.flat[0].xaxis)  # the panels share it: ticks worked out once
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, dpi=100, format="png")
    finally:
        plt.close(fig)
    return buffer.getvalue()


def fan_charts_title(record_title: str, seeds: int) -> str:
    return f"{record_title}: {seeds} seeds, median and 10-90% band (full model)"


def write(
    record: Record,
    out: Path,
    baseline: list[pd.DataFrame],
    events: pd.DataFrame,
    fans: Callable[[], bytes] | None = None,
) -> list[str]:
    """Every file of the record into ``out``; returns their names. ``fans``: the fan charts'
    PNG, drawn already (``sim.experiments.apart``); drawn here when not given."""
    written = ["validation.md", "validation.csv", "matrix.csv", "heatmap.png", "fan_charts.png"]
    write_text(markdown(record), out / "validation.md")
    write_text(record.summary.to_csv(index=False), out / "validation.csv")
    matrix = record.rates.copy()
    matrix.insert(0, "role", [p["role"] for p in record.patterns])
    write_text(matrix.rename_axis("pattern").to_csv(), out / "matrix.csv")
    if not record.contrasts.empty:
        write_text(record.contrasts.to_csv(index=False), out / "contrasts.csv")
        written.append("contrasts.csv")
    else:
        (out / "contrasts.csv").unlink(missing_ok=True)
    if record.robustness is not None:
        write_text(record.robustness.to_csv(index=False), out / "robustness.csv")
        write_text(record.draws.to_csv(index=False), out / "draws.csv")
        written += list(STALE)
    else:
        for name in STALE:  # from an earlier run with perturb=: no longer this record's
            (out / name).unlink(missing_ok=True)
    heat_map(record, out / "heatmap.png")
    if baseline:
        title = fan_charts_title(record.title, len(baseline))
        png = fans() if fans is not None else fan_charts_png(baseline, events, title)
        atomic_write(out / "fan_charts.png", lambda tmp: tmp.write_bytes(png))
    return written
