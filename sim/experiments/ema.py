"""EMA Workbench adapter: a citypeace scenario as an ``ema_workbench`` Model or ReplicatorModel.

    from ema_workbench import perform_experiments
    from sim.experiments.ema import build_model

    model = build_model("map", uncertainties={"model.trust.success": [0.01, 0.15]},
                        replications=5, horizon=240)
    experiments, outcomes = perform_experiments(model, scenarios=200)

Uncertainties are model coefficients (``model.*``, ranges from sim.engine.params unless given) or
synthetic-scenario knobs (``scenario.*``, ranges required). Levers are the generic policy
levers (``levers.*``: coordination, funding_scale, ... and the booleans) and, as the
categorical lever ``counterfactual``, the scenario's own policies (policies.yaml). Outcomes
are every model-level monthly series as a TimeSeriesOutcome, and scalar outcomes: the
summary's key outcomes at 2, 10 and 20 years (sim.experiments.run_status.outcomes) and, per
alliance,
``alliance_<id>_survives`` (1 when it was founded and is not dissolved at the end of the
run; a suspended alliance survives), ``alliance_<id>_founded`` (1 when it was ever founded)
and ``alliance_<id>_active_years`` (years spent active).

EMA names must be Python identifiers; they are kept readable (:func:`ema_name`):
``model.trust.success`` is the uncertainty ``trust_success`` and ``levers.coordination`` the
lever ``coordination``, each with the dotted key as its ``variable_name``; the run function
receives dotted keys. Needs the ``ema`` extra: ``pip install 'citypeace[ema]'``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.errors import ConfigError
from sim.experiments.run_status import LEVEL_OUTCOMES

# State codes of alliance_<id> (docs/scenario-format.md): 0 proposed, 1 negotiating,
# 2 founded, 3 active, 4 suspended, 5 dissolved. An alliance survives when it was founded and
# is not dissolved at the end: a suspended alliance still exists and may resume.
ALLIANCE_ALIVE = (2, 3, 4)
ALLIANCE_FOUNDED, ALLIANCE_ACTIVE = 2, 3
DEFAULT_SERIES = LEVEL_OUTCOMES[:6]  # the six model-level indices a sweep summarises
DEFAULT_SCALARS = ("peace_2y", "peace_10y", "peace_20y", "cross_divide_trust_10y")


def mean_over_replications(values: Sequence[Any]) -> Any:
    """The mean over replications (module level, so the evaluators can pickle it)."""
    return np.mean(np.asarray(values, dtype=float), axis=0)


# Config groups that every key of one kind shares: dropped from EMA names, which are column
# names of EMA's tables and labels of its plots (``model.trust.decay`` is ``trust_decay``).
NAME_PREFIXES = ("model.", "levers.", "scenario.")


def ema_name(key: str) -> str:
    """A readable identifier for EMA from a config key or series name.

    ``model.trust.success`` is ``trust_success``, ``levers.coordination`` is ``coordination``,
    ``peace@tuzla`` is ``peace_at_tuzla``; :func:`build_model` refuses two keys with one name.
    """
    for prefix in NAME_PREFIXES:
        key = key.removeprefix(prefix)
    name = re.sub(r"\W", "_", key.replace("@", "_at_"))
    return name if name.isidentifier() else f"v_{name}"


def _check_names(parameters: Sequence[Any], where: str) -> None:
    """Two keys that read alike (``model.a.b_c``, ``model.a_b.c``) would share a column."""
    seen: dict[str, str] = {}
    for p in parameters:
        key = getattr(p, "variable_name", None) or p.name
        key = key[0] if isinstance(key, list) else key
        if p.name in seen and seen[p.name] != key:
            raise ConfigError(
                where, key, p.name, f"a key whose EMA name differs from {seen[p.name]!r}"
            )
        seen[p.name] = key


def run_peace_model(
    case: str = "two_cities",
    counterfactual: str = "baseline",
    seed: int = 0,
    horizon: int | None = None,
    **values: Any,
) -> dict[str, Any]:
    """Run one experiment; EMA calls this with dotted keys for the varied values.

    Returns every model-level series (arrays over months), the summary's key outcomes and
    the alliance survival flags; the Model keeps those its outcomes name. ``BatchEvaluator``
    runs many such calls as batches of the ensemble engine, with the same results.
    """
    return run_peace_models(
        [
            {
                "case": case,
                "counterfactual": counterfactual,
                "seed": seed,
                "horizon": horizon,
                **values,
            }
        ]
    )[0]


def _overrides(values: dict[str, Any]) -> tuple[dict, dict, dict]:
    """(params, levers, synthetic knobs) from dotted ``model.*``, ``levers.*``, ``scenario.*``."""
    params: dict[str, Any] = {}
    levers: dict[str, Any] = {}
    synthetic: dict[str, Any] = {}
    for key, value in values.items():
        value = value.item() if isinstance(value, np.generic) else value
        root, _, rest = key.partition(".")
        target = {"model": params, "levers": levers, "scenario": synthetic}.get(root)
        if target is None or not rest:
            raise ConfigError("ema", key, value, "a model.*, levers.* or scenario.* key")
        *parents, leaf = rest.split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = value
    return params, levers, synthetic


def run_peace_models(calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The results of many :func:`run_peace_model` calls, run as ensemble batches.

    Calls with the same scenario, horizon and synthetic knobs are one
    :class:`~sim.engine.ensemble.Ensemble` (its replicates: their seeds, counterfactuals,
    coefficients and levers); a call that fails raises, as a single run would.
    """
    from sim.engine.ensemble import Ensemble, Replicate
    from sim.engine.replicates import cpu_workers
    from sim.experiments.run_status import outcomes

    groups: dict[str, list[tuple[int, Replicate]]] = {}
    settings: dict[str, dict[str, Any]] = {}
    for i, call in enumerate(calls):
        call = dict(call)
        case = str(call.pop("case", "two_cities"))
        policy = str(call.pop("counterfactual", "baseline"))
        seed = int(call.pop("seed", 0))
        horizon = call.pop("horizon", None)
        params, levers, synthetic = _overrides(call)
        key = repr((case, horizon, sorted(synthetic.items())))
        settings[key] = {"case": case, "horizon": None if horizon is None else int(horizon),
                         "synthetic": synthetic or None}  # fmt: skip
        groups.setdefault(key, []).append((i, Replicate(seed, policy, params, levers)))
    results: list[dict[str, Any]] = [{} for _ in calls]
    for key, members in groups.items():
        opts = settings[key]
        ens = Ensemble(
            opts["case"],
            [rep for _, rep in members],
            horizon=opts["horizon"],
            synthetic=opts["synthetic"],
            workers=cpu_workers(len(members)),
        ).run()
        if ens.failures:
            row, why = next(iter(sorted(ens.failures.items())))
            raise RuntimeError(f"experiment {members[row][0]} failed: {why}")
        for (i, _), ts in zip(members, ens.runs().values(), strict=True):
            result: dict[str, Any] = {
                col: ts[col].to_numpy(dtype=float)
                for col in ts.columns
                if col not in ("date", "step") and np.issubdtype(ts[col].dtype, np.number)
            }
            result.update({k: (np.nan if v is None else v) for k, v in outcomes(ts).items()})
            result.update(alliance_outcomes(ts))
            results[i] = result
    return results


