"""Design files: what a design is, and how ``configs/design/<name>.yaml`` is read and checked.

A design (``configs/design/<name>.yaml``) names the parameters to vary and their ranges (by
default the ranges declared in sim.engine.params), a method, a size and the number of
replications. Its file is checked by a strict schema (pydantic, as the scenario files are:
an unknown key is refused with the nearest known one), and the number of runs it plans is
bounded before anything is sampled, so a bound holds on ``--dry-run`` too. How a design is
sampled and seeded is ``sim.experiments.design``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import numpy as np
from pydantic import BeforeValidator, Field

from sim.errors import CitypeaceError, ConfigError
from sim.scenario.fields import (
    Boolean,
    Choice,
    Record,
    Text,
    Whole,
    allowed,
    nearest,
    unknown_key,
)

METHODS = ("lhs", "sobol", "morris", "replicate")
# A plan is held in memory (and written to design.parquet): about 1 KB a run, so a million
# runs is about a gigabyte. Larger experiments are several sweeps, or an Ensemble in Python.
MAX_RUNS = 1_000_000
SEED_MAX = 2**63 - 1  # design.parquet keeps the root seed as a 64-bit integer


RANGE_KEYS = ["low", "high", "integer"]  # a range written as a mapping
SPEC = "[low, high], {low: .., high: .., integer: ..} or null (the declared range)"


def _spec(value: Any) -> Any:
    """A parameter's range as written: ``[low, high]``, a mapping of RANGE_KEYS or null."""
    if value is None or value == {}:
        return None
    if isinstance(value, dict):
        error = unknown_key(value, RANGE_KEYS)
        if error is not None:
            raise error
        if not {"low", "high"} <= set(value):
            raise allowed(f"{SPEC}: both low and high")
        if not isinstance(value.get("integer", False), bool):
            raise allowed(f"{SPEC}: integer is true or false")
        return dict(value)
    if isinstance(value, list | tuple) and len(value) == 2:
        return list(value)
    raise allowed(SPEC)


Spec = Annotated[Any, BeforeValidator(_spec)]


class DesignFile(Record):
    """The keys of a design file (``configs/design/*.yaml``) and what each allows."""

    description: Text(300, "text saying what the design is for") | None = None
    method: Choice(*METHODS) = "lhs"
    n: Whole(1, MAX_RUNS) = 64
    replications: Whole(1, MAX_RUNS) = 1
    root_seed: Whole(0, SEED_MAX) = 20240601
    levels: Whole(2, 1000) = 4
    second_order: Boolean = False
    scramble: Boolean = True
    parameters: dict[str, Spec] = Field(
        default_factory=dict,
        description=f"a mapping of config key to {SPEC}",
    )


DESIGN_KEYS = tuple(DesignFile.known_keys())


@dataclass
class Parameter:
    """One varied config key and its sampling range."""

    key: str
    low: float
    high: float
    integer: bool = False


@dataclass
class Design:
    """A sampling plan: method, size, replications and the parameters with their ranges."""

    name: str
    method: str = "lhs"
    n: int = 64
    replications: int = 1
    root_seed: int = 20240601
    levels: int = 4  # Morris grid levels
    second_order: bool = False  # Sobol second-order indices (n * (2d + 2) runs)
    scramble: bool = True  # Sobol sequence scrambling
    description: str = ""
    parameters: list[Parameter] = field(default_factory=list)

    @property
    def problem(self) -> dict[str, Any]:
        """The SALib problem dictionary."""
        return {
            "num_vars": len(self.parameters),
            "names": [p.key for p in self.parameters],
            "bounds": [[p.low, p.high] for p in self.parameters],
        }

    @property
    def points(self) -> int:
        """How many design points :func:`sample` draws (before combinations and seeds)."""
        d = len(self.parameters)
        if self.method == "replicate":
            return 1
        if self.method == "sobol":
            return self.n * (2 * d + 2 if self.second_order else d + 2)
        if self.method == "morris":
            return self.n * (d + 1)
        return self.n


def design_dir() -> Path:
    """``configs/design/`` next to the Hydra configs."""
    from sim.cli.config import config_dir

    return config_dir() / "design"


def declared_ranges() -> dict[str, tuple[float, float, bool]]:
    """(low, high, is-integer) of every ranged coefficient and lever in sim.engine.params."""
    from sim.engine.params import Levers, ModelParams, parameter_table

    rows = parameter_table(ModelParams(), "model") + parameter_table(Levers(), "levers")
    return {
        r["key"]: (
            float(r["range"][0]),
            float(r["range"][1]),
            isinstance(r["default"], int) and not isinstance(r["default"], bool),
        )
        for r in rows
    }


