"""Benchmark: a first run's plan step by step, and its command's process against a repeated one.

``steps``: each sample is a fresh process (``CITYPEACE_CACHE=0``) that times, in CPU seconds
and in turn, the command line's import, numpy, PyYAML, the config's compose
(``sim.cli.single._composed``), pydantic's import, the scenario records' modules, the loader's
modules and the scenario's read and checks (with the loader's steps timed inside it).
``phases``: the command itself (``citypeace ARGS`` through ``sim.cli.main.command`` in a
wrapper, painter on) as a first run and as a repeated command, taking turns: CPU and wall up to
the plan (``sim.cli.single._plan`` returned), the process's CPU and that of the processes it
waited for (the painter). Code: ``--code`` (default: this checkout). Prints JSON lines; the
figures of branch cli5 are in ``docs/validation/issue15.md``, section cli5.

    .venv/bin/python experiments/bench/cli5_first_run_steps.py steps --repeats 5
    .venv/bin/python experiments/bench/cli5_first_run_steps.py phases --code /tmp/base --repeats 4
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

STEPS = r"""
import json, sys, time
T = time.process_time
acc = {}
def wrap(mod, name, label):
    f = getattr(mod, name)
    def g(*a, **k):
        t = T()
        try:
            return f(*a, **k)
        finally:
            acc[label] = acc.get(label, 0) + T() - t
    setattr(mod, name, g)
t = T()
import sim.cli.single as single
from sim.cli import scenario_cache
acc["import cli"] = T() - t
t = T(); import numpy; acc["numpy"] = T() - t
t = T(); import yaml; acc["yaml"] = T() - t
t = T(); plan = single._composed(sys.argv[1:])[0]; acc["compose"] = T() - t
t = T(); import pydantic; from pydantic import BaseModel; acc["pydantic import"] = T() - t
t = T(); import sim.scenario.fields; acc["first records"] = T() - t
t = T(); import sim.scenario.event_schema; acc["event records"] = T() - t
t = T(); import sim.scenario.schema; acc["other records"] = T() - t
t = T()
import sim.scenario.loader as L
import sim.experiments.pattern_schema as P, sim.scenario.info, sim.experiments.nulls
acc["loader modules"] = T() - t
wrap(L, "parse", "validate entries")
wrap(L, "read_yaml", "read yaml")
wrap(L, "read_table", "read yaml")
wrap(P, "check_patterns", "patterns"); wrap(L, "check_columns", "output columns")
k = plan.kwargs()
t = T()
scenario_cache.load(k["scenario"], plan.scenario, plan.policy, k["horizon"])
acc["read and check"] = T() - t
print(json.dumps({a: round(b, 4) for a, b in acc.items()}))
"""

PHASES = r"""
import atexit, os, resource, sys, time
W, T = time.perf_counter, time.process_time
w0 = W()
import sim.cli.single as single
got = {}
plan = single._plan
def timed(*a, **k):
    r = plan(*a, **k)
    got["plan_wall"], got["plan_cpu"] = W() - w0, T()
    return r
single._plan = timed
sys.argv = ["citypeace", *sys.argv[1:]]
os.environ["CITYPEACE_FAST_EXIT"] = "0"  # so that atexit runs
def report():
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    got.update(wall=W() - w0, cpu=T(), children_cpu=ch.ru_utime + ch.ru_stime)
    print("RESULT " + json.dumps({k: round(v, 4) for k, v in got.items()}), file=sys.stderr)
import json
atexit.register(report)
from sim.cli.main import command
command()
"""


def child(code: Path, script: str, args: list[str], cwd: Path, env: dict[str, str]) -> str:
    env = {**os.environ, "PYTHONPATH": str(code), "PYTHONHASHSEED": "0", **env}
    done = subprocess.run([sys.executable, "-c", script, *args], cwd=cwd, env=env, check=True,
                          capture_output=True, text=True)  # fmt: skip
    return done.stdout + done.stderr


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=("steps", "phases"))
    ap.add_argument("--code", type=Path, default=ROOT)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--scenario", default="tuzla")
    a = ap.parse_args()
    args = [f"scenario={a.scenario}", "output.progress=false"]
    print(json.dumps({"load": os.getloadavg()}))
    with tempfile.TemporaryDirectory() as tmp:
        cache = {"CITYPEACE_CACHE_DIR": str(Path(tmp) / "cache")}
        if a.what == "phases":  # the repeated command's plan and scenario, stored first
            child(a.code, PHASES, args, Path(tmp), cache)
        for i in range(a.repeats):
            if a.what == "steps":
                print(child(a.code, STEPS, args[:1], Path(tmp), {"CITYPEACE_CACHE": "0"}).strip())
                continue
            for mode, extra in (("first", {"CITYPEACE_CACHE": "0"}), ("repeated", {})):
                cwd = Path(tmp) / f"{mode}{i}"
                cwd.mkdir()
                out = child(a.code, PHASES, args, cwd, {**cache, **extra})
                line = next(x for x in out.splitlines() if x.startswith("RESULT "))
                print(json.dumps({"mode": mode, **json.loads(line[7:])}))
    print(json.dumps({"load": os.getloadavg()}))


if __name__ == "__main__":
    main()
