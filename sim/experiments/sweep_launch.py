"""Launching a sweep's jobs through Hydra's launchers (``citypeace sweep``, Optuna trials).

:func:`launch` is what Hydra's ``multirun`` does with its basic sweeper, minus the sweeper: the
jobs are given, not a cartesian product, and they are not all composed up front
(:class:`FastSweepLoader` composes each distinct base config once per process). With
``--runs-per-job=N`` consecutive runs that differ only in their sampled values and seed share a
launcher job (:func:`plan_batches`) and step together as one batch of the ensemble engine
(:func:`run_batch`, ``sim.experiments.sweep_batch``).
"""

from __future__ import annotations

import copy
import errno
import os
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hydra._internal.config_loader_impl import ConfigLoaderImpl, get_overrides_dirname
from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import DictConfig, OmegaConf, open_dict

from sim.errors import ConfigError

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
WRITABLE = "a writable folder with free space"
SUMMARY_EVERY_S = 30.0  # how often a running sweep rewrites summary.parquet

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
    dask: Any = None,
    run_folders: bool = False,
) -> int:
    """Run explicit job override lists through the launcher Hydra's config selects (or, with
    ``dask`` (a ``distributed.Client``), as batches on a Dask cluster: sim.experiments.sweep_dask).

    This is what Hydra's ``multirun`` does with its basic sweeper, minus the sweeper: the
    jobs are given, not a cartesian product, and they are not all composed up front. With
    ``runs_per_job > 1`` (and ``fast_keys``) consecutive runs that differ only in fast keys
    share one launcher job (:func:`plan_batches`, :func:`run_batch`); their runs get a folder
    each only with ``run_folders`` (else one series file and one record file a job:
    ``sim.experiments.sweep_records``, whose leftovers from a killed sweep are removed first).

    The summary is rewritten every ``SUMMARY_EVERY_S`` and at the end. A job whose outputs
    cannot be written (a full disk) stops the sweep: the summary of what completed is written
    (or the last one kept) and one OutputError says how to go on. Returns 0, or 1 when jobs
    failed outside their runs (their errors are printed; the runs' own failures are rows).
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
    from sim.cli.config import config_dir, register
    from sim.experiments.summary import SweepCallback, collect
    from sim.experiments.sweep_records import clean
    from sim.outputs.atomic import OutputError

    register()
    setup_globals()
    GlobalHydra.instance().clear()
    hydra = Hydra.create_main_hydra2(
        task_name="cli", config_search_path=create_config_search_path(str(config_dir()))
    )
    common = [*hydra_overrides, "hydra.mode=MULTIRUN", f"hydra.sweep.dir={sweep_dir}"]
    problems: list[BaseException] = []
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
        OmegaConf.save(cfg, Path(sweep_dir) / "multirun.yaml")
        reserve = _reserve(Path(sweep_dir), len(jobs))
        clean(Path(sweep_dir))  # what a killed batch left, before any job starts
        if (runs_per_job > 1 or dask is not None) and fast_keys:
            jobs = plan_batches(jobs, fast_keys, runs_per_job, Path(sweep_dir), run_folders)
        if dask is not None:
            from sim.experiments.sweep_dask import run_jobs

            rounds: Any = run_jobs(dask, cfg, loader, jobs, Path(sweep_dir))
        else:
            launcher = Plugins.instance().instantiate_launcher(
                hydra_context=HydraContext(config_loader=loader, callbacks=callbacks),
                task_function=_task,
                config=cfg,
            )
            # The JobReturns of a batch are dropped once it is back: memory stays bounded.
            rounds = (
                launcher.launch([list(j) for j in jobs[start : start + batch]], start)
                for start in range(0, len(jobs), batch)
            )
        last = time.monotonic()
        try:
            for returns in rounds:
                problems += _failures(returns)
                if time.monotonic() - last > SUMMARY_EVERY_S:
                    collect(Path(sweep_dir))  # a sweep that stops later keeps this much
                    last = time.monotonic()
        except OutputError as exc:
            _stop(callbacks, Path(sweep_dir), exc, reserve)
        except OSError as exc:  # e.g. Hydra's own .hydra/ files of a job on a full disk
            why = exc.strerror or str(exc)
            where = str(exc.filename or sweep_dir)
            _stop(callbacks, Path(sweep_dir), OutputError(where, "write", why, WRITABLE), reserve)
        reserve.unlink(missing_ok=True)
        callbacks.on_multirun_end(config=cfg, config_name="config")
    finally:
        SweepCallback.planned = None
        GlobalHydra.instance().clear()
    if problems:
        first = problems[0]
        print(
            f"citypeace: {len(problems)} jobs failed outside their runs "
            f"(first: {type(first).__name__}: {str(first).splitlines()[0] if str(first) else ''})",
            file=sys.stderr,
        )
        return 1
    return 0


def _failures(returns: Sequence[Any] | None) -> list[BaseException]:
    """The errors of jobs that failed outside their runs; a storage error is raised."""
    from hydra.core.utils import JobStatus

    from sim.outputs.atomic import OutputError

    found = []
    for ret in returns or ():
        if ret is not None and ret.status == JobStatus.FAILED:
            error = ret._return_value
            if isinstance(error, OutputError):
                raise error
            found.append(error)
    return found


def _reserve(sweep_dir: Path, jobs: int) -> Path:
    """Room for the summary, held from the start: a full disk cannot take it from the runs.

    About 1 KB a run (a summary row is a few hundred bytes), at least 64 KB, at most 256 MB;
    the file is removed just before the summary is written.
    """
    from sim.outputs.atomic import OutputError

    path = sweep_dir / ".summary-reserve"
    size = min(max(64 * 1024, 1024 * jobs), 256 * 1024 * 1024)
    try:
        with open(path, "wb") as fh:
            try:
                os.posix_fallocate(fh.fileno(), 0, size)
            except OSError as exc:  # a file system without fallocate: write the bytes
                if exc.errno not in (errno.EOPNOTSUPP, errno.EINVAL):
                    raise
                fh.write(bytes(size))
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise OutputError(str(path), "write", exc.strerror or str(exc), WRITABLE) from None
    return path


def _stop(callbacks: Any, sweep_dir: Path, exc: Any, reserve: Path) -> None:
    """A storage error stopped the sweep: write what completed, then raise one OutputError."""
    from sim.experiments.summary import SweepCallback
    from sim.outputs.atomic import OutputError

    reserve.unlink(missing_ok=True)  # the room held for this summary

    summary = "summary.parquet could not be written either (citypeace sweep collect rebuilds it)"
    for callback in callbacks.callbacks:
        if isinstance(callback, SweepCallback):
            try:
                path, counts = callback.finish(sweep_dir)
                summary = f"{counts.get('completed', 0)} completed runs are in {path}"
            except OutputError:
                pass
    raise OutputError(
        exc.where,
        exc.key,
        exc.value,
        f"{exc.allowed}; the sweep stopped: {summary}; free space, then "
        f"citypeace sweep resume {sweep_dir}",
    ) from None


def plan_batches(
    jobs: Sequence[Sequence[str]],
    fast_keys: Sequence[str],
    runs_per_job: int,
    sweep_dir: Path,
    run_folders: bool = False,
) -> list[list[str]]:
    """Group runs into launcher jobs of at most ``runs_per_job``; returns the jobs' overrides.

    A group holds consecutive runs whose overrides differ only in ``fast_keys`` (the sampled
    values and the seed), so each run's config is its job's config with those values applied.
    The groups go to ``<sweep>/batches.json`` (written before any job starts; every worker
    reads it from the shared sweep folder). A job is its first run's overrides plus its own
    folder under ``.batches/``. ``run_folders``: whether each run gets its own folder
    (``sim.experiments.sweep_batch``).
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
    from sim.outputs.atomic import write_json

    spec = {"fast_keys": sorted(fast), "run_folders": run_folders, "batches": groups}
    write_json(spec, Path(sweep_dir) / BATCHES)
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


def check_hydra(hydra_args: Sequence[str]) -> None:
    """The ``hydra...`` overrides compose and the launcher's plugin is installed."""
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from sim.cli import explain
    from sim.cli.config import config_dir, register
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
