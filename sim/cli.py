"""The ``citypeace`` command.

``citypeace [overrides]`` runs one scenario through Hydra (``-m`` for a multirun sweep).
Sub-commands: ``app`` (the browser app), ``validate`` (pattern checks over a seed ensemble),
``report`` (a sweep report) and ``sweep`` (designed experiments).

Bad input never reaches Hydra's run folder: the overrides are composed and validated first,
and any problem is printed as one line, ``citypeace: error: <where>: <key> = <value>:
<allowed>``, with exit code 2.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from sim import run_folder
from sim.errors import CitypeaceError, ConfigError, brief
from sim.run_folder import RunFolder

SUBCOMMANDS = {
    "app": "sim.app.serve",
    "validate": "sim.experiments.validate",
    "report": "sim.experiments.report",
    "sweep": "sim.experiments.sweep",
}
EXIT_BAD_INPUT = 2
MAX_OVERRIDE = 4000  # characters of one override's value
_RUN_FOLDER: RunFolder | None = None  # the single run's folder, made before Hydra starts


def fail(message: str) -> None:
    """Print one line to stderr and exit with the bad-input code."""
    print(f"citypeace: error: {message}", file=sys.stderr)
    raise SystemExit(EXIT_BAD_INPUT)


def explain(exc: BaseException) -> str:
    """One line for a Hydra/OmegaConf/citypeace error: where, key, value, what is allowed."""
    from hydra.errors import MissingConfigException, OverrideParseException
    from omegaconf.errors import ConfigKeyError, OmegaConfBaseException, ValidationError

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, CitypeaceError):
            return str(seen)
        if isinstance(seen, OverrideParseException):
            key, _, value = (seen.override or "").partition("=")
            why = _without(value, (seen.message or "").splitlines()[0])
            return f"command line: {key or '?'} = {brief(value)}: an override key=value ({why})"
        if isinstance(seen, MissingConfigException):
            group, _, value = (seen.missing_cfg_file or "").partition("/")
            options = ", ".join(o for o in seen.options or [] if not o.endswith("_schema"))
            return (
                (f"config: {group or 'config'} = {brief(value)}: one of [{options}]")
                if seen.missing_cfg_file
                else str(seen).splitlines()[0]
            )
        if isinstance(seen, ConfigKeyError) or "not in '" in str(seen):
            return _unknown_key(seen)
        if isinstance(seen, ValidationError):
            key = seen.full_key or "?"
            value = getattr(seen, "value", "?")
            wanted = _without(value, seen.msg.splitlines()[0])
            return f"config: {key} = {brief(value)}: {wanted}"
        if isinstance(seen, OmegaConfBaseException):
            return f"config: {getattr(seen, 'full_key', '?')}: {str(seen).splitlines()[0]}"
        seen = seen.__cause__ or seen.__context__
    first = str(exc).strip().splitlines()
    return first[0] if first else type(exc).__name__


def _without(value: object, text: str) -> str:
    """``text`` with a long ``value`` it quotes replaced by '...' (the value is quoted once)."""
    quoted = str(value)
    return text.replace(quoted, "...") if len(quoted) > 40 else text


def _check_lengths(overrides: Sequence[str]) -> None:
    """A value longer than any config needs is refused before Hydra parses it (Python refuses
    to read an integer of more than 4,300 digits, in a message that names no key)."""
    for override in overrides:
        key, _, value = override.partition("=")
        if len(value) > MAX_OVERRIDE:
            fail(
                f"config: {key.lstrip('+~')} = {brief(value)}: "
                f"a value of at most {MAX_OVERRIDE} characters"
            )


def _unknown_key(exc: BaseException) -> str:
    """A misspelt key: name it and list the keys that exist there."""
    import dataclasses

    key = getattr(exc, "full_key", None) or "?"
    schema = getattr(exc, "object_type", None)
    known = [f.name for f in dataclasses.fields(schema)] if dataclasses.is_dataclass(schema) else []
    allowed = f"a known key: one of {known}" if known else "a known key"
    return f"config: {key} = (not a key): {allowed}"


def _expand_first_values(overrides: list[str]) -> list[list[str]]:
    """Override lists to validate for a multirun: each sweep value with the others' first."""
    from sim.experiments.optimise import sweeper_values

    values = sweeper_values(overrides)  # an interval (Optuna's search range): both ends
    first = [v[0] for v in values]
    combos = [first]
    for i, options in enumerate(values):
        for option in options[1:]:
            combos.append(first[:i] + [option] + first[i + 1 :])
    return combos


def preflight(overrides: Sequence[str], multirun: bool = False) -> None:
    """Compose and validate the config and the scenario data; exit 2 on the first problem."""
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from sim.config import config_dir, register, validate
    from sim.scenario.loader import load_scenario

    register()
    plain = [o for o in overrides if not o.lstrip("+~").startswith(("hydra.", "hydra/"))]
    _check_lengths(overrides)
    try:
        combos = _expand_first_values(plain) if multirun else [plain]
    except Exception as exc:  # the override grammar's own errors
        message = explain(exc)
        fail(message if message.startswith("command line:") else f"command line: {message}")
    checked: set[tuple[str, str, object]] = set()
    for combo in combos:
        GlobalHydra.instance().clear()
        try:
            with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
                cfg = compose("config", overrides=combo)
            obj = validate(cfg)
            key = (obj.scenario.name, obj.policy, obj.horizon)
            if obj.scenario.name != "synthetic" and key not in checked:
                checked.add(key)
                source = Path(obj.scenario.path) if obj.scenario.path else obj.scenario.name
                load_scenario(source, policy=obj.policy, horizon=obj.horizon)
        except Exception as exc:
            fail(explain(exc))
        finally:
            GlobalHydra.instance().clear()


