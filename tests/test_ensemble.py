"""The ensemble interface: replicates, tidy frames keyed by replicate, failures recorded."""

from __future__ import annotations

import pandas as pd
import pytest

from sim import Ensemble, PeaceModel, Replicate
from sim.errors import ConfigError


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


def test_replicates_frame_and_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    reps = [Replicate(seed=1, label="a"), Replicate(seed=2, label="b")]
    ens = Ensemble("two_cities", reps, horizon=6).run()
    table = ens.replicates_frame()
    assert table["label"].tolist() == ["a", "b"]
    assert (table["status"] == "ok").all()


def test_empty_ensemble_is_bad_input() -> None:
    with pytest.raises(ConfigError):
        Ensemble("two_cities", [])
