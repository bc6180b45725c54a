"""One run from the command line: the config composed once, checked, then run into its folder.

``hydra.main`` would compose the config again (and the folder checks a third time) and time
its caller's frames; a single run needs none of it. The run gets what Hydra's run mode gives:
the folder ``hydra.run.dir`` (time stamp resolved once), ``.hydra/config.yaml``,
``hydra.yaml`` and ``overrides.yaml`` with Hydra's content, written atomically
(``sim.outputs.run_folder``). Hydra's empty job log file is not written.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from sim.cli.checks import check_config, check_lengths, compose
from sim.cli.messages import explain, fail
from sim.errors import CitypeaceError

if TYPE_CHECKING:
    from sim.cli.painter import Painter


def run(overrides: list[str], painter: Painter | None = None) -> Path:
    """Compose, check, make the folder, run and write; exit 2 on bad input. Returns the
    run folder. ``painter``: a forked process to draw the dashboard (``sim.cli.painter``),
    stopped here whatever happens."""
    try:
        return _run(overrides, painter)
    finally:
        if painter is not None:
            painter.stop()


def _run(overrides: list[str], painter: Painter | None) -> Path:
    from omegaconf import OmegaConf, open_dict

    from sim.outputs import run_folder

    check_lengths(overrides)
    from sim.outputs.provenance import prefetch

    prefetch()  # git and package versions, looked up while the config is composed
    try:
        cfg = compose(overrides, hydra=True)
        run_dir = str(OmegaConf.select(cfg, run_folder.RUN_DIR_KEY))
        subdir = OmegaConf.select(cfg, run_folder.SUBDIR_KEY)
        with open_dict(cfg):
            hydra_cfg = cfg.pop("hydra")
        check_config(cfg)
    except SystemExit:
        raise
    except Exception as exc:
        fail(explain(exc))
    try:
        folder = run_folder.prepare(Path(run_dir), None if subdir is None else str(subdir))
    except CitypeaceError as exc:
        fail(str(exc))
    out = folder.path
    with open_dict(hydra_cfg):  # as Hydra's run_job records it
        hydra_cfg.run.dir = run_dir
        hydra_cfg.runtime.output_dir = os.path.abspath(out)
    from sim.experiments.runner import run_to_folder  # the model and its imports: only for a run

    if painter is not None and not cfg.output.dashboard:
        painter.stop()
        painter = None
    try:
        try:
            folder.write_hydra_files(cfg, hydra_cfg)
            run_to_folder(cfg, out, painter=painter)
        finally:  # the painter writes into the folder: stopped before it is discarded
            if painter is not None:
                painter.stop()
    except CitypeaceError as exc:
        folder.discard()
        fail(str(exc))
    except BaseException:
        folder.discard()
        raise
    print(f"citypeace: wrote {os.path.abspath(out)}")
    return out
