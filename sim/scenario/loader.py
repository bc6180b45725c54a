"""The one scenario loader: read a scenario folder, validate every entry, apply a policy.

Every problem raises :class:`~sim.errors.ScenarioError` naming the file, the key, the value and
what is allowed. YAML is read with the safe loader only. The format is documented in
``docs/scenario-format.md``.
"""

from __future__ import annotations

import copy
import datetime
import math
import re
import threading
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from sim.errors import ScenarioError, brief
from sim.scenario.dates import parse_month

ACTOR_TYPES = ("municipality", "national_government", "ngo", "international_organisation")
TIE_TYPES = ("twinning", "membership", "partnership", "funding", "governance", "mediation")
LEVELS = ("top", "middle", "grassroots")
IO_KINDS = ("un_agency", "city_network", "municipal_association", "donor")
PILLARS = ("humanitarian", "development", "peace")
PERMISSIONS = ("closed", "humanitarian", "open")
HORIZONS = ("crisis", "design", "vision")
ALLIANCE_STATES = ("proposed", "negotiating", "founded", "active", "suspended", "dissolved")
EVENT_TYPES = (
    "violence",
    "refugee_influx",
    "permission",
    "sanctions",
    "funding_start",
    "funding_end",
    "withdraw",
    "summit",
    "leadership_change",
    "convene_alliance",
)
MAX_MONEY = 1e12  # units per month (1 unit ~ EUR 1,000): far beyond any real budget
MAX_PEOPLE = 1e10  # more people than live on Earth
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")
_SOURCE = re.compile(r"^\d{3}:\d+(-\d+)?$")

# Defaults by actor type; indices are in [0, 1]. Every default is an assumption, documented here
# once so a scenario only states what it knows.
_COMMON_DEFAULTS: dict[str, Any] = {
    "name": None,
    "community": None,
    "resources": 0.0,
    "neutrality": 0.3,
    "conflict_sensitivity": 0.5,
    "lat": None,
    "lon": None,
    "kind": None,
    "risk_tolerance": 1.0,
    "sanction_exempt": False,
    "expertise": 0.5,
    "population": 0.0,
    "displaced": 0.0,
    "direct_violence": 0.0,
    "structural_violence": 0.0,
    "cultural_violence": 0.0,
    "needs": 0.0,
    "capacity": 0.0,
    "cohesion": 0.0,
    "participation": 0.0,
    "will": 0.5,
    "diversity": 0.0,
    "represents": 1,
}
_TYPE_DEFAULTS: dict[str, dict[str, Any]] = {
    "municipality": {
        "level": "middle",
        "direct_violence": 0.1,
        "structural_violence": 0.3,
        "cultural_violence": 0.3,
        "needs": 0.3,
        "capacity": 0.5,
        "cohesion": 0.5,
        "participation": 0.5,
        "will": 0.5,
        "mandate": {"humanitarian": 0.2, "development": 0.5, "peace": 0.3},
    },
    "national_government": {
        "level": "top",
        "mandate": {"humanitarian": 0.4, "development": 0.4, "peace": 0.2},
    },
    "ngo": {
        "level": "grassroots",
        "neutrality": 0.6,
        "conflict_sensitivity": 0.7,
        "mandate": {"humanitarian": 0.3, "development": 0.3, "peace": 0.4},
    },
    "international_organisation": {
        "level": "top",
        "neutrality": 0.7,
        "conflict_sensitivity": 0.7,
        "mandate": {"humanitarian": 1 / 3, "development": 1 / 3, "peace": 1 / 3},
    },
}
_INDEX_KEYS = (
    "direct_violence",
    "structural_violence",
    "cultural_violence",
    "needs",
    "capacity",
    "cohesion",
    "participation",
    "will",
    "diversity",
    "neutrality",
    "conflict_sensitivity",
    "risk_tolerance",
    "expertise",
)
_ACTOR_KEYS = set(_COMMON_DEFAULTS) | {
    "id",
    "type",
    "country",
    "level",
    "mandate",
    "source",
    "assumption",
}


@dataclass
class Scenario:
    """A validated scenario: tables and lists ready for :class:`sim.engine.model.PeaceModel`.

    ``actors`` and ``ties`` are DataFrames so that the synthetic generator can hand over
    hundreds of thousands of rows without Python objects per row.
    """

    name: str
    title: str
    start: int  # months since year 0
    horizon: int
    communities: list[str]
    divides: list[tuple[str, str]]
    countries: list[str]
    actors: pd.DataFrame
    ties: pd.DataFrame
    permissions: list[tuple[str, str, int]] = field(default_factory=list)
    hostility: list[tuple[str, str, float]] = field(default_factory=list)
    sanctioned: list[str] = field(default_factory=list)
    default_permission: int = 2
    programmes: list[dict[str, Any]] = field(default_factory=list)
    alliances: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    patterns: list[dict[str, Any]] = field(default_factory=list)
    policies: dict[str, dict[str, Any]] = field(default_factory=dict)
    watch: list[str] = field(default_factory=list)
    policy: str = "baseline"
    levers: dict[str, Any] = field(default_factory=dict)  # set by the chosen policy
    baseline_levers: dict[str, Any] = field(default_factory=dict)  # set by scenario.yaml
    folder: Path | None = None


# ----------------------------------------------------------------------------- locating


_EXTRA_ROOTS: list[Path] = []  # e.g. the app's folder of uploaded scenarios


def add_scenario_root(folder: Path) -> None:
    """Also offer the scenarios in ``folder`` (after the built-in ones, which keep their names)."""
    if folder not in _EXTRA_ROOTS:
        _EXTRA_ROOTS.append(folder)


