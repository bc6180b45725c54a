"""Benchmark: where a command's first run (every cache off) spends its time before the model,
and the dashboard, before and after, side by side.

Each sample is a fresh process (``CITYPEACE_CACHE=0``) that times, in CPU seconds, the
command's plan and scenario (``sim.cli.single._plan``: the config composed and checked, the
scenario read and checked, with the imports each needs), split by timing
``sim.cli.scenario_cache.load`` inside it, and notes which heavy modules were imported
(Hydra, OmegaConf, pandas, pydantic). The code at ``--before`` (unpacked with ``git archive``)
and this checkout alternate. ``--dashboard`` also times tuzla's dashboard drawn and saved in
process (``write_dashboard``, after one untimed draw), the two versions alternating in one
process. The machine is a shared 2-core VM: read the CPU columns and the ratios.

    .venv/bin/python experiments/bench/first_run_split.py --before df11d66 --repeats 5 \
        --dashboard --name first_run_split_cliload
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_speed import dashboard_times, unpack  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ("tuzla", "map", "two_cities")
HEAVY = ("hydra", "omegaconf", "pandas", "pydantic", "yaml", "matplotlib")

CHILD = """
import json, sys, time
HEAVY = HEAVY_NAMES
T = time.process_time
t0 = T()
import sim.cli.single as single
from sim.cli import scenario_cache
t_import = T() - t0
inner = {"s": 0.0}
load = scenario_cache.load
def timed(*a, **k):
    t = T()
    try:
        return load(*a, **k)
    finally:
        inner["s"] += T() - t
scenario_cache.load = timed
t1 = T()
single._plan(sys.argv[1:])
total = T() - t1
heavy = [m for m in HEAVY if m in sys.modules]
print(json.dumps({"import_cli": t_import, "plan": total - inner["s"], "scenario": inner["s"],
                  "total": t_import + total, "heavy": heavy}))
""".replace("HEAVY_NAMES", repr(HEAVY))


def sample(code: Path, scenario: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(code), "CITYPEACE_CACHE": "0", "PYTHONHASHSEED": "0"}
    with tempfile.TemporaryDirectory() as cwd:
        done = subprocess.run([sys.executable, "-c", CHILD, f"scenario={scenario}"], cwd=cwd,
                              env=env, check=True, capture_output=True, text=True)  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def to_markdown(result: dict) -> str:
    lines = [
        "# A first run's plan and scenario, before and after (issue 17, cliload)",
        "",
        f"Before: `{result['before']}`; after: {result.get('after', 'this checkout')}. "
        "`CITYPEACE_CACHE=0`, fresh "
        f"processes alternating, median of {result['repeats']}; CPU seconds of "
        "`sim.cli.single._plan` (config composed and checked, scenario read and checked, "
        "their imports included) and of importing the command line before it. Load average "
        f"{result['load'][0]} at the start, {result['load'][1]} at the end.",
        "",
        "| scenario | side | import CLI | plan (config) | scenario | total | heavy imports |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for scenario, sides in result["scenarios"].items():
        for side, got in sides.items():
            lines.append(
                f"| {scenario} | {side} | {got['import_cli']:.3f} | {got['plan']:.3f} | "
                f"{got['scenario']:.3f} | {got['total']:.3f} | {', '.join(got['heavy'])} |"
            )
        b, a = sides["before"]["total"], sides["after"]["total"]
        lines.append(f"| {scenario} | after / before | | | | {a / b:.2f} ({a - b:+.3f} s) | |")
    dash = result.get("dashboard")
    if dash:
        lines += [
            "",
            "Dashboard (tuzla, `write_dashboard` in process, both versions alternating, median "
            f"of {result['dashboard_repeats']}): before {dash['before_s']:.3f} s wall "
            f"({dash['before_cpu_s']:.3f} s CPU, fastest {dash['before_min_s']:.3f} s), after "
            f"{dash['after_s']:.3f} s wall ({dash['after_cpu_s']:.3f} s CPU, fastest "
            f"{dash['after_min_s']:.3f} s): {dash['after_cpu_s'] / dash['before_cpu_s']:.2f} "
            "of the CPU.",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", default="df11d66", help="git ref of the code to compare with")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--after", help="git ref for the after side (default: this checkout)")
    ap.add_argument("--scenarios", nargs="+", default=list(SCENARIOS))
    ap.add_argument("--dashboard", action="store_true", help="also time the dashboard")
    ap.add_argument("--name", default="first_run_split")
    ap.add_argument("--out", type=Path, default=RESULTS)
    a = ap.parse_args()
    load = list(os.getloadavg())
    result: dict = {
        "before": a.before,
        "after": a.after or "this checkout",
        "repeats": a.repeats,
        "scenarios": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        after = ROOT
        if a.after:
            (Path(tmp) / "after").mkdir()
            after = unpack(a.after, Path(tmp) / "after")
        roots = {"before": unpack(a.before, Path(tmp)), "after": after}
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "sim")],
                       check=True, env=env)  # fmt: skip
        for scenario in a.scenarios:
            runs: dict[str, list[dict]] = {side: [] for side in roots}
            for _ in range(a.repeats):
                for side, code in roots.items():  # alternating: both sides see the same load
                    runs[side].append(sample(code, scenario))
            result["scenarios"][scenario] = {
                side: {
                    **{
                        k: round(statistics.median(r[k] for r in got), 3)
                        for k in ("import_cli", "plan", "scenario", "total")
                    },  # fmt: skip
                    "heavy": got[-1]["heavy"],
                }
                for side, got in runs.items()
            }
        if a.dashboard:
            result["dashboard"] = dashboard_times(roots["before"], max(a.repeats, 5))
            result["dashboard_repeats"] = max(a.repeats, 5)
    result["load"] = [load, list(os.getloadavg())]
    from sim.outputs.atomic import write_json, write_text

    write_json(result, a.out / f"{a.name}.json")
    write_text(to_markdown(result), a.out / f"{a.name}.md")
    print(to_markdown(result))


if __name__ == "__main__":
    main()
