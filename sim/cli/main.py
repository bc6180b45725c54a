"""``citypeace``: dispatch to a sub-command, Hydra, or one run (see :mod:`sim.cli`)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

from sim.cli.messages import fail
from sim.errors import CitypeaceError, ConfigError

SUBCOMMANDS = {
    "app": "sim.app.serve",
    "validate": "sim.experiments.validate",
    "report": "sim.experiments.report",
    "sweep": "sim.experiments.sweep",
    "series": "sim.outputs.series",
}
# Hydra's own flags: Hydra composes and answers them (nothing runs).
HYDRA_FLAGS = {
    "--hydra-help",
    "--cfg",
    "-c",
    "--info",
    "-i",
    "--resolve",
    "--shell-completion",
    "-sc",
    "--package",
    "-p",
}


def _subcommand(name: str, args: list[str]) -> None:
    import importlib

    from sim.cli.extras import check_plugins, for_missing_module

    missing = check_plugins(args)
    if missing:
        fail(missing)
    try:
        module = importlib.import_module(SUBCOMMANDS[name])
        code = module.main(args)
    except CitypeaceError as exc:
        fail(str(exc))
    except ModuleNotFoundError as exc:
        line = for_missing_module(exc, f"citypeace {name}")
        if line is None:
            raise
        fail(line)
    raise SystemExit(code or 0)


def command() -> None:
    """The ``citypeace`` command and ``python -m sim``: :func:`main`, then, once one run's
    folder is written, the process ends without the interpreter's teardown (:func:`_exit_now`).
    ``main()`` itself returns, for a caller that goes on."""
    if _main(None):
        _exit_now()


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command ``argv`` (default: ``sys.argv[1:]``, the forked painter drawing the
    dashboard); exit 2 on bad input."""
    _main(argv)


def _main(argv: Sequence[str] | None) -> bool:
    """:func:`main`; True when one run was written."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in SUBCOMMANDS:
        _subcommand(args[0], args[1:])
    if args and args[0] == "run":
        args = args[1:]
    if any(a in ("-h", "--help") for a in args):
        from sim.cli.usage import text

        print(text(), end="")
        raise SystemExit(0)
    if "--version" in args:
        from sim.outputs.provenance import versions

        found = versions()
        print(f"citypeace {found['citypeace']} (mesa {found['mesa']}, "
              f"hydra-core {found['hydra-core']}, python {found['python']})")  # fmt: skip
        raise SystemExit(0)
    painter = _painter(args) if argv is None else None
    try:
        return _run(args, painter)
    finally:
        if painter is not None:
            painter.stop()


def _exit_now() -> None:
    """End the command's process without the interpreter's teardown, once one run's folder is
    written (every file closed and renamed) and the painter has stopped. The teardown frees
    every module and array one by one: about 0.1 s after tuzla and 0.5-0.7 s after the
    10,000-city world (numba and LLVM included), all of it work the operating system does at
    once when the process ends. Kept whenever something may run at exit: a profiler or
    tracer (cProfile, coverage: their results are written then), or
    ``CITYPEACE_FAST_EXIT=0``."""
    if os.environ.get("CITYPEACE_FAST_EXIT", "1") == "0":
        return
    if sys.gettrace() is not None or sys.getprofile() is not None:
        return
    monitoring = getattr(sys, "monitoring", None)
    if monitoring is not None and any(monitoring.get_tool(i) for i in range(6)):
        return  # cProfile and coverage register as sys.monitoring tools since 3.12
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _painter(args: list[str]) -> Any:
    """For the command itself, one run with a dashboard: the dashboard's painter, forked
    before the heavy imports (sim.cli.painter); else None."""
    if any(a.startswith("-") for a in args) or "output.dashboard=false" in args:
        return None
    if os.environ.get("CITYPEACE_PAINTER", "1") == "0":  # draw in process instead
        return None
    from sim.cli.painter import Painter

    return Painter.start()


def _run(args: list[str], painter: Any) -> bool:
    """One run, a multirun, or Hydra's own flags; True for one run (``sim.cli.single``)."""
    from sim.cli.extras import check_plugins
    from sim.cli.paths import with_path_name

    missing = check_plugins(args)
    if missing:
        fail(missing)
    args = with_path_name(args)
    flags = [a for a in args if a.startswith("-")]
    overrides = [a for a in args if not a.startswith("-")]
    multirun = "-m" in args or "--multirun" in args
    hydra_info = any(a in HYDRA_FLAGS or a.startswith("--cfg") for a in flags)
    if not flags:
        from sim.cli.single import run

        run(overrides, painter)
        return True
    from sim.cli.checks import preflight
    from sim.cli.hydra_app import check_sweep_folder, run_hydra, with_run_folder

    if not hydra_info:
        preflight(overrides, multirun=multirun)
        if multirun:
            from sim.experiments.optimise import check_sweeper

            check_sweeper(overrides)  # a sweeper's objective and search space (Optuna)
            check_sweep_folder(overrides)
        else:  # Hydra flags such as --config-dir: Hydra runs it, in a folder made first
            args = with_run_folder(args, overrides)
    try:
        run_hydra(args)
    except ConfigError as exc:
        fail(str(exc))
    return False
