"""Per-process caches (issue 5, sweep speed) never leak state from one run into the next.

A sweep builds the same scenario hundreds of times in one worker process. The parsed YAML and
the validated scenarios are kept per process; every run must still get exactly what a fresh
process would give it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from helpers import copy_scenario
from sim import PeaceModel
from sim.scenario import loader


def _outputs(model: PeaceModel) -> dict[str, pd.DataFrame]:
    return {
        "timeseries": model.timeseries(),
        "cities": model.city_frame(),
        "activities": model.activities_frame(),
        "events": model.events_frame(),
    }


def _clear() -> None:
    loader._PARSED.clear()
    loader._SCENARIOS.clear()


def _fresh(**kwargs: object) -> dict[str, pd.DataFrame]:
    _clear()  # as in a new process
    return _outputs(PeaceModel(**kwargs).run())


def _assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True)


def test_cached_runs_equal_fresh_runs_after_mutating_the_first() -> None:
    first_kw = dict(scenario="tuzla", seed=3, horizon=60, policy="no_abc")
    second_kw = dict(scenario="tuzla", seed=5, horizon=60, levers={"coordination": 0.8})
    expected_first, expected_second = _fresh(**first_kw), _fresh(**second_kw)

    _clear()
    first = PeaceModel(**first_kw).run()
    _assert_same(_outputs(first), expected_first)
    # Vandalise everything the first run holds: its state, its scenario tables and records.
    first.cities.D[:] = 1.0
    first.ties.trust[:] = 0.0
    first.case.actors.loc[:, "direct_violence"] = 1.0
    first.case.ties.loc[:, "trust"] = 0.0
    for prog in first.case.programmes:
        prog["budget"] = 0.0
        prog["recipients"].clear()
    first.case.events.clear()
    first.case.policies.clear()
    assert loader._PARSED and len(loader._SCENARIOS) == 1  # served from the caches from now on
    second = PeaceModel(**second_kw).run()
    _assert_same(_outputs(second), expected_second)
    again = PeaceModel(**first_kw).run()
    assert len(loader._SCENARIOS) == 2  # the first run's scenario came from the cache
    _assert_same(_outputs(again), expected_first)
    # And a scenario handed out is a copy: editing it leaves the next one as loaded.
    case = loader.load_scenario("tuzla", horizon=60)
    case.actors.loc[:, "capacity"] = 0.0
    case.programmes.clear()
    fresh = loader.load_scenario("tuzla", horizon=60)
    assert fresh.programmes and (fresh.actors["capacity"] > 0).any()


def test_parsed_documents_are_copies() -> None:
    text = "a: [1, 2, {b: c}]\nd: &x [1]\ne: *x\n"
    one = loader._parse_yaml(text)
    one["a"][2]["b"] = "changed"
    one["d"].append(2)
    two = loader._parse_yaml(text)
    assert two == {"a": [1, 2, {"b": "c"}], "d": [1], "e": [1]}
    assert two["d"] is two["e"]  # an alias stays one object, as yaml.safe_load gives it


def test_an_edit_is_seen_at_once(tmp_path: Path) -> None:
    folder = copy_scenario("two_cities", tmp_path)
    path = folder / "scenario.yaml"
    before = loader.load_scenario(folder)
    text = path.read_text()
    edited = text.replace("teaching", "learning", 1)
    assert edited != text and len(edited) == len(text) and "teaching" in before.title
    path.write_text(edited)  # same size, very likely the same timestamp tick
    assert loader.load_scenario(folder).title == before.title.replace("teaching", "learning")


def test_a_bad_document_is_not_cached() -> None:
    with pytest.raises(yaml.YAMLError):
        loader._parse_yaml("a: [1, 2\n")
    assert "a: [1, 2\n" not in loader._PARSED


def test_the_cache_is_bounded() -> None:
    for i in range(loader._PARSED_MAX + 10):
        loader._parse_yaml(f"n: {i}\n")
    assert len(loader._PARSED) <= loader._PARSED_MAX
