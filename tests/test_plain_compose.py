"""A plain command's plan without Hydra (``sim.cli.plain``) is Hydra's plan, field by field;
anything else is left to Hydra."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from omegaconf import OmegaConf, open_dict

from sim.cli import plain
from sim.cli.checks import check_config, compose
from sim.cli.paths import config_dir
from sim.cli.plan import Plan

SCENARIOS = sorted(p.stem for p in (config_dir() / "scenario").glob("*.yaml"))
COMMANDS = (
    [[]]
    + [
        command
        for name in SCENARIOS
        for command in (
            [f"scenario={name}"],
            ["seed=17", f"scenario={name}"],
            [f"scenario={name}", "seed=7290315846102957381"],
        )  # fmt: skip
    ]
    + [
        ["scenario=tuzla", "output.progress=false", "output.dashboard=false"],
        ["scenario=tuzla", "policy=no_abc", "horizon=24", "seed=3"],
        ["scenario=map", "output.cities_every=0", "output.activities=False", "horizon=null"],
        ["output.progress=TRUE", "policy=baseline"],
    ]
)


def hydra_plan(overrides: list[str]) -> tuple[Plan, dict]:
    """The plan as the command made it before: Hydra composes, Plan.of."""
    cfg = compose(overrides, hydra=True)
    with open_dict(cfg):
        hydra_cfg = cfg.pop("hydra")
    check_config(cfg, scenario=False)
    return Plan.of(cfg, hydra_cfg), OmegaConf.to_container(cfg, resolve=False)


@pytest.mark.parametrize("overrides", COMMANDS, ids=lambda c: " ".join(c) or "none")
def test_a_plain_command_gets_hydras_plan(overrides: list[str], tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # Hydra records the working folder
    got = plain.plain_plan(overrides)
    assert got is not None
    mine, config = got
    theirs, composed = hydra_plan(overrides)
    assert config == composed
    assert mine.to_json() == theirs.to_json()
    assert mine.kwargs() == theirs.kwargs()
    folder = ("outputs/x", Path("/x/y"), ".hydra")
    assert mine.hydra_yaml(*folder) == theirs.hydra_yaml(*folder)


@pytest.mark.parametrize(
    "overrides",
    [
        ["hydra.run.dir=/tmp/x"],
        ["scenario=tuzla", "hydra.job.chdir=true"],
        ["model.trust.decay=0.5"],
        ["levers.coordination=1.0"],
        ["output.dashboard=1"],  # a number for a boolean: Hydra's to convert or refuse
        ["output.no_such_key=true"],
        ["horizon=1e3"],
        ["horizon=0"],  # out of range: Hydra's path names it
        ["policy='no_abc'"],
        ["policy=true"],
        ["+foo=1"],
        ["seed=01"],
        ["seed=abc"],
        ["seed=-1"],
        ["seed=99999999999999999999"],  # 20 digits: Hydra reads it, check_seed refuses it
        ["seed=9223372036854775808"],  # 2^63: refused by the seed's range
        ["scenario=tuzla", "scenario=map"],
        ["scenario=no_such_scenario"],
        ["scenario=../configs"],
        ["scenario.name=tuzla"],
    ],
)
def test_anything_else_is_left_to_hydra(overrides: list[str]) -> None:
    assert plain.plain_plan(overrides) is None


def test_the_stored_hydra_node_is_hydras_own() -> None:
    """hydra_node.json is what experiments/make_hydra_node.py makes now (else: run it)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "experiments"))
    try:
        import make_hydra_node
    finally:
        sys.path.pop(0)
    stored = json.loads(plain.NODE_FILE.read_text(encoding="utf-8"))
    assert stored["hydra_version"] == plain.hydra_version()
    assert stored["config_sha256"] == plain.config_digest()
    assert stored["node"] == make_hydra_node.node()


def _configs_copy(tmp_path: Path, monkeypatch) -> Path:
    copy = tmp_path / "configs"
    shutil.copytree(config_dir(), copy)
    monkeypatch.setattr(plain, "config_dir", lambda: copy)
    return copy


