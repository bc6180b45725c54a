"""``citypeace sweep``: designed experiments (LHS, Sobol, Morris) through Hydra's launchers.

    citypeace sweep design=lhs design.n=200 policy=baseline,no_mediator hydra/launcher=joblib
    citypeace sweep design=sobol hydra.sweep.dir=multirun/sobol   # resumable: pin the folder
    citypeace sweep design=lhs --runs-per-job=10 hydra/launcher=slurm   # 10 runs per job
    citypeace sweep resume multirun/sobol                         # finish an interrupted sweep
    citypeace sweep collect multirun/sobol                        # rebuild summary.parquet
    citypeace sweep sensitivity multirun/sobol --outcome peace_20y
    citypeace sweep list                                          # the designs in configs/design

A design (``configs/design/<name>.yaml``) names the parameters to vary and their ranges (by
default the ranges declared in sim.engine.params), a method, a size and the number of replications.
The sampled points are crossed with any comma sweeps on the command line (``policy=a,b``)
and with the replication seeds, which are spawned from one root ``numpy.random.SeedSequence``
(the same seeds for every point: common random numbers). Each job is an ordinary Hydra job
with explicit overrides, so its run folder, status, skip-if-done and failure handling are the
same as for ``citypeace -m`` (sim.experiments.summary), and it is fed to whichever launcher
``hydra/launcher=...`` selects. With ``--runs-per-job=N`` a launcher job runs N consecutive
runs of the design (same command-line combination) as one batch of the ensemble engine (the N
runs step together, each with its own seed, coefficients and levers), each still in its own
folder with its own status, skip-if-done, failed row and provenance: Hydra's and the
launcher's cost per job is then paid once per N runs, and the runs cost a fraction of running
them one by one.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from hydra._internal.config_loader_impl import ConfigLoaderImpl, get_overrides_dirname
from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import DictConfig, OmegaConf, open_dict

from sim.errors import ConfigError

METHODS = ("lhs", "sobol", "morris", "replicate")
DESIGN_KEYS = (
    "description",
    "method",
    "n",
    "replications",
    "root_seed",
    "levels",
    "second_order",
    "scramble",
    "parameters",
)
DEFAULT_BATCH = 256  # jobs handed to the launcher at once; bounds the JobReturns held in memory
# Jobs per joblib task unless hydra.launcher.batch_size is given. joblib's "auto" sends a job
# that takes over 0.2 s on its own, with the whole pickled Hydra context (~90 KB: about 25 ms
# of CPU to pickle and unpickle) each time; four to a batch share one. At the end of each
# DEFAULT_BATCH a worker may wait for at most one batch (about a second for tuzla).
JOBLIB_BATCH = 4
# --runs-per-job: the runs of each launcher job (sweep folder), and the folder of the jobs
# themselves (Hydra's .hydra/ and log; hidden, so the summary does not look there).
BATCHES = "batches.json"
BATCH_SUBDIR = ".batches"


@dataclass
class Parameter:
    """One varied config key and its sampling range."""

    key: str
    low: float
    high: float
    integer: bool = False


@dataclass
class Design:
    """A sampling plan: method, size, replications and the parameters with their ranges."""

    name: str
    method: str = "lhs"
    n: int = 64
    replications: int = 1
    root_seed: int = 20240601
    levels: int = 4  # Morris grid levels
    second_order: bool = False  # Sobol second-order indices (n * (2d + 2) runs)
    scramble: bool = True  # Sobol sequence scrambling
    description: str = ""
    parameters: list[Parameter] = field(default_factory=list)

    @property
    def problem(self) -> dict[str, Any]:
        """The SALib problem dictionary."""
        return {
            "num_vars": len(self.parameters),
            "names": [p.key for p in self.parameters],
            "bounds": [[p.low, p.high] for p in self.parameters],
        }


# ---------------------------------------------------------------------- design files


def design_dir() -> Path:
    """``configs/design/`` next to the Hydra configs."""
    from sim.config import config_dir

    return config_dir() / "design"


def declared_ranges() -> dict[str, tuple[float, float, bool]]:
    """(low, high, is-integer) of every ranged coefficient and lever in sim.engine.params."""
    from sim.engine.params import Levers, ModelParams, parameter_table

    rows = parameter_table(ModelParams(), "model") + parameter_table(Levers(), "levers")
    return {
        r["key"]: (
            float(r["range"][0]),
            float(r["range"][1]),
            isinstance(r["default"], int) and not isinstance(r["default"], bool),
        )
        for r in rows
    }


def load_design(name: str, overrides: Sequence[str] = ()) -> Design:
    """Read ``configs/design/<name>.yaml`` (or a path) and apply ``design.<key>=value``."""
    path = Path(name)
    if not path.suffix:
        path = design_dir() / f"{name}.yaml"
    where = f"design {path}"
    if not path.is_file():
        options = sorted(p.stem for p in design_dir().glob("*.yaml"))
        raise ConfigError("config", "design", name, f"one of {options} or a design YAML file")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(where, "(file)", path.name, f"valid YAML ({exc})") from None
    for item in overrides:
        key, _, value = item.partition("=")
        key = key.removeprefix("design.")
        if key not in DESIGN_KEYS or key == "parameters":
            allowed = [k for k in DESIGN_KEYS if k != "parameters"]
            raise ConfigError("command line", f"design.{key}", value, f"one of {allowed}")
        raw[key] = yaml.safe_load(value)
    return _check_design(path.stem, raw, where)


def _check_design(name: str, raw: dict[str, Any], where: str) -> Design:
    unknown = set(raw) - set(DESIGN_KEYS)
    if unknown:
        key = sorted(unknown)[0]
        raise ConfigError(where, key, raw[key], f"a design key: one of {list(DESIGN_KEYS)}")
    design = Design(name=name)
    for key in ("method", "n", "replications", "root_seed", "levels", "second_order"):
        if key in raw:
            setattr(design, key, raw[key])
    design.scramble = bool(raw.get("scramble", True))
    design.description = str(raw.get("description", ""))
    if design.method not in METHODS:
        raise ConfigError(where, "method", design.method, f"one of {list(METHODS)}")
    for key, lo in (("n", 1), ("replications", 1), ("levels", 2), ("root_seed", 0)):
        value = getattr(design, key)
        if isinstance(value, bool) or not isinstance(value, int) or value < lo:
            raise ConfigError(where, key, value, f"a whole number >= {lo}")
    if design.method == "sobol" and design.n & (design.n - 1):
        raise ConfigError(where, "n", design.n, "a power of 2 for a Sobol design")
    declared = declared_ranges()
    for key, spec in (raw.get("parameters") or {}).items():
        design.parameters.append(_parameter(key, spec, declared, where))
    if design.method != "replicate" and not design.parameters:
        raise ConfigError(where, "parameters", {}, "at least one parameter to vary")
    if design.method == "replicate" and design.parameters:
        raise ConfigError(where, "parameters", list(raw["parameters"]), "none for 'replicate'")
    return design


def _parameter(
    key: str, spec: Any, declared: dict[str, tuple[float, float, bool]], where: str
) -> Parameter:
    """A parameter from ``[low, high]``, ``{low: .., high: ..}`` or null (declared range)."""
    lo_decl, hi_decl, integer = declared.get(key, (-np.inf, np.inf, False))
    if spec is None or spec == {}:
        if key not in declared:
            raise ConfigError(where, key, spec, "a [low, high] range (no range declared)")
        low, high = lo_decl, hi_decl
    elif isinstance(spec, list | tuple) and len(spec) == 2:
        low, high = spec
    elif isinstance(spec, dict) and {"low", "high"} <= set(spec):
        low, high = spec["low"], spec["high"]
        integer = bool(spec.get("integer", integer))
    else:
        raise ConfigError(where, key, spec, "[low, high], {low: .., high: ..} or null")
    try:
        low, high = float(low), float(high)
    except (TypeError, ValueError):
        raise ConfigError(where, key, spec, "numeric bounds") from None
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ConfigError(where, key, [low, high], "finite bounds with low < high")
    if low < lo_decl or high > hi_decl:
        raise ConfigError(where, key, [low, high], f"a range inside [{lo_decl}, {hi_decl}]")
    return Parameter(key=key, low=low, high=high, integer=integer)


# ---------------------------------------------------------------------- sampling and seeds


def _children(design: Design, count: int) -> list[np.random.SeedSequence]:
    # Child 0 drives the sampler, child r+1 replication r. spawn() is sequential, so asking for
    # more replications later keeps the seeds (and the completed runs) of the first ones.
    return np.random.SeedSequence(design.root_seed).spawn(count)


def replication_seeds(design: Design) -> list[int]:
    """One model seed per replication, spawned from the design's root SeedSequence."""
    kids = _children(design, design.replications + 1)[1:]
    return [int(k.generate_state(1, np.uint64)[0] >> np.uint64(1)) for k in kids]


