"""The run config's schemas and checks, without Hydra or OmegaConf.

:class:`Config` and its parts are the structured configs that ``configs/`` extends
(``sim.cli.config`` registers them with Hydra); :func:`validate` checks a composed config
(an OmegaConf ``DictConfig``, or a :class:`Config` made without Hydra: ``sim.cli.plain``)
and :func:`model_kwargs` turns it into the model's arguments. Nothing here imports Hydra or
OmegaConf, so a command that composes without them (``sim.cli.plain``) checks the same way.
"""

from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.cli.paths import check_scenario_name
from sim.engine.params import Levers, LeverSettings, ModelParams, validate_ranges
from sim.scenario.arguments import check_horizon, check_output, check_seed
from sim.scenario.synthetic import SyntheticSpec, check_spec

MISSING: Any = "???"  # OmegaConf's mark of a value still to be given (omegaconf.MISSING)


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


def scenario_source(scenario: Any) -> str | Path:
    """What the loader reads: the scenario folder's path when one is given, else the name."""
    path = getattr(scenario, "path", None)
    return Path(path) if path else scenario.name


def validate(cfg: Any) -> Config:
    """Check every key, every range and the synthetic size before a run starts (``cfg``: a
    composed ``DictConfig`` or a :class:`Config`)."""
    omegaconf = sys.modules.get("omegaconf")  # a DictConfig exists only once it is imported
    if omegaconf is not None and isinstance(cfg, omegaconf.DictConfig):
        from sim.cli.config import check_known_keys

        check_known_keys(cfg)
        cfg = omegaconf.OmegaConf.to_object(cfg)
    obj = cfg
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


def model_kwargs(cfg: Any) -> dict[str, Any]:
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
