"""The ``citypeace`` command.

``citypeace [run] [overrides]`` runs one scenario; ``-m`` runs a Hydra multirun sweep.
Sub-commands: ``validate`` (pattern checks over a seed ensemble), ``sweep`` (designed
experiments), ``report`` (a sweep report), ``series`` (query a run's long series table) and
``app`` (the browser app); ``citypeace --help`` lists them.

Bad input never reaches a run folder: the overrides are composed and validated first, and any
problem is printed as one line, ``citypeace: error: <where>: <key> = <value>: <allowed>``, with
exit code 2.

- ``main``: dispatch (``command``: the console script and ``python -m sim``, ending a run's
  process without the interpreter's teardown); ``usage``: the help text;
- ``single``: one run, its config composed once (no ``hydra.main``), driven on the engine
  directly (``sim.experiments.runner.EngineRun``: no Mesa import);
- ``plan``: a run's composed, checked config as plain data; ``run_cache``: plans kept on
  disk, so a repeated command skips Hydra (``CITYPEACE_CACHE=0`` turns it off);
  ``scenario_cache``: validated scenarios kept on disk (no pydantic, no validation again);
  ``paths``: the configs folder and a scenario folder's name, without Hydra;
- ``hydra_app``: multiruns and Hydra's own flags through ``hydra.main``, and the sweep job
  (``_task``);
- ``schemas``: the structured configs and their checks (``validate``, ``model_kwargs``), no
  Hydra; ``config``: their registration with Hydra and ``compose``;
- ``plain``: a first command's plan composed without Hydra, as Hydra would, when its overrides
  are only ``scenario=`` and plain values of ``seed``, ``policy``, ``horizon`` and
  ``output.*`` (Hydra composes anything else); YAML read and written with the safe loader and
  dumper only, refusing (to Hydra) wherever OmegaConf's rules could differ: ``omegaconf_yaml``;
  Hydra's own node: ``hydra_node.json``;
- ``checks``: compose and validate (``preflight``); ``messages``: the one-line errors;
- ``extras``: a missing optional dependency names its ``pip install``;
- ``painter``: the dashboard drawn in a forked process that imports Matplotlib while the run
  starts (Linux; ``CITYPEACE_PAINTER=0`` draws it in process).
"""

from __future__ import annotations

from sim.cli.checks import MAX_OVERRIDE, preflight
from sim.cli.hydra_app import _task, run_hydra
from sim.cli.main import SUBCOMMANDS, main
from sim.cli.messages import EXIT_BAD_INPUT, explain, fail

__all__ = [
    "EXIT_BAD_INPUT",
    "MAX_OVERRIDE",
    "SUBCOMMANDS",
    "_task",
    "explain",
    "fail",
    "main",
    "preflight",
    "run_hydra",
]
