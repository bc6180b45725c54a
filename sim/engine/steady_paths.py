"""Steady capacities that move (ODD 7.6, branch growth), compiled for the run.

A scenario's dated points (``Scenario.steady_paths``, actor id -> ``[[step, value], ...]``) are
turned into a (months + 1, M) table of ``K_ss`` for the M cities that have them: piecewise
linear between the points, constant before the first and after the last. The violence stage
reads the month's level and its change to the next month (the slope term of the gap target,
``sim.rules.recovery.moving_target``). A scenario without points has none (``None``), and its
run is the fixed rule's bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class SteadyPaths:
    """The cities with a moving steady state and their ``K_ss`` month by month."""

    cities: np.ndarray  # (M,) city rows
    levels: np.ndarray  # (months + 1, M) K_ss at each step; the last row repeats for later steps

    def at(self, step: int) -> tuple[np.ndarray, np.ndarray]:
        """(M,) ``K_ss`` at ``step`` and its change to the next step (0 past the table)."""
        last = self.levels.shape[0] - 1
        now = self.levels[min(step, last)]
        return now, self.levels[min(step + 1, last)] - now


def compile_paths(
    paths: dict[str, list[list]], actor_index: dict[str, int], n_cities: int, horizon: int
) -> SteadyPaths | None:
    """The table for ``paths`` over steps 0..horizon (None without any path)."""
    if not paths:
        return None
    ids = sorted(paths, key=lambda a: actor_index[a])
    cities = np.array([actor_index[a] for a in ids], dtype=np.int64)
    if (cities >= n_cities).any():  # the loader gives paths to municipalities only
        raise ValueError("a steady path for an actor that is not a city")
    steps = np.arange(horizon + 1, dtype=np.float64)
    levels = np.empty((horizon + 1, len(ids)))
    for j, a in enumerate(ids):
        at, value = np.asarray(paths[a], dtype=np.float64).T
        levels[:, j] = np.interp(steps, at, value)  # constant outside the points
    return SteadyPaths(cities=cities, levels=levels)
