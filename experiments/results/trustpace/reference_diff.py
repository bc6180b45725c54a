"""The largest changes of the stored references (tests/reference/*.timeseries.parquet) against
git revision REV (default HEAD), all numeric columns and the trust, integration and peace
columns with D, S and C:

    REV=4a79833 python experiments/results/trustpace/reference_diff.py > \
        experiments/results/trustpace/reference_diff.txt
"""

from __future__ import annotations

import io
import os
import subprocess

import pandas as pd

REV = os.environ.get("REV", "HEAD")
CASES = ("two_cities", "tuzla", "map", "seoul_pyongyang", "synthetic")
WORDS = ("trust", "integration", "peace")


def tables(case: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    path = f"tests/reference/{case}.timeseries.parquet"
    shown = subprocess.run(["git", "show", f"{REV}:{path}"], capture_output=True, check=True)
    return pd.read_parquet(io.BytesIO(shown.stdout)), pd.read_parquet(path)


def largest(old: pd.DataFrame, new: pd.DataFrame, columns: list[str]) -> pd.Series:
    return (new[columns] - old[columns]).abs().max().sort_values(ascending=False)


def main() -> None:
    bounded = []
    for case in CASES:
        old, new = tables(case)
        numeric = [c for c in old.columns if c in new.columns]
        numeric = [c for c in numeric if pd.api.types.is_numeric_dtype(old[c])]
        d = largest(old, new, numeric)
        top = ", ".join(f"{k} {v:.3f}" for k, v in d.head(4).items())
        print(case, "changed columns", int((d > 0).sum()), "of", len(numeric), "largest:", top)
        picked = [c for c in numeric if any(w in c.lower() for w in WORDS) or c in "DSC"]
        picked = [c for c in picked if not c.startswith(("funds_", "flows_"))]
        b = largest(old, new, picked)
        bounded.append(f"{case} " + ", ".join(f"{k} {v:.3f}" for k, v in b.head(4).items()))
    print("bounded indices only (trust, integration, peace, D, S, C):")
    print("\n".join(bounded))


if __name__ == "__main__":
    main()