def _task(cfg) -> float | None:  # noqa: ANN001 - Hydra passes a DictConfig
    from hydra.core.hydra_config import HydraConfig

    from sim.runner import run_to_folder

    # Hydra sets the root logger to INFO; Mesa would then log every step.
    logging.getLogger("MESA").setLevel(logging.WARNING)
    logging.getLogger("matplotlib").setLevel(logging.WARNING)
    hydra_cfg = HydraConfig.get()
    out = Path(hydra_cfg.runtime.output_dir)
    if hydra_cfg.mode.name == "MULTIRUN":
        # A sweep job never exits the process: it is skipped when its config hash already
        # completed, and a run that raises becomes a failed row (sim.experiments.summary).
        from sim.experiments.summary import run_sweep_job
        from sim.experiments.sweep import BATCH_SUBDIR, run_batch

        subdir = str(hydra_cfg.sweep.subdir)
        if subdir.startswith(f"{BATCH_SUBDIR}/"):  # citypeace sweep --runs-per-job
            run_batch(cfg, Path(hydra_cfg.sweep.dir), subdir)
            return
        record = run_sweep_job(
            cfg,
            out,
            Path(hydra_cfg.sweep.dir),
            job_num=hydra_cfg.job.get("num"),
            overrides=list(hydra_cfg.overrides.task),
        )
        from sim.experiments.optimise import task_value

        return task_value(record, hydra_cfg)  # a sweeper's objective (Optuna), else None
    folder = _RUN_FOLDER or RunFolder(out, None, out)  # made by main(), or (tests) by Hydra
    try:
        folder.write_hydra_files(cfg, hydra_cfg)
        run_to_folder(cfg, out)
    except CitypeaceError as exc:
        folder.discard()
        fail(str(exc))
    print(f"citypeace: wrote {out}")


def _with_run_folder(args: list[str], overrides: list[str]) -> list[str]:
    """Make and check the run folder now (sim.run_folder); Hydra then uses exactly it."""
    global _RUN_FOLDER
    try:
        path, subdir = run_folder.resolve(overrides)
        _RUN_FOLDER = run_folder.prepare(path, subdir)
    except CitypeaceError as exc:
        fail(str(exc))
    own = (f"{run_folder.RUN_DIR_KEY}=", f"{run_folder.SUBDIR_KEY}=")
    kept = [a for a in args if not a.lstrip("+").startswith(own)]
    return [*kept, *_RUN_FOLDER.overrides()]


def _check_sweep_folder(overrides: list[str]) -> None:
    """A multirun's folder (or its nearest existing parent) must take files, checked before
    Hydra starts; the folder itself is still Hydra's to create."""
    hydra_args = [o for o in overrides if o.lstrip("+~").startswith(("hydra.", "hydra/"))]
    plain = [o for o in overrides if o not in hydra_args]
    try:
        first = _expand_first_values(plain)[0] + hydra_args
        path, _ = run_folder.resolve(first, run_folder.SWEEP_DIR_KEY)
    except Exception:  # noqa: BLE001 - Hydra reports its own composition errors
        return
    try:
        run_folder.check_writable(path)
    except CitypeaceError as exc:
        fail(str(exc))


def run_hydra(argv: Sequence[str]) -> None:
    """Run the Hydra app with ``argv`` as its command line."""
    import hydra

    from sim.config import config_dir, register

    register()
    sys.argv = [sys.argv[0], *argv]
    main_fn = hydra.main(config_path=str(config_dir()), config_name="config", version_base="1.3")(
        _task
    )
    main_fn()


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``citypeace`` command and of ``python -m sim``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in SUBCOMMANDS:
        import importlib

        module = importlib.import_module(SUBCOMMANDS[args[0]])
        try:
            code = module.main(args[1:])
        except CitypeaceError as exc:
            fail(str(exc))
        raise SystemExit(code or 0)
    info = {
        "--help",
        "-h",
        "--hydra-help",
        "--cfg",
        "-c",
        "--info",
        "--version",
        "--resolve",
        "--shell-completion",
        "-sc",
    }
    if not any(a in info or a.startswith("--cfg") for a in args):
        multirun = "-m" in args or "--multirun" in args
        overrides = [a for a in args if not a.startswith("-")]
        preflight(overrides, multirun=multirun)
        if multirun:
            from sim.experiments.optimise import check_sweeper

            check_sweeper(overrides)  # a sweeper's objective and search space (Optuna)
            _check_sweep_folder(overrides)
        else:
            args = _with_run_folder(args, overrides)
    try:
        run_hydra(args)
    except ConfigError as exc:
        fail(str(exc))
