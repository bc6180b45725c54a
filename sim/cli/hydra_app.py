"""The command line through ``hydra.main``: multiruns (``-m``) and Hydra's own flags.

A multirun is composed and checked first (each sweep value once, ``sim.cli.checks``), and its
folder's nearest existing parent must take files; then Hydra launches the jobs, each of which
is :func:`_task`.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from sim.cli.checks import expand_first_values, is_hydra
from sim.cli.messages import fail
from sim.errors import CitypeaceError
from sim.outputs import run_folder
from sim.outputs.run_folder import RunFolder

_RUN_FOLDER: RunFolder | None = None  # a single run's folder, made before Hydra starts


def _task(cfg) -> float | None:  # noqa: ANN001 - Hydra passes a DictConfig
    from hydra.core.hydra_config import HydraConfig

    from sim.experiments.runner import run_to_folder

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
    folder = _RUN_FOLDER or RunFolder(out, None, out)  # made by with_run_folder, or by Hydra
    try:
        folder.write_hydra_files(cfg, hydra_cfg)
        run_to_folder(cfg, out)
    except CitypeaceError as exc:
        folder.discard()
        fail(str(exc))
    print(f"citypeace: wrote {out}")


def with_run_folder(args: list[str], overrides: list[str]) -> list[str]:
    """Make and check the run folder now (sim.outputs.run_folder); Hydra then uses exactly it."""
    global _RUN_FOLDER
    try:
        path, subdir = run_folder.resolve(overrides)
        _RUN_FOLDER = run_folder.prepare(path, subdir)
    except CitypeaceError as exc:
        fail(str(exc))
    own = (f"{run_folder.RUN_DIR_KEY}=", f"{run_folder.SUBDIR_KEY}=")
    kept = [a for a in args if not a.lstrip("+").startswith(own)]
    return [*kept, *_RUN_FOLDER.overrides()]


def check_sweep_folder(overrides: list[str]) -> None:
    """A multirun's folder (or its nearest existing parent) must take files, checked before
    Hydra starts; the folder itself is still Hydra's to create."""
    hydra_args = [o for o in overrides if is_hydra(o)]
    plain = [o for o in overrides if o not in hydra_args]
    try:
        first = expand_first_values(plain)[0] + hydra_args
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

    from sim.cli.config import config_dir

    sys.argv = [sys.argv[0], *argv]
    main_fn = hydra.main(config_path=str(config_dir()), config_name="config", version_base="1.3")(
        _task
    )
    main_fn()
