"""A first run's plan without Hydra: the config composed from the schemas and ``configs/``.

Importing Hydra and OmegaConf, registering the schemas and composing cost a command's first
run about 0.6 s of CPU. A command whose overrides are only ``scenario=<name>`` and plain
values of ``seed``, ``policy``, ``horizon`` and ``output.*`` (``seed=3``, ``policy=no_abc``,
``output.dashboard=false``) needs none of Hydra's features, so its config is composed here
as Hydra would:
the structured :class:`~sim.cli.schemas.Config`'s defaults, each group's YAML
(``configs/<group>/<option>.yaml`` on its schema), ``config.yaml``'s own values
(``_self_``, last), then the command's values. Hydra's own node (``.hydra/hydra.yaml``) is the one
Hydra composes for ``config.yaml``: kept in ``hydra_node.json`` (made by
``experiments/make_hydra_node.py``) with the command's values filled in: its overrides,
working folder, configs folder and scenario choice.

Nothing is guessed: :func:`plain_plan` gives None, and Hydra composes as before, for any
other override (``hydra.*``, ``model.*``, ``levers.*``, ``+key``, a quoted or other value:
Hydra's grammar and
features), a stored node made for another Hydra version or another ``config.yaml``, a
defaults list of another shape, a YAML value OmegaConf would convert (only exact types, and
whole numbers for floats, are taken), an unknown key, a missing value or an interpolation.
YAML is read and written with PyYAML's safe loader and dumper only
(``sim.cli.omegaconf_yaml``); wherever OmegaConf's rules could give another value or text (a
key given twice, ``1e-3``-like floats, dates, a ``# @package`` header, text its dumper quotes
and the safe one would not) that module refuses and Hydra composes. So the texts are Hydra's:
tests/test_plain_compose.py checks the whole plan, field by field, against Hydra's for every
scenario and several commands, and tests/test_omegaconf_yaml.py the reading and writing
against OmegaConf's own.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import hashlib
import json
import os
import re
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sim.cli.omegaconf_yaml import read, to_yaml
from sim.cli.paths import config_dir
from sim.cli.plan import MARKS, Plan, encode_kwargs

NODE_FILE = Path(__file__).with_name("hydra_node.json")
CWD_MARK, CONFIGS_MARK = "CITYPEACE-CWD-MARK", "CITYPEACE-CONFIGS-MARK"
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")
_SEED = re.compile(r"0|[1-9][0-9]{0,18}")  # as sim.cli.seeds reads a plain seed
_NOW = re.compile(r"\$\{now:([^${}\\'\"]*)\}")
_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\}")


class _NotPlain(Exception):
    """Hydra composes this command (see the module docstring)."""


def plain_plan(overrides: Sequence[str]) -> tuple[Plan, dict[str, Any]] | None:
    """The plan of ``overrides`` and its composed config as plain data, as Hydra would make
    them; None when Hydra must compose (see the module docstring). Any
    problem (a bad seed, a file Hydra refuses) leaves it to Hydra, which names it as ever."""
    try:
        chosen = _overrides(overrides)
        node = _hydra_node()
        config, options = _compose(chosen)
        return _plan(config, node, list(overrides), options), config
    except Exception:  # noqa: BLE001 - Hydra composes it, and names any problem as ever
        return None


# A value of an override as Hydra's grammar reads it, for the few forms taken here: a plain
# whole number, true/false (any case), null, or a word that is none of those.
_INT = re.compile(r"0|[1-9][0-9]{0,18}")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_NOT_WORDS = {"true", "false", "null", "nan", "inf"}


def _value(text: str) -> Any:
    if _INT.fullmatch(text):
        return int(text)
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    if text.lower() == "null":
        return None
    if _WORD.fullmatch(text) and text.lower() not in _NOT_WORDS:
        return text
    raise _NotPlain(text)


def _overrides(overrides: Sequence[str]) -> dict[str, Any]:
    """The overrides taken without Hydra: ``scenario=<option>``, and ``seed=``, ``policy=``,
    ``horizon=`` and ``output.<key>=`` with a plain value (:func:`_value`), each once."""
    chosen: dict[str, Any] = {}
    for override in overrides:
        key, eq, text = override.partition("=")
        plain_key = key in ("scenario", "seed", "policy", "horizon") or (
            key.startswith("output.") and _WORD.fullmatch(key[7:]) is not None
        )
        if not eq or key in chosen or not plain_key:
            raise _NotPlain(override)
        value = _value(text)
        if key == "scenario" and not (isinstance(value, str) and _NAME.fullmatch(value)):
            raise _NotPlain(override)
        chosen[key] = value
    return chosen


def hydra_version() -> str | None:
    """The installed Hydra's version, read from its ``__init__.py`` (without importing it)."""
    import importlib.util

    spec = importlib.util.find_spec("hydra")
    if spec is None or spec.origin is None:
        return None
    found = re.search(r'^__version__ = "([^"]+)"', Path(spec.origin).read_text(), re.M)
    return found.group(1) if found else None


def config_digest() -> str:
    """The digest of ``configs/config.yaml``, which Hydra's node depends on."""
    return hashlib.sha256((config_dir() / "config.yaml").read_bytes()).hexdigest()


