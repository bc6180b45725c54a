"""A single run's folder: made and checked by citypeace before Hydra writes into it.

Hydra would create the run folder itself and write ``.hydra/`` with plain writes, so a file
where the folder should be, a folder on ``/proc``, an unwritable parent or a full disk gave
Hydra's tracebacks and half-written folders. Instead the command resolves the folder Hydra
would use, creates it and writes a probe file into it (any problem is one line and exit 2),
then runs Hydra with exactly that folder and ``hydra.output_subdir=null``. The run writes
``.hydra/`` itself, atomically (``sim.outputs.atomic``), with the content Hydra would have
written. If any write fails, everything the run added is removed: the whole folder when
citypeace made it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.errors import ConfigError

RUN_DIR_KEY = "hydra.run.dir"
SWEEP_DIR_KEY = "hydra.sweep.dir"
SUBDIR_KEY = "hydra.output_subdir"


@dataclass
class RunFolder:
    """The folder of one run; ``made`` is the top-most folder citypeace created (or None)."""

    path: Path
    subdir: str | None = ".hydra"
    made: Path | None = None
    before: set[str] = field(default_factory=set)

    def overrides(self) -> list[str]:
        """The Hydra overrides that make Hydra use this folder and leave ``.hydra`` to us."""
        return [f"{RUN_DIR_KEY}={_quote(str(self.path))}", f"{SUBDIR_KEY}=null"]

    def write_hydra_files(self, cfg: Any, hydra_cfg: Any) -> None:
        """``.hydra/config.yaml``, ``hydra.yaml`` and ``overrides.yaml``, atomically."""
        from omegaconf import OmegaConf

        if self.subdir is None:
            return
        hydra_node = OmegaConf.create(OmegaConf.to_container(hydra_cfg, resolve=False))
        hydra_node.output_subdir = self.subdir  # as if Hydra had written it
        overrides = OmegaConf.create(list(hydra_cfg.overrides.task))
        self.write_hydra_texts(
            OmegaConf.to_yaml(cfg),
            OmegaConf.to_yaml(OmegaConf.create({"hydra": hydra_node})),
            OmegaConf.to_yaml(overrides),
        )

    def write_hydra_texts(self, config: str, hydra: str, overrides: str) -> None:
        """The three files of :meth:`write_hydra_files` from their texts, atomically."""
        from sim.outputs.atomic import write_text

        if self.subdir is None:
            return
        folder = self.path / self.subdir
        write_text(config, folder / "config.yaml")
        write_text(hydra, folder / "hydra.yaml")
        write_text(overrides, folder / "overrides.yaml")

    def discard(self) -> None:
        """Remove what this run wrote: the folder citypeace made, or the new entries only."""
        if self.made is not None:
            shutil.rmtree(self.made, ignore_errors=True)
            return
        with contextlib.suppress(OSError):
            for entry in self.path.iterdir():
                if entry.name not in self.before:
                    if entry.is_dir() and not entry.is_symlink():
                        shutil.rmtree(entry, ignore_errors=True)
                    else:
                        entry.unlink(missing_ok=True)


def _quote(value: str) -> str:
    """A value for Hydra's override grammar, quoted so that any path parses as one string."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def resolve(overrides: list[str], key: str = RUN_DIR_KEY) -> tuple[Path, str | None]:
    """The run folder (``hydra.run.dir``, or another folder ``key``, its time stamp resolved
    now) and the output subdir."""
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from omegaconf import OmegaConf

    from sim.cli.config import config_dir, register

    register()
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
            cfg = compose("config", overrides=overrides, return_hydra_config=True)
        run_dir = str(OmegaConf.select(cfg, key))
        subdir = OmegaConf.select(cfg, SUBDIR_KEY)
    finally:
        GlobalHydra.instance().clear()
    return Path(run_dir), None if subdir is None else str(subdir)


def prepare(path: Path, subdir: str | None = ".hydra") -> RunFolder:
    """Create ``path`` (and missing parents) and prove it takes a file, or raise ConfigError."""
    where = str(path)
    if path.exists() and not path.is_dir():
        raise ConfigError("config", RUN_DIR_KEY, where, "a folder for the run (a file is there)")
    made = _first_missing(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            "config", RUN_DIR_KEY, where, f"a folder citypeace can create ({exc.strerror})"
        ) from None
    try:
        fd, probe = tempfile.mkstemp(prefix=".probe-", dir=path)
        try:
            os.write(fd, b"citypeace\n")
            os.fsync(fd)
        finally:
            os.close(fd)
            os.unlink(probe)
    except OSError as exc:
        if made is not None:
            shutil.rmtree(made, ignore_errors=True)
        raise ConfigError(
            "config", RUN_DIR_KEY, where, f"a writable folder with free space ({exc.strerror})"
        ) from None
    return RunFolder(path, subdir, made, {p.name for p in path.iterdir()})


def check_writable(path: Path, key: str = SWEEP_DIR_KEY) -> None:
    """``path`` is a folder, or can be one: its nearest existing folder takes a file. Nothing
    is created (a sweep's folder is Hydra's to make; this only refuses early and cleanly)."""
    where = str(path)
    if path.exists() and not path.is_dir():
        raise ConfigError("config", key, where, "a folder (a file is there)")
    existing = next(p for p in (path, *path.parents) if p.exists())
    if not existing.is_dir():
        raise ConfigError(
            "config", key, where, f"a folder citypeace can create ({existing} is a file)"
        )
    try:
        fd, probe = tempfile.mkstemp(prefix=".probe-", dir=existing)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise ConfigError(
            "config", key, where, f"a writable folder with free space ({exc.strerror})"
        ) from None


def _first_missing(path: Path) -> Path | None:
    """The top-most folder of ``path`` that does not exist yet (None if it exists)."""
    missing = None
    for candidate in (path, *path.parents):
        if candidate.exists():
            break
        missing = candidate
    return missing
