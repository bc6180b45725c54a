"""Disaster and population events (issue 15 item 8): what each does to the target cities.

``disaster``: needs += needs_shock (1 - needs), capacity *= 1 - capacity_loss, once.
``displacement``: a share of residents flees (population -> fled); ``return``: a share of those
who fled comes back (fled -> population); ``deaths``: a share of residents dies (population
falls, nobody returns). Other cities are untouched; flight and return conserve people.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import copy_scenario, edit_yaml
from sim.engine.model import PeaceModel
from sim.scenario.loader import load_scenario

EAST = {"community": "east"}


def _with_events(tmp_path: Path, *events: dict, fled: float | None = None) -> PeaceModel:
    folder = copy_scenario("two_cities", tmp_path)
    edit_yaml(folder / "events.yaml", lambda d: d.extend({**e, "assumption": "x"} for e in events))
    if fled is not None:
        edit_yaml(folder / "actors.yaml", lambda d: d[0].update(fled=fled))
    return PeaceModel(load_scenario(folder), seed=3)


def test_disaster_shocks_needs_and_destroys_capacity(tmp_path: Path) -> None:
    event = {"date": "2003-01", "type": "disaster", "targets": EAST}
    model = _with_events(tmp_path, {**event, "needs_shock": 0.5, "capacity_loss": 0.4})
    model.run(36)
    c = model.cities
    needs, capacity = c.needs.copy(), c.capacity.copy()
    model.batch.events.apply(36, model.batch.state, model.batch.co)  # that month's events only
    east, west = model.actor_index["eastville"], model.actor_index["westburg"]
    assert c.needs[east] == pytest.approx(needs[east] + 0.5 * (1 - needs[east]))
    assert c.capacity[east] == pytest.approx(capacity[east] * 0.6)
    assert c.needs[west] == needs[west] and c.capacity[west] == capacity[west]


def test_a_disaster_leaves_the_city_worse_for_a_while(tmp_path: Path) -> None:
    event = {"date": "2003-01", "type": "disaster", "targets": {"actors": ["eastville"]}}
    hit = _with_events(tmp_path / "a", {**event, "needs_shock": 0.6, "capacity_loss": 0.5})
    calm = _with_events(tmp_path / "b")
    hit.run(37)
    calm.run(37)
    east = hit.actor_index["eastville"]
    a, b = hit.timeseries(), calm.timeseries()
    np.testing.assert_array_equal(a["needs"][:36], b["needs"][:36])  # identical before
    assert hit.cities.needs[east] > calm.cities.needs[east]
    assert hit.cities.capacity[east] < calm.cities.capacity[east]


def test_displacement_and_return_move_people(tmp_path: Path) -> None:
    """Each event moves its share at the start of its month (applied here alone, so that no
    rule of the month moves people too)."""
    model = _with_events(
        tmp_path,
        {"date": "2001-01", "type": "displacement", "targets": EAST, "share": 0.3},
        {"date": "2004-01", "type": "return", "targets": EAST, "share": 0.5},
        fled=10_000,
    )
    east, west = model.actor_index["eastville"], model.actor_index["westburg"]
    c, events = model.cities, model.batch.events
    assert c.fled[east] == 10_000
    residents, west0 = c.population[east], c.population[west]
    events.apply(12, model.batch.state, model.batch.co)
    assert c.population[east] == pytest.approx(0.7 * residents)
    assert c.fled[east] == pytest.approx(10_000 + 0.3 * residents)
    events.apply(48, model.batch.state, model.batch.co)
    assert c.fled[east] == pytest.approx(0.5 * (10_000 + 0.3 * residents))
    assert c.population[east] + c.fled[east] == pytest.approx(residents + 10_000)
    assert c.population[west] == west0


def test_people_who_fled_are_recorded_for_watched_cities(tmp_path: Path) -> None:
    """The event's flight shows in the watched city's series from its month on (beside the
    outflow that violence drives every month, the same in a run without the event)."""
    model = _with_events(
        tmp_path / "a", {"date": "2001-01", "type": "displacement", "targets": EAST, "share": 0.3}
    )
    model.run(24)
    calm = _with_events(tmp_path / "b").run(24).timeseries()
    ts, east = model.timeseries(), model.actor_index["eastville"]
    assert ts["fled@eastville"].iloc[11] == calm["fled@eastville"].iloc[11]
    assert ts["fled@eastville"].iloc[12] > calm["fled@eastville"].iloc[12]
    assert ts["fled@eastville"].iloc[-1] == model.cities.fled[east]
    assert ts["population@eastville"].iloc[-1] == model.cities.population[east]


@settings(max_examples=20, deadline=None)
@given(
    share=st.floats(0.0, 0.99),
    back=st.floats(0.0, 1.0),
    fled=st.floats(0.0, 1e6),
)
def test_people_are_conserved_and_never_negative(share: float, back: float, fled: float) -> None:
    """Any displacement and return: residents + fled is unchanged, each stays >= 0, finite."""
    from sim.engine.events import EventLog, EventsEngine

    model = PeaceModel("two_cities", seed=1)
    state, world = model.batch.state, model.world
    state.cities.fled[:] = fled
    engine = EventsEngine(world, EventLog(world))
    total = state.cities.population + state.cities.fled
    for kind, value in (("displacement", share), ("return", back), ("displacement", share)):
        getattr(engine, f"_{kind}")({"targets": EAST, "share": value}, state, model.batch.co)
        c = state.cities
        assert np.all(c.population > 0) and np.all(c.fled >= 0)
        np.testing.assert_allclose(c.population + c.fled, total, rtol=1e-12)


def test_deaths_lower_residents_for_good(tmp_path: Path) -> None:
    """A ``deaths`` event removes its share of the target cities' residents at the start of its
    month; unlike flight, nobody is added to ``fled``, so nobody can return."""
    model = _with_events(
        tmp_path, {"date": "2001-01", "type": "deaths", "targets": EAST, "share": 0.04}, fled=500
    )
    east, west = model.actor_index["eastville"], model.actor_index["westburg"]
    c, events = model.cities, model.batch.events
    residents, west0 = c.population[east], c.population[west]
    events.apply(12, model.batch.state, model.batch.co)
    assert c.population[east] == pytest.approx(0.96 * residents)
    assert c.fled[east] == 500 and c.population[west] == west0


def test_deaths_show_in_a_run_and_only_from_their_month(tmp_path: Path) -> None:
    dead = _with_events(
        tmp_path / "a", {"date": "2001-01", "type": "deaths", "targets": EAST, "share": 0.1}
    ).run(24)
    calm = _with_events(tmp_path / "b").run(24)
    a, b = dead.timeseries(), calm.timeseries()
    assert a["population@eastville"].iloc[11] == b["population@eastville"].iloc[11]
    assert a["population@eastville"].iloc[12] < 0.95 * b["population@eastville"].iloc[12]


@settings(max_examples=20, deadline=None)
@given(share=st.floats(0.0, 0.5))
def test_deaths_keep_residents_positive_and_finite(share: float) -> None:
    from sim.engine.events import EventLog, EventsEngine

    model = PeaceModel("two_cities", seed=1)
    state, world = model.batch.state, model.world
    engine = EventsEngine(world, EventLog(world))
    before = state.cities.population.copy()
    for _ in range(3):
        engine._deaths({"targets": EAST, "share": share}, state, model.batch.co)
    c = state.cities
    assert np.all(np.isfinite(c.population)) and np.all(c.population > 0)
    assert np.all(c.population <= before)
