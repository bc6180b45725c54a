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
import dataclasses
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from sim.errors import ConfigError
from sim.experiments.design import (  # noqa: F401 - also imported from here by benchmarks
    Design,
    design_dir,
    load_design,
    plan,
    replication_seeds,
    sample,
)
from sim.experiments.sweep_launch import (  # noqa: F401 - sim.cli imports these from here
    BATCH_SUBDIR,
    DEFAULT_BATCH,
    check_hydra,
    joblib_defaults,
    launch,
    run_batch,
)
from sim.experiments.sweep_state import read_state, write_state

FLAGS = (
    "--dry-run",
    "--full-compose",
    "--batch=N",
    "--runs-per-job=N",
    "--run-folders",
    "--dask=ADDRESS",
    "--dask-timeout=S",
)
SWITCHES = ("--dry-run", "--full-compose", "--run-folders")
BATCH_MAX = 100_000  # jobs handed to a launcher at once; their JobReturns are held in memory
RUNS_PER_JOB_MAX = 100_000


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
    dask: str | None = None,
    dask_timeout: float | None = None,
    run_folders: bool = False,
) -> int:
    """``citypeace sweep design=NAME [design.key=value] [overrides]``; with ``dask`` (a
    scheduler address or ``local``) the batches run on a Dask cluster; ``run_folders``: a
    batched run (``runs_per_job`` > 1, or Dask) also gets a folder of its own."""
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
    said = (
        f"citypeace: design {design.name} ({design.method}): {len(jobs)} runs = "
        f"{jobs['design_point'].nunique()} points x {max(jobs['combo'].nunique(), 1)} "
        f"combinations x {design.replications} replications"
    )
    if dry_run:
        print(said, file=sys.stderr)
        print(jobs.drop(columns=["overrides"]).to_string(max_rows=20))
        return 0
    _preflight(jobs, design, task_args)
    check_hydra([a for a in hydra_args if not a.startswith("hydra.sweep.dir=")])
    sweep_dir = _sweep_dir(hydra_args)
    hydra_args = joblib_defaults(
        [a for a in hydra_args if not a.startswith("hydra.sweep.dir=")], runs_per_job
    )
    client = None
    if dask is not None:
        from sim.experiments.sweep_dask import TIMEOUT_S, connect

        client = connect(dask, TIMEOUT_S if dask_timeout is None else dask_timeout)
    try:
        _make_folder(sweep_dir)
        print(said, file=sys.stderr)  # after every check: bad input is one line
        flags = [f"--batch={batch}"] if batch != DEFAULT_BATCH else []
        flags += [f"--runs-per-job={runs_per_job}"] if runs_per_job > 1 else []
        flags += [f"--dask={dask}"] if dask is not None else []
        flags += [f"--dask-timeout={dask_timeout:g}"] if dask_timeout is not None else []
        flags += ["--run-folders"] if run_folders else []
        return _start(args, flags, design, jobs, sweep_dir, hydra_args, fast, batch, client)
    finally:
        if client is not None:
            from sim.experiments.sweep_dask import close

            close(client)


def _start(
    args: Sequence[str],
    flags: list[str],
    design: Design,
    jobs: pd.DataFrame,
    sweep_dir: Path,
    hydra_args: list[str],
    fast: bool,
    batch: int,
    client: object,
) -> int:
    """Write the sweep's state files, then launch its jobs."""
    from sim.outputs.atomic import write_json, write_parquet

    spec = dataclasses.asdict(design) | {"problem": design.problem, "runs": len(jobs)}
    write_json(spec, sweep_dir / "design.json")
    write_parquet(jobs, sweep_dir / "design.parquet")
    argv = ["sweep", *[a for a in args if not a.startswith("hydra.sweep.dir=")], *flags]
    argv.append(f"hydra.sweep.dir={sweep_dir}")
    write_state(sweep_dir, "design", argv, len(jobs))
    runs_per_job = next((int(f.split("=")[1]) for f in flags if f.startswith("--runs-")), 1)
    keys = [*(p.key for p in design.parameters), "seed"] if fast else []
    return launch(
        [o.split(" ") if o else [] for o in jobs["overrides"]],
        hydra_args,
        sweep_dir,
        batch,
        fast_keys=keys,
        runs_per_job=runs_per_job,
        dask=client,
        run_folders="--run-folders" in flags,
    )


def _make_folder(sweep_dir: Path) -> None:
    """The sweep folder, made after checking that it can take files (one line if not)."""
    from sim.errors import CitypeaceError
    from sim.outputs import run_folder

    try:
        run_folder.check_writable(sweep_dir)
        sweep_dir.mkdir(parents=True, exist_ok=True)
    except CitypeaceError as exc:
        raise ConfigError("command line", "hydra.sweep.dir", str(sweep_dir), exc.allowed) from None
    except OSError as exc:
        raise ConfigError(
            "command line", "hydra.sweep.dir", str(sweep_dir), f"a folder that can be made ({exc})"
        ) from None


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

    argv = read_state(Path(sweep_dir)).argv
    if argv and argv[0] == "sweep":
        return main(argv[1:])
    try:
        cli_main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


# ---------------------------------------------------------------------- command line


def _list_designs() -> int:
    for path in sorted(design_dir().glob("*.yaml")):
        design = load_design(str(path))
        print(f"{path.stem:<16} {design.method:<9} {design.description}")
    return 0


def main(args: list[str]) -> int:
    """Entry point of ``citypeace sweep``."""
    from sim.experiments.sensitivity import sensitivity
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
    dask, dask_timeout = None, None
    rest = []
    for arg in args:
        if arg.startswith("--dask="):
            dask = arg.split("=", 1)[1]
            if not dask:
                raise ConfigError("command line", "--dask", dask, "a scheduler address or local")
        elif arg.startswith("--dask-timeout="):
            dask_timeout = float(_whole_number(arg, 3600))
        elif arg.startswith("--batch="):
            batch = _whole_number(arg, BATCH_MAX)
        elif arg.startswith("--runs-per-job="):
            runs_per_job = _whole_number(arg, RUNS_PER_JOB_MAX)
        elif arg.startswith("-") and arg not in SWITCHES:
            raise ConfigError("command line", arg.split("=", 1)[0], arg, f"one of {list(FLAGS)}")
        elif arg not in SWITCHES:
            rest.append(arg)
    if runs_per_job > 1 and not fast:
        raise ConfigError("command line", "--runs-per-job", runs_per_job, "1 with --full-compose")
    if dask is not None and not fast:
        raise ConfigError("command line", "--dask", dask, "no --full-compose beside it")
    return run_design(
        rest,
        dry_run=dry,
        batch=batch,
        fast=fast,
        runs_per_job=runs_per_job,
        dask=dask,
        dask_timeout=dask_timeout,
        run_folders="--run-folders" in args,
    )


def _whole_number(arg: str, most: int) -> int:
    """The value of ``--flag=N``: a whole number in [1, most], or a ConfigError naming the flag."""
    flag, _, value = arg.partition("=")
    number = int(value) if value.strip().isdigit() and len(value) < 20 else 0
    if not 1 <= number <= most:
        raise ConfigError("command line", flag, value, f"a whole number in [1, {most:,}]")
    return number


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
