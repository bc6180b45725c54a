"""YAML read and written as OmegaConf does, without importing it (``sim.cli.plain``).

The loader is ``omegaconf._utils.get_yaml_loader``'s (a duplicate key refused, OmegaConf's
float forms such as ``1e-3``, no dates), the dumper ``get_omega_conf_dumper``'s (text that
reads as a boolean or a number quoted), both on PyYAML, so a config composed without Hydra
is read and written to the same values and texts (tests/test_plain_compose.py).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any


class DuplicateKey(ValueError):
    """A mapping gives a key twice (Hydra refuses the file)."""


@functools.cache
def _loader() -> type:
    """OmegaConf's YAML loader (``omegaconf._utils.get_yaml_loader``): duplicate keys
    refused, its float forms (``1e-3``), no dates."""
    import yaml

    class Loader(yaml.SafeLoader):
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            keys = set()
            for key_node, _ in node.value:
                if key_node.tag != yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG:
                    continue
                if key_node.value in keys:
                    raise DuplicateKey(key_node.value)
                keys.add(key_node.value)
            return super().construct_mapping(node, deep=deep)

    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:float",
        re.compile(
            r"""^(?:
         [-+]?[0-9]+(?:_[0-9]+)*\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?[0-9]+(?:_[0-9]+)*(?:[eE][-+]?[0-9]+)
        |\.[0-9]+(?:_[0-9]+)*(?:[eE][-+][0-9]+)?
        |[-+]?[0-9]+(?:_[0-9]+)*(?::[0-5]?[0-9])+\.[0-9_]*
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
            re.X,
        ),
        list("-+0123456789."),
    )
    Loader.yaml_implicit_resolvers = {
        key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in Loader.yaml_implicit_resolvers.items()
    }
    return Loader


_YAML_BOOLS = {"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True",
               "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off",
               "OFF"}  # fmt: skip


def _is_number(text: str) -> bool:
    for kind in (int, float):
        try:
            kind(text)
            return True
        except ValueError:
            pass
    return False


@functools.cache
def _dumper() -> type:
    """OmegaConf's YAML dumper (``omegaconf._utils.get_omega_conf_dumper``)."""
    import yaml

    class Dumper(yaml.Dumper):
        pass

    def text(dumper: Any, data: str) -> Any:
        quoted = data in _YAML_BOOLS or _is_number(data)
        return dumper.represent_scalar(yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG, data,
                                       style="'" if quoted else None)  # fmt: skip

    Dumper.add_representer(str, text)
    return Dumper


def to_yaml(data: Any) -> str:
    """``OmegaConf.to_yaml`` of plain ``data``."""
    import yaml

    return yaml.dump(data, default_flow_style=False, allow_unicode=True, sort_keys=False,
                     Dumper=_dumper())  # fmt: skip


def read(path: Path) -> Any:
    import yaml

    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_loader())  # noqa: S506 - OmegaConf's safe loader
