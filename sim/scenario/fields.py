"""Value types and the strict base record of the scenario schema (``sim.scenario.schema``).

Each value type checks its value itself and, when it fails, says what is allowed in the
project's words (the text after the last ``:`` of a one-line error); it also carries its JSON
Schema, published in ``docs/schema/``. A :class:`Record` refuses keys it does not know and
names the nearest known one. ``sim.scenario.validation.parse`` turns pydantic's first error
into one :class:`~sim.errors.ScenarioError`.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable, Hashable
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from sim.scenario.dates import parse_month
from sim.scenario.near import SYNONYMS, nearest  # noqa: F401 - imported from here by others
from sim.scenario.vocabulary import MAX_MONEY, MAX_PEOPLE

# Text caps: a value is checked after YAML aliases are expanded, so an alias bomb or a
# megabyte of text in a file of a few hundred bytes is refused, never copied into outputs.
ID_MAX = 64
NAME_MAX = 200
DESCRIPTION_MAX = 300
NOTE_MAX = 500
SOURCE_MAX = 200
ASSUMPTION_MAX = 1500
_SOURCE = re.compile(r"^\d{3}:\d+(-\d+)?$")
SOURCE_FORMAT = "'NNN:LINE' or 'NNN:A-B', several joined by '; '"
_DATE_PATTERN = r"^\d{4}-\d{2}(-\d{2})?$"


def allowed(text: str) -> PydanticCustomError:
    """The error a value type raises: ``text`` says what is allowed."""
    return PydanticCustomError("citypeace", "{allowed}", {"allowed": text})


def _value_type(
    base: type, check: Callable[[Any], Any], schema: dict[str, Any], what: str, spec: tuple = ()
) -> Any:
    """An annotated type: ``check`` validates (and may convert), ``what`` is said when missing.
    ``spec``: the check as data (its kind and bounds), from which
    ``experiments/make_plain_schema.py`` writes the plain checks' table
    (``sim.scenario.plain_check``)."""
    check.what = what  # type: ignore[attr-defined]
    check.spec = spec  # type: ignore[attr-defined]
    return Annotated[base, BeforeValidator(check), WithJsonSchema(schema)]


def _float(value: object) -> float | None:
    """A YAML number as a float (inf for an integer too large for one); None if not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return float(value)
    except OverflowError:
        return math.inf


def Number(lo: float = -math.inf, hi: float = math.inf, cap: float | None = None) -> Any:  # noqa: N802
    """A finite number in [lo, hi]; ``cap`` is a practical upper limit said separately."""
    lo, hi = float(lo), float(hi)

    def check(value: object) -> float:
        number = _float(value)
        if number is None:
            raise allowed(f"a number in [{lo}, {hi}]")
        if not math.isfinite(number) or not lo <= number <= hi:
            raise allowed(f"a finite number in [{lo}, {hi}]")
        if cap is not None and number > cap:
            raise allowed(f"at most {cap:g}")
        return number

    schema: dict[str, Any] = {"type": "number"}
    if math.isfinite(lo):
        schema["minimum"] = lo
    top = cap if cap is not None else hi
    if math.isfinite(top):
        schema["maximum"] = top
    return _value_type(float, check, schema, f"a number in [{lo}, {hi}]", ("number", lo, hi, cap))


def Whole(lo: int, hi: int) -> Any:  # noqa: N802
    """A whole number in [lo, hi] (a float with no fraction is accepted, as YAML may write 12.0)."""

    def check(value: object) -> int:
        number = _float(value)
        if number is None or not math.isfinite(number) or not lo <= number <= hi:
            raise allowed(f"a whole number in [{lo}, {hi}]")
        if number != int(number):
            raise allowed(f"a whole number in [{lo}, {hi}]")
        return int(number)

    schema = {"type": "integer", "minimum": lo, "maximum": hi}
    return _value_type(int, check, schema, f"a whole number in [{lo}, {hi}]", ("whole", lo, hi))


Index = Number(0.0, 1.0)


def Choice(*options: str) -> Any:  # noqa: N802
    """One of ``options``."""

    def check(value: object) -> str:
        if not isinstance(value, Hashable) or value not in options:
            raise allowed(f"one of {list(options)}")
        return value  # type: ignore[return-value]

    missing = f"one of {list(options)}"
    return _value_type(str, check, {"enum": list(options)}, missing, ("choice", list(options)))


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise allowed("true or false")
    return value


Boolean = _value_type(bool, _boolean, {"type": "boolean"}, "true or false", ("boolean",))


