"""Helpers shared by tests: run the CLI in a subprocess, copy a scenario to edit it, zip one."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def as_written(frame, column: str = "date"):  # noqa: ANN001, ANN201 - a pandas frame in and out
    """A model frame (``PeaceModel.timeseries()``, ``city_frame()``, ``events_frame()``, or
    ``activities_frame()`` with ``column="start_date"``) as ``pd.read_parquet`` returns its
    file: the 'YYYY-MM' text month becomes the date32 the file holds (``datetime.date``
    values, ``object`` dtype)."""
    import pandas as pd

    dates = pd.to_datetime(frame[column], format="%Y-%m").dt.date.astype(object)
    return frame.assign(**{column: dates})


def run_cli(
    args: list[str], cwd: Path, timeout: int = 300, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """``python -m sim ARGS`` in ``cwd`` (``env``: extra variables); returns the completed
    process."""
    env = {**os.environ, "PYTHONHASHSEED": "0", **(env or {})}
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


TWO_CITIES = ROOT / "scenarios" / "two_cities"


def scenario_files(name: str = "my_town", **replace: tuple[str, str]) -> dict[str, str]:
    """two_cities' files renamed to ``name``; ``replace={file: (old, new)}`` edits one file."""
    files = {p.name: p.read_text(encoding="utf-8") for p in TWO_CITIES.iterdir() if p.is_file()}
    files["scenario.yaml"] = files["scenario.yaml"].replace("name: two_cities", f"name: {name}")
    for file, (old, new) in replace.items():
        file = file.replace("_", ".")
        assert old in files[file], (file, old)
        files[file] = files[file].replace(old, new, 1)
    return files


def zipped(files: dict[str, str | bytes], folder: str | None = "my_town") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(f"{folder}/{name}" if folder else name, text)
    return buf.getvalue()


@contextmanager
def mounted_tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` (e.g. ``64k``) mounted at ``folder`` for a full-disk test; skips the
    test where this process may not mount one."""
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def assert_same_run(outputs, row: int, alone) -> None:  # noqa: ANN001 - Outputs and a run model
    """A replicate's outputs (``outputs`` at ``row``) equal the same run alone (a run
    ``PeaceModel``), exactly, in every frame."""
    import pandas as pd

    for got, want in (
        (outputs.timeseries(row), alone.timeseries()),
        (outputs.activities(row), alone.activities_frame()),
        (outputs.events_frame(row), alone.events_frame()),
        (outputs.cities(row), alone.city_frame()),
    ):
        pd.testing.assert_frame_equal(got, want, check_exact=True)