def scenario_roots() -> list[Path]:
    """Folders that hold scenarios: the source tree's, the installed wheel's copy, then extras."""
    here = Path(__file__).resolve().parent.parent
    built_in = (here.parent / "scenarios", here / "_data" / "scenarios")
    return [p for p in (*built_in, *_EXTRA_ROOTS) if p.is_dir()]


def available_scenarios() -> list[str]:
    """Names of the file scenarios plus ``synthetic``."""
    names = {
        p.name
        for root in scenario_roots()
        for p in root.iterdir()
        if (p / "scenario.yaml").is_file()
    }
    return sorted(names | {"synthetic"})


def scenario_folder(name: str) -> Path:
    """The folder of a named scenario; names with path separators or '..' are refused."""
    if not isinstance(name, str) or not _NAME.match(name) or ".." in name:
        raise ScenarioError(
            "scenario", "name", name, "a plain scenario name (letters, digits, _ and -), no paths"
        )
    for root in scenario_roots():
        folder = root / name
        if (folder / "scenario.yaml").is_file():
            return folder
    raise ScenarioError("scenario", "name", name, f"one of {available_scenarios()}")


# ----------------------------------------------------------------------------- checks


class _Checker:
    """Small typed accessors that raise ScenarioError with file and key."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, key: str, value: object, allowed: str) -> ScenarioError:
        return ScenarioError(self.file, key, value, allowed)

    def number(
        self,
        rec: dict,
        key: str,
        where: str,
        lo: float = -math.inf,
        hi: float = math.inf,
        default: Any = None,
    ) -> float:
        value = rec.get(key, default)
        if value is None:
            raise self.fail(f"{where}.{key}", value, f"a number in [{lo}, {hi}] (required)")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(f"{where}.{key}", value, f"a number in [{lo}, {hi}]")
        try:
            number = float(value)
        except OverflowError:  # an integer literal too large for a float
            number = math.inf
        if not math.isfinite(number) or not lo <= number <= hi:
            raise self.fail(f"{where}.{key}", value, f"a finite number in [{lo}, {hi}]")
        return number

    def amount(self, rec: dict, key: str, where: str, lo: float, cap: float) -> float:
        """A count of money or people: a number >= lo, and at most ``cap``, so that sums and
        ratios over every actor and month stay finite in float64."""
        value = self.number(rec, key, where, lo)
        if value > cap:
            raise self.fail(f"{where}.{key}", rec.get(key), f"at most {cap:g}")
        return value

    def index(self, rec: dict, key: str, where: str, default: Any = None) -> float:
        return self.number(rec, key, where, 0.0, 1.0, default)

    def choice(
        self, rec: dict, key: str, where: str, options: tuple | list, default: Any = None
    ) -> Any:
        value = rec.get(key, default)
        if value not in options:
            raise self.fail(f"{where}.{key}", value, f"one of {list(options)}")
        return value

    def boolean(self, rec: dict, key: str, where: str, default: bool = False) -> bool:
        value = rec.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"{where}.{key}", value, "true or false")
        return value

    def text(self, rec: dict, key: str, where: str, default: Any = None) -> str:
        value = rec.get(key, default)
        if not isinstance(value, str) or not value:
            raise self.fail(f"{where}.{key}", value, "a non-empty string")
        return value

    def ident(self, rec: dict, key: str, where: str, known: set | dict, what: str) -> str:
        value = rec.get(key)
        if not _known(value, known):
            raise self.fail(f"{where}.{key}", value, f"a known {what} id")
        return value

    def month(
        self,
        rec: dict,
        key: str,
        where: str,
        start: int,
        horizon: int,
        default: Any = None,
        clip_end: bool = False,
    ) -> int:
        """A date as a step index; must lie inside the horizon."""
        raw = rec.get(key, default)
        try:
            step = _month(raw) - start
        except ValueError:
            raise self.fail(f"{where}.{key}", raw, "a date YYYY-MM") from None
        if clip_end and step >= horizon:
            return horizon
        if not 0 <= step < horizon:
            raise self.fail(
                f"{where}.{key}",
                raw,
                f"a date within the horizon [{_fmt(start)}, {_fmt(start + horizon - 1)}]",
            )
        return step

    def provenance(self, rec: dict, where: str) -> None:
        """Every entry says where it comes from: a seed line, or an explicit assumption."""
        source, assumption = rec.get("source"), rec.get("assumption")
        if not source and not assumption:
            raise self.fail(
                where, _short(rec), 'an entry with `source: "NNN:LINE"` or `assumption: "why"`'
            )
        if source and not isinstance(source, str):
            raise self.fail(
                f"{where}.source", source, "'NNN:LINE' or 'NNN:A-B', several joined by '; '"
            )
        if assumption and not isinstance(assumption, str):
            raise self.fail(f"{where}.assumption", assumption, "text saying why")
        if source:
            for part in source.split(";"):
                if not _SOURCE.match(part.strip()):
                    raise self.fail(
                        f"{where}.source", source, "'NNN:LINE' or 'NNN:A-B', several joined by '; '"
                    )

    def unknown_keys(self, rec: dict, allowed: set, where: str) -> None:
        extra = sorted(set(rec) - allowed, key=lambda k: (not isinstance(k, str), str(k)))
        if extra:
            raise self.fail(
                f"{where}.{extra[0]}", rec[extra[0]], f"a known key (one of {sorted(allowed)})"
            )


def _fmt(month: int) -> str:
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


def _short(rec: object) -> str:
    text = brief(rec)
    return text if len(text) < 80 else text[:77] + "..."


def _known(value: object, known: set | dict | list) -> bool:
    """``value in known`` for any YAML value: lists and mappings are never ids."""
    return isinstance(value, Hashable) and value in known


def _ids(values: object) -> bool:
    """A list whose items can be ids (no nested lists or mappings)."""
    return isinstance(values, list) and all(isinstance(v, Hashable) for v in values)


def _month(raw: object) -> int:
    """parse_month for text or a YAML date only; anything else is not a date."""
    if not isinstance(raw, str | datetime.date):
        raise ValueError(f"not a YYYY-MM date: {brief(raw)}")
    return parse_month(raw)


def _label(ck: _Checker, rec: dict, key: str, where: str, default: str) -> str:
    """A display name: text (or a number written without quotes)."""
    value = rec.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ck.fail(f"{where}.{key}", value, "a string")
    return str(value)


# Parsed YAML documents by their text. A sweep builds the same scenario hundreds of times per
# process and pure-Python PyYAML takes ~0.1 s per tuzla build, ten times a whole model build
# otherwise. Keyed by the text itself (read anew each time, ~50 us) rather than by mtime and
# size, so an edit within one timestamp tick is still seen; the same text always parses to the
# same data. libyaml's CSafeLoader is not used: it crashes the process (no recursion limit) on
# deeply nested input, where the pure-Python loader raises RecursionError (issue 7).
_PARSED: dict[str, Any] = {}
_PARSED_MAX = 64  # documents kept; a fuzzer or an app editing scenarios must not grow it
_PARSED_LOCK = threading.Lock()
_MISSING = object()


def _parse_yaml(text: str) -> Any:
    """``yaml.safe_load(text)``, parsed once per process; every caller gets its own copy."""
    with _PARSED_LOCK:  # the app's threads share the cache
        data = _PARSED.get(text, _MISSING)
    if data is _MISSING:
        data = yaml.safe_load(text)  # an error propagates and nothing is cached
        with _PARSED_LOCK:
            if len(_PARSED) >= _PARSED_MAX:
                _PARSED.pop(next(iter(_PARSED)))
            _PARSED[text] = data
    # A deep copy: the loader and policy overlays edit the records, and no run may see
    # another's edits. deepcopy keeps YAML aliases (including recursive ones) intact.
    return copy.deepcopy(data)


def _read_yaml(path: Path, required: bool = True) -> Any:
    if not path.is_file():
        if required:
            raise ScenarioError(str(path), "file", None, "an existing YAML file")
        return None
    try:
        return _parse_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "document"
        raise ScenarioError(
            str(path), where, getattr(exc, "problem", str(exc)), "valid YAML"
        ) from None
    except UnicodeDecodeError:
        raise ScenarioError(str(path), "file", "binary data", "UTF-8 YAML text") from None
    except (ValueError, OverflowError, KeyError, IndexError, AttributeError, TypeError) as exc:
        # PyYAML's constructors fail like this on an impossible date (2000-02-30) or a wrong
        # explicit tag (!!bool x, !!int '', !!timestamp x); yaml.safe_load is all we call here.
        why = f"cannot build a value ({type(exc).__name__}: {exc})"
        raise ScenarioError(str(path), "document", why, "valid YAML") from None
    except RecursionError:
        raise ScenarioError(str(path), "document", "nested too deeply", "valid YAML") from None


def _as_list(data: Any, file: str, key: str) -> list[dict]:
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise ScenarioError(file, key, _short(data), "a list of mappings")
    return data


# ----------------------------------------------------------------------------- sections


def _read_table(folder: Path, stem: str) -> tuple[list[dict], str]:
    """``<stem>.yaml`` or ``<stem>.csv`` as a list of records."""
    yml, csv = folder / f"{stem}.yaml", folder / f"{stem}.csv"
    if yml.is_file():
        return _as_list(_read_yaml(yml), str(yml), stem), str(yml)
    if csv.is_file():
        try:
            frame = pd.read_csv(csv)
        except (ValueError, OverflowError) as exc:  # ParserError, EmptyDataError, decoding
            raise ScenarioError(str(csv), "file", str(exc).splitlines()[0], "valid CSV") from None
        records = frame.to_dict(orient="records")
        for rec in records:  # CSV gives NaN for empty cells: treat as missing
            for key in [k for k, v in rec.items() if isinstance(v, float) and math.isnan(v)]:
                del rec[key]
        return records, str(csv)
    return [], str(yml)


def _check_actor(rec: dict, ck: _Checker, where: str, countries: set, communities: set) -> dict:
    ck.unknown_keys(rec, _ACTOR_KEYS, where)
    ck.text(rec, "id", where)
    kind = ck.choice(rec, "type", where, ACTOR_TYPES)
    ck.provenance(rec, where)
    out = dict(_COMMON_DEFAULTS)
    out.update(copy.deepcopy(_TYPE_DEFAULTS[kind]))
    out.update({k: v for k, v in rec.items() if v is not None})
    out["id"], out["type"] = str(rec["id"]), kind
    out["country"] = ck.ident(rec, "country", where, countries, "country")
    if out["community"] is not None:
        out["community"] = ck.ident(out, "community", where, communities, "community")
    ck.choice(out, "level", where, LEVELS)
    for key in _INDEX_KEYS:
        out[key] = ck.index(out, key, where)
    out["resources"] = ck.amount(out, "resources", where, 0.0, MAX_MONEY)
    out["displaced"] = ck.amount(out, "displaced", where, 0.0, MAX_PEOPLE)
    out["represents"] = int(ck.amount(out, "represents", where, 1, MAX_PEOPLE))
    if kind == "municipality":
        out["population"] = ck.amount(rec, "population", where, 1.0, MAX_PEOPLE)
    else:  # not used for other actors, but still a number the model can hold
        out["population"] = ck.amount(out, "population", where, 0.0, MAX_PEOPLE)
    if kind == "international_organisation":
        ck.choice(rec, "kind", where, IO_KINDS)
    out["sanction_exempt"] = ck.boolean(out, "sanction_exempt", where)
    mandate = out.pop("mandate")
    if not isinstance(mandate, dict) or set(mandate) - set(PILLARS):
        raise ck.fail(f"{where}.mandate", mandate, f"a mapping over {list(PILLARS)}")
    for pillar in PILLARS:
        out[f"mandate_{pillar}"] = ck.index(mandate, pillar, f"{where}.mandate", default=0.0)
    for key in ("lat", "lon"):
        value = out.get(key)
        out[key] = np.nan if value is None else ck.number(out, key, where, -180, 180)
    out["name"] = _label(ck, rec, "name", where, out["id"])
    out.pop("source", None)
    out.pop("assumption", None)
    return out


def _check_tie(rec: dict, ck: _Checker, where: str, actors: set) -> list[dict]:
    allowed = {
        "src",
        "dst",
        "type",
        "trust",
        "memory",
        "bidirectional",
        "human_security",
        "source",
        "assumption",
    }
    ck.unknown_keys(rec, allowed, where)
    ck.provenance(rec, where)
    src = ck.ident(rec, "src", where, actors, "actor")
    dst = ck.ident(rec, "dst", where, actors, "actor")
    if src == dst:
        raise ck.fail(f"{where}.dst", dst, "an actor other than src")
    tie = {
        "src": src,
        "dst": dst,
        "type": ck.choice(rec, "type", where, TIE_TYPES),
        "trust": ck.index(rec, "trust", where, default=0.3),
        "memory": ck.index(rec, "memory", where, default=0.0),
        "human_security": ck.boolean(rec, "human_security", where),
    }
    out = [tie]
    if ck.boolean(rec, "bidirectional", where):
        out.append({**tie, "src": dst, "dst": src})
    return out


def _check_programme(
    rec: dict,
    ck: _Checker,
    where: str,
    actors: pd.DataFrame,
    start: int,
    horizon: int,
    alliances: set,
) -> dict:
    allowed = {
        "id",
        "name",
        "funders",
        "providers",
        "recipients",
        "pillars",
        "budget",
        "start",
        "end",
        "horizon",
        "human_security",
        "funded_at_start",
        "alliance",
        "pairing",
        "source",
        "assumption",
    }
    ck.unknown_keys(rec, allowed, where)
    ck.provenance(rec, where)
    ids = set(actors["id"])
    out: dict[str, Any] = {"id": ck.text(rec, "id", where)}
    out["name"] = _label(ck, rec, "name", where, out["id"])
    for role in ("funders", "providers", "recipients"):
        out[role] = _resolve_group(
            rec.get(role), ck, f"{where}.{role}", actors, ids, required=role != "funders"
        )
    pillars = rec.get("pillars")
    if not _ids(pillars) or not pillars or set(pillars) - set(PILLARS):
        raise ck.fail(f"{where}.pillars", pillars, f"a non-empty list from {list(PILLARS)}")
    out["pillars"] = list(pillars)
    out["budget"] = ck.amount(rec, "budget", where, 0.0, MAX_MONEY)
    out["start"] = ck.month(rec, "start", where, start, horizon)
    out["end"] = ck.month(rec, "end", where, start, horizon, clip_end=True) + (
        0 if _month(rec["end"]) - start >= horizon else 1
    )
    if out["end"] <= out["start"]:
        raise ck.fail(f"{where}.end", rec["end"], f"a date after start {rec['start']}")
    out["horizon"] = ck.choice(rec, "horizon", where, HORIZONS, default="design")
    out["human_security"] = ck.boolean(rec, "human_security", where)
    out["funded_at_start"] = ck.boolean(rec, "funded_at_start", where, default=True)
    alliance = rec.get("alliance")
    if alliance is not None and not _known(alliance, alliances):
        raise ck.fail(f"{where}.alliance", alliance, "a known alliance id")
    out["alliance"] = alliance
    out["pairing"] = ck.choice(rec, "pairing", where, ("all", "one_to_one"), default="all")
    if out["pairing"] == "one_to_one" and len(out["providers"]) != len(out["recipients"]):
        raise ck.fail(
            f"{where}.pairing",
            "one_to_one",
            f"as many providers ({len(out['providers'])}) as recipients ({len(out['recipients'])})",
        )
    return out


def _resolve_group(
    value: Any, ck: _Checker, where: str, actors: pd.DataFrame, ids: set, required: bool
) -> list[str]:
    """A list of actor ids, or a selector mapping such as ``{type: municipality, country: NL}``."""
    if value is None or value == []:
        if required:
            raise ck.fail(where, value, "a non-empty list of actor ids or a selector mapping")
        return []
    if isinstance(value, dict):
        mask = np.ones(len(actors), dtype=bool)
        for key, wanted in value.items():
            if key not in ("type", "country", "community", "kind", "level") or not isinstance(
                wanted, str
            ):
                raise ck.fail(
                    f"{where}.{key}",
                    wanted,
                    "a selector over type, country, community, kind or level (one id each)",
                )
            mask &= (actors[key] == wanted).to_numpy()
        chosen = actors.loc[mask, "id"].tolist()
        if not chosen:
            raise ck.fail(where, value, "a selector that matches at least one actor")
        return chosen
    if not isinstance(value, list):
        raise ck.fail(where, value, "a list of actor ids or a selector mapping")
    for item in value:
        if not _known(item, ids):
            raise ck.fail(where, item, "a known actor id")
    return [str(v) for v in value]


def _check_event(
    rec: dict,
    ck: _Checker,
    where: str,
    sc: Scenario,
    actor_ids: set,
    programmes: set,
    alliances: dict,
) -> dict:
    kind = ck.choice(rec, "type", where, EVENT_TYPES)
    ck.provenance(rec, where)
    step = ck.month(rec, "date", where, sc.start, sc.horizon)  # before str(): a date is text
    ev: dict[str, Any] = {
        "type": kind,
        "id": None if rec.get("id") is None else ck.text(rec, "id", where),
        "date": str(rec.get("date")),
        "step": step,
        "source": rec.get("source"),
        "assumption": rec.get("assumption"),
    }
    countries = set(sc.countries)
    common = {"id", "type", "date", "source", "assumption", "note"}
    spec = {
        "violence": {"end", "pressure", "targets"},
        "refugee_influx": {"actor", "people"},
        "permission": {"from", "to", "level", "both_ways"},
        "sanctions": {"country", "active"},
        "funding_start": {"programme"},
        "funding_end": {"programme"},
        "withdraw": {"actor", "alliance", "programme"},
        "summit": {"a", "b", "delta"},
        "leadership_change": {"actor", "will"},
        "convene_alliance": {"alliance"},
    }[kind]
    ck.unknown_keys(rec, common | spec, where)
    if kind == "violence":
        ev["end_step"] = ck.month(rec, "end", where, sc.start, sc.horizon, default=rec.get("date"))
        if ev["end_step"] < ev["step"]:
            raise ck.fail(f"{where}.end", rec.get("end"), f"a date not before {ev['date']}")
        ev["pressure"] = ck.number(rec, "pressure", where, 0.0, 20.0)
        targets = rec.get("targets")
        if not isinstance(targets, dict) or len(targets) != 1:
            raise ck.fail(
                f"{where}.targets",
                targets,
                "one of {community: X}, {country: K} or {actors: [...]}",
            )
        ((tkey, tval),) = targets.items()
        if (
            tkey == "community"
            and tval in sc.communities
            or tkey == "country"
            and _known(tval, countries)
        ):
            ev["targets"] = {tkey: tval}
        elif tkey == "actors" and _ids(tval) and tval and set(tval) <= actor_ids:
            ev["targets"] = {tkey: list(tval)}
        else:
            raise ck.fail(
                f"{where}.targets.{tkey}", tval, "a known community, country or list of actor ids"
            )
    elif kind == "refugee_influx":
        ev["actor"] = ck.ident(rec, "actor", where, actor_ids, "actor")
        ev["people"] = ck.amount(rec, "people", where, 0.0, MAX_PEOPLE)
    elif kind == "permission":
        ev["from"] = ck.ident(rec, "from", where, countries, "country")
        ev["to"] = ck.ident(rec, "to", where, countries, "country")
        ev["level"] = PERMISSIONS.index(ck.choice(rec, "level", where, PERMISSIONS))
        ev["both_ways"] = ck.boolean(rec, "both_ways", where, default=True)
    elif kind == "sanctions":
        ev["country"] = ck.ident(rec, "country", where, countries, "country")
        ev["active"] = ck.boolean(rec, "active", where, default=True)
    elif kind in ("funding_start", "funding_end"):
        ev["programme"] = ck.ident(rec, "programme", where, programmes, "programme")
    elif kind == "withdraw":
        ev["actor"] = ck.ident(rec, "actor", where, actor_ids, "actor")
        if "alliance" in rec:
            ev["alliance"] = ck.ident(rec, "alliance", where, alliances, "alliance")
            if ev["actor"] not in alliances[ev["alliance"]]["members"]:
                raise ck.fail(
                    f"{where}.actor",
                    ev["actor"],
                    f"a member of alliance {ev['alliance']!r} "
                    f"({alliances[ev['alliance']]['members']})",
                )
        elif "programme" in rec:
            ev["programme"] = ck.ident(rec, "programme", where, programmes, "programme")
        else:
            raise ck.fail(where, _short(rec), "a withdraw naming an alliance or a programme")
    elif kind == "summit":
        ev["a"] = ck.ident(rec, "a", where, countries, "country")
        ev["b"] = ck.ident(rec, "b", where, countries, "country")
        ev["delta"] = ck.number(rec, "delta", where, -1.0, 1.0)
    elif kind == "leadership_change":
        ev["actor"] = ck.ident(rec, "actor", where, actor_ids, "actor")
        ev["will"] = ck.index(rec, "will", where)
    elif kind == "convene_alliance":
        ev["alliance"] = ck.ident(rec, "alliance", where, alliances, "alliance")
    return ev


def _check_contradictions(events: list[dict], file: str, programmes: list[dict]) -> None:
    """Funding that ends before it starts, or events that undo nothing, are contradictions."""
    by_prog: dict[str, list[dict]] = {}
    for ev in events:
        if ev["type"] in ("funding_start", "funding_end"):
            by_prog.setdefault(ev["programme"], []).append(ev)
    funded_at_start = {p["id"]: p["funded_at_start"] for p in programmes}
    for prog, evs in by_prog.items():
        funded = funded_at_start.get(prog, True)
        for ev in sorted(evs, key=lambda e: e["step"]):
            if ev["type"] == "funding_end" and not funded:
                raise ScenarioError(
                    file,
                    f"funding_end[{prog}].date",
                    ev["date"],
                    "a funding_end after a funding_start (or a programme funded at start)",
                )
            funded = ev["type"] == "funding_start"
    withdrawn: set[tuple[str, str]] = set()
    for ev in sorted(events, key=lambda e: e["step"]):
        if ev["type"] == "withdraw" and "alliance" in ev:
            key = (ev["actor"], ev["alliance"])
            if key in withdrawn:
                raise ScenarioError(
                    file,
                    f"withdraw[{ev['actor']}].date",
                    ev["date"],
                    f"one withdrawal from {ev['alliance']!r}; it already left",
                )
            withdrawn.add(key)


# ----------------------------------------------------------------------------- assembly


# Validated scenarios by (folder, policy, horizon, every file's bytes): a sweep loads the same
# scenario once per run, and validation plus building the tables costs ~10 ms for tuzla, a copy
# of the result ~0.3 ms. Keyed by the files' content, read anew each call (~0.2 ms), so an edit
# is seen at once; every caller gets its own deep copy.
_SCENARIOS: dict[tuple, Scenario] = {}
_SCENARIOS_MAX = 16
_SCENARIOS_LOCK = threading.Lock()  # the app's threads share the cache


def _folder_key(folder: Path, policy: str, horizon: int | None) -> tuple | None:
    """The cache key of a load, or None when the folder cannot be read (no caching)."""
    try:
        files = tuple(
            (p.name, p.read_bytes())
            for p in sorted(folder.iterdir())
            if p.suffix in (".yaml", ".csv") and p.is_file()
        )
    except OSError:
        return None
    return (str(folder), policy, horizon, files)


def load_scenario(
    name: str | Path, policy: str = "baseline", horizon: int | None = None
) -> Scenario:
    """Read, validate and return a scenario folder (by name or path), with ``policy`` applied."""
    folder = Path(name) if isinstance(name, Path) else scenario_folder(name)
    if not folder.is_dir():
        raise ScenarioError(str(folder), "scenario.path", str(folder), "an existing folder")
    key = _folder_key(folder, policy, horizon)
    with _SCENARIOS_LOCK:
        hit = _SCENARIOS.get(key) if key is not None else None
    if hit is not None:
        return copy.deepcopy(hit)
    sc = _load_scenario(folder, policy, horizon)  # an invalid scenario raises: nothing cached
    if key is not None:
        kept = copy.deepcopy(sc)
        with _SCENARIOS_LOCK:
            if len(_SCENARIOS) >= _SCENARIOS_MAX:
                _SCENARIOS.pop(next(iter(_SCENARIOS)))
            _SCENARIOS[key] = kept
    return sc


def _load_scenario(folder: Path, policy: str, horizon: int | None) -> Scenario:
    meta_file = folder / "scenario.yaml"
    meta = _read_yaml(meta_file)
    ck = _Checker(str(meta_file))
    if not isinstance(meta, dict) or not meta:
        raise ck.fail("document", _short(meta), "a non-empty mapping with name, start, horizon")
    ck.provenance(meta, "scenario")
    sc_name = ck.text(meta, "name", "scenario")
    if sc_name != folder.name:
        raise ck.fail("name", sc_name, f"the folder name {folder.name!r}")
    try:
        start = _month(meta.get("start"))
    except ValueError:
        raise ck.fail("start", meta.get("start"), "a date YYYY-MM") from None
    default_horizon = int(ck.number(meta, "horizon", "scenario", 1, 12 * 500))
    if horizon is not None and not 1 <= horizon <= 12 * 500:
        raise ck.fail("horizon", horizon, "a whole number of months in [1, 6000]")
    communities = meta.get("communities") or []
    if not _ids(communities) or len(set(communities)) != len(communities):
        raise ck.fail("communities", communities, "a list of distinct community ids")
    countries_raw = _as_list(meta.get("countries"), str(meta_file), "countries")
    if not countries_raw:
        raise ck.fail("countries", None, "at least one country {id, name, source}")
    countries = []
    for i, rec in enumerate(countries_raw):
        ck.provenance(rec, f"countries[{i}]")
        cid = ck.text(rec, "id", f"countries[{i}]")
        if cid in countries:
            raise ck.fail(f"countries[{i}].id", cid, "a unique country id")
        countries.append(cid)
    sc = Scenario(
        name=sc_name,
        title=ck.text(meta, "title", "scenario", default=sc_name),
        start=start,
        horizon=max(horizon or default_horizon, default_horizon),
        communities=[str(c) for c in communities],
        divides=[],
        countries=countries,
        actors=pd.DataFrame(),
        ties=pd.DataFrame(),
        folder=folder,
    )
    for i, rec in enumerate(_as_list(meta.get("divides"), str(meta_file), "divides")):
        ck.provenance(rec, f"divides[{i}]")
        a = ck.ident(rec, "a", f"divides[{i}]", set(sc.communities), "community")
        b = ck.ident(rec, "b", f"divides[{i}]", set(sc.communities), "community")
        sc.divides.append((a, b))
    for i, rec in enumerate(_as_list(meta.get("permissions"), str(meta_file), "permissions")):
        where = f"permissions[{i}]"
        ck.provenance(rec, where)
        sc.permissions.append(
            (
                ck.ident(rec, "from", where, set(countries), "country"),
                ck.ident(rec, "to", where, set(countries), "country"),
                PERMISSIONS.index(ck.choice(rec, "level", where, PERMISSIONS)),
            )
        )
    for i, rec in enumerate(_as_list(meta.get("hostility"), str(meta_file), "hostility")):
        where = f"hostility[{i}]"
        ck.provenance(rec, where)
        sc.hostility.append(
            (
                ck.ident(rec, "a", where, set(countries), "country"),
                ck.ident(rec, "b", where, set(countries), "country"),
                ck.index(rec, "value", where),
            )
        )
    for i, rec in enumerate(_as_list(meta.get("sanctioned"), str(meta_file), "sanctioned")):
        ck.provenance(rec, f"sanctioned[{i}]")
        sc.sanctioned.append(
            ck.ident(rec, "country", f"sanctioned[{i}]", set(countries), "country")
        )
    for i, rec in enumerate(_as_list(meta.get("levers"), str(meta_file), "levers")):
        where = f"levers[{i}]"
        ck.unknown_keys(rec, {"lever", "value", "source", "assumption"}, where)
        ck.provenance(rec, where)
        lever = ck.choice(rec, "lever", where, sorted(_LEVER_KEYS))
        sc.baseline_levers[lever] = _lever_value(ck, rec, "value", where, lever)
    sc.default_permission = PERMISSIONS.index(
        ck.choice(meta, "default_permission", "scenario", PERMISSIONS, default="open")
    )

    raw = _read_raw_sections(folder)
    raw = apply_policy_overlay(raw, policy, folder)
    sc.policy = policy
    sc.levers = dict(raw["policy_levers"])
    sc.policies = raw["policies"]
    _assemble(sc, raw, set(countries))
    watch = meta.get("watch") or []
    if not _ids(watch) or not set(watch) <= set(sc.actors["id"]):
        bad = [w for w in watch if not _known(w, set(sc.actors["id"]))] if _ids(watch) else watch
        raise ck.fail("watch", bad, "a list of known actor ids")
    sc.watch = [str(w) for w in watch]
    # The pattern language checks its own file (keys, roles, series, dates: pattern_schema).
    from sim.experiments.pattern_schema import check_patterns

    sc.patterns = check_patterns(raw["patterns"], raw["patterns_file"], sc)
    # Dates were checked against the scenario's own span; a shorter run simply stops earlier.
    sc.horizon = horizon or default_horizon
    return sc


def _read_raw_sections(folder: Path) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for stem in ("actors", "ties"):
        raw[stem], raw[f"{stem}_file"] = _read_table(folder, stem)
    for stem in ("programmes", "alliances", "events", "patterns"):
        path = folder / f"{stem}.yaml"
        raw[stem] = _as_list(_read_yaml(path, required=False), str(path), stem)
        raw[f"{stem}_file"] = str(path)
    path = folder / "policies.yaml"
    policies = _read_yaml(path, required=False) or {}
    if not isinstance(policies, dict) or not all(isinstance(v, dict) for v in policies.values()):
        raise ScenarioError(
            str(path),
            "document",
            _short(policies),
            "a mapping from policy name to an overlay mapping",
        )
    raw["policies"] = policies
    raw["policy_levers"] = {}
    return raw


_OVERLAY_KEYS = {
    "description",
    "source",
    "assumption",
    "drop_programmes",
    "drop_actors",
    "drop_tie_types",
    "drop_events",
    "add_actors",
    "add_ties",
    "add_programmes",
    "add_events",
    "levers",
}
_LEVER_KEYS = {
    "coordination",
    "mediation",
    "funding_scale",
    "participation_scale",
    "io_channel",
    "direct_channel",
}


def _lever_value(ck: _Checker, rec: dict, key: str, where: str, lever: str | None = None) -> Any:
    """A lever's value, checked by type and range (``lever`` defaults to ``key``)."""
    lever = lever or key
    if lever in ("mediation", "io_channel", "direct_channel"):
        return ck.boolean(rec, key, where)
    if lever == "coordination":
        return ck.index(rec, key, where)
    return ck.number(rec, key, where, 0.0, 100.0)


