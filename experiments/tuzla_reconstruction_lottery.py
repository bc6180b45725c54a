"""How much of Tuzla's seed-to-seed spread is the reconstruction flow's few large projects
(issue 15; docs/validation/issue15.md, "tuzla3"): per seed, the value spent on interrupted
projects of the national reconstruction flow into Tuzla (`prp_donors -> tuzla`, one tie, one
project at a time) and Tuzla's mean positive peace and structural violence in 2001-05; their
correlation over the seeds.

    PYTHONPATH=$PWD .venv/bin/python experiments/tuzla_reconstruction_lottery.py 12
"""

from __future__ import annotations

import sys

import numpy as np

from sim import PeaceModel

rows = []
for seed in range(int(sys.argv[1]) if len(sys.argv) > 1 else 12):
    model = PeaceModel.from_scenario("tuzla", seed=seed).run()
    ts = model.timeseries().set_index("date")
    acts = model.activities_frame()
    prp = acts[(acts.provider == "prp_donors") & (acts.recipient == "tuzla")]
    lost = prp.loc[prp.status == "interrupted", "spent"].sum()
    built = prp.loc[prp.status == "completed", "spent"].sum()
    later = ts.loc["2001-01":"2005-12"]
    pp = later["positive_peace@tuzla"].mean()
    s = later["structural_violence@tuzla"].mean()
    rows.append((seed, lost, built, pp, s))
    print(f"seed {seed}: reconstruction lost {lost:.0f} built {built:.0f} units; "
          f"positive peace 2001-05 {pp:.4f}, S {s:.4f}", flush=True)  # fmt: skip
a = np.array(rows)
print(f"corr(lost, positive peace) {np.corrcoef(a[:, 1], a[:, 3])[0, 1]:.2f}; "
      f"corr(built, positive peace) {np.corrcoef(a[:, 2], a[:, 3])[0, 1]:.2f}; "
      f"positive peace sd {a[:, 3].std():.4f}, "
      f"range {a[:, 3].min():.4f}-{a[:, 3].max():.4f}")  # fmt: skip
