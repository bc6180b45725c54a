"""``citypeace --help``: the commands, the common overrides and where to read more."""

from __future__ import annotations

from sim import __version__

COMMANDS = {
    "run": "one run into outputs/<scenario>/<time>/ (the default: `citypeace key=value ...`)",
    "validate": "pattern checks over a seed ensemble, with null models",
    "sweep": "designed experiments (LHS, Sobol, Morris), run as batches",
    "report": "a report on a finished sweep (tables, fan charts, ranking)",
    "series": "query a run's long series table (variable=..., entity=...)",
    "app": "the browser app (needs: pip install 'citypeace[app]')",
}


def _scenarios() -> str:
    """The scenario config group's names (a directory listing: no scenario is loaded)."""
    from sim.cli.config import config_dir

    names = sorted(p.stem for p in (config_dir() / "scenario").glob("*.yaml"))
    return ", ".join(names)


def text() -> str:
    commands = "\n".join(f"  {name:<9} {what}" for name, what in COMMANDS.items())
    return f"""\
citypeace {__version__}: agent-based simulation of peacebuilding through city networks

usage: citypeace [run] [KEY=VALUE ...]      one run (Hydra overrides)
       citypeace -m KEY=A,B ... [hydra/launcher=joblib]   a sweep (Hydra multirun)
       citypeace COMMAND [ARGS ...]         COMMAND --help for its own options

commands:
{commands}

common overrides:
  scenario=NAME             {_scenarios()}
  scenario.path=DIR         a scenario folder of your own (docs/scenario-format.md)
  policy=NAME seed=N horizon=MONTHS
  model.GROUP.KEY=X levers.KEY=X output.KEY=X   (docs/parameters.md, docs/outputs.md)

  citypeace --cfg job       print the composed config
  citypeace --hydra-help    Hydra's own flags

Bad input is one line naming the file or key, the value and what is allowed (exit code 2).
Outputs: docs/outputs.md. Sweeps: docs/sweeps.md.
"""
