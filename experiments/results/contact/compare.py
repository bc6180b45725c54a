"""Compare two `citypeace validate` outputs pattern by pattern (before and after a change).

    python experiments/results/contact/compare.py BEFORE_DIR AFTER_DIR [scenario ...]

Each DIR holds one folder per scenario with its validation.csv. Prints, per scenario, the
number of patterns that pass and of evidence patterns that discriminate, then every pattern
whose share of seeds held, pass, discrimination or value changed, with both values.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

SCENARIOS = ("tuzla", "map", "seoul_pyongyang", "croatia_twinnings")


def counts(v: pd.DataFrame) -> str:
    evidence = v[v.role == "evidence"]
    disc = evidence.discriminates.astype(str).eq("True").sum()
    return f"pass {int(v['pass'].sum())}/{len(v)}, discriminate {disc}/{len(evidence)}"


def main(before: Path, after: Path, scenarios: tuple[str, ...]) -> None:
    for s in scenarios:
        a = pd.read_csv(before / s / "validation.csv").set_index("pattern")
        b = pd.read_csv(after / s / "validation.csv").set_index("pattern")
        print(f"## {s}: before {counts(a)}; after {counts(b)}")
        for p in a.index:
            x, y = a.loc[p], b.loc[p]
            same = (
                x.held_full == y.held_full
                and x["pass"] == y["pass"]
                and str(x.discriminates) == str(y.discriminates)
                and str(x.value) == str(y.value)
            )
            if not same:
                print(
                    f"- {p} ({x.role}): held {x.held_full:.2f} -> {y.held_full:.2f}; "
                    f"pass {x['pass']} -> {y['pass']}; discriminates {x.discriminates} -> "
                    f"{y.discriminates}; {x.value} -> {y.value}"
                )
        print()


if __name__ == "__main__":
    names = tuple(sys.argv[3:]) or SCENARIOS
    main(Path(sys.argv[1]), Path(sys.argv[2]), names)
