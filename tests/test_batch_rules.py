"""The rules over a replicate axis: every row is computed as if it were alone.

The batched engine relies on three things tested here: group sums and totals of one replicate
do not depend on the other rows; per-replicate coefficients (an (R, 1) column) give each row
what a scalar would; and the compiled world matches the formulas it replaced.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from sim import PeaceModel
from sim.engine.world import MEDIATION, World
from sim.rules import average, fused, gates, group_sum, proposals, total


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20240606)


def same(a: np.ndarray, b: np.ndarray) -> bool:
    return np.array_equal(np.asarray(a), np.asarray(b))


def test_group_sum_is_one_bincount_per_row(rng: np.random.Generator) -> None:
    values = rng.random((3, 5, 400)) * rng.choice([1e-6, 1.0, 1e6], size=(3, 5, 1))
    groups = rng.integers(0, 17, 400)
    got = group_sum(values, groups, 17)
    assert got.shape == (3, 5, 17)
    for i in range(3):
        for j in range(5):
            assert same(got[i, j], np.bincount(groups, weights=values[i, j], minlength=17))
    # Along another axis, and for nothing at all (still floats).
    assert same(group_sum(values.swapaxes(1, 2), groups, 17, axis=1), got.swapaxes(1, 2))
    empty = group_sum(np.zeros((2, 0)), np.zeros(0, dtype=np.int64), 4)
    assert empty.dtype == np.float64 and same(empty, np.zeros((2, 4)))


def test_totals_of_gathered_rows_equal_each_row_alone(rng: np.random.Generator) -> None:
    # A gather x[:, ties] is column-major: numpy's own sum of it adds in another order than the
    # row alone would. total and average must not.
    x = rng.random((50, 300)) * rng.choice([1e-3, 1.0, 1e6], size=(50, 1))
    ties = rng.integers(0, 300, 97)
    gathered = x[:, ties]
    assert gathered.flags.f_contiguous and not gathered.flags.c_contiguous
    for r in (0, 17, 49):
        alone = x[r : r + 1][:, ties]  # the same replicate in a batch of one
        assert total(gathered)[r] == total(alone)[0] == x[r, ties].sum()
        assert average(gathered)[r] == average(alone)[0] == x[r, ties].mean()


def test_parts_taken_with_items_per_replicate(rng: np.random.Generator) -> None:
    prob, draw = rng.random((4, 500)), rng.random((4, 500))
    prob[:, :20] = rng.choice([0.0, 1.0, 1e-12, 1.0 - 1e-12], size=(4, 20))
    items = np.array([[1], [5], [20], [60]])
    got = proposals.parts_taken(prob, draw, items)
    for r in range(4):
        assert same(got[r], proposals.parts_taken(prob[r], draw[r], int(items[r, 0])))
        assert got[r].max() <= items[r, 0]
        assert (got[r, prob[r] == 1.0] == items[r]).all()  # certain acceptance takes every part
        assert (got[r, prob[r] == 0.0] == 0).all()


def test_gate_rule_with_replicate_levers_equals_each_replicate_alone(
    rng: np.random.Generator,
) -> None:
    k, e = 5, 300
    src, dst = rng.integers(0, k, e), rng.integers(0, k, e)
    permission = rng.integers(0, 3, (3, k, k))
    sanctioned, hostility = rng.random((3, k)) < 0.3, rng.random((3, k, k))
    third, is_io, hs = rng.random((3, e)) < 0.3, rng.random(e) < 0.3, rng.random(e) < 0.5
    close = np.array([[0.5], [0.9], [0.95]])
    io_channel, direct = np.array([[True], [False], [True]]), np.array([[True], [True], [False]])
    batch = gates.open_channels(
        src, dst, permission, sanctioned, hostility, third, is_io, hs,
        hostility_close=close, io_channel=io_channel, direct_channel=direct,
    )  # fmt: skip
    assert batch.shape == (3, 3, e)
    for r in range(3):
        alone = gates.open_channels(
            src, dst, permission[r], sanctioned[r], hostility[r], third[r], is_io, hs,
            hostility_close=float(close[r, 0]), io_channel=bool(io_channel[r, 0]),
            direct_channel=bool(direct[r, 0]),
        )  # fmt: skip
        assert same(batch[:, r], alone)


def test_mediation_triples_equal_the_pandas_merges(rng: np.random.Generator) -> None:
    # The world's numpy joins against the two pandas merges they replaced, row for row and in
    # the same order, on a dense random network with repeated ties and many mediators.
    n_actors, e = 40, 3000
    src, dst = rng.integers(0, n_actors, e), rng.integers(0, n_actors, e)
    ttype = np.where(rng.random(e) < 0.3, MEDIATION, 0)
    is_med = ttype == MEDIATION
    med = pd.DataFrame({"m": src[is_med], "party": dst[is_med], "tie": np.flatnonzero(is_med)})
    pairs = med.merge(med, on="m")
    pairs = pairs[pairs["party_x"] != pairs["party_y"]]
    party = pd.DataFrame({"u": src[~is_med], "v": dst[~is_med], "uv": np.flatnonzero(~is_med)})
    want = pairs.merge(party, left_on=["party_x", "party_y"], right_on=["u", "v"])
    ties = SimpleNamespace(src=src, dst=dst, type=ttype, mediated=np.zeros(e, dtype=bool))
    got = SimpleNamespace(n_actors=n_actors, ties=ties)
    World._compile_mediation(got)
    assert want.shape[0] > 1000
    assert same(got.med_party, want["uv"]) and same(got.med_mediator, want["m"])
    assert same(got.med_mu, want["tie_x"]) and same(got.med_mv, want["tie_y"])
    assert same(np.flatnonzero(ties.mediated), np.unique(want["uv"]))


def test_context_equals_the_plain_formula() -> None:
    for scenario in ("two_cities", "tuzla", "map", "seoul_pyongyang"):
        m = PeaceModel(scenario, seed=3).run(months=5)
        n, k = m.n_cities, m.n_communities
        for values, default in ((m.cities.needs, 0.5), (m.cities.D, 0.0)):
            out = np.empty(m.n_actors)
            out[:n], out[n:] = values, default
            others = m.actors.community[n:]
            if (others >= 0).any():
                members = np.flatnonzero(m.city_community >= 0)
                groups = m.city_community[members]
                total_ = np.bincount(groups, weights=values[members], minlength=k)
                count = np.bincount(groups, minlength=k)
                mean = np.divide(total_, count, out=np.full(k, float(default)), where=count > 0)
                out[n:] = np.where(others >= 0, mean[np.maximum(others, 0)], default)
            assert same(m.world.context(values[None], default)[0], out)


def test_compiled_parts_equal_the_numpy_loop(
    rng: np.random.Generator, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("numba")
    n = 20_000
    prob, draw = rng.random(n), rng.random(n)
    prob[:2000] = rng.choice([0.0, 1.0, 1e-12, 1.0 - 1e-12, np.nan], size=2000)
    # Runs of 7 offers with one number of parts: the four-lane count and the one-lane count
    # meet at every run's edges (sim.rules.fused).
    runs = np.repeat(rng.integers(0, 60, n // 7 + 1), 7)[:n]
    for items in (1, 20, rng.integers(1, 60, n), runs):
        monkeypatch.setenv("CITYPEACE_NUMBA", "0")
        plain = proposals.parts_taken(prob, draw, items)
        monkeypatch.setenv("CITYPEACE_NUMBA", "1")
        assert fused.wanted(n)
        assert same(proposals.parts_taken(prob, draw, items), plain)
    # Below the size where the compiled loop pays, and when switched off: the numpy loop.
    monkeypatch.delenv("CITYPEACE_NUMBA")
    assert not fused.wanted(fused.MIN_SIZE - 1) and fused.wanted(fused.MIN_SIZE)
    monkeypatch.setenv("CITYPEACE_NUMBA", "0")
    assert not fused.wanted(10 * fused.MIN_SIZE)


def test_rules_over_blocks_of_ties_give_the_same_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Large worlds run the elementwise rules a cache-sized block of ties at a time
    (sim.engine.chunks); with tiny blocks a run is the same, bit for bit."""
    from sim import Ensemble
    from sim.engine import chunks

    def run() -> Ensemble:
        kw = dict(horizon=12, synthetic={"n_cities": 600}, cities_every=0)
        return Ensemble("synthetic", seeds=[2], levers=[{}, {"coordination": 1.0}], **kw)

    whole = run().run()
    monkeypatch.setattr(chunks, "BLOCK", 250)  # 125 ties per block for two replicates
    blocks = run().run()
    assert (
        PeaceModel("synthetic", seed=2, horizon=12, synthetic={"n_cities": 600}).world.n_ties > 1000
    )
    pd.testing.assert_frame_equal(whole.timeseries(), blocks.timeseries(), check_exact=True)
    pd.testing.assert_frame_equal(whole.activities(), blocks.activities(), check_exact=True)


