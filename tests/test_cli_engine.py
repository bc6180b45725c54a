"""The command line's run drives the engine directly (a batch of one, no Mesa face): every file
it writes is the same, byte for byte, as the files written from ``PeaceModel`` built from the
same config."""

from __future__ import annotations

import dataclasses
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
