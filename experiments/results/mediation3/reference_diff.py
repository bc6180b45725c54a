"""Largest change of each headline series in tests/reference/*.timeseries.parquet against the
committed references (git HEAD), per case (branch mediation3).

    PYTHONPATH=$PWD python experiments/results/mediation3/reference_diff.py
"""

from __future__ import annotations

import io
import subprocess

import numpy as np
import pandas as pd

for case in ("two_cities", "tuzla", "map", "seoul_pyongyang", "synthetic"):
    f = f"tests/reference/{case}.timeseries.parquet"
    old = pd.read_parquet(
        io.BytesIO(subprocess.run(["git", "show", f"HEAD:{f}"], capture_output=True).stdout)
    )
    new = pd.read_parquet(f)
    out = []
    for key in (
        "cultural_violence",
        "direct_violence",
        "structural_violence",
        "cross_divide_trust",
        "peace",
    ):
        cols = [c for c in new.columns if c == key or c.startswith(key + "@")]
        d = max(
            (
                np.nanmax(np.abs(new[c].to_numpy(float) - old[c].to_numpy(float)))
                for c in cols
                if c in old
            ),
            default=np.nan,
        )
        out.append(f"{key} {d:.4f}")
    print(case, "; ".join(out))
