"""Scenarios are data: a folder of YAML/CSV files, or the seeded synthetic generator."""

from sim.scenario.loader import Scenario, available_scenarios, load_scenario

__all__ = ["Scenario", "available_scenarios", "load_scenario"]
