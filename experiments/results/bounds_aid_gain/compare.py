"""Pass and discrimination counts of the four real validations at recovery.aid_gain 2 (default)
and 1 (aid1), and every pattern whose share, value, pass or discrimination moved (branch bounds).

Made by ``citypeace validate scenario=X seeds=30 nulls=all jobs=1 out=<root>/<side>/X`` with
``model.recovery.aid_gain=1.0`` on the aid1 side; run ``python compare.py [root]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent
SIDES = ("default", "aid1")

for scenario in ("tuzla", "map", "croatia_twinnings", "seoul_pyongyang"):
    tables = {side: pd.read_csv(ROOT / side / scenario / "validation.csv") for side in SIDES}
    for side, v in tables.items():
        evidence = v[v.role == "evidence"]
        disc = (evidence.discriminates.astype(str) == "True").sum()
        print(
            f"{scenario} {side}: pass {int(v['pass'].sum())}/{len(v)}, "
            f"evidence discriminating {disc}/{len(evidence)}"
        )
    a, b = (tables[side].set_index("pattern") for side in SIDES)
    for pattern in a.index:
        ra, rb = a.loc[pattern], b.loc[pattern]
        fields = ("held_full", "pass", "value")
        if any(ra[f] != rb[f] for f in fields) or str(ra.discriminates) != str(rb.discriminates):
            print(
                f"   {pattern} ({ra.role}): held {ra.held_full:.2f} -> {rb.held_full:.2f}; "
                f"{ra.value} -> {rb.value}; pass {ra['pass']} -> {rb['pass']}; "
                f"discriminates {ra.discriminates} -> {rb.discriminates}"
            )
