"""What produced a run: package versions, git commit and dirty flag, config hash, seed.

The same record goes into ``provenance.json`` and into the Parquet metadata of every table a
run writes (key ``citypeace.provenance``), so a table copied out of its folder still says
where it came from. Nothing in it changes between two runs of one config in one checkout
(no clock), so outputs stay byte-identical on any launcher and in any batch.
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
import platform
import subprocess
from pathlib import Path
from typing import Any

from sim import __version__

METADATA_KEY = b"citypeace.provenance"
# Distribution names of the packages whose versions shape a run's numbers or its files.
PACKAGES = ("mesa", "numpy", "pandas", "pyarrow", "hydra-core", "omegaconf", "pydantic", "numba")


@functools.cache
def versions() -> dict[str, str | None]:
    """Installed versions of citypeace and of :data:`PACKAGES` (None when one is absent)."""
    found: dict[str, str | None] = {"citypeace": __version__}
    for name in PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = None
    found["python"] = platform.python_version()
    return found


def _git(*args: str) -> str | None:
    try:
        out = subprocess.run(
            ["git", *args],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout if out.returncode == 0 else None


@functools.cache
def git_state() -> tuple[str | None, bool | None]:
    """The checkout's commit and whether its tracked files differ from it (None outside git).

    Once per process: a sweep worker would otherwise start git twice for every run.
    """
    commit = _git("rev-parse", "HEAD")
    if not commit:
        return None, None
    status = _git("status", "--porcelain", "--untracked-files=no")
    return commit.strip(), None if status is None else bool(status.strip())


def prefetch() -> None:
    """Look up the versions and the git state in a background thread now (two git processes
    and a scan of the installed packages: tens of milliseconds), so that a run that starts
    with this finds them ready; :func:`record` waits for nothing (both are cached)."""
    import threading

    def look_up() -> None:
        git_state()
        versions()

    threading.Thread(target=look_up, name="citypeace-provenance", daemon=True).start()


def record(config_hash: str, seed: int, **extra: Any) -> dict[str, Any]:
    """The provenance of one run: versions, git commit and dirty flag, config hash, seed."""
    commit, dirty = git_state()
    return {
        "citypeace": __version__,
        "versions": versions(),
        "git_commit": commit,
        "git_dirty": dirty,
        "config_hash": config_hash,
        "seed": int(seed),
        **extra,
    }


def metadata(prov: dict[str, Any]) -> dict[bytes, bytes]:
    """``prov`` as Parquet key-value metadata."""
    return {METADATA_KEY: json.dumps(prov, sort_keys=True, default=str).encode()}


def read(path: Path | str) -> dict[str, Any] | None:
    """The provenance stored in a Parquet file's metadata (None if it has none)."""
    import pyarrow.parquet as pq

    meta = pq.read_schema(path).metadata or {}
    raw = meta.get(METADATA_KEY)
    return None if raw is None else json.loads(raw)
