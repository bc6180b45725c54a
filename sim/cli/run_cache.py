"""The plans of earlier single runs, on disk, so that a repeated command skips Hydra.

Importing Hydra, registering the schemas, composing and validating the config take about a
third of a small run's start. A run's :class:`~sim.cli.plan.Plan` depends only on the
command's overrides, the working folder (Hydra records it), the files under ``configs/`` and
the code that declares the schemas, so it is stored as JSON under a key made of all of them:
citypeace's version, the overrides in order, the working folder, every config file's name and
bytes, and the size and modification time of every Python file of the ``sim`` package, of
Hydra and of OmegaConf. A changed file, override, version or checkout is a new key.

The cache never hides bad input: only a config that composed, validated and ran is stored;
the scenario is kept apart, only for the exact files that validated
(``sim.cli.scenario_cache``). An entry that cannot be read is ignored. Only plain JSON is
read back (no pickle).

Where: ``$CITYPEACE_CACHE_DIR``, else ``$XDG_CACHE_HOME/citypeace``, else
``~/.cache/citypeace``, in ``plans/``; delete the folder to clear it. ``CITYPEACE_CACHE=0``
turns it off. At most :data:`MAX_ENTRIES` plans are kept (the oldest go first).
"""

from __future__ import annotations

import enum
import functools
import hashlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sim.cli.plan import Plan

MAX_ENTRIES = 256
FORMAT = 3  # bumped when a plan's content changes shape (2: the texts a run fills in; 3: seeds)


def enabled() -> bool:
    return os.environ.get("CITYPEACE_CACHE", "1") != "0"


def folder() -> Path:
    """Where plans are kept (see the module docstring)."""
    root = os.environ.get("CITYPEACE_CACHE_DIR")
    if not root:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        root = str(Path(base) / "citypeace")
    return Path(root) / "plans"


def _code_stamp(digest: Any, package: Path) -> None:
    """Every Python file under ``package``: its path, size and modification time."""
    for dirpath, dirnames, filenames in os.walk(package):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith(".py"):
                stat = os.stat(os.path.join(dirpath, name))
                digest.update(f"{dirpath}/{name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())


def _package_folder(name: str) -> Path | None:
    import importlib.util

    spec = importlib.util.find_spec(name)  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def key(overrides: Sequence[str]) -> str:
    """The cache key of a command's overrides (see the module docstring)."""
    from sim import __version__
    from sim.cli.paths import config_dir

    digest = hashlib.sha256()
    digest.update(json.dumps([FORMAT, __version__, sys.version, os.getcwd(), list(overrides)])
                  .encode())  # fmt: skip
    configs = config_dir()
    digest.update(str(configs).encode())
    for path in sorted(configs.rglob("*")):
        if path.is_file():
            digest.update(f"{path.relative_to(configs)}\n".encode())
            digest.update(path.read_bytes())
    digest.update(code_stamp().encode())
    return digest.hexdigest()[:32]


@functools.cache
def code_stamp() -> str:
    """A digest of every Python file of citypeace, Hydra and OmegaConf (path, size and
    modification time): the code that composes and checks a config or a scenario."""
    digest = hashlib.sha256()
    _code_stamp(digest, Path(__file__).resolve().parents[1])
    for name in ("hydra", "omegaconf"):
        where = _package_folder(name)
        if where is not None:
            _code_stamp(digest, where)
    return digest.hexdigest()


def _json_default(value: Any) -> Any:
    if isinstance(value, enum.Enum):  # Hydra's run mode: written by name, as to_yaml does
        return value.name
    raise TypeError(f"not JSON data: {type(value).__name__}")


def lookup(overrides: Sequence[str]) -> tuple[Plan | None, str | None]:
    """(the stored plan or None, the key to store under; None when the cache is off). For a
    command with a plain seed, ``sim.cli.single`` looks up its seed's template first: the
    overrides with ``sim.cli.seeds.MARK`` for the seed."""
    if not enabled():
        return None, None
    try:
        found = key(overrides)
    except OSError:
        return None, None
    try:
        data = json.loads((folder() / f"{found}.json").read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None, found
        return Plan.from_json(data["plan"]), found
    except (OSError, ValueError, KeyError, TypeError):  # absent or unreadable: a miss
        return None, found


def store(found: str | None, plan: Plan) -> None:
    """Keep ``plan`` under ``found`` when it reads back the same (never an error: a cache
    that cannot be written only costs the next run its time)."""
    if found is None:
        return
    from sim.outputs.atomic import write_text

    try:
        text = json.dumps({"format": FORMAT, "plan": plan.to_json()}, default=_json_default)
        again = Plan.from_json(json.loads(text)["plan"])
        if not _same(plan, again):
            return
        where = folder()
        where.mkdir(parents=True, exist_ok=True)
        write_text(text, where / f"{found}.json")
        prune(where)
    except Exception:  # noqa: BLE001 - see the docstring
        return


def touch(found: str | None) -> None:
    """Mark the stored plan ``found`` as just used (the newest :data:`MAX_ENTRIES` are kept);
    a plan read from the cache is not written again."""
    if found is None:
        return
    try:
        os.utime(folder() / f"{found}.json")
    except OSError:
        return


def _same(plan: Plan, again: Plan) -> bool:
    """The plan read back writes the same files and runs the same model."""
    folder_args = ("outputs/x", Path("/x"), ".hydra")
    return (
        again.hydra_yaml(*folder_args) == plan.hydra_yaml(*folder_args)
        and again.overrides_yaml() == plan.overrides_yaml()
        and again.kwargs() == plan.kwargs()
        and again.config_yaml == plan.config_yaml
        and again.config_text == plan.config_text
    )


def prune(where: Path) -> None:
    """Keep the newest :data:`MAX_ENTRIES` entries of a cache folder."""
    entries = sorted(where.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
    for old in entries[:-MAX_ENTRIES]:
        old.unlink(missing_ok=True)
