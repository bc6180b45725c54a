"""The tests' pair of cities across a divide: ``sim.scenario.worlds.pair_world`` with its
sides named ``east`` and ``west`` (the same builder serves experiments/credibility_worlds.py).

Used by the plausibility bounds (docs/parameters.md) and the siege property: ``east`` is a
war-damaged city of 100,000 people (its steady capacity, its pre-war level, above its
start), ``west`` its neighbour across the divide; a donor's
programme pays ``budget`` units a month to ``east`` on the given pillars for ``months``
months, under a Lederach horizon tag. Optional violence events put pressure on ``east``.
"""

from __future__ import annotations

from typing import Any

from sim.scenario import worlds
from sim.scenario.loader import Scenario
from sim.scenario.worlds import PEOPLE  # east's residents

NAMES = worlds.PairNames(
    aided="east",
    other="west",
    aided_country="EA",
    other_country="WE",
    aided_community="e",
    other_community="w",
    name="pair",
    title="A synthetic pair across a divide",
    assumption="test",
)
# east's steady capacity (ODD 7.6): its pre-war level, a Bosnia-scale war's fall in income per
# head (four fifths) above its start, 0.3 + ln 5 / 6.62; west's is its start.
EAST_STEADY_CAPACITY = 0.54


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
    return worlds.pair_world(
        NAMES,
        aided={"steady_capacity": EAST_STEADY_CAPACITY, **(east or {})},
        budget=budget,
        pillars=pillars,
        months=months,
        horizon_tag=horizon_tag,
        horizon=horizon,
        events=violence,
        ties=ties,
        donor=donor,
        extra_actors=extra_actors,
    )


def donor_across_the_divide(start_trust: float, months: int = 120) -> Scenario:
    """The pair world with its donor on west's side of the divide (community ``w``): its
    partnership with east, encoded at ``start_trust``, is a cross-divide tie, and the donor's
    humanitarian aid and peace work on it are offered every month for ``months``."""
    scenario = pair_world(
        budget=per_capita_budget(20.0),
        pillars=("humanitarian", "peace"),
        months=months,
        donor={"community": "w"},
    )
    ties = scenario.ties.copy()
    ties.loc[(ties["src"] == "donor") & (ties["dst"] == "east"), "trust"] = start_trust
    scenario.ties = ties
    return scenario


def siege(start: str, end: str, pressure: float) -> list[dict[str, Any]]:
    """A violence event on ``east`` from ``start`` to ``end`` (YYYY-MM)."""
    return worlds.violence_event("east", start, end, pressure, NAMES.assumption)


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
    months (:func:`sim.scenario.worlds.mediation_ties`)."""
    return worlds.mediation_ties(mediator, ("east", "west"), trust, months, NAMES.assumption)
