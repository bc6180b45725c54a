"""Before (main's docs/validation/<case>/) and after (a validation folder of this branch): each
pattern's share of seeds held, pass, discrimination, and what no_neutral_venue, no_mediation and
no_horizontal_integration now hold.

    python experiments/results/mediation/compare.py <case> <after_folder> [<before_folder>]
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

NULLS = ("no_neutral_venue", "no_mediation", "no_horizontal_integration")


def main() -> None:
    case, after = sys.argv[1], Path(sys.argv[2])
    before = Path(sys.argv[3]) if len(sys.argv) > 3 else Path("docs/validation") / case
    vb, va = pd.read_csv(before / "validation.csv"), pd.read_csv(after / "validation.csv")
    mb, ma = pd.read_csv(before / "matrix.csv"), pd.read_csv(after / "matrix.csv")
    v = vb.merge(va, on="pattern", suffixes=("_b", "_a"))
    m = mb.merge(ma, on="pattern", suffixes=("_b", "_a"))
    print(f"## {case}")
    ev_b = vb[vb.role == "evidence"]
    ev_a = va[va.role == "evidence"]
    print(
        f"pass {int(vb['pass'].sum())}/{len(vb)} -> {int(va['pass'].sum())}/{len(va)}; "
        f"discriminating evidence {int((ev_b.discriminates == True).sum())}/{len(ev_b)} -> "  # noqa: E712
        f"{int((ev_a.discriminates == True).sum())}/{len(ev_a)}"  # noqa: E712
    )
    print()
    print(
        "| pattern | role | held before -> after | pass | discriminates | "
        + " | ".join(f"{n} before -> after" for n in NULLS)
        + " |"
    )
    print("| --- | --- | --- | --- | --- | " + " | ".join("---" for _ in NULLS) + " |")
    for _, r in v.iterrows():
        row = m[m.pattern == r.pattern].iloc[0]
        nulls = [f"{row[n + '_b']:.2f} -> {row[n + '_a']:.2f}" for n in NULLS]
        changed = (
            abs(r.held_full_b - r.held_full_a) > 1e-9
            or r.pass_b != r.pass_a
            or str(r.discriminates_b) != str(r.discriminates_a)
            or any(abs(row[n + "_b"] - row[n + "_a"]) > 1e-9 for n in NULLS)
        )
        mark = "" if changed else " (same)"
        print(
            f"| {r.pattern}{mark} | {r.role_a} | {r.held_full_b:.2f} -> {r.held_full_a:.2f} | "
            f"{r.pass_b} -> {r.pass_a} | {r.discriminates_b} -> {r.discriminates_a} | "
            + " | ".join(nulls)
            + " |"
        )
    print()
    changed = v[(v.value_b != v.value_a)]
    print("values that moved:")
    for _, r in changed.iterrows():
        print(f"- {r.pattern}: {r.value_b} -> {r.value_a}")
    print()


if __name__ == "__main__":
    main()
