"""What the frontier cap K* <= 1 costs a moving steady state (branch growth; ODD 7.6).

A scratch measurement, not the model's rule: seoul_pyongyang, seed 0, each city's capacity at
1990, 2000, 2010, 2020 and 2035 under the committed rule and with the cap lifted (the gap
target may exceed 1; capacity itself is still clipped to [0, 1]). Writes
experiments/results/growth/cap_seed0.txt.

    PYTHONPATH=$PWD .venv/bin/python experiments/growth_cap.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim import PeaceModel
from sim.rules import recovery

OUT = Path(__file__).resolve().parent / "results" / "growth" / "cap_seed0.txt"
STEPS = [0, 119, 239, 359, 551]  # 1990-01, 1999-12, 2009-12, 2019-12, 2035-12


def _own_uncapped(level, cohesion, participation, p, isolated=None):  # noqa: ANN001, ANN202
    gain, _ = recovery.steady_rates(cohesion, participation, p, isolated)
    return np.where(gain > 0, level * gain, 1.0)


def _moving_uncapped(level, slope, gain, pace):  # noqa: ANN001, ANN202
    return np.where(gain > 0, np.maximum(level * gain + slope * pace, 0.0), 1.0)


def capacities() -> pd.DataFrame:
    runs = {}
    for tag in ("capped (the rule)", "uncapped (scratch)"):
        if tag.startswith("uncapped"):
            recovery.own_steady_state = _own_uncapped
            recovery.moving_target = _moving_uncapped
        cities = PeaceModel("seoul_pyongyang", seed=0).run().city_frame()
        at = cities[cities["step"].isin(STEPS)]
        runs[tag] = at.pivot_table(index="id", columns="step", values="capacity")
    return pd.concat(runs, axis=1).round(3)


if __name__ == "__main__":
    table = capacities()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(table.to_string() + "\n", encoding="utf-8")
    print(table.to_string())
