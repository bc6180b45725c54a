"""A closed economy recovers more slowly by itself (ODD 7.6, rules.recovery.openness; issue 15
items 2-3, branch famine): a synthetic pair of cities, one isolated and one open, from the same
start; the rule alone and inside the model."""

from __future__ import annotations

import copy

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import PeaceModel
from sim.engine.params import RecoveryParams
from sim.rules import recovery
from sim.scenario.loader import load_scenario

PAIR = np.array([True, False])  # isolated, open


def _path(months: int, dev: float = 0.0, **coefficients: float) -> np.ndarray:
    """(months + 1, 2) capacity of the pair from 0.2, in peace, cohesion 0.6, participation
    0.1 (the North's encoded provinces), with a development response ``dev``."""
    p = RecoveryParams(**coefficients)
    k, out = np.array([0.2, 0.2]), [np.array([0.2, 0.2])]
    zero, coh, part = np.zeros(2), np.full(2, 0.6), np.full(2, 0.1)
    for _ in range(months):
        k = recovery.capacity_update(k, zero, coh, np.full(2, dev), part, p, PAIR)
        out.append(k)
    return np.array(out)


def test_isolated_city_recovers_more_slowly_but_recovers_and_never_collapses() -> None:
    path = _path(26 * 12)
    isolated, open_ = path[:, 0], path[:, 1]
    assert np.all((path >= 0.0) & (path <= 1.0)) and not np.isnan(path).any()
    assert isolated[-1] < open_[-1] - 0.1  # slower by a margin, not by rounding
    assert isolated[-1] > 0.2 + 0.05  # it still recovers by itself
    assert np.all(np.diff(isolated) > 0.0)  # in peace it never loses ground
    # Its gain is closer to closed_share of the open gain than to the open gain.
    share = RecoveryParams().closed_share
    gained = (isolated[12] - 0.2) / (open_[12] - 0.2)
    assert abs(gained - share) < abs(gained - 1.0)


def test_aid_speeds_an_isolated_city_as_much_as_an_open_one() -> None:
    """Aid is itself an outside input: its term is the same for both, so the gap aid adds in
    the first month is the same in both cities."""
    first = _path(1, dev=0.5)[1] - _path(1)[1]
    assert first[0] > 0.0
    assert np.isclose(first[0], first[1], rtol=1e-12)


def test_closed_share_one_is_the_open_rule_bit_for_bit() -> None:
    p = RecoveryParams(closed_share=1.0)
    args = (np.zeros(2), np.full(2, 0.6), np.full(2, 0.3), np.full(2, 0.1), p)
    k = np.array([0.2, 0.7])
    assert np.array_equal(
        recovery.capacity_update(k, *args, PAIR), recovery.capacity_update(k, *args)
    )


unit = st.floats(0, 1)


@settings(max_examples=200, deadline=None)
@given(capacity=unit, E=unit, cohesion=unit, dev=unit, participation=unit, share=unit)
def test_isolation_stays_in_the_unit_interval_and_never_helps(
    capacity: float, E: float, cohesion: float, dev: float, participation: float, share: float
) -> None:
    p = RecoveryParams(closed_share=share)
    args = (np.full(2, E), np.full(2, cohesion), np.full(2, dev), np.full(2, participation), p)
    k = recovery.capacity_update(np.full(2, capacity), *args, PAIR)
    assert np.all((k >= 0.0) & (k <= 1.0)) and not np.isnan(k).any()
    assert k[0] <= k[1]


def _two_cities(isolated: list[str]) -> object:
    sc = copy.deepcopy(load_scenario("two_cities"))
    sc.isolated = isolated
    return sc


