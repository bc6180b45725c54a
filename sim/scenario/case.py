"""A validated scenario as the engine reads it (:class:`Scenario`), apart from the loader that
checks it, so that the engine and a stored scenario (``sim.scenario.compiled``) need neither
pydantic nor the format's checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the tables' types: a run from a stored scenario needs no pandas
    import pandas as pd
    import pyarrow as pa


@dataclass
class Scenario:
    """A validated scenario: tables and lists ready for :class:`sim.engine.model.PeaceModel`.

    ``actors`` and ``ties`` are DataFrames so that the synthetic generator can hand over
    hundreds of thousands of rows without Python objects per row; a scenario stored by the
    command line (``sim.cli.scenario_cache``) has them as Arrow tables of the same columns,
    so that a repeated run needs no pandas (``sim.engine.table_columns`` reads either).
    """

    name: str
    title: str
    start: int  # months since year 0
    horizon: int
    communities: list[str]
    divides: list[tuple[str, str]]
    countries: list[str]
    actors: pd.DataFrame | pa.Table
    ties: pd.DataFrame | pa.Table
    permissions: list[tuple[str, str, int]] = field(default_factory=list)
    hostility: list[tuple[str, str, float]] = field(default_factory=list)
    sanctioned: list[str] = field(default_factory=list)
    isolated: list[str] = field(default_factory=list)  # closed economies (rules.recovery)
    # steady capacities that move (sim.scenario.steady): actor id -> [[step, value], ...]
    steady_paths: dict[str, list[list]] = field(default_factory=dict)
    default_permission: int = 2
    programmes: list[dict[str, Any]] = field(default_factory=list)
    alliances: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    patterns: list[dict[str, Any]] = field(default_factory=list)
    policies: dict[str, dict[str, Any]] = field(default_factory=dict)
    watch: list[str] = field(default_factory=list)
    # the recipient side of the headline indices (ODD 7.9); empty: every programme recipient
    focus: list[str] = field(default_factory=list)
    policy: str = "baseline"
    levers: dict[str, Any] = field(default_factory=dict)  # set by the chosen policy
    baseline_levers: dict[str, Any] = field(default_factory=dict)  # set by scenario.yaml
    folder: Path | None = None
