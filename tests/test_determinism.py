"""Determinism (issue 7): the same seed gives identical outputs, every table, every way.

* repeated runs in one process (file scenarios with a policy and levers, and synthetic);
* processes with different string-hash seeds (no set or dict order leaks into results);
* the command line and the Python API (all four tables; tests/test_cli.py checks the time
  series of the default run);
* the basic launcher, the joblib launcher with 1 worker and with 2 workers (a sweep).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from helpers import ROOT, as_written, run_cli
from sim import PeaceModel

TABLES = ("timeseries", "cities", "events", "activities")


def frames(model: PeaceModel) -> dict[str, pd.DataFrame]:
    return {
        "timeseries": model.timeseries(),
        "cities": model.city_frame(),
        "events": model.events_frame(),
        "activities": model.activities_frame(),
    }


RUNS: list[dict[str, Any]] = [
    {"scenario": "two_cities", "seed": 11, "horizon": 60},
    {"scenario": "map", "seed": 5, "policy": "no_mediator", "levers": {"funding_scale": 1.5}},
    {"scenario": "tuzla", "seed": 2, "horizon": 48, "params": {"trust": {"decay": 0.05}}},
    {"scenario": "synthetic", "seed": 9, "horizon": 24, "synthetic": {"n_cities": 400}},
]


@pytest.mark.parametrize("kwargs", RUNS, ids=[r["scenario"] for r in RUNS])
def test_repeated_runs_are_identical(kwargs: dict[str, Any]) -> None:
    a, b = (frames(PeaceModel(**kwargs).run()) for _ in range(2))
    for table in TABLES:
        pd.testing.assert_frame_equal(a[table], b[table], check_exact=True)
    assert len(a["timeseries"]) > 0 and len(a["events"]) > 0


DIGEST = """
import hashlib, json, sys
import pandas as pd
from sim import PeaceModel
from sim.scenario.loader import load_scenario

out = {}
for i, kwargs in enumerate(json.loads(sys.argv[1])):
    model = PeaceModel(**kwargs).run()
    tables = {"timeseries": model.timeseries(), "cities": model.city_frame(),
              "events": model.events_frame(), "activities": model.activities_frame()}
    for name, frame in tables.items():
        h = hashlib.sha256(",".join(map(str, frame.columns)).encode())
        h.update(pd.util.hash_pandas_object(frame.astype(str), index=True).to_numpy().tobytes())
        out[f"{i}:{name}"] = h.hexdigest()
sc = load_scenario("map", policy="no_mediator")
out["map:actors"] = pd.util.hash_pandas_object(sc.actors.astype(str)).sum().item()
out["map:ties"] = pd.util.hash_pandas_object(sc.ties.astype(str)).sum().item()
print(json.dumps(out, sort_keys=True))
"""


def _digest(hash_seed: str) -> dict[str, str]:
    short = [{**r, "horizon": 24} for r in RUNS]
    proc = subprocess.run(
        [sys.executable, "-c", DIGEST, json.dumps(short)],
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": hash_seed},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_identical_across_string_hash_seeds() -> None:
    """Set and dict iteration order of strings changes with PYTHONHASHSEED; results must not."""
    first = _digest("1")
    assert len(first) == 4 * len(TABLES) + 2
    assert _digest("2") == first
    assert _digest("random") == first


def test_cli_matches_python_api_every_table(tmp_path: Path) -> None:
    run = tmp_path / "run"
    overrides = [
        "scenario=two_cities",
        "seed=4",
        "horizon=48",
        "policy=silos",
        "levers.funding_scale=2.0",
        "model.trust.decay=0.05",
        "output.progress=false",
        "output.dashboard=false",
        f"hydra.run.dir={run}",
    ]
    proc = run_cli(overrides, tmp_path)
    assert proc.returncode == 0, proc.stderr
    api = frames(
        PeaceModel.from_scenario(
            "two_cities",
            seed=4,
            horizon=48,
            policy="silos",
            levers={"funding_scale": 2.0},
            params={"trust": {"decay": 0.05}},
        ).run()
    )
    for table in TABLES:  # the files' months are real dates
        api[table] = as_written(api[table], "start_date" if table == "activities" else "date")
    for table in TABLES:
        pd.testing.assert_frame_equal(pd.read_parquet(run / f"{table}.parquet"), api[table])
    prov = json.loads((run / "provenance.json").read_text())
    assert prov["seed"] == 4 and prov["levers"]["funding_scale"] == 2.0
    assert prov["levers"]["coordination"] == 0.0  # the policy's lever applied


def _table_digest(run: Path) -> dict[str, str]:
    """An order-sensitive digest of every table's columns and values."""
    out = {}
    for table in TABLES:
        frame = pd.read_parquet(run / f"{table}.parquet")
        h = hashlib.sha256(",".join(map(str, frame.columns)).encode())
        h.update(pd.util.hash_pandas_object(frame.astype(str), index=True).to_numpy().tobytes())
        out[table] = h.hexdigest()
    return out


def test_launchers_and_worker_counts_give_identical_runs(tmp_path: Path) -> None:
    """Basic launcher, joblib with 1 worker, joblib with 2 workers: the same runs, bit for bit."""
    pytest.importorskip("hydra_plugins.hydra_joblib_launcher", reason="joblib launcher missing")
    pytest.importorskip(
        "sim.experiments.summary", reason="sweeps (sim.experiments.summary) are not there yet"
    )
    common = [
        "-m",
        "scenario=two_cities",
        "horizon=24",
        "seed=1,2,3",
        "output.dashboard=false",
        "output.progress=false",
    ]
    variants = {
        "basic": ["hydra/launcher=basic"],
        "joblib1": ["hydra/launcher=joblib", "hydra.launcher.n_jobs=1"],
        "joblib2": ["hydra/launcher=joblib", "hydra.launcher.n_jobs=2"],
    }
    runs: dict[str, dict[int, dict[str, str]]] = {}
    for name, extra in variants.items():
        sweep = tmp_path / name
        proc = run_cli([*common, *extra, f"hydra.sweep.dir={sweep}"], tmp_path, timeout=600)
        assert proc.returncode == 0, proc.stderr
        summary = pd.read_parquet(sweep / "summary.parquet")
        assert sorted(summary["seed"]) == [1, 2, 3]
        assert (summary["status"] == "completed").all()
        runs[name] = {
            int(row.seed): _table_digest(sweep / row.run_dir) for row in summary.itertuples()
        }
    assert runs["joblib1"] == runs["basic"]
    assert runs["joblib2"] == runs["basic"]
    assert len({json.dumps(v, sort_keys=True) for v in runs["basic"].values()}) == 3