def test_model_slows_only_the_isolated_countrys_city() -> None:
    """two_cities with Eastland isolated: eastville regains less capacity than in the open run;
    westburg (Westland) moves only through the coupling (aid, violence, hostility), by less than
    a tenth as much; every index stays in [0, 1]."""
    runs = {}
    for name, isolated in (("open", []), ("closed", ["EA"])):
        model = PeaceModel(_two_cities(isolated), seed=0, horizon=120)
        model.run()
        cf = model.city_frame()
        runs[name] = cf.set_index(["step", "id"])["capacity"]
    last = runs["open"].index.get_level_values("step").max()
    east_open, east_closed = runs["open"][(last, "eastville")], runs["closed"][(last, "eastville")]
    assert east_closed < east_open - 0.01
    west = runs["closed"][(last, "westburg")] - runs["open"][(last, "westburg")]
    assert abs(west) < 0.1 * (east_open - east_closed)
    assert runs["closed"].between(0.0, 1.0).all()


def test_seoul_isolates_the_norths_cities_only() -> None:
    model = PeaceModel("seoul_pyongyang", seed=0, horizon=1)
    w = model.batch.world
    ids = [str(i) for i in w.actors.ids[: w.n_cities]]
    closed = {c for c, flag in zip(ids, w.city_isolated, strict=True) if flag}
    assert closed == {"pyongyang", "kp_kangwon", "kp_provinces"}


def test_map_isolates_the_palestinian_towns_only() -> None:
    """Branch mapdyn: the closure regime makes PS a closed economy (scenarios/map); the
    Israeli towns stay open. Every town's K* is solved from its steady capacity (branch
    steady: its encoded start in map), a Palestinian town's at the closed speed, below 0.6."""
    model = PeaceModel("map", seed=0, horizon=2)
    w = model.batch.world
    ids = [str(i) for i in w.actors.ids[: w.n_cities]]
    closed = {c for c, flag in zip(ids, w.city_isolated, strict=True) if flag}
    assert closed == {f"ps_city_0{i}" for i in range(1, 5)}
    model.run()
    target = model.batch.state.cities.capacity_target[0]
    assert np.all(target[w.city_isolated] < 0.6)
    start = model.batch.world.initial_cities
    expected = recovery.own_steady_state(
        start["capacity"], start["cohesion"], start["participation"], RecoveryParams(),
        w.city_isolated,
    )  # fmt: skip
    assert np.allclose(target, expected, rtol=0, atol=1e-12)


# --- Recovery toward an isolated economy's own steady state (branch famine2; ODD 7.6) -------


def _own_path(months: int, start: float, loss: float = 0.0, dev: float = 0.0) -> np.ndarray:
    """(months + 1, 2) capacity of the pair, both encoded at ``start`` (cohesion 0.6,
    participation 0.1), each with its K* from that start, after a one-off ``loss`` (a share
    of capacity) in the first month; in peace, with a development response ``dev``."""
    p = RecoveryParams()
    zero, coh, part = np.zeros(2), np.full(2, 0.6), np.full(2, 0.1)
    k = np.full(2, start)
    target = recovery.own_steady_state(k, coh, part, p, PAIR)
    k = k * (1.0 - loss)
    out = [k]
    for _ in range(months):
        k = recovery.capacity_update(k, zero, coh, np.full(2, dev), part, p, PAIR, target)
        out.append(k)
    return np.array(out)


def test_both_cities_stay_at_their_start_when_it_is_their_steady_state() -> None:
    """Branch steady: an open city whose steady capacity is its start stays there too (before,
    it closed its gap to the frontier and rose by 0.2 in 30 years)."""
    path = _own_path(30 * 12, 0.2)
    assert np.allclose(path, 0.2, atol=1e-12)


def test_an_isolated_city_makes_up_a_loss_only_toward_its_start() -> None:
    """A famine's lost tenth: the isolated city climbs back toward its start, never past it,
    and has made up less than two thirds of the loss in twenty years (the closed speed plus
    depreciation: a half-life of about 15 years at cohesion 0.6); the open city makes it up
    faster, toward the same level and never past it (branch steady)."""
    path = _own_path(20 * 12, 0.2, loss=0.1)
    isolated, open_ = path[:, 0], path[:, 1]
    assert np.all(np.diff(isolated) > 0.0) and np.all(isolated < 0.2)
    assert (isolated[-1] - 0.18) / 0.02 < 2.0 / 3.0
    assert np.all(open_[1:] > isolated[1:]) and np.all(open_ < 0.2)
    assert open_[5 * 12] - 0.18 > 1.5 * (isolated[5 * 12] - 0.18)  # the open speed, 2.5x


