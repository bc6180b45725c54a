"""Disjoint unions of worlds (``sim.engine.union``): block k of a union batch is block k's world
run alone, bit for bit, in every state array, for every policy of the shipped scenarios whose
levers a union can hold (the others must be refused, not run wrong)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from helpers import assert_same_run
from sim.engine.batch import Batch
from sim.engine.inputs import load_case, model_params, resolve_levers
from sim.engine.random_streams import RandomStreams
from sim.engine.union import PER_CITY_LEVERS, BlockNoise, union_batch
from sim.engine.union_views import block_outputs
from sim.errors import ConfigError
from sim.scenario.loader import load_scenario

SEEDS = [3, 17]


def _mergeable(scenario: str) -> tuple[list, list]:
    """The scenario's policies (baseline first) whose levers differ from the baseline's only
    in per-city levers, their cases and levers."""
    cases, levers = [], []
    for policy in ["baseline", *load_scenario(scenario).policies]:
        case = load_case(scenario, 0, None, policy, None)
        lever = resolve_levers(case, {})
        if levers:
            differ = {f.name for f in dataclasses.fields(lever)
                      if getattr(lever, f.name) != getattr(levers[0], f.name)}  # fmt: skip
            if differ - set(PER_CITY_LEVERS):
                continue
        cases.append(case)
        levers.append(lever)
    return cases, levers


def _state_arrays(state: object) -> dict[str, tuple[np.ndarray, str]]:
    """Every state array with the element axis it runs along."""
    c, t, p = state.cities, state.ties, state.projects
    out = {f"cities.{f.name}": (getattr(c, f.name), "cities") for f in dataclasses.fields(c)}
    out |= {f"actors.{f.name}": (getattr(state.actors, f.name), "actors")
            for f in dataclasses.fields(state.actors)}  # fmt: skip
    out |= {f"ties.{f.name}": (getattr(t, f.name), "ties") for f in dataclasses.fields(t)}
    out |= {f"projects.{f.name}": (getattr(p, f.name), "ties")
            for f in dataclasses.fields(p) if f.name not in ("row", "programme")}  # fmt: skip
    out["programmes.funded"] = (state.programmes.funded, "programmes")
    out["programmes.status"] = (state.programmes.status, "programmes")
    out["programmes.row_active"] = (state.programmes.row_active, "rows")
    out["countries.hostility"] = (state.countries.hostility, "countries")
    out["countries.permission"] = (state.countries.permission, "countries")
    return out


def _block(values: np.ndarray, where: np.ndarray, axis_kind: str) -> np.ndarray:
    if axis_kind == "countries":  # (R, K, K)
        return values[:, where][:, :, where]
    return np.take(values, where, axis=-1)


@pytest.mark.parametrize(
    "scenario", ["tuzla", "map", "seoul_pyongyang", "croatia_twinnings", "two_cities"]
)
def test_union_block_is_its_world_alone(scenario: str) -> None:
    cases, levers = _mergeable(scenario)
    assert len(cases) >= 2, "a union of one world tests nothing"
    params = [model_params({})] * len(SEEDS)
    batch, alone, index = union_batch(cases, params, [levers] * len(SEEDS), SEEDS)
    batch.run()
    assert not batch.failed
    for k, (world, where) in enumerate(zip(alone, index, strict=True)):
        solo = Batch(world, params, [levers[k]] * len(SEEDS),
                     [np.random.default_rng(s) for s in SEEDS]).run()  # fmt: skip
        ours, theirs = _state_arrays(batch.state), _state_arrays(solo.state)
        for name, (values, kind) in ours.items():
            got = _block(values, getattr(where, kind), kind)
            assert np.array_equal(got, theirs[name][0]), (cases[k].policy, name)
        recorded = batch.recorder.recorders[k]
        assert recorded.names == solo.recorder.names, cases[k].policy
        for key, values in solo.recorder.blocks.items():
            same = np.array_equal(recorded.blocks[key], values, equal_nan=True)
            assert same, (cases[k].policy, key)
        mine_out, solo_out = block_outputs(batch, k, world, where, {}), solo.outputs()
        for row in range(len(SEEDS)):
            for frame in ("timeseries", "events_frame", "activities"):
                got, expected = getattr(mine_out, frame)(row), getattr(solo_out, frame)(row)
                pd.testing.assert_frame_equal(got, expected, check_exact=True, obj=frame)
        # projects' programme indices, mapped into the union's numbering
        mine = batch.state.projects.programme[:, where.ties]
        expected = np.append(where.programmes, -1)[solo.state.projects.programme]  # -1: none
        assert np.array_equal(mine, expected), cases[k].policy


def test_union_refuses_a_lever_it_cannot_hold_per_block() -> None:
    cases = [load_case("map", 0, None, p, None) for p in ("baseline", "no_mediator")]
    levers = [resolve_levers(c, {}) for c in cases]
    assert levers[0].mediation != levers[1].mediation
    with pytest.raises(ConfigError, match="mediation"):
        union_batch(cases, [model_params({})], [levers], [0])


def test_union_blocks_differ_where_their_policies_do() -> None:
    """The blocks are not copies of one world: tuzla's no_abc block pays ABC nothing."""
    cases, levers = _mergeable("tuzla")
    policies = [c.policy for c in cases]
    batch, alone, index = union_batch(cases, [model_params({})], [levers], [0])
    batch.run()
    d = {p: batch.state.cities.D[0, index[k].cities] for k, p in enumerate(policies)}
    assert not np.array_equal(d["baseline"], d["no_abc"])
    assert not np.array_equal(d["baseline"], d["low_participation"])


