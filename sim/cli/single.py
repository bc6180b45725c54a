"""One run from the command line: the config composed once, checked, then run into its folder.

``hydra.main`` would compose the config again (and the folder checks a third time) and time
its caller's frames; a single run needs none of it. The run gets what Hydra's run mode gives:
the folder ``hydra.run.dir`` (time stamp resolved once), ``.hydra/config.yaml``,
``hydra.yaml`` and ``overrides.yaml`` with Hydra's content, written atomically
(``sim.outputs.run_folder``). Hydra's empty job log file is not written.

The composed, checked config is a :class:`~sim.cli.plan.Plan`, composed without Hydra when
the command sets nothing but the scenario and plain values of the seed, policy, horizon and
``output.*`` (``sim.cli.plain``: a first run skips importing Hydra and OmegaConf; any other
command, or a config file OmegaConf might read otherwise, is composed by Hydra); a repeated
command finds it in
the plan cache (``sim.cli.run_cache``) and neither imports Hydra nor composes; its scenario,
stored for the very same files (``sim.cli.scenario_cache``), is not validated again. The run
itself drives the engine directly (``sim.experiments.runner.EngineRun``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.cli import run_cache, scenario_cache, seeds
from sim.cli.checks import check_config, check_lengths, compose
from sim.cli.messages import explain, fail
from sim.cli.plan import Plan
from sim.errors import CitypeaceError

if TYPE_CHECKING:
    from sim.cli.painter import Painter
    from sim.scenario.case import Scenario


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
    from sim.outputs import run_folder

    check_lengths(overrides)
    from sim.outputs.provenance import prefetch

    prefetch()  # git and package versions, looked up while the config is composed
    plan, found, case, fresh = _plan(overrides)
    try:
        run_dir, subdir = plan.run_folder()
        folder = run_folder.prepare(Path(run_dir), subdir)
    except CitypeaceError as exc:
        fail(str(exc))
    out = folder.path
    from sim.experiments.runner import RunRecord, run_into  # the model: only for a run

    if painter is not None and not plan.dashboard:
        painter.stop()
        painter = None
    try:
        try:
            if subdir is not None:  # .hydra/, as Hydra's run_job writes it
                folder.write_hydra_texts(
                    plan.config_yaml,
                    plan.hydra_yaml(run_dir, Path(os.path.abspath(out)), subdir),
                    plan.overrides_yaml(),
                )
            run_into(RunRecord.of_plan(plan), plan.kwargs(), out, plan.progress, painter, case)
        finally:  # the painter writes into the folder: stopped before it is discarded
            if painter is not None:
                painter.stop()
    except CitypeaceError as exc:
        folder.discard()
        fail(str(exc))
    except BaseException:
        folder.discard()
        raise
    if fresh is None:
        run_cache.touch(found)
    else:
        run_cache.store(found, fresh)  # only a run that went through: never a refused one
    print(f"citypeace: wrote {os.path.abspath(out)}")
    return out


def _plan(overrides: list[str]) -> tuple[Plan, str | None, Scenario, Plan | None]:
    """The run's plan: stored by an earlier run (of the same command, or of the same
    command with another seed: ``sim.cli.seeds``), or composed and checked now; the cache
    key to mark as used or to store under; its scenario, checked (or generated); and the
    plan to store under that key (None when it was stored). Exit 2 on bad input."""
    from sim.cli.paths import with_path_name

    overrides = with_path_name(list(overrides))
    seeded = seeds.marked(overrides) if run_cache.enabled() else None
    plan, found, fresh, own = None, None, None, None
    if seeded is not None:  # a plain seed: its template, else its own plan, if stored
        kept, found = run_cache.lookup(seeded[0])
        if kept is not None and kept.hash_text is not None:
            plan = seeds.with_seed(kept, seeded[1])
        else:
            plan, own = run_cache.lookup(overrides)
            found = own if plan is not None else found
    else:
        plan, found = run_cache.lookup(overrides)
    try:
        if plan is None and seeded is not None and found is not None:
            kept = seeds.template(*_composed(seeded[0]))  # composed once for every seed
            if kept is not None:
                plan, fresh = seeds.with_seed(kept, seeded[1]), kept
            else:  # refused: the seed's own plan, stored under its own key
                found = own
        if plan is None:
            plan = fresh = _composed(overrides)[0]
        kwargs = plan.kwargs()
        if plan.scenario == "synthetic":
            case = synthetic_case(kwargs)
        else:  # read and checked, or stored for these very files
            case = scenario_cache.load(kwargs["scenario"], plan.scenario, plan.policy,
                                       kwargs["horizon"])  # fmt: skip
        return plan, found, case, fresh
    except SystemExit:
        raise
    except Exception as exc:
        fail(explain(exc))


def _composed(overrides: list[str]) -> tuple[Plan, Any]:
    """The plan of ``overrides`` composed and checked (not the scenario: loaded as a stored
    plan's is), and the composed config: without Hydra for a plain command
    (``sim.cli.plain``: ``scenario=`` and plain ``seed``, ``policy``, ``horizon`` and
    ``output.*`` values), else by Hydra."""
    from sim.cli.plain import plain_plan

    plain = plain_plan(overrides)
    if plain is not None:
        return plain
    from omegaconf import open_dict

    cfg = compose(overrides, hydra=True)
    with open_dict(cfg):
        hydra_cfg = cfg.pop("hydra")
    check_config(cfg, scenario=False)
    return Plan.of(cfg, hydra_cfg), cfg


# Up to this many cities a synthetic world is generated as numpy columns, without pandas
# (importing it and building frames: ~0.3 s of CPU at 10,000 cities); beyond it the engine
# maps the ties' text endpoints to rows more slowly than pandas' categoricals do (measured:
# even at ~60,000 cities, 0.2 s slower at 100,000), so the frames are made as before.
COLUMNS_UP_TO = 50_000


def synthetic_case(kwargs: dict) -> Scenario:
    """The synthetic world ``kwargs`` (``sim.cli.config.model_kwargs``) asks for, as the
    engine's ``load_case`` generates it: the same spec, horizon and seed, so the same world
    (tests/test_synthetic_columns.py)."""
    import dataclasses

    from sim.engine.inputs import coerce
    from sim.scenario.synthetic import SyntheticSpec, generate, generate_columns

    spec = coerce(kwargs.get("synthetic"), SyntheticSpec)
    if kwargs["horizon"] is not None:
        spec = dataclasses.replace(spec, horizon=kwargs["horizon"])
    seed = 0 if kwargs["seed"] is None else int(kwargs["seed"])
    make = generate_columns if spec.n_cities <= COLUMNS_UP_TO else generate
    return make(spec, seed)
