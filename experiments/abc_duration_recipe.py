"""`delivery.duration_max`'s recipe (docs/parameters.md): the integer whose 30-seed median of
ABC's own completed development projects in 1996-2000 (Tuzla, baseline) is nearest the
source's "about 100" (004:3649-3653, 001:5015-5018). Prints, for each candidate, the median
(and range, and share of seeds in 80-120) of ABC's own count
(`projects_completed_development@programme:abc`) and of every development project the scenario
completes (the count the recipe read by mistake until branch abc; docs/validation/issue15.md,
"abc").

    PYTHONPATH=$PWD .venv/bin/python experiments/abc_duration_recipe.py 30 10 11 12 13
"""

from __future__ import annotations

import sys

import numpy as np

from sim.engine.ensemble import Ensemble

ABC = "projects_completed_development@programme:abc"
ALL = "projects_completed_development"


def counts(duration_max: int, seeds: int) -> np.ndarray:
    """(seeds, 2): ABC's own and the scenario's completed development projects, 1996-2000.

    An ensemble gives each replicate the outputs PeaceModel gives it alone (its docstring)."""
    params = [{"delivery": {"duration_max": duration_max}}]
    ts = Ensemble("tuzla", seeds=range(seeds), params=params).run().timeseries()
    window = ts[(ts.date >= "1996-01") & (ts.date <= "2000-12")]
    return window.groupby("replicate")[[ABC, ALL]].sum().to_numpy(dtype=float)


def main(seeds: int, candidates: list[int]) -> None:
    for d in candidates:
        c = counts(d, seeds)
        own, every = c[:, 0], c[:, 1]
        inside = np.mean((own >= 80) & (own <= 120))
        print(
            f"duration_max {d}: ABC's own median {np.median(own):g} "
            f"({own.min():g}-{own.max():g}, {inside:.0%} of seeds in 80-120); "
            f"every development project median {np.median(every):g}",
            flush=True,
        )


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(args[0] if args else 30, args[1:] or [11, 12, 13])
