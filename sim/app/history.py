"""The recorded months as plain arrays, read in place: what the live figures draw each month.

Building a run's whole ``timeseries()`` DataFrame (and, for the inspected city, filtering the
all-city frame) every month cost more than drawing the month, and grew with the run. Here the
model-level series are views into the recorder's preallocated blocks (no copy), and a city's
history is extended by the months recorded since the last read. DataFrames stay the format of
exports and tables, which are built once, not 20 times a second.
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

# A city's own series the figures draw (its ``displaced_share`` is derived from ``displaced``).
CITY_SERIES = ("positive_peace", "negative_peace", "peace", "D", "needs", "capacity", "displaced")

_INDEX: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # recorder -> {name: (block, i)}
_CITIES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # recorder -> {row: _CityTrack}


def _index(recorder: Any) -> dict[str, tuple[str, int]]:
    """Where each series lives in the recorder's blocks (the first block that has it)."""
    found = _INDEX.get(recorder)
    if found is None or len(found.get("", ())) != len(recorder.names):
        found = {"": tuple(recorder.names)}  # remembers which blocks it has seen
        for key, names in recorder.names.items():
            for i, name in enumerate(names):
                found.setdefault(name, (key, i))
        if recorder.names:
            _INDEX[recorder] = found
    return found


def model_series(model: Any, columns: tuple[str, ...]) -> dict[str, np.ndarray]:
    """``step`` and each of ``columns`` over the months run so far (NaN where not recorded).

    ``displaced_share`` is displaced people over the whole population, clipped to [0, 1].
    Arrays are read-only views that the next month may extend; copy to keep them.
    """
    rec = model.recorder
    rows = int(rec.rows)
    index = _index(rec)
    out: dict[str, np.ndarray] = {}
    for name in ("step", *columns):
        source = "displaced" if name == "displaced_share" else name
        where = index.get(source)
        if where is None or not rows:
            out[name] = np.full(rows, np.nan)
            continue
        values = rec.blocks[where[0]][0, :rows, where[1]]
        if name == "displaced_share":
            population = max(float(model.cities.population.sum()), 1.0)
            values = np.clip(values / population, 0.0, 1.0)
        out[name] = values
    return out


class _CityTrack:
    """One city's recorded months, extended in place as chunks arrive."""

    def __init__(self, recorder: Any, row: int) -> None:
        sample = recorder.city_sample
        j = int(np.searchsorted(sample, row))
        self.column = j if j < sample.size and int(sample[j]) == row else -1
        size = max(int(recorder.world.horizon), 1)
        self.steps = np.zeros(size)
        self.values = {name: np.full(size, np.nan) for name in CITY_SERIES}
        self.seen = 0

    def update(self, chunks: list[dict[str, Any]]) -> int:
        """Copy the chunks recorded since the last call; returns how many months are known."""
        if self.column < 0:
            return 0
        for k in range(self.seen, len(chunks)):
            chunk = chunks[k]
            self.steps[k] = chunk["step"]
            for name in CITY_SERIES:
                if name in chunk:
                    self.values[name][k] = chunk[name][0, self.column]
        self.seen = len(chunks)
        return self.seen


def city_series(model: Any, row: int) -> dict[str, np.ndarray] | None:
    """``step`` and the city's own series over its recorded months, or None if not recorded.

    Large worlds record a sample of cities (``sim.engine.observe``); a city outside it has no
    history. ``displaced_share`` is the city's displaced people over its population.
    """
    rec = model.recorder
    tracks = _CITIES.setdefault(rec, {})
    track = tracks.get(row)
    if track is None:
        track = tracks[row] = _CityTrack(rec, row)
    if track.column < 0:
        return None
    n = track.update(rec.city_chunks)
    out = {"step": track.steps[:n], **{k: v[:n] for k, v in track.values.items()}}
    population = max(float(model.cities.population[row]), 1.0)
    out["displaced_share"] = np.clip(out["displaced"] / population, 0.0, 1.0)
    return out
