"""Hydra structured configs: typed, ranged, validated before a run starts.

``configs/config.yaml`` composes a scenario, the model coefficients (``sim.engine.params``),
the policy levers and the output options. ``validate`` turns a composed config into checked
dataclasses or raises :class:`~sim.errors.ConfigError` with the key, the value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hydra.core.config_store import ConfigStore
from omegaconf import MISSING, DictConfig, ListConfig, OmegaConf

from sim.cli.paths import check_scenario_name, config_dir, with_path_name
from sim.engine.params import Levers, LeverSettings, ModelParams, validate_ranges
from sim.errors import ConfigError
from sim.scenario.arguments import check_horizon, check_output, check_seed
from sim.scenario.synthetic import SyntheticSpec, check_spec


@dataclass
class FileScenarioConfig:
    """A scenario read from ``scenarios/<name>/``."""

    name: str = MISSING
    # A scenario folder of your own, found by its path whatever the folder is called; the
    # command line sets `name` to the folder's own scenario.yaml name (with_path_name).
    path: str | None = None


@dataclass
class SyntheticScenarioConfig(SyntheticSpec):
    """The seeded synthetic generator; every knob is here (see sim.scenario.synthetic)."""

    name: str = "synthetic"


@dataclass
class OutputConfig:
    """What a run writes to its Hydra run folder."""

    cities_every: int = 1  # months between city-level rows; 0 = none
    cities_max: int = 5000  # at most this many cities in cities.parquet (an even sample)
    activities: bool = True
    dashboard: bool = True
    progress: bool = True


@dataclass
class Config:
    """The whole run: scenario, coefficients, levers, output, policy, seed and horizon."""

    scenario: Any = MISSING
    model: ModelParams = field(default_factory=ModelParams)
    levers: LeverSettings = field(default_factory=LeverSettings)
    output: OutputConfig = field(default_factory=OutputConfig)
    policy: str = "baseline"
    seed: int = 0
    horizon: int | None = None


def register() -> None:
    """Register the schemas so the YAML files in ``configs/`` extend them (done on import of
    this module; calling it again is harmless)."""
    cs = ConfigStore.instance()
    cs.store(name="base_config", node=Config)
    cs.store(group="scenario", name="file_schema", node=FileScenarioConfig)
    cs.store(group="scenario", name="synthetic_schema", node=SyntheticScenarioConfig)
    cs.store(group="model", name="model_schema", node=ModelParams)
    cs.store(group="levers", name="levers_schema", node=LeverSettings)
    cs.store(group="output", name="output_schema", node=OutputConfig)


register()


def compose(overrides: list[str] | tuple[str, ...] = ()) -> DictConfig:
    """The run config that ``citypeace OVERRIDES`` would use, e.g. for
    ``PeaceModel.from_config(compose(["scenario=tuzla", "seed=2"]))``. Not validated here:
    :func:`validate` (or ``from_config``) checks it."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
            return hydra_compose("config", overrides=with_path_name(list(overrides)))
    finally:
        GlobalHydra.instance().clear()


def scenario_source(scenario: Any) -> str | Path:
    """What the loader reads: the scenario folder's path when one is given, else the name."""
    path = getattr(scenario, "path", None)
    return Path(path) if path else scenario.name


@functools.cache
def _schema_keys(schema: type) -> tuple[list[str], frozenset[str]]:
    """A schema's keys, and those whose value may be a nested config (a dataclass or Any)."""
    known, nested = [], set()
    for f in dataclasses.fields(schema):
        known.append(f.name)
        if f.default_factory is not dataclasses.MISSING or f.type in ("Any", Any):
            nested.add(f.name)
    return known, frozenset(nested)


def check_known_keys(node: DictConfig, prefix: str = "") -> None:
    """Every key of a composed config is a key of its schema: ``+model.trust.decy=0.5`` (a key
    added with ``+``) would otherwise be saved in config.yaml and have no effect."""
    schema = OmegaConf.get_type(node)
    if not dataclasses.is_dataclass(schema):
        return
    known, nested = _schema_keys(schema)
    for key in node:
        if key in nested:
            value = OmegaConf.select(node, str(key), throw_on_missing=False)
            if isinstance(value, DictConfig):
                check_known_keys(value, f"{prefix}{key}.")
        elif key not in known and not (prefix == "" and key == "hydra"):
            path, leaf = f"{prefix}{key}", OmegaConf.select(node, str(key), throw_on_missing=False)
            while isinstance(leaf, DictConfig) and len(leaf) > 0:  # name the whole key given
                first = next(iter(leaf))
                path, leaf = f"{path}.{first}", leaf[first]
            if isinstance(leaf, DictConfig | ListConfig):
                leaf = OmegaConf.to_container(leaf)
            near = difflib.get_close_matches(str(key), known, n=1)
            hint = f"did you mean '{prefix}{near[0]}'? " if near else ""
            raise ConfigError(
                "config",
                path,
                leaf,
                f"{hint}a key the config knows: one of {[prefix + k for k in known]}",
            )


def validate(cfg: DictConfig | Config) -> Config:
    """Check every key, every range and the synthetic size before a run starts."""
    if isinstance(cfg, DictConfig):
        check_known_keys(cfg)
    obj = OmegaConf.to_object(cfg) if isinstance(cfg, DictConfig) else cfg
    validate_ranges(obj.model, "model")
    _check_levers(obj.levers)
    check_horizon(obj.horizon)
    check_seed(obj.seed)
    check_output(obj.output.cities_every, obj.output.cities_max)
    scenario = obj.scenario
    if isinstance(scenario, SyntheticScenarioConfig):
        check_spec(_synthetic_spec(scenario))
    return obj


def _check_levers(settings: LeverSettings) -> None:
    """Set levers must lie in the ranges declared on :class:`Levers`."""
    chosen = {k: v for k, v in dataclasses.asdict(settings).items() if v is not None}
    validate_ranges(dataclasses.replace(Levers(), **chosen), "levers")


def _synthetic_spec(scenario: SyntheticScenarioConfig) -> SyntheticSpec:
    names = {f.name for f in dataclasses.fields(SyntheticSpec)}
    return SyntheticSpec(**{k: getattr(scenario, k) for k in names})


def model_kwargs(cfg: DictConfig | Config) -> dict[str, Any]:
    """Keyword arguments for :class:`sim.engine.model.PeaceModel` from a config."""
    obj = validate(cfg)
    scenario = obj.scenario
    kwargs: dict[str, Any] = {
        "scenario": scenario.name,
        "seed": obj.seed,
        "horizon": obj.horizon,
        "policy": obj.policy,
        "params": obj.model,
        "levers": {k: v for k, v in dataclasses.asdict(obj.levers).items() if v is not None},
        "cities_every": obj.output.cities_every,
        "cities_max": obj.output.cities_max,
    }
    if isinstance(scenario, SyntheticScenarioConfig):
        kwargs["synthetic"] = _synthetic_spec(scenario)
    elif scenario.path:
        kwargs["scenario"] = Path(scenario.path)
    return kwargs


def check_path_name(obj: Config, loaded_name: str) -> None:
    """A scenario read from ``scenario.path`` must be the one ``scenario.name`` says."""
    path = getattr(obj.scenario, "path", None)
    check_scenario_name(Path(path) if path else None, obj.scenario.name, loaded_name)
