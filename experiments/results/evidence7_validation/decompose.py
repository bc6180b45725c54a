"""Diagnostic (not a pattern change): what part of the fighting's contrast on
capacity@ps_city_01 (mean 2002-06..2003-05) is destruction and what part is the stop of
recovery; and the baseline level. Seeds 0-9."""

import numpy as np

from sim import PeaceModel

variants = {
    "full": {},
    "damage 0 (stop kept)": {"recovery": {"damage": 0.0}},
    "war_stop 1 (damage kept)": {"recovery": {"war_stop": 1.0}},
    "no_violence_damage": {"recovery": {"damage": 0.0, "war_stop": 1.0}},
}
for name, params in variants.items():
    gaps, levels, lv_nf = [], [], []
    for seed in range(10):
        out = {}
        for pol in ("baseline", "no_intifada_fighting"):
            ts = PeaceModel("map", seed=seed, policy=pol, params=params).run().timeseries()
            ts = ts.set_index("date")
            w = ts.loc["2002-06":"2003-05", "capacity@ps_city_01"]
            out[pol] = w.mean()
        gaps.append(out["no_intifada_fighting"] - out["baseline"])
        levels.append(out["baseline"])
        lv_nf.append(out["no_intifada_fighting"])
    print(
        f"{name:28s} gap median {np.median(gaps):.5f} [{min(gaps):.5f}, {max(gaps):.5f}]"
        f"  baseline level {np.median(levels):.4f}  without fighting {np.median(lv_nf):.4f}"
        f"  gap/level {np.median(gaps) / np.median(levels):.3%}"
    )
