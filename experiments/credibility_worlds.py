"""Small synthetic worlds for experiments/credibility.py, written in the scenario format.

A ``town`` across a divide from a ``neighbour``, two national governments and one outside
donor (an international organisation): ``sim.scenario.worlds.pair_world``, the builder of
tests/pair_world.py's pair, with its sides named for this experiment and every state the
issue's complaints need open to the caller: the town's size, its war-time state, the
twinning's trust, a mediator's ties and dated violence. Every field not given is a default
of the format (the issue's complaints came from an author who used the defaults; unlike the
tests' pair, the town has no steady capacity of its own), so no coefficient or rule is set
here.
"""

from __future__ import annotations

from typing import Any

from sim.scenario import worlds
from sim.scenario.loader import Scenario
from sim.scenario.worlds import month_label

NAMES = worlds.PairNames(
    aided="town",
    other="neighbour",
    aided_country="TA",
    other_country="NB",
    aided_community="t",
    other_community="n",
    name="town",
    title="A town across a divide (experiments/credibility.py)",
    assumption="credibility",
)


def violence(first: int, last: int, pressure: float, target: str = "town") -> list[dict]:
    """A violence event on ``target`` from month ``first`` to ``last`` (0-based, inclusive)."""
    return worlds.violence_event(
        target, month_label(first), month_label(last), float(pressure), NAMES.assumption
    )


def mediation(months: int, trust: float = 0.5) -> list[dict]:
    """The donor's mediation ties to both sides from 2000-01 for ``months`` months, as
    Wageningen's between Ernestinovo and Sodolovci (scenarios/croatia_twinnings/ties.yaml)."""
    return worlds.mediation_ties("donor", ("town", "neighbour"), trust, months, NAMES.assumption)


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
    return worlds.pair_world(
        NAMES,
        aided=town,
        budget=budget,
        pillars=pillars,
        months=months,
        horizon=horizon,
        twinning_trust=twinning_trust,
        hostility=hostility,
        events=events,
        ties=ties,
    )