def load_design(name: str, overrides: Sequence[str] = ()) -> Design:
    """Read ``configs/design/<name>.yaml`` (or a path) and apply ``design.<key>=value``."""
    from sim.scenario.yaml_io import parse_yaml, read_yaml

    path = Path(name)
    if not path.suffix:
        path = design_dir() / f"{name}.yaml"
    if not path.is_file():
        options = sorted(p.stem for p in design_dir().glob("*.yaml"))
        raise ConfigError("config", "design", name, f"one of {options} or a design YAML file")
    path = path.resolve()
    where = str(path)
    raw = _as_config_error(lambda: read_yaml(path))
    raw = {} if raw is None else raw
    given = []
    for item in overrides:
        key, _, value = item.partition("=")
        key = key.removeprefix("design.")
        settable = [k for k in DESIGN_KEYS if k != "parameters"]
        if key not in settable:
            near = nearest(key, settable)
            hint = f"did you mean 'design.{near}'? " if near else ""
            raise ConfigError("command line", f"design.{key}", value, f"{hint}one of {settable}")
        if not isinstance(raw, dict):
            break  # the file itself is refused below, naming the file
        raw[key] = _as_config_error(lambda v=value: parse_yaml(v), "command line")
        given.append(key)
    try:
        return check_design(path.stem, raw, where)
    except ConfigError as exc:
        if exc.key in given:  # the command line's value, not the file's
            raise ConfigError("command line", f"design.{exc.key}", exc.value, exc.allowed) from None
        raise


def _as_config_error(read: Any, where: str | None = None) -> Any:
    """``read()``, with the scenario reader's error as a ConfigError (the same one line)."""
    try:
        return read()
    except CitypeaceError as exc:
        raise ConfigError(where or exc.where, exc.key, exc.value, exc.allowed) from None


def check_design(name: str, raw: Any, where: str) -> Design:
    """The design a file's data describes, checked; one ConfigError naming the file if not."""
    from sim.scenario.validation import parse

    data = _as_config_error(lambda: parse(DesignFile, raw, where))
    design = Design(
        name=name,
        method=data.method,
        n=data.n,
        replications=data.replications,
        root_seed=data.root_seed,
        levels=data.levels,
        second_order=data.second_order,
        scramble=data.scramble,
        description=data.description or "",
    )
    if design.method == "sobol" and design.n & (design.n - 1):
        raise ConfigError(where, "n", design.n, "a power of 2 for a Sobol design")
    declared = declared_ranges()
    for key, spec in data.parameters.items():
        design.parameters.append(_parameter(key, spec, declared, where))
    if design.method != "replicate" and not design.parameters:
        raise ConfigError(where, "parameters", {}, "at least one parameter to vary")
    if design.method == "replicate" and design.parameters:
        raise ConfigError(where, "parameters", list(data.parameters), "none for 'replicate'")
    runs = design.points * design.replications
    if runs > MAX_RUNS:
        raise ConfigError(
            where, "n", design.n, f"a design of at most {MAX_RUNS:,} runs ({runs:,} planned)"
        )
    return design


def _parameter(
    key: str, spec: Any, declared: dict[str, tuple[float, float, bool]], where: str
) -> Parameter:
    """A parameter from ``[low, high]``, ``{low, high, integer}`` or None (the declared range)."""
    if key not in declared and not key.startswith("scenario."):
        near = nearest(key, list(declared))
        hint = f"did you mean {near!r}? " if near else ""
        raise ConfigError(
            where,
            f"parameters.{key}",
            spec,
            f"{hint}a ranged key of sim/engine/params.py (docs/parameters.md) or scenario.*",
        )
    lo_decl, hi_decl, integer = declared.get(key, (-np.inf, np.inf, False))
    if spec is None:
        if key not in declared:
            raise ConfigError(where, key, spec, "a [low, high] range (no range declared)")
        low, high = lo_decl, hi_decl
    elif isinstance(spec, dict):
        low, high = spec["low"], spec["high"]
        integer = bool(spec.get("integer", integer))
    else:
        low, high = spec
    try:
        low, high = float(low), float(high)
    except (TypeError, ValueError, OverflowError):
        raise ConfigError(where, key, spec, "numeric bounds") from None
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ConfigError(where, key, [low, high], "finite bounds with low < high")
    if low < lo_decl or high > hi_decl:
        raise ConfigError(where, key, [low, high], f"a range inside [{lo_decl}, {hi_decl}]")
    return Parameter(key=key, low=low, high=high, integer=integer)


def parameter(key: str, spec: Any, where: str) -> Parameter:
    """One parameter as a design file would give it (for the EMA and Optuna adapters)."""
    try:
        checked = _spec(spec)
    except Exception:  # noqa: BLE001 - pydantic's error for the spec itself
        raise ConfigError(where, key, spec, SPEC) from None
    return _parameter(key, checked, declared_ranges(), where)