def test_parts_of_offers_equal_the_rule_over_every_tie(rng: np.random.Generator) -> None:
    """The proposals stage counts parts on the offered ties only; each count depends on its
    own tie alone, so the counts equal the rule over every tie where there is an offer."""
    from sim.engine.stages.proposals import _parts_of_offers

    prob, draw = rng.random((3, 800)), rng.random((3, 800))
    prob[:, :30] = rng.choice([0.0, 1.0, 1e-12, 1.0 - 1e-12], size=(3, 30))
    has_offer = rng.random((3, 800)) < 0.7
    for items in (np.full((3, 1), 20), np.array([[1], [20], [7]]), np.full((3, 1), 1)):
        got = _parts_of_offers(prob, draw, has_offer, items)
        want = np.where(has_offer, proposals.parts_taken(prob, draw, items), 0)
        assert got.dtype == np.int64 and same(got, want)
    none = _parts_of_offers(prob, draw, np.zeros((3, 800), dtype=bool), np.full((3, 1), 20))
    assert same(none, np.zeros((3, 800), dtype=np.int64))


def test_context_without_the_identity_gather_is_the_same() -> None:
    """Where every city is in a community, context reads the cities as they are instead of
    gathering all of them; both give the same values, bit for bit."""
    world = PeaceModel("synthetic", seed=4, horizon=3, synthetic={"n_cities": 300}).world
    g = world.context_groups
    assert g.every_city and g.cities.size == world.n_cities
    values = np.random.default_rng(4).random((2, world.n_cities))
    direct = world.context(values, 0.5)
    g.every_city = False
    try:
        assert same(world.context(values, 0.5), direct)
    finally:
        g.every_city = True