def sample(design: Design) -> np.ndarray:
    """The design points, shape (points, parameters), in the parameters' units."""
    d = len(design.parameters)
    if design.method == "replicate":
        return np.zeros((1, 0))
    sampler_seed = int(_children(design, 1)[0].generate_state(1)[0])
    if design.method == "lhs":
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d, rng=np.random.default_rng(sampler_seed)).random(design.n)
        lows = np.array([p.low for p in design.parameters])
        highs = np.array([p.high for p in design.parameters])
        points = qmc.scale(unit, lows, highs)
    elif design.method == "sobol":
        from SALib.sample import sobol

        points = sobol.sample(
            design.problem,
            design.n,
            calc_second_order=design.second_order,
            scramble=design.scramble,
            seed=sampler_seed,
        )
    else:
        from SALib.sample import morris

        points = morris.sample(
            design.problem, design.n, num_levels=design.levels, seed=sampler_seed
        )
    for j, p in enumerate(design.parameters):
        if p.integer:
            points[:, j] = np.clip(np.round(points[:, j]), p.low, p.high)
    return points


def _format(value: float, integer: bool) -> str:
    # repr round-trips a float exactly, so the run gets precisely the sampled value.
    return str(int(value)) if integer else repr(float(value))


def plan(design: Design, overrides: Sequence[str]) -> pd.DataFrame:
    """Every job: design point x command-line sweep combination x replication.

    Columns: job, design_point, combo, replication, seed, seed_root, overrides (the exact
    Hydra override string of the job) and one column per parameter.
    """
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
    from hydra.core.override_parser.overrides_parser import OverridesParser

    task = [o for o in overrides if not o.lstrip("+~").startswith(("hydra.", "hydra/"))]
    if any(o.split("=", 1)[0] == "seed" for o in task):
        raise ConfigError(
            "command line", "seed", "(given)", "no seed: replication seeds come from the design"
        )
    keys = {o.split("=", 1)[0].lstrip("+~") for o in task}
    clash = keys & {p.key for p in design.parameters}
    if clash:
        key = sorted(clash)[0]
        raise ConfigError("command line", key, "(given)", "not a design parameter as well")
    try:
        parsed = OverridesParser.create().parse_overrides(task)
        combos = BasicSweeper.split_arguments(parsed, None)[0] if task else [[]]
    except Exception as exc:  # Hydra's override grammar
        from sim.cli import explain

        raise ConfigError("command line", "overrides", " ".join(task), explain(exc)) from None
    points = sample(design)
    seeds = replication_seeds(design)
    rows = []
    for i, point in enumerate(points):
        params = [
            f"{p.key}={_format(v, p.integer)}"
            for p, v in zip(design.parameters, point, strict=True)
        ]
        for combo in combos:
            for r, seed in enumerate(seeds):
                job = [*combo, *params, f"seed={seed}"]
                row = {
                    "job": len(rows),
                    "design_point": i,
                    "combo": " ".join(combo),
                    "replication": r,
                    "seed": seed,
                    "seed_root": design.root_seed,
                    "overrides": " ".join(job),
                }
                for p, v in zip(design.parameters, point, strict=True):
                    row[p.key] = int(v) if p.integer else float(v)
                rows.append(row)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------- launching

