"""``citypeace validate scenario=NAME seeds=30 nulls=all [perturb=0.25 draws=20]``.

Runs the scenario's patterns over a seed ensemble under the full model and under null models
(``configs/nulls``: each removes one mechanism), and optionally under random draws of every
coefficient, all as one :class:`~sim.engine.ensemble.Ensemble`. Prints and writes to
``validation/<scenario>/`` (or ``out=``): ``validation.md`` (the report), ``validation.csv``
(one row per pattern), ``matrix.csv`` and ``heatmap.png`` (patterns x models, hold rates),
``contrasts.csv`` (paired gaps with bootstrap intervals), ``robustness.csv`` and ``draws.csv``
(with ``perturb=``) and ``fan_charts.png``. See ``sim.experiments.matrix`` for the rules.

Exit code 0 when every pattern passes and every evidence pattern discriminates; 1 when a
pattern fails under the full model or an evidence pattern does not discriminate (the report
says which); 2 on bad input, with nothing written.
"""

from __future__ import annotations

import dataclasses
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from sim.errors import ConfigError, ScenarioError
from sim.experiments import apart, matrix, nulls, robustness
from sim.experiments import validation_report as report

USAGE = """\
usage: citypeace validate scenario=NAME [seeds=30] [nulls=all|none|NAME,...]
                          [perturb=SHARE draws=20] [out=DIR] [--quiet] [OVERRIDES...]

Checks a scenario's patterns (scenarios/NAME/patterns.yaml) over seeds 0..seeds-1 under the
full model and under every chosen null model (configs/nulls):
{nulls}

  seeds=N        seeds per model and policy (default 30, at most 10000)
  nulls=...      all (default), none, or a comma-separated list of null models
  perturb=SHARE  also run `draws` draws of every coefficient within +-SHARE of its value
                 (0 < SHARE <= 1), clipped to its range; reports the share of draws passed
  draws=N        coefficient draws with perturb= (default 20, at most 1000)
  out=DIR        where to write (default validation/NAME)
  jobs=N         accepted for compatibility and ignored: the replicates run in batches, one per
                 scenario structure, over the machine's cores (at most 2 worker processes)
  --quiet, -q    no progress bar
  OVERRIDES      Hydra overrides of the run config, e.g. model.trust.decay=0.03, horizon=240

A pattern passes when it holds in >= 80% of seeds. An evidence pattern discriminates when it
passes and holds in <= 50% of seeds under each null of a mechanism it names. Exit 0 when every
pattern passes and every evidence pattern discriminates, 1 otherwise, 2 on bad input.
"""

_OWN = ("seeds", "nulls", "perturb", "draws", "out", "jobs")


def parse_args(args: list[str]) -> tuple[dict[str, str], list[str]]:
    """Split validate's own ``key=value`` options and flags from the Hydra overrides."""
    own, overrides = {}, []
    for arg in args:
        key, eq, value = arg.partition("=")
        if eq and key in _OWN:
            own[key] = value
        elif arg in ("--quiet", "-q"):
            own["quiet"] = "1"
        elif arg in ("--help", "-h"):
            own["help"] = "1"
        else:
            overrides.append(arg)
    return own, overrides


def _whole(own: dict[str, str], key: str, default: int, lo: int, hi: int) -> int:
    text = own.get(key, str(default))
    try:
        value = int(text)
    except ValueError:
        raise ConfigError("validate", key, text, f"a whole number in [{lo}, {hi}]") from None
    if not lo <= value <= hi:
        raise ConfigError("validate", key, value, f"a whole number in [{lo}, {hi}]")
    return value


@dataclasses.dataclass
class Options:
    seeds: int
    nulls: list[nulls.NullModel]
    perturb: float | None
    draws: int
    out: Path | None
    quiet: bool


def options(own: dict[str, str], overrides: list[str]) -> Options:
    """Validate's own options, checked; ConfigError (exit 2) on the first bad one."""
    seeds = _whole(own, "seeds", 30, 1, 10_000)
    _whole(own, "jobs", 1, 1, 1024)  # checked, then ignored (see USAGE)
    chosen = nulls.select(own.get("nulls", "all"))
    perturb = None
    if "perturb" in own:
        try:
            perturb = float(own["perturb"])
        except ValueError:
            raise ConfigError("validate", "perturb", own["perturb"], "a share in (0, 1]") from None
    draws = _whole(own, "draws", 20, 1, robustness.DRAWS_MAX)
    if perturb is not None:
        robustness.check(perturb, draws)
    elif "draws" in own:
        raise ConfigError("validate", "draws", own["draws"], "only with perturb=<share>")
    for key, why in (
        ("policy", "none: validate runs the baseline and the policies its contrast patterns name"),
        ("seed", "none: validate runs seeds 0..seeds-1 (set seeds=N)"),
    ):
        for o in overrides:
            if o.split("=", 1)[0].lstrip("+~") == key:
                raise ConfigError("validate", key, o.partition("=")[2], why)
    out = Path(own["out"]) if "out" in own else None
    return Options(seeds, chosen, perturb, draws, out, "quiet" in own)


