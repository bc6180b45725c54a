"""An armed side that is not a city (issue 15 item 8): an insurgency inside a country.

two_cities gains a community ``rebels`` with no municipality, in a divide with ``east``, and a
non-city actor ``front`` that represents it; its violence targets the cities of Eastland.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from helpers import copy_scenario, edit_yaml
from sim.engine.model import PeaceModel
from sim.errors import ScenarioError
from sim.scenario.loader import load_scenario

FRONT = {
    "id": "front",
    "type": "ngo",
    "name": "Eastland Liberation Front",
    "country": "EA",
    "community": "rebels",
    "assumption": "the insurgency, represented by a non-city actor",
}
VIOLENCE = {
    "date": "2001-01",
    "end": "2001-12",
    "type": "violence",
    "pressure": 2.0,
    "targets": {"country": "EA"},
    "assumption": "the insurgency attacks the cities of its country",
}


def _insurgency(tmp_path: Path, *events: dict) -> Path:
    folder = copy_scenario("two_cities", tmp_path)

    def meta(data: dict) -> None:
        data["communities"].append("rebels")
        data["divides"].append({"a": "east", "b": "rebels", "assumption": "an insurgency"})

    edit_yaml(folder / "scenario.yaml", meta)
    edit_yaml(folder / "actors.yaml", lambda d: d.append(FRONT))
    tie = {"src": "front", "dst": "eastville", "type": "partnership", "trust": 0.05}
    tie.update(bidirectional=True, assumption="talks across the armed divide")
    talks = {"src": "mediator", "dst": "front", "type": "mediation", "trust": 0.5}
    talks.update(assumption="the mediator also talks to the front")
    edit_yaml(folder / "ties.yaml", lambda d: d.extend([tie, talks]))
    edit_yaml(folder / "events.yaml", lambda d: d.extend(events))
    return folder


def test_ties_to_the_armed_side_cross_the_divide(tmp_path: Path) -> None:
    m = PeaceModel(load_scenario(_insurgency(tmp_path)), seed=1)
    w, ids = m.world, m.world.actors.ids
    cross = {(ids[w.ties.src[i]], ids[w.ties.dst[i]]) for i in w.cross}
    assert {("front", "eastville"), ("eastville", "front")} <= cross
    # The mediator talks to both sides, so the front's tie is mediated too.
    front = m.actor_index["front"]
    assert (w.ties.src[w.med_party] == front).any()
    m.run(1)
    assert m.timeseries()["cross_divide_ties"].iloc[0] == 4


def test_the_insurgency_s_violence_hits_the_cities_of_its_country(tmp_path: Path) -> None:
    runs = {}
    for name, events in (("calm", ()), ("insurgency", (VIOLENCE,))):
        m = PeaceModel(load_scenario(_insurgency(tmp_path / name, *events)), seed=4)
        runs[name] = m.run(24).timeseries()
    east = (
        runs["insurgency"]["direct_violence@eastville"] - runs["calm"]["direct_violence@eastville"]
    )
    west = runs["insurgency"]["direct_violence@westburg"] - runs["calm"]["direct_violence@westburg"]
    assert east.iloc[12:24].mean() > 0.05  # Eastland's city is hit in 2001
    assert np.abs(east.iloc[:12]).max() == 0  # and not before
    assert west.iloc[12:24].mean() < east.iloc[12:24].mean()  # Westland is not the target


def test_targeting_the_city_less_side_is_refused_with_the_way_to_say_it(tmp_path: Path) -> None:
    wrong = {**VIOLENCE, "targets": {"community": "rebels"}}
    with pytest.raises(ScenarioError, match=r"attacks the cities of its country: \{country: K\}"):
        load_scenario(_insurgency(tmp_path, wrong))
