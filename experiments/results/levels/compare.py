"""Branch levels's first validation against main's record (docs/validation/NAME/ at main
147e475), or with ``--main DIR`` against main 4a79833's code validated the same way on this
machine (DIR/NAME/, e.g. experiments/results/levels/main_validation): each pattern's share
of seeds under the full model, pass, value and whether it discriminates, and which nulls break
which passing patterns, for map, croatia_twinnings, tuzla and seoul_pyongyang (30 seeds each).

    PYTHONPATH=$PWD python experiments/results/levels/compare.py [--main DIR] > \
        experiments/results/levels/compare.txt
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
SCENARIOS = ("map", "croatia_twinnings", "tuzla", "seoul_pyongyang")


def broken(matrix: pd.DataFrame) -> dict[str, set[str]]:
    nulls = [c for c in matrix.columns if c not in ("pattern", "role", "full")]
    return {n: set(matrix[(matrix["full"] >= 0.8) & (matrix[n] <= 0.5)].pattern) for n in nulls}


def summary(v: pd.DataFrame) -> str:
    ev = v[v.role == "evidence"]
    disc = int((ev.discriminates.astype(str) == "True").sum())
    return f"pass {int(v['pass'].sum())}/{len(v)}, discriminating evidence {disc}/{len(ev)}"


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--main", default="docs/validation", help="main's validation folders")
    root = Path(ap.parse_args().main)
    print(f"main: {root}\n")
    for s in SCENARIOS:
        ours = HERE / "validation" / s
        if not (ours / "validation.csv").exists():
            print(f"## {s}: no levels validation (not run)\n")
            continue
        main_dir = root / s
        if not (main_dir / "validation.csv").exists():
            print(f"## {s}: no main validation in {root}\n")
            continue
        vm, vd = (pd.read_csv(d / "validation.csv") for d in (main_dir, ours))
        mm, md = (pd.read_csv(d / "matrix.csv") for d in (main_dir, ours))
        print(f"## {s}\nmain: {summary(vm)}\nlevels: {summary(vd)}\n")
        both = vm.set_index("pattern").join(vd.set_index("pattern").add_suffix("_lv"), how="outer")
        print("pattern | role | held main -> levels | value main -> levels | pass | disc.")
        for name, r in both.iterrows():
            mark = "" if r["held_full"] == r["held_full_lv"] else "  <- differs"
            print(
                f"- {name} | {r['role']} | {r['held_full']:.0%} -> {r['held_full_lv']:.0%} | "
                f"{r['value']} -> {r['value_lv']} | {r['pass']} -> {r['pass_lv']} | "
                f"{r['discriminates']} -> {r['discriminates_lv']}{mark}"
            )
        bm, bd = broken(mm), broken(md)
        changed = [n for n in bd if bm.get(n, set()) != bd[n]]
        print("\nnulls whose broken patterns changed:")
        for n in changed or ["(none)"]:
            if n == "(none)":
                print("  (none)")
                continue
            print(f"  {n}: lost {sorted(bm.get(n, set()) - bd[n])}, new {sorted(bd[n] - bm[n])}")
        print()


if __name__ == "__main__":
    main()
