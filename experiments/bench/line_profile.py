"""Where a large world's month goes, line by line: CPU time between consecutive lines of the
model's own code (``sim/``), from ``sys.monitoring`` line events (Python 3.12).

Each line's time is the CPU from the line event to the next line event in ``sim/``: what the
line itself runs in numpy and compiled loops (code outside ``sim/`` emits no events, so a
numpy function written in Python counts at the line that calls it). A line that calls a
function of ``sim/`` is charged only up to the callee's first line. The monitoring costs a
few microseconds a line, about a thousand lines a month: read lines above about 0.5 ms.

    .venv/bin/python experiments/bench/line_profile.py --cities 250000 --uclg --months 6 \
        --name line_profile_250k

``--lhs N`` profiles instead a batch of the bench_lhs design's first N points on tuzla (240
months, one worker, as ``month_profile.py --lhs``; ``--validate S`` validate's union batch at
S seeds): one warm-up ensemble, then one whole ensemble under the monitoring, its lines' time
divided by the batch-months it stepped (building the batch and its outputs included).

Writes ``results/<name>.md`` (the top lines, with their source) and ``results/<name>.json``.
"""

from __future__ import annotations

import argparse
import json
import linecache
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from month_profile import build  # noqa: E402


def profile(
    n: int, uclg: bool, months: int, warm: int, lhs: int = 0, validate: int = 0
) -> dict[tuple[str, int], float]:
    """CPU seconds per (file, line) over ``months`` months after ``warm`` untimed ones (with
    ``lhs`` or ``validate``: over ``months`` ensembles after ``warm`` untimed ones)."""
    from month_profile import _Validate

    logging.getLogger("MESA").setLevel(logging.WARNING)
    model = _Validate(validate, lhs) if lhs or validate else build(n, uclg)
    for _ in range(warm):
        model.step()
    mon = sys.monitoring
    tool = mon.PROFILER_ID
    root = str(HERE / "sim")
    spent: dict[tuple[str, int], float] = {}
    last: list[Any] = [None, time.process_time()]

    def on_line(code: Any, line: int) -> Any:
        if not code.co_filename.startswith(root):
            return mon.DISABLE
        now = time.process_time()
        if last[0] is not None:
            spent[last[0]] = spent.get(last[0], 0.0) + now - last[1]
        last[0] = (code.co_filename, line)
        last[1] = time.process_time()  # the callback's own time is not charged
        return None

    mon.use_tool_id(tool, "line_profile")
    mon.register_callback(tool, mon.events.LINE, on_line)
    mon.set_events(tool, mon.events.LINE)
    try:
        for _ in range(months):
            model.step()
    finally:
        mon.set_events(tool, 0)
        mon.free_tool_id(tool)
    if lhs or validate:  # the batch-months the ensembles stepped, for the caller's division
        spent[("batch_months", 0)] = float(model.months)  # one ensemble's (they are alike)
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cities", type=int, default=250_000)
    parser.add_argument("--uclg", action="store_true")
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--warm", type=int, default=2)
    parser.add_argument("--top", type=int, default=60)
    parser.add_argument("--name", default="line_profile")
    parser.add_argument("--lhs", type=int, default=0, metavar="N")
    parser.add_argument("--validate", type=int, default=0, metavar="S")
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True
    ).stdout.strip()
    load_before = os.getloadavg()
    spent = profile(args.cities, args.uclg, args.months, args.warm, args.lhs, args.validate)
    load_after = os.getloadavg()
    if args.lhs or args.validate:  # ensembles: per batch-month (the last ensemble's count)
        each = spent.pop(("batch_months", 0))  # main divides by args.months: the ensembles
        spent = {k: v / each for k, v in spent.items()}
    rows = sorted(spent.items(), key=lambda kv: -kv[1])
    total = sum(spent.values())
    out = [
        {
            "file": str(Path(f).relative_to(HERE)),
            "line": line,
            "ms_per_month": 1e3 * s / args.months,
            "source": linecache.getline(f, line).strip(),
        }
        for (f, line), s in rows
    ]
    meta = {
        "commit": commit, "cities": args.cities, "uclg": args.uclg, "months": args.months,
        "warm": args.warm, "load_before": load_before, "load_after": load_after,
        "total_ms_per_month": 1e3 * total / args.months,
    }  # fmt: skip
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.name}.json").write_text(json.dumps({"meta": meta, "lines": out}, indent=1))
    what = (
        f"batch-month of {args.lhs} tuzla LHS replicates" if args.lhs
        else f"batch-month of validate's tuzla union batch ({args.validate} seeds)"
        if args.validate else f"{args.cities:,}-city month"
    )  # fmt: skip
    lines = [
        f"# A {what}, line by line ({commit})",
        "",
        f"{args.months} months after {args.warm} warm-up months; CPU ms a month charged to each "
        f"line of `sim/` ({meta['total_ms_per_month']:.1f} ms a month in all, with the "
        f"monitoring's overhead); load average {load_before[0]:.1f} at the start, "
        f"{load_after[0]:.1f} at the end.",
        "",
        "| ms / month | file:line | source |",
        "| ---: | --- | --- |",
    ]
    for row in out[: args.top]:
        src = row["source"].replace("|", "\\|")[:90]
        lines.append(f"| {row['ms_per_month']:.2f} | {row['file']}:{row['line']} | `{src}` |")
    (RESULTS / f"{args.name}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
