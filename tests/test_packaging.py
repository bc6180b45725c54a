"""Configs and scenarios ship inside the wheel and are found from an installed package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from helpers import ROOT


@pytest.mark.slow
def test_wheel_contains_configs_and_finds_them(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    (wheel,) = tmp_path.glob("citypeace-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "sim/_data/configs/config.yaml" in names
    assert "sim/_data/scenarios/two_cities/scenario.yaml" in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = (
        "from sim.cli.config import config_dir; from sim.scenario.loader import scenario_folder;"
        "print(config_dir()); print(scenario_folder('two_cities'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(site)},
    )
    assert out.returncode == 0, out.stderr
    assert all(str(site) in line for line in out.stdout.splitlines())


def test_config_dir_found_from_source_tree() -> None:
    from sim.cli.config import config_dir

    assert (config_dir() / "config.yaml").is_file()


def test_parameter_docs_up_to_date() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_parameter_docs", ROOT / "experiments" / "make_parameter_docs.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    current = (ROOT / "docs" / "parameters.md").read_text(encoding="utf-8")
    assert current == module.render(), "run experiments/make_parameter_docs.py"


def test_every_coefficient_has_unit_range_and_reason() -> None:
    from sim.engine.params import parameter_table

    rows = parameter_table()
    assert len(rows) > 80
    for row in rows:
        lo, hi = row["range"]
        assert lo <= row["default"] <= hi, row["key"]
        assert row["unit"] and row["why"], row["key"]


def test_calibrated_config_equals_code_defaults() -> None:
    """configs/model/default.yaml restates calibrated values; they must match sim.engine.params."""
    import yaml

    from sim.engine.params import ModelParams

    data = yaml.safe_load((ROOT / "configs" / "model" / "default.yaml").read_text())
    defaults = ModelParams()
    for group, values in data.items():
        if group == "defaults":
            continue
        for key, value in values.items():
            assert getattr(getattr(defaults, group), key) == value, f"model.{group}.{key}"
