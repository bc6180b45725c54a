"""Patterns judged over many seeds at once (``SeedRuns``) give exactly what judging each run
alone gives (``sim.experiments.patterns``), on shipped patterns and runs and on edge cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.errors import ScenarioError
from sim.experiments import matrix
from sim.experiments.pattern_seeds import SeedRuns, contrast_differences, seed_runs
from sim.experiments.patterns import aggregate, holds, measure
from sim.experiments.patterns import contrast_differences as one_by_one


def series(values: list[float], start_year: int = 2000) -> pd.DataFrame:
    dates = [f"{start_year + i // 12:04d}-{i % 12 + 1:02d}" for i in range(len(values))]
    return pd.DataFrame({"date": dates, "x": values})


def same(a: object, b: object) -> bool:
    """Equal, NaN equal to NaN (the same float or verdict, not a near one)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


def check_every_way(patterns: list[dict], by_policy: dict[str, list]) -> int:
    """Assert SeedRuns == one run at a time for every pattern; returns how many were checked."""
    base = SeedRuns(by_policy["baseline"])
    checked = 0
    for p in patterns:
        if p["kind"] == "contrast":
            other = by_policy[p["policy"]]
            want = one_by_one(p, by_policy["baseline"], other)
            got = contrast_differences(p, base, SeedRuns(other))
            assert np.array_equal(want, got, equal_nan=True), p["id"]
        else:
            want = [None if ts is None else measure(p, ts) for ts in base.runs]
            got = base.measures(p)
            assert all(same(w, g) for w, g in zip(want, got, strict=True)), (p["id"], want, got)
            held = [ts is not None and holds(p, ts) for ts in base.runs]
            assert base.held(p).tolist() == held, p["id"]
        checked += 1
    return checked


@pytest.mark.parametrize("scenario", ["tuzla", "map"])  # map: a first_date pattern
def test_shipped_patterns_on_real_runs_equal_one_run_at_a_time(scenario: str) -> None:
    from sim.engine.ensemble import Ensemble
    from sim.scenario.loader import load_scenario

    patterns = load_scenario(scenario).patterns
    policies = ["baseline", *sorted({p["policy"] for p in patterns if p["kind"] == "contrast"})]
    ens = Ensemble(scenario, seeds=range(2), policies=policies, workers=1).run()
    frames = ens.runs()
    by_policy: dict[str, list] = {}
    for i, rep in enumerate(ens.replicates):
        by_policy.setdefault(rep.policy, []).append(frames[i])
    by_policy["baseline"].append(None)  # a failed seed: no value, does not hold
    for policy in policies[1:]:
        by_policy[policy].append(by_policy[policy][0])
    assert check_every_way(patterns, by_policy) == len(patterns)
    # And the matrix reads the same rates from runs or from runs read once.
    runs = {matrix.FULL: by_policy}
    assert matrix.hold_rates(patterns, runs).equals(
        matrix.hold_rates(patterns, matrix.read_once(runs))
    )


def test_edge_cases_equal_one_run_at_a_time() -> None:
    ts = series(list(range(14)))
    shifted = series([float(v) for v in range(20, 34)], start_year=1999)  # another date axis
    zeros = series([0.0] * 14)
    runs = [ts, None, shifted, zeros, ts]
    patterns = [
        {"id": "r", "kind": "range", "series": "x", "agg": "sum", "from": "2000-03", "to": "2000-05", "min": 9, "max": 9},  # noqa: E501
        {"id": "e", "kind": "range", "series": "x", "from": "2030-01", "min": 0},  # empty window
        {"id": "q", "kind": "ratio", "numerator": {"series": "x", "agg": "mean", "from": "2001-01"},
         "denominator": {"series": "x", "agg": "min", "to": "2000-02"}, "min": 20},  # 0 and n/0
        {"id": "d", "kind": "change", "before": {"series": "x", "agg": "first"},
         "after": {"series": "x", "agg": "median", "from": "2000-07"}, "max": 12},
        {"id": "f", "kind": "first_date", "series": "x", "op": ">=", "value": 5, "from": "2000-06"},
        {"id": "n", "kind": "first_date", "series": "x", "op": ">", "value": 99, "never": True},
        {"id": "c", "kind": "contrast", "policy": "p", "series": "x", "agg": "max", "direction": "higher"},  # noqa: E501
    ]  # fmt: skip
    by_policy = {"baseline": runs, "p": [zeros, ts, None, shifted, ts]}
    assert check_every_way(patterns, by_policy) == len(patterns)
    assert SeedRuns(runs).measures(patterns[2])[3] != SeedRuns(runs).measures(patterns[2])[3]


def test_frames_without_dates_and_errors_are_those_of_one_run() -> None:
    undated = pd.DataFrame({"x": [1.0, 2.0, 4.0]})
    runs = SeedRuns([undated, undated.assign(x=[3.0, 3.0, 3.0])])
    assert runs.aggregate({"series": "x", "agg": "max"}).tolist() == [4.0, 3.0]
    assert aggregate(undated, {"series": "x", "agg": "max"}) == 4.0
    with pytest.raises(KeyError):
        aggregate(undated, {"series": "x", "from": "2000-01"})
    with pytest.raises(KeyError):
        runs.aggregate({"series": "x", "from": "2000-01"})
    for bad, match in (
        ({"series": "nope"}, "a time-series column"),
        ({"series": "x", "agg": "mode"}, "one of"),
    ):  # noqa: E501
        with pytest.raises(ScenarioError, match=match):
            SeedRuns([series([1.0])]).aggregate(bad, "b")
    with pytest.raises(ScenarioError, match="lower or higher"):
        contrast_differences({"id": "c", "series": "x", "direction": "up"}, [undated], [undated])


def test_seed_runs_is_still_the_runs() -> None:
    runs = [series([1.0]), None]
    seeds = seed_runs(runs)
    assert list(seeds) == runs and len(seeds) == 2 and seeds[1] is None
    assert seed_runs(seeds) is seeds
