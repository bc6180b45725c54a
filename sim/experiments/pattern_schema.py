"""The checks of ``patterns.yaml``: every pattern is refused at load time unless it is well formed.

The scenario loader calls :func:`check_patterns` once the scenario's actors, ties, programmes and
watched cities are known, before any run. A bad pattern is one :class:`~sim.errors.ScenarioError`
naming the file's full path, the key (``patterns[i].key``), the value and what is allowed (with
the nearest key or series name when one is close), so the CLI prints one line and exits 2.

What is checked: the keys of each kind (a misspelt ``minimum:`` for ``min:`` would otherwise
pass with no bound), the role (``scripted``, ``calibration`` with ``calibrates``, ``evidence``
with ``mechanism``), the series (columns of this scenario or a scoped form, see
``sim.experiments.pattern_series``), aggregates, dates inside the scenario's span,
bounds, operators, policies, directions and text sizes. Series are checked on the baseline
load; a policy may remove what a series reads, and ``citypeace validate`` checks each contrast's
series under its own policy before it runs anything.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
from collections.abc import Hashable
from typing import Any

from sim.errors import ScenarioError
from sim.experiments.pattern_series import (
    series_problem,
    standing_series,
)

KINDS = ("range", "ratio", "change", "first_date", "contrast")
ROLES = ("scripted", "calibration", "evidence")
AGGREGATES = ("sum", "mean", "max", "min", "last", "first", "median")
OPERATORS = (">=", ">", "<=", "<", "==")
DIRECTIONS = ("lower", "higher")
TEXT_MAX = {"id": 64, "description": 300, "source": 200, "assumption": 1500, "role_reason": 400}
PATTERNS_MAX = 500

_COMMON = (
    "id",
    "description",
    "source",
    "assumption",
    "kind",
    "role",
    "role_reason",
    "calibrates",
    "mechanism",
)
_WINDOW = ("series", "agg", "from", "to")
KEYS = {
    "range": (*_COMMON, *_WINDOW, "min", "max"),
    "ratio": (*_COMMON, "numerator", "denominator", "min", "max"),
    "change": (*_COMMON, "before", "after", "min", "max"),
    "first_date": (*_COMMON, "series", "op", "value", "from", "to", "never"),
    "contrast": (*_COMMON, *_WINDOW, "policy", "min_difference", "direction"),
}
_ANY_KIND = tuple(sorted({key for keys in KEYS.values() for key in keys}))
_ALIASES = {
    "minimum": "min",
    "maximum": "max",
    "aggregate": "agg",
    "start": "from",
    "end": "to",
    "until": "to",
    "threshold": "min_difference",
    "mechanisms": "mechanism",
    "calibrated": "calibrates",
    "type": "kind",
}
_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")
_SOURCE = re.compile(r"^\d{3}:\d+(-\d+)?$")


class _Pattern:
    """Accessors for one pattern record that raise ScenarioError with file, key and value."""

    def __init__(
        self, rec: dict, file: str, where: str, sc: Any, standing: list[str] | None = None
    ) -> None:
        self.rec, self.file, self.where, self.sc = rec, file, where, sc
        self.standing = standing  # the scenario's recorded columns, listed once per file

    def fail(self, key: str, value: object, allowed: str) -> ScenarioError:
        return ScenarioError(
            self.file, f"{self.where}.{key}" if key else self.where, value, allowed
        )

    def keys(
        self,
        allowed: tuple[str, ...],
        rec: dict | None = None,
        prefix: str = "",
        what: str = "a key of this kind",
    ) -> None:
        rec = self.rec if rec is None else rec
        for key in rec:
            if key in allowed:
                continue
            near = _ALIASES.get(str(key)) if _ALIASES.get(str(key)) in allowed else None
            near = near or next(iter(difflib.get_close_matches(str(key), allowed, n=1)), None)
            hint = f"did you mean {near!r}? " if near else ""
            raise self.fail(f"{prefix}{key}", rec[key], f"{hint}{what}: {list(allowed)}")

    def text(self, key: str, required: bool = False) -> str | None:
        value = self.rec.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, value, "a non-empty string")
        if len(value) > TEXT_MAX[key]:
            raise self.fail(key, value, f"at most {TEXT_MAX[key]} characters ({len(value)} given)")
        return value

    def number(self, key: str, rec: dict | None = None, lo: float = -math.inf) -> float | None:
        value = (self.rec if rec is None else rec).get(key)
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(float(value))
        ):
            raise self.fail(key, value, "a finite number")
        if value < lo:
            raise self.fail(key, value, f"a number >= {lo:g}")
        return float(value)

    def choice(self, key: str, options: tuple, default: Any = None, rec: dict | None = None) -> Any:
        value = (self.rec if rec is None else rec).get(key, default)
        if not isinstance(value, Hashable) or value not in options:
            raise self.fail(key, value, f"one of {list(options)}")
        return value

    def date(self, key: str, rec: dict, prefix: str = "") -> int | None:
        """A YYYY-MM date inside the scenario's span, as a month index (None if absent)."""
        from sim.scenario.dates import format_month as _fmt
        from sim.scenario.dates import month_of as _month

        if key not in rec:
            return None
        raw = rec[key]
        try:
            month = _month(raw)
        except ValueError:
            raise self.fail(f"{prefix}{key}", raw, "a date YYYY-MM") from None
        first, last = self.sc.start, self.sc.start + self.sc.horizon - 1
        if not first <= month <= last:
            raise self.fail(
                f"{prefix}{key}", raw, f"a date within the scenario [{_fmt(first)}, {_fmt(last)}]"
            )
        return month

    def window(self, rec: dict, prefix: str = "") -> None:
        lo, hi = self.date("from", rec, prefix), self.date("to", rec, prefix)
        if lo is not None and hi is not None and hi < lo:
            raise self.fail(f"{prefix}to", rec["to"], f"a date not before from ({rec['from']})")

    def series(self, rec: dict, prefix: str = "") -> None:
        value = rec.get("series")
        if not isinstance(value, str) or not value:
            raise self.fail(f"{prefix}series", value, "the name of a series (required)")
        if self.sc.policy != "baseline":
            return  # the baseline load checked it; a policy may drop what it reads
        problem = series_problem(value, self.sc, self.standing)
        if problem:
            raise self.fail(f"{prefix}series", value, problem)

    def names(self, key: str, known: dict[str, Any] | list[str], what: str) -> list[str]:
        value = self.rec.get(key)
        if not isinstance(value, list) or not value:
            raise self.fail(key, value, f"a non-empty list of {what}")
        for item in value:
            if not isinstance(item, str) or item not in known:
                near = difflib.get_close_matches(str(item), list(known), n=1)
                hint = f"did you mean {near[0]!r}? " if near else ""
                raise self.fail(key, item, f"{hint}one of {sorted(known)}")
        if len(set(value)) != len(value):
            raise self.fail(key, value, f"a list of distinct {what}")
        return value


