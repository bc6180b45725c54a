"""A batch's run configs varied by key (sim.experiments.sweep_configs) equal the full
conversions they replace, run after run: the plain data (so the config hash, the status
record and config.yaml) and the checked dataclasses (so the model's arguments)."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest

BASE = ["scenario=two_cities", "horizon=24", "output.dashboard=false", "output.progress=false"]


def _compose(overrides: list[str]) -> Any:
    from sim.experiments.validate import _compose

    return _compose(overrides)


def _design(n: int) -> list[list[str]]:
    """Design values as a design writes them, with the types OmegaConf must convert: an int
    for a float key, a lever that is None in the config, seeds."""
    rng = random.Random(7)
    runs = []
    for _ in range(n):
        success = rng.choice([f"{rng.uniform(0.01, 0.15)!r}", "0", "1"])
        runs.append([f"model.trust.success={success}",
                     f"model.proposals.beta_trust={rng.uniform(1.0, 6.0)!r}",
                     f"levers.coordination={rng.choice(['0', '1', repr(rng.random())])}",
                     f"seed={rng.randrange(10**12)}"])  # fmt: skip
    return runs


def _assert_same(mirror: Any, cfg: Any, changed: list[str], kept: list[Any]) -> None:
    from omegaconf import OmegaConf

    from sim.experiments.runner import hash_of

    full = OmegaConf.to_container(cfg, resolve=True)
    data = mirror.resolved(cfg, changed)
    assert data == full
    assert json.dumps(data, sort_keys=True) == json.dumps(full, sort_keys=True)  # types too
    assert hash_of(data) == hash_of(full)
    obj = mirror.checked(cfg)
    assert obj == OmegaConf.to_object(cfg)
    assert all(obj is not k and obj.model is not k.model for k in kept)  # a fresh copy a run
    kept.append(obj)


def test_varied_by_key_equals_full_conversions() -> None:
    """Plain numbers applied run after run, then a run through Hydra's grammar (a policy),
    then plain numbers again: every run's data, hash and dataclasses are the full ones, and
    an earlier run's dataclasses do not change with a later run's values."""
    from hydra._internal.config_loader_impl import ConfigLoaderImpl
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from omegaconf import OmegaConf

    from sim.experiments.sweep_batch import _apply_numbers
    from sim.experiments.sweep_configs import RunConfigs

    cfg = _compose(BASE)
    mirror, kept, snapshots = RunConfigs(), [], []
    design = _design(30)
    design[12] = [*design[12], "policy=funding_stop"]  # not a number: Hydra's path
    for overrides in design:
        changed: list[str] = []
        rest = _apply_numbers(overrides, cfg, changed)
        if rest:
            ConfigLoaderImpl._apply_overrides_to_config(
                OverridesParser.create().parse_overrides(rest), cfg
            )
            mirror.reset()
        _assert_same(mirror, cfg, changed, kept)
        snapshots.append(OmegaConf.to_object(cfg))
    assert kept == snapshots  # each run's own values, untouched by the runs after it
    assert len({k.seed for k in kept}) == len(kept)
    assert isinstance(kept[0].levers.coordination, float)  # "0" and "1" read as floats


def test_an_interpolation_is_converted_in_full() -> None:
    """A config holding an interpolation: a changed key changes another value, which the
    mirror cannot see; it converts in full every run and stays right."""
    from omegaconf import OmegaConf

    from sim.experiments.sweep_configs import RunConfigs

    cfg = _compose(BASE)
    cfg.model.trust.decay = "${model.trust.success}"
    mirror, kept = RunConfigs(), []
    for value in (0.02, 0.05, 0.11):
        OmegaConf.update(cfg, "model.trust.success", value, merge=True)
        _assert_same(mirror, cfg, ["model.trust.success"], kept)
        assert mirror.resolved(cfg)["model"]["trust"]["decay"] == value


@pytest.mark.parametrize(
    "keys", [["model.trust"], ["model.trust.no_such_key"], ["scenario"]]
)  # fmt: skip
def test_keys_it_cannot_set_are_converted_in_full(keys: list[str]) -> None:
    """A key naming a section, or one the config does not hold: a full conversion."""
    from omegaconf import OmegaConf

    from sim.experiments.sweep_configs import RunConfigs

    cfg = _compose(BASE)
    mirror, kept = RunConfigs(), []
    _assert_same(mirror, cfg, [], kept)
    OmegaConf.update(cfg, "model.trust.success", 0.07, merge=True)
    _assert_same(mirror, cfg, ["model.trust.success", *keys], kept)
    assert mirror.resolved(cfg)["model"]["trust"]["success"] == 0.07


def test_record_from_plain_data_equals_record_from_config(tmp_path: Path) -> None:
    """``new_record`` reading the resolved data gives the record it gives reading the config."""
    from omegaconf import OmegaConf

    from sim.experiments.run_status import new_record

    cfg = _compose([*BASE, "levers.coordination=0", "model.trust.success=0.07", "seed=5"])
    overrides = ["levers.coordination=0", "model.trust.success=0.07", "seed=5",
                 "scenario=two_cities", "~model.no_such", "model.trust"]  # fmt: skip
    data = copy.deepcopy(OmegaConf.to_container(cfg, resolve=True))
    a = new_record(cfg, tmp_path / "x", tmp_path, 3, overrides, "x")
    b = new_record(cfg, tmp_path / "x", tmp_path, 3, overrides, "x", data)
    assert a == b
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    assert b["params"] == {"levers.coordination": 0.0, "model.trust.success": 0.07,
                           "model.no_such": None}  # fmt: skip


def test_numbers_assigned_without_the_config_equal_full_conversions() -> None:
    """RunConfigs.assign (sobol17): plain numbers set in the mirror alone give, run after run,
    the plain data, hash and dataclasses of the config they were never applied to; a number
    OmegaConf would convert (an int over a float) is refused and nothing is set."""
    from omegaconf import OmegaConf

    from sim.experiments.sweep_batch import _apply_numbers, _numbers
    from sim.experiments.sweep_configs import RunConfigs

    cfg, lagging = _compose(BASE), _compose(BASE)
    mirror, kept, assigned = RunConfigs(), [], 0
    for overrides in _design(40):
        numbers, rest = _numbers(overrides)
        assert rest == []
        before = json.dumps(mirror._data, sort_keys=True) if mirror._data else None
        _apply_numbers(overrides, cfg)  # the reference: Hydra's way, into a config
        if mirror.assign(numbers):
            assigned += 1
            data = mirror.resolved_data()
            assert mirror.fast_checked()
        else:
            assert before is None or json.dumps(mirror._data, sort_keys=True) == before
            _apply_numbers(overrides, lagging)
            mirror.reset()
            data = mirror.resolved(lagging)
            lagging = copy.deepcopy(cfg)  # the caller's config caught up
        full = OmegaConf.to_container(cfg, resolve=True)
        assert json.dumps(data, sort_keys=True) == json.dumps(full, sort_keys=True)  # types too
        obj = mirror.checked(cfg)
        assert obj == OmegaConf.to_object(cfg)
        assert all(obj is not k for k in kept)
        kept.append(obj)
    assert 0 < assigned < 39  # both ways were taken (ints over floats are refused)
    refused = RunConfigs()
    refused.resolved(_compose(BASE))
    assert not refused.assign({"model.trust.success": 1, "seed": 5})  # 1 over a float: no
    assert refused.resolved_data()["seed"] != 5
