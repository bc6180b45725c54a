"""Dated steady capacities checked against the scenario's calendar (branch growth, ODD 7.6).

The loader keeps each city's points as steps of the run
(:attr:`sim.scenario.case.Scenario.steady_paths`, actor id -> ``[[step, value], ...]``) and
puts the path's value at the start in the actor table's ``steady_capacity`` column. The points'
own keys and values are checked by the schema (``sim.scenario.steady``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.scenario.dates import format_month
from sim.scenario.windows import step

if TYPE_CHECKING:
    from sim.scenario.references import Entry
    from sim.scenario.steady import SteadyPoint


def path_steps(entry: Entry, points: list[SteadyPoint], start: int, horizon: int) -> list[list]:
    """``[[step, value], ...]``: each point's step of the run (inside the horizon, strictly
    increasing) and value; one line naming the point's key otherwise."""
    out: list[list] = []
    for i, point in enumerate(points):
        key = f"steady_capacity[{i}].date"
        at = step(entry, key, point.date, start, horizon)
        if out and at <= out[-1][0]:
            before = format_month(start + out[-1][0])
            raise entry.fail(key, point.date, f"a date after the point before it ({before})")
        out.append([at, float(point.value)])
    return out


def level_at(path: list[list], month: int) -> float:
    """``K_ss`` at step ``month`` on a path of ``[step, value]`` points (constant outside)."""
    if month <= path[0][0]:
        return path[0][1]
    for (s0, v0), (s1, v1) in zip(path, path[1:], strict=False):
        if month <= s1:
            return v0 + (v1 - v0) * (month - s0) / (s1 - s0)
    return path[-1][1]


def steady_paths(
    entries: list[Entry], rows: list[dict[str, Any]], start: int, horizon: int
) -> dict[str, list[list]]:
    """Each municipality's dated path by actor id (``[[step, value], ...]``), checked; the
    rows' ``steady_capacity`` becomes the path's value at the start (the actor table's column
    stays a number: what the city's steady state is in the first month)."""
    paths: dict[str, list[list]] = {}
    for entry, row in zip(entries, rows, strict=True):
        points = entry.record.steady_capacity
        if isinstance(points, list):
            path = path_steps(entry, points, start, horizon)
            paths[entry.record.id] = path
            row["steady_capacity"] = level_at(path, 0)
    return paths