@pytest.mark.parametrize(
    ("scenario", "policies", "workers"),
    [
        ("tuzla", ["baseline", "low_participation", "no_abc", "no_coordination",
                   "no_field_visits"], 1),
        ("map", ["baseline", "eu_takes_the_risk"], 2),
        ("tuzla", ["baseline", "no_abc", "no_coordination"], 2),
    ],
)  # fmt: skip
def test_an_ensemble_of_policies_runs_as_a_union_and_each_run_is_its_run_alone(
    scenario: str, policies: list[str], workers: int
) -> None:
    from sim import Ensemble, PeaceModel

    kw = dict(horizon=120, cities_every=12, cities_max=40)
    ens = Ensemble(scenario, seeds=SEEDS, policies=policies, workers=workers, **kw)
    assert ens._union_rows() is not None  # the union path, not one batch per structure
    ens.run()
    assert not ens.failures
    for i, rep in enumerate(ens.replicates):
        alone = PeaceModel(scenario, seed=rep.seed, policy=rep.policy, **kw).run()
        assert_same_run(*ens.outputs(i), alone)


def test_an_ensemble_that_cannot_be_a_union_keeps_its_batches() -> None:
    from sim import Ensemble

    # no_mediator switches mediation off: not a per-city lever
    assert Ensemble("map", seeds=SEEDS, policies=["baseline", "no_mediator"])._union_rows() is None
    # seeds that differ between policies: no common rows
    from sim import Replicate

    reps = [Replicate(seed=1), Replicate(seed=2, policy="no_abc")]
    assert Ensemble("tuzla", reps)._union_rows() is None


def test_union_keeps_each_blocks_recipient_side() -> None:
    """A block with a focus list (seoul_pyongyang: the North's cities) beside one without
    (tuzla: its programmes' recipient cities): each block's recipient side in the union is the
    one it has alone, in the union world's own groups and in every ``*_recipients`` series."""
    seoul = load_case("seoul_pyongyang", 0, 120, "baseline", None)
    # one calendar for the union: tuzla's months counted from seoul's start (its dates are steps)
    tuzla = dataclasses.replace(load_case("tuzla", 0, 120, "baseline", None), start=seoul.start)
    cases = [seoul, tuzla]
    assert seoul.focus and not tuzla.focus
    levers = [resolve_levers(c, {}) for c in cases]
    params = [model_params({})] * len(SEEDS)
    batch, alone, index = union_batch(cases, params, [levers] * len(SEEDS), SEEDS)
    sides = [{w.actors.ids[i] for i in np.flatnonzero(w.groups.recipient_cities)} for w in alone]
    assert sides[0] == {"pyongyang", "kp_kangwon", "kp_provinces"}  # not Seoul nor Beijing
    assert sides[1] == {p for q in tuzla.programmes for p in q["recipients"]} & set(
        alone[1].actors.ids[: alone[1].n_cities]
    )
    union = batch.world.groups.recipient_cities
    assert union.sum() == sum(len(s) for s in sides)  # nothing outside the blocks' own sides
    for world, where in zip(alone, index, strict=True):
        assert np.array_equal(union[where.cities], world.groups.recipient_cities)
    batch.run()
    assert not batch.failed
    for k, (world, where) in enumerate(zip(alone, index, strict=True)):
        solo = Batch(world, params, [levers[k]] * len(SEEDS),
                     [np.random.default_rng(s) for s in SEEDS]).run()  # fmt: skip
        mine, theirs = block_outputs(batch, k, world, where, {}), solo.outputs()
        for row in range(len(SEEDS)):
            got, expected = mine.timeseries(row), theirs.timeseries(row)
            names = [c for c in expected.columns if str(c).endswith("_recipients")]
            assert len(names) >= 5, names
            pd.testing.assert_frame_equal(got[names], expected[names], check_exact=True)


