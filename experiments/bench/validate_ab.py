"""The whole ``citypeace validate`` command, before and after, side by side, split by phase.

``--base`` (a commit, unpacked with ``git archive`` into a kept folder, as ``scale_sides.py``
does) is "before"; this checkout is "after". Each measurement is one fresh process running
``citypeace validate scenario=S seeds=N nulls=... out=<tmp> -q`` through the command's own
entry point (``sim.cli.main``), with validate's steps wrapped in timers: start-up and imports
(until validate's ``main`` begins), compose and checks (config, scenario, contrast series,
plan), the ensemble's set-up (each policy's scenario loaded and checked, the structures), the
runs (``Ensemble.run``: forking the workers, the model, returning the outputs),
collecting the frames (``Ensemble.runs``), the record (pattern evaluation, contrasts) and the
files (texts and figures), and the print. The sides alternate (before-after, after-before, ...)
after one untimed warm-up each; medians per side, ratios after / before. Wall seconds and the
CPU seconds of the whole process tree (the command and its workers). The written files of
every run are hashed: the two sides must write the same bytes.

    .venv/bin/python experiments/bench/validate_ab.py --base bd199ca --repeat 5

``--post``: only what the command does after its runs (the record, the files), in fresh
processes on the runs pickled once by this checkout: no workers and no start-up, so the load's
noise on them stays out of the ratio.

Writes ``results/validate_ab_<name>.json`` and ``.md`` (``--name``, default ``valcmd``;
``_post`` added with ``--post``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_sides import base_tree  # noqa: E402

HERE = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
SIDES = ("before", "after")
PHASES = ("start-up and imports", "compose and checks", "ensemble set-up", "runs", "collect",
          "record", "files", "print and exit")  # fmt: skip

# Run in the child: time validate's steps by wrapping them, then the command as a user runs it.
CHILD = r"""
import json, os, resource, sys, time
T0 = time.perf_counter()
marks = []
def cpu():
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + c.ru_utime + c.ru_stime
C0 = cpu()
def mark(name):
    marks.append((name, time.perf_counter(), cpu()))
import sim.experiments.validate as v
import sim.engine.ensemble as ens
from sim.experiments import validation_report as report
def wrap(owner, name, label):
    f = getattr(owner, name)
    def timed(*a, **k):
        out = f(*a, **k)
        mark(label)
        return out
    setattr(owner, name, timed)
main = v.main
def started(args):
    mark("start-up and imports")
    return main(args)
v.main = started
wrap(v, "plan", "compose and checks")
wrap(ens.Ensemble, "__init__", "ensemble set-up")
wrap(ens.Ensemble, "run", "runs")
wrap(v, "collect", "collect")
wrap(v, "build_record", "record")
wrap(report, "write", "files")
import atexit
def done():
    mark("print and exit")
    wall, used, prev, prev_cpu = {}, {}, T0, C0
    for name, t, c in marks:
        wall[name] = wall.get(name, 0.0) + t - prev
        used[name] = used.get(name, 0.0) + c - prev_cpu
        prev, prev_cpu = t, c
    with open(os.environ["VALIDATE_AB_OUT"], "w") as f:
        json.dump({"wall": wall, "cpu": used}, f)
atexit.register(done)
from sim.cli.main import main as cli
sys.argv = ["citypeace", "validate", *sys.argv[1:]]
cli()
"""


# --post: only what the command does after the runs, on runs pickled once (no workers, so the
# load's noise on the runs and the start-up stays out): the record, then the files.
POST = r"""
import json, os, pickle, resource, sys, time
from pathlib import Path
import pandas as pd
import sim.experiments.validate as v
from sim.experiments import matrix, validation_report as report
from sim.scenario.dates import format_month
runs, failures, case, opts = pickle.load(open(sys.argv[1], "rb"))
def cpu():
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + c.ru_utime + c.ru_stime
t0, c0 = time.perf_counter(), cpu()
rows = [{"date": format_month(case.start + e["step"]), "type": e["type"], "origin": "scenario"}
        for e in case.events]
