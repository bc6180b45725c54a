"""The pattern engine on hand-made series."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.errors import ScenarioError
from sim.experiments.patterns import aggregate, contrast_difference, holds, measure


def series(values: list[float], start_year: int = 2000) -> pd.DataFrame:
    dates = [f"{start_year + i // 12:04d}-{i % 12 + 1:02d}" for i in range(len(values))]
    return pd.DataFrame({"date": dates, "x": values})


TS = series([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])


def test_range_and_windows() -> None:
    p = {
        "id": "r",
        "kind": "range",
        "series": "x",
        "agg": "sum",
        "from": "2000-03",
        "to": "2000-05",
        "min": 9,
        "max": 9,
    }
    assert measure(p, TS) == 9 and holds(p, TS)
    assert not holds({**p, "max": 8}, TS)
    assert aggregate(TS, {"series": "x", "agg": "last"}) == 13


def test_ratio_and_first_date() -> None:
    p = {
        "id": "q",
        "kind": "ratio",
        "numerator": {"series": "x", "agg": "mean", "from": "2001-01"},
        "denominator": {"series": "x", "agg": "mean", "to": "2000-02"},
        "min": 20,
    }
    assert measure(p, TS) == pytest.approx(12.5 / 0.5)
    f = {
        "id": "f",
        "kind": "first_date",
        "series": "x",
        "op": ">=",
        "value": 5,
        "from": "2000-06",
        "to": "2000-06",
    }
    assert measure(f, TS) == "2000-06" and holds(f, TS)
    assert not holds({**f, "value": 100}, TS)
    assert holds({**f, "value": 100, "never": True}, TS)


def test_change_is_after_minus_before() -> None:
    p = {
        "id": "d",
        "kind": "change",
        "before": {"series": "x", "agg": "mean", "to": "2000-03"},
        "after": {"series": "x", "agg": "last"},
        "min": 12,
        "max": 12,
    }
    assert measure(p, TS) == pytest.approx(13 - 1) and holds(p, TS)
    assert not holds({**p, "max": 11.5}, TS)
    falling = {**p, "before": p["after"], "after": p["before"], "min": None, "max": -12}
    assert measure(falling, TS) == pytest.approx(-12) and holds(falling, TS)
    empty = {**p, "after": {"series": "x", "from": "2030-01"}}
    assert not holds(empty, TS)  # an empty window holds nothing


def test_contrast_direction() -> None:
    base, low = [series([1.0] * 12)], [series([0.5] * 12)]
    p = {"id": "c", "kind": "contrast", "series": "x", "agg": "mean"}
    assert contrast_difference(p, base, low) == pytest.approx(0.5)
    assert contrast_difference({**p, "direction": "higher"}, base, low) == pytest.approx(-0.5)
    with pytest.raises(ScenarioError, match="lower or higher"):
        contrast_difference({**p, "direction": "up"}, base, low)


def test_unknown_series_is_a_clear_error() -> None:
    with pytest.raises(ScenarioError, match="a time-series column"):
        measure({"id": "u", "kind": "range", "series": "nope", "agg": "sum"}, TS)


def test_a_change_records_the_scoped_series_of_both_windows() -> None:
    from sim.engine.scoped_series import requested

    p = {
        "kind": "change",
        "before": {"series": "trust@a<->b", "to": "2000-03"},
        "after": {"series": "trust@tie_type:twinning"},
    }
    assert requested([p]) == ["trust@a<->b", "trust@tie_type:twinning"]