def Text(limit: int, what: str = "a non-empty string") -> Any:  # noqa: N802
    """Non-empty text of at most ``limit`` characters."""

    def check(value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            raise allowed(f"{what} (text of at most {limit} characters)")
        if len(value) > limit:
            raise allowed(f"text of at most {limit} characters ({len(value)} given)")
        return value

    schema = {"type": "string", "minLength": 1, "maxLength": limit}
    missing = f"a non-empty string of at most {limit} characters"
    return _value_type(str, check, schema, missing, ("text", limit))


def _label(value: object) -> str:
    """A display name: text, or a number written without quotes."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise allowed(f"a string (text of at most {NAME_MAX} characters)")
    text = str(value)
    if len(text) > NAME_MAX:
        raise allowed(f"text of at most {NAME_MAX} characters ({len(text)} given)")
    return text


Label = _value_type(
    str, _label, {"type": ["string", "number"], "maxLength": NAME_MAX}, "a string", ("label",)
)


def _identifier(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise allowed("a non-empty string")
    if len(value) > ID_MAX:
        raise allowed(f"an id of at most {ID_MAX} characters ({len(value)} given)")
    return value


Id = _value_type(
    str,
    _identifier,
    {"type": "string", "minLength": 1, "maxLength": ID_MAX},
    "a non-empty string",
    ("id",),
)


def Ref(what: str, text: str = "") -> Any:  # noqa: N802
    """The id of a known ``what`` (whether it is known is checked once every id is read)."""
    text = text or f"a known {what} id"

    def check(value: object) -> str:
        if not isinstance(value, str) or not value:
            raise allowed(text)
        return value

    schema = {"type": "string", "minLength": 1, "description": f"a {what} id"}
    return _value_type(str, check, schema, text, ("ref",))


_COUNT = {1: "one", 2: "two"}


def Refs(what: str, at_least: int = 0, text: str = "") -> Any:  # noqa: N802
    """A list of ids of known ``what``s, each once."""
    some = f"at least {_COUNT.get(at_least, at_least)} " if at_least else ""
    text = text or f"a list of {some}known {what} ids, each once"

    def check(value: object) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise allowed(text)
        if len(value) < at_least or len(set(value)) != len(value):
            raise allowed(text)
        return list(value)

    schema = {
        "type": "array",
        "items": {"type": "string", "minLength": 1},
        "uniqueItems": True,
        "minItems": at_least,
    }
    return _value_type(list, check, schema, text, ("refs", at_least))


def _date(value: object) -> str:
    """A YYYY-MM date (a YAML date or '-DD' is accepted; the day is ignored), kept as text."""
    if not isinstance(value, str | datetime.date):
        raise allowed("a date YYYY-MM")
    try:
        parse_month(value)
    except ValueError:
        raise allowed("a date YYYY-MM") from None
    return str(value)


Date = _value_type(
    str, _date, {"type": "string", "pattern": _DATE_PATTERN}, "a date YYYY-MM", ("date",)
)


def _source(value: object) -> str:
    if not isinstance(value, str) or len(value) > SOURCE_MAX:
        raise allowed(f"{SOURCE_FORMAT} (at most {SOURCE_MAX} characters)")
    if not all(_SOURCE.match(part.strip()) for part in value.split(";")):
        raise allowed(SOURCE_FORMAT)
    return value


Source = _value_type(
    str,
    _source,
    {
        "type": "string",
        "maxLength": SOURCE_MAX,
        "pattern": r"^\d{3}:\d+(-\d+)?(; *\d{3}:\d+(-\d+)?)*$",
    },
    SOURCE_FORMAT,
    ("source",),
)
Assumption = Text(ASSUMPTION_MAX, "text saying why")


def unknown_key(data: dict, known: list[str]) -> PydanticCustomError | None:
    """The error for the first key of ``data`` not in ``known`` (None if every key is known)."""
    for position, key in enumerate(data):
        if key not in known:
            near = nearest(key, known)
            hint = f"did you mean {near!r}? " if near else ""
            # The key's position, not its value: pydantic copies an error's context, and the
            # value may be an alias bomb.
            return PydanticCustomError(
                "unknown_key",
                "{allowed}",
                {
                    "key": str(key),
                    "position": position,
                    "allowed": f"{hint}a known key: one of {known}",
                },
            )
    return None


def at_key(key: str, value: str | None, text: str) -> PydanticCustomError:
    """An error a record's own check raises about one of its keys (a small value only: pydantic
    copies an error's context)."""
    return PydanticCustomError("at_key", "{allowed}", {"key": key, "value": value, "allowed": text})


def in_mapping(data: dict, key: object, text: str) -> PydanticCustomError:
    """An error about ``data[key]``, where ``data`` is the value being checked; the key is
    named by its position so that a huge value is never copied."""
    return PydanticCustomError(
        "unknown_key",
        "{allowed}",
        {"key": str(key), "position": list(data).index(key), "allowed": text},
    )


class Record(BaseModel):
    """A mapping of known keys only: an unknown key is refused with the nearest known key.

    A record with ``source`` and ``assumption`` keys must give one of them (its provenance);
    unknown keys are reported first, so that a misspelt ``assumption`` is named as such.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=False, hide_input_in_errors=True)

    @classmethod
    def known_keys(cls) -> list[str]:
        """The keys a file may use (aliases such as ``from``, not Python's ``from_``)."""
        return [f.alias or name for name, f in cls.model_fields.items()]

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        known = cls.known_keys()
        if not isinstance(data, dict):
            raise allowed(f"a mapping with keys from {known}")
        error = unknown_key(data, known)
        if error is not None:
            raise error
        if "assumption" in known and not data.get("source") and not data.get("assumption"):
            raise PydanticCustomError(
                "provenance",
                "{allowed}",
                {"allowed": 'an entry with `source: "NNN:LINE"` or `assumption: "why"`'},
            )
        return data


class Sourced(Record):
    """A record that says where it comes from: a seed line, or an explicit assumption."""

    source: Source | None = None
    assumption: Assumption | None = None


# Amounts of the format, capped at the practical limits of sim.scenario.vocabulary.
Money = Number(0.0, math.inf, cap=MAX_MONEY)
People = Number(0.0, math.inf, cap=MAX_PEOPLE)