# Composed configs of one sweep, per process: (sweep token, base overrides) -> config.
_TEMPLATES: dict[tuple[str, tuple[str, ...]], DictConfig] = {}


class FastSweepLoader(ConfigLoaderImpl):
    """Hydra's config loader, composing each distinct base config once per process.

    Hydra recomposes every job from the YAML files (about 0.13 s here, as long as a short
    run). The jobs of a design differ from each other only in plain values (the sampled
    parameters and the seed), so this loader composes the config without them once, then
    applies them with Hydra's own ``_apply_overrides_to_config`` and fills in
    ``hydra.overrides.task`` and ``hydra.job.override_dirname`` as Hydra does.
    tests/test_sweep.py checks the result against a full composition.
    """

    fast_keys: frozenset[str] = frozenset()
    token: str = ""

    @classmethod
    def wrap(cls, inner: ConfigLoaderImpl, fast_keys: Sequence[str], token: str) -> Any:
        """This loader with the state (search path, repository) of ``inner``."""
        loader = cls.__new__(cls)
        loader.__dict__.update(inner.__dict__)
        loader.fast_keys = frozenset(fast_keys)
        loader.token = token
        return loader

    def load_sweep_config(self, master_config: DictConfig, sweep_overrides: list[str]) -> Any:
        # A batch job names its folder (launch(runs_per_job=...)); set below, not composed.
        subdir = [o for o in sweep_overrides if o.startswith("hydra.sweep.subdir=")]
        sweep_overrides = [o for o in sweep_overrides if o not in subdir]
        base = [o for o in sweep_overrides if o.split("=", 1)[0] not in self.fast_keys]
        key = (self.token, tuple(base))
        if key not in _TEMPLATES:
            _TEMPLATES[key] = super().load_sweep_config(master_config, base)
        cfg = copy.deepcopy(_TEMPLATES[key])
        # Each override is parsed once (Hydra's grammar costs ~0.4 ms an override).
        every = OverridesParser.create().parse_overrides(list(sweep_overrides))
        fast = [o for o in every if o.get_key_element() in self.fast_keys]
        ConfigLoaderImpl._apply_overrides_to_config(fast, cfg)
        with open_dict(cfg.hydra):
            cfg.hydra.overrides.task = list(sweep_overrides)
            if subdir:
                cfg.hydra.sweep.subdir = subdir[-1].split("=", 1)[1]
            cfg.hydra.job.override_dirname = get_overrides_dirname(
                overrides=every,
                kv_sep=cfg.hydra.job.config.override_dirname.kv_sep,
                item_sep=cfg.hydra.job.config.override_dirname.item_sep,
                exclude_keys=cfg.hydra.job.config.override_dirname.exclude_keys,
            )
        OmegaConf.copy_cache(from_config=master_config, to_config=cfg)
        return cfg


