"""Pydantic's errors as the project's one-line errors.

:func:`parse` validates data against a record of ``sim.scenario.schema`` (or any type) and
turns pydantic's first error into one :class:`~sim.errors.ScenarioError` naming the file, the
key path as the project writes it (``actors[3].mandate.peace``), the value and what is allowed
in the words of the failing value type (``sim.scenario.fields``).
"""

from __future__ import annotations

import types
import typing
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from sim.errors import ScenarioError, brief


def parse(kind: Any, data: Any, file: str, where: str = "") -> Any:
    """``data`` validated as ``kind`` (a model class or a type), or one ScenarioError."""
    adapter = kind if isinstance(kind, TypeAdapter) else _adapter(kind)
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        raise _one_error(exc, kind, data, file, where) from None


_ADAPTERS: dict[Any, TypeAdapter] = {}


def _adapter(kind: Any) -> TypeAdapter:
    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        adapter = _ADAPTERS[kind] = TypeAdapter(kind)
    return adapter


def key_path(where: str, loc: list[object]) -> str:
    """``where`` and a pydantic location as the project writes keys: ``actors[3].mandate``."""
    out = where
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out = f"{out}.{part}" if out else str(part)
    return out


def _one_error(exc: ValidationError, kind: Any, data: Any, file: str, where: str) -> ScenarioError:
    err = exc.errors(include_url=False, include_context=True, include_input=True)[0]
    loc, owner, last = _walk(kind, list(err["loc"]))
    value, ctx = err.get("input"), err.get("ctx") or {}
    if err["type"] == "unknown_key":
        loc.append(ctx["key"])
        text = ctx["allowed"]
        value = list(value.values())[ctx["position"]] if isinstance(value, dict) else None
    elif err["type"] == "at_key":
        loc.append(ctx["key"])
        value, text = ctx.get("value"), ctx["allowed"]
    elif err["type"] in ("union_tag_invalid", "union_tag_not_found"):
        loc.append("type")
        value = ctx.get("tag")
        text = f"one of {list(last) if isinstance(last, dict) else []}"
        text += " (required)" if err["type"] == "union_tag_not_found" else ""
    elif err["type"] == "provenance":
        return ScenarioError(
            file, key_path(where, loc) or "document", _short(value), ctx["allowed"]
        )
    elif "allowed" in ctx:
        text = ctx["allowed"]
    elif err["type"] == "missing":
        text = f"{_what(owner, loc[-1])} (required)"
        value = None
    elif err["type"] == "too_short":
        text = f"{_what(owner, loc[-1]) if loc else 'a list'} (at least {ctx['min_length']})"
    elif err["type"] in ("list_type", "tuple_type"):
        text = "a list"
    elif err["type"] in ("model_type", "dict_type", "model_attributes_type"):
        text = "a mapping"
    else:  # a pydantic check we did not word ourselves
        text = str(err.get("msg", "a valid value"))
    return ScenarioError(file, key_path(where, loc) or "document", value, text)


def _short(value: object) -> str:
    text = brief(value)
    return text if len(text) < 80 else text[:77] + "..."


def _walk(kind: Any, loc: list[object]) -> tuple[list[object], Any, Any]:
    """Drop the union tags from ``loc``; also the record class that owns its last key, and
    the type at ``loc`` ({tag: record} for a tagged union)."""
    out: list[object] = []
    owner: Any = None
    current: Any = kind
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, dict):  # the members of a tagged union, by tag
            current = current.get(part)
            continue
        out.append(part)
        if isinstance(current, type) and issubclass(current, BaseModel):
            owner = current
            field = next(
                (f for n, f in current.model_fields.items() if (f.alias or n) == part), None
            )
            current = field.annotation if field is not None else None
        elif typing.get_origin(current) in (list, dict):
            current = typing.get_args(current)[-1]
        else:
            current = None
    return out, owner, _unwrap(current)


def _unwrap(kind: Any) -> Any:
    """A union of records becomes {tag: record}; Optional[X] and Annotated[X, ...] become X."""
    while True:
        origin = typing.get_origin(kind)
        if origin is Annotated:
            kind = typing.get_args(kind)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(kind) if a is not type(None)]
            if len(members) == 1:
                kind = members[0]
                continue
            tagged = {
                typing.get_args(m.model_fields["type"].annotation)[0]: m
                for m in members
                if isinstance(m, type) and issubclass(m, BaseModel) and "type" in m.model_fields
            }
            return tagged or None
        else:
            return kind


def _what(owner: Any, key: object) -> str:
    """What the field ``key`` of record ``owner`` allows, for a missing-key error."""
    if owner is None:
        return "a value"
    field = next((f for n, f in owner.model_fields.items() if (f.alias or n) == key), None)
    for meta in getattr(field, "metadata", []):
        what = getattr(getattr(meta, "func", None), "what", None)
        if what:
            return what
    if field is not None and field.description:
        return field.description
    return "a value"
