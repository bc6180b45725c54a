"""MAP's 30-seed validation three ways: main's record (docs/validation/map/, main df70bdd),
branch mediation3's first validation (experiments/results/mediation3/validation/map/) and this
branch's (experiments/results/founding/validation/map/): each pattern's share of seeds under the
full model, the passes, the discriminating evidence, and what three nulls break (passing
patterns held in <= 50% of seeds under the null).

    PYTHONPATH=$PWD python experiments/results/founding/compare.py
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

NULLS = ("no_mediation", "no_horizontal_integration", "no_neutral_venue")
HERE = Path(__file__).resolve().parent
RUNS = {
    "main": Path("docs/validation/map"),
    "mediation3": HERE.parent / "mediation3" / "validation" / "map",
    "founding": HERE / "validation" / "map",
}


def broken(matrix: pd.DataFrame, null: str) -> list[str]:
    return list(matrix[(matrix["full"] >= 0.8) & (matrix[null] <= 0.5)].pattern)


def main() -> None:
    mats = {k: pd.read_csv(p / "matrix.csv") for k, p in RUNS.items()}
    vals = {k: pd.read_csv(p / "validation.csv") for k, p in RUNS.items()}
    for k, v in vals.items():
        ev = v[v.role == "evidence"]
        disc = int((ev.discriminates.astype(str) == "True").sum())
        passed = int(v["pass"].sum())
        print(f"{k}: pass {passed}/{len(v)}, discriminating evidence {disc}/{len(ev)}")
    shares = pd.concat({k: m.set_index("pattern")["full"] for k, m in mats.items()}, axis=1)
    print("\npattern: full-model share main / mediation3 / founding")
    for name, r in shares.iterrows():
        mark = "" if r["main"] == r["founding"] else "  <- differs from main"
        print(f"- {name}: {r['main']:.0%} / {r['mediation3']:.0%} / {r['founding']:.0%}{mark}")
    for null in NULLS:
        print(f"\n{null} breaks:")
        for k, m in mats.items():
            print(f"  {k}: {', '.join(broken(m, null)) or 'nothing'}")
    print("\nevidence patterns that discriminate (founding):")
    v = vals["founding"]
    for _, r in v[v.role == "evidence"].iterrows():
        print(f"- {r['pattern']}: pass {r['pass']} discriminates {r['discriminates']}")


if __name__ == "__main__":
    main()
