"""Compare a validation run with the committed record (docs/validation/<name>/): every pattern
whose share, value, pass or discrimination differs, and every matrix cell that moved by 0.1 or
more.

    PYTHONPATH=$PWD .venv/bin/python experiments/results/lottery_validation/compare_with_record.py \
        <name> [run folder, default /tmp/lottery/val/<name>]
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[3]


def main(name: str, run: Path) -> None:
    old = pd.read_csv(ROOT / "docs/validation" / name / "validation.csv").set_index("pattern")
    new = pd.read_csv(run / "validation.csv").set_index("pattern")
    disc_old, disc_new = old["discriminates"].eq(True).sum(), new["discriminates"].eq(True).sum()
    print(
        f"{name}: pass {old['pass'].sum()} -> {new['pass'].sum()} of {len(new)}; "
        f"discriminates {disc_old} -> {disc_new}"
    )
    for p in new.index:
        o, n = old.loc[p], new.loc[p]
        fields = ("held_full", "value", "pass")
        if any(o[f] != n[f] for f in fields) or str(o.discriminates) != str(n.discriminates):
            print(
                f"  {p} ({n.role}): {o.held_full:.0%} -> {n.held_full:.0%}; {o.value} -> "
                f"{n.value}; pass {o['pass']} -> {n['pass']}; "
                f"discriminates {o.discriminates} -> {n.discriminates}"
            )
    key = ["pattern", "role"]
    mo = pd.read_csv(ROOT / "docs/validation" / name / "matrix.csv").set_index(key)
    mn = pd.read_csv(run / "matrix.csv").set_index(key)
    common = mo.columns.intersection(mn.columns)
    moved = (mo[common] - mn[common]).abs().stack()
    print("matrix cells changed", int((moved > 1e-9).sum()))
    for cell in moved[moved >= 0.1].index:
        row, col = cell[:-1], cell[-1]
        print(f"    {row[0]} {col}: {mo.loc[row, col]:.2f} -> {mn.loc[row, col]:.2f}")


if __name__ == "__main__":
    scenario = sys.argv[1]
    main(scenario, Path(sys.argv[2] if len(sys.argv) > 2 else f"/tmp/lottery/val/{scenario}"))
