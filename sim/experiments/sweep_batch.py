"""The runs of one launcher job, stepped together as batches (``citypeace sweep --runs-per-job``).

Every run keeps its identity: its config hash, skipped when already complete, a status record
with its outcomes and provenance, a failed row when its config is invalid, when it raises or
when its state stops being finite, and its series in the sweep's dataset. Only the stepping is
shared: the runs still to do are one :class:`~sim.engine.ensemble.Ensemble`, whose replicates
are exactly their single runs (tests/test_ensemble.py).

How the runs are written depends on the sweep's ``--run-folders`` (``batches.json``):

- without it (the default), the job's series and status records are committed together, in
  one series file and one record file for the whole job (``sim.experiments.sweep_records``);
  a run's ``duration_s`` and ``cpu_s`` are its share of the stepping plus its own rows;
- with it, each run also gets its own folder named by its config hash, with every table of a
  single run (``sim.experiments.runner.write_run``) and its ``status.json``; a run's
  ``duration_s`` and ``cpu_s`` are then its share of the batch plus the writing of its folder.

``batch_runs`` says how many runs shared the batch.
"""

from __future__ import annotations

import dataclasses
import json
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from omegaconf import DictConfig

from sim.errors import CitypeaceError

SYNC_EVERY = 32  # runs written between syncs (their status records follow each sync)


@dataclasses.dataclass
class _Run:
    """One run of the job, taken from its config before the next run's values are applied."""

    num: int
    out: Path
    record: dict[str, Any]
    info: Any  # sim.experiments.runner.RunRecord; with no folder, the provenance alone
    kwargs: dict[str, Any] | None  # PeaceModel's arguments; None when the config is invalid
    error: str | None = None


def run_batch(cfg: DictConfig, sweep_dir: Path, subdir: str) -> None:
    """The runs of one launcher job (``hydra.sweep.subdir = .batches/<index>``), as batches.

    Each run's config is the job's config with the run's own fast overrides applied, exactly
    what a job of its own would get (``sim.experiments.sweep.FastSweepLoader``).
    """
    import copy

    from hydra._internal.config_loader_impl import ConfigLoaderImpl
    from hydra.core.override_parser.overrides_parser import OverridesParser

    from sim.cli.config import check_known_keys, model_kwargs
    from sim.experiments.orphans import watch_leader
    from sim.experiments.run_status import is_complete, mark_progress, new_record
    from sim.experiments.runner import RunRecord, hash_of, provenance_of
    from sim.experiments.sweep_configs import RunConfigs
    from sim.experiments.sweep_launch import BATCHES
    from sim.experiments.sweep_records import completed

    watch_leader()
    sweep_dir = Path(sweep_dir)
    spec = json.loads((sweep_dir / BATCHES).read_text(encoding="utf-8"))
    fast = frozenset(spec["fast_keys"])
    folders = bool(spec.get("run_folders", True))  # batches.json of an older sweep: folders
    done = completed(sweep_dir)  # runs committed without a folder (either way, skipped)
    parser = OverridesParser.create()
    run_cfg = copy.deepcopy(cfg)
    mirror = RunConfigs()  # run_cfg as plain data and dataclasses, converted once
    runs: list[_Run] = []
    seen: set[str] = set()
    checked = False  # check_known_keys of the job's config (unknown keys), once
    lagging: list[str] = []  # plain numbers in the mirror but not yet in run_cfg
    skipped = 0
    for num, overrides in spec["batches"][int(subdir.rsplit("/", 1)[-1])]:
        # The runs of a batch set the same fast keys (plan_batches groups them so), each to a
        # plain value: applied over the previous run's values, they give the config a fresh
        # copy would, without copying it for every run. Without run folders the numbers go
        # straight into the mirror (RunConfigs.assign) and reach run_cfg only when something
        # reads it (Hydra's path, a full conversion): the values are the same either way.
        mine = [o for o in overrides if o.split("=", 1)[0] in fast]
        numbers, rest = _numbers(mine)
        if not folders and not rest and mirror.assign(numbers):
            lagging += mine
            data = mirror.resolved_data()
            changed: list[str] = []
        else:
            changed = []
            rest = _apply_numbers([*lagging, *mine], run_cfg, changed)
            lagging = []
        if rest:  # Hydra's grammar: anything may change, the mirror starts again
            chosen = parser.parse_overrides(rest)
            if any(o.is_add() or o.is_delete() or o.is_force_add() for o in chosen):
                run_cfg = copy.deepcopy(cfg)
            ConfigLoaderImpl._apply_overrides_to_config(chosen, run_cfg)
            mirror.reset()
        if changed or rest or not lagging:
            data = mirror.resolved(run_cfg, changed)  # once: the hash, the record and the text
        run_id = hash_of(data)
        out = sweep_dir / run_id
        if run_id in done or run_id in seen or is_complete(out, run_id):
            skipped += 1  # identical configs are one run
            continue
        seen.add(run_id)
        record = new_record(run_cfg, out, sweep_dir, num, overrides, run_id, data)
        try:
            if rest or not checked:  # the keys change only through Hydra's path
                check_known_keys(run_cfg)
                checked = True
            if lagging and not mirror.fast_checked():  # a full conversion reads run_cfg
                _apply_numbers(lagging, run_cfg)
                lagging = []
            # the values' checks of model_kwargs (ranges, levers, horizon, seed, output)
            kwargs, error = model_kwargs(mirror.checked(run_cfg)), None
        except CitypeaceError as exc:  # an invalid run is a failed row, not a failed job
            kwargs, error = None, f"{type(exc).__name__}: {exc}"
        if folders:
            info = RunRecord.of(run_cfg, run_id, copy.deepcopy(data))
        else:  # no config.yaml to write: the provenance is all a record needs
            record["run_dir"] = None
            info = provenance_of(run_id, int(data["seed"]), str(data["scenario"]["name"]),
                                 str(data["policy"]))  # fmt: skip
        runs.append(_Run(num, out, record, info, kwargs, error))
    if skipped:
        mark_progress(sweep_dir, f"skipped-{subdir.rsplit('/', 1)[-1]}", skipped)
    run_together(runs, sweep_dir, folders)


