"""A single run's plan: its config composed and checked once, as plain data.

A :class:`Plan` is what a run needs from Hydra: the run folder's setting, the texts of
``config.yaml`` and ``.hydra/config.yaml``, Hydra's own node, the config hash and the model's
checked arguments. It is made from a composed config (:meth:`Plan.of`) and kept by
:mod:`sim.cli.run_cache`, so that a repeated command skips importing Hydra, composing and
validating; both paths run the same plan, so they write the same files.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.outputs.run_folder import RUN_DIR_KEY, SUBDIR_KEY


@dataclass
class Plan:
    """One run's composed, checked config as plain data (see the module docstring)."""

    config: dict[str, Any]  # the composed config without Hydra's node, unresolved
    hydra: dict[str, Any]  # Hydra's node, unresolved
    config_yaml: str  # .hydra/config.yaml (the config as composed)
    config_text: str  # config.yaml (resolved)
    config_hash: str
    model: dict[str, Any]  # the model's arguments, as JSON data (encode_kwargs)
    scenario: str  # the scenario's name
    policy: str
    seed: int
    cities: bool
    activities: bool
    dashboard: bool
    progress: bool

    @classmethod
    def of(cls, cfg: Any, hydra_cfg: Any) -> Plan:
        """The plan of a composed config (a DictConfig without ``hydra``; its ``hydra``
        node apart), which :func:`sim.cli.checks.check_config` has checked."""
        from omegaconf import OmegaConf

        from sim.cli.config import model_kwargs
        from sim.experiments.runner import config_hash, config_yaml

        kwargs = model_kwargs(cfg)
        plan = cls(
            config=OmegaConf.to_container(cfg, resolve=False),
            hydra=OmegaConf.to_container(hydra_cfg, resolve=False),
            config_yaml=OmegaConf.to_yaml(cfg),
            config_text=config_yaml(cfg),
            config_hash=config_hash(cfg),
            model=encode_kwargs(kwargs),
            scenario=str(cfg.scenario.name),
            policy=str(cfg.policy),
            seed=int(cfg.seed),
            cities=bool(cfg.output.cities_every),
            activities=bool(cfg.output.activities),
            dashboard=bool(cfg.output.dashboard),
            progress=bool(cfg.output.progress),
        )
        plan._kwargs = kwargs  # the arguments themselves; the cache checks they read back
        return plan

    def run_folder(self) -> tuple[str, str | None]:
        """``hydra.run.dir`` resolved now (its time stamp), and the output subdir."""
        from omegaconf import OmegaConf

        _register_now()
        node = OmegaConf.create({**self.config, "hydra": self.hydra})
        subdir = OmegaConf.select(node, SUBDIR_KEY)
        return str(OmegaConf.select(node, RUN_DIR_KEY)), None if subdir is None else str(subdir)

    def hydra_yaml(self, run_dir: str, output_dir: Path, subdir: str) -> str:
        """``.hydra/hydra.yaml``: Hydra's node as its run mode records it."""
        from omegaconf import OmegaConf

        node = OmegaConf.create(self.hydra)
        node.run.dir = run_dir
        node.runtime.output_dir = str(output_dir)
        node.output_subdir = subdir
        return OmegaConf.to_yaml(OmegaConf.create({"hydra": node}))

    def overrides_yaml(self) -> str:
        from omegaconf import OmegaConf

        return OmegaConf.to_yaml(OmegaConf.create(list(self.hydra["overrides"]["task"])))

    def kwargs(self) -> dict[str, Any]:
        """The model's arguments (``sim.cli.config.model_kwargs``)."""
        made = self.__dict__.get("_kwargs")
        return dict(made) if made is not None else decode_kwargs(self.model)

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        return cls(**data)


def _register_now() -> None:
    """Hydra's ``now`` resolver, as Hydra registers it (``hydra.core.utils.setup_globals``),
    when Hydra has not been imported."""
    from datetime import datetime

    from omegaconf import OmegaConf

    if not OmegaConf.has_resolver("now"):
        OmegaConf.register_new_resolver(
            "now", lambda pattern: datetime.now().strftime(pattern), use_cache=True
        )


def encode_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    """``model_kwargs`` as JSON data: dataclasses as dicts, a scenario folder as its path."""
    data = dict(kwargs)
    data["params"] = dataclasses.asdict(kwargs["params"])
    if "synthetic" in kwargs:
        data["synthetic"] = dataclasses.asdict(kwargs["synthetic"])
    scenario = kwargs["scenario"]
    data["scenario"] = {"path": str(scenario)} if isinstance(scenario, Path) else scenario
    return data


def decode_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    """:func:`encode_kwargs` undone."""
    from sim.engine.inputs import coerce
    from sim.engine.params import ModelParams
    from sim.scenario.synthetic import SyntheticSpec

    kwargs = dict(data)
    kwargs["params"] = coerce(data["params"], ModelParams)
    if "synthetic" in data:
        kwargs["synthetic"] = SyntheticSpec(**data["synthetic"])
    scenario = data["scenario"]
    kwargs["scenario"] = Path(scenario["path"]) if isinstance(scenario, dict) else scenario
    kwargs["levers"] = dict(data["levers"])
    return kwargs
