"""Run one configured model and write its outputs into a folder (the Hydra run folder)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import platform
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.outputs.atomic import write_json, write_text

if TYPE_CHECKING:  # OmegaConf: only for a config (a command's stored plan runs without it)
    from omegaconf import DictConfig

    from sim.engine.batch import Batch
    from sim.engine.params import Levers
    from sim.outputs.city_stream import CityStream
    from sim.scenario.loader import Scenario


def config_hash(cfg: DictConfig) -> str:
    """A stable hash of the resolved run config (without Hydra's own settings)."""
    from omegaconf import OmegaConf

    return hash_of(OmegaConf.to_container(cfg, resolve=True))


def hash_of(data: Any) -> str:
    """:func:`config_hash` of the config resolved to plain data (``OmegaConf.to_container(cfg,
    resolve=True)``): a caller that has it resolves the config once for the hash and the
    text (a sweep's run: 6.5 ms of the ~25 ms its config costs, measured)."""
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if k != "hydra"}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def config_yaml(cfg: DictConfig, data: Any = None) -> str:
    """``OmegaConf.to_yaml(cfg, resolve=True)``, the same text, written by libyaml's emitter
    where PyYAML has it (a third of the time: it counts in a sweep of short runs). ``data``:
    the config resolved to plain data already (``OmegaConf.to_container(cfg, resolve=True)``)."""
    import yaml
    from omegaconf import OmegaConf

    if data is None:
        data = OmegaConf.to_container(cfg, resolve=True)
    try:
        return yaml.dump(
            data,
            Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
            default_flow_style=False,
            allow_unicode=True,
            sort_keys=False,
        )
    except yaml.representer.RepresenterError:  # a value only OmegaConf's dumper knows
        return OmegaConf.to_yaml(cfg, resolve=True)


def provenance(cfg: DictConfig, config_id: str | None = None) -> dict[str, Any]:
    """What produced a run (``sim.outputs.provenance.record``): versions, git commit and dirty
    flag, config hash, seed, scenario and policy.

    ``config_id`` is ``config_hash(cfg)`` when the caller has it already (resolving the
    config takes ~9 ms, a few percent of a small run).
    """
    return provenance_of(
        config_id or config_hash(cfg), int(cfg.seed), str(cfg.scenario.name), str(cfg.policy)
    )


def provenance_of(config_id: str, seed: int, scenario: str, policy: str) -> dict[str, Any]:
    """:func:`provenance` from its parts."""
    from sim.outputs.provenance import record

    return record(config_id, seed, scenario=scenario, policy=policy,
                  python=platform.python_version())  # fmt: skip


@dataclasses.dataclass
class EngineRun:
    """One run driven on the engine directly: a batch of one, as ``PeaceModel`` wraps it,
    without the Mesa face (no Mesa import, no agents): the same inputs, checks and random
    stream, so the same outputs bit for bit (tests/test_cli_engine.py)."""

    case: Scenario
    levers: Levers
    batch: Batch

    @classmethod
    def from_config(cls, cfg: DictConfig) -> EngineRun:
        """Checked and built as ``PeaceModel.from_config(cfg)`` builds it."""
        from sim.cli.config import model_kwargs

        return cls.from_kwargs(model_kwargs(cfg))

    @classmethod
    def from_kwargs(cls, kw: dict[str, Any], case: Scenario | None = None) -> EngineRun:
        """Checked and built as ``PeaceModel(**kw)`` builds it; ``case``: the scenario
        ``kw`` names, loaded already (with its policy and horizon)."""
        import numpy as np

        from sim.engine.batch import Batch
        from sim.engine.inputs import load_case, model_params, resolve_levers
        from sim.engine.world import World
        from sim.scenario.arguments import check_model_arguments

        check_model_arguments(kw["scenario"], kw["seed"], kw["horizon"], kw["policy"],
                              kw["params"], kw["levers"], kw.get("synthetic"),
                              kw["cities_every"], kw["cities_max"])  # fmt: skip
        params = model_params(kw["params"])
        case = load_case(kw["scenario"] if case is None else case, kw["seed"], kw["horizon"],
                         kw["policy"], kw.get("synthetic"))  # fmt: skip
        levers = resolve_levers(case, kw["levers"])
        rng = np.random.default_rng(kw["seed"])  # mesa.Model(rng=seed)'s: the streams' parent
        batch = Batch(World(case), [params], [levers], [rng], kw["cities_every"],
                      kw["cities_max"])  # fmt: skip
        return cls(case, levers, batch)

    def run(
        self, progress: bool = False, each_month: Callable[[], None] | None = None
    ) -> EngineRun:
        """Run to the horizon (a progress bar by month with ``progress``; ``each_month``
        called after each month); returns self."""
        months = range(self.batch.horizon - self.batch.t)
        if progress:
            from tqdm.std import tqdm  # tqdm.auto would import asyncio for nothing here

            months = tqdm(months, desc=self.case.name, unit="month")
        for _ in months:
            self.batch.step()
            if each_month is not None:
                each_month()
        return self

    def timeseries(self) -> Any:
        """The run's model-level series (``PeaceModel.timeseries()``)."""
        return self.batch.outputs().timeseries(0)


