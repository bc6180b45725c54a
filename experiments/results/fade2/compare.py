"""Pattern shares on main (docs/validation/<case>/validation.csv, the committed record) against
a fade2 validation run (``citypeace validate scenario=<case> seeds=30 nulls=all``), printed as a
markdown table: every pattern whose share, verdict or null shares moved, and the totals.

Run: ``python experiments/results/fade2/compare.py /tmp/fade2/val map croatia_twinnings ...``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[3]


def load(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.read_csv(folder / "validation.csv"), pd.read_csv(folder / "matrix.csv")


def compare(case: str, after_root: Path) -> None:
    before, mb = load(ROOT / "docs" / "validation" / case)
    after, ma = load(after_root / case)
    both = before.merge(after, on="pattern", suffixes=("_main", "_fade2"))
    print(f"\n### {case}\n")
    for label, f in (("main", before), ("fade2", after)):
        ev = f[f.role == "evidence"]
        print(
            f"- {label}: pass {int(f['pass'].sum())} of {len(f)}, evidence discriminating "
            f"{int((ev.discriminates.astype(str) == 'True').sum())} of {len(ev)}"
        )
    print("\n| pattern | role | held main -> fade2 | value main -> fade2 | discriminates |")
    print("| --- | --- | --- | --- | --- |")
    for _, r in both.iterrows():
        moved = (
            r.held_full_main != r.held_full_fade2
            or r.value_main != r.value_fade2
            or str(r.discriminates_main) != str(r.discriminates_fade2)
        )
        if moved:
            print(
                f"| {r.pattern} | {r.role_main} | {r.held_full_main:.2f} -> {r.held_full_fade2:.2f}"
                f" | {r.value_main} -> {r.value_fade2} | {r.discriminates_main} -> "
                f"{r.discriminates_fade2} |"
            )
    diff = []
    m = mb.set_index("pattern").merge(
        ma.set_index("pattern"), left_index=True, right_index=True, suffixes=("_main", "_fade2")
    )
    for c in [c for c in mb.columns if c != "pattern" and c in ma.columns]:
        a, b = m[f"{c}_main"], m[f"{c}_fade2"]
        for p in m.index[
            (pd.to_numeric(a, errors="coerce") - pd.to_numeric(b, errors="coerce")).abs() >= 0.1
        ]:
            diff.append(f"{p} under {c}: {a[p]} -> {b[p]}")
    if diff:
        print("\nNull shares that moved by 0.1 or more:\n")
        for d in diff:
            print(f"- {d}")


if __name__ == "__main__":
    root = Path(sys.argv[1])
    for case in sys.argv[2:]:
        compare(case, root)
