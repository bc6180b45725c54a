"""The loader's tables without pandas (``sim.scenario.table_rows``): the same dtypes and values
as pandas' frames of the same rows, on every built-in scenario and policy, and a first run that
imports no pandas."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from sim.cli import scenario_cache
from sim.scenario.loader import available_scenarios, load_scenario
from sim.scenario.policies import read_policies
from sim.scenario.table_rows import columns_of

CASES = [
    (name, policy)
    for name in available_scenarios()
    if name != "synthetic"
    for policy in ["baseline", *read_policies(load_scenario(name).folder)]
]


def _as_stored(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """A pandas frame as the scenario cache stores and reads it back."""
    return scenario_cache._decode(scenario_cache._encode(frame))


@pytest.mark.parametrize(("name", "policy"), CASES)
def test_columns_are_pandas_frames_of_the_same_rows(name: str, policy: str) -> None:
    frames = load_scenario(name, policy=policy)
    columns = load_scenario(name, policy=policy, frames=False)
    for table in ("actors", "ties"):
        mine, theirs = getattr(columns, table), getattr(frames, table)
        assert list(mine) == [str(c) for c in theirs.columns]
        stored = _as_stored(theirs)
        for key in mine:
            assert mine[key].dtype == stored[key].dtype, (table, key)
        # the cache's own test of a table that reads back as the loaded one
        assert scenario_cache._same(mine, theirs), table
        assert scenario_cache._same_columns(mine, stored), table
    # everything else is the very same
    for field in ("programmes", "events", "alliances", "patterns", "policies", "levers"):
        assert getattr(columns, field) == getattr(frames, field), field


@pytest.mark.parametrize(
    "rows",
    [
        [{"a": 1}, {"a": None}],
        [{"a": True}, {"a": None}],
        [{"a": True}, {"a": False}],
        [{"a": "x"}, {"a": None}],
        [{"a": None}, {"a": None}],
        [{"a": 1}, {"a": 2.5}],
        [{"a": float("nan")}, {"a": None}],
        [{"a": "x"}, {"a": 1}],
        [{"a": True}, {"a": 1}],
        [{"a": True}, {"a": float("nan")}],
        [{"a": 1}, {"b": "y"}],
        [{"a": 3}, {"a": 4}],
    ],
)
def test_column_kinds_as_pandas_infers_them(rows: list[dict]) -> None:
    mine, stored = columns_of(rows), _as_stored(pd.DataFrame(rows))
    assert scenario_cache._same_columns(mine, stored)


def test_a_first_run_imports_no_pandas(tmp_path) -> None:
    """The command's plan and scenario with every cache off (a first run) import no pandas."""
    code = (
        "import sys\n"
        "import sim.cli.single as single\n"
        "single._plan(['scenario=tuzla'])\n"
        "print('pandas' in sys.modules)\n"
    )
    env = {"CITYPEACE_CACHE": "0", "PATH": "/usr/bin:/bin"}
    import os

    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                          capture_output=True, text=True, check=True)  # fmt: skip
    assert done.stdout.strip().splitlines()[-1] == "False"
