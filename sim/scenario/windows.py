"""Dates on the scenario's calendar as steps, and activity windows (``start``/``end``).

An actor or a tie with a window takes part only from its ``start`` month through its ``end``
month; either may be left out (active from the scenario's start, or to its end). A window's
dates go through the same checks as an event's date: inside the horizon, end not before start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.scenario.dates import format_month, parse_month

if TYPE_CHECKING:  # the engine reads NO_END without the scenario checks
    from sim.scenario.references import Entry

NO_END = 10**9  # the last active step of a window without an end: beyond any horizon


def step(entry: Entry, key: str, raw: str, start: int, horizon: int, clip_end: bool = False) -> int:
    """A date as a step index inside [start, start + horizon); with ``clip_end``, a date
    beyond the horizon is the horizon."""
    index = parse_month(raw) - start
    if clip_end and index >= horizon:
        return horizon
    if not 0 <= index < horizon:
        last = format_month(start + horizon - 1)
        raise entry.fail(key, raw, f"a date within the horizon [{format_month(start)}, {last}]")
    return index


def window(entry: Entry, rec: Any, start: int, horizon: int) -> tuple[int, int]:
    """(first, last) active step of an entry with optional ``start`` and ``end`` dates."""
    first = 0 if rec.start is None else step(entry, "start", rec.start, start, horizon)
    last = NO_END if rec.end is None else step(entry, "end", rec.end, start, horizon)
    if last < first:
        raise entry.fail("end", rec.end, f"a date not before start {rec.start}")
    return first, last


def describe(first: int, last: int, start: int) -> str:
    """A window as a reader writes it: '1998-01 to 2003-12', 'from 1998-01', 'always'."""
    if first <= 0 and last >= NO_END:
        return "always"
    if last >= NO_END:
        return f"from {format_month(start + first)}"
    return f"{format_month(start + max(first, 0))} to {format_month(start + last)}"