def run_to_folder(
    cfg: DictConfig,
    out: Path,
    progress: bool | None = None,
    config_id: str | None = None,
    painter: Any = None,
) -> EngineRun:
    """Build, run and write one run: Parquet tables, resolved config and dashboard.

    The run is driven on the engine directly (:class:`EngineRun`); ``PeaceModel`` is the same
    batch of one with a Mesa face. ``config_id``: ``config_hash(cfg)``, if the caller has
    computed it. ``painter``: a :class:`sim.cli.painter.Painter` that draws the dashboard in
    its own process.
    """
    from sim.cli.config import model_kwargs

    show = bool(cfg.output.progress) if progress is None else progress
    return run_into(RunRecord.of(cfg, config_id), model_kwargs(cfg), out, show, painter)


def run_into(
    record: RunRecord,
    kwargs: dict[str, Any],
    out: Path,
    progress: bool,
    painter: Any = None,
    case: Scenario | None = None,
) -> EngineRun:
    """:func:`run_to_folder` from its parts: the run's record and the model's arguments
    (``sim.cli.config.model_kwargs``), as a command-line plan has them (``sim.cli.plan``);
    ``case``: the scenario, loaded already."""
    from sim.outputs.city_stream import CityStream
    from sim.outputs.dashboard import focus_names

    run = EngineRun.from_kwargs(kwargs, case)
    stream = None
    batch = run.batch
    months = (batch.horizon - batch.t) // max(int(kwargs["cities_every"]), 1)
    if record.cities and CityStream.wanted(batch.recorder.city_sample.size, months):
        # cities.parquet encoded in a thread while the months run (sim.outputs.city_stream)
        stream = CityStream(out / "cities.parquet", batch.outputs(), record.provenance)
    try:
        run.run(progress=progress, each_month=None if stream is None else stream.feed)
        outputs = batch.outputs()
        write_run(
            record,
            out,
            outputs.timeseries_columns(0),  # the series as arrays: written and drawn, no frame
            outputs.events_columns(0),  # drawn; written as outputs.events_table (no pandas)
            cities=None,
            activities=None,
            levers=dataclasses.asdict(run.levers),
            title=run.case.title,
            recipients=focus_names(run.case),
            source=(outputs, 0),
            painter=painter,
            stream=stream,
        )
    finally:
        if stream is not None:
            stream.abort()  # after a failure: the thread stopped, no file left
    return run


@dataclasses.dataclass
class RunRecord:
    """What a run's folder records about its config, taken from the config once."""

    config_text: str  # the resolved config as YAML
    provenance: dict[str, Any]
    policy: str
    seed: int
    cities: bool  # write cities.parquet
    activities: bool  # write activities.parquet
    dashboard: bool  # draw dashboard.png

    @classmethod
    def of(cls, cfg: DictConfig, config_id: str | None = None, data: Any = None) -> RunRecord:
        """``data``: the config resolved to plain data, if the caller has it."""
        return cls(
            config_text=config_yaml(cfg, data),
            provenance=provenance(cfg, config_id),
            policy=str(cfg.policy),
            seed=int(cfg.seed),
            cities=bool(cfg.output.cities_every),
            activities=bool(cfg.output.activities),
            dashboard=bool(cfg.output.dashboard),
        )

    @classmethod
    def of_plan(cls, plan: Any) -> RunRecord:
        """The record of a command-line plan (``sim.cli.plan.Plan``); the provenance is
        looked up now (the git state is never cached)."""
        return cls(
            config_text=plan.config_text,
            provenance=provenance_of(plan.config_hash, plan.seed, plan.scenario, plan.policy),
            policy=plan.policy,
            seed=plan.seed,
            cities=plan.cities,
            activities=plan.activities,
            dashboard=plan.dashboard,
        )


