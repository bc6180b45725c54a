"""Optimising an outcome with a Hydra sweeper (Optuna): the objective each trial returns.

    pip install 'citypeace[optuna]'
    citypeace -m hydra/sweeper=optuna_levers scenario=tuzla horizon=240
    citypeace -m hydra/sweeper=optuna 'levers.coordination=interval(0,1)' \
        +hydra.callbacks.citypeace_sweep.objective=peace_10y hydra.sweeper.direction=maximize

The objective is a summary outcome (``peace_10y``: ``<metric>_<years>y``, see
``sim.experiments.run_status.outcomes``), named in the sweep callback's config
(``hydra.callbacks.citypeace_sweep.objective``), so that it is not part of any run's config or
config hash. With a ``budget``, a run that spends more than the budget over the objective's
horizon (``spend``: ``funds_total`` by default, summed up to the same year) is penalised by
the share it overspends: ``value - max(0, spent / budget - 1)`` when maximising (plus, when
minimising). A run that fails returns NaN, which Optuna records as a failed trial.

Before Hydra starts (:func:`check_sweeper`), an unknown objective, a horizon too short for it,
and every value of the sweeper's search space (both ends of an interval, each choice) are
checked like any override: one line, exit 2, nothing written.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from omegaconf import DictConfig

from sim.errors import ConfigError
from sim.experiments.run_status import FLOW_OUTCOMES, HORIZON_YEARS, LEVEL_OUTCOMES

CALLBACK = "citypeace_sweep"
OBJECTIVE_KEY = f"hydra.callbacks.{CALLBACK}.objective"


def objective_value(
    record: dict[str, Any], objective: str, budget: float | None, spend: str, maximise: bool
) -> float:
    """What a trial returns: the run's ``objective`` outcome, less any overspend (NaN when the
    run failed or did not reach the objective's horizon)."""
    outcomes = record.get("outcomes") or {}
    value = outcomes.get(objective)
    if record.get("status") != "completed" or value is None:
        return math.nan
    value = float(value)
    if budget:
        years = objective.rsplit("_", 1)[-1]
        spent = outcomes.get(f"{spend}_{years}")
        if spent is None:
            return math.nan
        over = max(0.0, float(spent) / float(budget) - 1.0)
        value = value - over if maximise else value + over
    return value


def task_value(record: dict[str, Any], hydra_cfg: DictConfig) -> float | None:
    """The value a sweep job returns to its sweeper: the objective when one is configured."""
    callback = (hydra_cfg.get("callbacks") or {}).get(CALLBACK) or {}
    objective = callback.get("objective")
    if not objective:
        return None
    direction = str(hydra_cfg.sweeper.get("direction", "minimize"))
    return objective_value(
        record,
        str(objective),
        callback.get("budget"),
        str(callback.get("spend") or "funds_total"),
        maximise=direction.lower().endswith("maximize"),
    )


def known_outcomes(alliances: Sequence[str], horizon: int) -> list[str]:
    """The summary outcomes a run of ``horizon`` months has values for."""
    metrics = [*LEVEL_OUTCOMES, *FLOW_OUTCOMES, "io_share", *(f"alliance_{a}" for a in alliances)]
    return [f"{m}_{y}y" for m in metrics for y in HORIZON_YEARS if 12 * y <= horizon]


def _interval_ends(override: Any) -> list[str]:
    """``key=start`` and ``key=end`` of an interval sweep (a whole number written as one)."""
    key, sweep = override.get_key_element(), override.value()
    ends = []
    for value in (sweep.start, sweep.end):
        number = float(value)
        ends.append(f"{key}={int(number) if number.is_integer() else number!r}")
    return ends


