"""Which passing patterns each of three nulls breaks (held in <= 50% of seeds where the full
model holds them in >= 80%), before (docs/validation/<case>/matrix.csv) and after (this
branch's experiments/results/mediation/validation/<case>/matrix.csv)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

NULLS = ("no_neutral_venue", "no_mediation", "no_horizontal_integration")
CASES = ("tuzla", "map", "seoul_pyongyang", "croatia_twinnings")
HERE = Path(__file__).resolve().parent


def broken(matrix: pd.DataFrame, null: str) -> list[str]:
    hit = matrix[(matrix["full"] >= 0.8) & (matrix[null] <= 0.5)]
    return [f"{p} ({r})" for p, r in zip(hit.pattern, hit.role, strict=True)]


def main(here: Path = HERE) -> None:
    """The table for the branch whose records are under ``here/validation`` (mediation2's
    nulls_break.py passes its own folder)."""
    for case in CASES:
        before = pd.read_csv(Path("docs/validation") / case / "matrix.csv")
        after = pd.read_csv(here / "validation" / case / "matrix.csv")
        print(f"## {case}")
        for null in NULLS:
            b, a = broken(before, null), broken(after, null)
            print(
                f"- {null}: before {', '.join(b) or 'nothing'}; after {', '.join(a) or 'nothing'}"
            )
        print()


if __name__ == "__main__":
    main()