def _compose(overrides: list[str]) -> Any:
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from sim.cli.config import config_dir, register

    register()
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
            return compose("config", overrides=overrides)
    finally:
        GlobalHydra.instance().clear()


def arguments(overrides: list[str]) -> tuple[dict[str, Any], Any]:
    """The model's arguments (``sim.cli.config.model_kwargs``) composed once and checked, and
    the config's scenario loaded and checked (None for ``synthetic``); exit 2 with one line
    on bad input, as the run command's checks (``sim.cli.checks.preflight``) give it.

    A plain command (``scenario=`` and plain ``seed``, ``horizon`` and ``output.*`` values)
    is composed without Hydra (``sim.cli.plain``, exact where it answers, refusing where
    OmegaConf could read a file otherwise); any other command by Hydra, once. Composing twice
    (the checks, then the arguments) cost the command about 0.6 s of its start (measured).
    """
    from sim.cli.checks import check_config, check_lengths, compose
    from sim.cli.messages import explain, fail
    from sim.cli.paths import check_scenario_name, with_path_name
    from sim.cli.plain import plain_plan
    from sim.cli.schemas import model_kwargs
    from sim.scenario.loader import load_scenario

    check_lengths(overrides)
    overrides = with_path_name(list(overrides))
    try:
        plain = plain_plan(overrides)
        if plain is not None:
            kwargs, name = plain[0].kwargs(), plain[0].scenario
        else:
            checked = check_config(compose(overrides), scenario=False)
            kwargs, name = model_kwargs(checked), checked.scenario.name
        if name == "synthetic":
            return kwargs, None
        source = kwargs["scenario"]
        case = load_scenario(source, policy=kwargs["policy"], horizon=kwargs["horizon"])
        check_scenario_name(source if isinstance(source, Path) else None, name, case.name)
        return kwargs, case
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - Hydra's, OmegaConf's and the loader's errors
        fail(explain(exc))
        raise  # not reached: fail exits


