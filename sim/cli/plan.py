"""A single run's plan: its config composed and checked once, as plain data.

A :class:`Plan` is what a run needs from Hydra: the run folder's setting, the texts of
``config.yaml`` and ``.hydra/config.yaml``, Hydra's own node, the config hash and the model's
checked arguments. It is made from a composed config (:meth:`Plan.of`) and kept by
:mod:`sim.cli.run_cache`, so that a repeated command skips importing Hydra, composing and
validating; both paths run the same plan, so they write the same files.

A plan also keeps the texts that only the run's time stamp changes, made by OmegaConf when
the plan is made: the run folder with its ``${now:...}`` parts marked, ``hydra.yaml`` with
the folder's values marked, and ``overrides.yaml``. A run then fills them in without
importing OmegaConf (a tenth of a second) when that gives the same text: the folder setting
has no other interpolation than ``${now:...}`` and references to plain values, and the
folder names are plain YAML (letters, digits, ``_ . / -``). Anything else goes through
OmegaConf, as before (tests/test_run_cache.py checks both give the same texts).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.outputs.run_folder import RUN_DIR_KEY, SUBDIR_KEY

# Marks in a plan's texts where a run puts its own values (plain YAML words, found once).
NOW_MARK = "CITYPEACE-NOW-{}-MARK"
MARKS = {"run_dir": "CITYPEACE-RUN-DIR-MARK", "output_dir": "CITYPEACE-OUTPUT-DIR-MARK",
         "subdir": "CITYPEACE-SUBDIR-MARK"}  # fmt: skip
_NOW = re.compile(r"\$\{now:([^${}\\'\"]*)\}")
_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\}")
# A value that YAML (and OmegaConf's dumper) writes as it is: no quotes, on one line.
_PLAIN = re.compile(r"(?:/|\.|[A-Za-z0-9_])[A-Za-z0-9_./-]*")
_WORD = re.compile(r"\.?[A-Za-z_][A-Za-z0-9_-]*")
_TYPED_WORDS = {"yes", "no", "true", "false", "on", "off", "y", "n", "null", "inf", "nan", "empty"}


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
    run_dir_template: str | None = None  # hydra.run.dir resolved but for its NOW_MARKs
    now_patterns: list[str] | None = None  # the strftime pattern of each NOW_MARK
    hydra_template: str | None = None  # hydra_yaml with MARKS for its three values
    overrides_text: str | None = None  # overrides_yaml
    hash_text: str | None = None  # a seed's template only: the config hash's text (sim.cli.seeds)

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
        plan.run_dir_template, plan.now_patterns = _run_dir_template(plan.config, plan.hydra)
        plan.hydra_template = plan.hydra_yaml(MARKS["run_dir"], Path(MARKS["output_dir"]),
                                              MARKS["subdir"])  # fmt: skip
        if any(plan.hydra_template.count(mark) != 1 for mark in MARKS.values()):
            plan.hydra_template = None
        plan.overrides_text = plan.overrides_yaml()
        return plan

    def run_folder(self) -> tuple[str, str | None]:
        """``hydra.run.dir`` resolved now (its time stamp), and the output subdir."""
        subdir = self.hydra.get("output_subdir")
        if self.run_dir_template is not None and self.now_patterns is not None:
            from datetime import datetime

            now = datetime.now()  # Hydra's resolver caches one time stamp per pattern
            run_dir = self.run_dir_template
            for i, pattern in enumerate(self.now_patterns):
                run_dir = run_dir.replace(NOW_MARK.format(i), now.strftime(pattern))
            if isinstance(subdir, str | None) and "${" not in str(subdir):
                return run_dir, subdir
        from omegaconf import OmegaConf

        _register_now()
        node = OmegaConf.create({**self.config, "hydra": self.hydra})
        subdir = OmegaConf.select(node, SUBDIR_KEY)
        return str(OmegaConf.select(node, RUN_DIR_KEY)), None if subdir is None else str(subdir)

    def hydra_yaml(self, run_dir: str, output_dir: Path, subdir: str) -> str:
        """``.hydra/hydra.yaml``: Hydra's node as its run mode records it."""
        values = {"run_dir": run_dir, "output_dir": str(output_dir), "subdir": subdir}
        if self.hydra_template is not None and all(_plain(v) for v in values.values()):
            text = self.hydra_template
            for name, value in values.items():
                text = text.replace(MARKS[name], value)
            return text
        from omegaconf import OmegaConf

        node = OmegaConf.create(self.hydra)
        node.run.dir = run_dir
        node.runtime.output_dir = str(output_dir)
        node.output_subdir = subdir
        return OmegaConf.to_yaml(OmegaConf.create({"hydra": node}))

    def overrides_yaml(self) -> str:
        """``.hydra/overrides.yaml``: the command's overrides."""
        if self.overrides_text is not None:
            return self.overrides_text
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


def _plain(value: str) -> bool:
    """YAML (and OmegaConf's dumper) writes ``value`` as it is: a path with a ``/`` (never a
    number, boolean, null or date), or a word such as ``.hydra`` that is none of those."""
    if not _PLAIN.fullmatch(value):
        return False
    if "/" in value:
        return True
    return bool(_WORD.fullmatch(value)) and value.lower().lstrip(".") not in _TYPED_WORDS


def _run_dir_template(config: dict[str, Any], hydra: dict[str, Any]) -> tuple[str | None, Any]:
    """``hydra.run.dir`` resolved now, but with each ``${now:PATTERN}`` as a :data:`NOW_MARK`,
    and the patterns; (None, None) when the setting has interpolations other than those and
    references to plain values (an environment variable, a resolver: resolved at each run)."""
    from omegaconf import OmegaConf

    raw = hydra.get("run", {}).get("dir")
    if not isinstance(raw, str):
        return None, None
    patterns = _NOW.findall(raw)
    marked = _NOW.sub(lambda _: "\0", raw)  # placeholders first, numbered below
    for i in range(len(patterns)):
        marked = marked.replace("\0", NOW_MARK.format(i), 1)
    for key in _REFERENCE.findall(marked):
        value = _raw(config, hydra, key)
        if not isinstance(value, str | int | float | bool) or "${" in str(value):
            return None, None
    if "${" in _REFERENCE.sub("", marked) or "\\" in marked:
        return None, None
    node = OmegaConf.create({**config, "hydra": {**hydra, "run": {**hydra["run"], "dir": marked}}})
    resolved = OmegaConf.select(node, RUN_DIR_KEY)
    if not isinstance(resolved, str):
        return None, None
    if any(resolved.count(NOW_MARK.format(i)) != 1 for i in range(len(patterns))):
        return None, None
    return resolved, patterns


def _raw(config: dict[str, Any], hydra: dict[str, Any], key: str) -> Any:
    """The unresolved value at a dotted ``key`` of the config with its Hydra node (None if
    there is none)."""
    node: Any = {**config, "hydra": hydra}
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


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
