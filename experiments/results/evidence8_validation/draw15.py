"""Why draw 15 breaks north_still_far_below_its_1990_output: seeds 0-4 under draw 15's
coefficients, capacity@kp_provinces at a few months, against the default coefficients."""

import dataclasses

from sim.engine.ensemble import Ensemble
from sim.experiments import draw_sensitivity as ds
from sim.experiments import robustness, validate

kwargs, case = ds._setup("seoul_pyongyang")
base = kwargs["params"]
params = dataclasses.asdict(base)
MONTHS = ("1990-06", "1995-07", "1998-12", "2005-12", "2010-12", "2019-12")
d15 = robustness.draw(base, 0.25, 15)
for label, p in (("default", params), ("draw 15", validate._merge(params, d15))):
    opts = validate.Options(5, [], None, 0, None, True)
    only = type(
        "O", (), {"patterns": [x for x in case.patterns if x["id"].startswith("north_still_far")]}
    )
    reps, _ = validate.plan(only, base, kwargs["levers"], opts)
    reps = [dataclasses.replace(r, params=p, label=label) for r in reps]
    runs, _ = validate.collect(
        Ensemble(kwargs["scenario"], reps, horizon=kwargs["horizon"], workers=1).run()
    )
    ts = next(iter(runs[label].values()))[0]
    idx = [str(x)[:7] for x in (ts["date"] if "date" in ts.columns else ts.index)]
    row = {m: round(float(ts["capacity@kp_provinces"].iloc[idx.index(m)]), 4) for m in MONTHS}
    extra = {
        c: round(float(ts[c].iloc[idx.index("2010-12")]), 3)
        for c in ("direct_violence@kp_provinces", "cohesion@kp_provinces")
        if c in ts.columns
    }
    print(label, row, extra)
