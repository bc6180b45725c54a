"""The synthetic world as numpy columns (the command line's, without pandas) is the world of
the pandas frames: the same tables, and a run from it writes the same files."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from sim.scenario.synthetic import SyntheticSpec, generate, generate_columns

SPECS = [
    SyntheticSpec(n_cities=80, horizon=12),
    SyntheticSpec(n_cities=300, horizon=6, n_networks=0, n_ios=0, hostile_pairs=0),
    SyntheticSpec(n_cities=40, n_countries=1, communities_per_country=1, n_ngos=0, horizon=3),
]


def _text(values: np.ndarray) -> list:
    return [None if v is None or v != v else str(v) for v in values.tolist()]  # NaN: missing


@pytest.mark.parametrize("spec", SPECS)
@pytest.mark.parametrize("seed", [0, 7])
def test_columns_hold_the_frames_values(spec: SyntheticSpec, seed: int) -> None:
    frames, columns = generate(spec, seed), generate_columns(spec, seed)
    assert list(columns.actors) == list(frames.actors.columns)
    for name in frames.actors.columns:
        want, got = frames.actors[name].to_numpy(), columns.actors[name]
        if want.dtype.kind in "bif":
            assert got.dtype == want.dtype, name
            assert np.array_equal(got, want, equal_nan=want.dtype.kind == "f"), name
        else:
            assert got.dtype == object and _text(got) == _text(want), name
    assert list(columns.ties) == list(frames.ties.columns)
    for name in frames.ties.columns:
        want, got = frames.ties[name].to_numpy(), columns.ties[name]
        if want.dtype.kind in "bif":
            assert got.dtype == want.dtype and np.array_equal(got, want), name
        else:
            assert _text(got) == _text(want.astype(object)), name
    for field in dataclasses.fields(frames):
        if field.name not in ("actors", "ties"):
            assert getattr(columns, field.name) == getattr(frames, field.name), field.name


def test_a_run_from_the_columns_writes_what_a_run_from_the_frames_writes(tmp_path: Path) -> None:
    from sim.cli.config import compose, model_kwargs
    from sim.cli.single import synthetic_case
    from sim.experiments.runner import RunRecord, run_into

    cfg = compose(["scenario=synthetic", "scenario.n_cities=120", "horizon=9", "seed=4",
                   "output.dashboard=false"])  # fmt: skip
    kwargs = model_kwargs(cfg)
    case = synthetic_case(kwargs)
    assert isinstance(case.actors, dict) and isinstance(case.ties, dict)
    run_into(RunRecord.of(cfg), kwargs, tmp_path / "frames", False)  # the engine generates
    run_into(RunRecord.of(cfg), kwargs, tmp_path / "columns", False, None, case)
    names = sorted(p.name for p in (tmp_path / "frames").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "columns").iterdir())
    assert "actors.parquet" in names and "cities.parquet" in names
    for name in names:
        a, b = (tmp_path / "frames" / name).read_bytes(), (tmp_path / "columns" / name).read_bytes()
        assert a == b, name


def test_a_large_world_keeps_the_frames(monkeypatch: pytest.MonkeyPatch) -> None:
    """Beyond ``COLUMNS_UP_TO`` cities the frames are made (pandas maps a million text
    endpoints faster than the engine's numpy reader); either way the spec, horizon and seed
    are the ones the engine would use."""
    import pandas as pd

    from sim.cli import single

    base = {"seed": 3, "horizon": 5, "synthetic": SyntheticSpec(n_cities=50, horizon=240)}
    want = generate(SyntheticSpec(n_cities=50, horizon=5), 3)
    small = single.synthetic_case(base)
    assert isinstance(small.actors, dict) and small.horizon == 5
    assert small.hostility == want.hostility and small.events == want.events
    monkeypatch.setattr(single, "COLUMNS_UP_TO", 49)
    large = single.synthetic_case(base)
    assert isinstance(large.actors, pd.DataFrame) and large.actors.equals(want.actors)
