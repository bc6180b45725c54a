"""Tuzla's cohesion with and without ABC, seeds 0-9 (branch harm17): the median over seeds of
each year's mean cohesion@tuzla, and the gap. Run it on a tree's ``sim`` (PYTHONPATH):

    PYTHONPATH=$PWD .venv/bin/python experiments/results/harm17/cohesion_gap.py
"""

import pandas as pd

import sim
from sim import PeaceModel

print(sim.__file__)
rows = []
for seed in range(10):
    f = {}
    for pol in ("baseline", "no_abc"):
        ts = PeaceModel("tuzla", seed=seed, policy=pol).run().timeseries()
        y = ts["date"].str[:4].astype(int)
        f[pol] = ts["cohesion@tuzla"].groupby(y).mean()
    rows.append(pd.DataFrame(f).assign(seed=seed))
d = pd.concat(rows)
d["gap"] = d.baseline - d.no_abc
t = d.groupby(level=0)[["baseline", "no_abc", "gap"]].median().loc[1999:2005]
print(t.round(4).to_string())
