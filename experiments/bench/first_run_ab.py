"""Benchmark: a command's first run (every cache off, no dashboard), before and after, side by side.

``citypeace scenario=tuzla`` with ``CITYPEACE_CACHE=0`` (Hydra composes, the scenario is read and
checked) in fresh processes, the code at ``--before`` (unpacked with ``git archive``) and this
checkout alternating; the median CPU (user + system) and wall seconds of each. The machine is a
shared 2-core VM: compare the CPU ratio.

    .venv/bin/python experiments/bench/first_run_ab.py --before 9feaaaa --repeats 5
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_speed import unpack  # noqa: E402  (the same tree as cli_speed compares)

ROOT = Path(__file__).resolve().parents[2]
COMMAND = ["scenario=tuzla", "output.progress=false", "output.dashboard=false"]


def first_run(code: Path) -> tuple[float, float]:
    """(CPU, wall) seconds of one first run of COMMAND with ``code`` on the path."""
    env = {**os.environ, "PYTHONPATH": str(code), "CITYPEACE_CACHE": "0", "PYTHONHASHSEED": "0"}
    with tempfile.TemporaryDirectory() as cwd:
        before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        subprocess.run([sys.executable, "-m", "sim", *COMMAND], cwd=cwd, env=env, check=True,
                       capture_output=True)  # fmt: skip
        wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", default="9feaaaa", help="git ref of the code to compare with")
    ap.add_argument("--repeats", type=int, default=5)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        roots = {"before": unpack(a.before, Path(tmp)), "after": ROOT}
        # Both sides from bytecode, as an installed package runs (this environment may forbid
        # writing it: PYTHONDONTWRITEBYTECODE).
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        for code in roots.values():
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(code / "sim")],
                           check=True, env=env)  # fmt: skip
        runs: dict[str, list[tuple[float, float]]] = {side: [] for side in roots}
        load = os.getloadavg()
        for _ in range(a.repeats):
            for side, code in roots.items():  # alternating: both sides see the same load
                runs[side].append(first_run(code))
    out: dict = {
        side: {"cpu_s": round(statistics.median(c for c, _ in r), 3),
               "wall_s": round(statistics.median(w for _, w in r), 3)}
        for side, r in runs.items()
    }  # fmt: skip
    out["after_over_before_cpu"] = round(out["after"]["cpu_s"] / out["before"]["cpu_s"], 3)
    out["load_average"] = [list(load), list(os.getloadavg())]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
