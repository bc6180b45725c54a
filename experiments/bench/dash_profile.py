"""Where one dashboard draw goes: cProfile of ``write_dashboard`` as the painter calls it
(after ``warm_up``), one fresh process per case, on payloads captured by ``dash_speed.py``.

    python experiments/bench/dash_profile.py --name dash16_before

writes ``results/dash_profile_<name>.md``: per case the draw's wall time without the
profiler, then the top functions by cumulative time under it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from dash_speed import ROOT, capture, python  # noqa: E402

PROFILE = r"""
import cProfile, io, pstats, sys, time
from pathlib import Path
from sim.outputs.dashboard import warm_up, write_dashboard
from sim.cli.painter import unpack
warm_up()
ts, events, _, title, recipients = unpack(Path(sys.argv[1]).read_bytes())
out = Path(sys.argv[2])
w = time.perf_counter()
write_dashboard(ts, events, out, title, recipients)
plain = time.perf_counter() - w
warm_up()  # a fresh empty figure for the profiled draw, as the painter would have
prof = cProfile.Profile()
prof.enable()
write_dashboard(ts, events, out, title, recipients)
prof.disable()
text = io.StringIO()
pstats.Stats(prof, stream=text).sort_stats("cumulative").print_stats(int(sys.argv[3]))
print(f"draw without the profiler (second draw of the process follows it): {plain:.3f} s")
print(text.getvalue())
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cases = ["tuzla", "map", "seoul_pyongyang", "croatia_twinnings"]
    parser.add_argument("--cases", nargs="+", default=cases)
    parser.add_argument("--tree", type=Path, default=ROOT)
    parser.add_argument("--top", type=int, default=45)
    parser.add_argument("--payloads", type=Path, default=Path(tempfile.gettempdir()) / "dashp")
    parser.add_argument("--name", default="dash16")
    args = parser.parse_args()
    args.payloads.mkdir(parents=True, exist_ok=True)
    parts = [f"# cProfile of one dashboard draw ({args.name}, tree `{args.tree}`)", "",
             f"Load at the start: {os.getloadavg()[0]:.2f}.", ""]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(args.tree.resolve())}
    for case in args.cases:
        payload = capture(case, args.payloads)
        with tempfile.TemporaryDirectory() as work:
            done = subprocess.run(
                [python(), "-c", PROFILE, str(payload), f"{work}/d.png", str(args.top)],
                env=env, check=True, capture_output=True, text=True,
            )  # fmt: skip
        parts += [f"## {case}", "", "```text", done.stdout.strip(), "```", ""]
    out = HERE / "results" / f"dash_profile_{args.name}.md"
    out.write_text("\n".join(parts))
    print(out)


if __name__ == "__main__":
    main()
