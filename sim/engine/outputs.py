"""A batch's outputs as plain arrays, and each replicate's tidy frames built from them.

:class:`Outputs` holds what a finished (or running) batch recorded: the (R, months, series)
blocks of model-level series, the city-level rows, the events and the project log. It holds
no model and pickles cheaply, so a worker process can hand a whole batch back. Frames are
built per replicate only when asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.scenario.dates import format_month

EVENT_COLUMNS = ["step", "date", "type", "detail", "source", "assumption", "origin"]
STATUS_NAMES = ("active", "completed", "interrupted")
CITY_KEYS = ["step", "date", "id"]


@dataclass
class Outputs:
    """Everything a batch recorded (see the module docstring)."""

    start: int  # the scenario's first month (months since year 0)
    ids: np.ndarray  # actor ids by row
    rows: int  # months recorded
    names: dict[str, list[str]]  # block -> its series
    blocks: dict[str, np.ndarray]  # block -> (R, months, series)
    city_sample: np.ndarray
    city_chunks: list[dict[str, Any]]
    city_columns: list[str]
    events: list[tuple[int, dict[str, Any]]]  # (replicate, or -1 for every one; row)
    projects: dict[str, np.ndarray]  # the project log's columns, with ``replicate``
    failed: dict[int, str] = field(default_factory=dict)

    def date_of(self, step: int) -> str:
        return format_month(self.start + step)

    def timeseries(self, replicate: int = 0) -> pd.DataFrame:
        """One replicate's model-level series, with a date column."""
        if not self.rows:  # before the first month: an empty frame with the key columns
            return pd.DataFrame({"step": pd.Series(dtype=np.int64), "date": pd.Series(dtype=str)})
        names = [name for key in self.blocks for name in self.names[key]]
        data = np.concatenate(
            [block[replicate, : self.rows] for block in self.blocks.values()], axis=1
        )
        if len(set(names)) == len(names):
            frame = pd.DataFrame(data, columns=names)
        else:  # a name in two blocks: the later block's values, at the first place
            frame = pd.DataFrame(dict(zip(names, data.T, strict=True)))
        frame["step"] = frame["step"].astype(np.int64)
        frame.insert(1, "date", [self.date_of(int(s)) for s in frame["step"]])
        return frame

    def cities(self, replicate: int = 0) -> pd.DataFrame:
        """One replicate's city-level rows."""
        if not self.city_chunks:
            return pd.DataFrame(columns=[*CITY_KEYS, *self.city_columns])
        size = self.city_sample.size
        steps = np.array([chunk["step"] for chunk in self.city_chunks], dtype=np.int64)
        columns = {
            "step": np.repeat(steps, size),
            "date": np.repeat(np.array([self.date_of(int(s)) for s in steps], dtype=object), size),
            "id": np.tile(self.ids[self.city_sample], steps.size),
        }
        for name in self.city_chunks[0]:
            if name != "step":
                columns[name] = np.concatenate(
                    [chunk[name][replicate] for chunk in self.city_chunks]
                )
        return pd.DataFrame(columns)

    def events_frame(self, replicate: int = 0) -> pd.DataFrame:
        """Scenario events and one replicate's own events, in the order they happened."""
        rows = [row for r, row in self.events if r in (-1, replicate)]
        return pd.DataFrame(rows, columns=EVENT_COLUMNS)

    def activities(self, replicate: int = 0) -> pd.DataFrame:
        """One replicate's development project log."""
        log = self.projects
        mine = log["replicate"] == replicate
        frame = pd.DataFrame({k: v[mine] for k, v in log.items() if k != "replicate"})
        frame["provider"] = self.ids[frame["provider"].to_numpy()] if len(frame) else []
        frame["recipient"] = self.ids[frame["recipient"].to_numpy()] if len(frame) else []
        frame["status"] = pd.Categorical.from_codes(frame["status"].astype(int), STATUS_NAMES)
        frame["pillar"] = "development"
        frame["channel"] = np.where(frame["io_channel"], "io", "direct")
        frame["start_date"] = [self.date_of(s) for s in frame["start"]]
        return frame.drop(columns=["io_channel", "programme"])