def check_patterns(records: list[Any], file: str, sc: Any) -> list[dict[str, Any]]:
    """Every pattern of ``file`` checked against scenario ``sc``; returns plain copies."""
    if len(records) > PATTERNS_MAX:
        raise ScenarioError(file, "patterns", len(records), f"at most {PATTERNS_MAX} patterns")
    out, seen = [], set()
    standing = standing_series(sc) if records and sc.policy == "baseline" else None
    for i, rec in enumerate(records):
        checked = check_pattern(rec, file, f"patterns[{i}]", sc, standing)
        if checked["id"] in seen:
            raise ScenarioError(file, f"patterns[{i}].id", checked["id"], "a unique pattern id")
        seen.add(checked["id"])
        out.append(checked)
    return out


def check_pattern(
    rec: Any, file: str, where: str, sc: Any, standing: list[str] | None = None
) -> dict[str, Any]:
    """One pattern record, checked (see the module docstring)."""
    if not isinstance(rec, dict):
        raise ScenarioError(file, where, rec, "a mapping with id, kind, role and the kind's keys")
    p = _Pattern(rec, file, where, sc, standing)
    p.keys(_ANY_KIND, what="a pattern key")  # named first: a misspelt `id` is named as such
    _provenance(p)
    pid = p.text("id", required=True)
    if not _ID.match(pid):
        raise p.fail("id", pid, "letters, digits, _ and - (no spaces)")
    p.text("description")
    kind = p.choice("kind", KINDS)
    if kind == "contrast":  # the policy first: it is what a contrast is about
        policy = rec.get("policy")
        if not isinstance(policy, Hashable) or policy not in sc.policies:
            raise p.fail("policy", policy, f"one of {sorted(sc.policies, key=str)}")
    p.keys(KEYS[kind])
    _role(p)
    checks = {"range": _range, "ratio": _ratio, "change": _change, "first_date": _first_date}
    {**checks, "contrast": _contrast}[kind](p)
    return dict(rec)


