"""Before (main e4b0bd4's docs/validation) against after (branch vertical's first 30-seed
validations, experiments/results/vertical/validation) for each case given: pass and
discrimination counts, every pattern whose share, pass or verdict moved, and what the
no_vertical_integration null breaks (holds in >= 0.8 under the full model, <= 0.5 under it).

    PYTHONPATH=$PWD python experiments/vertical_compare.py tuzla map ...
"""

from __future__ import annotations

import sys

import pandas as pd

AFTER = "experiments/results/vertical/validation"
NULL = "no_vertical_integration"


def read(folder: str, case: str, name: str) -> pd.DataFrame:
    return pd.read_csv(f"{folder}/{case}/{name}.csv").set_index("pattern")


def discriminating(v: pd.DataFrame) -> tuple[int, int]:
    evidence = v[v.role == "evidence"]
    return int(evidence.discriminates.astype(str).eq("True").sum()), len(evidence)


def main() -> None:
    for case in sys.argv[1:]:
        b, a = read("docs/validation", case, "validation"), read(AFTER, case, "validation")
        mb, ma = read("docs/validation", case, "matrix"), read(AFTER, case, "matrix")
        (db, nb), (da, na) = discriminating(b), discriminating(a)
        print(f"### {case}: pass {int(b['pass'].sum())}/{len(b)} -> {int(a['pass'].sum())}/"
              f"{len(a)}; discriminating evidence {db}/{nb} -> {da}/{na}")  # fmt: skip
        for p in a.index:
            old = b.loc[p] if p in b.index else None
            new = a.loc[p]
            same = old is not None and all(
                str(old[k]) == str(new[k]) for k in ("held_full", "pass", "discriminates")
            )
            if not same:
                was = "-" if old is None else f"{old.held_full:.3f} {old['pass']} {old.value}"
                before = "-" if old is None else old.discriminates
                print(f"  {p} ({new.role}): held/pass/value {was} -> {new.held_full:.3f} "
                      f"{new['pass']} {new.value}; discriminates {before} -> "
                      f"{new.discriminates}")  # fmt: skip
        for name, m in (("before", mb), ("after", ma)):
            broken = list(m[(m.full >= 0.8) & (m[NULL] <= 0.5)].index)
            moved = m[(m.full - m[NULL]).abs() >= 0.1]
            shifts = ", ".join(f"{p} {r.full:.2f}->{r[NULL]:.2f}" for p, r in moved.iterrows())
            print(f"  {NULL} {name}: breaks {broken}; moves a share by >= 0.1: {shifts or '-'}")


if __name__ == "__main__":
    main()
