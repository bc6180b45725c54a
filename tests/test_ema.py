"""The EMA Workbench adapter on a tiny experiment (two_cities, a short horizon)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("ema_workbench")


def test_model_tiny_experiment_matches_direct_runs() -> None:
    from ema_workbench import SequentialEvaluator, perform_experiments

    from sim.engine.model import PeaceModel
    from sim.experiments.ema import build_model

    model = build_model(
        "two_cities",
        uncertainties={"model.trust.success": [0.01, 0.15], "model.delivery.duration_min": None},
        levers={"levers.coordination": None, "counterfactual": None},
        horizon=12,
        seed=3,
    )
    names = {u.name for u in model.uncertainties}
    assert names == {"trust_success", "delivery_duration_min"}  # readable, no group prefix
    assert {lev.name for lev in model.levers} == {"coordination", "counterfactual"}
    assert set(model.levers["counterfactual"].categories.keys()) >= {"baseline", "no_mediator"}
    with SequentialEvaluator(model) as evaluator:
        experiments, outcomes = perform_experiments(
            model,
            scenarios=3,
            policies=2,
            evaluator=evaluator,
            uncertainty_sampling_kwargs={"rng": 1},
            lever_sampling_kwargs={"rng": 2},
        )
    assert len(experiments) == 6
    assert outcomes["peace"].shape == (6, 12)
    assert outcomes["peace_2y"].shape == (6,) and np.isnan(outcomes["peace_2y"]).all()
    row = experiments.iloc[4]
    direct = PeaceModel(
        scenario="two_cities",
        seed=3,
        horizon=12,
        policy=str(row["counterfactual"]),
        params={
            "trust": {"success": float(row["trust_success"])},
            "delivery": {"duration_min": int(row["delivery_duration_min"])},
        },
        levers={"coordination": float(row["coordination"])},
        cities_every=0,
    ).run()
    assert np.array_equal(outcomes["peace"][4], direct.timeseries()["peace"].to_numpy())


def test_replicator_model_means_over_spawned_seeds() -> None:
    from ema_workbench import SequentialEvaluator, perform_experiments

    from sim.experiments.design import Design, replication_seeds
    from sim.experiments.ema import build_model, run_peace_model

    model = build_model(
        "two_cities",
        uncertainties=["model.trust.decay"],
        horizon=24,
        replications=2,
        root_seed=5,
        scalars=["peace_2y"],
        series=["cross_divide_trust"],
    )
    seeds = replication_seeds(Design(name="r", replications=2, root_seed=5))
    assert [r["seed"] for r in model.replications] == seeds
    with SequentialEvaluator(model) as evaluator:
        experiments, outcomes = perform_experiments(
            model, scenarios=2, evaluator=evaluator, uncertainty_sampling_kwargs={"rng": 3}
        )
    decay = float(experiments.iloc[0]["trust_decay"])
    runs = [
        run_peace_model(case="two_cities", seed=s, horizon=24, **{"model.trust.decay": decay})
        for s in seeds
    ]
    assert outcomes["peace_2y"][0] == pytest.approx(np.mean([r["peace_2y"] for r in runs]))
    assert outcomes["cross_divide_trust"].shape == (2, 24)


def test_alliance_survival_flag_and_names() -> None:
    from sim.experiments.ema import ema_name, run_peace_model

    assert ema_name("peace@tuzla") == "peace_at_tuzla"
    assert ema_name("model.trust.success") == "trust_success"
    assert ema_name("levers.coordination") == "coordination"
    assert ema_name("scenario.n_cities") == "n_cities"
    out = run_peace_model(case="two_cities", seed=1, horizon=12, **{"levers.mediation": False})
    assert out["peace"].shape == (12,)
    with pytest.raises(Exception, match="model"):
        run_peace_model(case="two_cities", horizon=12, bogus=1.0)


def test_alliance_outcomes() -> None:
    import pandas as pd

    from sim.experiments.ema import alliance_outcomes

    states = [0] * 12 + [1] * 12 + [2] * 6 + [3] * 30 + [4] * 6
    ts = pd.DataFrame({"alliance_map": states, "alliance_map_progress": 0.0})
    out = alliance_outcomes(ts)
    assert out == {
        "alliance_map_survives": 1.0,  # suspended, not dissolved
        "alliance_map_founded": 1.0,
        "alliance_map_active_years": 2.5,
    }
    dissolved = alliance_outcomes(pd.DataFrame({"alliance_map": [*states, 5]}))
    assert dissolved["alliance_map_survives"] == 0.0
    never = alliance_outcomes(pd.DataFrame({"alliance_map": [0, 1, 1]}))
    assert never["alliance_map_founded"] == 0.0 and never["alliance_map_survives"] == 0.0


@pytest.mark.parametrize("replications", [None, 3])
def test_batch_evaluator_gives_the_sequential_outcomes(replications: int | None) -> None:
    """Every experiment (and replication) in ensemble batches: the same outcomes, in order."""
    from ema_workbench import SequentialEvaluator, perform_experiments

    from sim.experiments.ema import batch_evaluator, build_model

    model = build_model(
        "two_cities",
        uncertainties={"model.trust.success": [0.01, 0.15]},
        levers={"levers.coordination": None, "counterfactual": None},
        horizon=24,
        replications=replications,
    )
    results = []
    for evaluator in (SequentialEvaluator(model), batch_evaluator(model)):
        with evaluator as e:
            results.append(
                perform_experiments(
                    model,
                    scenarios=3,
                    policies=2,
                    evaluator=e,
                    uncertainty_sampling_kwargs={"rng": 1},
                    lever_sampling_kwargs={"rng": 2},
                )
            )
    (exp_a, out_a), (exp_b, out_b) = results
    assert len(exp_b) == 6 and sorted(out_a) == sorted(out_b)
    for key in out_a:
        assert np.array_equal(out_a[key], out_b[key], equal_nan=True), key
    for column in ("trust_success", "coordination"):
        assert np.array_equal(exp_a[column].to_numpy(), exp_b[column].to_numpy())
    assert (
        exp_a["counterfactual"].astype(str).tolist() == exp_b["counterfactual"].astype(str).tolist()
    )


def test_two_keys_with_one_readable_name_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from sim.errors import ConfigError
    from sim.experiments import ema

    # No two declared keys read alike today; a key that would is refused, not overwritten.
    monkeypatch.setattr(ema, "ema_name", lambda key: "same")
    with pytest.raises(ConfigError, match="model.trust.decay"):
        ema.build_model(
            "two_cities", uncertainties=["model.trust.success", "model.trust.decay"], horizon=12
        )
