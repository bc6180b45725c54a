"""A one-page picture of a run: four panels, with the scenario's events numbered and listed.

Drawn on a bare :class:`matplotlib.figure.Figure` with the Agg canvas and a fixed layout
(pyplot's import and constrained layout cost more than the drawing): about 0.2 s.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.io import atomic_write

PILLAR_COLOURS = {"humanitarian": "#d95f02", "development": "#1b9e77", "peace": "#7570b3"}
MONEY = "money units per month (1 unit is about EUR 1,000)"
MAX_LISTED = 12  # events listed under the panels; the rest are in events.parquet


def scenario_events(events: pd.DataFrame | None) -> pd.DataFrame:
    """The scenario's own events, one per date and type, in date order."""
    if events is None or events.empty:
        return pd.DataFrame(columns=["date", "type", "detail"])
    shown = events[events["origin"] == "scenario"].drop_duplicates(["date", "type"])
    return shown.sort_values("date", kind="stable").reset_index(drop=True)


def _dates(values: Any) -> np.ndarray:
    return pd.to_datetime(pd.Series(values).astype(str)).to_numpy()


def mark_events(ax: Any, events: pd.DataFrame | None, label: bool = False) -> None:
    """Dotted vertical lines at scenario events; with ``label``, their numbers on top."""
    shown = scenario_events(events).head(40)
    dates = _dates(shown["date"]) if len(shown) else []
    raised = False  # numbers of events within a few months of each other alternate in height
    for number, x in enumerate(dates, start=1):
        ax.axvline(x, color="0.6", lw=0.8, ls=":", zorder=0)
        if label and number <= MAX_LISTED:
            close = number > 1 and (x - dates[number - 2]) < np.timedelta64(150, "D")
            raised = close and not raised
            ax.annotate(
                str(number), (x, 1.0), xycoords=("data", "axes fraction"),
                xytext=(0, 10 if raised else 1), textcoords="offset points", ha="center",
                va="bottom", fontsize=8, color="0.3",
            )  # fmt: skip


def _event_list(events: pd.DataFrame | None) -> str:
    shown = scenario_events(events)
    lines = [
        f"{i}  {row.date}  {row.type.replace('_', ' ')}"
        for i, row in enumerate(shown.head(MAX_LISTED).itertuples(), start=1)
    ]
    if len(shown) > MAX_LISTED:
        lines.append(f"... and {len(shown) - MAX_LISTED} more (events.parquet)")
    return "\n".join(lines)


def figure(ts: pd.DataFrame, events: pd.DataFrame | None = None, title: str = "") -> Any:
    """Four panels: peace indices, relationships, activity by pillar, funds by channel."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(13, 8))
    fig.subplots_adjust(left=0.05, right=0.80, top=0.91, bottom=0.07, hspace=0.28, wspace=0.16)
    axes = fig.subplots(2, 2, sharex=True)
    x = _dates(ts["date"])
    ax = axes[0, 0]
    for col, style in (("peace", "-"), ("negative_peace", "--"), ("positive_peace", "-.")):
        ax.plot(x, ts[col], style, label=col.replace("_", " "))
    ax.set_ylim(0, 1)
    ax.set_title("Peace indices (Galtung), population-weighted", fontsize=10, pad=12)
    ax.legend(loc="lower right", fontsize=8)
    ax = axes[0, 1]
    for col in ("cross_divide_trust", "horizontal_integration", "vertical_integration"):
        if col in ts:
            ax.plot(x, ts[col], label=col.replace("_", " "))
    ax.set_ylim(0, 1)
    ax.set_title("Relationships (Lederach), index 0-1", fontsize=10, pad=12)
    ax.legend(loc="lower right", fontsize=8)
    ax = axes[1, 0]
    for pillar, colour in PILLAR_COLOURS.items():
        ax.plot(x, ts[f"flows_{pillar}"], color=colour, label=f"{pillar} (ties delivering)")
    ax.plot(x, ts["projects_active_development"], color=PILLAR_COLOURS["development"], ls="--",
            label="development projects active")  # fmt: skip
    ax.set_title("Activity by pillar (triple nexus), count", fontsize=10)
    ax.legend(loc="upper right", fontsize=8)
    ax = axes[1, 1]
    series, labels, colours = [], [], []
    from matplotlib.colors import to_rgba

    for pillar, colour in PILLAR_COLOURS.items():
        for channel, alpha in (("direct", 1.0), ("io", 0.45)):
            series.append(ts[f"funds_{pillar}_{channel}"].to_numpy())
            labels.append(f"{pillar} ({'via IOs' if channel == 'io' else 'direct'})")
            colours.append(to_rgba(colour, alpha))
    ax.stackplot(x, *series, labels=labels, colors=colours)
    ax.set_title("Funds delivered, kEUR per month (1 model unit = EUR 1,000)", fontsize=10)
    ax.legend(loc="upper right", fontsize=7, ncol=2)
    for i, ax in enumerate(axes.flat):
        mark_events(ax, events, label=i < 2)
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=8)
    listed = _event_list(events)
    if listed:
        fig.text(0.815, 0.91, "Scenario events\n\n" + listed, va="top", ha="left", fontsize=8,
                 color="0.2", linespacing=1.5)  # fmt: skip
    fig.suptitle(title, fontsize=11)
    return fig


def write_dashboard(ts: pd.DataFrame, events: pd.DataFrame, path: Path, title: str = "") -> Path:
    """Render the dashboard to a PNG, atomically."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = figure(ts, events, title)
    FigureCanvasAgg(fig)
    return atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=100, format="png"))