def apply_policy_overlay(raw: dict[str, Any], policy: str, folder: Path) -> dict[str, Any]:
    """Apply the named counterfactual from ``policies.yaml`` to the raw sections."""
    file = str(folder / "policies.yaml")
    if policy == "baseline":
        return raw
    if policy not in raw["policies"]:
        raise ScenarioError(
            file,
            "policy",
            policy,
            f"one of {['baseline', *sorted(raw['policies'], key=str)]} "
            f"for scenario {folder.name!r}",
        )
    overlay = raw["policies"][policy]
    ck = _Checker(file)
    ck.unknown_keys(overlay, _OVERLAY_KEYS, policy)
    ck.provenance(overlay, policy)
    raw = copy.deepcopy(raw)
    for key in ("drop_programmes", "drop_actors", "drop_tie_types", "drop_events"):
        if not _ids(overlay.get(key, [])):
            raise ck.fail(f"{policy}.{key}", overlay[key], "a list of ids")
    drop_actors = set(overlay.get("drop_actors", []))
    drop_types = set(overlay.get("drop_tie_types", []))
    drop_progs = set(overlay.get("drop_programmes", []))
    drop_events = set(overlay.get("drop_events", []))

    # The sections are not validated yet: ids may be any YAML value (see _known).
    def ids(section: str) -> set:
        return {r.get("id") for r in raw[section] if isinstance(r.get("id"), Hashable)}

    for bad in sorted(drop_actors - ids("actors"), key=str):
        raise ck.fail(f"{policy}.drop_actors", bad, "a known actor id")
    for bad in sorted(drop_types - set(TIE_TYPES), key=str):
        raise ck.fail(f"{policy}.drop_tie_types", bad, f"one of {list(TIE_TYPES)}")
    for bad in sorted(drop_progs - ids("programmes"), key=str):
        raise ck.fail(f"{policy}.drop_programmes", bad, "a known programme id")
    for bad in sorted(drop_events - ids("events"), key=str):
        raise ck.fail(f"{policy}.drop_events", bad, "a known event id")
    raw["actors"] = [a for a in raw["actors"] if not _known(a.get("id"), drop_actors)]
    raw["ties"] = [
        t
        for t in raw["ties"]
        if not _known(t.get("type"), drop_types)
        and not _known(t.get("src"), drop_actors)
        and not _known(t.get("dst"), drop_actors)
    ]
    raw["programmes"] = [p for p in raw["programmes"] if not _known(p.get("id"), drop_progs)]
    for prog in raw["programmes"]:
        for role in ("funders", "providers", "recipients"):
            if isinstance(prog.get(role), list):
                prog[role] = [a for a in prog[role] if not _known(a, drop_actors)]
    for alliance in raw["alliances"]:
        if _ids(alliance.get("mediators")):  # anything else is refused when alliances are read
            alliance["mediators"] = [m for m in alliance["mediators"] if m not in drop_actors]
    raw["events"] = [
        e
        for e in raw["events"]
        if not _known(e.get("id"), drop_events)
        and not _known(e.get("programme"), drop_progs)
        and not _known(e.get("actor"), drop_actors)
    ]
    for key in ("actors", "ties", "programmes", "events"):
        raw[key] = raw[key] + _as_list(overlay.get(f"add_{key}"), file, f"{policy}.add_{key}")
    levers = overlay.get("levers", {}) or {}
    if not isinstance(levers, dict):
        raise ck.fail(f"{policy}.levers", levers, f"a mapping over {sorted(_LEVER_KEYS)}")
    ck.unknown_keys(levers, _LEVER_KEYS, f"{policy}.levers")
    raw["policy_levers"] = {
        lever: _lever_value(ck, levers, lever, f"{policy}.levers") for lever in levers
    }
    return raw