def write_run(
    run: RunRecord,
    out: Path,
    ts: Any,
    events: Any,
    *,
    cities: Callable[[], Any] | None,
    activities: Callable[[], Any] | None,
    levers: dict[str, Any],
    title: str,
    source: tuple[Any, int] | None = None,
    painter: Any = None,
    stream: CityStream | None = None,
    recipients: str = "",
) -> None:
    """A finished run's folder: Parquet tables, data dictionary, resolved config, provenance
    and dashboard (docs/outputs.md).

    ``cities`` and ``activities`` are callables that build those frames, called only when the
    run writes them. ``source`` is the batch's :class:`~sim.engine.outputs.Outputs` and the
    run's row in it: with it the run also writes ``series.parquet`` and ``actors.parquet``,
    and city rows, events and activities are built as Arrow tables from its arrays
    (``cities`` and ``activities`` may then be None, ``events`` a mapping of columns: the
    write path needs no pandas). ``painter``: a
    :class:`sim.cli.painter.Painter`, which draws the dashboard in its own process while the
    tables are written; the caller stops it if anything fails. ``stream``: the city rows,
    written already as the run went on (:class:`sim.outputs.city_stream.CityStream`), closed
    here in place of writing them. ``recipients``: the names of the scenario's focus cities,
    named on the dashboard (``sim.outputs.dashboard.focus_names``).
    """
    out = Path(out)

    def write_tables() -> None:
        _write_tables(run, out, ts, events, cities, activities, levers, source, stream)

    if not run.dashboard:
        write_tables()
        return
    title = f"{title} | policy={run.policy} seed={run.seed}"
    if painter is not None:
        painter.draw(ts, events, out / "dashboard.png", title, recipients)
        write_tables()
        painter.wait()
        return
    from concurrent.futures import ThreadPoolExecutor

    # Parquet encoding releases the GIL: the tables are written while the dashboard is drawn.
    # Leaving the pool waits for the writes, so a failure in either leaves nothing running.
    with ThreadPoolExecutor(max_workers=1) as pool:
        written = pool.submit(write_tables)
        from sim.outputs.dashboard import write_dashboard  # matplotlib: only when drawn

        write_dashboard(ts, events, out / "dashboard.png", title, recipients)
        written.result()


def _write_tables(
    run: RunRecord,
    out: Path,
    ts: Any,
    events: Any,
    cities: Callable[[], Any] | None,
    activities: Callable[[], Any] | None,
    levers: dict[str, Any],
    source: tuple[Any, int] | None,
    stream: CityStream | None = None,
) -> None:
    """Everything of :func:`write_run` but the dashboard. City rows, the largest table by
    far (a million rows for 10,000 cities), are encoded in a thread of their own beside the
    others (Arrow releases the GIL); leaving the pool waits for them, so a failure in either
    leaves nothing running."""
    from concurrent.futures import ThreadPoolExecutor

    from sim.outputs import tables

    prov = run.provenance
    city_rows = None
    if source is not None and run.cities:
        outputs, row = source
        city_rows = lambda: outputs.cities_table(row, dates=True)  # noqa: E731 - in the thread
    elif run.cities and cities is not None:
        city_rows = cities
    with ThreadPoolExecutor(max_workers=1) as pool:
        written = None
        if stream is not None:
            written = pool.submit(stream.close)
        elif city_rows is not None:
            written = pool.submit(
                lambda: tables.write(city_rows(), out / "cities.parquet", "cities", prov)
            )
        _write_small_tables(run, out, ts, events, activities, levers, source)
    if written is not None:
        written.result()


def _write_small_tables(
    run: RunRecord,
    out: Path,
    ts: Any,
    events: Any,
    activities: Callable[[], Any] | None,
    levers: dict[str, Any],
    source: tuple[Any, int] | None,
) -> None:
    """Every table and text of :func:`write_run` but the dashboard and the city rows."""
    from sim.outputs import dictionary, tables

    prov = run.provenance
    units = _series_units(source)
    wide = tables.with_dates(ts)  # date: 'YYYY-MM' text in memory, a date32 in the file
    tables.write(wide, out / "timeseries.parquet", "timeseries", prov, units)
    if source is not None:
        outputs, row = source
        series = outputs.series_table(row, str(prov.get("config_hash", "")))
        tables.write(series, out / "series.parquet", "series", prov)
        tables.write(outputs.actors_table(), out / "actors.parquet", "actors", prov)
        tables.write(outputs.events_table(row), out / "events.parquet", "events", prov)
        if run.activities:
            tables.write(outputs.activities_table(row), out / "activities.parquet",
                         "activities", prov)  # fmt: skip
    else:
        tables.write(events, out / "events.parquet", "events", prov)
        if run.activities and activities is not None:
            tables.write(activities(), out / "activities.parquet", "activities", prov)
    write_text(dictionary.csv_text(), out / "dictionary.csv")
    write_text(run.config_text, out / "config.yaml")
    # The levers actually used (scenario, policy and command line resolved).
    write_json({**prov, "levers": levers}, out / "provenance.json")


def _series_units(source: tuple[Any, int] | None) -> dict[str, Any]:
    """Dictionary entries of the wide table's columns, by the variable each one is."""
    from sim.outputs.dictionary import SERIES

    if source is None:
        return {}
    keys = source[0].series_keys()
    return {col: SERIES[var] for col, (var, _) in keys.items() if var in SERIES}