def _provenance(p: _Pattern) -> None:
    source, assumption = p.rec.get("source"), p.rec.get("assumption")
    if not source and not assumption:
        raise p.fail(
            "", p.rec.get("id", "?"), 'a pattern with `source: "NNN:LINE"` or `assumption`'
        )
    if source is not None:
        p.text("source")
        if not all(_SOURCE.match(part.strip()) for part in source.split(";")):
            raise p.fail("source", source, "'NNN:LINE' or 'NNN:A-B', several joined by '; '")
    p.text("assumption")


def _role(p: _Pattern) -> None:
    from sim.experiments.nulls import mechanisms

    role = p.choice("role", ROLES)
    p.text("role_reason", required=True)
    for key, owner in (("calibrates", "calibration"), ("mechanism", "evidence")):
        if key in p.rec and role != owner:
            raise p.fail(key, p.rec[key], f"only for role {owner!r} (this pattern is {role!r})")
    if role == "calibration":
        p.names("calibrates", coefficient_keys(), "coefficients (model.<group>.<name>)")
    if role == "evidence":
        p.names("mechanism", mechanisms(), "mechanisms, each with a null in configs/nulls")


def _bounds(p: _Pattern) -> None:
    lo, hi = p.number("min"), p.number("max")
    if lo is None and hi is None:
        raise p.fail("min", None, "a bound: min, max or both")
    if lo is not None and hi is not None and hi < lo:
        raise p.fail("max", p.rec["max"], f"a number >= min ({p.rec['min']})")


def _aggregate(p: _Pattern, rec: dict, prefix: str = "") -> None:
    p.series(rec, prefix)
    p.choice(f"{prefix}agg", AGGREGATES, "mean", rec={f"{prefix}agg": rec.get("agg", "mean")})
    p.window(rec, prefix)


def _range(p: _Pattern) -> None:
    _aggregate(p, p.rec)
    _bounds(p)


def _ratio(p: _Pattern, parts: tuple[str, str] = ("numerator", "denominator")) -> None:
    for part in parts:
        spec = p.rec.get(part)
        if not isinstance(spec, dict):
            raise p.fail(part, spec, "a mapping {series, agg, from, to}")
        p.keys(_WINDOW, spec, f"{part}.")
        _aggregate(p, spec, f"{part}.")
    _bounds(p)


def _change(p: _Pattern) -> None:
    """Two windows like a ratio's; the pattern bounds ``after - before``."""
    _ratio(p, ("before", "after"))


def _first_date(p: _Pattern) -> None:
    p.series(p.rec)
    p.choice("op", OPERATORS, ">=")
    if p.number("value") is None:
        raise p.fail("value", None, "the number the series is compared with (required)")
    never = p.rec.get("never", False)
    if not isinstance(never, bool):
        raise p.fail("never", never, "true or false")
    p.window(p.rec)


def _contrast(p: _Pattern) -> None:
    _aggregate(p, p.rec)
    p.choice("direction", DIRECTIONS, "lower")
    if p.number("min_difference", lo=0.0) is None:
        raise p.fail("min_difference", None, "the smallest gap that counts, a number >= 0")


def coefficient_keys() -> dict[str, Any]:
    """``model.<group>.<name>`` of every documented coefficient (the rule switches excluded)."""
    from sim.engine.params import ModelParams

    keys = {}
    for group in dataclasses.fields(ModelParams):
        section = group.default_factory()
        for f in dataclasses.fields(section):
            if "range" in f.metadata:
                keys[f"model.{group.name}.{f.name}"] = f
    return keys