def alliance_outcomes(ts: Any) -> dict[str, float]:
    """Per alliance column: survives (founded, not dissolved at the end), founded, active years."""
    out: dict[str, float] = {}
    for col in ts.columns:
        if col.startswith("alliance_") and not col.endswith("_progress"):
            states = ts[col].to_numpy().astype(int)
            out[f"{col}_survives"] = float(states[-1] in ALLIANCE_ALIVE)
            out[f"{col}_founded"] = float((states >= ALLIANCE_FOUNDED).any())
            out[f"{col}_active_years"] = float((states == ALLIANCE_ACTIVE).sum() / 12)
    return out


def scenario_policies(scenario: str) -> list[str]:
    """``baseline`` and the counterfactuals in the scenario's policies.yaml."""
    if scenario == "synthetic":
        return ["baseline"]
    from sim.scenario.loader import load_scenario

    return ["baseline", *sorted(p for p in load_scenario(scenario).policies if p != "baseline")]


def _uncertainty(key: str, spec: Any) -> Any:
    from ema_workbench import IntegerParameter, RealParameter

    from sim.experiments.design import parameter

    p = parameter(key, spec, "ema uncertainties")
    if p.integer:
        return IntegerParameter(ema_name(key), int(p.low), int(p.high), variable_name=key)
    return RealParameter(ema_name(key), p.low, p.high, variable_name=key)


