"""cities.parquet written while the run goes on (sim.outputs.city_stream) holds the table the
run writes in one go after its last month."""

from __future__ import annotations

from pathlib import Path

import pytest

KWARGS = {"scenario": "synthetic", "seed": 2, "horizon": 30, "policy": "baseline",
          "params": None, "levers": {}, "cities_every": 1, "cities_max": 5000,
          "synthetic": {"n_cities": 300, "horizon": 30}}  # fmt: skip


def _record(cities: bool = True):  # noqa: ANN202
    from sim.experiments.runner import RunRecord

    return RunRecord(config_text="x: 1\n", provenance={"config_hash": "abc", "seed": 2},
                     policy="baseline", seed=2, cities=cities, activities=True,
                     dashboard=False)  # fmt: skip


@pytest.mark.parametrize("group_rows", [1, 1_000, 2**17])
def test_the_streamed_city_rows_are_the_table_written_at_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, group_rows: int
) -> None:
    import pyarrow.parquet as pq

    from sim.experiments.runner import run_into
    from sim.outputs import city_stream

    whole, streamed = tmp_path / "whole", tmp_path / "streamed"
    whole.mkdir(), streamed.mkdir()
    run_into(_record(), dict(KWARGS), whole, progress=False)  # below STREAM_FROM: at the end
    assert not city_stream.CityStream.wanted(300, 30)
    monkeypatch.setattr(city_stream, "STREAM_FROM", 1)
    monkeypatch.setattr(city_stream, "GROUP_ROWS", group_rows)
    run_into(_record(), dict(KWARGS), streamed, progress=False)
    a, b = pq.read_table(whole / "cities.parquet"), pq.read_table(streamed / "cities.parquet")
    assert a.num_rows == 300 * 31 or a.num_rows == 300 * 30
    assert a.schema.equals(b.schema, check_metadata=True)
    assert a.equals(b)
    groups = pq.ParquetFile(streamed / "cities.parquet").metadata.num_row_groups
    assert groups == -(-a.num_rows // (300 * city_stream.months_per_group(300)))
    for name in ("timeseries", "series", "actors", "events", "activities"):  # NaN equal to NaN
        x, y = pq.read_table(whole / f"{name}.parquet"), pq.read_table(streamed / f"{name}.parquet")
        assert x.schema.equals(y.schema, check_metadata=True) and x.to_pandas().equals(
            y.to_pandas()
        )
    assert not [p for p in streamed.iterdir() if p.name.endswith(".tmp")]


def test_a_failed_run_leaves_no_city_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sim.experiments import runner
    from sim.outputs import city_stream

    monkeypatch.setattr(city_stream, "STREAM_FROM", 1)
    monkeypatch.setattr(city_stream, "GROUP_ROWS", 1_000)
    months = []

    def step_then_fail(self):  # noqa: ANN001, ANN202
        months.append(1)
        if len(months) > 12:
            raise RuntimeError("stopped")
        return real_step(self)

    from sim.engine.batch import Batch

    real_step = Batch.step
    monkeypatch.setattr(Batch, "step", step_then_fail)
    with pytest.raises(RuntimeError, match="stopped"):
        runner.run_into(_record(), dict(KWARGS), tmp_path, progress=False)
    assert list(tmp_path.iterdir()) == []
