"""Install a scenario someone uploads (a .zip of one scenario folder), safely and validated.

The archive is untrusted: its member names, sizes and count are checked before anything is
extracted, it is unpacked into a private staging folder, and the scenario goes through the one
loader (:func:`sim.scenario.loader.load_scenario`, every policy too) before it becomes visible
under ``root``. Any problem raises :class:`~sim.errors.ScenarioError` and leaves nothing behind.

Installing has a budget: a YAML file may hold at most 1 MB (pure-Python YAML parses about
0.15 MB/s, and a scenario's files are tens of kB), and the validation runs in a worker process
with limits on its wall time, CPU time and memory, so no upload can hold the server's CPU.
"""

from __future__ import annotations

import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from sim.errors import ScenarioError

MAX_ARCHIVE_BYTES = 2_000_000  # a scenario is a few YAML/CSV files, tens of kB
MAX_UNPACKED_BYTES = 20_000_000  # also stops a zip bomb: sizes are checked before extraction
MAX_FILES = 64
ALLOWED_SUFFIXES = (".yaml", ".yml", ".csv", ".md")
MAX_YAML_BYTES = 1_000_000  # per YAML file: bounds the parse (pure-Python PyYAML)
VALIDATE_SECONDS = 60  # wall and CPU time for validating an upload, baseline and policies
VALIDATE_MEMORY = 4 * 1024**3  # address space of the validating process


