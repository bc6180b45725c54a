"""A seeded generator of synthetic city-network worlds, for teaching and benchmarks.

N cities in K countries, each country split into communities; divides run inside countries and
between hostile country pairs. Twinning follows a Chung-Lu graph with Pareto weights, so the
degree distribution is heavy-tailed like real twinning networks (a few hubs such as Seoul with
70+ partners, 001:1298-1331, most cities with a handful). Everything is vectorised: no Python
loop over cities or ties.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.errors import ScenarioError
from sim.scenario.case import Scenario
from sim.scenario.dates import parse_month
from sim.scenario.synthetic_draws import Draws, draw, tie_columns

# Rough bytes per city of a built model (arrays for cities, ~5 ties each, agents, recorder);
# measured on N = 100,000 and rounded up, used by the memory guard below.
BYTES_PER_CITY = 6_000


@dataclass
class SyntheticSpec:
    """The generator's knobs (mirrors ``SyntheticScenarioConfig`` in sim.cli.config)."""

    n_cities: int = 1000
    n_countries: int = 10
    communities_per_country: int = 2
    hostile_pairs: int = 3
    n_networks: int = 5
    network_share: float = 0.3
    mean_degree: float = 6.0
    degree_exponent: float = 2.5
    n_ngos: int = 20
    ngo_reach: int = 10
    n_ios: int = 4
    io_reach: int = 50
    start: str = "2000-01"
    horizon: int = 240
    violence_waves: int = 4
    memory_limit_gb: float = 16.0


def check_spec(spec: SyntheticSpec) -> None:
    """Refuse impossible or memory-busting sizes before any allocation."""
    bounds = {
        "n_cities": (2, 5_000_000),
        "n_countries": (1, 1000),
        "communities_per_country": (1, 50),
        "hostile_pairs": (0, 100_000),
        "n_networks": (0, 10_000),
        "n_ngos": (0, 100_000),
        "ngo_reach": (1, 10_000),
        "n_ios": (0, 10_000),
        "io_reach": (1, 1_000_000),
        "horizon": (1, 6000),
        "violence_waves": (0, 10_000),
    }
    for key, (lo, hi) in bounds.items():
        value = getattr(spec, key)
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise ScenarioError(
                "scenario=synthetic", f"scenario.{key}", value, f"a whole number in [{lo}, {hi}]"
            )
    for key, lo, hi in (
        ("network_share", 0, 1),
        ("mean_degree", 0, 1000),
        ("degree_exponent", 1.01, 10),
        ("memory_limit_gb", 0.1, 4096),
    ):
        value = getattr(spec, key)
        if not isinstance(value, int | float) or not np.isfinite(value) or not lo <= value <= hi:
            raise ScenarioError(
                "scenario=synthetic", f"scenario.{key}", value, f"a number in [{lo}, {hi}]"
            )
    if spec.mean_degree >= spec.n_cities:
        raise ScenarioError(
            "scenario=synthetic",
            "scenario.mean_degree",
            spec.mean_degree,
            f"less than n_cities ({spec.n_cities})",
        )
    need = spec.n_cities * (BYTES_PER_CITY + 80 * spec.mean_degree) / 1e9
    if need > spec.memory_limit_gb:
        raise ScenarioError(
            "scenario=synthetic",
            "scenario.n_cities",
            spec.n_cities,
            f"a size whose estimated memory ({need:.1f} GB) fits "
            f"scenario.memory_limit_gb = {spec.memory_limit_gb} GB",
        )
    try:
        parse_month(spec.start)
    except ValueError:
        raise ScenarioError(
            "scenario=synthetic", "scenario.start", spec.start, "a date YYYY-MM"
        ) from None


def generate(spec: SyntheticSpec, seed: int) -> Scenario:
    """Build a synthetic scenario; the same spec and seed give the same world. Its actors
    and ties are pandas frames (as a scenario read from files has them)."""
    import pandas as pd

    check_spec(spec)
    world = draw(spec, seed)
    cities = pd.DataFrame(world.city_cols)
    cities["name"] = cities["id"]
    actors = pd.concat([cities, pd.DataFrame(world.others)], ignore_index=True)
    categories = pd.Index(actors["id"])
    src, dst, kinds, kind_codes, trust, hs = tie_columns(world.tie_parts)
    ties = pd.DataFrame(
        {
            "src": pd.Categorical.from_codes(src, categories=categories),
            "dst": pd.Categorical.from_codes(dst, categories=categories),
            "type": pd.Categorical.from_codes(kind_codes, categories=kinds),
            "trust": trust,
            "memory": 0.0,
            "human_security": hs,
        }
    )
    return _scenario(spec, world, actors, ties)


def generate_columns(spec: SyntheticSpec, seed: int) -> Scenario:
    """:func:`generate`'s world with its actors and ties as mappings of numpy columns, as a
    stored scenario has them (``sim.engine.table_columns`` reads either): the same values
    in the same order, made without pandas (importing it and building the frames cost the
    command line more than the writes at 10,000 cities; tests/test_synthetic_columns.py
    checks both give the same tables and the same run)."""
    check_spec(spec)
    world = draw(spec, seed)
    n = spec.n_cities
    columns = list(world.city_cols) + ["name"]
    actors: dict[str, np.ndarray] = {}
    for name in columns:
        own = world.city_cols.get(name, world.city_cols["id"])
        others = [row[name] for row in world.others]
        actors[name] = _column(own, others, n)
    src, dst, kinds, kind_codes, trust, hs = tie_columns(world.tie_parts)
    ids = actors["id"]
    ties = {
        "src": ids[src],
        "dst": ids[dst],
        "type": np.array(kinds, dtype=object)[kind_codes],
        "trust": trust,
        "memory": np.zeros(trust.size),
        "human_security": hs,
    }
    return _scenario(spec, world, actors, ties)


def _column(own: object, others: list, n: int) -> np.ndarray:
    """One actor column: the cities' values (an array, or one value for all) followed by the
    other actors', typed as the pandas frame of :func:`generate` has it (text and missing
    text as objects, numbers as float64 or int64, flags as bool)."""
    values = np.asarray(own)
    kinds = {type(v) for v in others} | ({type(own)} if values.ndim == 0 else set())
    if values.dtype.kind in "OU" or str in kinds or type(None) in kinds:
        dtype: object = object
    elif values.dtype.kind == "b" and kinds <= {bool}:
        dtype = bool
    elif values.dtype.kind in "iu" and kinds <= {int}:
        dtype = np.int64
    else:
        dtype = np.float64
    out = np.empty(n + len(others), dtype=dtype)
    out[:n] = values
    out[n:] = others
    return out


def _scenario(spec: SyntheticSpec, world: Draws, actors: Any, ties: Any) -> Scenario:
    n, k = spec.n_cities, spec.n_countries
    return Scenario(
        name="synthetic",
        title=f"Synthetic world: {n} cities in {k} countries",
        start=parse_month(spec.start),
        horizon=spec.horizon,
        communities=world.communities,
        divides=world.divides,
        countries=world.countries,
        actors=actors,
        ties=ties,
        hostility=world.hostility,
        events=world.events,
        watch=[],
    )
