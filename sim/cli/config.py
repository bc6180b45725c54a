"""Hydra structured configs: typed, ranged, validated before a run starts.

``configs/config.yaml`` composes a scenario, the model coefficients (``sim.engine.params``),
the policy levers and the output options. ``validate`` turns a composed config into checked
dataclasses or raises :class:`~sim.errors.ConfigError` with the key, the value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
from typing import Any

from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, ListConfig, OmegaConf

from sim.cli.paths import config_dir, with_path_name
from sim.cli.schemas import (  # noqa: F401 - the schemas and checks, imported from here by others
    MISSING,
    Config,
    FileScenarioConfig,
    OutputConfig,
    SyntheticScenarioConfig,
    check_path_name,
    model_kwargs,
    scenario_source,
    validate,
)
from sim.engine.params import LeverSettings, ModelParams
from sim.errors import ConfigError


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
