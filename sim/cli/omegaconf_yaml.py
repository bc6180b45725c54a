"""YAML read and written as OmegaConf does, with PyYAML's safe loader and dumper only
(``sim.cli.plain``; the package calls no other YAML function: tests/test_app_safety.py).

OmegaConf reads a config file with its own loader (``omegaconf._utils.get_yaml_loader``: the
safe loader that refuses a key given twice, reads ``1e-3``-like forms as floats and leaves
dates as text) and writes with its dumper (``get_omega_conf_dumper``: the safe rules, but text
that reads as a YAML boolean or a Python number is always single-quoted). Here the file is
read with ``yaml.safe_load`` and written with ``yaml.safe_dump``, and wherever the two rule
sets could give another value or another text, :class:`NotOmegaConf` is raised, so that the
caller leaves the command to Hydra rather than guess:

- a key given twice: every block key (``key:`` at the start of a line, after any ``- ``) is
  read with its line number appended, so no two keys can collapse into one; a mapping key
  without its number (a flow ``{a: 1}``, a quoted, numeric or boolean key, a merge), a
  key word the safe loader types (``on:``, ``null:``) or the
  number showing up inside a value (a block scalar's line that looks like a key) is refused;
- a value OmegaConf's loader types otherwise: text that its extra float forms match, and any
  value that is no text, whole number, float, boolean, null, list or mapping (a date, a set,
  bytes);
- a Hydra header (``# @package``) in the file's first lines, which moves the values;
- in writing, any text that OmegaConf's dumper quotes and the safe dumper would not.

tests/test_plain_compose.py compares both with OmegaConf's own on such cases.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

# The key mark: a key ``name`` on line 12 is read as ``name@@L12@@``; no YAML resolver
# types such a word, and a file already holding the mark is refused.
_MARK = "@@L"
_KEY_LINE = re.compile(r"^([ ]*(?:-[ ]+)*)([A-Za-z_][A-Za-z0-9_.\-]*)([ ]*:)(?=[ ]|$)", re.M)
_MARKED = re.compile(r"(.*)@@L([0-9]+)@@", re.S)
_HEADER = re.compile(r"^\s*#\s*@", re.M)

# omegaconf._utils.get_yaml_loader's float forms, added after the safe loader's own
# resolvers: a scalar the safe loader leaves as text and these match is a float there.
_OMEGACONF_FLOAT = re.compile(
    r"""^(?:
     [-+]?[0-9]+(?:_[0-9]+)*\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?[0-9]+(?:_[0-9]+)*(?:[eE][-+]?[0-9]+)
    |\.[0-9]+(?:_[0-9]+)*(?:[eE][-+][0-9]+)?
    |[-+]?[0-9]+(?:_[0-9]+)*(?::[0-5]?[0-9])+\.[0-9_]*
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.X,
)
# omegaconf._utils.YAML_BOOL_TYPES: text its dumper quotes (as it does a number's text).
_BOOL_WORDS = {"yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False",
               "FALSE", "on", "On", "ON", "off", "Off", "OFF"}  # fmt: skip
_YAML_BOOLS = frozenset({"y", "Y", "n", "N", *_BOOL_WORDS})
# Words the safe loader types as a boolean or null: marked, they would be read as text.
_TYPED_WORDS = frozenset({"null", "Null", "NULL", *_BOOL_WORDS})
_PLAIN_TYPES = (str, int, float, bool, type(None))


class NotOmegaConf(ValueError):
    """OmegaConf might read or write this otherwise than the safe rules (see the module
    docstring): Hydra must."""


def read(path: Path) -> Any:
    """``path``'s YAML as ``OmegaConf.load`` reads it (an empty file: an empty mapping), or
    :class:`NotOmegaConf`."""
    return loads(path.read_text(encoding="utf-8"))


def loads(text: str) -> Any:
    """``text`` as ``OmegaConf.load`` reads it (nothing: an empty mapping), or
    :class:`NotOmegaConf`."""
    import yaml

    if _MARK in text or _HEADER.search(text[:512]):
        raise NotOmegaConf("a Hydra header or the key mark")
    marked = "\n".join(_marked_keys(line, n) for n, line in enumerate(text.split("\n")))
    try:
        data = yaml.safe_load(marked)
    except yaml.YAMLError as exc:
        raise NotOmegaConf(str(exc)) from exc
    return {} if data is None else _unmarked(data)


def _marked_keys(line: str, number: int) -> str:
    return _KEY_LINE.sub(lambda m: f"{m[1]}{m[2]}{_MARK}{number}@@{m[3]}", line)


def _unmarked(data: Any) -> Any:
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            found = _MARKED.fullmatch(key) if isinstance(key, str) else None
            if found is None or found[1] in out or found[1] in _TYPED_WORDS:
                raise NotOmegaConf(f"a key not read as OmegaConf does, or twice: {key!r}")
            out[found[1]] = _unmarked(value)
        return out
    if isinstance(data, list):
        return [_unmarked(item) for item in data]
    if type(data) not in _PLAIN_TYPES:
        raise NotOmegaConf(f"a {type(data).__name__}: {data!r}")
    if isinstance(data, str) and (_MARK in data or _OMEGACONF_FLOAT.match(data)):
        raise NotOmegaConf(f"text OmegaConf reads otherwise: {data!r}")
    return data


def _quoted_by_omegaconf(text: str) -> bool:
    """``OmegaConfDumper.str_representer``'s test (``is_int``, ``is_float``)."""
    if text in _YAML_BOOLS:
        return True
    for kind in (int, float):
        try:
            kind(text)
            return True
        except ValueError:
            pass
    return False


def _checked_copy(data: Any) -> Any:
    """``data`` as fresh lists and dicts of plain values (as ``OmegaConf.to_container`` gives:
    no object twice, so no YAML anchors), each text checked to be written as OmegaConf would."""
    import yaml

    if isinstance(data, dict):
        return {_checked_copy(k): _checked_copy(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_checked_copy(item) for item in data]
    if type(data) not in _PLAIN_TYPES:
        raise NotOmegaConf(f"a {type(data).__name__} to write")
    # OmegaConf forces single quotes on these; the safe dumper quotes only text its resolvers
    # would type, and otherwise chooses the same style (plain, else single, else double).
    quoted = type(data) is str and _quoted_by_omegaconf(data)
    if quoted and yaml.safe_dump(data)[:1] not in ("'", '"'):
        raise NotOmegaConf(f"text OmegaConf's dumper quotes: {data!r}")
    return data


def to_yaml(data: Any) -> str:
    """``OmegaConf.to_yaml`` of plain ``data`` (lists, dicts, plain values), or
    :class:`NotOmegaConf`."""
    import yaml

    return yaml.safe_dump(_checked_copy(data), default_flow_style=False, allow_unicode=True,
                          sort_keys=False)  # fmt: skip