@functools.cache
def _stored_node() -> dict[str, Any]:
    return json.loads(NODE_FILE.read_text(encoding="utf-8"))


def _hydra_node() -> dict[str, Any]:
    stored = _stored_node()
    if stored["hydra_version"] != hydra_version() or stored["config_sha256"] != config_digest():
        raise _NotPlain("a stored node made for another Hydra or config.yaml")
    return copy.deepcopy(stored["node"])


# ----------------------------------------------------------------------------- composing


def _schemas() -> dict[str, type]:
    from sim.cli.schemas import Config, FileScenarioConfig, OutputConfig, SyntheticScenarioConfig
    from sim.engine.params import LeverSettings, ModelParams

    return {"base_config": Config, "file_schema": FileScenarioConfig,
            "synthetic_schema": SyntheticScenarioConfig, "model_schema": ModelParams,
            "levers_schema": LeverSettings, "output_schema": OutputConfig}  # fmt: skip


def _defaults(data: Any) -> tuple[list[Any], dict[str, Any]]:
    if not isinstance(data, dict) or not isinstance(data.get("defaults"), list):
        raise _NotPlain("no defaults list")
    body = {k: v for k, v in data.items() if k != "defaults"}
    return data["defaults"], body


def _compose(chosen: dict[str, Any]) -> tuple[dict[str, Any], dict[str, tuple[str, type]]]:
    """The config as Hydra composes it for ``chosen`` (without Hydra's node), and each
    group's option and schema."""
    schemas = _schemas()
    configs = config_dir()
    defaults, body = _defaults(read(configs / "config.yaml"))
    body.pop("hydra", None)
    if defaults[:1] != ["base_config"] or defaults[-1:] != ["_self_"]:
        raise _NotPlain("a defaults list of another shape")
    root_cls = schemas["base_config"]
    config = _structured(root_cls)
    options: dict[str, tuple[str, type]] = {}
    for entry in defaults[1:-1]:
        if not (isinstance(entry, dict) and len(entry) == 1):
            raise _NotPlain(entry)
        ((group, option),) = entry.items()
        option = chosen.get(group, option) if group == "scenario" else option
        if not isinstance(option, str) or group not in config or not _NAME.fullmatch(option):
            raise _NotPlain(entry)
        own, values = _defaults(read(configs / group / f"{option}.yaml"))
        if own[-1:] != ["_self_"] or len(own) != 2 or own[0] not in schemas:
            raise _NotPlain(own)
        cls = schemas[own[0]]
        field = _field_type(root_cls, group)
        if field is not Any and field is not cls:
            raise _NotPlain(f"{group}: {own[0]}")
        node = _structured(cls)
        _merge(node, values, cls)
        config[group] = node
        options[group] = (option, cls)
    _merge(config, body, root_cls, groups=False)
    for key, value in chosen.items():  # the command's own values, last (as Hydra)
        if key.startswith("output."):
            _merge(config["output"], {key[7:]: value}, options["output"][1])
        elif key != "scenario":
            _merge(config, {key: value}, root_cls, groups=False)
    if "???" in json.dumps(config) or "${" in json.dumps(config):
        raise _NotPlain("a missing value or an interpolation")
    return config, options


def _structured(cls: type) -> dict[str, Any]:
    """A schema's defaults as OmegaConf.structured holds them (a nested dataclass as a dict)."""
    return _data(cls())


def _data(obj: Any) -> dict[str, Any]:
    out = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if dataclasses.is_dataclass(value):
            value = _data(value)
        elif isinstance(value, list | dict | tuple | set):
            raise _NotPlain(f"{type(obj).__name__}.{f.name}: a container")
        out[f.name] = value
    return out


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _field_type(cls: type, name: str) -> Any:
    hints = _hints(cls)
    if name not in hints:
        raise _NotPlain(f"{cls.__name__} has no key {name}")
    return hints[name]


def _merge(node: dict[str, Any], values: Any, cls: type, groups: bool = True) -> None:
    """``values`` (a YAML mapping) merged into ``node`` (``cls``'s), taking only values of
    the field's exact type (whole numbers for floats, as OmegaConf converts them)."""
    if values is None:
        return
    if not isinstance(values, dict):
        raise _NotPlain(f"{cls.__name__}: not a mapping")
    for key, value in values.items():
        kind = _field_type(cls, key) if isinstance(key, str) else None
        if kind is None:
            raise _NotPlain(key)
        if dataclasses.is_dataclass(kind):
            if not groups:
                raise _NotPlain(key)
            _merge(node[key], value, kind)
        else:
            node[key] = _typed(kind, value)


def _typed(kind: Any, value: Any) -> Any:
    args = typing.get_args(kind)
    if value is None and (kind is type(None) or type(None) in args):
        return None
    if args:  # X | None with a value: as X
        kinds = [a for a in args if a is not type(None)]
        if len(kinds) != 1:
            raise _NotPlain(kind)
        kind = kinds[0]
    if kind is float and type(value) is int:
        return float(value)
    if kind in (float, int, bool, str) and type(value) is kind:
        return value
    raise _NotPlain(f"{value!r} for {kind}")


