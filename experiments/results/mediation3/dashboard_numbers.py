"""Cross-divide trust (start, peak, end, dated points) and MAP's alliance changes from run folders
(timeseries.parquet) given as arguments: the dashboards' numbers (branch mediation3).

    python experiments/results/mediation3/dashboard_numbers.py FOLDER [FOLDER ...]
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

for folder in sys.argv[1:]:
    ts = pd.read_parquet(f"{folder}/timeseries.parquet")
    d = pd.to_datetime(ts["date"]).dt.strftime("%Y-%m").to_numpy()
    t = ts["cross_divide_trust"].to_numpy()
    i = int(np.argmax(t))
    print(folder, f"trust start {t[0]:.3f}, peak {t[i]:.3f} in {d[i]}, end {t[-1]:.3f} in {d[-1]}")
    if "alliance_map" in ts:
        a = ts["alliance_map"].to_numpy()
        ch = np.flatnonzero(np.diff(a)) + 1
        print("  alliance", [(d[j], a[j]) for j in ch])
    for y in ("2005-01", "2008-12", "2012-05", "2004-06", "2009-12"):
        j = np.flatnonzero(d == y)
        if j.size:
            print(f"  {y} trust {t[j[0]]:.3f}")
