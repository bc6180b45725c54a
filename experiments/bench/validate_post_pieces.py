"""What ``citypeace validate`` does after its runs, piece by piece, in one process (branch
ens16): the runs of ``scenario=tuzla seeds=30 nulls=none`` made once and pickled
(``validate_ab.pickle_runs``), then CPU seconds of importing matplotlib, the record (pattern
evaluation, contrasts), the fan charts, the heat map and the report's text, ``--repeat`` times.

    .venv/bin/python experiments/bench/validate_post_pieces.py --repeat 3
"""

from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--runs", type=Path, default=Path(tempfile.gettempdir()) / "post_runs.pickle")
    a = ap.parse_args()
    import validate_ab

    if not a.runs.exists():
        validate_ab.pickle_runs(["scenario=tuzla", "seeds=30", "nulls=none"], a.runs)
    import pandas as pd

    import sim.experiments.validate as val
    from sim.experiments import matrix
    from sim.experiments import validation_report as report
    from sim.scenario.dates import format_month

    runs, failures, case, opts = pickle.loads(a.runs.read_bytes())
    clock = time.process_time
    c = clock()
    report.load_matplotlib()
    print(f"import matplotlib {clock() - c:.3f} s CPU")
    rows = [{"date": format_month(case.start + e["step"]), "type": e["type"], "origin": "scenario"}
            for e in case.events]  # fmt: skip
    events = pd.DataFrame(rows, columns=["date", "type", "origin"])
    baseline = [ts for ts in runs[matrix.FULL]["baseline"] if ts is not None]
    for _ in range(a.repeat):
        c = clock()
        record = val.build_record(case, runs, opts, [], failures)
        t_record, c = clock() - c, clock()
        report.fan_charts_png(baseline, events, "t")
        t_fans, c = clock() - c, clock()
        report.heat_map(record, Path(tempfile.gettempdir()) / "post_pieces_heatmap.png")
        t_heat, c = clock() - c, clock()
        report.markdown(record)
        t_text = clock() - c
        print(f"record {t_record:.3f}, fan charts {t_fans:.3f}, heat map {t_heat:.3f}, "
              f"text {t_text:.3f} s CPU")  # fmt: skip


if __name__ == "__main__":
    main()
