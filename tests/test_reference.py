"""Optimisations must not change results: same seed, same outputs as the stored reference."""

from __future__ import annotations

import importlib.util

import pandas as pd
import pytest

from helpers import ROOT
from sim import PeaceModel

_spec = importlib.util.spec_from_file_location(
    "make_reference_outputs", ROOT / "experiments" / "make_reference_outputs.py"
)
ref = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ref)


@pytest.mark.parametrize("name", list(ref.CASES))
def test_outputs_match_reference(name: str) -> None:
    model = ref.build(name)
    for table, frame in (
        ("timeseries", model.timeseries()),
        ("cities", model.city_frame()),
        ("activities", model.activities_frame()),
    ):
        expected = pd.read_parquet(ref.REFERENCE / f"{name}.{table}.parquet")
        # Exact up to float round-off; any changed random draw would differ far more.
        pd.testing.assert_frame_equal(
            frame.reset_index(drop=True),
            expected,
            check_dtype=False,
            check_categorical=False,
            rtol=1e-9,
            atol=1e-12,
        )


@pytest.mark.parametrize("name", ["tuzla", "seoul_pyongyang"])
def test_idle_month_shortcuts_change_nothing(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Both cases have long stretches in which no money moves (tuzla after ABC ends, Seoul
    # under sanctions), so the shortcuts are taken in most of their months.
    taken = {"offers": 0, "deliveries": 0}
    no_offers, nothing_delivered = PeaceModel._no_offers, PeaceModel._nothing_delivered

    def spy_offers(self: PeaceModel) -> tuple:
        taken["offers"] += 1
        return no_offers(self)

    def spy_delivered(self: PeaceModel, *args: object) -> tuple:
        taken["deliveries"] += 1
        return nothing_delivered(self, *args)

    monkeypatch.setattr(PeaceModel, "_no_offers", spy_offers)
    monkeypatch.setattr(PeaceModel, "_nothing_delivered", spy_delivered)
    fast = ref.build(name)
    assert taken["offers"] > 100 and taken["deliveries"] > 100
    monkeypatch.setattr(PeaceModel, "idle_shortcuts", False)
    taken.update(offers=0, deliveries=0)
    full = ref.build(name)
    assert taken == {"offers": 0, "deliveries": 0}
    for table in ("timeseries", "city_frame", "activities_frame"):
        quick, slow = getattr(fast, table)(), getattr(full, table)()
        pd.testing.assert_frame_equal(quick, slow, check_exact=True)
