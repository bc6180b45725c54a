"""The Python API's arguments, checked like the command line's (``sim.cli.config.validate``).

:func:`check_model_arguments` is the first line of ``PeaceModel.__init__``: a negative seed, a
float horizon, params that are not a mapping, a text for a boolean lever or a negative
``cities_every`` fail there, as one :class:`~sim.errors.ConfigError` naming the argument, the
value and what is allowed, never later inside ``run()``. The command line shares the
messages: :func:`check_seed`, :func:`check_horizon` and :func:`check_output` are also what
``sim.cli.config.validate`` calls.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sim.engine.params import Levers, ModelParams
from sim.errors import ConfigError

MAX_SEED = 2**63
MAX_HORIZON = 6000


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_seed(seed: object, optional: bool = False) -> None:
    """A seed is a whole number in [0, 2^63) (None, in Python: Mesa draws one)."""
    if seed is None and optional:
        return
    if not _whole(seed) or not 0 <= seed < MAX_SEED:
        raise ConfigError("config", "seed", seed, "a whole number in [0, 2^63)")


def check_horizon(horizon: object) -> None:
    """None (the scenario's own horizon) or a whole number of months in [1, 6000]."""
    if horizon is not None and (not _whole(horizon) or not 1 <= horizon <= MAX_HORIZON):
        raise ConfigError(
            "config", "horizon", horizon, f"a whole number of months in [1, {MAX_HORIZON}]"
        )


def check_output(cities_every: object, cities_max: object) -> None:
    """How often and how many cities a run records: whole numbers >= 0."""
    for key, value in (("cities_every", cities_every), ("cities_max", cities_max)):
        if not _whole(value) or value < 0:
            raise ConfigError("config", f"output.{key}", value, "a whole number >= 0")


def check_model_arguments(
    scenario: object,
    seed: object,
    horizon: object,
    policy: object,
    params: object,
    levers: object,
    synthetic: object,
    cities_every: object,
    cities_max: object,
) -> None:
    """Every argument of ``PeaceModel(...)``, before anything is built."""
    from sim.scenario.case import Scenario
    from sim.scenario.synthetic import SyntheticSpec

    if not isinstance(scenario, str | Path | Scenario):
        raise ConfigError(
            "config", "scenario", scenario, "a scenario name, a scenario folder or a Scenario"
        )
    check_seed(seed, optional=True)
    check_horizon(horizon)
    if not isinstance(policy, str) or not policy:
        raise ConfigError("config", "policy", policy, "a policy name (text), e.g. 'baseline'")
    if params is not None and not isinstance(params, ModelParams):
        _check_tree(params, ModelParams(), "model", "model coefficients (model.<group>.<name>)")
    if levers is not None and not isinstance(levers, Levers):
        _check_tree(levers, Levers(), "levers", "levers", none_ok=True)
    if synthetic is not None and not isinstance(synthetic, SyntheticSpec):
        _check_tree(synthetic, SyntheticSpec(), "scenario", "synthetic generator knobs")
    check_output(cities_every, cities_max)


def _check_tree(value: object, schema: Any, prefix: str, what: str, none_ok: bool = False) -> None:
    """A (nested) mapping whose keys are fields of the dataclass ``schema`` and whose values
    have the fields' kinds; ranges are checked afterwards with the command line's own check
    (``sim.engine.params.validate_ranges``)."""
    names = [f.name for f in dataclasses.fields(schema)]
    if not isinstance(value, Mapping):
        raise ConfigError("config", prefix, value, f"a mapping of {what}: keys from {names}")
    for key, item in value.items():
        path = f"{prefix}.{key}"
        if key not in names:
            near = difflib.get_close_matches(str(key), names, n=1)
            hint = f"did you mean '{prefix}.{near[0]}'? " if near else ""
            raise ConfigError("config", path, item, f"{hint}a key of {what}: one of {names}")
        default = getattr(schema, key)
        if item is None and none_ok:
            continue
        if dataclasses.is_dataclass(default):
            _check_tree(item, default, path, what)
        elif isinstance(default, bool):
            if not isinstance(item, bool):
                raise ConfigError("config", path, item, "true or false")
        elif isinstance(default, int | float):
            if isinstance(item, bool) or not isinstance(item, int | float):
                raise ConfigError("config", path, item, "a number")
            if isinstance(default, int) and not isinstance(item, int):
                raise ConfigError("config", path, item, "a whole number")
        elif isinstance(default, str) and not isinstance(item, str):
            raise ConfigError("config", path, item, "text")