def _assemble(sc: Scenario, raw: dict[str, Any], countries: set) -> None:
    communities = set(sc.communities)
    ck = _Checker(raw["actors_file"])
    actors, seen = [], set()
    for i, rec in enumerate(raw["actors"]):
        actor = _check_actor(rec, ck, f"actors[{i}]", countries, communities)
        if actor["id"] in seen:
            raise ck.fail(f"actors[{i}].id", actor["id"], "a unique actor id (duplicated)")
        seen.add(actor["id"])
        actors.append(actor)
    if not any(a["type"] == "municipality" for a in actors):
        raise ck.fail("actors", len(actors), "at least one municipality")
    sc.actors = pd.DataFrame(actors)

    ck = _Checker(raw["alliances_file"])
    alliances: dict[str, dict] = {}
    for i, rec in enumerate(raw["alliances"]):
        where = f"alliances[{i}]"
        ck.unknown_keys(
            rec, {"id", "name", "members", "mediators", "state", "source", "assumption"}, where
        )
        ck.provenance(rec, where)
        aid = ck.text(rec, "id", where)
        members = rec.get("members")
        if not _ids(members) or len(members) < 2 or not set(members) <= seen:
            raise ck.fail(f"{where}.members", members, "a list of at least two known actor ids")
        mediators = rec.get("mediators") or []
        if not _ids(mediators) or not set(mediators) <= seen:
            raise ck.fail(f"{where}.mediators", mediators, "a list of known actor ids")
        alliances[aid] = {
            "id": aid,
            "members": list(members),
            "mediators": list(mediators),
            "state": ALLIANCE_STATES.index(
                ck.choice(rec, "state", where, ALLIANCE_STATES, "proposed")
            ),
        }
    sc.alliances = list(alliances.values())

    ck = _Checker(raw["ties_file"])
    ties: list[dict] = []
    for i, rec in enumerate(raw["ties"]):
        ties.extend(_check_tie(rec, ck, f"ties[{i}]", seen))

    ck = _Checker(raw["programmes_file"])
    programmes, prog_ids = [], set()
    for i, rec in enumerate(raw["programmes"]):
        prog = _check_programme(
            rec, ck, f"programmes[{i}]", sc.actors, sc.start, sc.horizon, set(alliances)
        )
        if prog["id"] in prog_ids:
            raise ck.fail(f"programmes[{i}].id", prog["id"], "a unique programme id")
        prog_ids.add(prog["id"])
        programmes.append(prog)
    sc.programmes = programmes

    ck = _Checker(raw["events_file"])
    sc.events = [
        _check_event(rec, ck, f"events[{i}]", sc, seen, prog_ids, alliances)
        for i, rec in enumerate(raw["events"])
    ]
    _check_contradictions(sc.events, raw["events_file"], programmes)

    sc.ties = _with_programme_and_governance_ties(sc.actors, ties, programmes)


