"""How much of Darda's and Laslovo's fall in cultural violence comes from reading the world's
mean cross-divide trust (seed 0, croatia_twinnings; issue 15, branch mediation, item 5).

Neither town has a cross-divide tie of its own, so ``stages.violence.cross_trust_per_city``
gives it the mean over the world's cross-divide ties, which Wageningen's mediation between
Ernestinovo and Sodolovci lifts. Here that fallback is held at its value in the first month
(monkeypatched; the model is otherwise unchanged) and C is compared with the model as it is.

    PYTHONPATH=$PWD python experiments/results/mediation/fallback_path.py [group.name=value ...]
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

from sim import PeaceModel
from sim.engine.stages import violence

ORIGINAL = violence.cross_trust_per_city
CITIES = ("darda", "laslovo", "ernestinovo", "sodolovci")


def frozen_fallback() -> object:
    first: dict[str, np.ndarray] = {}

    def patched(world, state, co, hostility=None):  # noqa: ANN001, ANN202
        out = ORIGINAL(world, state, co, hostility)
        lonely = world.city_cross_count == 0
        if "value" not in first:
            first["value"] = out[:, lonely].copy()
        out = out.copy()
        out[:, lonely] = first["value"]
        return out

    return patched


def yearly(params: dict, frozen: bool) -> dict[str, dict[int, float]]:
    violence.cross_trust_per_city = frozen_fallback() if frozen else ORIGINAL
    try:
        ts = PeaceModel(scenario="croatia_twinnings", seed=0, params=params).run().timeseries()
    finally:
        violence.cross_trust_per_city = ORIGINAL
    year = pd.to_datetime(ts["date"]).dt.year
    out = {}
    for city in CITIES:
        col = f"cultural_violence@{city}"
        out[city] = ts.groupby(np.asarray(year))[col].mean().to_dict()
    out["cross_divide_trust"] = ts.groupby(np.asarray(year))["cross_divide_trust"].mean().to_dict()
    return out


def main() -> None:
    params: dict[str, dict[str, float]] = {}
    for arg in sys.argv[1:]:
        key, value = arg.split("=")
        group, name = key.split(".")
        params.setdefault(group, {})[name] = float(value)
    live, held = yearly(params, False), yearly(params, True)
    print(f"overrides: {params or 'none'}")
    print(
        f"cross-divide trust (yearly mean) 2000 {live['cross_divide_trust'][2000]:.3f}, "
        f"2010 {live['cross_divide_trust'][2010]:.3f}"
    )
    print("| city | C 2000 | C 2010 | fall, as is | fall, fallback held | from the fallback |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for city in CITIES:
        a, b = live[city][2000], live[city][2010]
        c, d = held[city][2000], held[city][2010]
        fall, fall_held = a - b, c - d
        print(
            f"| {city} | {a:.3f} | {b:.3f} | {fall:.3f} | {fall_held:.3f} | "
            f"{fall - fall_held:.3f} |"
        )


if __name__ == "__main__":
    main()
