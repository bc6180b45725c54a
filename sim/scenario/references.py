"""Checks across entries: every id is defined once and every reference names a defined id.

The entries have passed the schema (``sim.scenario.schema``); each comes with the file and key
it was read from (an :class:`Entry`), so an entry added by a policy is reported in
policies.yaml under its policy, and one of actors.yaml in actors.yaml.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sim.errors import ScenarioError
from sim.scenario.actors import actor_row
from sim.scenario.vocabulary import ALLIANCE_STATES, PERMISSIONS

if TYPE_CHECKING:
    from sim.scenario.schema import ScenarioMeta
from sim.scenario.table_rows import Columns


@dataclass(frozen=True)
class Entry:
    """A validated record and where it was read: ``file`` and its key (``actors[3]``)."""

    record: Any
    file: str
    where: str

    def fail(self, key: str, value: object, allowed: str) -> ScenarioError:
        path = ".".join(part for part in (self.where, key) if part)
        return ScenarioError(self.file, path or "document", value, allowed)


def known(entry: Entry, key: str, value: str | None, ids: Iterable[str], what: str) -> str | None:
    """``value`` if it is one of ``ids`` (or None); else the error naming the key."""
    if value is not None and value not in ids:
        raise entry.fail(key, value, f"a known {what} id")
    return value


def all_known(entry: Entry, key: str, values: list[str], ids: Iterable[str], what: str) -> None:
    ids = set(ids)
    for value in values:
        if value not in ids:
            raise entry.fail(key, value, f"a known {what} id")


def all_cities(entry: Entry, key: str, values: list[str], actors: Columns) -> None:
    """Every value names a municipality of the actor table (a known id of another type is
    refused as such: only a city has the indices a focus list averages)."""
    types = dict(zip(actors["id"].tolist(), actors["type"].tolist(), strict=True))
    for value in values:
        if value not in types:
            raise entry.fail(key, value, "a known municipality id")
        if types[value] != "municipality":
            raise entry.fail(key, value, f"a municipality id (its type is {types[value]})")


def unique_ids(entries: list[Entry], what: str) -> list[str]:
    """The entries' ids, each given once."""
    seen: list[str] = []
    for entry in entries:
        rid = entry.record.id
        if rid in seen:
            raise entry.fail("id", rid, f"a unique {what} id (duplicated)")
        seen.append(rid)
    return seen


@dataclass
class Meta:
    """What scenario.yaml says, checked: ids, pairs and levers, each given once."""

    countries: list[str]
    communities: list[str]
    divides: list[tuple[str, str]]
    permissions: list[tuple[str, str, int]]
    hostility: list[tuple[str, str, float]]
    sanctioned: list[str]
    levers: dict[str, Any]
    isolated: list[str] = field(default_factory=list)


def check_meta(meta: ScenarioMeta, file: str) -> Meta:
    """Cross-checks within scenario.yaml."""
    countries = unique_ids(
        [Entry(c, file, f"countries[{i}]") for i, c in enumerate(meta.countries)], "country"
    )
    communities = list(meta.communities)
    out = Meta(countries, communities, [], [], [], [], {})
    pairs: set = set()
    for i, rec in enumerate(meta.divides):
        entry = Entry(rec, file, f"divides[{i}]")
        known(entry, "a", rec.a, communities, "community")
        known(entry, "b", rec.b, communities, "community")
        _once(entry, pairs, frozenset((rec.a, rec.b)), f"{rec.a}-{rec.b}")
        out.divides.append((rec.a, rec.b))
    pairs = set()
    for i, rec in enumerate(meta.permissions):
        entry = Entry(rec, file, f"permissions[{i}]")
        known(entry, "from", rec.from_, countries, "country")
        known(entry, "to", rec.to, countries, "country")
        _once(entry, pairs, (rec.from_, rec.to), f"{rec.from_}->{rec.to}")
        out.permissions.append((rec.from_, rec.to, PERMISSIONS.index(rec.level)))
    pairs = set()
    for i, rec in enumerate(meta.hostility):
        entry = Entry(rec, file, f"hostility[{i}]")
        known(entry, "a", rec.a, countries, "country")
        known(entry, "b", rec.b, countries, "country")
        if rec.a == rec.b:
            raise entry.fail("b", rec.b, "a country other than a")
        _once(entry, pairs, frozenset((rec.a, rec.b)), f"{rec.a}-{rec.b}")
        out.hostility.append((rec.a, rec.b, rec.value))
    # Two lists of countries with the same checks: known, and listed once.
    for key, records, listed in (
        ("sanctioned", meta.sanctioned, out.sanctioned),
        ("isolated", meta.isolated, out.isolated),
    ):
        for i, rec in enumerate(records):
            entry = Entry(rec, file, f"{key}[{i}]")
            known(entry, "country", rec.country, countries, "country")
            if rec.country in listed:
                raise entry.fail("country", rec.country, "a country listed once")
            listed.append(rec.country)
    for i, rec in enumerate(meta.levers):
        if rec.lever in out.levers:
            raise ScenarioError(file, f"levers[{i}].lever", rec.lever, "a lever set once")
        out.levers[rec.lever] = rec.value
    return out