# A plain decimal number, as a design writes its values (and seeds): Hydra's grammar reads it
# as Python's int() or float() of the same text.
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][+-]?[0-9]+)?)?")


def _numbers(overrides: Sequence[str]) -> tuple[dict[str, Any], list[str]]:
    """The overrides ``key=<plain number>`` as key -> number (parsed as :func:`_apply_numbers`
    parses them), and the others."""
    numbers: dict[str, Any] = {}
    rest = []
    for text in overrides:
        key, _, value = text.partition("=")
        if _NUMBER.fullmatch(value) and key.replace(".", "").replace("_", "").isalnum():
            numbers[key] = float(value) if "." in value else int(value)
        else:
            rest.append(text)
    return numbers, rest


def _apply_numbers(
    overrides: Sequence[str], cfg: DictConfig, changed: list[str] | None = None
) -> list[str]:
    """Apply the overrides ``key=<plain number>`` to ``cfg`` as Hydra applies a changed value
    (``OmegaConf.update(cfg, key, value, merge=True)``, its ``_apply_overrides_to_config``)
    without Hydra's grammar, which costs about a quarter of a run's config in a batch
    (measured); returns the others, for Hydra's parser (and its error messages). The keys
    applied are appended to ``changed``."""
    from omegaconf import OmegaConf

    rest = []
    for text in overrides:
        key, _, value = text.partition("=")
        if _NUMBER.fullmatch(value) and key.replace(".", "").replace("_", "").isalnum():
            try:
                OmegaConf.update(cfg, key, float(value) if "." in value else int(value),
                                 merge=True)  # fmt: skip
                if changed is not None:
                    changed.append(key)
                continue
            except Exception:  # noqa: BLE001 - Hydra's path says what is wrong
                pass
        rest.append(text)
    return rest


def run_together(runs: Sequence[_Run], sweep_dir: Path, folders: bool = True) -> None:
    """Step the valid runs in batches (one per scenario and output setting), then write
    them: each into its own folder (``folders``), else all of them in one commit."""
    from sim.experiments.run_status import finish_record, record_failure

    groups: dict[str, list[_Run]] = {}
    invalid = [run for run in runs if run.kwargs is None]
    for run in runs:
        if run.kwargs is None:
            continue
        shared = {
            k: v for k, v in run.kwargs.items() if k not in ("seed", "policy", "params", "levers")
        }
        groups.setdefault(repr(sorted(shared.items(), key=lambda kv: kv[0])), []).append(run)
    if not folders:
        from sim.experiments.sweep_records import run_without_folders

        run_without_folders(invalid, list(groups.values()), sweep_dir, _step)
        return
    for run in invalid:
        record_failure(run.record, run.out, run.error or "invalid config")
        finish_record(run.record, run.out, sweep_dir, 0.0, 0.0)
    for members in groups.values():
        _run_group(members, sweep_dir)


