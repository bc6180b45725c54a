"""Scenarios are data: a folder of YAML/CSV files, or the seeded synthetic generator."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["Scenario", "available_scenarios", "load_scenario"]

if TYPE_CHECKING:
    from sim.scenario.loader import Scenario, available_scenarios, load_scenario


def __getattr__(name: str) -> Any:
    # The loader (pydantic and the format's checks) is imported on first use: the engine
    # imports this package's plain modules (vocabulary, case, dates) without it.
    if name in __all__:
        from sim.scenario import loader

        return getattr(loader, name)
    raise AttributeError(f"module 'sim.scenario' has no attribute {name!r}")