def test_aid_speeds_the_return_but_does_not_lift_an_isolated_city_past_its_own_level() -> None:
    helped, unhelped = (
        _own_path(40 * 12, 0.2, 0.1, dev=0.5)[:, 0],
        _own_path(40 * 12, 0.2, 0.1)[:, 0],
    )
    assert np.all(helped[1:] > unhelped[1:])
    target = recovery.own_steady_state(
        np.full(2, 0.2), np.full(2, 0.6), np.full(2, 0.1), RecoveryParams(), PAIR
    )
    assert np.all(helped <= target[0])


def test_no_isolated_city_means_the_open_target_and_the_frontier_rule_without_one() -> None:
    args = (np.full(3, 0.6), np.full(3, 0.1), RecoveryParams())
    open_ = recovery.own_steady_state(np.full(3, 0.3), *args, np.zeros(3, dtype=bool))
    assert np.array_equal(recovery.own_steady_state(np.full(3, 0.3), *args, None), open_)
    k = np.array([0.1, 0.5, 0.9])
    rest = (np.zeros(3), np.full(3, 0.6), np.full(3, 0.2), np.full(3, 0.1), RecoveryParams())
    ones = np.ones(3)
    assert np.array_equal(
        recovery.capacity_update(k, *rest, None, ones), recovery.capacity_update(k, *rest)
    )


@settings(max_examples=200, deadline=None)
@given(capacity=unit, cohesion=unit, participation=unit, share=unit, rate=unit)
def test_own_steady_state_is_finite_and_its_month_in_the_unit_interval(
    capacity: float, cohesion: float, participation: float, share: float, rate: float
) -> None:
    p = RecoveryParams(closed_share=share, rate=rate)
    coh, part = np.full(2, cohesion), np.full(2, participation)
    target = recovery.own_steady_state(np.full(2, capacity), coh, part, p, PAIR)
    assert np.all(target >= capacity) and np.all(np.isfinite(target))  # may exceed 1
    k = recovery.capacity_update(
        np.full(2, capacity), np.zeros(2), coh, np.zeros(2), part, p, PAIR, target
    )
    assert np.all((k >= 0.0) & (k <= 1.0)) and not np.isnan(k).any()
    for i in (0, 1):  # isolated and open alike (branch steady)
        if target[i] < 1.0:  # unclipped: the start does not move
            assert np.isclose(k[i], capacity, atol=1e-12)


def test_seoul_norths_cities_hold_their_start_before_the_famine() -> None:
    """Before any famine event (1990-01..1995-07) the North's capacity stays within 0.02 of its
    encoded start: its own steady state (it rose 0.2 -> 0.26 with the closed-speed brake alone)."""
    model = PeaceModel("seoul_pyongyang", seed=0, horizon=67)
    model.run()
    cf = model.city_frame().set_index(["step", "id"])["capacity"]
    for city, start in (("kp_provinces", 0.2), ("kp_kangwon", 0.25), ("pyongyang", 0.35)):
        path = cf.xs(city, level="id")
        assert (path - start).abs().max() < 0.02, city


def test_closed_share_one_means_the_open_target_too() -> None:
    """The no_isolation null (closed_share 1) makes an isolated city an open one: the same K*
    as the open city's from the same steady capacity (since branch steady the own steady state
    is every city's, so the null removes only the brake)."""
    args = (np.full(2, 0.6), np.full(2, 0.1), RecoveryParams(closed_share=1.0), PAIR)
    target = recovery.own_steady_state(np.full(2, 0.2), *args)
    assert target[0] == target[1] and 0.2 < target[0] < 1.0
