"""The one scenario loader: read a scenario folder, validate every entry, apply a policy.

Every problem raises :class:`~sim.errors.ScenarioError` naming the file, the key, the value and
what is allowed. YAML is read with the safe loader only (``sim.scenario.yaml_io``). The format
is declared in ``sim.scenario.schema`` and documented in ``docs/scenario-format.md``; what
depends on other entries is checked in ``sim.scenario.references`` and
``sim.scenario.timeline``, overlays in ``sim.scenario.policies``, output columns in
``sim.scenario.columns`` and patterns in ``sim.experiments.pattern_schema``.
"""

from __future__ import annotations

import copy
import re
import threading
from pathlib import Path
from typing import Any

from sim.errors import ScenarioError
from sim.scenario.case import Scenario
from sim.scenario.columns import check_columns
from sim.scenario.dates import format_month as _fmt  # noqa: F401 - kept for older imports
from sim.scenario.dates import parse_month
from sim.scenario.handover import pairs
from sim.scenario.policies import apply_policy, read_policies
from sim.scenario.records import validated
from sim.scenario.references import (
    Entry,
    all_cities,
    all_known,
    check_actors,
    check_alliances,
    check_meta,
    check_ties,
)
from sim.scenario.steady_check import steady_paths
from sim.scenario.table_rows import columns_of
from sim.scenario.timeline import check_contradictions, check_events, check_programmes
from sim.scenario.vocabulary import (  # noqa: F401 - the vocabulary, imported from here by others
    ACTOR_TYPES,
    ALLIANCE_STATES,
    HORIZONS,
    IO_KINDS,
    LEVELS,
    MAX_HORIZON,
    MAX_MONEY,
    MAX_PEOPLE,
    PERMISSIONS,
    PILLARS,
    TIE_TYPES,
)
from sim.scenario.windows import NO_END
from sim.scenario.yaml_io import (  # noqa: F401 - the parse cache, read by tests
    _PARSED,
    _PARSED_MAX,
    as_list,
    read_table,
    read_yaml,
    short,
)
from sim.scenario.yaml_io import parse_yaml as _parse_yaml  # noqa: F401
from sim.scenario.yaml_io import read_yaml as _read_yaml  # noqa: F401

# An actor's or a tie's activity window in steps, first and last active month (a table built
# without them, such as the synthetic generator's, is active throughout).
WINDOW_COLUMNS = ("active_from", "active_to")
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")
# Each section's record (sim.scenario.schema), checked by sim.scenario.records.
_RECORDS = {
    "actors": "Actor",
    "ties": "Tie",
    "programmes": "Programme",
    "alliances": "Alliance",
    "events": "Event",
}
_PYDANTIC = {"EVENT_TYPES", "Actor", "Alliance", "Event", "Programme", "ScenarioMeta", "Tie"}


def __getattr__(name: str) -> Any:
    # The format's pydantic records, imported from here by older code, built when asked for:
    # a scenario without an error is checked without them (sim.scenario.records).
    if name in _PYDANTIC:
        from sim.scenario import schema

        return getattr(schema, name)
    raise AttributeError(f"module 'sim.scenario.loader' has no attribute {name!r}")


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


# ----------------------------------------------------------------------------- loading


# Validated scenarios by (folder, policy, horizon, every file's bytes): a sweep loads the same
# scenario once per run, and validation plus building the tables costs ~10 ms for tuzla, a copy
# of the result ~0.3 ms. Keyed by the files' content, read anew each call (~0.2 ms), so an edit
# is seen at once; every caller gets its own deep copy. A load by path takes the same folder's
# load by name (by_path only relaxes the folder-name check): the outputs' programme columns
# read the folder by path after the command line loaded it by name.
_SCENARIOS: dict[tuple, Scenario] = {}
_SCENARIOS_MAX = 16
_SCENARIOS_LOCK = threading.Lock()  # the app's threads share the cache


def _folder_key(
    folder: Path, policy: str, horizon: int | None, by_path: bool, frames: bool = True
) -> tuple | None:
    """The cache key of a load, or None when the folder cannot be read (no caching)."""
    try:
        files = tuple(
            (p.name, p.read_bytes())
            for p in sorted(folder.iterdir())
            if p.suffix in (".yaml", ".csv") and p.is_file()
        )
    except OSError:
        return None
    return (str(folder), policy, horizon, by_path, frames, files)


