"""A large world's build and first months, phase by phase: user and system CPU, page faults, RSS.

On a machine where fresh memory is dear (this sandbox's kernel zeroes and maps every new page
at a cost of several ms per MB), a run pays for its memory once, when its peak working set is
first touched: in the build and the first months. This script runs the synthetic 250,000-city
world (single_speed.py's UCLG settings) in a fresh process per tree, the trees alternating
(``--before`` and ``--after`` source folders), and reports for the build and each of the first
``--months`` months the user and system CPU seconds, the minor page faults, the RSS at its end
and the peak RSS so far.

    .venv/bin/python experiments/bench/first_months.py --before /tmp/p250_base --after . \
        --repeat 3 --name first_months_perf250k

Writes ``results/<name>.json`` and ``results/<name>.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
CHILD = """
import json, resource, sys
from sim import PeaceModel
from sim.scenario.synthetic import SyntheticSpec, generate

def usage():
    r = resource.getrusage(resource.RUSAGE_SELF)
    rss = int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    return r.ru_utime, r.ru_stime, r.ru_minflt, rss, r.ru_maxrss / 1024

import os
case = generate(SyntheticSpec(n_cities={n}, horizon=240, n_countries=50, n_networks=20,
                              mean_degree=7.4), seed=1)
rows, last = [], usage()
def phase(name):
    global last
    now = usage()
    rows.append(dict(phase=name, user_s=now[0] - last[0], sys_s=now[1] - last[1],
                     faults=now[2] - last[2], rss_mb=now[3], peak_mb=now[4]))
    last = now
model = PeaceModel(case, seed=1, cities_every=12, cities_max=2000)
phase("build")
for m in range({months}):
    model.step()
    phase(f"month {{m + 1}}")
print(json.dumps(rows))
"""


def one_run(tree: Path, n: int, months: int) -> list[dict]:
    """The phases of one fresh process on ``tree``."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD.format(n=n, months=months)],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the 'before' source tree")
    parser.add_argument("--after", type=Path, default=Path(__file__).resolve().parents[2])
    parser.add_argument("--cities", type=int, default=250_000)
    parser.add_argument("--months", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--name", default="first_months")
    args = parser.parse_args()
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    runs: dict[str, list] = {side: [] for side in trees}
    loads = []
    for i in range(args.repeat):
        for side in trees if i % 2 == 0 else list(trees)[::-1]:
            start = os.getloadavg()[0]
            runs[side].append(one_run(trees[side], args.cities, args.months))
            loads.append([side, start, os.getloadavg()[0]])
            print(side, runs[side][-1], flush=True)
    keys = ("user_s", "sys_s", "faults", "rss_mb", "peak_mb")
    phases = [row["phase"] for row in runs["before"][0]]
    median = {
        side: [
            {k: statistics.median(run[p][k] for run in runs[side]) for k in keys} for p in
            range(len(phases))
        ]
        for side in trees
    }  # fmt: skip
    RESULTS.mkdir(exist_ok=True)
    payload = {"trees": {k: str(v) for k, v in trees.items()}, "cities": args.cities,
               "loads": loads, "runs": runs, "median": median, "phases": phases}  # fmt: skip
    (RESULTS / f"{args.name}.json").write_text(json.dumps(payload, indent=1) + "\n")
    lines = [
        "# A large world's build and first months, before and after",
        "",
        f"{args.cities:,} synthetic cities (UCLG settings), a fresh process per run, the trees "
        f"alternating; medians of {args.repeat} runs a side. Load average at the runs' starts "
        f"{min(x[1] for x in loads):.1f}-{max(x[1] for x in loads):.1f} (a shared 2-core "
        "machine). Before: "
        f"`{trees['before']}`; after: `{trees['after']}`.",
        "",
        "| phase | user s before | after | system s before | after | faults before | after "
        "| RSS MB before | after | peak MB before | after |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for i, p in enumerate(phases):
        b, a = median["before"][i], median["after"][i]
        lines.append(
            f"| {p} | {b['user_s']:.2f} | {a['user_s']:.2f} | {b['sys_s']:.2f} | "
            f"{a['sys_s']:.2f} | {b['faults']:.0f} | {a['faults']:.0f} | {b['rss_mb']:.0f} | "
            f"{a['rss_mb']:.0f} | {b['peak_mb']:.0f} | {a['peak_mb']:.0f} |"
        )
    (RESULTS / f"{args.name}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