def launch(
    jobs: Sequence[Sequence[str]],
    hydra_overrides: Sequence[str],
    sweep_dir: Path,
    batch: int = DEFAULT_BATCH,
    fast_keys: Sequence[str] = (),
    runs_per_job: int = 1,
) -> None:
    """Run explicit job override lists through the launcher Hydra's config selects.

    This is what Hydra's ``multirun`` does with its basic sweeper, minus the sweeper: the
    jobs are given, not a cartesian product, and they are not all composed up front. With
    ``runs_per_job > 1`` (and ``fast_keys``) consecutive runs that differ only in fast keys
    share one launcher job (:func:`plan_batches`, :func:`run_batch`).
    """
    from hydra._internal.callbacks import Callbacks
    from hydra._internal.hydra import Hydra
    from hydra._internal.utils import create_config_search_path
    from hydra.core.global_hydra import GlobalHydra
    from hydra.core.hydra_config import HydraConfig
    from hydra.core.plugins import Plugins
    from hydra.core.utils import setup_globals
    from hydra.types import HydraContext, RunMode

    from sim.cli import _task
    from sim.config import config_dir, register
    from sim.experiments.summary import SweepCallback

    register()
    setup_globals()
    GlobalHydra.instance().clear()
    hydra = Hydra.create_main_hydra2(
        task_name="cli", config_search_path=create_config_search_path(str(config_dir()))
    )
    common = [*hydra_overrides, "hydra.mode=MULTIRUN", f"hydra.sweep.dir={sweep_dir}"]
    try:
        cfg = hydra.compose_config(
            "config", overrides=common, run_mode=RunMode.MULTIRUN, with_log_configuration=True
        )
        HydraConfig.instance().set_config(cfg)
        callbacks = Callbacks(cfg)
        loader = hydra.config_loader
        if fast_keys:
            loader = FastSweepLoader.wrap(loader, fast_keys, token=uuid.uuid4().hex)
        SweepCallback.planned = len(jobs)
        callbacks.on_multirun_start(config=cfg, config_name="config")
        launcher = Plugins.instance().instantiate_launcher(
            hydra_context=HydraContext(config_loader=loader, callbacks=callbacks),
            task_function=_task,
            config=cfg,
        )
        OmegaConf.save(cfg, Path(sweep_dir) / "multirun.yaml")
        if runs_per_job > 1 and fast_keys:
            jobs = plan_batches(jobs, fast_keys, runs_per_job, Path(sweep_dir))
        for start in range(0, len(jobs), batch):
            # The JobReturns of a batch are dropped once it is back: memory stays bounded.
            launcher.launch([list(j) for j in jobs[start : start + batch]], start)
        callbacks.on_multirun_end(config=cfg, config_name="config")
    finally:
        SweepCallback.planned = None
        GlobalHydra.instance().clear()


