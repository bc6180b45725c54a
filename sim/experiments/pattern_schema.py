"""The checks of ``patterns.yaml``: every pattern is refused at load time unless it is well formed.

The scenario loader calls :func:`check_patterns` once the scenario's actors, ties, programmes and
watched cities are known, before any run. A bad pattern is one :class:`~sim.errors.ScenarioError`
naming the file's full path, the key (``patterns[i].key``), the value and what is allowed (with
the nearest key or series name when one is close), so the CLI prints one line and exits 2.

What is checked: the keys of each kind (a misspelt ``minimum:`` for ``min:`` would otherwise
pass with no bound), the role (``scripted``, ``calibration`` with ``calibrates``, ``evidence``
with ``mechanism``), the series (columns of this scenario, see :func:`standing_series`, or a
scoped form of ``sim.engine.scoped_series``), aggregates, dates inside the scenario's span,
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


# ----------------------------------------------------------------------------- series


def standing_series(sc: Any) -> list[str]:
    """The columns every run of ``sc`` records (``sim.engine.observe.Recorder``), in order."""
    from sim.engine.observe import COMMUNITY_SERIES, DYNAMICS_SERIES, WATCH_METRICS, WEIGHTED
    from sim.scenario.loader import PILLARS

    names = ["step", "date", *WEIGHTED, "D_mean", "S_mean", "C_mean", "displaced"]
    names += list(DYNAMICS_SERIES)
    names += ["cross_divide_trust", "cross_divide_ties", "horizontal_integration"]
    names += ["vertical_integration"]
    names += [f"projects_{s}_development" for s in ("active", "started", "completed")]
    names += ["projects_interrupted_development"]
    for pillar in PILLARS:
        names += [f"flows_{pillar}", f"funds_{pillar}_direct", f"funds_{pillar}_io"]
    names += ["funds_total", "io_share", "offers_accepted", "offers_declined"]
    names += [f"gate_open_{pillar}" for pillar in PILLARS]
    names += ["programmes_funded", *(f"funded@{p}" for p in _every_programme(sc))]
    for a in sc.alliances:
        names += [f"alliance_{a['id']}", f"alliance_{a['id']}_progress"]
    if len(sc.countries) > 1:
        names += ["hostility_max", "sanctioned_countries"]
    if len(sc.countries) <= 12:
        c = sc.countries
        for i in range(len(c)):
            for j in range(i + 1, len(c)):
                names += [f"permission_{c[i]}_{c[j]}", f"hostility_{c[i]}_{c[j]}"]
    cities = sc.actors[sc.actors["type"] == "municipality"]
    populated = cities[cities["population"] > 0]["community"].dropna()
    kept = [c for c in sc.communities if c in set(populated)]
    if cities["community"].notna().any() and len(sc.communities) <= 64:
        names += [f"{name}_{k}" for name in COMMUNITY_SERIES for k in kept]
    watched = [w for w in sc.watch if w in set(cities["id"])]
    names += [f"{metric}@{w}" for w in watched for metric in WATCH_METRICS]
    return names


def _every_programme(sc: Any) -> list[str]:
    """The programmes of every policy of ``sc``'s scenario, as the wide series has them
    (``sim.engine.outputs.every_programme``). The baseline, which the loader checks patterns
    against while loading, adds its policies' programmes from policies.yaml: loading the
    scenario again from here would recurse."""
    own = [p["id"] for p in sc.programmes]
    folder = getattr(sc, "folder", None)
    if folder is None:
        return own
    if sc.policy != "baseline":
        from sim.engine.outputs import every_programme

        return every_programme(sc, own)
    from sim.scenario.policies import read_policies

    added = [p.id for policy in read_policies(folder).values() for p in policy.add_programmes]
    return list(dict.fromkeys([*own, *added]))


def series_problem(name: str, sc: Any, standing: list[str] | None = None) -> str | None:
    """None when ``name`` is a series of ``sc``; otherwise what is allowed (for the error)."""
    from sim.engine import scoped_series as scoped
    from sim.scenario.loader import TIE_TYPES

    standing = standing_series(sc) if standing is None else standing
    if name in standing:
        return None
    spec = scoped.parse(name)
    if spec is None:
        near = difflib.get_close_matches(name, standing, n=1)
        hint = f"did you mean {near[0]!r}? " if near else ""
        return (
            f"{hint}a series of this scenario: a recorded column (e.g. {standing[2]}, "
            "funds_total, funded@<programme>), <metric>@<watched city>, trust@<a>-><b>, "
            "trust@<a><-><b>, <measure>@programme:<id> or <measure>@tie_type:<type> "
            "(docs/scenario-format.md)"
        )
    if spec.scope in ("tie", "pair"):
        ids = set(sc.actors["id"])
        for actor in spec.target:
            if actor not in ids:
                near = difflib.get_close_matches(actor, sorted(ids), n=1)
                hint = f" (did you mean {near[0]!r}?)" if near else ""
                return f"trust on a tie between known actors: {actor!r} is no actor{hint}"
        a, b = spec.target
        src, dst = sc.ties["src"], sc.ties["dst"]
        one_way = bool(((src == a) & (dst == b)).any())
        other_way = bool(((src == b) & (dst == a)).any())
        if spec.scope == "tie" and not one_way:
            return f"a tie that exists: there is no tie from {a!r} to {b!r}"
        if spec.scope == "pair" and not (one_way or other_way):
            return f"a pair with a tie: {a!r} and {b!r} have none"
        return None
    if spec.scope == "programme":
        ids = [p["id"] for p in sc.programmes]
        if spec.target[0] not in ids:
            return f"<measure>@programme:<id> with a programme of this scenario: one of {ids}"
        measures = scoped.PROGRAMME_MEASURES
    else:
        if spec.target[0] not in TIE_TYPES:
            return f"<measure>@tie_type:<type> with a tie type: one of {list(TIE_TYPES)}"
        measures = scoped.TIE_TYPE_MEASURES
    if spec.measure not in measures:
        return f"a measure of this scope before '@': one of {list(measures)}"
    return None
