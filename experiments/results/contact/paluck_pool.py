"""Pool the 27 randomized, delayed-outcome contact studies of Paluck, Green and Green (2019).

Input: their data (R package PaluckMetaSOP, MIT licence, ``data/contact_data.rda``, 27 rows:
each study's Glass's Delta ``d`` and its variance ``var_d``), converted to CSV beside this
script (paluck_contact_data.csv, read from the .rda with the PyPI package rdata); pass its path.
Random effects (DerSimonian and Laird), overall and for the target groups nearest the model's
divides (race; race, religion and foreigners), each converted to a correlation by
r = d / sqrt(d^2 + 4) (equal groups).
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd


def pool(d: np.ndarray, v: np.ndarray) -> tuple[float, float, float]:
    """(pooled d, its standard error, tau^2) by DerSimonian and Laird."""
    w = 1.0 / v
    fixed = float(np.sum(w * d) / np.sum(w))
    q = float(np.sum(w * (d - fixed) ** 2))
    c = float(np.sum(w) - np.sum(w**2) / np.sum(w))
    tau2 = max(0.0, (q - (len(d) - 1)) / c) if c > 0 else 0.0
    w_star = 1.0 / (v + tau2)
    est = float(np.sum(w_star * d) / np.sum(w_star))
    return est, float(np.sqrt(1.0 / np.sum(w_star))), tau2


def main(path: str) -> None:
    df = pd.read_csv(path)
    groups = {
        "all 27": df,
        "race": df[df.target_spelled_out == "race"],
        "race, religion, foreigners": df[
            df.target_spelled_out.isin(["race", "religion", "foreigners"])
        ],
        "the rest (age, disability, gender, LGBT)": df[
            ~df.target_spelled_out.isin(["race", "religion", "foreigners"])
        ],
    }
    for name, g in groups.items():
        est, se, tau2 = pool(g.d.to_numpy(float), g.var_d.to_numpy(float))
        r = est / np.sqrt(est**2 + 4.0)
        print(f"{name:42s} k={len(g):2d}  d={est:.3f} (se {se:.3f}, tau^2 {tau2:.3f})  r={r:.3f}")


if __name__ == "__main__":
    main(sys.argv[1])
