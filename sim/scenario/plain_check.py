"""The scenario format checked without pydantic, for a scenario that has no error.

A first run used to import pydantic and build the format's records (about 0.28 s of CPU)
to validate a hundred entries in 7 ms. Here each entry is checked against the same records'
keys, value types, defaults and bounds, as data (``plain_schema.json``, written from the
records by ``experiments/make_plain_schema.py``), and with plain twins of the records' own
checks (:data:`TWINS`). The plain check only *accepts*: whatever it is not sure of (an
unknown key, a value out of range, a missing key, anything it does not handle) raises
:class:`Doubt`, and the caller (``sim.scenario.records``) then validates the entry with
pydantic, which words the refusal exactly as before, or accepts it. So an accepted entry
holds the values pydantic would give (``tests/test_plain_checks.py`` compares them), and a
refusal is always pydantic's.
"""

from __future__ import annotations

import copy
import json
import math
import re
from functools import cache
from pathlib import Path
from typing import Any

from sim.scenario.dates import parse_month
from sim.scenario.vocabulary import MAX_HORIZON, PILLARS

SCHEMA_FILE = Path(__file__).with_name("plain_schema.json")
# The value types' own limits (sim.scenario.fields), which their specs do not carry.
ID_MAX, NAME_MAX, SOURCE_MAX = 64, 200, 200
_SOURCE = re.compile(r"^\d{3}:\d+(-\d+)?$")
SELECTOR_KEYS = ("type", "country", "community", "kind", "level")
# The records' own checks (pydantic validators), each with a plain twin below; the test fails
# when a record gains a check that has none.
TWINS = {
    ("Record", "_known_keys"),
    ("LeverSetting", "_by_lever"),
    ("Actor", "_by_type"),
    ("Actor", "_people"),
    ("Programme", "_one_phase_or_phases"),
    ("Targets", "_one"),
    ("Withdraw", "_one"),
    ("Disaster", "_something"),
}


class Doubt(Exception):
    """The plain check is not sure: pydantic decides (and words any refusal)."""


@cache
def schema() -> dict[str, Any]:
    """The records as data (``plain_schema.json``)."""
    return json.loads(SCHEMA_FILE.read_text())


class PlainRecord:
    """An accepted entry: its values as attributes, as pydantic's record has them, with the
    few record methods the loader uses (``model_dump``, ``model_copy``, ``model_fields``)."""

    record: str = ""
    model_fields: dict[str, None] = {}

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)

    def model_dump(
        self, by_alias: bool = False, exclude_defaults: bool = False, exclude_none: bool = False
    ) -> dict[str, Any]:
        out = {}
        for field in _fields(self.record):
            value = getattr(self, field["name"])
            if exclude_none and value is None:
                continue
            if exclude_defaults and not field["required"] and value == _default(field):
                continue
            out[field["key"] if by_alias else field["name"]] = _dump(
                value, by_alias, exclude_defaults, exclude_none
            )
        return out

    def model_copy(self, update: dict[str, Any] | None = None) -> PlainRecord:
        return type(self)({**self.__dict__, **(update or {})})

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def __repr__(self) -> str:
        return f"{self.record}({self.__dict__!r})"


def _dump(value: Any, *how: bool) -> Any:
    if isinstance(value, PlainRecord):
        return value.model_dump(*how)
    if isinstance(value, list):
        return [_dump(v, *how) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v, *how) for k, v in value.items()}
    return value


@cache
def record_class(name: str) -> type[PlainRecord]:
    """The plain class of record ``name`` (``type(entry).model_fields`` names its keys)."""
    fields = dict.fromkeys(f["name"] for f in _fields(name))
    return type(name, (PlainRecord,), {"record": name, "model_fields": fields})


def _fields(name: str) -> list[dict[str, Any]]:
    return schema()["records"][name]["fields"]


def _default(field: dict[str, Any]) -> Any:
    default = field["default"]
    if "record" in default:
        return check(default["record"], default["data"])
    return copy.deepcopy(default["value"])


def check(name: str, data: Any) -> Any:
    """``data`` as record ``name``, or :class:`Doubt`."""
    if name == "Event":
        return _event(data)
    if name == "Id":
        return _value(["id"], data)
    spec = schema()["records"][name]
    if not isinstance(data, dict):
        raise Doubt
    fields = spec["fields"]
    known = {f["key"] for f in fields}
    if any(not isinstance(k, str) or k not in known for k in data):
        raise Doubt
    if spec["sourced"] and not data.get("source") and not data.get("assumption"):
        raise Doubt
    if name == "Targets" and len(data) != 1:
        raise Doubt
    values: dict[str, Any] = {}
    for field in fields:
        key = field["key"]
        if key not in data:
            if field["required"]:
                raise Doubt
            values[field["name"]] = _default(field)
            if not field["validate_default"]:
                continue
            raw = values[field["name"]]
        else:
            raw = data[key]
        if name == "Actor" and key == "population" and values.get("type") == "municipality":
            _number(raw, 1.0, math.inf, None)  # a city has people (Actor._people)
        if name == "LeverSetting" and key == "value":
            values["value"] = getattr(check("Levers", {values["lever"]: raw}), values["lever"])
            continue
        if raw is None and field["optional"]:
            values[field["name"]] = None
            continue
        values[field["name"]] = _value(field["kind"], raw)
    _after(name, values)
    return record_class(name)(values)