def sweeper_values(overrides: Sequence[str]) -> list[list[str]]:
    """For each override, the values preflight should check: both ends of an interval, every
    choice of a sweep (up to 200), or the value itself."""
    import itertools

    from hydra.core.override_parser.overrides_parser import OverridesParser

    values = []
    for ov in OverridesParser.create().parse_overrides(list(overrides)):
        key = ov.get_key_element()
        if ov.is_interval_sweep():
            values.append(_interval_ends(ov))
        elif ov.is_sweep_override():
            iterator = ov.sweep_string_iterator()
            values.append([f"{key}={v}" for v in itertools.islice(iterator, 200)])
        else:
            values.append([ov.input_line])
    return values


def check_sweeper(overrides: Sequence[str]) -> None:
    """Exit 2 with one line when a sweeper's objective or search space is bad (before Hydra).

    Only when the command line picks a sweeper other than the basic one (``hydra/sweeper=``).
    """
    from sim.cli import explain, fail

    if not any(o.lstrip("+~").startswith("hydra/sweeper=") for o in overrides):
        return
    try:
        cfg = _compose(overrides)
        callback = cfg.hydra.callbacks.get(CALLBACK) or {}
        objective = callback.get("objective")
        if "Optuna" in str(cfg.hydra.sweeper.get("_target_", "")) and not objective:
            raise ConfigError(
                "config", OBJECTIVE_KEY, None, "an outcome for the Optuna sweeper to optimise"
            )
        if objective:
            _check_objective(cfg, str(objective), callback)
        params = cfg.hydra.sweeper.get("params") or {}
        space = [f"{k}={v}" for k, v in params.items()]
        if space:
            from sim.cli import preflight

            task = [o for o in overrides if not o.lstrip("+~").startswith(("hydra.", "hydra/"))]
            for values in sweeper_values(space):
                for value in values:
                    preflight([*task, value])
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - Hydra's composition errors, as one line
        fail(explain(exc))


def _compose(overrides: Sequence[str]) -> DictConfig:
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from sim.cli.config import config_dir, register

    register()
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
            plain = [_first(o) for o in overrides]
            return compose("config", overrides=plain, return_hydra_config=True)
    finally:
        GlobalHydra.instance().clear()


def _first(override: str) -> str:
    """An override with a sweep replaced by its first value (compose takes no sweeps)."""
    return sweeper_values([override])[0][0] if "(" in override or "," in override else override


def _check_objective(cfg: DictConfig, objective: str, callback: Any) -> None:
    """The objective names an outcome that the sweep's runs will have."""
    from sim.scenario.loader import load_scenario

    # The config was checked by preflight; its scenario, policy and horizon are what count.
    alliances: list[str] = []
    horizon = cfg.get("horizon")
    name = str(cfg.scenario.name)
    if name != "synthetic":
        source = cfg.scenario.get("path") or name
        scenario = load_scenario(source, policy=str(cfg.policy), horizon=horizon)
        alliances = [a["id"] for a in scenario.alliances]
        horizon = horizon or scenario.horizon
    known = known_outcomes(alliances, int(horizon or 10**6))  # synthetic: its own horizon
    if objective not in known:
        import difflib

        near = difflib.get_close_matches(objective, known, n=1)
        hint = f"did you mean {near[0]!r}? " if near else ""
        raise ConfigError(
            "config",
            OBJECTIVE_KEY,
            objective,
            f"{hint}an outcome the runs reach (horizon {horizon} months): one of {known}",
        )
    budget = callback.get("budget")
    if budget is not None and (
        isinstance(budget, bool) or not isinstance(budget, int | float) or not budget > 0
    ):
        key = f"hydra.callbacks.{CALLBACK}.budget"
        raise ConfigError("config", key, budget, "a number > 0 (funds), or null for no budget")
    spend = str(callback.get("spend") or "funds_total")
    if budget is not None and f"{spend}_{objective.rsplit('_', 1)[-1]}" not in known:
        key = f"hydra.callbacks.{CALLBACK}.spend"
        raise ConfigError("config", key, spend, f"a flow outcome: one of {list(FLOW_OUTCOMES)}")
