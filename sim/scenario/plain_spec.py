"""The scenario records of ``sim.scenario.schema`` as data: each record's keys, in order, with
their value types (the ``spec`` each value type of ``sim.scenario.fields`` carries), whether
they may be null, their defaults and their list bounds.

``experiments/make_plain_schema.py`` writes this to ``sim/scenario/plain_schema.json``, which
the plain checks (``sim.scenario.plain_check``) read, so that a scenario without an error is
checked without importing pydantic or building its records; ``tests/test_plain_checks.py``
checks that the stored file is what the records give now. This module imports pydantic.
"""

from __future__ import annotations

import types
import typing
from typing import Annotated, Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

# The records a scenario folder is read with (the rest are reached from these).
ROOTS = ("ScenarioMeta", "Actor", "Tie", "Programme", "Alliance", "Policy", "Levers")


def records() -> dict[str, type[BaseModel]]:
    """The root records by name, and the story's (``sim.scenario.info``)."""
    from sim.scenario import schema
    from sim.scenario.info_schema import InfoFile
    from sim.scenario.steady import SteadyPoint

    out = {name: getattr(schema, name) for name in ROOTS}
    out["InfoFile"] = InfoFile
    out["SteadyPoint"] = SteadyPoint  # behind the steady level's own check
    return out


def spec_of_all() -> dict[str, Any]:
    """Every record reachable from :func:`records`, by class name, and the event types."""
    from sim.scenario.event_schema import EVENT_CLASSES

    found: dict[str, Any] = {}
    todo = [*records().values(), *EVENT_CLASSES]
    while todo:
        cls = todo.pop()
        if cls.__name__ in found:
            continue
        found[cls.__name__] = _record(cls, todo)
    events = {c.model_fields["type"].annotation.__args__[0]: c.__name__ for c in EVENT_CLASSES}
    return {"records": dict(sorted(found.items())), "events": events}


def _record(cls: type[BaseModel], todo: list) -> dict[str, Any]:
    fields = []
    for name, info in cls.model_fields.items():
        kind, optional = _kind(info.annotation, todo, info)
        default = None if info.is_required() else _default(info.default)
        fields.append(
            {
                "name": name,
                "key": info.alias or name,
                "kind": kind,
                "optional": optional,
                "required": info.is_required(),
                "default": default,
                "validate_default": bool(info.validate_default),
            }
        )
    return {"fields": fields, "sourced": "assumption" in cls.known_keys()}


def _default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return {"record": type(value).__name__, "data": value.model_dump(exclude_unset=True)}
    assert value is not PydanticUndefined
    return {"value": value}


def _kind(annotation: Any, todo: list, info: FieldInfo | None = None) -> tuple[list, bool]:
    """The value type as a list ``[kind, ...]``, and whether null is allowed."""
    optional = False
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(members) < len(typing.get_args(annotation))
        if len(members) == 1:
            annotation = members[0]
            origin = typing.get_origin(annotation)
    metadata = info.metadata if info is not None else []
    bounds = _bounds(metadata)
    for item in metadata:  # pydantic keeps a field's own Annotated metadata here
        func = getattr(item, "func", None)
        if getattr(func, "spec", None):
            return list(func.spec), optional
    if origin is Annotated:
        base, *meta = typing.get_args(annotation)
        for item in meta:
            func = getattr(item, "func", None)
            if getattr(func, "spec", None):
                return list(func.spec), optional
        for item in meta:  # Field(min_length=...) inside the annotation
            if isinstance(item, FieldInfo):
                bounds = _bounds(item.metadata)
        inner, _ = _kind(base, todo)
        return _with_bounds(inner, bounds), optional
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        todo.append(annotation)
        return ["record", annotation.__name__], optional
    if origin is list:
        inner, _ = _kind(typing.get_args(annotation)[0], todo)
        return _with_bounds(["list", inner, 0, None], bounds), optional
    if origin is dict:
        key, value = typing.get_args(annotation)
        assert key is str, annotation
        inner, _ = _kind(value, todo)
        return ["dict", inner], optional
    if annotation is Any:
        return ["any"], optional
    if origin is typing.Literal:  # an event's type, which picked its record
        return ["literal", *typing.get_args(annotation)], optional
    raise TypeError(f"no plain check for {annotation!r}")


def _bounds(metadata: list) -> tuple[int, int | None]:
    lo = next((m.min_length for m in metadata if hasattr(m, "min_length")), 0)
    hi = next((m.max_length for m in metadata if hasattr(m, "max_length")), None)
    return lo, hi


def _with_bounds(kind: list, bounds: tuple[int, int | None]) -> list:
    if kind[0] == "list" and bounds != (0, None):
        return ["list", kind[1], *bounds]
    return kind
