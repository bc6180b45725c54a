"""A batch's run configs as plain data and checked dataclasses, varied by key (perfover).

A job of a sweep (``sim.experiments.sweep_batch.run_batch``) applies each run's design values
(``key=<plain number>``) to one OmegaConf config, run after run. What a run needs from that
config is its resolved plain data (for the config hash, the status record and config.yaml)
and its checked dataclasses (``OmegaConf.to_object``, for the model's arguments). Converting
the whole config for every run was 5 of the 7 ms a run's config cost (measured on tuzla:
``to_container`` 1.9 ms, ``to_object`` 3.2 ms). :class:`RunConfigs` converts it once and then
sets only the keys a run changed, with the value OmegaConf itself holds after the update (so
its type conversions, ``0`` -> ``0.0`` for a float key, are OmegaConf's own).

This is exact only while no value of the config is an interpolation (``${...}``): a changed
key could then change another value. A config with one is converted in full for every run, as
before; so is any run whose overrides went through Hydra's grammar (anything but a plain
number), and any key the plain data or the dataclasses do not hold as a plain field.
``tests/test_sweep_configs.py`` checks the results against full conversions, run by run.

:meth:`RunConfigs.assign` goes one step further (sobol17): a run's plain numbers are set in
the mirror without touching the OmegaConf config at all (``OmegaConf.update`` was about a
third of a batched run's config, 0.8 ms a run of 8 keys), but only where OmegaConf would keep
the value as given: the key already holds a value of the same Python type (a float over a
float, an int over an int). Anything else (an int over a float, which OmegaConf converts, a
bool, a missing key) returns False, and the caller applies the numbers to the config and
converts as before.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Sequence
from typing import Any

from omegaconf import DictConfig, OmegaConf


class RunConfigs:
    """The current run config, mirrored: :meth:`resolved` and :meth:`checked` equal
    ``OmegaConf.to_container(cfg, resolve=True)`` and ``OmegaConf.to_object(cfg)``."""

    def __init__(self) -> None:
        self._data: dict[str, Any] | None = None
        self._obj: Any = None
        self._pending: dict[str, Any] = {}  # keys set since the dataclasses were made
        self._plain = False  # no interpolation in the config: keys can be set one by one

    def reset(self) -> None:
        """Forget the mirror: the config changed in ways it cannot follow (Hydra's path)."""
        self._data, self._obj, self._pending = None, None, {}

    def resolved(self, cfg: DictConfig, changed: Sequence[str] = ()) -> dict[str, Any]:
        """The config as plain resolved data, after ``changed`` (keys set with
        ``OmegaConf.update`` since the last call). Shared: read it, copy it to keep it."""
        if self._data is not None and self._plain:
            values = {key: OmegaConf.select(cfg, key) for key in changed}
            if all(_set_item(self._data, key, value) for key, value in values.items()):
                self._pending.update(values)
                return self._data
        data = OmegaConf.to_container(cfg, resolve=True)
        assert isinstance(data, dict)
        self._plain = data == OmegaConf.to_container(cfg, resolve=False)
        self._data, self._obj, self._pending = data, None, {}
        return data

    def assign(self, values: dict[str, Any]) -> bool:
        """Set ``values`` (key -> plain number) in the mirror as OmegaConf would hold them,
        without the config; False (and nothing set) when that cannot be sure: no mirror yet,
        an interpolation, or a key whose current value is not of the value's own type."""
        if self._data is None or not self._plain:
            return False
        for key, value in values.items():
            if type(_get_item(self._data, key)) is not type(value):
                return False
        for key, value in values.items():
            _set_item(self._data, key, value)
        self._pending.update(values)
        return True

    def resolved_data(self) -> dict[str, Any]:
        """The mirror's plain data after :meth:`assign` (shared: read it, copy it to keep it)."""
        assert self._data is not None
        return self._data

    def fast_checked(self) -> bool:
        """Whether :meth:`checked` will set keys on its dataclasses (no config needed)."""
        if self._obj is None or not self._plain:
            return False
        return all(_set_attr(self._obj, k, v, dry=True) for k, v in self._pending.items())

    def checked(self, cfg: DictConfig) -> Any:
        """``OmegaConf.to_object(cfg)``: the config's dataclasses, a fresh copy for each call
        (a run's model arguments must not change with the next run's values)."""
        pending = self._pending.items()
        if self._obj is not None and self._plain and all(_set_attr(self._obj, k, v)
                                                         for k, v in pending):  # fmt: skip
            self._pending = {}
            return copy.deepcopy(self._obj)
        self._obj, self._pending = OmegaConf.to_object(cfg), {}
        return copy.deepcopy(self._obj)


def _set_item(data: dict[str, Any], key: str, value: Any) -> bool:
    """``data[a][b][c] = value`` for ``key`` ``a.b.c``, only where that item exists already
    and is not itself a mapping or list (else False: convert in full)."""
    *path, last = key.split(".")
    node: Any = data
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    if not isinstance(node, dict) or last not in node or isinstance(node[last], dict | list):
        return False
    node[last] = value
    return True


def _get_item(data: dict[str, Any], key: str) -> Any:
    """``data[a][b][c]`` for ``key`` ``a.b.c``, or None where there is no such plain item."""
    node: Any = data
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return None if isinstance(node, dict | list) else node


def _set_attr(obj: Any, key: str, value: Any, dry: bool = False) -> bool:
    """``obj.a.b.c = value`` for ``key`` ``a.b.c``, only through dataclass fields that exist
    (else False: convert in full); ``dry``: only whether it could."""
    *path, last = key.split(".")
    node = obj
    for part in path:
        if not dataclasses.is_dataclass(node) or part not in _fields(node):
            return False
        node = getattr(node, part)
    if not dataclasses.is_dataclass(node) or last not in _fields(node):
        return False
    current = getattr(node, last)
    if dataclasses.is_dataclass(current) or isinstance(current, dict | list):
        return False
    if not dry:
        setattr(node, last, value)
    return True


def _fields(obj: Any) -> set[str]:
    return {f.name for f in dataclasses.fields(obj)}