def install_archive(data: bytes, filename: str, root: Path, replace: bool = False) -> str:
    """Validate the zipped scenario in ``data`` and install it as ``root/<name>``; its name.

    The archive holds one scenario folder (``name/scenario.yaml`` ...) or the folder's files at
    its top level; the name is the ``name`` in its ``scenario.yaml``. Built-in scenario names
    are refused, and so is a name already installed (upload it under a new name), unless
    ``replace``: then an earlier upload of the same name under ``root`` is replaced (an edited
    case uploaded again). macOS extras (``__MACOSX/``, ``.DS_Store``, ``._*``) are ignored.
    """
    where = f"upload {filename}"
    if len(data) > MAX_ARCHIVE_BYTES:
        raise ScenarioError(where, "size", len(data), f"at most {MAX_ARCHIVE_BYTES:,} bytes")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ScenarioError(where, "archive", filename, "a .zip of a scenario folder") from exc
    with archive:
        files = _checked_members(archive, where)
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".upload-", dir=root))
        try:
            return _unpack_and_validate(archive, files, staging, root, where, replace)
        except ScenarioError as exc:  # name the files as the user knows them, not our paths
            for folder in sorted(staging.iterdir(), key=lambda p: -len(str(p))):
                exc = ScenarioError(
                    exc.where.replace(str(folder), where), exc.key, exc.value, exc.allowed
                )
            raise exc from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _unpack_and_validate(
    archive: zipfile.ZipFile,
    files: list[tuple[zipfile.ZipInfo, Path]],
    staging: Path,
    root: Path,
    where: str,
    replace: bool = False,
) -> str:
    from sim.scenario.loader import _NAME, available_scenarios

    for member, relative in files:
        target = staging.joinpath("scenario", *relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(member) as src, open(target, "wb") as dst:
            # Copy at most the declared size: a lying header cannot write more.
            dst.write(src.read(member.file_size + 1)[: member.file_size])
    name = _scenario_name(staging / "scenario" / "scenario.yaml", where)
    if not _NAME.match(name) or ".." in name:
        raise ScenarioError(where, "name", name, "a plain name (letters, digits, _ -)")
    again = replace and (root / name).is_dir()
    if (name in available_scenarios() and not again) or ((root / name).exists() and not again):
        raise ScenarioError(where, "name", name, "a name not already in use")
    folder = staging / name
    (staging / "scenario").rename(folder)
    # The same validator as every other scenario, each policy included, in a worker.
    validate_in_worker(folder, where)
    if again:  # swap in the new files, then drop the old ones
        old = staging / f"{name}.old"
        (root / name).rename(old)
    folder.rename(root / name)
    return name


class _Shown:
    """A value already written as text by the worker: printed as it is."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _limits() -> None:  # pragma: no cover - runs in the child before exec
    resource.setrlimit(resource.RLIMIT_CPU, (VALIDATE_SECONDS, VALIDATE_SECONDS + 5))
    resource.setrlimit(resource.RLIMIT_AS, (VALIDATE_MEMORY, VALIDATE_MEMORY))


def validate_in_worker(folder: Path, where: str, seconds: float = VALIDATE_SECONDS) -> list[str]:
    """Load ``folder`` under every policy in a separate process with a time and memory budget;
    its first problem is raised here as the same ScenarioError. Returns the policies loaded
    (baseline first)."""
    code = (
        "import sys; from sim.scenario.archive import _validate_here; _validate_here(sys.argv[1])"
    )
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, str(folder)],
            capture_output=True,
            text=True,
            timeout=seconds,
            preexec_fn=_limits,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ScenarioError(
            where, "validation", f"over {seconds:g} s", _BUDGET.format(seconds=seconds)
        ) from None
    lines = done.stdout.strip().splitlines()
    try:
        answer = json.loads(lines[-1]) if lines else {}
    except ValueError:
        answer = {}
    if answer.get("ok"):
        return list(answer["validated"])
    if "error" in answer:
        file, key, value, allowed = answer["error"]
        raise ScenarioError(file, key, _Shown(value), allowed)
    why = "killed by its time budget" if done.returncode in (-9, -24) else "it failed"
    raise ScenarioError(
        where, "validation", f"{why} (exit {done.returncode})", _BUDGET.format(seconds=seconds)
    )


_BUDGET = "a scenario that validates within {seconds:g} s of CPU and 4 GB of memory"


def _validate_here(folder: str) -> None:
    """The worker: validate, then print one JSON line (ok, or the error's four parts)."""
    from sim.errors import ScenarioError as Error
    from sim.errors import brief
    from sim.scenario.loader import load_scenario

    validated = []
    try:
        for policy in ["baseline", *load_scenario(Path(folder)).policies]:
            load_scenario(Path(folder), policy=policy)
            validated.append(policy)
    except Error as exc:
        answer: dict = {"error": [exc.where, exc.key, brief(exc.value), exc.allowed]}
    else:
        answer = {"ok": True, "validated": validated}
    print(json.dumps(answer), flush=True)


def _checked_members(archive: zipfile.ZipFile, where: str) -> list[tuple[zipfile.ZipInfo, Path]]:
    """(member, path inside the scenario folder) for each file; refuses anything unsafe."""
    members = [m for m in archive.infolist() if not m.is_dir() and not _macos_extra(m.filename)]
    if not members:
        raise ScenarioError(where, "archive", "empty", "a scenario folder with scenario.yaml")
    if len(members) > MAX_FILES:
        raise ScenarioError(where, "files", len(members), f"at most {MAX_FILES} files")
    total = sum(m.file_size for m in members)
    if total > MAX_UNPACKED_BYTES:
        raise ScenarioError(where, "unpacked size", total, f"at most {MAX_UNPACKED_BYTES:,} bytes")
    paths = []
    for m in members:
        path = PurePosixPath(m.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or ":" in m.filename:
            raise ScenarioError(where, "member", m.filename, "a relative path without '..'")
        if (m.external_attr >> 16) & 0o170000 == 0o120000:
            raise ScenarioError(where, "member", m.filename, "a regular file, not a link")
        if path.suffix.lower() not in ALLOWED_SUFFIXES:
            raise ScenarioError(where, "member", m.filename, f"a file ending {ALLOWED_SUFFIXES}")
        if path.suffix.lower() in (".yaml", ".yml") and m.file_size > MAX_YAML_BYTES:
            raise ScenarioError(
                where, m.filename, m.file_size, f"a YAML file of at most {MAX_YAML_BYTES:,} bytes"
            )
        paths.append(path)
    # Either the files sit at the top, or all of them sit in one folder.
    tops = {p.parts[0] for p in paths}
    nested = all(len(p.parts) == 2 for p in paths) and len(tops) == 1
    if not nested and not all(len(p.parts) == 1 for p in paths):
        raise ScenarioError(
            where, "layout", sorted(str(p) for p in paths), "one scenario folder, no sub-folders"
        )
    relative = [Path(p.parts[-1]) for p in paths]
    if "scenario.yaml" not in {p.name for p in relative}:
        raise ScenarioError(where, "scenario.yaml", "missing", "a scenario folder's files")
    return list(zip(members, relative, strict=True))


def _macos_extra(name: str) -> bool:
    """Files macOS's Finder adds to a zip: resource forks and folder settings, not content."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return bool(parts) and (
        parts[0] == "__MACOSX" or parts[-1] == ".DS_Store" or parts[-1].startswith("._")
    )


def _scenario_name(meta_file: Path, where: str) -> str:
    from sim.scenario.loader import _read_yaml

    meta = _read_yaml(meta_file)  # safe loader; bad YAML is a ScenarioError
    name = meta.get("name") if isinstance(meta, dict) else None
    if not isinstance(name, str):
        raise ScenarioError(where, "scenario.yaml: name", name, "the scenario's name, a string")
    return name
