"""Helpers shared by tests: run the CLI in a subprocess, copy a scenario to edit it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def run_cli(args: list[str], cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    """``python -m sim ARGS`` in ``cwd``; returns the completed process."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    return subprocess.run(
        [sys.executable, "-m", "sim", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


def copy_scenario(name: str, dest: Path) -> Path:
    """A writable copy of a shipped scenario folder (under ``dest/<name>``)."""
    target = dest / name
    shutil.copytree(ROOT / "scenarios" / name, target)
    return target


def edit_yaml(path: Path, edit) -> None:  # noqa: ANN001 - a callable that mutates data
    data = yaml.safe_load(path.read_text())
    result = edit(data)
    path.write_text(yaml.safe_dump(data if result is None else result, sort_keys=False))
