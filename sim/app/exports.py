"""Downloads that say which run they are: file names, columns, figure footers and the config.

Every export names the scenario, policy, seed and levers (and any dated interventions), in the
file name and inside the file, so a CSV or PNG found later on a desk can be reproduced.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from sim.app.settings import LEVER_DEFAULTS, Settings, same

SHORT = {
    "coordination": "coord",
    "mediation": "med",
    "funding_scale": "fund",
    "participation_scale": "part",
    "io_channel": "io",
    "direct_channel": "direct",
}


def levers_text(settings: Settings) -> str:
    """All levers and interventions in one line, e.g. 'coordination=0.5, mediation=True'."""
    text = ", ".join(f"{k}={getattr(settings, k)}" for k in LEVER_DEFAULTS)
    for step, changes in settings.interventions:
        text += f"; from month {step}: " + ", ".join(f"{k}={v}" for k, v in changes)
    return text


def export_name(settings: Settings, date: str, ext: str, suffix: str = "") -> str:
    """A file name that says which run it is: scenario, policy, seed, changed levers, date."""
    s = settings
    world = f"synthetic{s.n_cities}" if s.scenario == "synthetic" else s.scenario
    changed = [
        f"{SHORT[k]}{_compact(getattr(s, k))}"
        for k, v in LEVER_DEFAULTS.items()
        if not same(getattr(s, k), v)
    ]
    if s.interventions:
        changed.append(f"{len(s.interventions)}interv")
    levers = "_" + "-".join(changed) if changed else ""
    name = f"citypeace_{world}_{s.policy}_seed{s.seed}{levers}_{date}{suffix}.{ext}"
    return re.sub(r"[^A-Za-z0-9_.=-]", "", name)


def _compact(v: Any) -> str:
    if isinstance(v, bool):
        return "on" if v else "off"
    return f"{v:g}"


def footer(ses: Any) -> str:
    """The line stamped under an exported figure."""
    s = ses.settings
    runs = "; ".join(run.label for run in ses.runs)
    return (
        f"citypeace · scenario {s.scenario} · policy {s.policy} · seed {s.seed} · "
        f"levers: {levers_text(s)} · runs: {runs}"
    )


def timeseries_csv(ses: Any) -> bytes:
    """Every run's time series, one block per run, with columns naming the run's settings."""
    parts = []
    for i, run in enumerate(ses.runs):
        ts = ses.timeseries(i).copy()
        s = run.settings
        ts.insert(0, "levers", levers_text(s))
        ts.insert(0, "seed", s.seed)
        ts.insert(0, "policy", s.policy)
        ts.insert(0, "scenario", s.scenario)
        ts.insert(0, "run", run.label)
        parts.append(ts)
    return pd.concat(parts, ignore_index=True).to_csv(index=False).encode("utf-8")


def compare_csv(ses: Any) -> bytes:
    """The runs' series as one long table: run, scenario, policy, seed, step, date, series."""
    from sim.app.compare import compare_frame

    runs = {run.label: ses.timeseries(i) for i, run in enumerate(ses.runs)}
    frame = compare_frame(runs)
    meta = {run.label: run.settings for run in ses.runs}
    frame.insert(3, "seed", [meta[r].seed for r in frame["run"]])
    frame.insert(3, "policy", [meta[r].policy for r in frame["run"]])
    frame.insert(3, "scenario", ses.settings.scenario)
    return frame.to_csv(index=False).encode("utf-8")


def overrides(settings: Settings) -> list[str]:
    """The command line that reproduces the run (interventions excepted)."""
    from sim.scenario.loader import scenario_folder

    s = settings
    out = [f"policy={s.policy}", f"seed={s.seed}"]
    if s.scenario == "synthetic":
        out.insert(0, "scenario=synthetic")
        out.append(f"scenario.n_cities={s.n_cities}")
    else:
        folder = scenario_folder(s.scenario)
        if folder.parent.name == "scenarios":  # a built-in case: its config group
            out.insert(0, f"scenario={s.scenario}")
        else:  # an uploaded folder, as the README's `scenario.path=` form
            out[:0] = [f"scenario.name={s.scenario}", f"scenario.path={folder}"]
    out += [f"levers.{k}={getattr(s, k)}" for k in LEVER_DEFAULTS]
    return out


def config_yaml(ses: Any) -> bytes:
    """The run's resolved config, composed exactly as ``citypeace`` composes it, with a header."""
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from sim.cli.config import config_dir, register
    from sim.experiments.runner import config_yaml as dump

    s = ses.settings
    args = overrides(s)
    register()
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
            cfg = compose("config", overrides=args)
    finally:
        GlobalHydra.instance().clear()
    lines = [
        "# citypeace run config, exported from the app",
        f"# reproduce: citypeace {' '.join(args)}",
    ]
    for step, changes in s.interventions:
        lines.append(
            f"# dated intervention (app): from month {step} ({ses.date(step + 1)}): "
            + ", ".join(f"{k}={v}" for k, v in changes)
            + "  -> PeaceModel.set_levers"
        )
    return ("\n".join(lines) + "\n" + dump(cfg)).encode("utf-8")
