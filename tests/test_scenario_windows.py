"""Activity windows (issue 15 item 8): actors and ties with ``start`` and ``end`` dates.

An inactive tie carries nothing, mediates nothing, counts in no mean, and its trust and memory
stand still; an inactive actor's ties are all inactive, so it offers and receives nothing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from helpers import copy_scenario, edit_yaml
from sim.engine.model import PeaceModel
from sim.scenario.loader import TIE_TYPES, load_scenario
from sim.scenario.windows import NO_END


def _two_cities(tmp_path: Path, actors=None, ties=None) -> Path:  # noqa: ANN001
    folder = copy_scenario("two_cities", tmp_path)
    if actors is not None:
        edit_yaml(folder / "actors.yaml", actors)
    if ties is not None:
        edit_yaml(folder / "ties.yaml", ties)
    return folder


def _mediation_from(date: str):  # noqa: ANN202
    def change(ties: list[dict]) -> None:
        for tie in ties:
            if tie["type"] == "mediation":
                tie["start"] = date

    return change


def test_windows_become_steps(tmp_path: Path) -> None:
    folder = _two_cities(
        tmp_path,
        actors=lambda d: d[4].update(start="2001-01", end="2005-06"),
        ties=lambda d: d[0].update(end="2003-12"),
    )
    sc = load_scenario(folder)
    mediator = sc.actors.set_index("id").loc["mediator"]
    assert (mediator["active_from"], mediator["active_to"]) == (12, 65)
    assert sc.actors.set_index("id").loc["eastville", "active_to"] == NO_END
    # A bidirectional tie gives both directions the window.
    twinning = sc.ties[sc.ties["type"] == "twinning"]
    assert twinning["active_to"].tolist() == [47, 47]
    assert twinning["active_from"].tolist() == [0, 0]


def test_a_tie_acts_within_its_actors_windows(tmp_path: Path) -> None:
    """The world intersects a tie's window with both actors' windows."""
    folder = _two_cities(
        tmp_path,
        actors=lambda d: d[4].update(start="2001-01", end="2005-06"),
        ties=lambda d: d[1].update(start="2000-06", end="2008-01"),
    )
    from sim.engine import windows

    world = PeaceModel(load_scenario(folder), seed=1).world
    t = world.ties
    mediator = world.actor_index["mediator"]
    east = world.actor_index["eastville"]
    tie = np.flatnonzero((t.src == mediator) & (t.dst == east))[0]
    assert (world.tie_from[tie], world.tie_to[tie]) == (12, 65)
    assert windows.windowed(world)
    active = [windows.ties_active(world, step)[tie] for step in (11, 12, 65, 66)]
    assert active == [False, True, True, False]
    assert {12, 66} <= windows.changes(world)


def test_without_windows_nothing_changes() -> None:
    """Shipped scenarios without windows run exactly as before: no view, no held trust."""
    m = PeaceModel("two_cities", seed=5)
    assert not m.batch.events.windowed
    m.run(24)
    assert m.batch.events.view is m.world
    assert m.ties.active.all()


def test_before_its_start_a_mediation_tie_does_what_no_mediation_does(tmp_path: Path) -> None:
    """Mediation ties from 2004-01: until then the run equals a run with mediation switched
    off (the same ties, so the same random stream); from then on it differs."""
    windowed = PeaceModel(
        load_scenario(_two_cities(tmp_path, ties=_mediation_from("2004-01"))), seed=11
    )
    off = PeaceModel("two_cities", seed=11, levers={"mediation": False})
    windowed.run(48)
    off.run(48)
    a, b = windowed.timeseries(), off.timeseries()
    for column in ("D", "S", "C", "needs", "cohesion", "cross_divide_trust", "offers_accepted"):
        np.testing.assert_array_equal(a[column].to_numpy(), b[column].to_numpy(), column)
    party = windowed.world.med_party
    np.testing.assert_array_equal(windowed.ties.trust[party], off.ties.trust[party])
    # Before its start the mediation tie itself stood still.
    med = np.flatnonzero(windowed.world.ties.type == TIE_TYPES.index("mediation"))
    np.testing.assert_array_equal(
        windowed.ties.trust[med], windowed.world.initial_ties["trust"][med]
    )
    windowed.run(24)
    off.run(24)
    assert not np.array_equal(windowed.ties.trust[party], off.ties.trust[party])
    assert windowed.ties.trust[party].mean() > off.ties.trust[party].mean()


def test_an_inactive_actor_offers_and_receives_nothing(tmp_path: Path) -> None:
    """The mediator (the programme's provider) ends in 2002-12: from 2003 its ties carry no
    money and stand still; before, the programme pays through it."""
    folder = _two_cities(tmp_path, actors=lambda d: d[4].update(end="2002-12"))
    m = PeaceModel(load_scenario(folder), seed=2)
    world = m.world
    mediator = world.actor_index["mediator"]
    mine = (world.ties.src == mediator) | (world.ties.dst == mediator)
    delivered_before = 0.0
    for _ in range(36):
        m.step()
        delivered_before += m.month.flows[:, 0][:, mine].sum()
    assert delivered_before > 0
    held = m.ties.trust[mine].copy(), m.ties.memory[mine].copy()
    for _ in range(36):
        m.step()
        assert not m.ties.active[mine].any()
        assert m.month.flows[:, 0][:, mine].sum() == 0.0
        assert m.month.offer[:, 0][:, mine].sum() == 0.0
    np.testing.assert_array_equal(m.ties.trust[mine], held[0])
    np.testing.assert_array_equal(m.ties.memory[mine], held[1])
    # The programme pays only through the mediator: its rows' ties are the mediator's.
    assert mine[world.row_tie].all()


def test_an_inactive_cross_divide_tie_counts_in_no_mean(tmp_path: Path) -> None:
    """The twinning (the only cross-divide tie) starts in 2003-01: no cross-divide ties before."""
    folder = _two_cities(tmp_path, ties=lambda d: d[0].update(start="2003-01"))
    m = PeaceModel(load_scenario(folder), seed=4)
    m.run(48)
    ts = m.timeseries()
    before, after = ts[ts["date"] < "2003-01"], ts[ts["date"] >= "2003-01"]
    assert (before["cross_divide_ties"] == 0).all() and (before["cross_divide_trust"] == 0).all()
    assert (after["cross_divide_ties"] == 2).all() and (after["cross_divide_trust"] > 0).all()
    assert (before["horizontal_integration"] == 0).all()


@pytest.mark.parametrize("replicates", [3])
def test_windows_hold_in_a_batch(tmp_path: Path, replicates: int) -> None:
    """Every replicate of a batch sees the same windows, and gives what it gives alone."""
    from sim.engine.batch import Batch
    from sim.engine.params import Levers, ModelParams
    from sim.engine.world import World

    folder = _two_cities(tmp_path, ties=_mediation_from("2003-01"))
    world = World(load_scenario(folder))
    seeds = [7, 8, 9]
    batch = Batch(
        world,
        [ModelParams()] * replicates,
        [Levers()] * replicates,
        [np.random.default_rng(s) for s in seeds],
    ).run()
    for r, seed in enumerate(seeds):
        alone = PeaceModel(load_scenario(folder), seed=seed).run()
        np.testing.assert_array_equal(
            batch.timeseries(r)["cross_divide_trust"].to_numpy(),
            alone.timeseries()["cross_divide_trust"].to_numpy(),
        )
