"""Compare mode in numbers: the chosen city, the recipient side and the whole model, per run.

The whole model's population-weighted means can hide a contrast (in tuzla, twenty Dutch cities
outweigh Tuzla), so the table leads with the city a student inspects and with the recipient
side: the cities of every country that receives a programme.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

CITY_ROWS = (
    ("positive peace", "positive_peace"),
    ("negative peace 1−D", "negative_peace"),
    ("needs", "needs"),
    ("capacity", "capacity"),
    ("displaced (share of pop.)", "displaced_share"),
)
MODEL_ROWS = (
    ("peace (all cities)", "peace"),
    ("cross-divide trust", "cross_divide_trust"),
    ("development gates open (share of ties)", "gate_open_development"),
    ("IO share of funds", "io_share"),
    ("development projects active", "projects_active_development"),
)


def city_values(model: Any, rows: np.ndarray) -> dict[str, float]:
    """Population-weighted current values over city ``rows`` of a model."""
    c = model.cities
    rows = np.asarray(rows, dtype=np.int64)
    if rows.size == 0:
        return {key: float("nan") for _, key in CITY_ROWS}
    w = c.population[rows]
    w = w / w.sum() if w.sum() > 0 else np.full(rows.size, 1.0 / rows.size)
    values = {
        "positive_peace": np.sqrt(np.clip((1 - c.S[rows]) * (1 - c.C[rows]), 0, 1)),
        "negative_peace": 1.0 - c.D[rows],
        "needs": c.needs[rows],
        "capacity": c.capacity[rows],
    }
    out = {k: float(np.dot(w, v)) for k, v in values.items()}
    out["displaced_share"] = float(
        min(c.displaced[rows].sum() / max(c.population[rows].sum(), 1.0), 1.0)
    )
    return out


def recipient_side(models: Sequence[Any]) -> tuple[np.ndarray, str]:
    """City rows of every country with a programme recipient (in any run), and a label."""
    m = models[0]
    countries: set[str] = set()
    for model in models:
        for prog in model.case.programmes:
            for rid in prog.get("recipients", ()):
                row = model.actor_index.get(rid)
                if row is not None and row < model.n_cities:
                    countries.add(str(model.actor_frame["country"].iloc[row]))
    codes = [m.country_index[c] for c in sorted(countries) if c in m.country_index]
    rows = np.flatnonzero(np.isin(m.city_country, codes))
    label = f"recipient side ({', '.join(sorted(countries))}: {rows.size} cities)"
    return rows, label


def compare_table(
    models: Sequence[Any],
    labels: Sequence[str],
    series: Sequence[Mapping[str, Any]],
    city: int | None,
    city_label: str = "",
    reference: int = 1,
) -> tuple[list[str], list[list[Any]]]:
    """(header, rows): each metric's value per run now, and each run minus the ``reference``.

    Rows: the chosen city (if any), the recipient side, then whole-model series (``series``:
    each run's columns, a DataFrame or arrays; their last value is the current one).
    """
    ref = min(max(reference, 0), len(models) - 1)
    others = [i for i in range(len(models)) if i != ref]
    header = ["", "metric", *labels] + [f"{labels[i]} − {labels[ref]}" for i in others]
    rows: list[list[Any]] = []

    def add(group: str, name: str, values: list[float]) -> None:
        diffs = [values[i] - values[ref] for i in others]
        rows.append([group, name, *values, *diffs])

    groups: list[tuple[str, np.ndarray]] = []
    if city is not None:
        groups.append((city_label or "chosen city", np.array([city])))
    side, side_label = recipient_side(models)
    if side.size:
        groups.append((side_label, side))
    for group, rows_ in groups:
        per_run = [city_values(m, rows_) for m in models]
        for name, key in CITY_ROWS:
            add(group, name, [v[key] for v in per_run])
    for name, key in MODEL_ROWS:
        values = [_last(ts, key) for ts in series]
        add("whole model", name, values)
    return header, rows


def _last(series: Mapping[str, Any], key: str) -> float:
    values = np.asarray(series[key], dtype=float) if key in series else np.zeros(0)
    return float(values[-1]) if values.size else float("nan")


def compare_frame(
    runs: Mapping[str, pd.DataFrame], columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """Long table (step, date, run, series, value) of the same series from several runs."""
    parts = []
    for label, ts in runs.items():
        cols = [c for c in (columns or ts.columns) if c in ts and c not in ("step", "date")]
        if ts.empty or not cols:
            continue
        long = ts[["step", "date", *cols]].melt(
            id_vars=["step", "date"], var_name="series", value_name="value"
        )
        long.insert(2, "run", label)
        parts.append(long)
    if not parts:
        return pd.DataFrame(columns=["step", "date", "run", "series", "value"])
    return pd.concat(parts, ignore_index=True)
