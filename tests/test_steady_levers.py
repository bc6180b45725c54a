"""The recovery gap target K* is solved from the encoded city, not from a lever's
counterfactual (ODD 7.6 and 8, branch abc): a run whose participation is halved from the first
month keeps the baseline's K*, so its faster depreciation (less citizen ownership) lowers its
capacity instead of being balanced away."""

from __future__ import annotations

import numpy as np

from sim import PeaceModel
from sim.rules import recovery

QUIET = {"galtung": {"noise": 0.0}}


def _run(levers: dict | None = None) -> PeaceModel:
    return PeaceModel("two_cities", seed=1, horizon=120, params=QUIET, levers=levers).run()


def test_a_starting_lever_leaves_the_gap_target_as_encoded() -> None:
    base, low = _run(), _run({"participation_scale": 0.5})
    c_base, c_low = base.batch.state.cities, low.batch.state.cities
    assert (c_low.participation < c_base.participation).any()
    np.testing.assert_array_equal(c_low.capacity_target, c_base.capacity_target)


def test_halved_participation_from_the_start_ends_with_less_capacity() -> None:
    base, low = _run(), _run({"participation_scale": 0.5})
    k_base = base.city_frame().groupby("id").capacity.last()
    k_low = low.city_frame().groupby("id").capacity.last()
    # Every city with citizens taking part loses capacity to the faster depreciation
    # (before branch abc the re-solved target balanced it away, and Tuzla ended higher).
    assert (k_low < k_base).all(), (k_base, k_low)


def test_the_gap_target_reads_the_encoded_cohesion() -> None:
    # Croatia's small projects pay from the first month, and delivery (stage 5) moves cohesion
    # before recovery solves its target (stage 7): the target must read the encoded city.
    m = PeaceModel("croatia_twinnings", seed=0, horizon=1).run()
    init = m.world.initial_cities
    expected = recovery.own_steady_state(
        m.world.steady_capacity(init["capacity"][None]),
        init["cohesion"][None],
        init["participation"][None],
        m.params.recovery,
        m.world.city_isolated,
    )
    assert not np.allclose(m.batch.state.cities.cohesion, init["cohesion"][None])
    np.testing.assert_array_equal(m.batch.state.cities.capacity_target, expected)


def test_the_anchors_read_the_encoded_cohesion() -> None:
    # start3's status quo is the encoded start: the small projects' first month of aid
    # (Laslovo's cohesion +0.014 before the anchors were read) must not become part of it.
    def laslovo(policy: str) -> np.ndarray:
        m = PeaceModel("croatia_twinnings", seed=0, horizon=1, policy=policy).run()
        ids = list(m.world.actors.ids[: m.world.n_cities])
        return m.batch.state.cities.anchor[:, 0, ids.index("laslovo")]

    np.testing.assert_array_equal(laslovo("baseline"), laslovo("no_small_projects"))
