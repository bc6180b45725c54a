"""MAP seed 0: the alliance's states and the first month it is founded (state >= 2);
arguments override coefficients (group.name=value). Branch mediation, sensitivity only."""

import sys

import pandas as pd

from sim import PeaceModel

params = {}
for arg in sys.argv[1:]:
    k, v = arg.split("=")
    g, n = k.split(".")
    params.setdefault(g, {})[n] = float(v)
ts = PeaceModel(scenario="map", seed=0, params=params).run().timeseries()
s = ts["alliance_map"]
d = pd.to_datetime(ts["date"])
print(
    params,
    "states:",
    sorted(set(s.round(2))),
    "first>=2:",
    d[s >= 2].min() if (s >= 2).any() else None,
    "progress max",
    ts["alliance_map_progress"].max().round(3),
)
