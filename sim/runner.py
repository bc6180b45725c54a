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
    out = Path(out)
    ts = model.timeseries()
    events = model.events_frame()
    write_parquet(ts, out / "timeseries.parquet")
    if cfg.output.cities_every:
        write_parquet(model.city_frame(), out / "cities.parquet")
    write_parquet(events, out / "events.parquet")
    if cfg.output.activities:
        write_parquet(model.activities_frame(), out / "activities.parquet")
    write_text(config_yaml(cfg), out / "config.yaml")
    # The levers actually used (scenario, policy and command line resolved).
    write_json(
        {**provenance(cfg, config_id), "levers": dataclasses.asdict(model.levers)},
        out / "provenance.json",
    )
    if cfg.output.dashboard:
        from sim.dashboard import write_dashboard  # matplotlib: only when a dashboard is drawn

        title = f"{model.case.title} | policy={cfg.policy} seed={cfg.seed}"
        write_dashboard(ts, events, out / "dashboard.png", title)
    return model
