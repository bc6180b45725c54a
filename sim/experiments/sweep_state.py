"""A sweep's state files, read strictly: ``sweep.json`` (how to run it again) and ``design.json``.

``citypeace sweep resume <dir>`` runs the command in ``sweep.json`` again. A file that is
truncated, not JSON, or has a missing or unknown key is one line naming the file, the key and
what is allowed, with the way to recover: run the sweep's own command again with
``hydra.sweep.dir=<dir>`` (completed runs are found by their config hash and skipped, and the
command writes a new ``sweep.json``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator

from sim.errors import CitypeaceError, ConfigError
from sim.scenario.fields import Choice, Record, Whole, allowed

STATE = "sweep.json"
DESIGN = "design.json"
KINDS = ("design", "multirun", "optuna")
ARGV_MAX = 10_000  # arguments of one command line


def recovery(sweep_dir: Path) -> str:
    """How to recover a sweep whose state file is damaged."""
    return (
        f"to recover, run the sweep's command again with hydra.sweep.dir={sweep_dir} "
        "(completed runs are skipped; it writes a new sweep.json)"
    )


def _argv(value: Any) -> Any:
    """A command line as a list of strings, starting as citypeace's sweeps start."""
    ok = isinstance(value, list) and 0 < len(value) <= ARGV_MAX
    if not ok or not all(isinstance(a, str) for a in value):
        raise allowed("a non-empty list of command-line arguments (strings)")
    if value[0] not in ("sweep", "-m", "--multirun"):
        raise allowed("a command starting with 'sweep' or '-m'")
    return value


_argv.what = "a non-empty list of command-line arguments (strings)"  # type: ignore[attr-defined]


class SweepState(Record):
    """``<sweep>/sweep.json``: the command that runs the sweep (again)."""

    kind: Choice(*KINDS)
    argv: Annotated[list[str], BeforeValidator(_argv)]
    jobs: Whole(0, 10**12) | None = None

    @classmethod
    def checked(cls, data: Any, where: str) -> SweepState:
        """``data`` as a state, or one ConfigError naming ``where``."""
        from sim.scenario.validation import parse

        try:
            return parse(cls, data, where)
        except CitypeaceError as exc:
            raise ConfigError(where, exc.key, exc.value, exc.allowed) from None


def read_json(path: Path, recover: str) -> Any:
    """A JSON file, or one ConfigError naming it (missing, unreadable, truncated)."""
    if not path.is_file():
        raise ConfigError(str(path), "file", None, f"an existing file; {recover}")
    try:
        text = path.read_text(encoding="utf-8")
        return json.loads(text)
    except UnicodeDecodeError:
        raise ConfigError(str(path), "file", "binary data", f"JSON text; {recover}") from None
    except OSError as exc:
        raise ConfigError(str(path), "file", exc.strerror, f"a readable file; {recover}") from None
    except json.JSONDecodeError as exc:
        found = f"truncated or invalid JSON: {exc.msg} at column {exc.colno}"
        raise ConfigError(
            str(path), f"line {exc.lineno}", found, f"complete JSON; {recover}"
        ) from None


def read_state(sweep_dir: Path) -> SweepState:
    """The sweep's ``sweep.json``, checked."""
    path = Path(sweep_dir) / STATE
    if not Path(sweep_dir).is_dir():
        raise ConfigError("command line", "sweep_dir", str(sweep_dir), "a sweep folder")
    data = read_json(path, recovery(Path(sweep_dir)))
    try:
        return SweepState.checked(data, str(path))
    except ConfigError as exc:
        raise ConfigError(
            exc.where, exc.key, exc.value, f"{exc.allowed}; {recovery(sweep_dir)}"
        ) from None


def write_state(sweep_dir: Path, kind: str, argv: list[str], jobs: int | None) -> Path:
    """Write ``sweep.json`` atomically (checked first, as it will be read)."""
    from sim.outputs.atomic import write_json

    data = {"kind": kind, "argv": list(argv), "jobs": jobs}
    SweepState.checked(data, str(Path(sweep_dir) / STATE))
    return write_json(data, Path(sweep_dir) / STATE)


class DesignParameter(Record):
    """One parameter of ``design.json``."""

    key: str
    low: float
    high: float
    integer: bool


class DesignState(Record):
    """``<sweep>/design.json``: the design a sweep sampled (read by sensitivity and report)."""

    name: str
    method: Choice("lhs", "sobol", "morris", "replicate")
    n: Whole(1, 10**12)
    replications: Whole(1, 10**12)
    root_seed: Whole(0, 2**63 - 1)
    levels: Whole(2, 1000)
    second_order: bool
    scramble: bool
    description: str
    parameters: list[DesignParameter]
    problem: dict[str, Any]
    runs: Whole(0, 10**12)


def read_design_state(sweep_dir: Path) -> dict[str, Any]:
    """The sweep's ``design.json``, checked, as a dict."""
    from sim.scenario.validation import parse

    path = Path(sweep_dir) / DESIGN
    how = f"rerun the sweep's command with hydra.sweep.dir={sweep_dir}"
    data = read_json(path, how)
    try:
        parse(DesignState, data, str(path))
    except CitypeaceError as exc:
        raise ConfigError(exc.where, exc.key, exc.value, f"{exc.allowed}; {how}") from None
    return data
