"""A synthetic pair of cities across a divide with one programme, built in the test (not shipped).

Used by the plausibility bounds (docs/parameters.md) and the siege property: ``east`` is a
war-damaged city of 100,000 people (its steady capacity, its pre-war level, above its
start), ``west`` its neighbour across the divide; a donor's
programme pays ``budget`` units a month to ``east`` on the given pillars for ``months``
months, under a Lederach horizon tag. Optional violence events put pressure on ``east``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml

from sim.scenario.loader import Scenario, load_scenario

PEOPLE = 100_000  # east's residents


def per_capita_budget(eur_per_inhabitant_year: float, people: float = PEOPLE) -> float:
    """Units a month that make a dose of ``eur_per_inhabitant_year`` for ``people``."""
    return eur_per_inhabitant_year * people / 12_000.0


def pair_world(
    budget: float = 0.0,
    pillars: tuple[str, ...] = ("development",),
    months: int = 60,
    horizon_tag: str = "design",
    horizon: int = 120,
    violence: list[dict[str, Any]] | None = None,
    east: dict[str, Any] | None = None,
    donor: dict[str, Any] | None = None,
    ties: list[dict[str, Any]] | None = None,
    extra_actors: list[dict[str, Any]] | None = None,
) -> Scenario:
    """The pair world (see the module docstring), loaded through the public loader; ``ties``
    adds ties to the two the pair always has (e.g. a mediator's, :func:`mediator_ties`),
    ``extra_actors`` actors to its five (each a dict of actors.yaml keys; a city's missing
    keys are the pair's)."""
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
        "assumption": "test",
    }
    actors = [
        # east's steady capacity (ODD 7.6): its pre-war level, a Bosnia-scale war's fall in
        # income per head (four fifths) above its start, 0.3 + ln 5 / 6.62; west's is its start.
        {
            **city,
            "id": "east",
            "country": "EA",
            "community": "e",
            "steady_capacity": 0.54,
            **(east or {}),
        },  # fmt: skip
        {**city, "id": "west", "country": "WE", "community": "w", "capacity": 0.5},
        {"id": "gov_ea", "type": "national_government", "country": "EA", "assumption": "test"},
        {"id": "gov_we", "type": "national_government", "country": "WE", "assumption": "test"},
        {
            "id": "donor",
            "type": "international_organisation",
            "kind": "donor",
            "country": "DN",
            "neutrality": 0.9,
            "conflict_sensitivity": 1.0,
            "mandate": {"humanitarian": 1.0, "development": 1.0, "peace": 1.0},
            "assumption": "test",
            **(donor or {}),
        },
    ]
    for extra in extra_actors or []:
        is_city = extra.get("type", "municipality") == "municipality"
        actors.append({**city, **extra} if is_city else extra)
    pair_ties = [
        {"src": "east", "dst": "west", "type": "twinning", "trust": 0.3, "bidirectional": True,
         "assumption": "test"},
        {"src": "donor", "dst": "east", "type": "partnership", "trust": 0.6, "assumption": "test"},
    ]  # fmt: skip
    pair_ties += list(ties or [])
    start_year = 2000
    end_month = months % 12 + 1
    end_year = start_year + months // 12
    programmes = []
    if budget > 0:
        programmes.append(
            {
                "id": "aid",
                "funders": ["donor"],
                "providers": ["donor"],
                "recipients": ["east"],
                "pillars": list(pillars),
                "budget": float(budget),
                "start": "2000-01",
                "end": f"{end_year}-{end_month:02d}",
                "horizon": horizon_tag,
                "assumption": "test",
            }
        )
    meta = {
        "name": "pair",
        "title": "A synthetic pair across a divide",
        "assumption": "test",
        "start": "2000-01",
        "horizon": horizon,
        "communities": ["e", "w"],
        "divides": [{"a": "e", "b": "w", "assumption": "test"}],
        "countries": [
            {"id": "EA", "assumption": "test"},
            {"id": "WE", "assumption": "test"},
            {"id": "DN", "assumption": "test"},
        ],
        "hostility": [{"a": "EA", "b": "WE", "value": 0.3, "assumption": "test"}],
        "watch": ["east", "west", *(a["id"] for a in extra_actors or [])],
    }
    files = {
        "scenario.yaml": meta,
        "actors.yaml": actors,
        "ties.yaml": pair_ties,
        "programmes.yaml": programmes,
        "events.yaml": violence or [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pair"
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return load_scenario(folder)


def siege(start: str, end: str, pressure: float) -> list[dict[str, Any]]:
    """A violence event on ``east`` from ``start`` to ``end`` (YYYY-MM)."""
    return [
        {"id": "siege", "date": start, "end": end, "type": "violence", "pressure": pressure,
         "targets": {"actors": ["east"]}, "assumption": "test"},
    ]  # fmt: skip


# The capacity index read as the UNDP's log-income index, as branch steady encodes the cities'
# pre-war levels (docs/validation/issue15.md, 'steady'): (ln y - ln 100) / (ln 75,000 - ln 100).
LOG_SPAN = 6.6201  # ln 750
INCOME_FLOOR = 100.0  # US$ a head a year (PPP) at capacity 0


def income_per_head(capacity: Any) -> Any:
    """US$ a head a year (PPP, taken as EUR) that a capacity index stands for: 100 e^(6.62 K)."""
    import numpy as np

    return INCOME_FLOOR * np.exp(LOG_SPAN * np.asarray(capacity, dtype=float))


def aid_growth_points(
    aided: Any, base: Any, month: int, city: str = "east", people: float = PEOPLE
) -> float:
    """The aid-growth literature's unit: percentage points of growth of income per head a year
    per 1% of GDP in aid.

    ``100 x (ln y_aided - ln y_base)`` at ``month``, divided by the sum over the months up to
    it of the aid received as a share of the aided city's own income (in %) over 12: the extra
    log income aid bought, per percent of GDP held for a year. The literature measures aid as
    a share of the recipient's observed GDP, so the share reads the aided run's income each
    month; its money is what the city received (``received_funds``, 1 unit = EUR 1,000 a
    month), per resident.
    Arndt, Jones and Tarp (2010): an inflow of about 10% of GDP raises growth by about one
    point a year, i.e. 0.1.
    """
    k_aided = aided[f"capacity@{city}"].to_numpy()[:month]
    k_base = base[f"capacity@{city}"].to_numpy()[:month]
    gain = LOG_SPAN * (k_aided[-1] - k_base[-1])  # log points
    eur_a_head_a_year = aided[f"received_funds@{city}"].to_numpy()[:month] * 12_000.0 / people
    share_percent_years = (100.0 * eur_a_head_a_year / income_per_head(k_aided)).sum() / 12.0
    return float(100.0 * gain / share_percent_years)


def mediator_ties(
    mediator: str = "donor", trust: float = 0.5, months: int = 120
) -> list[dict[str, Any]]:
    """``mediator``'s mediation ties to both ``east`` and ``west`` from 2000-01 for ``months``
    months: it brings the two sides together, as Wageningen did for Ernestinovo and Sodolovci
    (scenarios/croatia_twinnings/ties.yaml; trust 0.5 as there)."""
    end = f"{2000 + (months - 1) // 12}-{(months - 1) % 12 + 1:02d}"
    return [
        {"src": mediator, "dst": side, "type": "mediation", "trust": trust, "start": "2000-01",
         "end": end, "assumption": "test"}
        for side in ("east", "west")
    ]  # fmt: skip
