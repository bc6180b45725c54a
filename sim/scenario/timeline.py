"""Programmes and events on the scenario's calendar: dates inside the horizon, references to
actors, programmes and alliances, and no contradictions between events."""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.errors import ScenarioError
from sim.scenario.dates import format_month, parse_month
from sim.scenario.handover import sequence_handovers
from sim.scenario.references import Entry, all_known, known, unique_ids
from sim.scenario.table_rows import Columns, equals, row_of, where
from sim.scenario.vocabulary import PERMISSIONS, PILLARS
from sim.scenario.windows import describe, step


def _group(entry: Entry, key: str, value: Any, actors: Columns, required: bool) -> list[str]:
    """A list of actor ids, or the actors a selector mapping matches."""
    if not value:
        if required:
            raise entry.fail(key, value, "a non-empty list of actor ids or a selector mapping")
        return []
    if isinstance(value, dict):
        mask = np.ones(len(actors["id"]), dtype=bool)
        for column, wanted in value.items():
            mask &= equals(actors[column], wanted)
        chosen = actors["id"][mask].tolist()
        if not chosen:
            raise entry.fail(key, value, "a selector that matches at least one actor")
        return chosen
    all_known(entry, key, value, set(actors["id"]), "actor")
    return list(value)


def check_programmes(
    entries: list[Entry], actors: Columns, start: int, horizon: int, alliances: set[str]
) -> list[dict[str, Any]]:
    unique_ids(entries, "programme")
    out = []
    for entry in entries:
        rec = entry.record
        prog: dict[str, Any] = {"id": rec.id, "name": rec.name if rec.name is not None else rec.id}
        for role in ("funders", "providers", "recipients"):
            prog[role] = _group(entry, role, getattr(rec, role), actors, role != "funders")
        prog["phases"] = _phases(entry, start, horizon)
        prog["start"], prog["end"] = prog["phases"][0]["start"], prog["phases"][-1]["end"]
        # One phase is the programme itself; with several, the union of what they pay for.
        prog["pillars"] = [p for p in PILLARS if any(p in ph["pillars"] for ph in prog["phases"])]
        prog["budget"] = prog["phases"][0]["budget"] if len(prog["phases"]) == 1 else None
        prog["horizon"] = rec.horizon
        prog["human_security"] = rec.human_security
        prog["funded_at_start"] = rec.funded_at_start
        prog["alliance"] = known(entry, "alliance", rec.alliance, alliances, "alliance")
        prog["pairing"] = rec.pairing
        if rec.pairing == "one_to_one" and len(prog["providers"]) != len(prog["recipients"]):
            n, m = len(prog["providers"]), len(prog["recipients"])
            raise entry.fail(
                "pairing", "one_to_one", f"as many providers ({n}) as recipients ({m})"
            )
        out.append(prog)
    return out


def _phases(entry: Entry, start: int, horizon: int) -> list[dict[str, Any]]:
    """A programme's phases in order, each {start, end (exclusive), budget, pillars}: the
    top-level keys of a single-phase programme, or its ``phases``, which must not overlap."""
    rec = entry.record
    given = rec.phases if rec.phases is not None else [rec]
    where = (
        [entry]
        if rec.phases is None
        else [Entry(ph, entry.file, f"{entry.where}.phases[{k}]") for k, ph in enumerate(given)]
    )
    out: list[dict[str, Any]] = []
    for ph, at in zip(given, where, strict=True):
        first = step(at, "start", ph.start, start, horizon)
        end = step(at, "end", ph.end, start, horizon, clip_end=True)
        if parse_month(ph.end) - start < horizon:
            end += 1  # the end month is the last month paid
        if end <= first:
            raise at.fail("end", ph.end, f"a date after start {ph.start}")
        if out and first < out[-1]["end"]:
            last = format_month(start + out[-1]["end"] - 1)
            raise at.fail("start", ph.start, f"a date after the previous phase's end {last}")
        out.append({"start": first, "end": end, "budget": ph.budget, "pillars": list(ph.pillars)})
    return out


