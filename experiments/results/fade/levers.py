"""Which mechanism moves the pair world's calm hostility (branch fade): the calm run on seed 1
without noise, as it is and with one mechanism at a time held still. Prints H in 2009-12 and
the largest monthly step of the war run's violence part after 2003-01.

Run from the worktree root: ``PYTHONPATH=$PWD python experiments/results/fade/levers.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "tests"))
from pair_world import pair_world, siege  # noqa: E402

from sim import PeaceModel  # noqa: E402

WAR = ("2001-01", "2001-12")
CASES = {
    "as is": {},
    "ceremonial_floor 0": {"ladder": {"ceremonial_floor": 0.0}},
    "usual_rate 0": {"displacement": {"usual_rate": 0.0}},
    "w_CH 0": {"galtung": {"w_CH": 0.0}},
    "violence_shock 0": {"trust": {"violence_shock": 0.0}},
}


def hostility(params: dict, violence: list | None) -> tuple[np.ndarray, np.ndarray]:
    quiet = {"galtung": {"noise": 0.0}}
    merged = {k: {**quiet.get(k, {}), **params.get(k, {})} for k in {*quiet, *params}}
    ts = PeaceModel(pair_world(violence=violence), seed=1, params=merged).run().timeseries()
    return ts["hostility_EA_WE"].to_numpy(), ts["date"].astype(str).str[:7].to_numpy()


if __name__ == "__main__":
    for label, params in CASES.items():
        calm, dates = hostility(params, None)
        war, _ = hostility(params, siege(*WAR, pressure=3.0))
        part = war - calm
        after = part[dates > WAR[1]]
        peak = part[(dates >= WAR[0]) & (dates <= WAR[1])].max()
        rises = np.diff(after)
        first_rise = dates[dates > WAR[1]][1:][rises > 1e-12]
        print(
            f"{label:20s} calm H 2000-01 {calm[0]:.6f} 2009-12 {calm[-1]:.6f}  "
            f"peak V {peak:.4f}  V 2003-01 {after[12]:.6f} max rise after war {rises.max():+.2e} "
            f"first rise {first_rise[0] if first_rise.size else '-'}  max V 2003 "
            f"{part[(dates >= '2003-01') & (dates <= '2003-12')].max():.6f}"
        )
