"""Draw sensitivity of north_still_far_below_its_1990_output alone (20 draws at +-25%, 30 seeds),
with sim.experiments.draw_sensitivity's own functions (hold_shares, rank); its CLI picks only
patterns below 70% of the record's draws, and this one is not in the record."""

import dataclasses

from sim.experiments import draw_sensitivity as ds

PID = "north_still_far_below_its_1990_output"
shares, values, case = ds.hold_shares("seoul_pyongyang", 20, 30, [PID], workers=1)
kwargs, _ = ds._setup("seoul_pyongyang")

print("hold share per draw:", [round(float(x), 2) for x in shares[PID]])
print("passed", int((shares[PID] >= 0.8).sum()), "of 20")
base = dataclasses.asdict(kwargs["params"])
flat = {}
for group, d in base.items():
    if isinstance(d, dict):
        for name, v in d.items():
            if isinstance(v, (int, float)):
                flat[f"model.{group}.{name}"] = float(v)
cols = [c for c in values.columns if c in flat]
table = ds.rank(shares[PID], values[cols], flat)
print(table.sort_values("rho", key=abs, ascending=False).head(6).to_string())