def plan_batches(
    jobs: Sequence[Sequence[str]], fast_keys: Sequence[str], runs_per_job: int, sweep_dir: Path
) -> list[list[str]]:
    """Group runs into launcher jobs of at most ``runs_per_job``; returns the jobs' overrides.

    A group holds consecutive runs whose overrides differ only in ``fast_keys`` (the sampled
    values and the seed), so each run's config is its job's config with those values applied.
    The groups go to ``<sweep>/batches.json`` (written before any job starts; every worker
    reads it from the shared sweep folder). A job is its first run's overrides plus its own
    folder under ``.batches/``.
    """
    fast = frozenset(fast_keys)

    def shape(run: Sequence[str]) -> tuple:
        keys = sorted(o.split("=", 1)[0] for o in run)
        return tuple(o for o in run if o.split("=", 1)[0] not in fast), tuple(keys)

    groups: list[list[list[Any]]] = []
    for num, run in enumerate(jobs):
        last = groups[-1] if groups else None
        if last and len(last) < runs_per_job and shape(last[0][1]) == shape(run):
            last.append([num, list(run)])
        else:
            groups.append([[num, list(run)]])
    from sim.io import write_json

    write_json({"fast_keys": sorted(fast), "batches": groups}, Path(sweep_dir) / BATCHES)
    return [
        [*group[0][1], f"hydra.sweep.subdir={BATCH_SUBDIR}/{i:06d}"]
        for i, group in enumerate(groups)
    ]


def run_batch(cfg: DictConfig, sweep_dir: Path, subdir: str) -> None:
    """The runs of one launcher job (``hydra.sweep.subdir = .batches/<index>``), stepped
    together as one batch; each still gets its own folder, status, skip-if-done and failed
    row (``sim.experiments.sweep_batch``)."""
    from sim.experiments.sweep_batch import run_batch as run_together

    run_together(cfg, sweep_dir, subdir)