def test_block_views_take_each_field_when_read_and_as_an_eager_take() -> None:
    """A block's lazy views (``union_views.lazy``) hold nothing until a field is read, and a
    read field is the block's slice of the union's array (programme numbers renumbered)."""
    cases, levers = _mergeable("tuzla")
    batch, _, index = union_batch(cases, [model_params({})] * 2, [levers] * 2, [0, 1])
    batch.run(13)
    k = len(cases) - 1
    view = batch.recorder.views[k]
    state = view.state(batch.state)
    month = view.month(batch.month, state)
    assert "D" not in vars(state.cities) and "flows" not in vars(month)  # nothing taken yet
    b = index[k]
    assert np.array_equal(state.cities.D, batch.state.cities.D[..., b.cities])
    assert np.array_equal(state.cities.stock, batch.state.cities.stock[..., b.cities])
    assert np.array_equal(state.ties.trust, batch.state.ties.trust[..., b.ties])
    assert np.array_equal(month.flows, batch.month.flows[..., b.ties])
    assert np.array_equal(month.prog_active, batch.month.prog_active[..., b.programmes])
    assert np.array_equal(
        state.projects.programme, view.local[batch.state.projects.programme[..., b.ties]]
    )
    assert "D" in vars(state.cities) and "C" not in vars(state.cities)  # only what was read
    assert month.horizontal_by_city is None and month.step == batch.month.step


def test_block_noise_draws_each_blocks_stream_as_alone() -> None:
    """Blocks with as many cities share one copy of the seed's noise stream
    (``union.BlockNoise``): every block's cities still get, month by month, the (3, cities)
    draws of the seed's noise stream alone, whatever the other blocks' sizes."""
    cities = [np.arange(0, 2), np.arange(2, 5), np.arange(5, 7), np.array([9, 7, 8])]
    noise = BlockNoise.of_seed(11, cities)
    assert len(noise.generators) == 2  # one copy per size, not one per block
    alone = [RandomStreams.from_seed(11).noise for _ in cities]
    for _ in range(3):
        out = np.full((3, 10), np.nan)
        noise.standard_normal(out)
        for rows, generator in zip(cities, alone, strict=True):
            assert np.array_equal(out[:, rows], generator.standard_normal((3, rows.size)))


def test_union_parts_share_out_blocks_or_rows() -> None:
    """``ensemble.union_parts``: at least as many blocks as workers, consecutive groups of
    blocks with every row (3 and 2 of five); fewer, chunks of rows with every block."""
    from sim.engine.ensemble import union_parts

    cases = list("abcde")
    rows = [[f"{c}{r}" for c in cases] for r in range(4)]
    parts = union_parts(cases, rows, 2)
    assert [p[0] for p in parts] == [list("abc"), list("de")]
    assert parts[1][1] == [[f"d{r}", f"e{r}"] for r in range(4)]
    parts = union_parts(cases[:2], [row[:2] for row in rows], 3)  # fewer blocks: the rows
    assert [p[0] for p in parts] == [list("ab")] * 2 and [len(p[1]) for p in parts] == [2, 2]
    assert union_parts(cases, rows, 1) == [(cases, rows)]
