"""The ensemble engine: replicates in batches, each exactly its own single run.

A replicate's outputs must be bit-identical whether it runs alone (``PeaceModel``) or inside a
batch with other seeds, parameters, levers, switches and policies; a replicate that raises or
goes non-finite fails alone; bad input fails before anything runs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sim.engine.stages.violence as violence_stage
from helpers import assert_same_run
from sim import Ensemble, PeaceModel, Replicate
from sim.errors import CitypeaceError, ConfigError

MIXED = [
    Replicate(seed=3),
    Replicate(seed=11, params={"trust": {"decay": 0.04}, "proposals": {"items": 7}}),
    Replicate(seed=5, params={"switches": {"gates": False}, "galtung": {"noise": 0.0}}),
    Replicate(
        seed=7, levers={"mediation": False, "funding_scale": 2.0, "participation_scale": 0.5}
    ),
    Replicate(
        seed=8,
        params={"funding": {"risk_window": 9}, "delivery": {"duration_max": 30, "nexus_window": 3}},
        levers={"coordination": 0.9, "io_channel": False},
    ),
    Replicate(seed=3, params={"proposals": {"beta_intensity": 1.5, "items": 1}}),
]


def _alone(scenario: str, rep: Replicate, **kw: object) -> PeaceModel:
    return PeaceModel(
        scenario, seed=rep.seed, policy=rep.policy, params=rep.params, levers=rep.levers, **kw
    ).run()


def _assert_same_run(ens: Ensemble, i: int, alone: PeaceModel) -> None:
    assert_same_run(*ens.outputs(i), alone)


@pytest.mark.parametrize(
    ("scenario", "policies"),
    [
        ("tuzla", ["baseline", "no_abc", "low_participation", "no_field_visits"]),
        ("map", ["baseline", "no_mediator"]),
        ("seoul_pyongyang", ["baseline", "io_channel"]),
    ],
)
def test_a_replicate_in_a_mixed_batch_equals_its_run_alone(
    scenario: str, policies: list[str]
) -> None:
    reps = [
        Replicate(r.seed, policies[i % len(policies)], r.params, r.levers)
        for i, r in enumerate(MIXED)
    ]
    kw = dict(horizon=150, cities_every=12, cities_max=40)
    ens = Ensemble(scenario, reps, **kw).run()
    assert not ens.failures
    for i, rep in enumerate(reps):
        _assert_same_run(ens, i, _alone(scenario, rep, **kw))


def test_batch_sizes_and_workers_give_identical_outputs() -> None:
    reps = [Replicate(seed=s, levers={"coordination": s / 10}) for s in range(6)]
    one = Ensemble("two_cities", reps, horizon=36).run().timeseries()
    for kw in ({"batch_size": 1}, {"batch_size": 4}, {"workers": 2}):
        other = Ensemble("two_cities", reps, horizon=36, **kw).run().timeseries()
        pd.testing.assert_frame_equal(one, other, check_exact=True)


def test_synthetic_replicates_are_grouped_by_their_generated_world() -> None:
    kw = dict(horizon=12, synthetic={"n_cities": 150})
    reps = [Replicate(seed=1), Replicate(seed=2), Replicate(seed=1, levers={"coordination": 1.0})]
    ens = Ensemble("synthetic", reps, **kw).run()
    for i, rep in enumerate(reps):
        alone = PeaceModel("synthetic", seed=rep.seed, levers=rep.levers, cities_every=0, **kw)
        pd.testing.assert_frame_equal(ens.runs()[i], alone.run().timeseries(), check_exact=True)


def test_replicate_equals_its_single_run() -> None:
    ens = Ensemble("two_cities", seeds=[3, 4], horizon=24, levers=[{}, {"coordination": 1.0}])
    ens.run()
    assert len(ens) == 4
    frame = ens.timeseries()
    assert list(frame.columns[:2]) == ["replicate", "step"]
    for i, rep in enumerate(ens.replicates):
        alone = PeaceModel("two_cities", seed=rep.seed, horizon=24, levers=rep.levers).run()
        mine = frame[frame["replicate"] == i].drop(columns="replicate").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone.timeseries())


def _poison(monkeypatch: pytest.MonkeyPatch, rate: float, action: str) -> None:
    """From month 5, the replicate whose ``galtung.rate_D`` is ``rate`` raises or goes NaN."""
    original = violence_stage.update_cities

    def update_cities(world, state, co, month, rngs):  # noqa: ANN001, ANN202 - a spy
        original(world, state, co, month, rngs)
        hit = co.galtung.rate_D[:, 0] == rate
        if month.step >= 5 and hit.any():
            if action == "raise":
                raise RuntimeError("injected failure")
            state.cities.D[hit] = np.nan

    monkeypatch.setattr(violence_stage, "update_cities", update_cities)


@pytest.mark.parametrize("action", ["raise", "nan"])
def test_a_failing_replicate_fails_alone(monkeypatch: pytest.MonkeyPatch, action: str) -> None:
    reps = [Replicate(seed=s, params={"galtung": {"rate_D": 0.3}}) for s in range(7)]
    reps[4] = Replicate(seed=4, params={"galtung": {"rate_D": 0.2999}}, label="poisoned")
    _poison(monkeypatch, 0.2999, action)
    ens = Ensemble("two_cities", reps, horizon=24).run()
    assert list(ens.failures) == [4]
    why = ens.failures[4]
    assert ("RuntimeError: injected failure" in why) if action == "raise" else ("finite" in why)
    table = ens.replicates_frame()
    assert table["status"].tolist() == ["ok"] * 4 + ["failed"] + ["ok"] * 2
    assert sorted(ens.runs()) == [0, 1, 2, 3, 5, 6]
    monkeypatch.undo()
    for i in (0, 3, 5, 6):
        alone = _alone("two_cities", reps[i], horizon=24)
        pd.testing.assert_frame_equal(ens.runs()[i], alone.timeseries(), check_exact=True)


def test_bad_input_fails_before_anything_runs() -> None:
    with pytest.raises(ConfigError, match="at least one replicate"):
        Ensemble("two_cities", [])
    with pytest.raises(ConfigError, match=r"model\.trust\.decay"):
        Ensemble("two_cities", [Replicate(1), Replicate(2, params={"trust": {"decay": 7.0}})])
    with pytest.raises(ConfigError, match="levers.coordination|coordination"):
        Ensemble("two_cities", seeds=[1], levers=[{"coordination": -1.0}])
    with pytest.raises(CitypeaceError, match="no_such_policy"):
        Ensemble("two_cities", [Replicate(1, policy="no_such_policy")])
    with pytest.raises(ConfigError, match=r"params\.trust\.decay.*one per seed"):
        Ensemble.zipped("two_cities", [1, 2, 3], params={"trust.decay": [0.01, 0.02]})
    with pytest.raises(ConfigError, match="workers"):
        Ensemble("two_cities", seeds=[1], workers=0)


def test_zipped_rows_are_replicates() -> None:
    ens = Ensemble.zipped(
        "two_cities",
        [5, 6],
        params={"trust.decay": np.array([0.01, 0.03])},
        levers={"coordination": [0.2, 0.8]},
        horizon=12,
    ).run()
    assert ens.replicates[1] == Replicate(
        6, "baseline", {"trust": {"decay": 0.03}}, {"coordination": 0.8}
    )
    alone = _alone("two_cities", ens.replicates[1], horizon=12)
    pd.testing.assert_frame_equal(ens.runs()[1], alone.timeseries(), check_exact=True)


def test_balanced_parts_even_out_the_workers() -> None:
    """Five groups of 30 on two workers: one group in halves (six chunks, 3 + 3), which
    shortens the busier worker's load; a lone group in two; groups that cannot be cut stay."""
    from sim.engine.replicates import _longest_load, balanced_parts, chunk_sizes

    overhead = [26.0] * 5
    parts = balanced_parts([30] * 5, 2, overhead)
    assert sorted(parts) == [1, 1, 1, 1, 2]
    whole = _longest_load(chunk_sizes([30] * 5, [1] * 5), 2, overhead)
    assert _longest_load(chunk_sizes([30] * 5, parts), 2, overhead) < whole
    assert balanced_parts([1000], 2, [26.0]) == [2]
    assert balanced_parts([30] * 5, 1, overhead) == [1] * 5
    assert balanced_parts([1, 1, 1], 2, [0.1] * 3) == [1, 1, 1]
    assert chunk_sizes([30, 7], [2, 3]) == [[15, 15], [3, 3, 1]]


def test_uneven_groups_on_two_workers_give_identical_outputs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Three policies' groups on two workers, cut into chunks (a batch's fixed cost made
    small, so that cutting pays) and run largest first: the same series as one worker. (These
    policies would run as one union batch, tests/test_union.py; the union is turned off here
    to test the batches per structure that an ensemble falls back on.)"""
    import sim.engine.ensemble as ensemble

    monkeypatch.setattr(ensemble, "BATCH_ELEMENTS", 1)
    monkeypatch.setattr(ensemble.Ensemble, "_union_rows", lambda self: None)
    kw = {"seeds": range(5), "policies": ["baseline", "no_mediator", "no_programme"]}
    one = Ensemble("two_cities", horizon=24, **kw).run().timeseries()
    calls = []
    real = ensemble.in_processes
    monkeypatch.setattr(
        ensemble, "in_processes", lambda f, args, w: calls.append(len(args)) or real(f, args, w)
    )
    two = Ensemble("two_cities", horizon=24, workers=2, **kw).run().timeseries()
    assert calls and calls[0] > 3  # some group was cut
    pd.testing.assert_frame_equal(one, two, check_exact=True)