def check_events(
    entries: list[Entry],
    sc: Any,
    actors: set[str],
    programmes: set[str],
    alliances: dict[str, dict[str, Any]],
) -> list[dict[str, Any]]:
    """Events as the engine reads them (``sim.engine.events``), checked against the scenario."""
    unique_ids([e for e in entries if e.record.id is not None], "event")
    countries = set(sc.countries)
    out = []
    handovers: list[tuple[Entry, dict[str, Any]]] = []
    for entry in entries:
        rec = entry.record
        ev: dict[str, Any] = {
            "type": rec.type,
            "id": rec.id,
            "date": rec.date,
            "step": step(entry, "date", rec.date, sc.start, sc.horizon),
            "source": rec.source,
            "assumption": rec.assumption,
        }
        kind = rec.type
        if kind == "violence":
            end = rec.end if rec.end is not None else rec.date
            ev["end_step"] = step(entry, "end", end, sc.start, sc.horizon)
            if ev["end_step"] < ev["step"]:
                raise entry.fail("end", rec.end, f"a date not before {rec.date}")
            ev["pressure"] = rec.pressure
            ev["targets"] = _targets(entry, rec.targets, sc)
        elif kind == "disaster":
            ev["targets"] = _targets(entry, rec.targets, sc)
            ev["needs_shock"], ev["capacity_loss"] = rec.needs_shock, rec.capacity_loss
        elif kind in ("displacement", "return", "deaths"):
            ev["targets"] = _targets(entry, rec.targets, sc)
            ev["share"] = rec.share
        elif kind == "refugee_influx":
            ev["actor"] = known(entry, "actor", rec.actor, actors, "actor")
            ev["people"] = rec.people
        elif kind == "permission":
            ev["from"] = known(entry, "from", rec.from_, countries, "country")
            ev["to"] = known(entry, "to", rec.to, countries, "country")
            ev["level"] = PERMISSIONS.index(rec.level)
            ev["both_ways"] = rec.both_ways
        elif kind == "sanctions":
            ev["country"] = known(entry, "country", rec.country, countries, "country")
            ev["active"] = rec.active
        elif kind in ("funding_start", "funding_end"):
            ev["programme"] = known(entry, "programme", rec.programme, programmes, "programme")
        elif kind == "withdraw":
            ev["actor"] = known(entry, "actor", rec.actor, actors, "actor")
            if rec.alliance is not None:
                ev["alliance"] = known(entry, "alliance", rec.alliance, alliances, "alliance")
                members = alliances[rec.alliance]["members"]
                if rec.actor not in members:
                    raise entry.fail(
                        "actor", rec.actor, f"a member of alliance {rec.alliance!r} ({members})"
                    )
            else:
                ev["programme"] = known(entry, "programme", rec.programme, programmes, "programme")
        elif kind == "summit":
            ev["a"] = known(entry, "a", rec.a, countries, "country")
            ev["b"] = known(entry, "b", rec.b, countries, "country")
            ev["delta"] = rec.delta
        elif kind == "leadership_change":
            ev["actor"] = known(entry, "actor", rec.actor, actors, "actor")
            ev["will"] = rec.will
        elif kind == "convene_alliance":
            ev["alliance"] = known(entry, "alliance", rec.alliance, alliances, "alliance")
        elif kind == "handover":
            _handover(entry, rec, ev, sc, actors, programmes)
            handovers.append((entry, ev))
        out.append(ev)
    sequence_handovers(handovers, sc.programmes, sc.start)
    return out


def _handover(
    entry: Entry, rec: Any, ev: dict[str, Any], sc: Any, actors: set[str], programmes: set[str]
) -> None:
    """A handover's own checks: known ids, a date in the programme's months, a successor
    active on that date (``sim.scenario.handover`` checks the order of handovers)."""
    ev["programme"] = known(entry, "programme", rec.programme, programmes, "programme")
    ev["provider"] = known(entry, "provider", rec.provider, actors, "actor")
    ev["successor"] = known(entry, "successor", rec.successor, actors, "actor")
    if rec.successor == rec.provider:
        raise entry.fail("successor", rec.successor, "an actor other than the provider")
    prog = next(p for p in sc.programmes if p["id"] == rec.programme)
    if not prog["start"] <= ev["step"] < prog["end"]:
        first, last = (
            format_month(sc.start + prog["start"]),
            format_month(sc.start + prog["end"] - 1),
        )
        raise entry.fail(
            "date",
            rec.date,
            f"a date within programme {rec.programme!r}'s months [{first}, {last}]",
        )
    row = row_of(sc.actors, "id", rec.successor)
    first, last = int(row["active_from"]), int(row["active_to"])
    if not first <= ev["step"] <= last:
        window = describe(first, last, sc.start)
        raise entry.fail("successor", rec.successor, f"an actor active on {rec.date} ({window})")


def _targets(entry: Entry, targets: Any, sc: Any) -> dict[str, Any]:
    """An event's target cities, ``{community: X}``, ``{country: K}`` or ``{actors: [...]}``:
    known ids that name at least one municipality (a target without a city would do nothing)."""
    ((key, value),) = targets.model_dump(exclude_none=True).items()
    cities = where(sc.actors, equals(sc.actors["type"], "municipality"))
    if key == "actors":
        all_known(entry, "targets.actors", value, set(sc.actors["id"]), "actor")
        city_ids = set(cities["id"])
        for actor in value:
            if actor not in city_ids:
                raise entry.fail("targets.actors", actor, "a municipality id (events hit cities)")
        return {key: value}
    ids = sc.communities if key == "community" else sc.countries
    known(entry, f"targets.{key}", value, ids, key)
    if not equals(cities[key], value).any():
        hint = (
            "; an armed side without cities attacks the cities of its country: {country: K}"
            if key == "community"
            else ""
        )
        raise entry.fail(f"targets.{key}", value, f"a {key} with at least one municipality{hint}")
    return {key: value}


def check_contradictions(events: list[dict], file: str, programmes: list[dict]) -> None:
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
