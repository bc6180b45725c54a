"""Run one configured model and write its outputs into a folder (the Hydra run folder)."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import platform
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

from omegaconf import DictConfig, OmegaConf

from sim import __version__
from sim.io import write_json, write_parquet, write_text

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


@functools.cache
def _git_commit() -> str | None:
    # Once per process: a sweep worker would otherwise start git for every run.
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def provenance(cfg: DictConfig, config_id: str | None = None) -> dict[str, Any]:
    """What produced a run: package version, git commit, config hash, seed.

    ``config_id`` is ``config_hash(cfg)`` when the caller has it already (resolving the
    config takes ~9 ms, a few percent of a small run).
    """
    return {
        "citypeace": __version__,
        "git_commit": _git_commit(),
        "config_hash": config_id or config_hash(cfg),
        "seed": int(cfg.seed),
        "python": platform.python_version(),
    }


def run_to_folder(
    cfg: DictConfig, out: Path, progress: bool | None = None, config_id: str | None = None
) -> PeaceModel:
    """Build, run and write a model: Parquet tables, resolved config and dashboard.

    ``config_id``: ``config_hash(cfg)``, if the caller has computed it.
    """
    from sim.engine.model import PeaceModel  # Mesa and the model: not needed to plan a sweep

    model = PeaceModel.from_config(cfg)
    show = bool(cfg.output.progress) if progress is None else progress
    model.run(progress=show)
    write_run(
        RunRecord.of(cfg, config_id),
        out,
        model.timeseries(),
        model.events_frame(),
        cities=model.city_frame,
        activities=model.activities_frame,
        levers=dataclasses.asdict(model.levers),
        title=model.case.title,
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
    cities: Any,
    activities: Any,
    levers: dict[str, Any],
    title: str,
) -> None:
    """A finished run's folder: Parquet tables, resolved config, provenance and dashboard.

    ``cities`` and ``activities`` are callables that build those frames, called only when the
    run writes them.
    """
    out = Path(out)
    write_parquet(ts, out / "timeseries.parquet")
    if run.cities:
        write_parquet(cities(), out / "cities.parquet")
    write_parquet(events, out / "events.parquet")
    if run.activities:
        write_parquet(activities(), out / "activities.parquet")
    write_text(run.config_text, out / "config.yaml")
    # The levers actually used (scenario, policy and command line resolved).
    write_json({**run.provenance, "levers": levers}, out / "provenance.json")
    if run.dashboard:
        from sim.dashboard import write_dashboard  # matplotlib: only when a dashboard is drawn

        title = f"{title} | policy={run.policy} seed={run.seed}"
        write_dashboard(ts, events, out / "dashboard.png", title)