def _check_hydra(hydra_args: Sequence[str]) -> None:
    """The ``hydra...`` overrides compose and the launcher's plugin is installed."""
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from sim.cli import explain
    from sim.config import config_dir, register
    from sim.experiments.summary import launcher_problem

    register()
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
            cfg = compose("config", overrides=list(hydra_args), return_hydra_config=True)
    except Exception as exc:  # e.g. hydra/launcher=ray without the ray extra
        raise ConfigError("command line", "hydra", " ".join(hydra_args), explain(exc)) from None
    finally:
        GlobalHydra.instance().clear()
    problem = launcher_problem(cfg)
    if problem:
        raise ConfigError("config", "hydra/launcher", cfg.hydra.launcher._target_, problem)


def joblib_defaults(hydra_args: Sequence[str], runs_per_job: int = 1) -> list[str]:
    """``hydra_args`` plus ``hydra.launcher.batch_size=JOBLIB_BATCH`` for the joblib launcher
    (1 when each job already holds several runs), unless the command line sets one itself."""
    args = list(hydra_args)
    if "hydra/launcher=joblib" in args and not any(
        a.startswith("hydra.launcher.batch_size=") for a in args
    ):
        args.append(f"hydra.launcher.batch_size={JOBLIB_BATCH if runs_per_job == 1 else 1}")
    return args


def _preflight(jobs: pd.DataFrame, design: Design, task_args: Sequence[str]) -> None:
    """Compose and validate before any folder exists (exit 2 on bad input).

    Each value of each command-line sweep is checked once (sim.cli.preflight); the design's
    ranges were already checked against sim.engine.params when the design was loaded.
    """
    from sim.cli import preflight

    keys = {p.key for p in design.parameters} | {"seed"}
    first = [o for o in jobs["overrides"].iloc[0].split(" ") if o.split("=", 1)[0] in keys]
    preflight([*task_args, *first], multirun=True)


def run_design(
    args: Sequence[str],
    dry_run: bool = False,
    batch: int = DEFAULT_BATCH,
    fast: bool = True,
    runs_per_job: int = 1,
) -> int:
    """``citypeace sweep design=NAME [design.key=value] [overrides]``."""
    from sim.io import write_json, write_parquet

    name = None
    design_args, hydra_args, task_args = [], [], []
    for arg in args:
        if arg.startswith("design="):
            name = arg.split("=", 1)[1]
        elif arg.startswith("design."):
            design_args.append(arg)
        elif arg.lstrip("+~").startswith(("hydra.", "hydra/")):
            hydra_args.append(arg)
        else:
            task_args.append(arg)
    if name is None:
        options = sorted(p.stem for p in design_dir().glob("*.yaml"))
        raise ConfigError("command line", "design", None, f"design=NAME, one of {options}")
    design = load_design(name, design_args)
    jobs = plan(design, task_args)
    print(
        f"citypeace: design {design.name} ({design.method}): {len(jobs)} runs = "
        f"{jobs['design_point'].nunique()} points x {max(jobs['combo'].nunique(), 1)} "
        f"combinations x {design.replications} replications",
        file=sys.stderr,
    )
    if dry_run:
        print(jobs.drop(columns=["overrides"]).to_string(max_rows=20))
        return 0
    _preflight(jobs, design, task_args)
    _check_hydra([a for a in hydra_args if not a.startswith("hydra.sweep.dir=")])
    sweep_dir = _sweep_dir(hydra_args)
    hydra_args = joblib_defaults(
        [a for a in hydra_args if not a.startswith("hydra.sweep.dir=")], runs_per_job
    )
    sweep_dir.mkdir(parents=True, exist_ok=True)
    spec = dataclasses.asdict(design) | {"problem": design.problem, "runs": len(jobs)}
    write_json(spec, sweep_dir / "design.json")
    write_parquet(jobs, sweep_dir / "design.parquet")
    argv = ["sweep", *[a for a in args if not a.startswith("hydra.sweep.dir=")]]
    if runs_per_job > 1:
        argv.append(f"--runs-per-job={runs_per_job}")
    argv.append(f"hydra.sweep.dir={sweep_dir}")
    write_json({"kind": "design", "argv": argv, "jobs": len(jobs)}, sweep_dir / "sweep.json")
    fast = [*(p.key for p in design.parameters), "seed"] if fast else []
    launch(
        [o.split(" ") if o else [] for o in jobs["overrides"]],
        hydra_args,
        sweep_dir,
        batch,
        fast_keys=fast,
        runs_per_job=runs_per_job,
    )
    return 0


