"""The Mesa face (issue 17): batch_run sees every series, agents step when extended, and
removing an agent is refused with a clear error."""

from __future__ import annotations

import mesa
import pandas as pd
import pytest

from sim import PeaceModel
from sim.engine.agents import Municipality


def test_batch_run_sees_every_model_level_series() -> None:
    rows = mesa.batch_run(
        PeaceModel,
        parameters={"scenario": "tuzla", "horizon": 6},
        rng=[1],
        max_steps=6,
        number_processes=1,
        display_progress=False,
    )
    frame = pd.DataFrame(rows)
    single = PeaceModel("tuzla", seed=1, horizon=6).run().timeseries()
    assert set(single.columns) <= set(frame.columns)
    assert len(single.columns) > 100
    assert frame["peace@tuzla"].iloc[-1] == single["peace@tuzla"].iloc[-1]
    collected = PeaceModel("tuzla", seed=1, horizon=6).run().datacollector
    pd.testing.assert_frame_equal(collected.get_model_vars_dataframe(), single)


def test_remove_is_refused_clearly() -> None:
    model = PeaceModel("two_cities", horizon=2)
    city = next(iter(model.agents_by_type[Municipality]))
    with pytest.raises(NotImplementedError, match="drop_actors"):
        city.remove()
    assert city in model.agents


class Mourning(Municipality):
    def step(self) -> None:
        self.cohesion = max(0.0, self.cohesion - 0.05)


class MourningModel(PeaceModel):
    agent_classes = {**PeaceModel.agent_classes, "municipality": Mourning}


def test_an_extended_agent_steps_and_changes_the_run() -> None:
    plain = PeaceModel("two_cities", seed=2, horizon=12).run().timeseries()
    extended = MourningModel("two_cities", seed=2, horizon=12).run().timeseries()
    assert extended["cohesion"].iloc[-1] < plain["cohesion"].iloc[-1] - 0.1
    # The default agents do nothing in step(): the plain model is the engine's own run.
    batch = PeaceModel("two_cities", seed=2, horizon=12)
    assert batch._stepping == []