def _with_programme_and_governance_ties(
    actors: pd.DataFrame, ties: list[dict], programmes: list[dict]
) -> pd.DataFrame:
    """Programmes act through partnership ties; cities answer to their governments."""
    carrying = {"twinning", "partnership", "funding"}
    existing = {(t["src"], t["dst"]) for t in ties if t["type"] in carrying}
    extra: list[dict] = []

    def ensure(src: str, dst: str, kind: str, human_security: bool) -> None:
        if (src, dst) not in existing:
            existing.add((src, dst))
            extra.append(
                {
                    "src": src,
                    "dst": dst,
                    "type": kind,
                    "trust": 0.3,
                    "memory": 0.0,
                    "human_security": human_security,
                }
            )

    for prog in programmes:
        pairs = (
            zip(prog["providers"], prog["recipients"], strict=True)
            if prog["pairing"] == "one_to_one"
            else ((p, r) for p in prog["providers"] for r in prog["recipients"])
        )
        for src, dst in pairs:
            if src != dst:
                ensure(src, dst, "partnership", prog["human_security"])
    govs = actors[actors["type"] == "national_government"].drop_duplicates("country")
    gov_of = dict(zip(govs["country"], govs["id"], strict=True))
    cities = actors[actors["type"] == "municipality"]
    governed = {(t["src"], t["dst"]) for t in ties if t["type"] == "governance"}
    for cid, country in zip(cities["id"], cities["country"], strict=True):
        if country in gov_of and (cid, gov_of[country]) not in governed:
            extra.append(
                {
                    "src": cid,
                    "dst": gov_of[country],
                    "type": "governance",
                    "trust": 0.5,
                    "memory": 0.0,
                    "human_security": False,
                }
            )
    columns = ["src", "dst", "type", "trust", "memory", "human_security"]
    return pd.DataFrame(ties + extra, columns=columns)
