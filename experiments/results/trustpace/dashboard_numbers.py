"""Seed 0's cross-divide trust read off the dashboards' runs (``citypeace scenario=X
hydra.run.dir=/tmp/tp/X output.progress=false``): the figures issue15.md 'trustpace' quotes.

    python experiments/results/trustpace/dashboard_numbers.py /tmp/tp > \
        experiments/results/trustpace/dashboard_numbers.txt
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

POINTS = {
    "seoul_pyongyang": ("1999-01", "1999-12", "2002-12", "2005-06", "2005-12", "2007-12",
                        "2009-12", "2010-06", "2011-12", "2016-12", "2020-12"),
    "two_cities": ("2000-01", "2001-12", "2002-12", "2004-06", "2006-12", "2009-12"),
}  # fmt: skip


def main(root: Path) -> None:
    for case, points in POINTS.items():
        t = pd.read_parquet(root / case / "timeseries.parquet")
        t = t.set_index(pd.to_datetime(t["date"]))
        c = t["cross_divide_trust"]
        print(case, "cross_divide_trust:", ", ".join(f"{p} {c.loc[p].iloc[0]:.3f}" for p in points))
        if case != "seoul_pyongyang":
            continue
        w = c["1999":"2010"]
        print(f"  1999 mean {c['1999'].mean():.3f}, 2005-2009 mean {c['2005':'2009'].mean():.3f},",
              f"max 1999-2010 {w.max():.3f} ({w.idxmax():%Y-%m}), min {w.min():.3f}",
              f"({w.idxmin():%Y-%m})")  # fmt: skip
        pair = t["trust@seoul<->pyongyang"]
        print(f"  trust@seoul<->pyongyang: 1999 mean {pair['1999'].mean():.3f}, 2005-2009 mean",
              f"{pair['2005':'2009'].mean():.3f}, 2011-2012 {pair['2011':'2012'].mean():.3f},",
              f"2016-2017 {pair['2016':'2017'].mean():.3f}")  # fmt: skip


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/tp"))
