"""Small synthetic worlds for experiments/credibility.py, written in the scenario format.

A ``town`` across a divide from a ``neighbour``, two national governments and one outside
donor (an international organisation), like tests/pair_world.py's pair but with every state
the issue's complaints need open to the caller: the town's size, its war-time state, the
twinning's trust, a mediator's ties and dated violence. Every field not given is a default
of the format (the issue's complaints came from an author who used the defaults), so no
coefficient or rule is set here.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml

from sim.scenario.loader import Scenario, load_scenario

START_YEAR = 2000


def month_label(month: int) -> str:
    """``YYYY-MM`` of the 0-based ``month`` after 2000-01."""
    return f"{START_YEAR + month // 12}-{month % 12 + 1:02d}"


def violence(first: int, last: int, pressure: float, target: str = "town") -> list[dict]:
    """A violence event on ``target`` from month ``first`` to ``last`` (0-based, inclusive)."""
    return [
        {
            "id": "siege",
            "date": month_label(first),
            "end": month_label(last),
            "type": "violence",
            "pressure": float(pressure),
            "targets": {"actors": [target]},
            "assumption": "credibility",
        },
    ]


def mediation(months: int, trust: float = 0.5) -> list[dict]:
    """The donor's mediation ties to both sides from 2000-01 for ``months`` months, as
    Wageningen's between Ernestinovo and Sodolovci (scenarios/croatia_twinnings/ties.yaml)."""
    return [
        {
            "src": "donor",
            "dst": side,
            "type": "mediation",
            "trust": trust,
            "start": "2000-01",
            "end": month_label(months - 1),
            "assumption": "credibility",
        }
        for side in ("town", "neighbour")
    ]


def town_world(
    town: dict[str, Any] | None = None,
    budget: float = 0.0,
    pillars: tuple[str, ...] = ("development",),
    months: int = 60,
    horizon: int = 120,
    twinning_trust: float = 0.3,
    events: list[dict[str, Any]] | None = None,
    ties: list[dict[str, Any]] | None = None,
    hostility: float = 0.3,
) -> Scenario:
    """The town world, loaded through the public loader.

    Args:
        town: the town's fields over a war-damaged city of 100,000 (D 0.05, S 0.6, C 0.5,
            needs 0.6, capacity 0.3).
        budget: the donor's programme to the town, units a month (1 unit = EUR 1,000 a month);
            0 for no programme.
        pillars: the programme's pillars.
        months: the programme's length.
        horizon: months to run.
        twinning_trust: the town-neighbour twinning's starting trust (the only cross-divide tie).
        events: scenario events (e.g. :func:`violence`).
        ties: further ties (e.g. :func:`mediation`).
        hostility: the two countries' national hostility at the start.
    """
    city = {
        "type": "municipality",
        "level": "middle",
        "population": 100_000,
        "direct_violence": 0.05,
        "structural_violence": 0.6,
        "cultural_violence": 0.5,
        "needs": 0.6,
        "capacity": 0.3,
        "cohesion": 0.5,
        "participation": 0.5,
        "will": 0.6,
        "diversity": 0.3,
        "assumption": "credibility",
    }
    actors = [
        {**city, "id": "town", "country": "TA", "community": "t", **(town or {})},
        {**city, "id": "neighbour", "country": "NB", "community": "n", "capacity": 0.5},
        {
            "id": "gov_ta",
            "type": "national_government",
            "country": "TA",
            "assumption": "credibility",
        },
        {
            "id": "gov_nb",
            "type": "national_government",
            "country": "NB",
            "assumption": "credibility",
        },
        {
            "id": "donor",
            "type": "international_organisation",
            "kind": "donor",
            "country": "DN",
            "neutrality": 0.9,
            "conflict_sensitivity": 1.0,
            "mandate": {"humanitarian": 1.0, "development": 1.0, "peace": 1.0},
            "assumption": "credibility",
        },
    ]
    all_ties = [
        {
            "src": "town",
            "dst": "neighbour",
            "type": "twinning",
            "trust": twinning_trust,
            "bidirectional": True,
            "assumption": "credibility",
        },
        {
            "src": "donor",
            "dst": "town",
            "type": "partnership",
            "trust": 0.6,
            "assumption": "credibility",
        },
    ] + list(ties or [])
    programmes = []
    if budget > 0:
        programmes.append(
            {
                "id": "aid",
                "funders": ["donor"],
                "providers": ["donor"],
                "recipients": ["town"],
                "pillars": list(pillars),
                "budget": float(budget),
                "start": "2000-01",
                "end": month_label(months),
                "horizon": "design",
                "assumption": "credibility",
            }
        )
    meta = {
        "name": "town",
        "title": "A town across a divide (experiments/credibility.py)",
        "assumption": "credibility",
        "start": "2000-01",
        "horizon": horizon,
        "communities": ["t", "n"],
        "divides": [{"a": "t", "b": "n", "assumption": "credibility"}],
        "countries": [{"id": c, "assumption": "credibility"} for c in ("TA", "NB", "DN")],
        "hostility": [{"a": "TA", "b": "NB", "value": hostility, "assumption": "credibility"}],
        "watch": ["town", "neighbour"],
    }
    files = {
        "scenario.yaml": meta,
        "actors.yaml": actors,
        "ties.yaml": all_ties,
        "programmes.yaml": programmes,
        "events.yaml": events or [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "town"
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return load_scenario(folder)
