"""The plain checks of the scenario format (``sim.scenario.plain_check``) accept only what
pydantic's records accept, with the values pydantic gives; everything else goes to pydantic.

- the stored table (``plain_schema.json``) is what the records give now;
- every check of a record (a pydantic validator) has a plain twin;
- every built-in scenario, under every policy, loads to the same Scenario either way, and
  each of its entries, checked plainly, dumps as pydantic's record does;
- hypothesis mutates those entries (a value replaced, a key dropped or added): whenever the
  plain check accepts, pydantic accepts too and the two dump alike;
- a first run of a scenario without an error imports no pydantic.

The refusals themselves are pydantic's: the catalogue (``tests/test_catalogue.py``,
``test_scenario_faults.py``, ``test_scenario_strict.py``, ``test_fuzz_loader.py``) runs
with the plain checks on, as a command does.
"""

from __future__ import annotations

import copy
import datetime
import math
import os
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import ROOT
from sim.errors import ScenarioError
from sim.scenario import loader
from sim.scenario.plain_check import SCHEMA_FILE, TWINS, Doubt, check
from sim.scenario.records import pydantic_type
from sim.scenario.validation import parse

SCENARIOS = ("tuzla", "map", "seoul_pyongyang", "croatia_twinnings", "two_cities")
SECTIONS = {"actors": "Actor", "ties": "Tie", "programmes": "Programme",
            "alliances": "Alliance", "events": "Event"}  # fmt: skip


def _entries() -> list[tuple[str, Any]]:
    """(record, data) of every entry of every built-in scenario's YAML files."""
    out = []
    for name in SCENARIOS:
        folder = ROOT / "scenarios" / name
        out.append(("ScenarioMeta", yaml.safe_load((folder / "scenario.yaml").read_text())))
        for stem, record in SECTIONS.items():
            path = folder / f"{stem}.yaml"
            if path.is_file():
                out += [(record, e) for e in yaml.safe_load(path.read_text()) or []]
        policies = folder / "policies.yaml"
        if policies.is_file():
            out += [("Policy", p) for p in (yaml.safe_load(policies.read_text()) or {}).values()]
        info = folder / "info.yaml"
        if info.is_file():
            out.append(("InfoFile", yaml.safe_load(info.read_text())))
    return out


ENTRIES = _entries()


def _pydantic(name: str, data: Any) -> Any:
    try:
        return parse(pydantic_type(name), data, "f.yaml")
    except ScenarioError:
        return None


def _dumps(record: Any) -> list[Any]:
    """The record's dumps as the loader asks for them (pydantic warns that a steady capacity
    given as a number is not its declared list: it dumps the number as it is)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return [
            record.model_dump(),
            record.model_dump(by_alias=True, exclude_defaults=True),
            record.model_dump(exclude_none=True),
        ]


def _same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all through (1 and 1.0 differ here)."""
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(_same, a, b))
    return type(a) is type(b) and a == b


def test_the_stored_table_is_what_the_records_give() -> None:
    sys.path.insert(0, str(ROOT / "experiments"))
    try:
        from make_plain_schema import text
    finally:
        sys.path.pop(0)
    assert SCHEMA_FILE.read_text() == text(), "run experiments/make_plain_schema.py"


def test_every_check_of_a_record_has_a_plain_twin() -> None:
    from sim.scenario.plain_spec import records, spec_of_all

    classes = {}
    todo = list(records().values())
    from sim.scenario.event_schema import EVENT_CLASSES

    todo += EVENT_CLASSES
    while todo:
        cls = todo.pop()
        for base in cls.__mro__:
            if hasattr(base, "__pydantic_decorators__") and base.__name__ not in classes:
                classes[base.__name__] = base
        for field in cls.model_fields.values():
            for arg in _types(field.annotation):
                if isinstance(arg, type) and hasattr(arg, "__pydantic_decorators__"):
                    todo.append(arg)
    found = set()
    for name, cls in classes.items():
        deco = cls.__pydantic_decorators__
        for kind in ("model_validators", "field_validators", "validators", "root_validators"):
            for vname in getattr(deco, kind):
                if vname in vars(cls):  # defined on this class, not inherited
                    found.add((name, vname))
    assert found == TWINS
    assert set(spec_of_all()["records"]) <= set(classes) | {"SteadyPoint"}


def _types(annotation: Any) -> list[Any]:
    import typing

    out = [annotation]
    for arg in typing.get_args(annotation):
        out += _types(arg)
    return out