def _sweep_dir(hydra_args: Sequence[str]) -> Path:
    """The sweep folder: ``hydra.sweep.dir=...`` if given, else multirun/<design time>."""
    from datetime import datetime

    for arg in hydra_args:
        if arg.startswith("hydra.sweep.dir="):
            return Path(arg.split("=", 1)[1])
    return Path("multirun") / datetime.now().strftime("%Y-%m-%d_%H-%M-%S")


def resume(sweep_dir: Path) -> int:
    """Run a sweep again from its ``sweep.json``; completed runs are skipped."""
    from sim.cli import main as cli_main

    manifest = Path(sweep_dir) / "sweep.json"
    if not manifest.is_file():
        raise ConfigError("command line", "sweep_dir", str(sweep_dir), "a sweep folder")
    argv = json.loads(manifest.read_text(encoding="utf-8"))["argv"]
    if argv and argv[0] == "sweep":
        return main(argv[1:])
    try:
        cli_main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


# ---------------------------------------------------------------------- sensitivity


def sensitivity(
    sweep_dir: Path, outcomes: Sequence[str], summary: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Sensitivity indices of ``outcomes`` from a designed sweep.

    Sobol designs: first-order and total Sobol indices (SALib ``sobol.analyze``); Morris:
    mu*, sigma (``morris.analyze``); LHS: the moment-independent delta and a first-order
    estimate (``delta.analyze``, which takes any sample). Outcomes are averaged over the
    replications of each design point. One block per command-line combination (``combo``).
    A combination with missing points (failed or unfinished runs) is reported, not analysed:
    the Saltelli and Morris estimators need every point.
    """
    from sim.experiments.summary import read_summary

    sweep_dir = Path(sweep_dir)
    spec = json.loads((sweep_dir / "design.json").read_text(encoding="utf-8"))
    if spec["method"] == "replicate":
        return pd.DataFrame()
    plan_frame = pd.read_parquet(sweep_dir / "design.parquet")
    summary = read_summary(sweep_dir) if summary is None else summary
    done = summary[summary["status"] == "completed"]
    problem = spec["problem"]
    names = problem["names"]
    frames = []
    for combo, jobs in plan_frame.groupby("combo", sort=False):
        wanted = ["overrides", *(o for o in outcomes if o in done.columns)]
        merged = jobs[["overrides", "design_point", *names]].merge(
            done[wanted], on="overrides", how="left"
        )
        for outcome in outcomes:
            if outcome not in merged.columns:
                continue
            y = merged.groupby("design_point")[outcome].mean().sort_index()
            x = merged.drop_duplicates("design_point").sort_values("design_point")[names]
            missing = int(y.isna().sum()) + max(len(x) - len(y), 0)
            note = ""
            if missing:
                note = f"{missing} design points without a completed run"
            elif spec["method"] == "lhs" and len(y) < 10 * len(names):
                note = f"{len(y)} points: the delta estimator needs >= 10 per parameter"
            if note:
                frames.append(
                    pd.DataFrame(
                        [{"combo": combo, "outcome": outcome, "missing": missing, "note": note}]
                    )
                )
                continue
            frames.append(
                _analyse(spec, problem, x.to_numpy(float), y.to_numpy(float), combo, outcome)
            )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _analyse(
    spec: dict[str, Any], problem: dict, x: np.ndarray, y: np.ndarray, combo: str, outcome: str
) -> pd.DataFrame:
    seed = int(spec["root_seed"]) % 2**32
    if spec["method"] == "sobol":
        from SALib.analyze import sobol

        res = sobol.analyze(problem, y, calc_second_order=bool(spec["second_order"]), seed=seed)
        cols = {"S1": "S1", "S1_conf": "S1_conf", "ST": "ST", "ST_conf": "ST_conf"}
    elif spec["method"] == "morris":
        from SALib.analyze import morris

        res = morris.analyze(problem, x, y, num_levels=int(spec["levels"]), seed=seed)
        cols = {"mu_star": "mu_star", "mu_star_conf": "mu_star_conf", "sigma": "sigma"}
    else:
        from SALib.analyze import delta

        # Borgonovo's delta as published ("raw"); SALib >= 1.5 also offers bias-corrected ones.
        res = delta.analyze(problem, x, y, seed=seed, method="raw")
        cols = {
            "delta_raw": "delta",
            "delta_raw_conf": "delta_conf",
            "S1": "S1",
            "S1_conf": "S1_conf",
        }
    frame = pd.DataFrame({out: np.asarray(res[k], dtype=float) for k, out in cols.items()})
    frame.insert(0, "parameter", problem["names"])
    frame.insert(0, "outcome", outcome)
    frame.insert(0, "combo", combo)
    frame["method"] = spec["method"]
    frame["missing"] = 0
    frame["note"] = ""
    return frame


# ---------------------------------------------------------------------- command line


def _list_designs() -> int:
    for path in sorted(design_dir().glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        print(f"{path.stem:<16} {raw.get('method', 'lhs'):<9} {raw.get('description', '')}")
    return 0


def main(args: list[str]) -> int:
    """Entry point of ``citypeace sweep``."""
    from sim.experiments.summary import collect

    if args and args[0] in ("resume", "collect", "sensitivity", "list"):
        parser = argparse.ArgumentParser(prog=f"citypeace sweep {args[0]}")
        if args[0] != "list":
            parser.add_argument("sweep_dir", type=Path)
        if args[0] == "sensitivity":
            parser.add_argument("--outcome", action="append", default=None)
        ns = parser.parse_args(args[1:])
        if args[0] == "list":
            return _list_designs()
        if not ns.sweep_dir.is_dir():
            raise ConfigError("command line", "sweep_dir", str(ns.sweep_dir), "a sweep folder")
        if args[0] == "resume":
            return resume(ns.sweep_dir)
        if args[0] == "collect":
            print(collect(ns.sweep_dir))
            return 0
        frame = sensitivity(ns.sweep_dir, ns.outcome or ["peace_10y"])
        print(frame.to_string(index=False) if not frame.empty else "no design to analyse")
        return 0
    if any(a in ("-h", "--help") for a in args):
        print(__doc__)
        return 0
    dry = "--dry-run" in args
    fast = "--full-compose" not in args
    batch, runs_per_job = DEFAULT_BATCH, 1
    rest = []
    for arg in args:
        if arg.startswith("--batch="):
            batch = int(arg.split("=", 1)[1])
        elif arg.startswith("--runs-per-job="):
            runs_per_job = _whole_number(arg)
        elif arg not in ("--dry-run", "--full-compose"):
            rest.append(arg)
    if runs_per_job > 1 and not fast:
        raise ConfigError("command line", "--runs-per-job", runs_per_job, "1 with --full-compose")
    return run_design(rest, dry_run=dry, batch=batch, fast=fast, runs_per_job=runs_per_job)


def _whole_number(arg: str) -> int:
    """The value of ``--flag=N``: a whole number >= 1, or a ConfigError naming the flag."""
    flag, _, value = arg.partition("=")
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise ConfigError("command line", flag, value, "a whole number >= 1")
    return number


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
