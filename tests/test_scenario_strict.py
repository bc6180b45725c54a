"""Strict scenario files (issue 18): no key is ignored, the published schema is the loader's.

* Property: renaming any one key of any file of any shipped scenario to an unknown key makes
  the scenario fail to load, with an error naming that key (every key path of every file, one
  concrete path per list-index pattern, so ``actors[*].population`` once per file).
* docs/schema/*.json equals what experiments/make_schema.py writes from sim/scenario/schema.py,
  and every shipped scenario file validates against it (what an editor would check).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import ROOT
from sim.errors import ScenarioError
from sim.scenario.loader import load_scenario

SCENARIOS = ("two_cities", "tuzla", "map", "seoul_pyongyang", "croatia_twinnings")
UNKNOWN = "zz_not_a_key"
# The files the scenario loader reads (info.yaml, the story for the app, included).
LOADER_FILES = (
    "scenario.yaml",
    "actors.yaml",
    "ties.yaml",
    "programmes.yaml",
    "alliances.yaml",
    "events.yaml",
    "policies.yaml",
    "patterns.yaml",
    "info.yaml",
)


def _key_paths(data: Any, path: tuple = ()) -> Iterator[tuple]:
    """Every path to a mapping key; list indices as ints."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*path, key)
            yield from _key_paths(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _key_paths(value, (*path, i))


def _cases() -> list[tuple[str, str, tuple]]:
    """(scenario, file, key path): one path per file and list-index pattern."""
    cases, seen = [], set()
    for name in SCENARIOS:
        for file in sorted(p.name for p in (ROOT / "scenarios" / name).glob("*.yaml")):
            if file not in LOADER_FILES:
                continue
            data = yaml.safe_load((ROOT / "scenarios" / name / file).read_text())
            for path in _key_paths(data):
                if file == "policies.yaml" and len(path) == 1:
                    continue  # a policy's name is an id, not a key of the format
                shape = (name, file, tuple("*" if isinstance(p, int) else p for p in path))
                if shape not in seen:
                    seen.add(shape)
                    cases.append((name, file, path))
    return cases


CASES = _cases()


def _rename(data: Any, path: tuple) -> None:
    holder = data
    for part in path[:-1]:
        holder = holder[part]
    holder[UNKNOWN] = holder.pop(path[-1])


def test_every_key_is_covered() -> None:
    files = {(name, file) for name, file, _ in CASES}
    shipped = {
        (n, f) for n in SCENARIOS for f in LOADER_FILES if (ROOT / "scenarios" / n / f).is_file()
    }
    assert files == shipped
    assert len(CASES) > 500


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_a_renamed_key_is_never_ignored(scenario: str, tmp_path: Path) -> None:
    """For each key path, a copy with that key renamed fails with an error naming the key."""
    source = ROOT / "scenarios" / scenario
    folder = tmp_path / scenario
    shutil.copytree(source, folder)
    originals = {p.name: p.read_text() for p in source.glob("*.yaml")}
    policies = ["baseline", *yaml.safe_load(originals.get("policies.yaml", "{}") or "{}")]
    accepted = []
    for name, file, path in CASES:
        if name != scenario:
            continue
        data = yaml.safe_load(originals[file])
        _rename(data, path)
        (folder / file).write_text(yaml.safe_dump(data, sort_keys=False))
        try:
            # A policy's own keys are checked at every load, whichever policy runs.
            load_scenario(folder, policy=policies[0])
            accepted.append(f"{file}: {path}")
        except ScenarioError as exc:
            assert UNKNOWN in exc.key, (file, path, str(exc))
            assert Path(exc.where).name == file, (file, path, str(exc))
        finally:
            (folder / file).write_text(originals[file])
    assert accepted == []


def _make_schema() -> Any:
    spec = importlib.util.spec_from_file_location(
        "make_schema", ROOT / "experiments" / "make_schema.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_published_schema_is_up_to_date() -> None:
    module = _make_schema()
    for name, text in module.schemas().items():
        published = ROOT / "docs" / "schema" / name
        assert published.is_file(), f"run experiments/make_schema.py ({name} missing)"
        assert published.read_text() == text, f"run experiments/make_schema.py ({name} stale)"


def test_shipped_scenarios_validate_against_the_published_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    module = _make_schema()
    checked = 0
    for scenario in SCENARIOS:
        for stem in module.FILES:
            path = ROOT / "scenarios" / scenario / f"{stem}.yaml"
            if not path.is_file():
                continue
            schema = json.loads((ROOT / "docs" / "schema" / f"{stem}.schema.json").read_text())
            # What an editor sees: YAML dates are text in JSON.
            data = json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))
            errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
            assert not errors, (str(path), errors[0].message, list(errors[0].path))
            checked += 1
    assert checked >= 25


def test_the_published_schema_refuses_an_unknown_key() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "docs" / "schema" / "scenario.schema.json").read_text())
    data = json.loads(
        json.dumps(yaml.safe_load((ROOT / "scenarios/two_cities/scenario.yaml").read_text()))
    )
    data["hostility"][0]["directed"] = True
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    schema = json.loads((ROOT / "docs" / "schema" / "patterns.schema.json").read_text())
    patterns = yaml.safe_load((ROOT / "scenarios/two_cities/patterns.yaml").read_text())
    assert not list(jsonschema.Draft202012Validator(schema).iter_errors(patterns))
    patterns[0]["minimum"] = patterns[0].pop("min")
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(patterns))
