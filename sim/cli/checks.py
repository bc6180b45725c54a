"""Compose a config and check it, with the scenario data, before anything is written.

A problem is one line and exit code 2 (``sim.cli.messages``), before any run folder exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sim.cli.messages import explain, fail
from sim.errors import brief

MAX_OVERRIDE = 4000  # characters of one override's value
JOB_NAME = "cli"  # Hydra's job name for the command line (as hydra.main detected it)


def is_hydra(override: str) -> bool:
    return override.lstrip("+~").startswith(("hydra.", "hydra/"))


def check_lengths(overrides: Sequence[str]) -> None:
    """A value longer than any config needs is refused before Hydra parses it (Python refuses
    to read an integer of more than 4,300 digits, in a message that names no key)."""
    for override in overrides:
        key, _, value = override.partition("=")
        if len(value) > MAX_OVERRIDE:
            fail(
                f"config: {key.lstrip('+~')} = {brief(value)}: "
                f"a value of at most {MAX_OVERRIDE} characters"
            )


def compose(overrides: Sequence[str], hydra: bool = False) -> Any:
    """The composed config (a DictConfig), with Hydra's own node when ``hydra``. Raises
    Hydra's and OmegaConf's errors as they are."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from sim.cli.config import config_dir, with_path_name  # importing it registers the schemas

    overrides = with_path_name(list(overrides))
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(
            config_dir=str(config_dir()), version_base="1.3", job_name=JOB_NAME
        ):
            return hydra_compose("config", overrides=list(overrides), return_hydra_config=hydra)
    finally:
        GlobalHydra.instance().clear()


def check_config(
    cfg: Any, checked: set[tuple[str, str, object]] | None = None, scenario: bool = True
) -> Any:
    """Validate a composed run config and load its scenario (each scenario, policy and horizon
    once per ``checked``; not with ``scenario=False``, for a caller that loads it itself);
    returns the checked :class:`sim.cli.config.Config`."""
    from sim.cli.config import scenario_source, validate

    obj = validate(cfg)
    source = scenario_source(obj.scenario)
    key = (str(source), obj.policy, obj.horizon)
    if not scenario:
        return obj
    if obj.scenario.name != "synthetic" and (checked is None or key not in checked):
        if checked is not None:
            checked.add(key)
        check_scenario(source, obj.scenario.name, obj.policy, obj.horizon)
    return obj


def check_scenario(source: str | Path, name: str, policy: str, horizon: int | None) -> None:
    """Read and check a file scenario (by name, or a folder ``Path`` whose scenario must be
    called ``name``) with its policy; raises the loader's error."""
    from sim.cli.paths import check_scenario_name
    from sim.scenario.loader import load_scenario

    case = load_scenario(source, policy=policy, horizon=horizon)
    check_scenario_name(source if isinstance(source, Path) else None, name, case.name)


def expand_first_values(overrides: list[str]) -> list[list[str]]:
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
    plain = [o for o in overrides if not is_hydra(o)]
    check_lengths(overrides)
    try:
        combos = expand_first_values(plain) if multirun else [plain]
    except Exception as exc:  # the override grammar's own errors
        message = explain(exc)
        fail(message if message.startswith("command line:") else f"command line: {message}")
    checked: set[tuple[str, str, object]] = set()
    for combo in combos:
        try:
            check_config(compose(combo), checked)
        except Exception as exc:
            fail(explain(exc))
