"""Programmes with several phases (issue 15 item 8): each phase has its own months, budget and
pillars; a programme pays only inside a phase. A single-phase programme is as before.

two_cities' programme ``rebuild`` (2000-06 to 2004-12, all three pillars, 30 units) becomes a
development phase 2000-06..2001-12 (10 units) and a peace phase 2002-06..2004-12 (30 units),
with a gap between them (its provider, the mediator, has no humanitarian mandate).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from helpers import copy_scenario, edit_yaml
from sim.engine.model import PeaceModel
from sim.scenario.loader import load_scenario

PHASES = [
    {"start": "2000-06", "end": "2001-12", "budget": 10, "pillars": ["development"],
     "assumption": "reconstruction first"},
    {"start": "2002-06", "end": "2004-12", "budget": 30, "pillars": ["peace"],
     "assumption": "then reconciliation"},
]  # fmt: skip
HUM, DEV, PEACE = 0, 1, 2


def _phased(tmp_path: Path) -> Path:
    folder = copy_scenario("two_cities", tmp_path)

    def change(data: list[dict]) -> None:
        for key in ("start", "end", "budget", "pillars"):
            data[0].pop(key)
        data[0]["phases"] = PHASES

    edit_yaml(folder / "programmes.yaml", change)
    return folder


def test_a_single_phase_programme_is_its_one_phase() -> None:
    prog = load_scenario("two_cities").programmes[0]
    assert prog["phases"] == [
        {"start": 5, "end": 60, "budget": 30.0, "pillars": ["humanitarian", "development", "peace"]}
    ]
    assert (prog["start"], prog["end"], prog["budget"]) == (5, 60, 30.0)


def test_phases_are_loaded_in_steps(tmp_path: Path) -> None:
    prog = load_scenario(_phased(tmp_path)).programmes[0]
    assert [(p["start"], p["end"], p["budget"]) for p in prog["phases"]] == [
        (5, 24, 10.0),
        (29, 60, 30.0),
    ]
    assert (prog["start"], prog["end"]) == (5, 60)
    assert prog["pillars"] == ["development", "peace"]


def test_a_phased_programme_pays_each_phase_its_pillars_and_nothing_between(
    tmp_path: Path,
) -> None:
    m = PeaceModel(load_scenario(_phased(tmp_path)), seed=3)
    active, by_pillar = [], []
    for _ in range(72):
        m.step()
        active.append(bool(m.month.prog_active[0, 0]))
        by_pillar.append(m.month.split[:, 0].sum(axis=1))  # (3,) this month's offer per pillar
    active, paid = np.array(active), np.array(by_pillar)
    assert not active[:5].any() and active[5:24].all()  # phase 1: 2000-06 .. 2001-12
    assert not active[24:29].any()  # the gap
    assert active[29:60].all() and not active[60:].any()  # phase 2: 2002-06 .. 2004-12
    assert paid[5:24, DEV].sum() > 0 and paid[5:24, [HUM, PEACE]].sum() == 0
    assert paid[24:29].sum() == 0
    assert paid[29:60, PEACE].sum() > 0 and paid[29:60, [HUM, DEV]].sum() == 0
    # Each phase pays at most its own budget a month (money on closed ties stays unpaid).
    assert paid[5:24].sum(axis=1).max() <= 10 + 1e-9
    assert paid[29:60].sum(axis=1).max() > 10
    funded = m.timeseries()["funded@rebuild"].to_numpy()
    np.testing.assert_array_equal(funded[:72] > 0, active)


def test_a_phased_run_is_deterministic(tmp_path: Path) -> None:
    folder = _phased(tmp_path)
    a = PeaceModel(load_scenario(folder), seed=11).run(40).timeseries()
    b = PeaceModel(load_scenario(folder), seed=11).run(40).timeseries()
    assert a.equals(b)
