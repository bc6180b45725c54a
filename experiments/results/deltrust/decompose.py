"""What moves cross-divide trust month by month (issue 15, branch deltrust, step 1).

Runs a scenario (numpy form of the stages, replicate 0) and splits each month's change of the
mean trust over the active cross-divide ties into the trust stage's terms, recomputed from the
stage's own inputs by ``experiments/trust_terms.py`` (refusal's cost ``decline``, ``mediation``,
``success``, ``failure``, ``drift`` toward the floor, the violence ``shock``), plus
``peace_work``: the change the delivery stage makes (``nexus.peace_work_trust``, peace work
delivered on the tie, before stage 6), ``joint``:
the change the alliances stage makes (an active alliance's ``joint_trust``), and ``other``:
whatever else moves it in the month (events), so that the terms add up to the month's change.
It also reports the mean ceiling ``1 - mean C of the ends`` over the same ties. Read-only on
the rules: it wraps the stages, it changes nothing.

    PYTHONPATH=$PWD python experiments/results/deltrust/decompose.py two_cities map \
        croatia_twinnings --seeds 0 1 2 > experiments/results/deltrust/decompose.txt
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

os.environ.setdefault("CITYPEACE_NUMBA", "0")  # the numpy form, whose terms trust_terms mirrors
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import trust_terms as tt  # noqa: E402

from sim import PeaceModel  # noqa: E402
from sim.engine import step as step_module  # noqa: E402

TERMS = ("peace_work", *tt.TERMS, "joint", "other")


def trace(scenario: str, seed: int) -> pd.DataFrame:
    """Per month: each term's change of the mean trust over the active cross-divide ties."""
    model = PeaceModel(scenario, seed=seed)
    rows: list[dict] = []
    cur: dict = {}
    orig_trust, orig_all = step_module.trust.update_trust, step_module.alliances.update_alliances
    orig_del = step_module.delivery.deliver

    def wrapped_delivery(world, state, co, month) -> None:  # noqa: ANN001
        before = state.ties.trust[0].copy()
        orig_del(world, state, co, month)
        cur["peace"] = state.ties.trust[0] - before

    def pick(world, state) -> np.ndarray:  # noqa: ANN001
        active = state.ties.active[0] if state.ties.active.ndim > 1 else state.ties.active
        return world.ties.cross_divide & active

    def wrapped_trust(world, state, co, month) -> None:  # noqa: ANN001
        chosen = pick(world, state)
        cur["chosen"] = chosen
        cur["start"] = cur.get("end_prev")
        terms = tt._terms(world, state, co, month)
        before = state.ties.trust[0] - cur["peace"]  # the month's start, before delivery
        orig_trust(world, state, co, month)
        cur["terms"] = {
            k: float((terms[k])[chosen].mean()) if chosen.any() else 0.0 for k in tt.TERMS
        }
        cur["terms"]["peace_work"] = float(cur["peace"][chosen].mean()) if chosen.any() else 0.0
        cur["before"] = before
        cultural = world.context(state.cities.C, 0.0)[0]
        ceiling = 1.0 - 0.5 * (cultural[world.ties.src] + cultural[world.ties.dst])
        cur["ceiling"] = float(ceiling[chosen].mean()) if chosen.any() else np.nan

    def wrapped_alliances(world, state, co, month, log) -> None:  # noqa: ANN001
        before = state.ties.trust[0].copy()
        orig_all(world, state, co, month, log)
        chosen = cur["chosen"]
        if not chosen.any():
            return
        after = state.ties.trust[0]
        joint = float((after - before)[chosen].mean())
        row = {"date": model.date_of(month.step), **cur["terms"], "joint": joint}
        row["trust"] = float(after[chosen].mean())
        row["start"] = float(cur["before"][chosen].mean())
        row["ceiling"] = cur["ceiling"]
        rows.append(row)

    step_module.trust.update_trust = wrapped_trust
    step_module.alliances.update_alliances = wrapped_alliances
    step_module.delivery.deliver = wrapped_delivery
    try:
        model.run()
    finally:
        step_module.trust.update_trust = orig_trust
        step_module.alliances.update_alliances = orig_all
        step_module.delivery.deliver = orig_del
    frame = pd.DataFrame(rows)
    # Whatever moved trust between months outside stages 6 and 9 (events, settling ties).
    explained = frame[[t for t in TERMS if t != "other"]].sum(axis=1)
    change = frame["trust"] - frame["start"]
    frame["other"] = 0.0
    frame["between"] = frame["start"] - frame["trust"].shift(1).fillna(frame["start"].iloc[0])
    frame["other"] = (change - explained) + frame["between"]
    return frame


def yearly(frame: pd.DataFrame) -> pd.DataFrame:
    f = frame.assign(year=frame["date"].astype(str).str[:4].astype(int))
    g = f.groupby("year")
    out = g[list(TERMS)].sum()
    out["net"] = out.sum(axis=1)
    out["trust_end"] = g["trust"].last()
    out["ceiling_end"] = g["ceiling"].last()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenarios", nargs="+")
    ap.add_argument("--seeds", nargs="+", type=int, default=[0])
    args = ap.parse_args()
    with pd.option_context("display.width", 220, "display.max_rows", 400):
        for scenario in args.scenarios:
            totals = []
            for seed in args.seeds:
                frame = trace(scenario, seed)
                table = yearly(frame)
                if seed == args.seeds[0]:
                    print(
                        f"## {scenario}, seed {seed}: yearly sums of the monthly change of the "
                        "mean cross-divide trust"
                    )
                    print(table.round(4).to_string(), "\n")
                tot = table[list(TERMS)].sum()
                tot["trust_first"] = frame["start"].iloc[0]
                tot["trust_last"] = frame["trust"].iloc[-1]
                tot["ceiling_last"] = frame["ceiling"].iloc[-1]
                totals.append(tot.rename(f"seed {seed}"))
            print(f"## {scenario}: whole-run sums per seed")
            print(pd.concat(totals, axis=1).T.round(4).to_string(), "\n")


if __name__ == "__main__":
    main()
