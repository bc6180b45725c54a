"""Branch levels, seed 0: the communities' trust (cross_divide_trust) and the delegates'
(delegates_trust) of croatia_twinnings, map and two_cities at dates the patterns and the
dashboards read, with the re-entry transfer at its default and off (delegates.transfer 0),
and MAP's alliance transitions.

    PYTHONPATH=$PWD python experiments/results/levels/seed0.py \
        > experiments/results/levels/seed0.txt
"""

from __future__ import annotations

import numpy as np

from sim import PeaceModel

DATES = ["1996-01", "1998-05", "1998-12", "1999-06", "2000-12", "2003-12", "2004-12",
         "2007-12", "2010-12", "2012-05", "2015-12"]  # fmt: skip
COLS = ["cross_divide_trust", "delegates_trust"]


def show(name: str, params: dict | None, label: str) -> None:
    ts = PeaceModel(name, seed=0, params=params).run().timeseries().set_index("date")
    print(f"{name} ({label}): date  communities  delegates")
    for d in DATES:
        if d in ts.index:
            t, g = ts.loc[d, COLS].tolist()
            print(f"  {d}  {t:.3f}  {g:.3f}")
    for c in [c for c in ts.columns if c.startswith("alliance_") and "progress" not in c]:
        state = ts[c].to_numpy()
        moved = np.flatnonzero(np.diff(state)) + 1
        print(f"  {c}: " + ", ".join(f"{ts.index[i]} -> {int(state[i])}" for i in moved))


for case in ("croatia_twinnings", "map", "two_cities"):
    show(case, None, "transfer 0.01")
    show(case, {"delegates": {"transfer": 0.0}}, "transfer 0")
