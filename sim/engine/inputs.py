"""A run's inputs, resolved: the scenario (with its policy), the coefficients and the levers.

Shared by :class:`~sim.engine.model.PeaceModel` (one run) and
:class:`~sim.engine.ensemble.Ensemble` (batches), so both read a scenario, a parameter
override or a lever the same way and reject the same bad input.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sim.engine.params import Levers, ModelParams, validate_ranges
from sim.scenario.case import Scenario
from sim.scenario.synthetic import SyntheticSpec, generate


def reject_unknown_keys(value: Mapping, cls: type, where: str, allowed: str) -> None:
    """ConfigError naming the first key of ``value`` that ``cls`` has no field for."""
    names = [f.name for f in dataclasses.fields(cls)]
    unknown = sorted(set(value) - set(names))
    if unknown:
        from sim.errors import ConfigError

        raise ConfigError(where, unknown[0], value[unknown[0]], f"{allowed}: {names}")


def coerce(value: Any, cls: type) -> Any:
    """A dataclass from None, an instance, or a (nested) mapping of overrides."""
    if value is None:
        return cls()
    if isinstance(value, cls):
        return value
    if isinstance(value, Mapping):
        kwargs = {}
        defaults = cls()  # once: each group's default, not a whole new cls() per field
        for f in dataclasses.fields(cls):
            if f.name in value:
                sub = value[f.name]
                default = getattr(defaults, f.name)
                kwargs[f.name] = (
                    coerce(sub, type(default)) if dataclasses.is_dataclass(default) else sub
                )
        reject_unknown_keys(value, cls, "config", f"a key of {cls.__name__}")
        return cls(**kwargs)
    return value


def model_params(params: ModelParams | Mapping | None) -> ModelParams:
    """Checked coefficients from None, an instance or a nested mapping of overrides."""
    resolved: ModelParams = coerce(params, ModelParams)
    validate_ranges(resolved, "model")
    return resolved


def resolve_levers(case: Scenario, levers: Levers | Mapping | None) -> Levers:
    """Built-in defaults < scenario levers < policy levers < the caller's own settings."""
    if isinstance(levers, Levers):
        chosen = dataclasses.asdict(levers)
    else:
        chosen = {k: v for k, v in dict(levers or {}).items() if v is not None}
        reject_unknown_keys(chosen, Levers, "levers", "a lever: one of")
    resolved = dataclasses.replace(Levers(), **{**case.baseline_levers, **case.levers, **chosen})
    validate_ranges(resolved, "levers")
    return resolved


def load_case(
    scenario: str | Path | Scenario,
    seed: int | None = 0,
    horizon: int | None = None,
    policy: str = "baseline",
    synthetic: SyntheticSpec | Mapping | None = None,
) -> Scenario:
    """The scenario with its policy applied: a loaded one, a name or folder, or ``synthetic``
    (generated from ``seed``), run for ``horizon`` months (None: the scenario's own).

    A loaded :class:`Scenario` carries its policy already (``policy`` other than the default
    ``baseline`` must name it: a policy cannot be applied to loaded tables); with a horizon it
    is a shallow copy that stops at that month, as a loaded scenario's shorter run does (its
    dates were checked against its own span; a longer run's extra months have no events).
    """
    if isinstance(scenario, Scenario):
        if policy not in ("baseline", scenario.policy):
            from sim.errors import ConfigError

            raise ConfigError(
                "config", "policy", policy,
                f"the loaded scenario's own policy {scenario.policy!r} (load it with {policy!r})",
            )  # fmt: skip
        if horizon is not None and horizon != scenario.horizon:
            return dataclasses.replace(scenario, horizon=int(horizon))
        return scenario
    if scenario == "synthetic":
        spec = coerce(synthetic, SyntheticSpec)
        if horizon is not None:
            spec = dataclasses.replace(spec, horizon=horizon)
        return generate(spec, seed=0 if seed is None else int(seed))
    from sim.scenario.loader import load_scenario  # the format's checks: only to read files

    return load_scenario(scenario, policy=policy, horizon=horizon)
