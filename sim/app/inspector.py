"""The city inspector: one city's state now (through its Mesa agent) and its history per run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.app.blit import Blitter, short
from sim.app.series_figure import DPI, year_ticks

CITY_METRICS = (
    ("positive_peace", "positive peace", "#2e7d32"),
    ("D", "direct violence D", "#b71c1c"),
    ("needs", "needs", "#0277bd"),
    ("capacity", "capacity", "#5d4037"),
)


def city_name(model: Any, row: int) -> str:
    """The actor's name, or its id when it has none."""
    name = model.actor_frame["name"].iloc[row]
    return str(name) if isinstance(name, str) and name else str(model.actors.ids[row])


def city_options(model: Any) -> list[str]:
    """Labels for the city picker: 'name (id)' in model order, unique by construction."""
    ids = model.actors.ids[: model.n_cities]
    return [
        f"{city_name(model, i)} ({ids[i]})" if city_name(model, i) != ids[i] else str(ids[i])
        for i in range(model.n_cities)
    ]


def city_agent(model: Any, row: int) -> Any:
    """The Municipality agent that owns array row ``row``."""
    cache = getattr(model, "_app_city_agents", None)
    if cache is None:
        from sim.engine.agents import Municipality

        cache = {a.row: a for a in model.agents_by_type[Municipality]}
        model._app_city_agents = cache  # a view cache; the model never reads it
    return cache[row]


def city_state(model: Any, row: int) -> dict[str, Any]:
    """The inspected city's current state, read through its Mesa agent (the public face)."""
    agent = city_agent(model, row)
    t = model.ties
    touching = (t.src == row) | (t.dst == row)
    cross = touching & t.cross_divide & t.active
    pop = float(agent.population) or 1.0
    return {
        "id": agent.actor_id,
        "name": city_name(model, row),
        "country": agent.country,
        "community": agent.community or "mixed / none",
        "population": agent.population,
        "displaced (people)": agent.displaced,
        "displaced (share of pop.)": min(float(agent.displaced) / pop, 1.0),
        "direct violence D": agent.direct_violence,
        "structural violence S": agent.structural_violence,
        "cultural violence C": agent.cultural_violence,
        "negative peace": agent.negative_peace,
        "positive peace": agent.positive_peace,
        "peace": agent.peace,
        "needs": agent.needs,
        "capacity": agent.capacity,
        "cohesion": agent.cohesion,
        "participation": agent.participation,
        "ties (active)": int((touching & t.active).sum()),
        "cross-divide ties": int(cross.sum()),
        "mean cross-divide trust": float(t.trust[cross].mean()) if cross.any() else float("nan"),
        "received this month (hum/dev/peace, units)": "/".join(
            f"{v:.1f}" for v in model.cities.received[row]
        ),
    }


def recorded(model: Any, row: int) -> bool:
    """Whether the city's history is recorded (big worlds record a sample, see observe.py)."""
    return row in set(model.recorder.city_sample.tolist())


class CityPainter:
    """The inspected city's history in every run: colours name metrics, line styles runs."""

    def __init__(
        self,
        model: Any,
        styles: Sequence[Any],
        labels: Sequence[str],
        width: int = 460,
        height: int = 260,
        scale: float = 1.0,
    ) -> None:
        self.width, self.height = int(width), int(height)
        fs = 8.0 * scale
        self.horizon = int(model.horizon)
        self.fig = Figure(figsize=(self.width / DPI, self.height / DPI), dpi=DPI)
        FigureCanvasAgg(self.fig)
        px = fs * DPI / 72
        self.ax = self.fig.add_axes(
            (
                4 * px / self.width,
                2 * px / self.height,
                1 - 5 * px / self.width,
                1 - (2 + 2.6 * px + 1.3 * px * (len(labels) > 1)) / self.height,
            )
        )
        self.lines: list[dict[str, Line2D]] = []
        for r, style in enumerate(styles):
            self.lines.append(
                {
                    col: self.ax.plot(
                        [],
                        [],
                        color=colour,
                        lw=1.5 * scale,
                        ls=style,
                        label=label if r == 0 else None,
                    )[0]
                    for col, label, colour in CITY_METRICS
                }
            )
        self.ax.set_ylim(0, 1)
        self.ax.set_ylabel("index 0–1", fontsize=fs * 0.8)
        self.ax.set_xlim(0, max(self.horizon - 1, 1))
        steps, ticks = year_ticks(model.date_of(0), self.horizon)
        self.ax.set_xticks(steps, ticks)
        self.ax.tick_params(labelsize=fs * 0.85)
        self.ax.grid(alpha=0.25)
        self.ax.legend(loc="upper right", fontsize=fs * 0.75, ncol=2, framealpha=0.75)
        if len(labels) > 1:
            handles = [Line2D([], [], color="0.15", ls=s, lw=1.5) for s in styles]
            self.fig.legend(
                handles,
                [short(x, 30) for x in labels],
                loc="upper left",
                bbox_to_anchor=(0, 1 - 1.4 * px / self.height),
                ncol=len(labels),
                fontsize=fs * 0.8,
                frameon=False,
            )
        # The title changes only with the city: it stays in the background (a text costs 3 ms).
        self.title = self.fig.text(0.01, 0.99, "", fontsize=fs * 1.1, va="top", weight="bold")
        self.caption = ""
        dynamic = [line for run in self.lines for line in run.values()]
        self.blit = Blitter(self.fig, dynamic)

    def render(self, histories: Sequence[Mapping[str, np.ndarray] | None], title: str) -> bytes:
        """Each run's history of the city (``sim.app.history.city_series``; None: not recorded)."""
        for lines, hist in zip(self.lines, histories, strict=True):
            x = np.zeros(0) if hist is None else hist["step"]
            for col, line in lines.items():
                y = hist.get(col) if hist is not None else None
                line.set_data(x, np.full(x.size, np.nan) if y is None else y)
        if title != self.caption:
            self.caption = title
            self.title.set_text(title)
            self.blit.invalidate()
        return self.blit.image()