def _after(name: str, v: dict[str, Any]) -> None:
    """The records' own checks after their keys (twins of pydantic's validators)."""
    ok = _AFTER.get(name)
    if ok is not None and not ok(v):
        raise Doubt


def _phases_ok(v: dict[str, Any]) -> bool:
    """Programme._one_phase_or_phases: a phase at the top level or ``phases``, not both."""
    given = [k for k in ("start", "end", "budget", "pillars") if v[k] is not None]
    return len(given) == 4 and v["phases"] is None or not given and v["phases"] is not None


_AFTER = {
    "Actor": lambda v: (
        not (v["type"] == "international_organisation" and v["kind"] is None)
        and not (v["type"] != "municipality" and v["steady_capacity"] is not None)
    ),
    "Programme": _phases_ok,
    "Withdraw": lambda v: (v["alliance"] is None) != (v["programme"] is None),
    "Disaster": lambda v: not (v["needs_shock"] == 0 and v["capacity_loss"] == 0),
}


def _event(data: Any) -> PlainRecord:
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise Doubt
    record = schema()["events"].get(data["type"])
    if record is None:
        raise Doubt
    return check(record, data)


def _value(kind: list, raw: Any) -> Any:
    """``raw`` as value type ``kind`` (``sim.scenario.fields``' checks), or Doubt."""
    tag = kind[0]
    if tag == "number":
        return _number(raw, *kind[1:])
    if tag == "whole":
        if isinstance(raw, bool) or not isinstance(raw, int) or not kind[1] <= raw <= kind[2]:
            raise Doubt  # (a float with no fraction is pydantic's to accept)
        return int(raw)
    if tag == "choice":
        if not isinstance(raw, str) or raw not in kind[1]:
            raise Doubt
        return raw
    if tag == "literal":
        if raw != kind[1] or not isinstance(raw, str):
            raise Doubt
        return raw
    if tag == "boolean":
        if not isinstance(raw, bool):
            raise Doubt
        return raw
    if tag == "text":
        if not isinstance(raw, str) or not raw.strip() or len(raw) > kind[1]:
            raise Doubt
        return raw
    if tag == "label":
        if not isinstance(raw, str) or len(raw) > NAME_MAX:
            raise Doubt  # (a number as a name is pydantic's to accept)
        return raw
    if tag == "id":
        if not isinstance(raw, str) or not raw.strip() or len(raw) > ID_MAX:
            raise Doubt
        return raw
    if tag == "ref":
        if not isinstance(raw, str) or not raw:
            raise Doubt
        return raw
    if tag == "refs":
        if not isinstance(raw, list) or not all(isinstance(v, str) and v for v in raw):
            raise Doubt
        if len(raw) < kind[1] or len(set(raw)) != len(raw):
            raise Doubt
        return list(raw)
    if tag == "date":
        return _date(raw)
    if tag == "source":
        ok = isinstance(raw, str) and len(raw) <= SOURCE_MAX
        if not ok or not all(_SOURCE.match(part.strip()) for part in raw.split(";")):
            raise Doubt
        return raw
    if tag == "record":
        return check(kind[1], raw)
    if tag == "event":
        return _event(raw)
    if tag == "list":
        if not isinstance(raw, list) or len(raw) < kind[2]:
            raise Doubt
        if kind[3] is not None and len(raw) > kind[3]:
            raise Doubt
        return [_value(kind[1], item) for item in raw]
    if tag == "dict":
        if not isinstance(raw, dict) or not all(isinstance(k, str) for k in raw):
            raise Doubt
        return {k: _value(kind[1], v) for k, v in raw.items()}
    if tag == "pillars":
        ok = isinstance(raw, list) and raw and all(isinstance(v, str) for v in raw)
        if not ok or not all(v in PILLARS for v in raw) or len(set(raw)) != len(raw):
            raise Doubt
        return list(raw)
    if tag == "group":
        return _group(raw)
    if tag == "steady":
        if isinstance(raw, list):
            if not raw or len(raw) > MAX_HORIZON:
                raise Doubt
            return [check("SteadyPoint", point) for point in raw]
        return _number(raw, 0.0, 1.0, None)
    raise Doubt  # "any" outside a lever setting, or a kind this module does not know


def _number(raw: Any, lo: float, hi: float, cap: float | None) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise Doubt
    try:
        number = float(raw)
    except OverflowError:
        raise Doubt from None
    if not math.isfinite(number) or not lo <= number <= hi:
        raise Doubt
    if cap is not None and number > cap:
        raise Doubt
    return number


def _date(raw: Any) -> str:
    if not isinstance(raw, str):  # (a YAML date is pydantic's to accept)
        raise Doubt
    try:
        parse_month(raw)
    except ValueError:
        raise Doubt from None
    return str(raw)


def _group(raw: Any) -> Any:
    if isinstance(raw, dict):
        if not raw or not all(k in SELECTOR_KEYS for k in raw):
            raise Doubt
        if not all(isinstance(v, str) and v for v in raw.values()):
            raise Doubt
        return dict(raw)
    if not isinstance(raw, list) or not all(isinstance(v, str) and v for v in raw):
        raise Doubt
    if len(set(raw)) != len(raw):
        raise Doubt
    return list(raw)
