"""Benchmark: what the fast exit (``sim.cli.main.command``'s ``os._exit``) saves, on one tree.

The same code, ``citypeace`` runs in fresh processes taking turns with ``CITYPEACE_FAST_EXIT``
on and off (``=0``: the interpreter's normal teardown), for tuzla and the synthetic
10,000-city world, each a repeated command (its plan and scenario cached by an untimed run):
median wall and CPU seconds and the paired differences (off minus on, each pair run next to
each other), and the command's tail: from the moment its run returned (``sim.cli.single.run``,
the folder written and "wrote" printed; a timestamp written by a wrapper) to the end of the
process as its parent sees it. The whole command's wall swings by seconds with a loaded
machine's other jobs; the tail isolates what the exit itself costs.

    .venv/bin/python experiments/bench/cli4_fast_exit.py --repeats 5

Writes ``results/cli4_fast_exit.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_speed import ROOT, compile_tree, run_cli  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
COMMANDS = {
    "tuzla": ["scenario=tuzla", "output.progress=false"],
    "synthetic_10k": ["scenario=synthetic", "scenario.n_cities=10000", "horizon=240",
                      "output.progress=false"],
}  # fmt: skip
MODES = {"fast_exit": {}, "teardown": {"CITYPEACE_FAST_EXIT": "0"}}
# The command as `python -m sim` runs it, with a timestamp written when its run returned.
WRAPPER = """
import importlib, sys, time
sys.argv = ["citypeace", *sys.argv[2:]]
single = importlib.import_module("sim.cli.single")
real = single.run
def run(*a, **k):
    out = real(*a, **k)
    open(STAMP, "w").write(repr(time.time()))
    return out
single.run = run
importlib.import_module("sim.cli.main").command()
"""


def tail(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Seconds from the run's return to the end of the process (the command's exit)."""
    import subprocess
    import time

    stamp = cwd / "stamp"
    code = WRAPPER.replace("STAMP", repr(str(stamp)))
    full = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "0", **env}
    subprocess.run([sys.executable, "-c", code, "--", *cmd], cwd=cwd, env=full, check=True,
                   capture_output=True)  # fmt: skip
    return time.time() - float(stamp.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    from sim.outputs.atomic import write_json, write_text

    compile_tree(ROOT)
    load = [list(os.getloadavg())]
    got: dict[str, list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        env = {"CITYPEACE_CACHE_DIR": str(Path(tmp) / "cache")}
        for cmd in COMMANDS.values():
            run_cli(ROOT, cmd, Path(tmp), env)  # plans and scenarios cached; untimed
        for _ in range(args.repeats):
            for name, cmd in COMMANDS.items():
                for mode, extra in MODES.items():
                    got.setdefault(f"{name}/{mode}", []).append(
                        run_cli(ROOT, cmd, Path(tmp), {**env, **extra})
                    )
                    got[f"{name}/{mode}"][-1]["tail_s"] = tail(cmd, Path(tmp), {**env, **extra})
    load.append(list(os.getloadavg()))
    rows = ["| command | fast exit wall | teardown wall | fast exit CPU | teardown CPU"
            " | paired wall saved | paired CPU saved | tail, fast exit | tail, teardown |",
            "| --- |" + " ---: |" * 8]  # fmt: skip
    summary = {}
    for name in COMMANDS:
        on, off = got[f"{name}/fast_exit"], got[f"{name}/teardown"]
        med = {k: statistics.median(r[k] for r in on) for k in ("wall_s", "cpu_s")}
        moff = {k: statistics.median(r[k] for r in off) for k in ("wall_s", "cpu_s")}
        saved = {k: statistics.median(b[k] - a[k] for a, b in zip(on, off, strict=True))
                 for k in ("wall_s", "cpu_s")}  # fmt: skip
        tails = [statistics.median(r["tail_s"] for r in runs) for runs in (on, off)]
        summary[name] = {"fast_exit": med, "teardown": moff, "paired_saved": saved,
                         "tail_s": tails}  # fmt: skip
        rows.append(f"| {name} | {med['wall_s']:.2f} s | {moff['wall_s']:.2f} s"
                    f" | {med['cpu_s']:.2f} s | {moff['cpu_s']:.2f} s"
                    f" | {saved['wall_s']:.2f} s | {saved['cpu_s']:.2f} s"
                    f" | {tails[0]:.3f} s | {tails[1]:.3f} s |")  # fmt: skip
    result = {"repeats": args.repeats, "load_average": load, "summary": summary,
              "samples": got}  # fmt: skip
    text = "\n".join([
        "# The fast exit on its own (cli4)",
        "",
        f"One tree (this checkout), `CITYPEACE_FAST_EXIT` on and off taking turns, fresh "
        f"processes, repeated commands, median of {args.repeats}; load average "
        f"{load[0][0]:.1f} at the start, {load[1][0]:.1f} at the end (shared 2-core VM).",
        "",
        *rows,
    ]) + "\n"  # fmt: skip
    write_json(result, RESULTS / "cli4_fast_exit.json")
    write_text(text, RESULTS / "cli4_fast_exit.md")
    print(text)


if __name__ == "__main__":
    main()