def load_scenario(
    name: str | Path, policy: str = "baseline", horizon: int | None = None, frames: bool = True
) -> Scenario:
    """Read, validate and return a scenario folder (by name or path), with ``policy`` applied.

    A folder given by its path may have any folder name; a scenario found by its name lives in
    a folder of that name. ``frames=False``: the actor and tie tables as mappings of numpy
    columns (``sim.scenario.table_rows``), so that pandas is not imported (the command line's
    first run; the engine reads either).
    """
    by_path = isinstance(name, Path)
    folder = Path(name) if by_path else scenario_folder(name)
    if not folder.is_dir():
        raise ScenarioError(str(folder), "scenario.path", str(folder), "an existing folder")
    key = _folder_key(folder, policy, horizon, by_path, frames)
    with _SCENARIOS_LOCK:
        hit = _SCENARIOS.get(key) if key is not None else None
        if hit is None and key is not None and by_path:  # found by its name: checked more
            hit = _SCENARIOS.get((*key[:3], False, *key[4:]))
    if hit is not None:
        return copy.deepcopy(hit)
    sc = _load_scenario(folder, policy, horizon, by_path, frames)  # invalid: raises, no cache
    if key is not None:
        kept = copy.deepcopy(sc)
        with _SCENARIOS_LOCK:
            if len(_SCENARIOS) >= _SCENARIOS_MAX:
                _SCENARIOS.pop(next(iter(_SCENARIOS)))
            _SCENARIOS[key] = kept
    return sc


def _load_scenario(
    folder: Path, policy: str, horizon: int | None, by_path: bool, frames: bool = True
) -> Scenario:
    meta_path = folder / "scenario.yaml"
    meta_file = str(meta_path)
    raw_meta = read_yaml(meta_path)
    if not isinstance(raw_meta, dict) or not raw_meta:
        raise ScenarioError(
            meta_file,
            "document",
            short(raw_meta),  # bounded: repr of an alias bomb never returns
            "a non-empty mapping with name, start, horizon",
        )
    meta = validated("ScenarioMeta", raw_meta, meta_file)
    if meta.name != folder.name and not by_path:
        raise ScenarioError(meta_file, "name", meta.name, f"the folder name {folder.name!r}")
    if horizon is not None and (
        isinstance(horizon, bool) or not isinstance(horizon, int) or not 1 <= horizon <= MAX_HORIZON
    ):
        raise ScenarioError(
            meta_file, "horizon", horizon, f"a whole number of months in [1, {MAX_HORIZON}]"
        )
    checked = check_meta(meta, meta_file)
    sc = Scenario(
        name=meta.name,
        title=meta.title or meta.name,
        start=parse_month(meta.start),
        horizon=max(horizon or meta.horizon, meta.horizon),
        communities=checked.communities,
        divides=checked.divides,
        countries=checked.countries,
        actors={},
        ties={},
        permissions=checked.permissions,
        hostility=checked.hostility,
        sanctioned=checked.sanctioned,
        isolated=checked.isolated,
        default_permission=PERMISSIONS.index(meta.default_permission),
        baseline_levers=checked.levers,
        folder=folder,
    )
    sections, files = _read_sections(folder)
    policies = read_policies(folder)
    sections, sc.levers = apply_policy(sections, policies, policy, folder)
    sc.policy = policy
    sc.policies = {
        name: p.model_dump(by_alias=True, exclude_defaults=True) for name, p in policies.items()
    }
    actor_rows, tie_rows = _assemble(sc, sections)
    watch = Entry(meta, meta_file, "")
    all_known(watch, "watch", meta.watch, set(sc.actors["id"]), "actor")
    sc.watch = list(meta.watch)
    all_cities(watch, "focus", meta.focus, sc.actors)
    sc.focus = list(meta.focus)
    check_columns(sc, meta_file, files["alliances"])
    # The pattern language checks its own file (keys, roles, series, dates: pattern_schema).
    from sim.experiments.pattern_schema import check_patterns

    patterns_file = str(folder / "patterns.yaml")
    records = as_list(
        read_yaml(folder / "patterns.yaml", required=False), patterns_file, "patterns"
    )
    sc.patterns = check_patterns(records, patterns_file, sc)
    # The story for the app (optional) is part of the folder: a bad one is refused here too.
    from sim.scenario.info import read_info

    read_info(folder, list(sc.policies))
    # Dates were checked against the scenario's own span; a shorter run simply stops earlier.
    sc.horizon = horizon or meta.horizon
    if frames:  # pandas' own frames of the rows, as the loader has always given
        import pandas as pd

        sc.actors = pd.DataFrame(actor_rows)
        sc.ties = pd.DataFrame(tie_rows, columns=list(TIE_COLUMNS))
    return sc


