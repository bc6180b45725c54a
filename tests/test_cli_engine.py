"""The command line's run drives the engine directly (a batch of one, no Mesa face): every file
it writes is the same, byte for byte, as the files written from ``PeaceModel`` built from the
same config."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT


def _model_folder(cfg, out: Path) -> None:  # noqa: ANN001 - a DictConfig
    """The run folder as written through the Mesa face (what the command wrote before)."""
    from sim import PeaceModel
    from sim.experiments.runner import RunRecord, write_run

    model = PeaceModel.from_config(cfg).run()
    outputs = model.batch.outputs()
    write_run(
        RunRecord.of(cfg),
        out,
        outputs.timeseries(0),
        outputs.events_frame(0),
        cities=None,
        activities=lambda: outputs.activities(0),
        levers=dataclasses.asdict(model.levers),
        title=model.case.title,
        source=(outputs, 0),
    )


@pytest.mark.parametrize(
    "overrides",
    [
        ["scenario=two_cities", "horizon=24", "seed=3"],
        ["scenario=tuzla", "policy=no_abc", "horizon=36", "seed=1", "levers.funding_scale=1.5"],
        [
            "scenario=synthetic",
            "scenario.n_cities=60",
            "horizon=12",
            "seed=2",
            "model.trust.decay=0.05",
        ],  # fmt: skip
    ],
)
def test_engine_run_writes_what_the_model_writes(tmp_path: Path, overrides: list[str]) -> None:
    from sim.cli.config import compose
    from sim.experiments.runner import run_to_folder

    cfg = compose([*overrides, "output.dashboard=false", "output.progress=false"])
    run_to_folder(cfg, tmp_path / "engine")
    _model_folder(cfg, tmp_path / "model")
    engine = sorted(p.name for p in (tmp_path / "engine").iterdir())
    model = sorted(p.name for p in (tmp_path / "model").iterdir())
    assert engine == model
    assert "cities.parquet" in engine and "activities.parquet" in engine
    for name in engine:
        assert (tmp_path / "engine" / name).read_bytes() == (
            tmp_path / "model" / name
        ).read_bytes(), name


def test_a_run_from_the_command_line_imports_no_mesa(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from sim.cli import main\n"
        "try:\n"
        "    main(['scenario=two_cities', 'horizon=2', 'output.progress=false',"
        " 'output.dashboard=false'])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "print(sorted(m for m in sys.modules if m == 'mesa' or m.startswith('mesa.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                          check=True)  # fmt: skip
    assert done.stdout.strip().splitlines()[-1] == "[]"


# What a repeated run needs: numpy, pyarrow and the engine. Hydra, OmegaConf and YAML compose a
# config (the plan cache has it), pydantic and pandas read and check a scenario (the scenario
# cache has its tables as numpy columns; a synthetic world is generated as numpy columns),
# the tables are built from arrays (no pandas),
# Matplotlib draws (in the forked painter), and the others are never used by a run.
NOT_NEEDED = ("mesa", "hydra", "omegaconf", "yaml", "pydantic", "pandas", "matplotlib", "PIL",
              "scipy", "networkx", "numba", "tqdm", "sim.scenario.loader",
              "sim.cli.config")  # fmt: skip


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the painter forks on Linux")
@pytest.mark.parametrize("command", [["scenario=tuzla", "horizon=12"],
                                     ["scenario=two_cities", "horizon=1"],
                                     ["scenario=synthetic", "scenario.n_cities=300",
                                      "horizon=3"]])  # fmt: skip
def test_a_repeated_run_imports_only_what_it_needs(tmp_path: Path, command: list[str]) -> None:
    code = (
        "import sys\n"
        "from sim.cli import main\n"
        f"sys.argv = ['citypeace', *{command!r}, 'output.progress=false']\n"
        "try:\n"
        "    main()\n"  # as the command runs: the dashboard drawn by the forked painter
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        f"print(sorted({{m.split('.')[0] if not m.startswith('sim.') else m for m in sys.modules}}"
        f" & set({NOT_NEEDED!r})))\n"
    )
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
           "CITYPEACE_CACHE_DIR": str(tmp_path / "cache")}  # fmt: skip
    for _ in range(2):  # the first run composes (Hydra) and checks (pydantic), and is stored
        shutil.rmtree(tmp_path / "outputs", ignore_errors=True)
        done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                              text=True, env=env, check=True)  # fmt: skip
    assert done.stdout.strip().splitlines()[-1] == "[]"
    (run,) = (tmp_path / "outputs" / command[0].split("=")[1]).iterdir()
    assert (run / "dashboard.png").is_file() and (run / "series.parquet").is_file()