# ----------------------------------------------------------------------------- the plan


def _plan(config: dict[str, Any], node: dict[str, Any], overrides: list[str],
          options: dict[str, tuple[str, type]]) -> Plan:  # fmt: skip
    """The plan as :meth:`Plan.of` makes it from Hydra's composed config."""
    from sim.cli.schemas import model_kwargs

    node = _filled(node, overrides, options)
    obj = _as_config(config, options)
    kwargs = model_kwargs(obj)  # the same checks as the Hydra path's (a bad seed raises)
    plan = Plan(
        config=config,
        hydra=node,
        config_yaml=to_yaml(config),
        config_text=_resolved_text(config),
        config_hash=hashlib.sha256(
            json.dumps(config, sort_keys=True, default=str).encode()
        ).hexdigest()[:16],
        model=encode_kwargs(kwargs),
        scenario=str(obj.scenario.name),
        policy=str(obj.policy),
        seed=int(obj.seed),
        cities=bool(obj.output.cities_every),
        activities=bool(obj.output.activities),
        dashboard=bool(obj.output.dashboard),
        progress=bool(obj.output.progress),
    )
    plan._kwargs = kwargs
    plan.run_dir_template, plan.now_patterns = _run_dir(config, node)
    marked = copy.deepcopy(node)
    marked["run"]["dir"] = MARKS["run_dir"]
    marked["runtime"]["output_dir"] = MARKS["output_dir"]
    marked["output_subdir"] = MARKS["subdir"]
    plan.hydra_template = to_yaml({"hydra": marked})
    if any(plan.hydra_template.count(mark) != 1 for mark in MARKS.values()):
        plan.hydra_template = None
    plan.overrides_text = to_yaml(list(overrides))
    return plan


def _filled(node: dict[str, Any], overrides: list[str],
            options: dict[str, tuple[str, type]]) -> dict[str, Any]:  # fmt: skip
    """Hydra's stored node with this command's values: the working and configs folders,
    the overrides (sorted into the job's override_dirname, as Hydra's default job config has
    it: no key excluded, ``=`` and ``,``) and each group's choice."""
    text = json.dumps(node)
    for mark, value in ((CWD_MARK, os.getcwd()), (CONFIGS_MARK, str(config_dir()))):
        text = text.replace(mark, json.dumps(value)[1:-1])
    node = json.loads(text)
    dirname = node["job"]["config"]["override_dirname"]
    if dirname != {"kv_sep": "=", "item_sep": ",", "exclude_keys": []}:
        raise _NotPlain("another override_dirname")
    node["overrides"]["task"] = list(overrides)
    node["job"]["override_dirname"] = ",".join(sorted(overrides))
    choices = node["runtime"]["choices"]
    for group, (option, _) in options.items():
        if group not in choices:
            raise _NotPlain(group)
        choices[group] = option
    return node


def _as_config(config: dict[str, Any], options: dict[str, tuple[str, type]]) -> Any:
    """The composed config as :class:`~sim.cli.schemas.Config` (what OmegaConf.to_object gives)."""
    from sim.cli.schemas import Config
    from sim.engine.inputs import coerce

    parts = {group: coerce(config[group], cls) for group, (_, cls) in options.items()}
    rest = {k: v for k, v in config.items() if k not in parts}
    return Config(**parts, **rest)


def _resolved_text(config: dict[str, Any]) -> str:
    """``sim.experiments.runner.config_yaml`` of a config without interpolations."""
    import yaml

    try:
        return yaml.dump(config, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
                         default_flow_style=False, allow_unicode=True, sort_keys=False)  # fmt: skip
    except yaml.representer.RepresenterError:
        return to_yaml(config)


def _run_dir(config: dict[str, Any], node: dict[str, Any]) -> tuple[str | None, Any]:
    """``hydra.run.dir`` resolved but for its ``${now:...}`` marks, as
    ``sim.cli.plan._run_dir_template`` makes it; (None, None) for other interpolations than
    references to text or whole numbers (the run then resolves it with OmegaConf)."""
    from sim.cli.plan import NOW_MARK

    raw = node.get("run", {}).get("dir")
    if not isinstance(raw, str) or "\\" in raw:
        return None, None
    patterns = _NOW.findall(raw)
    marked = raw
    for i, _ in enumerate(patterns):
        marked = _NOW.sub(NOW_MARK.format(i), marked, count=1)
    whole = {**config, "hydra": node}

    def value(match: re.Match) -> str:
        found: Any = whole
        for part in match.group(1).split("."):
            if not isinstance(found, dict) or part not in found:
                raise _NotPlain(match.group(0))
            found = found[part]
        if type(found) not in (str, int) or "${" in str(found):
            raise _NotPlain(match.group(0))
        return str(found)

    try:
        resolved = _REFERENCE.sub(value, marked)
    except _NotPlain:
        return None, None
    if "${" in resolved or any(resolved.count(NOW_MARK.format(i)) != 1
                               for i in range(len(patterns))):  # fmt: skip
        return None, None
    return resolved, patterns