def _merge(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        out[key] = _merge(out[key], value) if isinstance(value, Mapping) else value
    return out


def _check_contrast_series(case: Any, source: Any, horizon: int | None) -> None:
    """Each contrast's series must exist under its own policy too (before anything runs)."""
    from sim.experiments.pattern_series import series_problem
    from sim.scenario.loader import load_scenario

    file = str(case.folder / "patterns.yaml") if case.folder else "patterns.yaml"
    for i, p in enumerate(case.patterns):
        if p["kind"] != "contrast":
            continue
        problem = series_problem(p["series"], load_scenario(source, p["policy"], horizon))
        if problem:
            raise ScenarioError(
                file, f"patterns[{i}].series", p["series"], f"under {p['policy']}: {problem}"
            )


def plan(
    case: Any, base: Any, levers: Mapping[str, Any], opts: Options
) -> tuple[list[Any], list[dict[str, Any]]]:
    """The replicates (full model, each null, each draw; every policy; every seed) and draws."""
    from sim.engine.ensemble import Replicate

    policies = [
        "baseline",
        *sorted({p["policy"] for p in case.patterns if p["kind"] == "contrast"}),
    ]
    params = dataclasses.asdict(base)
    models = {matrix.FULL: params, **{n.name: _merge(params, n.params) for n in opts.nulls}}
    sampled = (
        [robustness.draw(base, opts.perturb, i) for i in range(opts.draws)] if opts.perturb else []
    )
    models.update({f"draw_{i:02d}": _merge(params, d) for i, d in enumerate(sampled)})
    replicates = [
        Replicate(seed=s, policy=pol, params=p, levers=dict(levers), label=label)
        for label, p in models.items()
        for pol in policies
        for s in range(opts.seeds)
    ]
    return replicates, sampled


def collect(ensemble: Any) -> tuple[dict[str, dict[str, list]], list[str]]:
    """model label -> policy -> runs by seed (None where a replicate failed); failure lines."""
    frames = ensemble.runs()
    runs: dict[str, dict[str, list]] = {}
    for i, rep in enumerate(ensemble.replicates):
        by_seed = runs.setdefault(rep.label, {}).setdefault(rep.policy, [])
        by_seed.append(frames.get(i))
    failures = [
        f"{ensemble.replicates[i].label} / {ensemble.replicates[i].policy} / seed "
        f"{ensemble.replicates[i].seed}: {why}"
        for i, why in sorted(ensemble.failures.items())
    ]
    return runs, failures


def main(args: list[str]) -> int:
    """Entry point of ``citypeace validate``."""
    from sim.engine.ensemble import Ensemble
    from sim.engine.replicates import cpu_workers
    from sim.scenario.dates import format_month
    from sim.scenario.loader import load_scenario

    own, overrides = parse_args(args)
    if "help" in own:
        names = textwrap.fill(", ".join(nulls.load_nulls()), 92, initial_indent="  ",
                              subsequent_indent="  ")  # fmt: skip
        print(USAGE.format(nulls=names), end="")
        return 0
    opts = options(own, overrides)
    kwargs, case = arguments(overrides)
    if kwargs["scenario"] == "synthetic":
        raise ConfigError("validate", "scenario", "synthetic", "a scenario with patterns.yaml")
    if kwargs["policy"] != "baseline":  # the config's own policy (policy= is refused above)
        case = load_scenario(kwargs["scenario"], horizon=kwargs["horizon"])
    if not case.patterns:
        raise ConfigError("validate", "scenario", case.name, "a scenario with patterns.yaml")
    _check_contrast_series(case, kwargs["scenario"], kwargs["horizon"])
    replicates, sampled = plan(case, kwargs["params"], kwargs["levers"], opts)
    # Batches of replicates (one per scenario structure), spread over the cores.
    workers = cpu_workers(len(replicates))
    ensemble = Ensemble(kwargs["scenario"], replicates, horizon=kwargs["horizon"], workers=workers)
    runs, failures = collect(ensemble.run(progress=not opts.quiet))
    events = pd.DataFrame(
        [
            {"date": format_month(case.start + e["step"]), "type": e["type"], "origin": "scenario"}
            for e in case.events
        ],
        columns=["date", "type", "origin"],
    )
    baseline = [ts for ts in runs[matrix.FULL]["baseline"] if ts is not None]
    # The fan charts need only the baseline runs: drawn on the other core while the patterns
    # are judged and the heat map drawn (written in their turn, with the other files).
    title = report.fan_charts_title(case.title, len(baseline))
    fans = None
    if baseline:
        report.load_matplotlib()  # before the fork: imported once, for both processes
        fans = apart.start(report.fan_charts_png, baseline, events, title)
    record = build_record(case, runs, opts, sampled, failures)
    out = opts.out or Path("validation") / case.name
    written = report.write(record, out, baseline, events, fans)
    print(report.markdown(record))
    print(f"wrote {out}/: {', '.join(written)}")
    return exit_code(record)


def build_record(
    case: Any,
    runs: dict[str, dict[str, list]],
    opts: Options,
    sampled: list[dict[str, Any]],
    failures: list[str],
) -> report.Record:
    """Hold rates, verdicts, contrasts and robustness from the runs."""
    # Each run's dates and series read once for the rates, the values and the contrasts.
    models = matrix.read_once({k: v for k, v in runs.items() if not k.startswith("draw_")})
    mechanisms = nulls.mechanisms()
    rates = matrix.hold_rates(case.patterns, models)
    values = {p["id"]: matrix.summary_value(p, models[matrix.FULL]) for p in case.patterns}
    record = report.Record(
        scenario=case.name,
        title=case.title,
        seeds=opts.seeds,
        patterns=case.patterns,
        summary=matrix.verdicts(case.patterns, rates, mechanisms, values),
        rates=rates,
        contrasts=matrix.contrasts(case.patterns, models),
        nulls=opts.nulls,
        mechanisms=mechanisms,
        failures=failures,
    )
    if sampled:
        draws = {k: v for k, v in runs.items() if k.startswith("draw_")}
        record.robustness = matrix.robustness(
            case.patterns, matrix.hold_rates(case.patterns, draws)
        )
        record.perturb = opts.perturb
        record.draws = pd.DataFrame(robustness.draws_table(sampled))
    return record


def exit_code(record: report.Record) -> int:
    """1 when a pattern fails under the full model or evidence does not discriminate."""
    s = record.summary
    bad = (~s["pass"]) | (s["discriminates"] == False)  # noqa: E712 - None: not assessed
    return 1 if bool(bad.any()) else 0


# ------------------------------------------------------------------- for scripts and tests


def run_ensemble(
    overrides: list[str], policy: str, seeds: int, jobs: int = 1, progress: bool = True
) -> list[pd.DataFrame]:
    """Time series of ``seeds`` runs (seeds 0..n-1) of one policy under the composed config.

    ``jobs`` is ignored (kept for old callers): the ensemble engine runs the replicates.
    """
    from sim.cli.config import model_kwargs
    from sim.engine.ensemble import Ensemble, Replicate
    from sim.engine.replicates import cpu_workers

    kwargs = model_kwargs(_compose(overrides))
    params = dataclasses.asdict(kwargs["params"])
    reps = [
        Replicate(seed=s, policy=policy, params=params, levers=kwargs["levers"])
        for s in range(seeds)
    ]
    ens = Ensemble(
        kwargs["scenario"], reps, horizon=kwargs["horizon"], workers=cpu_workers(len(reps))
    ).run(progress=progress)
    frames = ens.runs()
    return [frames[i] for i in range(seeds) if i in frames]


def evaluate(patterns: list[dict[str, Any]], runs: dict[str, list[pd.DataFrame]]) -> pd.DataFrame:
    """The full model alone: one row per pattern (``pattern``, ``role``, ``share``, ``pass``, ...).

    ``runs`` maps policy -> runs by seed. No null models, so no discrimination verdict.
    """
    runs = matrix.read_once({matrix.FULL: runs})[matrix.FULL]
    rates = matrix.hold_rates(patterns, {matrix.FULL: runs})
    values = {p["id"]: matrix.summary_value(p, runs) for p in patterns}
    table = matrix.verdicts(patterns, rates, {}, values)
    return table.rename(columns={"held_full": "share"})
