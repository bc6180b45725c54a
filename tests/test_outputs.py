"""Tidy, self-describing outputs (issue 17): the long series table, the actors table, city rows
with country and community, a stable wide schema, the data dictionary and provenance."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml

from helpers import ROOT, copy_scenario, run_cli

SMALL = ["scenario=tuzla", "horizon=12", "output.progress=false", "output.dashboard=false"]


@pytest.fixture(scope="module")
def tuzla_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tuzla")
    run = root / "run"
    proc = run_cli([*SMALL, f"hydra.run.dir={run}"], root)
    assert proc.returncode == 0, proc.stderr
    return run


def test_long_series_matches_the_wide_table(tuzla_run: Path) -> None:
    from sim.outputs import read_series

    wide = pd.read_parquet(tuzla_run / "timeseries.parquet")
    long = pd.read_parquet(tuzla_run / "series.parquet")
    assert list(long.columns) == ["run", "date", "variable", "entity", "value"]
    assert str(pq.read_schema(tuzla_run / "series.parquet").field("date").type) == "date32[day]"
    assert str(long["date"].min()) == "1995-12-01"  # a real date: each month's first day
    prov = json.loads((tuzla_run / "provenance.json").read_text())
    assert set(long["run"].astype(str)) == {prov["config_hash"]}
    # Every wide column but step and date is one (variable, entity) series of 12 months.
    assert len(long) == 12 * (wide.shape[1] - 2)
    peace = read_series(tuzla_run, variable="peace", entity="model")
    assert peace["value"].tolist() == wide["peace"].tolist()
    assert pd.api.types.is_datetime64_any_dtype(peace["date"])
    # The wide table's date is the same real date (issue 17), not 'YYYY-MM' text.
    assert str(pq.read_schema(tuzla_run / "timeseries.parquet").field("date").type) == "date32[day]"
    assert pd.to_datetime(wide["date"]).tolist() == peace["date"].tolist()
    own = read_series(tuzla_run, variable="D", entity="tuzla")  # direct_violence@tuzla
    assert own["value"].tolist() == wide["direct_violence@tuzla"].tolist()
    community = read_series(tuzla_run, variable="peace", entity="bosniak")
    assert community["value"].tolist() == wide["peace_bosniak"].tolist()
    pair = read_series(tuzla_run, variable="hostility", entity="BA-NL")
    assert pair["value"].tolist() == wide["hostility_BA_NL"].tolist()
    both = read_series(tuzla_run, variable=["peace", "D"], entity="model", wide=True)
    assert both["peace"].tolist() == wide["peace"].tolist() and len(both) == 12


def test_unknown_variable_names_the_nearest(tuzla_run: Path) -> None:
    from sim.errors import ConfigError
    from sim.outputs import read_series

    with pytest.raises(ConfigError) as info:
        read_series(tuzla_run, variable="peaces")
    line = str(info.value)
    assert "variable = 'peaces'" in line and "did you mean 'peace'" in line
    assert str(tuzla_run / "series.parquet") in line
    proc = run_cli(["series", str(tuzla_run), "variable=positve_peace"], tuzla_run)
    assert proc.returncode == 2 and proc.stdout == ""
    (err,) = proc.stderr.strip().splitlines()
    assert err.startswith("citypeace: error: ") and "did you mean 'positive_peace'" in err
    proc = run_cli(["series", str(tuzla_run), "variable=peace", "entity=tuzl"], tuzla_run)
    assert proc.returncode == 2 and "did you mean 'tuzla'" in proc.stderr
    ok = run_cli(["series", str(tuzla_run), "variable=peace", "entity=model"], tuzla_run)
    assert ok.returncode == 0 and "1995-12-01" in ok.stdout, ok.stderr


def test_an_unknown_variable_writes_no_csv(tuzla_run: Path, tmp_path: Path) -> None:
    """Issue 17's bad input: a long-series query for an unknown variable, saved as CSV, is one
    line naming the series file's full path, the key and value and the nearest name; exit 2;
    no CSV, not even a temporary one, and the run folder as it was."""
    run_files = sorted(p.name for p in tuzla_run.iterdir())
    out = tmp_path / "peace.csv"
    proc = run_cli(["series", str(tuzla_run), "variable=peaces", "--csv", str(out)], tmp_path)
    assert proc.returncode == 2 and proc.stdout == "", proc.stderr
    (err,) = proc.stderr.strip().splitlines()
    assert err.startswith(f"citypeace: error: {tuzla_run / 'series.parquet'}: "), err
    assert "variable = 'peaces'" in err and "did you mean 'peace'" in err, err
    assert list(tmp_path.iterdir()) == []
    assert sorted(p.name for p in tuzla_run.iterdir()) == run_files
    ok = run_cli(["series", str(tuzla_run), "variable=peace", "--csv", str(out)], tmp_path)
    assert ok.returncode == 0 and out.is_file(), ok.stderr  # the same command, a known name


def test_actors_and_city_rows(tuzla_run: Path) -> None:
    actors = pd.read_parquet(tuzla_run / "actors.parquet")
    scenario = yaml.safe_load((ROOT / "scenarios/tuzla/actors.yaml").read_text())
    assert set(actors["id"]) >= {a["id"] for a in scenario}
    cities = pd.read_parquet(tuzla_run / "cities.parquet")
    assert list(cities.columns[:5]) == ["step", "date", "id", "country", "community"]
    by_id = actors.set_index("id")
    for row in cities.drop_duplicates("id").itertuples():
        assert row.country == by_id.loc[row.id, "country"]
        community = by_id.loc[row.id, "community"]
        assert row.community == community or (pd.isna(row.community) and pd.isna(community))
    assert cities["community"].notna().any() and cities["community"].isna().any()


def test_wide_schema_is_the_same_for_every_policy() -> None:
    from sim import PeaceModel

    for scenario in ("tuzla", "map", "seoul_pyongyang"):
        policies = yaml.safe_load((ROOT / "scenarios" / scenario / "policies.yaml").read_text())
        base = PeaceModel.from_scenario(scenario, horizon=2).run().timeseries()
        for policy in policies:
            ts = PeaceModel.from_scenario(scenario, horizon=2, policy=policy).run().timeseries()
            assert list(ts.columns) == list(base.columns), (scenario, policy)
    no_abc = PeaceModel.from_scenario("tuzla", horizon=24, policy="no_abc").run().timeseries()
    assert (no_abc["funded@abc"] == 0).all()  # a programme the policy drops never pays


def test_provenance_in_every_table(tuzla_run: Path) -> None:
    from sim.outputs.provenance import read

    prov = json.loads((tuzla_run / "provenance.json").read_text())
    for name in ("citypeace", "mesa", "numpy", "pandas", "pyarrow", "hydra-core"):
        assert prov["versions"][name], name
    assert "git_commit" in prov and "git_dirty" in prov and prov["seed"] == 0
    for table in tuzla_run.glob("*.parquet"):
        stored = read(table)
        assert stored is not None, table.name
        assert stored["config_hash"] == prov["config_hash"] and stored["seed"] == 0
        assert stored["versions"] == prov["versions"]


def test_every_written_column_and_variable_has_a_dictionary_entry(tmp_path: Path) -> None:
    """Every shipped scenario (and the synthetic one): each column of each table has a unit in
    its field metadata, and each series variable has an entry."""
    from sim.outputs.dictionary import SERIES, TABLES

    scenarios = [
        [f"scenario={name}", "horizon=3"]
        for name in ("two_cities", "tuzla", "map", "seoul_pyongyang")
    ] + [["scenario=synthetic", "scenario.n_cities=200", "horizon=3"]]
    for i, args in enumerate(scenarios):
        run = tmp_path / str(i)
        proc = run_cli([*args, "output.progress=false", "output.dashboard=false",
                        f"hydra.run.dir={run}"], tmp_path)  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        for table in run.glob("*.parquet"):
            for field in pq.read_schema(table):
                meta = field.metadata or {}
                if table.stem != "timeseries" or field.name not in ("step", "date"):
                    assert b"unit" in meta, (args, table.name, field.name)
            if table.stem != "timeseries":
                assert {f.name for f in pq.read_schema(table)} <= set(TABLES[table.stem])
        variables = set(pd.read_parquet(run / "series.parquet")["variable"].astype(str))
        assert variables <= set(SERIES), variables - set(SERIES)
        listed = pd.read_csv(run / "dictionary.csv")
        assert set(listed["name"]) >= variables


def test_docs_outputs_is_current() -> None:
    from sim.outputs.dictionary import markdown

    current = (ROOT / "docs" / "outputs.md").read_text(encoding="utf-8")
    assert current == markdown(), "run: python -m sim.outputs.dictionary > docs/outputs.md"


def test_scenario_path_whatever_the_folder_name(tmp_path: Path) -> None:
    folder = copy_scenario("two_cities", tmp_path).rename(tmp_path / "my copy")
    proc = run_cli([f"scenario.path={folder}", "horizon=3", "output.progress=false",
                    "output.dashboard=false"], tmp_path)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    (run,) = (tmp_path / "outputs" / "two_cities").iterdir()  # named for the scenario
    config = yaml.safe_load((run / "config.yaml").read_text())
    assert config["scenario"] == {"name": "two_cities", "path": str(folder)}
    bad = run_cli(["scenario=tuzla", f"scenario.path={folder}", "horizon=3"], tmp_path)
    assert bad.returncode == 2
    (line,) = bad.stderr.strip().splitlines()
    assert "scenario.name = 'tuzla'" in line and "'two_cities'" in line, line


def test_dashboard_events_from_a_frame_or_arrays() -> None:
    """The dashboard lists the scenario's own events once per date and type, in date order,
    from a pandas frame or from the column arrays the painter receives (sim.cli.painter)."""
    from sim.cli.painter import _arrays, pack, unpack
    from sim.outputs.dashboard import _event_list, scenario_events, years

    events = pd.DataFrame(
        {
            "date": ["1996-03", "1995-12", "1996-03", "1995-12", "1997-01"],
            "type": ["violence", "refugee_influx", "violence", "grant_paid", "funding_end"],
            "origin": ["scenario", "scenario", "scenario", "model", "scenario"],
        }
    )
    expected = [("1995-12", "refugee_influx"), ("1996-03", "violence"), ("1997-01", "funding_end")]
    assert scenario_events(events) == expected
    assert scenario_events(_arrays(events)) == expected
    assert scenario_events(None) == [] and scenario_events(events.iloc[:0]) == []
    assert _event_list(events).splitlines()[0] == "1  1995-12  refugee influx"
    assert years(["1996-01", "1996-07"]).tolist() == [1996.0, 1996.5]
    # The painter's payload: plain arrays, read back without pickle.
    ts = pd.DataFrame({"step": [0, 1], "date": ["1996-01", "1996-02"], "peace": [0.5, 0.25]})
    payload = pack(ts, events, Path("run/dashboard.png"), "T", "Pyongyang, Kangwon")
    got_ts, got_events, path, title, recipients = unpack(payload)
    assert list(got_ts) == ["step", "date", "peace"] and got_ts["peace"].tolist() == [0.5, 0.25]
    assert got_ts["date"].tolist() == ["1996-01", "1996-02"]
    assert scenario_events(got_events) == expected
    assert (path, title) == (Path("run/dashboard.png"), "T")
    assert recipients == "Pyongyang, Kangwon"


def test_arrow_arrays_equal_what_pyarrow_makes() -> None:
    """The tables are built without pyarrow's pandas shim; the arrays are pyarrow's own."""
    import numpy as np
    import pyarrow as pa

    from sim.outputs import arrow_arrays as aa

    days = np.array(["1995-12-01", "2020-02-01"], dtype="datetime64[D]")
    pairs = [
        (aa.numbers(np.array([0.5, np.nan, -1.0])), pa.array(np.array([0.5, np.nan, -1.0]))),
        (aa.numbers(np.arange(6)[::2]), pa.array(np.arange(6)[::2])),  # not contiguous
        (aa.numbers(np.array([True, False, True] * 5)), pa.array([True, False, True] * 5)),
        (aa.numbers(np.array([1, -2], dtype=np.int8)), pa.array([1, -2], pa.int8())),
        (aa.text(["a", None, "ü", "", float("nan")]), pa.array(["a", None, "ü", "", None])),
        (aa.text([]), pa.array([], pa.string())),
        (aa.dates(days), pa.array(days, pa.date32())),
        (aa.column(np.array(["x", "yz"])), pa.array(["x", "yz"])),
        (
            aa.repeated(["ab", "ü", ""], np.array([0, 1, -1, 2, 1])),
            pa.array(["ab", "ü", None, "", "ü"]),
        ),
        (aa.repeated(["x"], np.zeros(0, dtype=int)), pa.array([], pa.string())),
    ]
    for mine, theirs in pairs:
        assert mine.type == theirs.type and mine.null_count == theirs.null_count
        assert mine.equals(theirs) or str(mine) == str(theirs)  # NaN: equal as text only
    with pytest.raises(TypeError):
        aa.text(["a", 3])
    with pytest.raises(TypeError):
        aa.numbers(np.array([1 + 2j]))


def test_the_files_hold_the_runs_frames(tuzla_run: Path) -> None:
    """events, activities and city rows are written from the arrays (no pandas): read back,
    they are the model's own frames, the month a real date."""
    from sim import PeaceModel

    model = PeaceModel.from_scenario("tuzla", horizon=12, seed=0).run()
    for name, frame, date in (
        ("events", model.events_frame(), "date"),
        ("activities", model.activities_frame(), "start_date"),
        ("cities", model.city_frame(), "date"),
    ):
        written = pd.read_parquet(tuzla_run / f"{name}.parquet")
        assert str(pq.read_schema(tuzla_run / f"{name}.parquet").field(date).type) == "date32[day]"
        assert b"pandas" not in (pq.read_schema(tuzla_run / f"{name}.parquet").metadata or {})
        assert len(written) == len(frame) > 0, name
        assert [str(d)[:7] for d in written[date]] == list(frame[date]), name
        rest = [c for c in frame.columns if c != date]
        pd.testing.assert_frame_equal(written[rest], frame[rest])


def test_month_dates_are_each_months_first_day_however_many_rows() -> None:
    """The looked-up days of many rows (sim.outputs.tables.month_dates) are numpy's own."""
    import numpy as np

    from sim.outputs import tables

    rng = np.random.default_rng(3)
    cases = [
        np.repeat(np.arange(23_900, 24_140), 500),  # 240 months of 500 cities
        rng.integers(22_000, 22_012, 1_000),  # a few months, unsorted
        rng.integers(0, 30_000, 300),  # a span wider than the rows: converted one by one
        np.arange(-30, 40),  # before year 0, few rows
        np.array([24_001]),
    ]
    for months in cases:
        days = (months - 1970 * 12).astype("datetime64[M]").astype("datetime64[D]")
        expected = days.astype(np.int64).astype(np.int32)
        got = tables.month_dates(months)
        assert str(got.type) == "date32[day]"
        assert np.array_equal(got.cast("int32").to_numpy(), expected)