def _read_sections(folder: Path) -> tuple[dict[str, list[Entry]], dict[str, str]]:
    """Each section's entries, checked against the schema, with the file each came from."""
    sections: dict[str, list[Entry]] = {}
    files: dict[str, str] = {}
    for stem, record in _RECORDS.items():
        if stem in ("actors", "ties"):
            raw, file = read_table(folder, stem)
        else:
            path = folder / f"{stem}.yaml"
            file = str(path)
            raw = as_list(read_yaml(path, required=False), file, stem)
        files[stem] = file
        sections[stem] = [
            Entry(validated(record, rec, file, f"{stem}[{i}]"), file, f"{stem}[{i}]")
            for i, rec in enumerate(raw)
        ]
    return sections, files


def _assemble(sc: Scenario, sections: dict[str, list[Entry]]) -> tuple[list[dict], list[dict]]:
    """The tables the model is built from, every reference checked, as numpy columns; and
    their rows."""
    actor_rows = check_actors(
        sections["actors"], sc.countries, sc.communities, sc.start, sc.horizon
    )
    sc.steady_paths = steady_paths(sections["actors"], actor_rows, sc.start, sc.horizon)
    sc.actors = columns_of(actor_rows)
    ids = set(sc.actors["id"].tolist())
    sc.alliances = check_alliances(sections["alliances"], ids)
    ties = check_ties(sections["ties"], sc.actors, sc.start, sc.horizon)
    alliance_ids = {a["id"] for a in sc.alliances}
    sc.programmes = check_programmes(
        sections["programmes"], sc.actors, sc.start, sc.horizon, alliance_ids
    )
    prog_ids = {p["id"] for p in sc.programmes}
    alliances = {a["id"]: a for a in sc.alliances}
    sc.events = check_events(sections["events"], sc, ids, prog_ids, alliances)
    events_file = (
        sections["events"][0].file if sections["events"] else str(sc.folder / "events.yaml")
    )
    check_contradictions(sc.events, events_file, sc.programmes)
    tie_rows = _with_programme_and_governance_ties(actor_rows, ties, sc.programmes, sc.events)
    sc.ties = columns_of(tie_rows, TIE_COLUMNS)
    return actor_rows, tie_rows


TIE_COLUMNS = ("src", "dst", "type", "trust", "memory", "human_security", *WINDOW_COLUMNS)


def _with_programme_and_governance_ties(
    actors: list[dict[str, Any]], ties: list[dict], programmes: list[dict], events: list[dict]
) -> list[dict[str, Any]]:
    """Programmes act through partnership ties; cities answer to their governments."""
    carrying = {"twinning", "partnership", "funding"}
    existing = {(t["src"], t["dst"]) for t in ties if t["type"] in carrying}
    extra: list[dict] = []

    def ensure(src: str, dst: str, human_security: bool, first: int = 0) -> bool:
        """A carrying tie src -> dst, created (active from ``first``) if there is none."""
        if (src, dst) in existing:
            return False
        existing.add((src, dst))
        extra.append(
            {
                "src": src,
                "dst": dst,
                "type": "partnership",
                "trust": 0.3,
                "memory": 0.0,
                "human_security": human_security,
                "active_from": first,
                "active_to": NO_END,
            }
        )
        return True

    for prog in programmes:
        for src, dst in pairs(prog):
            ensure(src, dst, prog["human_security"])
    # A handover's successor carries the programme from the handover on (sim.scenario.handover).
    by_id = {p["id"]: p for p in programmes}
    for ev in sorted((e for e in events if e["type"] == "handover"), key=lambda e: e["step"]):
        secure = by_id[ev["programme"]]["human_security"]
        for _, recipient in ev["passes"]:
            if ensure(ev["successor"], recipient, secure, ev["step"]):
                ev["created"].append(recipient)
    gov_of: dict[str, str] = {}  # each country's first national government
    for actor in actors:
        if actor["type"] == "national_government":
            gov_of.setdefault(actor["country"], actor["id"])
    governed = {(t["src"], t["dst"]) for t in ties if t["type"] == "governance"}
    cities = ((a["id"], a["country"]) for a in actors if a["type"] == "municipality")
    for cid, country in cities:
        if country in gov_of and (cid, gov_of[country]) not in governed:
            extra.append(
                {
                    "src": cid,
                    "dst": gov_of[country],
                    "type": "governance",
                    "trust": 0.5,
                    "memory": 0.0,
                    "human_security": False,
                    "active_from": 0,
                    "active_to": NO_END,
                }
            )
    return ties + extra
