"""The model's hot state as structs of arrays: cities, actors, ties and a growing project log.

Mesa agents read and write their own row of these arrays (see ``sim.engine.agents``); the rules work
on whole columns at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# Project status codes in the activity log.
ACTIVE, COMPLETED, INTERRUPTED = 0, 1, 2
STATUS_NAMES = ("active", "completed", "interrupted")


@dataclass
class CityArrays:
    """Per-municipality state (length N); indices are in [0, 1]."""

    D: np.ndarray
    S: np.ndarray
    C: np.ndarray
    needs: np.ndarray
    capacity: np.ndarray
    cohesion: np.ndarray
    participation: np.ndarray
    population: np.ndarray
    displaced: np.ndarray
    diversity: np.ndarray
    pressure: np.ndarray
    dependency: np.ndarray
    last_received: np.ndarray  # (N, 3) last step each pillar arrived
    received: np.ndarray  # (N, 3) money received this month

    @property
    def displaced_share(self) -> np.ndarray:
        return self.displaced / (self.population + self.displaced)


@dataclass
class ActorArrays:
    """Per-actor attributes (length A); municipalities come first, rows 0..N-1."""

    ids: np.ndarray
    type: np.ndarray  # index into loader.ACTOR_TYPES
    country: np.ndarray
    community: np.ndarray  # -1 where none
    middle: np.ndarray  # Lederach middle range
    is_io: np.ndarray
    resources: np.ndarray
    will: np.ndarray
    mandate: np.ndarray  # (A, 3)
    neutrality: np.ndarray
    conflict_sensitivity: np.ndarray
    risk_tolerance: np.ndarray
    sanction_exempt: np.ndarray


@dataclass
class TieArrays:
    """Per-tie state (length E)."""

    src: np.ndarray
    dst: np.ndarray
    type: np.ndarray  # index into loader.TIE_TYPES
    trust: np.ndarray
    memory: np.ndarray
    intensity: np.ndarray
    age: np.ndarray
    cross_divide: np.ndarray
    human_security: np.ndarray
    active: np.ndarray
    carries: np.ndarray  # twinning, partnership or funding: ties that carry activities
    last_contact: np.ndarray
    project: np.ndarray  # row in the project log, -1 when none is active


@dataclass
class ProjectLog:
    """Development projects, appended as they start; grows by doubling."""

    capacity: int = 1024
    size: int = 0
    columns: dict[str, np.ndarray] = field(default_factory=dict)

    _SPEC = {
        "tie": np.int64,
        "provider": np.int64,
        "recipient": np.int64,
        "programme": np.int64,
        "io_channel": np.bool_,
        "start": np.int64,
        "end": np.int64,
        "duration": np.int64,
        "progress": np.float64,
        "spent": np.float64,
        "status": np.int8,
    }

    def __post_init__(self) -> None:
        self.columns = {k: np.zeros(self.capacity, dtype=t) for k, t in self._SPEC.items()}
        self.columns["end"][:] = -1

    def append(self, **values: np.ndarray) -> np.ndarray:
        """Append rows (all arrays of one length); returns their row indices."""
        n = len(next(iter(values.values())))
        if self.size + n > self.capacity:
            new_cap = max(self.capacity * 2, self.size + n)
            for key, col in self.columns.items():
                grown = np.zeros(new_cap, dtype=col.dtype)
                grown[: self.size] = col[: self.size]
                if key == "end":
                    grown[self.size :] = -1
                self.columns[key] = grown
            self.capacity = new_cap
        rows = np.arange(self.size, self.size + n)
        for key, val in values.items():
            self.columns[key][rows] = val
        self.size += n
        return rows

    def __getitem__(self, key: str) -> np.ndarray:
        return self.columns[key]
