"""A validated scenario as the engine reads it (:class:`Scenario`), apart from the loader that
checks it, so that the engine and a stored scenario (``sim.scenario.compiled``) need neither
pydantic nor the format's checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd


@dataclass
class Scenario:
    """A validated scenario: tables and lists ready for :class:`sim.engine.model.PeaceModel`.

    ``actors`` and ``ties`` are DataFrames so that the synthetic generator can hand over
    hundreds of thousands of rows without Python objects per row.
    """

    name: str
    title: str
    start: int  # months since year 0
    horizon: int
    communities: list[str]
    divides: list[tuple[str, str]]
    countries: list[str]
    actors: pd.DataFrame
    ties: pd.DataFrame
    permissions: list[tuple[str, str, int]] = field(default_factory=list)
    hostility: list[tuple[str, str, float]] = field(default_factory=list)
    sanctioned: list[str] = field(default_factory=list)
    default_permission: int = 2
    programmes: list[dict[str, Any]] = field(default_factory=list)
    alliances: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    patterns: list[dict[str, Any]] = field(default_factory=list)
    policies: dict[str, dict[str, Any]] = field(default_factory=dict)
    watch: list[str] = field(default_factory=list)
    policy: str = "baseline"
    levers: dict[str, Any] = field(default_factory=dict)  # set by the chosen policy
    baseline_levers: dict[str, Any] = field(default_factory=dict)  # set by scenario.yaml
    folder: Path | None = None
