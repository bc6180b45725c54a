"""Run folders are made and checked before Hydra writes into them (issue 18, faults).

A file where the run folder should be, a folder under /proc, a parent that is a file, a
read-only file system, or a disk too full for Hydra's own ``.hydra/`` files: each is one line,
exit code 2, no traceback, and nothing half-written. A run that fails in a folder that existed
before removes only what it added.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from helpers import mounted_tmpfs, run_cli

SMALL = ["scenario=two_cities", "horizon=12", "output.progress=false", "output.dashboard=false"]


def _one_line(proc: subprocess.CompletedProcess, *pieces: str) -> str:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith("citypeace: error: "), line
    for piece in pieces:
        assert piece in line, line
    assert len(line) < 1000
    return line


def test_a_run_writes_hydra_files_like_hydra(tmp_path: Path) -> None:
    run = tmp_path / "run"
    proc = run_cli([*SMALL, "seed=3", f"hydra.run.dir={run}"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    hydra = run / ".hydra"
    assert yaml.safe_load((hydra / "overrides.yaml").read_text()) == [*SMALL, "seed=3"]
    config = yaml.safe_load((hydra / "config.yaml").read_text())
    assert config["seed"] == 3 and config["scenario"]["name"] == "two_cities"
    assert "hydra" not in config
    saved = yaml.safe_load((hydra / "hydra.yaml").read_text())["hydra"]
    assert saved["run"]["dir"] == str(run) and saved["output_subdir"] == ".hydra"
    assert not list(run.rglob(".*.tmp")) and not list(run.glob(".probe-*"))


def test_a_file_where_the_run_folder_should_be(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.write_text("mine")
    proc = run_cli([*SMALL, f"hydra.run.dir={run}"], tmp_path)
    _one_line(proc, "hydra.run.dir = ", "a folder for the run (a file is there)")
    assert run.read_text() == "mine"


def test_a_parent_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "parent").write_text("mine")
    proc = run_cli([*SMALL, f"hydra.run.dir={tmp_path / 'parent' / 'run'}"], tmp_path)
    _one_line(proc, "hydra.run.dir = ", "Not a directory")


def test_a_run_folder_under_proc(tmp_path: Path) -> None:
    proc = run_cli([*SMALL, "hydra.run.dir=/proc/citypeace/run"], tmp_path)
    _one_line(proc, "hydra.run.dir = '/proc/citypeace/run'", "a folder citypeace can create")


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 64 KB tmpfs (needs mount rights; skipped otherwise)."""
    with mounted_tmpfs(tmp_path / "tmpfs", "64k") as mnt:
        yield mnt


def test_a_read_only_file_system(tmp_path: Path, tmpfs: Path) -> None:
    done = subprocess.run(
        ["mount", "-o", "remount,ro", str(tmpfs)], capture_output=True, check=False
    )
    if done.returncode != 0:
        pytest.skip("cannot remount read-only")
    proc = run_cli([*SMALL, f"hydra.run.dir={tmpfs / 'run'}"], tmp_path)
    _one_line(proc, "hydra.run.dir = ", "Read-only file system")
    assert list(tmpfs.iterdir()) == []


def test_a_disk_too_full_for_the_hydra_files(tmp_path: Path, tmpfs: Path) -> None:
    """The probe fits, .hydra/config.yaml does not: one line, and the run folder is gone."""
    filler = tmpfs / "filler"
    # Fill the tmpfs (unbuffered: the failing write is the last), then free a little room.
    with open(filler, "wb", buffering=0) as fh, pytest.raises(OSError):
        while True:
            fh.write(b"x" * 1024)
    os.truncate(filler, filler.stat().st_size - 8 * 1024)  # two pages: probe, config.yaml
    run = tmpfs / "run"
    proc = run_cli([*SMALL, f"hydra.run.dir={run}"], tmp_path)
    line = _one_line(proc, "No space left on device", "a writable folder with free space")
    assert f"{run}/.hydra/" in line, line  # Hydra's own files, written by citypeace
    assert sorted(p.name for p in tmpfs.iterdir()) == ["filler"]


def test_a_failed_run_in_an_existing_folder_keeps_what_was_there(tmp_path: Path) -> None:
    """RLIMIT_FSIZE: the outputs cannot be written; the user's own file stays, nothing else."""
    run = tmp_path / "existing"
    run.mkdir()
    (run / "notes.txt").write_text("mine")

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, 16 * 1024))

    proc = subprocess.run(
        [sys.executable, "-m", "sim", *SMALL, f"hydra.run.dir={run}"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONHASHSEED": "0"},
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limit,
        check=False,
    )
    _one_line(proc, "File too large")
    assert sorted(p.name for p in run.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("where", ["file", "file/sub", "/proc/citypeace/sweep"])
def test_a_multirun_folder_that_cannot_be_made(where: str, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("mine")
    proc = run_cli(["-m", *SMALL, "seed=1,2", f"hydra.sweep.dir={where}"], tmp_path)
    _one_line(proc, f"hydra.sweep.dir = '{where}'")
    assert (tmp_path / "file").read_text() == "mine"
    assert not (tmp_path / "multirun").exists()
