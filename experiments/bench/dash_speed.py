"""The dashboard's draw as the painter does it, two source trees side by side.

Step 1 (``capture``): each case is run once through the real command
(``citypeace scenario=<case>``, drawn in process) with ``write_dashboard`` replaced by a hook
that stores its inputs as the painter's payload (``sim.cli.painter.pack``). The inputs come
from the engine, which this bench does not compare: both sides draw the same payload.

Step 2 (``time``): for each sample a fresh process of one tree does what the painter's child
does (``sim.cli.painter._serve``): imports the dashboard, ``warm_up()``, unpacks the payload,
then ``write_dashboard`` timed (wall and CPU). Trees alternate sample by sample (A B, B A,
...), and the load average is recorded around every sample. Medians per case and side.

    python experiments/bench/dash_speed.py --before /tmp/base --repeat 7 --name dash16

writes ``results/dash_speed_<name>.json`` and ``.md``, and keeps each side's last PNG in
``<payloads>/<name>/`` (``--payloads``, default the temporary folder's ``dashp``) to compare
by eye.
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

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CASES = ("two_cities", "tuzla", "map", "seoul_pyongyang", "croatia_twinnings")

CAPTURE = r"""
import sys
from pathlib import Path
import sim.outputs.dashboard as d
from sim.cli.painter import pack
target = Path(sys.argv[1])
def hook(ts, events, path, title="", recipients=""):
    target.write_bytes(pack(ts, events, Path(path), title, recipients))
    return path
d.write_dashboard = hook
from sim.cli.main import command
sys.argv = ["citypeace"] + sys.argv[2:]
command()
"""

# What the painter's child does, with the draw timed.
DRAW = r"""
import json, os, sys, time
from pathlib import Path
from sim.outputs.dashboard import warm_up, write_dashboard
from sim.cli.painter import unpack
warm_up()
ts, events, _, title, recipients = unpack(Path(sys.argv[1]).read_bytes())
out = Path(sys.argv[2])
w, c = time.perf_counter(), time.process_time()
write_dashboard(ts, events, out, title, recipients)
wall, cpu = time.perf_counter() - w, time.process_time() - c
print(json.dumps({"wall": wall, "cpu": cpu, "bytes": out.stat().st_size}))
"""


def python() -> str:
    venv = Path("/work/main/.venv/bin/python")
    return str(venv) if venv.exists() else sys.executable


def capture(case: str, folder: Path) -> Path:
    payload = folder / f"{case}.npz"
    if payload.exists():
        return payload
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CITYPEACE_PAINTER": "0"}
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(
            [python(), "-c", CAPTURE, str(payload), f"scenario={case}",
             f"hydra.run.dir={work}/run"],  # fmt: skip
            env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
    return payload


def draw(tree: Path, payload: Path, png: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    before = os.getloadavg()[0]
    done = subprocess.run([python(), "-c", DRAW, str(payload), str(png)], env=env,
                          check=True, capture_output=True, text=True, cwd=tree)  # fmt: skip
    sample = json.loads(done.stdout.strip().splitlines()[-1])
    sample["load"] = [before, os.getloadavg()[0]]
    return sample


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the other tree (unpacked)")
    parser.add_argument("--after", type=Path, default=ROOT)
    parser.add_argument("--cases", nargs="+", default=list(CASES))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--payloads", type=Path, default=Path(tempfile.gettempdir()) / "dashp")
    parser.add_argument("--name", default="dash16")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args()
    args.payloads.mkdir(parents=True, exist_ok=True)
    pngs = args.payloads / args.name
    pngs.mkdir(parents=True, exist_ok=True)
    sides = {"before": args.before.resolve(), "after": args.after.resolve()}
    samples: dict = {case: {side: [] for side in sides} for case in args.cases}
    start = os.getloadavg()
    for case in args.cases:
        payload = capture(case, args.payloads)
        for i in range(args.repeat):
            order = list(sides) if i % 2 == 0 else list(sides)[::-1]
            for side in order:
                png = pngs / f"{case}_{side}.png"
                samples[case][side].append(draw(sides[side], payload, png))
    end = os.getloadavg()
    rows = []
    for case in args.cases:
        row = {"case": case}
        for side in sides:
            got = samples[case][side]
            for key in ("wall", "cpu"):
                row[f"{side}_{key}"] = statistics.median(s[key] for s in got)
            row[f"{side}_min_wall"] = min(s["wall"] for s in got)
            row[f"{side}_bytes"] = got[-1]["bytes"]
        row["ratio_wall"] = row["after_wall"] / row["before_wall"]
        row["ratio_cpu"] = row["after_cpu"] / row["before_cpu"]
        rows.append(row)
    result = {"before": str(sides["before"]), "after": str(sides["after"]),
              "repeat": args.repeat, "load_start": start, "load_end": end, "rows": rows,
              "samples": samples}  # fmt: skip
    (args.out / f"dash_speed_{args.name}.json").write_text(json.dumps(result, indent=1))
    lines = [
        f"# The dashboard's draw as the painter does it ({args.name})",
        "",
        f"Before: `{sides['before']}`; after: `{sides['after']}`. A fresh process per sample"
        f" (warm_up, then write_dashboard timed), sides alternating, median of {args.repeat}."
        f" Load (1, 5, 15 min) at the start {start[0]:.2f} {start[1]:.2f} {start[2]:.2f},"
        f" at the end {end[0]:.2f} {end[1]:.2f} {end[2]:.2f}.",
        "",
        "| case | before wall s | after wall s | after / before | before CPU s | after CPU s"
        " | after / before | fastest before / after s | PNG bytes before / after |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r['case']} | {r['before_wall']:.3f} | {r['after_wall']:.3f} |"
            f" {r['ratio_wall']:.2f} | {r['before_cpu']:.3f} | {r['after_cpu']:.3f} |"
            f" {r['ratio_cpu']:.2f} | {r['before_min_wall']:.3f} / {r['after_min_wall']:.3f} |"
            f" {r['before_bytes']:,} / {r['after_bytes']:,} |"
        )
    (args.out / f"dash_speed_{args.name}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