events = pd.DataFrame(rows, columns=["date", "type", "origin"])
baseline = [ts for ts in runs[matrix.FULL]["baseline"] if ts is not None]
fans = None
if hasattr(report, "fan_charts_title"):  # the after side draws its fan charts apart
    from sim.experiments import apart
    title = report.fan_charts_title(case.title, len(baseline))
    fans = apart.start(report.fan_charts_png, baseline, events, title)
record = v.build_record(case, runs, opts, [], failures)
t1, c1 = time.perf_counter(), cpu()
if fans is None:
    report.write(record, Path(sys.argv[2]), baseline, events)
else:
    report.write(record, Path(sys.argv[2]), baseline, events, fans)
t2, c2 = time.perf_counter(), cpu()
json.dump({"wall": {"record": t1 - t0, "files": t2 - t1},
           "cpu": {"record": c1 - c0, "files": c2 - c1}}, open(os.environ["VALIDATE_AB_OUT"], "w"))
"""


def pickle_runs(args: list[str], path: Path) -> None:
    """Run validate's plan once in this process (this checkout) and pickle what the record
    and the files are made from."""
    import pickle

    import sim.experiments.validate as v
    from sim.cli.config import model_kwargs
    from sim.engine.ensemble import Ensemble
    from sim.scenario.loader import load_scenario

    own, overrides = v.parse_args(args)
    opts = v.options(own, overrides)
    kwargs = model_kwargs(v._compose(overrides))
    case = load_scenario(kwargs["scenario"], horizon=kwargs["horizon"])
    reps, _ = v.plan(case, kwargs["params"], kwargs["levers"], opts)
    runs, failures = v.collect(Ensemble(kwargs["scenario"], reps, workers=1).run())
    path.write_bytes(pickle.dumps((runs, failures, case, opts)))


def one_run(tree: Path, args: list[str], post: Path | None = None) -> dict[str, Any]:
    """One fresh process of ``tree``'s validate: wall, CPU of the tree, phases, output hash."""
    with tempfile.TemporaryDirectory() as tmp:
        out, phases = Path(tmp) / "out", Path(tmp) / "phases.json"
        env = {**os.environ, "PYTHONPATH": str(tree), "VALIDATE_AB_OUT": str(phases),
               "PYTHONHASHSEED": "0"}  # fmt: skip
        before = os.times()
        start = time.perf_counter()
        command = ([sys.executable, "-c", POST, str(post), str(out)] if post else
                   [sys.executable, "-c", CHILD, *args, f"out={out}", "-q"])  # fmt: skip
        proc = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True,
                              check=False)  # fmt: skip
        wall = time.perf_counter() - start
        after = os.times()
        if proc.returncode not in (0, 1):
            raise SystemExit(f"validate failed in {tree}:\n{proc.stderr[-3000:]}")
        digest = hashlib.sha256()
        for f in sorted(out.iterdir()):
            digest.update(f.name.encode() + f.read_bytes())
        split = json.loads(phases.read_text())
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return {"wall_s": wall, "cpu_s": cpu, "phases_s": split["wall"], "phases_cpu_s": split["cpu"],
            "outputs": digest.hexdigest()[:16], "exit": proc.returncode,
            "load": os.getloadavg()[0]}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", required=True, help="commit of the 'before' tree")
    ap.add_argument("--scenario", default="tuzla")
    ap.add_argument("--seeds", type=int, default=30)
    ap.add_argument("--nulls", default="none")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--name", default="valcmd")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--post", action="store_true", help="only the record and the files")
    a = ap.parse_args()
    trees = {"before": base_tree(a.base), "after": HERE}
    args = [f"scenario={a.scenario}", f"seeds={a.seeds}", f"nulls={a.nulls}"]
    post = None
    if a.post:
        post = Path(tempfile.mkdtemp()) / "runs.pickle"
        pickle_runs(args, post)
        a.name += "_post"
    load_start = os.getloadavg()
    for side in SIDES:  # warm-up: numba's caches, the OS's file cache
        one_run(trees[side], args, post)
    runs: dict[str, list[dict[str, Any]]] = {side: [] for side in SIDES}
    for i in range(a.repeat):
        for side in SIDES if i % 2 == 0 else SIDES[::-1]:
            row = one_run(trees[side], args, post)
            runs[side].append(row)
            split = {k: round(v, 2) for k, v in row["phases_cpu_s"].items()}
            print(f"{side:6s} wall {row['wall_s']:.2f} s, CPU {row['cpu_s']:.2f} s, load "
                  f"{row['load']:.1f}, CPU by phase {json.dumps(split)}", flush=True)  # fmt: skip
    med = {
        side: {
            "wall_s": statistics.median(r["wall_s"] for r in rows),
            "cpu_s": statistics.median(r["cpu_s"] for r in rows),
            **{p: statistics.median(r["phases_s"].get(p, 0.0) for r in rows) for p in PHASES},
            **{
                f"{p} CPU": statistics.median(r["phases_cpu_s"].get(p, 0.0) for r in rows)
                for p in PHASES
            },  # fmt: skip
        }
        for side, rows in runs.items()
    }
    ratio = {k: med["after"][k] / med["before"][k] if med["before"][k] else float("nan")
             for k in med["after"]}  # fmt: skip
    outputs = {side: sorted({r["outputs"] for r in rows}) for side, rows in runs.items()}
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "base": a.base,
        "after": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True
        ).stdout.strip(),  # fmt: skip
        "command": f"citypeace validate {' '.join(args)} out=<tmp> -q"
        + (" (only the record and the files, on its runs pickled once)" if a.post else ""),
        "repeat": a.repeat,
        "load_start": list(load_start),
        "load_end": list(os.getloadavg()),
        "cpus": os.cpu_count(),
        "same_outputs": outputs["before"] == outputs["after"] and len(outputs["after"]) == 1,
    }
    result = {"meta": meta, "median": med, "ratio": ratio, "runs": runs}
    a.out.mkdir(parents=True, exist_ok=True)
    stem = a.out / f"validate_ab_{a.name}"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    stem.with_suffix(".md").write_text(markdown(meta, med, ratio), encoding="utf-8")
    print(stem.with_suffix(".md").read_text())


