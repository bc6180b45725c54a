"""Main's record (docs/validation/<case>/matrix.csv) against this branch's first validation
(experiments/results/mediation3/validation/<case>/matrix.csv): each pattern's share of seeds
under the full model, and what three nulls break (passing patterns held in <= 50% of seeds
under the null where the full model holds them in >= 80%).

    PYTHONPATH=$PWD python experiments/results/mediation3/compare.py
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

NULLS = ("no_mediation", "no_horizontal_integration", "no_neutral_venue")
CASES = ("map", "croatia_twinnings")
HERE = Path(__file__).resolve().parent


def broken(matrix: pd.DataFrame, null: str) -> list[str]:
    hit = matrix[(matrix["full"] >= 0.8) & (matrix[null] <= 0.5)]
    return list(hit.pattern)


def main() -> None:
    for case in CASES:
        before = pd.read_csv(Path("docs/validation") / case / "matrix.csv")
        after = pd.read_csv(HERE / "validation" / case / "matrix.csv")
        both = before[["pattern", "role", "full"]].merge(
            after[["pattern", "full"]], on="pattern", suffixes=("_main", "_mediation3")
        )
        passed = (both.full_main >= 0.8).sum(), (both.full_mediation3 >= 0.8).sum()
        print(f"## {case}: pass {passed[0]}/{len(both)} -> {passed[1]}/{len(both)}")
        moved = both[both.full_main != both.full_mediation3]
        for r in moved.itertuples():
            print(f"- {r.pattern} ({r.role}): {r.full_main:.0%} -> {r.full_mediation3:.0%}")
        for null in NULLS:
            b, a = broken(before, null), broken(after, null)
            here, there = ", ".join(a) or "nothing", ", ".join(b) or "nothing"
            print(f"- {null} breaks: main {there}; here {here}")
        print()


if __name__ == "__main__":
    main()
