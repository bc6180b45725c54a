"""Null models: named ablations that each remove one mechanism (``configs/nulls/*.yaml``).

A null is data: the mechanism it removes, a description, and nested overrides of the model
coefficients and rule switches (``sim.engine.params``). ``citypeace validate ... nulls=all``
runs the scenario under the full model and under every null; an evidence pattern that names a
mechanism must fail under each null that removes it (``sim.experiments.validate``).

    from sim.experiments.nulls import load_nulls

    nulls = load_nulls()  # name -> NullModel, in name order
    nulls["no_gates"].params  # {'switches': {'gates': False}}
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sim.errors import ConfigError
from sim.scenario.yaml_io import safe_load

_KEYS = ("removes", "description", "params")
_DESCRIPTION_MAX = 2000


@dataclass(frozen=True)
class NullModel:
    """One ablation: the mechanism it removes and the overrides that remove it."""

    name: str
    removes: str
    description: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def overrides(self) -> list[str]:
        """The same ablation as Hydra command-line overrides (``model.x.y=value``)."""
        return [f"model.{key}={_yaml_scalar(v)}" for key, v in _flatten(self.params)]


def nulls_dir() -> Path:
    """``configs/nulls`` next to the other configs (a checkout or the installed wheel).

    The same search as ``sim.cli.config.config_dir``, without importing Hydra: the scenario loader
    reads the mechanism names from here whenever it checks a patterns file.
    """
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "configs", here / "_data" / "configs"):
        if (candidate / "config.yaml").is_file():
            return candidate / "nulls"
    raise FileNotFoundError("citypeace configs not found next to the package")


def load_nulls(folder: Path | None = None) -> dict[str, NullModel]:
    """Every null model in ``folder`` (default :func:`nulls_dir`), checked, by name."""
    folder = nulls_dir() if folder is None else folder
    files = sorted(folder.glob("*.yaml"))
    key = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    return dict(_load(key))


def mechanisms(nulls: Mapping[str, NullModel] | None = None) -> dict[str, list[str]]:
    """Mechanism -> the names of the nulls that remove it."""
    nulls = load_nulls() if nulls is None else nulls
    out: dict[str, list[str]] = {}
    for null in nulls.values():
        out.setdefault(null.removes, []).append(null.name)
    return dict(sorted(out.items()))


def select(spec: str, nulls: Mapping[str, NullModel] | None = None) -> list[NullModel]:
    """The nulls named by ``nulls=`` on the command line: ``all``, ``none`` or ``a,b,...``."""
    nulls = load_nulls() if nulls is None else nulls
    if spec == "all":
        return list(nulls.values())
    if spec in ("none", ""):
        return []
    chosen = []
    for name in spec.split(","):
        name = name.strip()
        if name not in nulls:
            raise ConfigError(
                "validate", "nulls", name, f"all, none, or a comma-separated list of {list(nulls)}"
            )
        if nulls[name] not in chosen:
            chosen.append(nulls[name])
    return chosen


@functools.cache
def _load(files: tuple[tuple[str, int, int], ...]) -> tuple[tuple[str, NullModel], ...]:
    return tuple((Path(path).stem, _read(Path(path))) for path, _, _ in files)


def _read(path: Path) -> NullModel:
    where = str(path)
    try:  # through libyaml's parser (a tenth of PyYAML's time: 22 files on every first run,
        # whose patterns name mechanisms); a key given twice is refused, as in scenarios
        data = safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(where, "document", path.name, f"valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ConfigError(where, "document", data, "a mapping with removes, description, params")
    for key in data:
        if key not in _KEYS:
            near = difflib.get_close_matches(str(key), _KEYS, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise ConfigError(where, str(key), data[key], f"one of {list(_KEYS)}{hint}")
    removes = data.get("removes")
    if not isinstance(removes, str) or not removes.isidentifier():
        raise ConfigError(where, "removes", removes, "a mechanism name (letters, digits and _)")
    description = data.get("description")
    if not isinstance(description, str) or not description.strip():
        raise ConfigError(where, "description", description, "text saying what is removed")
    if len(description) > _DESCRIPTION_MAX:
        raise ConfigError(where, "description", description, f"at most {_DESCRIPTION_MAX} chars")
    params = data.get("params")
    if not isinstance(params, dict) or not params:
        raise ConfigError(where, "params", params, "nested overrides of model coefficients")
    _check_params(params, where)
    return NullModel(path.stem, removes, " ".join(description.split()), params)


def _check_params(params: dict[str, Any], where: str) -> None:
    """Every key names a coefficient or switch of ModelParams, every value lies in its range."""
    from sim.engine.params import ModelParams, validate_ranges

    model = ModelParams()
    groups = [f.name for f in dataclasses.fields(model)]
    for group, values in params.items():
        if group not in groups:
            raise ConfigError(where, f"params.{group}", values, f"a group of the model: {groups}")
        section = getattr(model, group)
        names = [f.name for f in dataclasses.fields(section)]
        if not isinstance(values, dict) or not values:
            raise ConfigError(where, f"params.{group}", values, f"a mapping of {names}")
        for name, value in values.items():
            if name not in names:
                near = difflib.get_close_matches(str(name), names, n=1)
                hint = f"did you mean {near[0]!r}? " if near else ""
                raise ConfigError(where, f"params.{group}.{name}", value, f"{hint}one of {names}")
            kind = type(getattr(section, name))
            if kind is bool and not isinstance(value, bool):
                raise ConfigError(where, f"params.{group}.{name}", value, "true or false")
        try:
            validate_ranges(dataclasses.replace(section, **values), f"params.{group}")
        except ConfigError as exc:
            raise ConfigError(where, exc.key, exc.value, exc.allowed) from None


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in tree.items():
        if isinstance(value, Mapping):
            out.extend(_flatten(value, f"{prefix}{key}."))
        else:
            out.append((f"{prefix}{key}", value))
    return out


def _yaml_scalar(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)