def _once(entry: Entry, seen: set, pair: object, label: str) -> None:
    if pair in seen:
        raise entry.fail("", label, "one entry per pair (this pair is given twice)")
    seen.add(pair)


def check_actors(
    entries: list[Entry], countries: list[str], communities: list[str], start: int, horizon: int
) -> list[dict[str, Any]]:
    """The actor table's rows: ids once, countries and communities known, a municipality at
    least, activity windows inside the horizon (``active_from``/``active_to`` steps)."""
    from sim.scenario.windows import window

    unique_ids(entries, "actor")
    rows = []
    for entry in entries:
        actor = entry.record
        known(entry, "country", actor.country, countries, "country")
        known(entry, "community", actor.community, communities, "community")
        row = actor_row(actor)
        row["active_from"], row["active_to"] = window(entry, actor, start, horizon)
        rows.append(row)
    if not any(row["type"] == "municipality" for row in rows):
        file = entries[0].file if entries else "actors.yaml"
        raise ScenarioError(file, "actors", len(rows), "at least one municipality")
    return rows


def check_alliances(entries: list[Entry], actors: set[str]) -> list[dict[str, Any]]:
    unique_ids(entries, "alliance")
    out = []
    for entry in entries:
        rec = entry.record
        all_known(entry, "members", rec.members, actors, "actor")
        all_known(entry, "mediators", rec.mediators, actors, "actor")
        out.append(
            {
                "id": rec.id,
                "members": list(rec.members),
                "mediators": list(rec.mediators),
                "state": ALLIANCE_STATES.index(rec.state),
            }
        )
    return out


def check_ties(
    entries: list[Entry], actors: Columns, start: int, horizon: int
) -> list[dict[str, Any]]:
    """Ties between known, different actors; at most one of each type in each direction;
    a window inside the horizon that overlaps both actors' windows (else it never acts)."""
    from sim.scenario.windows import describe, window

    ids = set(actors["id"])
    spans = dict(
        zip(
            actors["id"].tolist(),
            zip(actors["active_from"].tolist(), actors["active_to"].tolist(), strict=True),
            strict=True,
        )
    )
    out: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, str], Entry] = {}
    for entry in entries:
        rec = entry.record
        known(entry, "src", rec.src, ids, "actor")
        known(entry, "dst", rec.dst, ids, "actor")
        if rec.src == rec.dst:
            raise entry.fail("dst", rec.dst, "an actor other than src")
        first, last = window(entry, rec, start, horizon)
        for actor in (rec.src, rec.dst):
            a_first, a_last = spans[actor]
            # Only a tie's own dates can miss its actors' windows (a window is never empty).
            key = "start" if first > a_last else "end" if last < a_first else None
            if key is not None:
                raise entry.fail(
                    key,
                    getattr(rec, key),
                    f"a date while {actor} is active ({describe(a_first, a_last, start)})",
                )
        tie = {
            "src": rec.src,
            "dst": rec.dst,
            "type": rec.type,
            "trust": rec.trust,
            "memory": rec.memory,
            "human_security": rec.human_security,
            "active_from": first,
            "active_to": last,
        }
        directions = [tie, {**tie, "src": rec.dst, "dst": rec.src}] if rec.bidirectional else [tie]
        for one in directions:
            key = (one["src"], one["dst"], one["type"])
            if key in seen:
                raise entry.fail(
                    "", f"{key[0]}->{key[1]} ({key[2]})", "one tie of a type in each direction"
                )
            seen[key] = entry
            out.append(one)
    return out