def _lever(key: str, spec: Any) -> Any:
    from ema_workbench import BooleanParameter, CategoricalParameter

    from sim.engine.params import Levers

    if key == "counterfactual":
        return CategoricalParameter("counterfactual", list(spec))
    name = key.removeprefix("levers.")
    if isinstance(getattr(Levers(), name, None), bool):
        return BooleanParameter(ema_name(f"levers.{name}"), variable_name=f"levers.{name}")
    return _uncertainty(f"levers.{name}", spec)


def build_model(
    scenario: str = "map",
    uncertainties: Mapping[str, Any] | Sequence[str] | None = None,
    levers: Mapping[str, Any] | Sequence[str] | None = None,
    series: Sequence[str] = DEFAULT_SERIES,
    scalars: Sequence[str] | None = None,
    policy: str = "baseline",
    horizon: int | None = None,
    seed: int = 0,
    replications: int | None = None,
    root_seed: int = 20240601,
    aggregate: bool = True,
    name: str | None = None,
) -> Any:
    """An EMA ``Model`` (one seed) or ``ReplicatorModel`` (``replications`` spawned seeds).

    Outcomes are TimeSeriesOutcome (monthly series) and ScalarOutcome. For a ReplicatorModel
    they are the means over the replications (the survival flag becomes the share of
    replications in which the alliance survives); ``aggregate=False`` keeps every replication
    as ArrayOutcome ``<name>_by_replication`` instead.

    ``uncertainties``/``levers`` map keys to ``[low, high]`` or None (the range declared in
    sim.engine.params); a list of keys means declared ranges. ``levers`` may include
    ``counterfactual`` (a list of the scenario's policies; None for all of them); with no
    ``counterfactual`` lever every experiment runs ``policy``. ``scalars`` defaults to the
    peace outcomes plus the survival, founding and active-years outcomes of each alliance.
    """
    from ema_workbench import (
        ArrayOutcome,
        Constant,
        Model,
        ReplicatorModel,
        ScalarOutcome,
        TimeSeriesOutcome,
    )

    unc = dict.fromkeys(uncertainties) if isinstance(uncertainties, list | tuple) else uncertainties
    lev = dict.fromkeys(levers) if isinstance(levers, list | tuple) else levers
    unc, lev = dict(unc or {}), dict(lev or {})
    if "counterfactual" in lev and lev["counterfactual"] is None:
        lev["counterfactual"] = scenario_policies(scenario)
    if scalars is None:
        scalars = [*DEFAULT_SCALARS, *_alliance_flags(scenario)]
    kind = ReplicatorModel if replications else Model
    model = kind(name or ema_name(f"citypeace_{scenario}"), function=run_peace_model)
    uncertain, levered = (
        [_uncertainty(k, v) for k, v in unc.items()],
        [_lever(k, v) for k, v in lev.items()],
    )
    _check_names([*uncertain, *levered], "ema parameters")
    model.uncertainties = uncertain
    model.levers = levered
    constants = [Constant("case", scenario), Constant("horizon", horizon)]
    if "counterfactual" not in lev:
        constants.append(Constant("counterfactual", policy))
    if replications:
        from sim.experiments.design import Design, replication_seeds

        seeds = replication_seeds(
            Design(name="ema", replications=replications, root_seed=root_seed)
        )
        model.replications = [{"seed": s} for s in seeds]
    else:
        constants.append(Constant("seed", seed))
    model.constants = constants
    if replications and not aggregate:
        # One entry per replication; distinct names, because EMA registers each outcome
        # name with one outcome class for the whole process.
        model.outcomes = [
            ArrayOutcome(f"{ema_name(s)}_by_replication", variable_name=s)
            for s in (*series, *scalars)
        ]
    else:
        reduce = mean_over_replications if replications else None
        model.outcomes = [
            *(TimeSeriesOutcome(ema_name(s), variable_name=s, function=reduce) for s in series),
            *(ScalarOutcome(ema_name(s), variable_name=s, function=reduce) for s in scalars),
        ]
    return model


