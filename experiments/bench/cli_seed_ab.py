"""Benchmark: tuzla's first run and a new seed, the command's own process, before and after.

Three commands, each in fresh processes with the painter and the dashboard off, the code at
``--before`` (unpacked by ``git archive``, as ``cli_speed.py`` does) and this checkout taking
turns: the first run (``CITYPEACE_CACHE=0``), a new seed (a seed not run before, after one run
with another seed in the same cache) and the repeated command. Median wall and CPU (user +
system) seconds; on a shared machine read the CPU and the ratios within one run.

    .venv/bin/python experiments/bench/cli_seed_ab.py --before 3be7642 --repeats 5

Writes ``results/NAME.json`` (default ``cli_seed_ab``).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_speed import PY, ROOT, compile_tree, unpack  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
ARGS = ["scenario=tuzla", "output.progress=false", "output.dashboard=false"]


def one(root: Path, extra: list[str], env_extra: dict[str, str], cwd: Path) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONHASHSEED": "0", "CITYPEACE_PAINTER": "0",
           **env_extra}  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([PY, "-m", "sim", *ARGS, *extra], cwd=cwd, env=env, check=True,
                   capture_output=True)  # fmt: skip
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="3be7642")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--name", default="cli_seed_ab")
    args = parser.parse_args()
    from sim.outputs.atomic import write_json

    load = [list(os.getloadavg())]
    got: dict[str, list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        roots = {"before": unpack(args.before, tmp), "after": ROOT}
        compile_tree(ROOT)
        for side, root in roots.items():  # the previous command: a run with another seed
            (tmp / f"cwd-{side}").mkdir()
            one(
                root,
                ["seed=999"],
                {"CITYPEACE_CACHE_DIR": str(tmp / f"c-{side}")},
                tmp / f"cwd-{side}",
            )
        for i in range(args.repeats):
            for side, root in roots.items():
                cache = {"CITYPEACE_CACHE_DIR": str(tmp / f"c-{side}")}
                for kind, extra, env in (("first_run", [], {"CITYPEACE_CACHE": "0"}),
                                         ("new_seed", [f"seed={2000 + i}"], cache),
                                         ("repeated", ["seed=999"], cache)):  # fmt: skip
                    got.setdefault(f"{kind}/{side}", []).append(
                        one(root, extra, env, tmp / f"cwd-{side}")
                    )
    load.append(list(os.getloadavg()))
    result: dict = {}
    for key, runs in got.items():
        result[key] = {"wall_s": statistics.median(w for w, _ in runs),
                       "cpu_s": statistics.median(c for _, c in runs)}  # fmt: skip
    result["repeats"], result["before"], result["load_average"] = args.repeats, args.before, load
    write_json(result, RESULTS / f"{args.name}.json")
    for kind in ("first_run", "new_seed", "repeated"):
        b, a = result[f"{kind}/before"], result[f"{kind}/after"]
        ratio = a["cpu_s"] / b["cpu_s"]
        print(f"{kind}: CPU {b['cpu_s']:.2f} -> {a['cpu_s']:.2f} s ({ratio:.2f}), "
              f"wall {b['wall_s']:.2f} -> {a['wall_s']:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
