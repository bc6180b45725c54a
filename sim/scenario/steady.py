"""A municipality's steady capacity ``K_ss`` (ODD 7.6): a number, or dated points.

``steady_capacity: 0.59`` holds for the whole run. A list of points
``[{date: 1990-07, value: 0.80}, {date: 2019-07, value: 0.98}]`` is a steady state that moves
(branch growth): piecewise linear between the points (constant growth of income per head on the
log-income reading of the index), constant before the first and after the last. Dates increase
strictly and lie inside the scenario's horizon; values are indices in [0, 1]. The loader checks
the dates and keeps each city's points as steps of the run (``sim.scenario.steady_check``).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import WithJsonSchema, WrapValidator

from sim.scenario.fields import Date, Index, Record, allowed
from sim.scenario.vocabulary import MAX_HORIZON

POINTS = "a list of at least one point {date: YYYY-MM, value: a number in [0.0, 1.0]}"
_NUMBER = "a number in [0.0, 1.0]"
_INDEX_CHECK = Index.__metadata__[0].func  # the index's own check and words


class SteadyPoint(Record):
    """One dated point of a steady capacity that moves."""

    date: Date
    value: Index


def _steady(value: Any, handler: Any) -> Any:
    """A number (the index's own check) or a non-empty list of points (each a record)."""
    if isinstance(value, list):
        if not value:
            raise allowed(POINTS)
        if len(value) > MAX_HORIZON:  # at most one a month: an alias bomb is refused unread
            raise allowed(f"at most {MAX_HORIZON} points, one a month ({len(value)} given)")
        return handler(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise allowed(f"{_NUMBER}, or {POINTS}")
    return _INDEX_CHECK(value)


_steady.spec = ("steady",)  # type: ignore[attr-defined]
SteadyLevel = Annotated[
    list[SteadyPoint],
    WrapValidator(_steady),
    WithJsonSchema(
        {
            "oneOf": [
                {"type": "number", "minimum": 0.0, "maximum": 1.0},
                {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["date", "value"],
                        "properties": {
                            "date": {"type": "string", "pattern": r"^\d{4}-\d{2}(-\d{2})?$"},
                            "value": {"type": "number", "minimum": 0.0, "maximum": 1.0},
                        },
                    },
                },
            ]
        }
    ),
]
