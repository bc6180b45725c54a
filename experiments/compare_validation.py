"""A branch's validation against main's record, pattern by pattern.

For each scenario: each pattern's share of seeds under the full model, pass, value and whether
it discriminates, main against the branch, and which nulls break which passing patterns
(held by the full model in >= 80% of seeds, by the null in <= 50%). Helpers' branches write
their validation into ``experiments/results/<branch>/<folder>/<scenario>/``; this reads it
beside ``docs/validation/<scenario>/`` (or ``--main DIR``: main's code validated the same way).

    PYTHONPATH=$PWD python experiments/compare_validation.py trustpace [--ours validation2] \
        [--main DIR] > experiments/results/trustpace/compare.txt
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

RESULTS = Path(__file__).resolve().parent / "results"
SCENARIOS = ("seoul_pyongyang", "map", "tuzla", "croatia_twinnings")


def broken(matrix: pd.DataFrame) -> dict[str, set[str]]:
    """Null -> the patterns the full model holds (>= 80%) that the null breaks (<= 50%)."""
    nulls = [c for c in matrix.columns if c not in ("pattern", "role", "full")]
    return {n: set(matrix[(matrix["full"] >= 0.8) & (matrix[n] <= 0.5)].pattern) for n in nulls}


def summary(v: pd.DataFrame) -> str:
    ev = v[v.role == "evidence"]
    disc = int((ev.discriminates.astype(str) == "True").sum())
    return f"pass {int(v['pass'].sum())}/{len(v)}, discriminating evidence {disc}/{len(ev)}"


def compare(branch: str, ours: Path, root: Path, scenarios: tuple[str, ...]) -> None:
    """Print the comparison of ``ours/<scenario>`` against ``root/<scenario>``."""
    print(f"main: {root}\n")
    for s in scenarios:
        mine, main_dir = ours / s, root / s
        if not (mine / "validation.csv").exists():
            print(f"## {s}: no {branch} validation (not run)\n")
            continue
        if not (main_dir / "validation.csv").exists():
            print(f"## {s}: no main validation in {root}\n")
            continue
        vm, vb = (pd.read_csv(d / "validation.csv") for d in (main_dir, mine))
        mm, mb = (pd.read_csv(d / "matrix.csv") for d in (main_dir, mine))
        print(f"## {s}\nmain: {summary(vm)}\n{branch}: {summary(vb)}\n")
        both = vm.set_index("pattern").join(vb.set_index("pattern").add_suffix("_b"), how="outer")
        print(f"pattern | role | held main -> {branch} | value main -> {branch} | pass | disc.")
        for name, r in both.iterrows():
            mark = "" if r["held_full"] == r["held_full_b"] else "  <- differs"
            print(
                f"- {name} | {r['role']} | {r['held_full']:.0%} -> {r['held_full_b']:.0%} | "
                f"{r['value']} -> {r['value_b']} | {r['pass']} -> {r['pass_b']} | "
                f"{r['discriminates']} -> {r['discriminates_b']}{mark}"
            )
        bm, bb = broken(mm), broken(mb)
        changed = [n for n in bb if bm.get(n, set()) != bb[n]]
        print("\nnulls whose broken patterns changed:")
        if not changed:
            print("  (none)")
        for n in changed:
            print(f"  {n}: lost {sorted(bm.get(n, set()) - bb[n])}, new {sorted(bb[n] - bm[n])}")
        print()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("branch", help="the folder under experiments/results/ (the branch's name)")
    ap.add_argument("--ours", default="validation", help="the branch's validation folder")
    ap.add_argument("--main", default="docs/validation", help="main's validation folders")
    ap.add_argument("--scenarios", nargs="+", default=list(SCENARIOS))
    a = ap.parse_args()
    compare(a.branch, RESULTS / a.branch / a.ours, Path(a.main), tuple(a.scenarios))


if __name__ == "__main__":
    main()
