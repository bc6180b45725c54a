"""Run one configured model and write its outputs into a folder (the Hydra run folder)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import platform
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from omegaconf import DictConfig, OmegaConf

from sim.outputs.atomic import write_json, write_text

if TYPE_CHECKING:
    from sim.engine.model import PeaceModel


def config_hash(cfg: DictConfig) -> str:
    """A stable hash of the resolved run config (without Hydra's own settings)."""
    data = OmegaConf.to_container(cfg, resolve=True)
    if isinstance(data, dict):
        data.pop("hydra", None)
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def config_yaml(cfg: DictConfig) -> str:
    """``OmegaConf.to_yaml(cfg, resolve=True)``, the same text, written by libyaml's emitter
    where PyYAML has it (a third of the time: it counts in a sweep of short runs)."""
    import yaml

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
    from sim.outputs.provenance import record

    return record(
        config_id or config_hash(cfg),
        int(cfg.seed),
        scenario=str(cfg.scenario.name),
        policy=str(cfg.policy),
        python=platform.python_version(),
    )


def run_to_folder(
    cfg: DictConfig,
    out: Path,
    progress: bool | None = None,
    config_id: str | None = None,
    painter: Any = None,
) -> PeaceModel:
    """Build, run and write a model: Parquet tables, resolved config and dashboard.

    ``config_id``: ``config_hash(cfg)``, if the caller has computed it. ``painter``: a
    :class:`sim.cli.painter.Painter` that draws the dashboard in its own process.
    """
    from sim.engine.model import PeaceModel  # Mesa and the model: not needed to plan a sweep

    model = PeaceModel.from_config(cfg)
    show = bool(cfg.output.progress) if progress is None else progress
    model.run(progress=show)
    outputs = model.batch.outputs()
    write_run(
        RunRecord.of(cfg, config_id),
        out,
        outputs.timeseries(0),
        outputs.events_frame(0),
        cities=None,
        activities=lambda: outputs.activities(0),
        levers=dataclasses.asdict(model.levers),
        title=model.case.title,
        source=(outputs, 0),
        painter=painter,
    )
    return model


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
    def of(cls, cfg: DictConfig, config_id: str | None = None) -> RunRecord:
        return cls(
            config_text=config_yaml(cfg),
            provenance=provenance(cfg, config_id),
            policy=str(cfg.policy),
            seed=int(cfg.seed),
            cities=bool(cfg.output.cities_every),
            activities=bool(cfg.output.activities),
            dashboard=bool(cfg.output.dashboard),
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
) -> None:
    """A finished run's folder: Parquet tables, data dictionary, resolved config, provenance
    and dashboard (docs/outputs.md).

    ``cities`` and ``activities`` are callables that build those frames, called only when the
    run writes them. ``source`` is the batch's :class:`~sim.engine.outputs.Outputs` and the
    run's row in it: with it the run also writes ``series.parquet`` and ``actors.parquet``,
    and city rows are built as Arrow tables (``cities`` may then be None). ``painter``: a
    :class:`sim.cli.painter.Painter`, which draws the dashboard in its own process while the
    tables are written; the caller stops it if anything fails.
    """
    out = Path(out)

    def write_tables() -> None:
        _write_tables(run, out, ts, events, cities, activities, levers, source)

    if not run.dashboard:
        write_tables()
        return
    title = f"{title} | policy={run.policy} seed={run.seed}"
    if painter is not None:
        painter.draw(ts, events, out / "dashboard.png", title)
        write_tables()
        painter.wait()
        return
    from concurrent.futures import ThreadPoolExecutor

    # Parquet encoding releases the GIL: the tables are written while the dashboard is drawn.
    # Leaving the pool waits for the writes, so a failure in either leaves nothing running.
    with ThreadPoolExecutor(max_workers=1) as pool:
        written = pool.submit(write_tables)
        from sim.outputs.dashboard import write_dashboard  # matplotlib: only when drawn

        write_dashboard(ts, events, out / "dashboard.png", title)
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
) -> None:
    """Everything of :func:`write_run` but the dashboard."""
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
        if run.cities:
            tables.write(outputs.cities_table(row), out / "cities.parquet", "cities", prov)
    elif run.cities and cities is not None:
        tables.write(cities(), out / "cities.parquet", "cities", prov)
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
