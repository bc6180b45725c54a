"""What the frontier cap K* <= 1 costs a moving steady state (branch growth; ODD 7.6).

A scratch measurement, not the model's rule: seoul_pyongyang, seed 0, each city's capacity at
1990, 2000, 2010, 2020 and 2035 under the committed rule and with the cap lifted (the gap
target may exceed 1; capacity itself is still clipped to [0, 1]); and, for every shipped
scenario, the cities whose steady capacity at the start lies above the level the capped rule
can hold, ``s_0 / (s_0 + dep (1 - ownership x part_0))``. Writes
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


def above_reachable() -> list[str]:
    """Lines naming each scenario's cities whose K_ss at the start exceeds what K* <= 1 holds."""
    from sim.engine.params import RecoveryParams
    from sim.engine.world import World
    from sim.scenario.loader import load_scenario

    p, lines = RecoveryParams(), []
    for name in ("tuzla", "map", "croatia_twinnings", "seoul_pyongyang", "two_cities"):
        w = World(load_scenario(name))
        start = w.initial_cities
        level = w.steady_capacity(start["capacity"])
        iso = w.city_isolated
        o = 1.0 if iso is None else np.where(iso, p.closed_share, 1.0)
        s = p.rate * (p.cohesion_floor + (1 - p.cohesion_floor) * start["cohesion"]) * o
        reachable = s / (s + p.depreciation * (1 - p.ownership * start["participation"]))
        ids = [str(i) for i in w.actors.ids[: w.n_cities]]
        over = [
            f"{ids[i]} K_ss {level[i]:.3f} > {reachable[i]:.3f}"
            for i in range(len(ids))
            if level[i] > reachable[i] + 1e-9
        ]
        lines.append(f"{name}: {len(ids)} cities; above reachable at the start: {over or 'none'}")
    return lines


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
    text = "\n".join(above_reachable()) + "\n\n" + capacities().to_string() + "\n"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(text)