@pytest.mark.parametrize(("name", "data"), ENTRIES, ids=[f"{n}-{i}" for i, (n, _) in
                                                         enumerate(ENTRIES)])  # fmt: skip
def test_each_built_in_entry_is_accepted_plainly_as_pydantic_reads_it(name: str, data: Any) -> None:
    ours = check(name, copy.deepcopy(data))
    theirs = _pydantic(name, copy.deepcopy(data))
    assert theirs is not None
    for a, b in zip(_dumps(ours), _dumps(theirs), strict=True):
        assert _same(a, b), (a, b)


def _load(name: str, policy: str, plain: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("CITYPEACE_PLAIN_CHECKS", "1" if plain else "0")
    loader._SCENARIOS.clear()
    return loader.load_scenario(name, policy, frames=False)


def _table_equal(a: dict, b: dict) -> bool:
    if list(a) != list(b):
        return False
    for k in a:
        x, y = np.asarray(a[k]), np.asarray(b[k])
        if x.dtype != y.dtype or x.shape != y.shape:
            return False
        if x.dtype.kind == "f":
            if not np.array_equal(x, y, equal_nan=True):
                return False
        elif not all(_same(p, q) or p is q for p, q in zip(x.tolist(), y.tolist(), strict=True)):
            return False
    return True


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_scenario_and_policy_loads_alike(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    policies = yaml.safe_load((ROOT / "scenarios" / name / "policies.yaml").read_text()) or {}
    for policy in ["baseline", *policies]:
        ours = _load(name, policy, True, monkeypatch)
        theirs = _load(name, policy, False, monkeypatch)
        for key, value in vars(theirs).items():
            mine = getattr(ours, key)
            if key in ("actors", "ties"):
                assert _table_equal(mine, value), (name, policy, key)
            else:
                assert _same(mine, value) or mine == value, (name, policy, key)
    loader._SCENARIOS.clear()


# ----------------------------------------------------------------------------- mutations

VALUES = st.sampled_from(
    [None, True, False, 0, 1, -1, 2, 0.5, 1.0, 12.0, 1e400, -0.0, math.nan, 10**400, 1e13,
     "", " ", "x", "tuzla", "municipality", "1996-01", "1996-13", "2999-01", "001:12",
     "001:12; 002:3-4", "x" * 70, "y" * 1600, [], [1], ["a", "a"], ["a", "b"],
     ["humanitarian"], {}, {"type": "municipality"}, {"x": 1}, {"date": "1996-01", "value": 0.5},
     [{"date": "1996-01", "value": 0.5}], datetime.date(1996, 1, 1)]
)  # fmt: skip


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*prefix, i))
    return out


def _mutate(data: Any, path: tuple, how: str, value: Any) -> Any:
    data = copy.deepcopy(data)
    if not path:
        return value if how == "set" else data
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if how == "set":
        parent[last] = value
    elif how == "drop":
        del parent[last]
    elif how == "add" and isinstance(parent, dict):
        parent[f"{last}x"] = value
    return data


@settings(max_examples=int(os.environ.get("CITYPEACE_PLAIN_EXAMPLES", "400")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
@given(st.data())
def test_a_mutated_entry_is_accepted_plainly_only_as_pydantic_accepts_it(data: Any) -> None:
    name, entry = data.draw(st.sampled_from(ENTRIES))
    changes = data.draw(st.integers(1, 3))
    for _ in range(changes):
        path = data.draw(st.sampled_from(_paths(entry)))
        how = data.draw(st.sampled_from(["set", "set", "drop", "add"]))
        entry = _mutate(entry, path, how, data.draw(VALUES))
    try:
        ours = check(name, copy.deepcopy(entry))
    except Doubt:
        return  # pydantic decides: the loader's own path
    theirs = _pydantic(name, copy.deepcopy(entry))
    assert theirs is not None, f"accepted plainly, refused by pydantic: {entry!r}"
    for a, b in zip(_dumps(ours), _dumps(theirs), strict=True):
        assert _same(a, b), (a, b)


def test_a_first_run_without_an_error_imports_no_pydantic(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from sim.scenario.loader import load_scenario\n"
        "for name in ('tuzla', 'seoul_pyongyang'):\n"
        "    load_scenario(name, frames=False)\n"
        "print(sorted(m for m in sys.modules if m.startswith('pydantic')))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True, cwd=tmp_path)  # fmt: skip
    assert out.stdout.strip() == "[]"
    env["CITYPEACE_PLAIN_CHECKS"] = "0"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True, cwd=tmp_path)  # fmt: skip
    assert "pydantic" in out.stdout