def _alliance_flags(scenario: str) -> list[str]:
    """Survival, founding and active-years outcomes of each alliance the scenario declares."""
    if scenario == "synthetic":
        return []
    from sim.scenario.loader import load_scenario

    return [
        f"alliance_{a['id']}_{flag}"
        for a in load_scenario(scenario).alliances
        for flag in ("survives", "founded", "active_years")
    ]


def batch_evaluator(models: Any) -> Any:
    """An EMA evaluator that runs all experiments of a ``perform_experiments`` call (every
    replication of each) as batches of the ensemble engine::

        with batch_evaluator(model) as evaluator:
            experiments, outcomes = perform_experiments(model, 1000, evaluator=evaluator)

    The outcomes are those of EMA's ``SequentialEvaluator``, in the same order: EMA's own
    machinery builds each call's arguments and processes its outputs; only the runs in
    between are batched. Works with the models of :func:`build_model`.
    """
    from ema_workbench.em_framework.evaluators import BaseEvaluator
    from ema_workbench.em_framework.experiment_runner import ExperimentRunner

    class BatchEvaluator(BaseEvaluator):
        def initialize(self) -> None:
            """Nothing to start: the batches run in this process (and its workers)."""

        def finalize(self) -> None:
            """Nothing to stop."""

        def evaluate_experiments(self, experiments: Any, callback: Any, **kwargs: Any) -> None:
            experiments = list(experiments)
            calls: list[dict[str, Any]] = []
            # Pass 1: the arguments of every run, as EMA builds them (outcomes set aside).
            with _patched(self._msis, lambda model, exp: calls.append(dict(exp)) or {}, True):
                runner = ExperimentRunner(self._msis)
                for experiment in experiments:
                    runner.run_experiment(experiment)
            results = iter(run_peace_models(calls))

            # Pass 2: the same runs again, each answered by its batched result.
            def answer(model: Any, exp: Any) -> dict[str, Any]:
                output = next(results)
                return {v: output.get(v) for v in model.output_variables}

            with _patched(self._msis, answer, False):
                runner = ExperimentRunner(self._msis)
                for experiment in experiments:
                    callback(experiment, runner.run_experiment(experiment))

    return BatchEvaluator(models)


class _patched:
    """Models whose ``run_experiment`` is ``run(model, experiment)``; with ``quiet`` what EMA
    does with their outputs is skipped (a recording pass has none to process)."""

    def __init__(self, models: Any, run: Any, quiet: bool) -> None:
        self.models = models if isinstance(models, list) else [models]
        self.run, self.quiet = run, quiet
        self.classes: dict[type, dict[str, Any]] = {}

    def __enter__(self) -> None:
        ignore = property(lambda self: {}, lambda self, value: None)
        for model in self.models:
            model.run_experiment = lambda exp, _m=model: self.run(_m, exp)
            kind = type(model)
            if self.quiet and kind not in self.classes:
                names = [n for n in ("outcomes_output", "constraints_output") if hasattr(kind, n)]
                self.classes[kind] = {n: kind.__dict__.get(n) for n in names}
                for name in names:
                    setattr(kind, name, ignore)

    def __exit__(self, *exc: object) -> None:
        for model in self.models:
            del model.run_experiment
        for kind, saved in self.classes.items():
            for name, value in saved.items():
                if value is None:
                    delattr(kind, name)
                else:
                    setattr(kind, name, value)
