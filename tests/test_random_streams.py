"""Common random numbers (sim.engine.random_streams): a policy leaves the months before it
acts identical to the baseline's, draw for draw, so a paired contrast carries no unshared noise."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.engine.batch import Batch
from sim.engine.inputs import load_case
from sim.engine.params import Levers, ModelParams
from sim.engine.random_streams import (
    RandomStreams,
    keyed_uniforms,
    month_keys,
    tie_keys,
    uniforms_of,
)
from sim.engine.world import World

CITY_STATE = ("D", "S", "C", "needs", "capacity", "cohesion", "population", "fled", "stock")


def _cities(scenario: str, policy: str, seed: int, months: int) -> list[dict[str, np.ndarray]]:
    """Every city's state after each month (a policy's world has other ties, not other cities)."""
    world = World(load_case(scenario, seed, None, policy, None))
    batch = Batch(world, [ModelParams()], [Levers()], [np.random.default_rng(seed)])
    states = []
    for _ in range(months):
        batch.step()
        states.append({k: getattr(batch.state.cities, k).copy() for k in CITY_STATE})
    return states


@pytest.mark.parametrize(
    ("scenario", "policy", "first", "seed"),
    [
        ("tuzla", "no_abc", "1996-01", 0),  # ABC's first month
        ("tuzla", "no_abc", "1996-01", 3),
        ("croatia_twinnings", "no_ikv_programme", "1998-01", 0),  # a later programme
        ("croatia_twinnings", "no_woensdrecht_help", "1997-09", 1),
    ],
)
def test_a_policy_leaves_the_months_before_it_acts_identical(
    scenario: str, policy: str, first: str, seed: int
) -> None:
    """Before the dropped programme's first month every city's state is equal bit for bit (on
    one shared stream it was not: dropping a programme's ties changed every later draw), and
    the policy does change the run afterwards (the comparison is not vacuous)."""
    world = World(load_case(scenario, seed, None, "baseline", None))
    before = next(t for t in range(world.horizon) if str(world.date_of(t)) == first)
    assert before >= 1
    months = before + 24
    base = _cities(scenario, "baseline", seed, months)
    other = _cities(scenario, policy, seed, months)
    for t in range(before):
        for name in CITY_STATE:
            np.testing.assert_array_equal(base[t][name], other[t][name], err_msg=f"{name} {t}")
    assert any(not np.array_equal(base[-1][k], other[-1][k]) for k in CITY_STATE)


def test_streams_are_spawned_from_the_seed_and_independent() -> None:
    a, b = RandomStreams.from_seed(5), RandomStreams.of(np.random.default_rng(5))
    assert a.noise.random() == b.noise.random()
    draws = [s.random() for s in (a.noise, a.offers, a.projects)]
    assert len(set(draws)) == 3
    assert RandomStreams.from_seed(6).noise.random() != RandomStreams.from_seed(5).noise.random()


def test_a_ties_draw_depends_on_the_tie_not_its_position() -> None:
    ties = pd.DataFrame({"src": ["a", "b", "c"], "dst": ["b", "c", "a"], "type": ["x"] * 3})
    keys = tie_keys(ties)
    fewer = tie_keys(ties.iloc[[0, 2]])
    np.testing.assert_array_equal(fewer, keys[[0, 2]])
    both = keyed_uniforms([np.random.default_rng(1)], keys, np.empty((1, 3)))
    some = keyed_uniforms([np.random.default_rng(1)], fewer, np.empty((1, 2)))
    np.testing.assert_array_equal(some, both[:, [0, 2]])
    # a tie's value computed alone (the projects compute only ties with a project) is the same
    month = month_keys([np.random.default_rng(1)])
    np.testing.assert_array_equal(uniforms_of(keys[[2]], month[[0]]), both[0, [2]])
    # identical ties (same ends and type) still get their own keys
    assert len(set(tie_keys(pd.concat([ties, ties])).tolist())) == 6


def test_keyed_uniforms_look_uniform() -> None:
    keys = np.arange(200_000, dtype=np.uint64)  # worst case: unhashed, consecutive keys
    u = keyed_uniforms([np.random.default_rng(0), np.random.default_rng(1)], keys,
                       np.empty((2, keys.size)))  # fmt: skip
    assert ((u >= 0) & (u < 1)).all()
    assert abs(u.mean() - 0.5) < 0.005 and abs(u.var() - 1 / 12) < 0.002
    counts = np.histogram(u[0], bins=20, range=(0, 1))[0]
    assert counts.min() > 0.9 * counts.mean()
    assert abs(np.corrcoef(u[0], u[1])[0, 1]) < 0.01
    assert abs(np.corrcoef(u[0, :-1], u[0, 1:])[0, 1]) < 0.01


@pytest.mark.parametrize("scenario", ["tuzla", "map", "croatia_twinnings"])
def test_a_world_keys_its_ties_as_the_table_does(scenario: str) -> None:
    """The world hashes its actors' ids once and gathers (fast at 250,000 cities); its keys
    are those of ``tie_keys`` on the scenario's tie table, row for row."""
    case = load_case(scenario, 0, None, "baseline", None)
    np.testing.assert_array_equal(World(case).tie_key, tie_keys(case.ties))


def test_the_keyed_uniforms_loop_equals_the_numpy_form() -> None:
    """Large batches draw in a compiled loop (sim.engine.kernels.keys): the same words."""
    pytest.importorskip("numba")
    from sim.engine.kernels import keys as key_loops

    keys = np.random.default_rng(3).integers(0, 2**64, 50_000, dtype=np.uint64, endpoint=False)
    keys[:3] = [0, 1, 2**64 - 1]  # the ends of the word
    month = np.array([0, 7, 2**63 + 5], dtype=np.uint64)
    loop = key_loops.uniforms(keys, month, np.empty((3, keys.size)))
    numpy_form = uniforms_of(keys[None, :], month[:, None])
    assert loop.tobytes() == numpy_form.tobytes()
