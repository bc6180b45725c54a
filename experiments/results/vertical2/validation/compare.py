"""Compare a scratch validation (``NEW/<case>/``) against the record on main
(``docs/validation/<case>/``): pass and discriminating counts, patterns whose full-model share
moved by 0.03 or more, and what ``no_vertical_integration`` moves on both (branch vertical2).

    PYTHONPATH=$PWD python experiments/results/vertical2/validation/compare.py NEW case ...
"""

from __future__ import annotations

import sys

import pandas as pd


def same(x: object, y: object) -> bool:
    return bool((pd.isna(x) and pd.isna(y)) or x == y)


def counts(table: pd.DataFrame) -> str:
    evidence = table[table.role == "evidence"]
    held = int(evidence.discriminates.fillna(False).astype(bool).sum())
    return f"pass {int(table['pass'].sum())}/{len(table)}, discriminating {held}/{len(evidence)}"


def compare(new: str, case: str) -> None:
    a = pd.read_csv(f"docs/validation/{case}/validation.csv").set_index("pattern")
    b = pd.read_csv(f"{new}/{case}/validation.csv").set_index("pattern")
    print(f"### {case}: {counts(a)} -> {counts(b)}")
    for p in b.index:
        if p not in a.index:
            print("  new", p)
            continue
        moved = abs(a.loc[p, "held_full"] - b.loc[p, "held_full"]) >= 0.03
        if moved or not same(a.loc[p, "pass"], b.loc[p, "pass"]):
            print(f"  {p}: held {a.loc[p, 'held_full']:.2f} -> {b.loc[p, 'held_full']:.2f}")
    ma = pd.read_csv(f"docs/validation/{case}/matrix.csv").set_index("pattern")
    mb = pd.read_csv(f"{new}/{case}/matrix.csv").set_index("pattern")
    print("  no_vertical_integration moves (|full - null| >= 0.03):")
    null = "no_vertical_integration"
    for p in mb.index:
        gap = mb.loc[p, "full"] - mb.loc[p, null]
        gap0 = ma.loc[p, "full"] - ma.loc[p, null] if p in ma.index else float("nan")
        if abs(gap) >= 0.03 or abs(gap0) >= 0.03:
            print(
                f"    {p} ({mb.loc[p, 'role']}): main full {ma.loc[p, 'full']:.2f} null "
                f"{ma.loc[p, null]:.2f}; new full {mb.loc[p, 'full']:.2f} "
                f"null {mb.loc[p, null]:.2f}"
            )


if __name__ == "__main__":
    for name in sys.argv[2:]:
        compare(sys.argv[1], name)