def _step(members: Sequence[_Run]) -> tuple[Any, float, float]:
    """The members stepped as one ensemble: it, and each member's share of the wall and CPU
    time. Raises what the ensemble raises (bad input the preflight could not see)."""
    from sim.engine.ensemble import Ensemble, Replicate

    first = members[0].kwargs
    replicates = [
        Replicate(seed=int(r.kwargs["seed"]), policy=r.kwargs["policy"], params=r.kwargs["params"],
                  levers=r.kwargs["levers"])
        for r in members
    ]  # fmt: skip
    start, cpu = time.perf_counter(), time.process_time()
    ensemble = Ensemble(
        first["scenario"],
        replicates,
        horizon=first["horizon"],
        cities_every=first["cities_every"],
        cities_max=first["cities_max"],
        synthetic=first.get("synthetic"),
    ).run()
    share_s = (time.perf_counter() - start) / len(members)
    return ensemble, share_s, (time.process_time() - cpu) / len(members)


def _run_group(members: list[_Run], sweep_dir: Path) -> None:
    from sim.experiments.run_status import finish_record, record_failure
    from sim.outputs.atomic import deferred_sync

    try:
        ensemble, share_s, share_cpu = _step(members)
    except Exception as exc:  # noqa: BLE001 - bad input the preflight could not see
        for run in members:
            record_failure(run.record, run.out, exc)
            finish_record(run.record, run.out, sweep_dir, 0.0, 0.0)
        return
    # Written SYNC_EVERY runs at a time, made durable together (deferred_sync: one sync for
    # all their files), and only then recorded complete (their status records synced
    # together in turn): a crash leaves runs to redo, never a status.json over a file that
    # did not reach the disk.
    for at in range(0, len(members), SYNC_EVERY):
        part = list(enumerate(members))[at : at + SYNC_EVERY]
        spent: list[tuple[float, float]] = []
        begun, begun_cpu = time.perf_counter(), time.process_time()
        with deferred_sync():
            for i, run in part:
                own, own_cpu = time.perf_counter(), time.process_time()
                _write(ensemble, i, run, sweep_dir, len(members))
                spent.append((time.perf_counter() - own, time.process_time() - own_cpu))
        # the sync's time, shared as the stepping's is
        sync_s = (time.perf_counter() - begun - sum(w for w, _ in spent)) / len(part)
        sync_cpu = (time.process_time() - begun_cpu - sum(c for _, c in spent)) / len(part)
        with deferred_sync():  # the records too: one sync, not one fsync each (a lost one
            for (_, run), (wall, used) in zip(part, spent, strict=True):  # is a run redone)
                finish_record(run.record, run.out, sweep_dir, share_s + sync_s + wall,
                              share_cpu + sync_cpu + used)  # fmt: skip


def _write(ensemble: Any, i: int, run: _Run, sweep_dir: Path, batch_runs: int) -> None:
    """Run ``i`` of the batch into its folder (or its failed row) and the sweep's series."""
    from sim.experiments.run_status import discard_outputs, outcomes, record_failure
    from sim.experiments.runner import write_run
    from sim.experiments.sweep_series import write_series
    from sim.outputs.atomic import OutputError
    from sim.outputs.dashboard import focus_names

    run.record["batch_runs"] = batch_runs
    if i in ensemble.failures:
        record_failure(run.record, run.out, ensemble.failures[i])
        return
    outputs, row = ensemble.outputs(i)
    # The series as arrays, as the run command writes them (sim.experiments.runner.run_into):
    # no frame to build and convert (a third of a tuzla run's writing).
    ts = outputs.timeseries_columns(row)
    try:
        write_run(
            run.info,
            run.out,
            ts,
            outputs.events_columns(row),
            cities=lambda o=outputs, r=row: o.cities(r),
            activities=lambda o=outputs, r=row: o.activities(r),
            levers=dataclasses.asdict(ensemble.levers_of(i)),
            title=ensemble.case_of(i).title,
            recipients=focus_names(ensemble.case_of(i)),
            source=(outputs, row),
        )
        run.record["series"] = write_series(run.out, sweep_dir, run.record["run_id"])
    except OutputError:
        discard_outputs(run.out)  # redone on resume; its room lets the summary fit
        raise  # a full disk stops the sweep (sim.experiments.run_status)
    except Exception as exc:  # noqa: BLE001 - a run that cannot be written has failed
        record_failure(run.record, run.out, exc)
    else:
        run.record.update(
            status="completed", error=None, months=len(ts["date"]), outcomes=outcomes(ts)
        )
