"""A one-page matplotlib dashboard of a run, with the scenario's events on the time axis."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from sim.io import atomic_write  # noqa: E402

PILLAR_COLOURS = {"humanitarian": "#d95f02", "development": "#1b9e77", "peace": "#7570b3"}


def mark_events(ax: plt.Axes, events: pd.DataFrame, label: bool = False) -> None:
    """Dotted vertical lines at scenario events; labels on the first panel only."""
    if events is None or events.empty:
        return
    shown = events[events["origin"] == "scenario"].drop_duplicates(["date", "type"])
    for _, ev in shown.head(40).iterrows():
        x = pd.Timestamp(ev["date"])
        ax.axvline(x, color="0.55", lw=0.8, ls=":", zorder=0)
        if label:
            ax.text(
                x,
                1.0,
                f" {ev['type']}",
                rotation=90,
                va="top",
                ha="left",
                fontsize=6,
                color="0.35",
                transform=ax.get_xaxis_transform(),
            )


def figure(ts: pd.DataFrame, events: pd.DataFrame | None = None, title: str = "") -> plt.Figure:
    """Six panels: peace indices (recipient side), trust and integration, activity by pillar,
    funds by channel, the recipient cities' violence, needs and capacity, and their people.

    The peace panel shows the recipient side by default (cities that programmes target, or the
    scenario's ``focus`` list): a population-weighted index over every city is dominated by
    large provider cities whose own peace drifts (issue 15, item 9). The all-city index is
    drawn thin and grey beside it.
    """
    x = pd.to_datetime(ts["date"])
    fig, axes = plt.subplots(3, 2, figsize=(13, 11), sharex=True, constrained_layout=True)
    side = "_recipients" if "peace_recipients" in ts else ""
    ax = axes[0, 0]
    for col, style in (("peace", "-"), ("negative_peace", "--"), ("positive_peace", "-.")):
        ax.plot(x, ts[col + side], style, label=col.replace("_", " "))
    if side:
        ax.plot(x, ts["peace"], color="0.6", lw=0.8, label="peace, all cities")
    ax.set_ylim(0, 1)
    where = "recipient cities" if side else "all cities"
    ax.set_title(f"Peace indices (Galtung), {where}, population-weighted")
    ax.legend(loc="lower right", fontsize=8)
    ax = axes[0, 1]
    for col in ("cross_divide_trust", "horizontal_integration", "vertical_integration"):
        if col in ts:
            ax.plot(x, ts[col], label=col.replace("_", " "))
    ax.set_ylim(0, 1)
    ax.set_title("Relationships (Lederach)")
    ax.legend(loc="lower right", fontsize=8)
    ax = axes[1, 0]
    for pillar, colour in PILLAR_COLOURS.items():
        ax.plot(x, ts[f"flows_{pillar}"], color=colour, label=f"{pillar} flows")
    ax.plot(
        x,
        ts["projects_active_development"],
        color=PILLAR_COLOURS["development"],
        ls="--",
        label="active development projects",
    )
    ax.set_title("Activity by pillar (triple nexus)")
    ax.legend(loc="upper right", fontsize=8)
    ax = axes[1, 1]
    series, labels, colours = [], [], []
    for pillar, colour in PILLAR_COLOURS.items():
        for channel, alpha in (("direct", 1.0), ("io", 0.45)):
            series.append(ts[f"funds_{pillar}_{channel}"])
            labels.append(f"{pillar} ({channel})")
            colours.append(matplotlib.colors.to_rgba(colour, alpha))
    ax.stackplot(x, *series, labels=labels, colors=colours)
    ax.set_title("Funds disbursed by pillar and channel (units/month)")
    ax.legend(loc="upper right", fontsize=7, ncol=2)
    ax = axes[2, 0]
    for col in ("S", "C", "needs", "capacity"):
        if col + side in ts:
            ax.plot(
                x,
                ts[col + side],
                label=col.replace("S", "structural violence", 1)
                if col == "S"
                else "cultural violence"
                if col == "C"
                else col,
            )
    ax.set_ylim(0, 1)
    ax.set_title(f"Structural and cultural violence, needs, capacity ({where})")
    ax.legend(loc="upper right", fontsize=8)
    ax = axes[2, 1]
    for col, label in (
        ("population", "residents"),
        ("fled", "fled (may return)"),
        ("displaced", "hosted displaced"),
    ):
        if col in ts:
            ax.plot(x, ts[col], label=label)
    ax.set_title("People, all cities")
    ax.legend(loc="upper right", fontsize=8)
    for i, ax in enumerate(axes.flat):
        mark_events(ax, events, label=i == 0)
        ax.grid(alpha=0.3)
    fig.suptitle(title)
    return fig


def write_dashboard(ts: pd.DataFrame, events: pd.DataFrame, path: Path, title: str = "") -> Path:
    """Render the dashboard to a PNG, atomically."""
    fig = figure(ts, events, title)
    try:
        return atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    finally:
        plt.close(fig)
