"""Per-seed values of north_still_far_below_its_1990_output under the full model and with
model.recovery.closed_share=1.0 (no_isolation's only parameter), 30 seeds; plus the share of
the encoded famine loss made up, for the report. A diagnostic, not a pattern."""

import numpy as np

from sim.experiments.patterns import measure
from sim.experiments.validate import run_ensemble
from sim.scenario.loader import load_scenario

PID = "north_still_far_below_its_1990_output"
pat = [p for p in load_scenario("seoul_pyongyang").patterns if p["id"] == PID][0]
MONTHS = ("1995-07", "1998-12", "2005-12", "2010-12", "2019-12")
LOSS = 0.2 * (1 - 0.9 * 0.93 * 0.932)
for label, extra in (("full", []), ("closed_share=1", ["model.recovery.closed_share=1.0"])):
    runs = run_ensemble(["scenario=seoul_pyongyang", *extra], "baseline", 30, 1, False)
    v = np.array([measure(pat, ts) for ts in runs], dtype=float)
    k = np.array([ts["capacity@kp_provinces"].to_numpy() for ts in runs])
    trough = k.min(axis=1)
    print(
        f"{label}: median {np.median(v):+.4f} range {v.min():+.4f}..{v.max():+.4f} "
        f"holds {np.mean(v <= -0.0176):.0%}; remaining share of encoded loss median "
        f"{np.median(-v / LOSS):.2f}; trough median {np.median(trough):.4f}"
    )
    ts = runs[0]
    idx = ts.index if "date" not in ts.columns else ts["date"]
    sel = [i for i, d in enumerate(list(idx)) if str(d)[:7] in MONTHS]
    print(
        "   seed 0 capacity@kp_provinces:",
        [
            (str(list(idx)[i])[:7], round(float(ts["capacity@kp_provinces"].iloc[i]), 4))
            for i in sel
        ],
    )
