"""A synthetic pair of cities across a divide, written in the scenario format and loaded.

One war-damaged city (the *aided* side, 100,000 people: D 0.05, S 0.6, C 0.5, needs 0.6,
capacity 0.3) faces a neighbour across a divide (the same, capacity 0.5); each side is a
country with its national government, and one outside donor (an international
organisation) may pay a programme to the aided city. The tests' pair (``tests/pair_world.py``:
``east`` and ``west``) and the credibility experiment's town (``experiments/credibility_worlds.py``:
``town`` and ``neighbour``) are both built here, so that what the tests check and what the
experiment reports cannot drift apart; each names its sides with a :class:`PairNames`.

Every field not given is the format's default and nothing here sets a coefficient or a rule:
the world is data, written to a temporary folder and read back through
:func:`sim.scenario.loader.load_scenario`, so it is checked as any scenario is.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sim.scenario.loader import Scenario, load_scenario

START_YEAR = 2000  # the world starts in 2000-01
PEOPLE = 100_000  # the aided city's residents (and its neighbour's)


@dataclass(frozen=True)
class PairNames:
    """What the sides, their countries and communities and the scenario are called, and the
    ``assumption`` text every record carries (the format asks each record for its source)."""

    aided: str
    other: str
    aided_country: str
    other_country: str
    aided_community: str
    other_community: str
    name: str
    title: str
    assumption: str


def month_label(month: int) -> str:
    """``YYYY-MM`` of the 0-based ``month`` after 2000-01."""
    return f"{START_YEAR + month // 12}-{month % 12 + 1:02d}"


def violence_event(
    target: str, start: str, end: str, pressure: Any, assumption: str
) -> list[dict[str, Any]]:
    """A violence event named ``siege`` on ``target`` from ``start`` to ``end`` (YYYY-MM)."""
    return [
        {"id": "siege", "date": start, "end": end, "type": "violence", "pressure": pressure,
         "targets": {"actors": [target]}, "assumption": assumption},
    ]  # fmt: skip


def mediation_ties(
    mediator: str, sides: tuple[str, str], trust: float, months: int, assumption: str
) -> list[dict[str, Any]]:
    """``mediator``'s mediation ties to both ``sides`` from 2000-01 for ``months`` months: it
    brings the two together, as Wageningen did for Ernestinovo and Sodolovci
    (scenarios/croatia_twinnings/ties.yaml, trust 0.5 there)."""
    return [
        {"src": mediator, "dst": side, "type": "mediation", "trust": trust, "start": "2000-01",
         "end": month_label(months - 1), "assumption": assumption}
        for side in sides
    ]  # fmt: skip


def pair_world(
    names: PairNames,
    aided: dict[str, Any] | None = None,
    budget: float = 0.0,
    pillars: tuple[str, ...] = ("development",),
    months: int = 60,
    horizon_tag: str = "design",
    horizon: int = 120,
    twinning_trust: float = 0.3,
    hostility: float = 0.3,
    events: list[dict[str, Any]] | None = None,
    ties: list[dict[str, Any]] | None = None,
    donor: dict[str, Any] | None = None,
    extra_actors: list[dict[str, Any]] | None = None,
) -> Scenario:
    """The pair (see the module docstring), loaded through the public loader.

    Args:
        names: the sides', countries', communities' and scenario's names.
        aided: fields over the aided city's defaults (e.g. ``steady_capacity``, ``population``).
        budget: the donor's programme to the aided city, units a month (1 unit = EUR 1,000 a
            month); 0 for no programme.
        pillars: the programme's pillars.
        months: the programme's length in months from 2000-01.
        horizon_tag: the programme's Lederach time horizon (crisis, design or vision).
        horizon: months to run.
        twinning_trust: the twinning's starting trust, in [0, 1] (the only cross-divide tie).
        hostility: the two countries' national hostility at the start, in [0, 1].
        events: scenario events (e.g. :func:`violence_event`).
        ties: ties added to the twinning and the donor's partnership (e.g.
            :func:`mediation_ties`).
        donor: fields over the donor's defaults.
        extra_actors: actors added to the pair's five (each a dict of actors.yaml keys; a
            city's missing keys are the pair's), e.g. a town with no cross-divide tie.
    """
    note = names.assumption
    city = {
        "type": "municipality",
        "level": "middle",
        "population": PEOPLE,
        "direct_violence": 0.05,
        "structural_violence": 0.6,
        "cultural_violence": 0.5,
        "needs": 0.6,
        "capacity": 0.3,
        "cohesion": 0.5,
        "participation": 0.5,
        "will": 0.6,
        "diversity": 0.3,
        "assumption": note,
    }
    countries = (names.aided_country, names.other_country)
    actors = [
        {**city, "id": names.aided, "country": countries[0], "community": names.aided_community,
         **(aided or {})},
        {**city, "id": names.other, "country": countries[1], "community": names.other_community,
         "capacity": 0.5},
        *({"id": f"gov_{c.lower()}", "type": "national_government", "country": c,
           "assumption": note} for c in countries),
        {
            "id": "donor",
            "type": "international_organisation",
            "kind": "donor",
            "country": "DN",
            "neutrality": 0.9,
            "conflict_sensitivity": 1.0,
            "mandate": {"humanitarian": 1.0, "development": 1.0, "peace": 1.0},
            "assumption": note,
            **(donor or {}),
        },
    ]  # fmt: skip
    for extra in extra_actors or []:
        is_city = extra.get("type", "municipality") == "municipality"
        actors.append({**city, **extra} if is_city else extra)
    all_ties = [
        {"src": names.aided, "dst": names.other, "type": "twinning", "trust": twinning_trust,
         "bidirectional": True, "assumption": note},
        {"src": "donor", "dst": names.aided, "type": "partnership", "trust": 0.6,
         "assumption": note},
    ] + list(ties or [])  # fmt: skip
    programmes = []
    if budget > 0:
        programmes.append(
            {
                "id": "aid",
                "funders": ["donor"],
                "providers": ["donor"],
                "recipients": [names.aided],
                "pillars": list(pillars),
                "budget": float(budget),
                "start": "2000-01",
                "end": month_label(months),
                "horizon": horizon_tag,
                "assumption": note,
            }
        )
    communities = [names.aided_community, names.other_community]
    meta = {
        "name": names.name,
        "title": names.title,
        "assumption": note,
        "start": "2000-01",
        "horizon": horizon,
        "communities": communities,
        "divides": [{"a": communities[0], "b": communities[1], "assumption": note}],
        "countries": [{"id": c, "assumption": note} for c in (*countries, "DN")],
        "hostility": [
            {"a": countries[0], "b": countries[1], "value": hostility, "assumption": note}
        ],
        "watch": [names.aided, names.other, *(a["id"] for a in extra_actors or [])],
    }
    files = {
        "scenario.yaml": meta,
        "actors.yaml": actors,
        "ties.yaml": all_ties,
        "programmes.yaml": programmes,
        "events.yaml": events or [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / names.name
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return load_scenario(folder)
