"""What decides Tuzla's low_participation_worse (docs/validation/issue15.md, "abc"): per seed,
baseline minus low_participation (participation halved in every city from the first month) in
2001-05 of positive_peace@tuzla (the pattern's contrast, threshold 0.01), capacity@tuzla,
structural_violence@tuzla and cohesion@tuzla, and ABC's completed projects in 1996-2000; the
median, the interquartile range and the share of seeds at or above 0.01 (positive peace).
Both policies run as validate runs them (one ensemble, the same seeds).

    PYTHONPATH=$PWD .venv/bin/python experiments/tuzla_low_participation.py 30
"""

from __future__ import annotations

import sys

import numpy as np

from sim.engine.ensemble import Ensemble

READ = ["positive_peace@tuzla", "capacity@tuzla", "structural_violence@tuzla", "cohesion@tuzla"]
ABC = "projects_completed_development@programme:abc"


def main(seeds: int) -> None:
    ens = Ensemble("tuzla", seeds=range(seeds), policies=["baseline", "low_participation"]).run()
    reps = ens.replicates_frame()[["replicate", "seed", "policy"]]
    ts = ens.timeseries().merge(reps, on="replicate")
    late = ts[(ts.date >= "2001-01") & (ts.date <= "2005-12")]
    abc = ts[(ts.date >= "1996-01") & (ts.date <= "2000-12")]
    means = late.groupby(["policy", "seed"])[READ].mean()
    counts = abc.groupby(["policy", "seed"])[ABC].sum()
    for col in READ:
        gap = (means.loc["baseline", col] - means.loc["low_participation", col]).to_numpy()
        q1, q3 = np.percentile(gap, [25, 75])
        held = f", {np.mean(gap >= 0.01):.0%} of seeds >= 0.01" if col.startswith("pos") else ""
        print(
            f"{col} 2001-05, baseline - low: median {np.median(gap):+.4f} "
            f"[{q1:+.4f}, {q3:+.4f}]{held}",
            flush=True,
        )
    gap = (counts.loc["baseline"] - counts.loc["low_participation"]).to_numpy()
    print(
        f"ABC's completed projects 1996-2000, baseline - low: median {np.median(gap):+g} "
        f"(baseline median {np.median(counts.loc['baseline']):g})"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
