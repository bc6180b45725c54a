"""Diagnostic after evidence9's first result (not a test): what makes the Slavonian towns'
cultural violence fall by about 0.12 from 2000 to 2008?

Runs croatia_twinnings' baseline over seeds 0-9 under the full model and with one term of the
cultural-violence target switched off at a time (ODD 7.6: C* = sigma(w_CD D + w_CH h - w_CT T -
w_Ccoh cohesion - w_C_peace r_peace - w_Chor h_i - b_C + a_C)), and prints the seed medians of
the yearly means in 1996, 2000, 2002, 2008 and 2010 and of the 2000-2008 change, per town.

    PYTHONPATH=$PWD .venv/bin/python experiments/results/evidence9_validation/decompose.py
"""

from __future__ import annotations

import copy
import dataclasses

import numpy as np

from sim.cli.config import model_kwargs
from sim.experiments.mechanism_effects import run
from sim.experiments.validate import _compose

TOWNS = ("ernestinovo", "sodolovci", "laslovo")
TERMS = ("w_Chor", "w_CT", "w_Ccoh", "w_C_peace")
SEEDS = 10


def year_mean(frame, column: str, year: int) -> float:
    dates = frame.index if "date" not in frame.columns else frame["date"]
    mask = np.array([str(d).startswith(str(year)) for d in dates])
    return float(frame.loc[mask, column].mean())


def main() -> None:
    kwargs = model_kwargs(_compose(["scenario=croatia_twinnings"]))
    base = dataclasses.asdict(kwargs["params"])
    params = {"full": base}
    for term in TERMS:
        p = copy.deepcopy(base)
        p["galtung"][term] = 0.0
        params[f"{term}=0"] = p
    runs = run(kwargs["scenario"], params, SEEDS, horizon=kwargs["horizon"])
    print("base weights: " + ", ".join(f"{t} {base['galtung'][t]}" for t in TERMS))
    print("| model | town | C 1996 | C 2000 | C 2002 | C 2008 | C 2010 | change 2000->2008 |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, frames in runs.items():
        for town in TOWNS:
            col = f"cultural_violence@{town}"
            rows = np.array(
                [[year_mean(f, col, y) for y in (1996, 2000, 2002, 2008, 2010)] for f in frames]
            )
            med = np.median(rows, axis=0)
            change = np.median(rows[:, 3] - rows[:, 1])
            print(
                f"| {label} | {town} | {med[0]:.3f} | {med[1]:.3f} | {med[2]:.3f} |"
                f" {med[3]:.3f} | {med[4]:.3f} | {change:+.3f} |"
            )
    full = runs["full"]
    for col in (
        "cross_divide_trust",
        "cohesion@ernestinovo",
        "cohesion@sodolovci",
        "direct_violence@ernestinovo",
        "direct_violence@sodolovci",
    ):
        if col in full[0].columns:
            med = np.median(
                [[year_mean(f, col, y) for y in (1996, 2000, 2002, 2008)] for f in full], axis=0
            )
            print(
                f"full {col}: 1996 {med[0]:.3f}, 2000 {med[1]:.3f}, 2002 {med[2]:.3f},"
                f" 2008 {med[3]:.3f}"
            )


if __name__ == "__main__":
    main()