def markdown(meta: dict[str, Any], med: dict[str, Any], ratio: dict[str, float]) -> str:
    lines = [
        "# citypeace validate, before and after, side by side",
        "",
        f"{meta['date']}. `{meta['command']}`; before: `{meta['base']}`, after: "
        f"`{meta['after']}`. Fresh processes, {meta['repeat']} per side after one warm-up "
        f"each, alternating; medians. {meta['cpus']} CPUs, load average "
        f"{meta['load_start'][0]:.1f} at the start and {meta['load_end'][0]:.1f} at the end "
        "(a shared machine: read the ratios). Written files "
        + ("byte-identical on both sides." if meta["same_outputs"] else "**DIFFER**."),
        "",
        "| | before wall | after wall | after / before | before CPU | after CPU | after / before |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    phases = [p for p in PHASES if f"{p} CPU" in med["after"] and med["after"][p]]
    for key, label in (("", "**whole command**"), *((p + " ", p) for p in phases)):
        wall, used = (key or "wall_s").strip(), f"{key}CPU" if key else "cpu_s"
        lines.append(
            f"| {label} | {med['before'][wall]:.2f} s | {med['after'][wall]:.2f} s | "
            f"{ratio[wall]:.2f} | {med['before'][used]:.2f} s | {med['after'][used]:.2f} s | "
            f"{ratio[used]:.2f} |"
        )
    lines += [
        "",
        "CPU counts the command and its worker processes (the runs' row: the workers' model "
        "time, forking and returning outputs, and the command's wait). Phases: "
        + ", ".join(PHASES)
        + " (see the script's docstring).",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
