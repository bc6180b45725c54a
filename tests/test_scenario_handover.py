"""Handover (issue 15 item 8): an office passes to local owners on a date.

two_cities' programme ``rebuild`` is provided by the neutral association (``mediator``) to both
cities; here it hands the programme to a local association in 2002-06.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from helpers import copy_scenario, edit_yaml
from sim.engine.model import PeaceModel
from sim.errors import ScenarioError
from sim.scenario.loader import load_scenario

LOCAL = {
    "id": "local",
    "type": "ngo",
    "name": "Local association",
    "country": "EA",
    "community": "east",
    "resources": 0,
    "assumption": "a local association that takes over the office",
}
HANDOVER = {
    "date": "2002-06",
    "type": "handover",
    "programme": "rebuild",
    "provider": "mediator",
    "successor": "local",
    "assumption": "the office passes to local owners",
}
STEP = 29  # 2002-06 from 2000-01


def _folder(tmp_path: Path, *events: dict, actors: tuple[dict, ...] = (LOCAL,)) -> Path:
    folder = copy_scenario("two_cities", tmp_path)
    edit_yaml(folder / "actors.yaml", lambda d: d.extend(actors))
    edit_yaml(folder / "events.yaml", lambda d: d.extend(events))
    return folder


def test_the_loader_records_what_passes(tmp_path: Path) -> None:
    sc = load_scenario(_folder(tmp_path, HANDOVER))
    ev = next(e for e in sc.events if e["type"] == "handover")
    assert ev["passes"] == [("mediator", "eastville"), ("mediator", "westburg")]
    assert ev["created"] == ["eastville", "westburg"]
    new = sc.ties[(sc.ties["src"] == "local") & (sc.ties["type"] == "partnership")]
    assert sorted(new["dst"]) == ["eastville", "westburg"]
    assert (new["active_from"] == STEP).all()


def test_the_programme_pays_through_the_successor_from_the_date(tmp_path: Path) -> None:
    m = PeaceModel(load_scenario(_folder(tmp_path, HANDOVER)), seed=6)
    plan = next(iter(m.world.handovers.values()))
    paid_old, paid_new = [], []
    for _ in range(60):
        m.step()
        split = m.month.split[:, 0]  # (3, rows) the programme's offer per row
        paid_old.append(split[:, plan.old_rows].sum())
        paid_new.append(split[:, plan.new_rows].sum())
    paid_old, paid_new = np.array(paid_old), np.array(paid_new)
    assert paid_old[:STEP].sum() > 0 and paid_old[STEP:].sum() == 0
    assert paid_new[:STEP].sum() == 0 and paid_new[STEP:].sum() > 0
    # The successor's new ties act only from the handover.
    assert (m.world.tie_from[plan.new_ties] == STEP).all()


def test_created_ties_take_the_provider_ties_trust(tmp_path: Path) -> None:
    m = PeaceModel(load_scenario(_folder(tmp_path, HANDOVER)), seed=6)
    plan = next(iter(m.world.handovers.values()))
    m.run(STEP)
    trust = m.ties.trust[plan.old_ties].copy()
    memory = m.ties.memory[plan.old_ties].copy()
    assert not np.array_equal(m.ties.trust[plan.new_ties], trust)  # before: their own
    batch = m.batch
    batch.events.apply(STEP, batch.state, batch.co)  # the handover month's events alone
    np.testing.assert_array_equal(m.ties.trust[plan.new_ties], trust)
    np.testing.assert_array_equal(m.ties.memory[plan.new_ties], memory)
    assert m.batch.state.programmes.row_active[0, plan.new_rows].all()
    assert not m.batch.state.programmes.row_active[0, plan.old_rows].any()


def test_live_projects_move_to_the_successor(tmp_path: Path) -> None:
    """Over seeds, some project of the programme runs across the handover: it goes on on the
    successor's tie (logged with the successor as provider), it is not cut off."""
    moved = 0
    for seed in range(6):
        m = PeaceModel(load_scenario(_folder(tmp_path / str(seed), HANDOVER)), seed=seed)
        m.run(STEP)
        live = m.batch.state.projects.row[0]
        plan = next(iter(m.world.handovers.values()))
        crossing = live[plan.old_ties]
        crossing = crossing[crossing >= 0]
        m.run(1)
        log = m.activities_frame()
        local = m.actor_index["local"]
        for row in crossing.tolist():
            assert log["provider"].iloc[row] == m.world.actors.ids[local]
            moved += 1
    assert moved > 0


def test_handovers_chain_in_date_order(tmp_path: Path) -> None:
    other = {**LOCAL, "id": "other", "name": "Another association"}
    second = {**HANDOVER, "date": "2003-06", "provider": "local", "successor": "other"}
    sc = load_scenario(_folder(tmp_path, second, HANDOVER, actors=(LOCAL, other)))
    chain = sorted((e for e in sc.events if e["type"] == "handover"), key=lambda e: e["step"])
    assert chain[1]["passes"] == [("local", "eastville"), ("local", "westburg")]
    m = PeaceModel(sc, seed=1)
    m.run(60)
    rows = m.batch.state.programmes.row_active[0]
    plans = [m.world.handovers[k] for k in sorted(m.world.handovers)]
    active = [rows[p.new_rows].all() for p in plans]
    assert sorted(active) == [False, True]  # the first successor's rows ended in turn


def test_a_policy_that_drops_the_successor_drops_the_handover(tmp_path: Path) -> None:
    folder = _folder(tmp_path, HANDOVER)
    text = (folder / "policies.yaml").read_text()
    text += "no_local:\n  assumption: x\n  drop_actors: [local]\n"
    (folder / "policies.yaml").write_text(text)
    sc = load_scenario(folder, policy="no_local")
    assert not [e for e in sc.events if e["type"] == "handover"]


def test_the_second_handover_must_name_the_provider_of_the_day(tmp_path: Path) -> None:
    other = {**LOCAL, "id": "other", "name": "Another association"}
    again = {**HANDOVER, "date": "2003-06", "successor": "other"}
    with pytest.raises(ScenarioError, match=r"then: \['local'\]"):
        load_scenario(_folder(tmp_path, HANDOVER, again, actors=(LOCAL, other)))