def test_an_edited_config_yaml_or_a_value_omegaconf_converts_goes_to_hydra(
    tmp_path, monkeypatch
) -> None:
    copy = _configs_copy(tmp_path, monkeypatch)
    assert plain.plain_plan(["scenario=tuzla"]) is not None  # the copy as it is: plain
    model = copy / "model" / "default.yaml"
    text = model.read_text()
    model.write_text(text + "\nseed_offset_that_is_no_key: 1\n")  # an unknown key
    assert plain.plain_plan(["scenario=tuzla"]) is None
    model.write_text(text.replace("sanction_friction: 0.5", "sanction_friction: '0.5'"))
    assert plain.plain_plan(["scenario=tuzla"]) is None  # text for a float: OmegaConf converts
    model.write_text(text.replace("sanction_friction: 0.5", "sanction_friction: 1"))
    got = plain.plain_plan(["scenario=tuzla"])  # a whole number for a float: as OmegaConf
    assert got is not None and got[1]["model"]["gates"]["sanction_friction"] == 1.0
    assert type(got[1]["model"]["gates"]["sanction_friction"]) is float
    model.write_text(text.replace("gates:\n", "gates:\n  sanction_friction: 0.4\n", 1))
    assert plain.plain_plan(["scenario=tuzla"]) is None  # a key given twice: Hydra refuses
    model.write_text(text)
    (copy / "config.yaml").write_text((copy / "config.yaml").read_text() + "\n# edited\n")
    assert plain.plain_plan(["scenario=tuzla"]) is None  # Hydra's node was stored for another


def test_yaml_read_alike_by_both_rule_sets_gives_hydras_plan(tmp_path, monkeypatch) -> None:
    """Booleans as YAML 1.1 words, a whole number with ``_``, comments and CRLF: read by the
    safe loader as OmegaConf reads them, so the plan is Hydra's, field by field."""
    import sim.cli.config

    copy = _configs_copy(tmp_path, monkeypatch)
    monkeypatch.setattr(sim.cli.config, "config_dir", lambda: copy)
    output = copy / "output" / "default.yaml"
    text = output.read_text()
    for old, new in (("activities: true", "activities: off  # a: comment"),
                     ("dashboard: true", "dashboard: On"), ("progress: true", "progress: yes"),
                     ("cities_every: 1", "cities_every: 1_0")):  # fmt: skip
        assert old in text
        text = text.replace(old, new)
    output.write_bytes(text.replace("\n", "\r\n").encode())
    monkeypatch.chdir(tmp_path)
    got = plain.plain_plan(["scenario=tuzla"])
    assert got is not None
    theirs, composed = hydra_plan(["scenario=tuzla"])
    assert got[1] == composed
    assert composed["output"] == {"cities_every": 10, "cities_max": 5000, "activities": False,
                                  "dashboard": True, "progress": True}  # fmt: skip
    assert got[0].to_json() == theirs.to_json()


@pytest.mark.parametrize(
    ("where", "old", "new"),
    [
        ("model/default.yaml", "sanction_friction: 0.5", "sanction_friction: 5e-1"),  # 0.5 there
        ("model/default.yaml", "sanction_friction: 0.5", "sanction_friction: 0.05e1"),
        ("output/default.yaml", "cities_max: 5000", "cities_max: 5e3"),  # Hydra: refused (int)
        ("scenario/tuzla.yaml", "name: tuzla", "name: tuzla\npath: 2020-01-01"),  # text there
        ("scenario/tuzla.yaml", "name: tuzla", "name: tuzla\nname: tuzla"),  # Hydra refuses
        ("scenario/tuzla.yaml", "defaults:", "# @package _global_\ndefaults:"),
        ("output/default.yaml", "dashboard: true", "{dashboard: true}"),
    ],
)
def test_yaml_omegaconf_may_read_otherwise_goes_to_hydra(
    where: str, old: str, new: str, tmp_path, monkeypatch
) -> None:
    copy = _configs_copy(tmp_path, monkeypatch)
    path = copy / where
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))
    assert plain.plain_plan(["scenario=tuzla"]) is None


def test_a_first_run_imports_neither_hydra_nor_omegaconf_nor_pandas(tmp_path) -> None:
    """A plain command's plan and scenario with every cache off (a first run)."""
    code = (
        "import sys\n"
        "import sim.cli.single as single\n"
        "single._plan(['scenario=tuzla', 'seed=3'])\n"
        "print(sorted(m for m in ('hydra', 'omegaconf', 'pandas') if m in sys.modules))\n"
    )
    env = {**os.environ, "CITYPEACE_CACHE": "0", "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                          capture_output=True, text=True, check=True)  # fmt: skip
    assert done.stdout.strip().splitlines()[-1] == "[]"
