"""What moves cross-divide trust month by month, gains against losses (issue 15 item 5,
branch trustpace, step 1; read-only on the rules).

Extends ``experiments/results/deltrust/decompose.py``: runs a scenario (numpy form, replicate
0) and splits each month's change of the mean trust over the active cross-divide ties into
the stages' terms (``experiments/trust_terms.py``: refusal's cost ``decline``, ``mediation``,
``success``, ``failure``, ``drift`` toward the floor, the violence ``shock``; ``peace_work``
from the delivery stage, ``joint`` from the alliances stage, ``other`` the rest). It adds what
the refusals are made of: ``offers`` (tie-months with an offer, per tie-month of the selected
ties), ``refused`` (mean refused share of an offered tie-month), ``owned`` (mean share of a
refusal that is the recipient's own, ``trust.refusal_owned``), ``refusals`` (offered
tie-months with a refused share above one half, per tie-month) and the yearly refused
tie-months of the selection, and ``floor_end`` the mean no-contact floor ``max(memory,
anchored)`` the drift pulls toward. ``gains`` and ``losses`` sum the positive and negative terms.

    PYTHONPATH=$PWD python experiments/results/trustpace/decompose.py seoul_pyongyang \
        two_cities map --seeds 0 1 2 > experiments/results/trustpace/decompose.txt
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
from sim.rules import trust as rule  # noqa: E402

TERMS = ("peace_work", *tt.TERMS, "joint", "other")
GAINS = ("peace_work", "mediation", "success", "joint")
LOSSES = ("decline", "failure", "shock")
COUNTS = ("offers", "refused", "owned", "refusals")


def trace(scenario: str, seed: int, pair: str | None = None) -> pd.DataFrame:
    """Per month: each term's change of the mean trust over the chosen ties (every active
    cross-divide tie, or the two directed ties of ``pair`` 'a<->b'), and the refusal counts."""
    model = PeaceModel(scenario, seed=seed)
    rows: list[dict] = []
    cur: dict = {}
    orig_trust, orig_all = step_module.trust.update_trust, step_module.alliances.update_alliances
    orig_del = step_module.delivery.deliver
    index = model.world.actor_index

    def pick(world, state) -> np.ndarray:  # noqa: ANN001
        active = state.ties.active[0] if state.ties.active.ndim > 1 else state.ties.active
        if pair:
            a, b = (index[x] for x in pair.split("<->"))
            src, dst = world.ties.src, world.ties.dst
            return ((src == a) & (dst == b)) | ((src == b) & (dst == a))
        return world.ties.cross_divide & active

    def wrapped_delivery(world, state, co, month) -> None:  # noqa: ANN001
        before = state.ties.trust[0].copy()
        orig_del(world, state, co, month)
        cur["peace"] = state.ties.trust[0] - before

    def wrapped_trust(world, state, co, month) -> None:  # noqa: ANN001
        chosen = pick(world, state)
        cur["chosen"] = chosen
        terms = tt._terms(world, state, co, month)
        before = state.ties.trust[0] - cur["peace"]
        hostility = np.take(
            state.countries.hostility.reshape(month.taken.shape[0], -1), world.ties.pair, axis=1
        )
        owned = rule.refusal_owned(month.accept_prob, hostility, co.proposals.beta_hostility)[0]
        orig_trust(world, state, co, month)
        n = max(int(chosen.sum()), 1)
        got = {k: float(terms[k][chosen].mean()) if chosen.any() else 0.0 for k in tt.TERMS}
        got["peace_work"] = float(cur["peace"][chosen].mean()) if chosen.any() else 0.0
        offered = terms["offered"][chosen] > 0
        refused = terms["refused"][chosen]
        got["offers"] = float(offered.sum()) / n
        got["refused"] = float(refused[offered].mean()) if offered.any() else 0.0
        got["owned"] = float(owned[chosen][offered].mean()) if offered.any() else 0.0
        got["refusals"] = float((refused[offered] > 0.5).sum()) / n
        got["floor"] = float(terms["floor"][chosen].mean()) if chosen.any() else np.nan
        cur["terms"], cur["before"] = got, before
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
        row = {"date": model.date_of(month.step), **cur["terms"]}
        row["joint"] = float((after - before)[chosen].mean())
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
    explained = frame[[t for t in TERMS if t != "other"]].sum(axis=1)
    change = frame["trust"] - frame["start"]
    frame["between"] = frame["start"] - frame["trust"].shift(1).fillna(frame["start"].iloc[0])
    frame["other"] = (change - explained) + frame["between"]
    return frame


def yearly(frame: pd.DataFrame) -> pd.DataFrame:
    f = frame.assign(year=frame["date"].astype(str).str[:4].astype(int))
    g = f.groupby("year")
    out = g[list(TERMS)].sum()
    out["gains"] = out[list(GAINS)].sum(axis=1)
    out["losses"] = out[list(LOSSES)].sum(axis=1)
    out["net"] = out[list(TERMS)].sum(axis=1)
    out["offers"] = g["offers"].sum()  # offered tie-months per tie
    out["refusals"] = g["refusals"].sum()  # tie-months refused more than half, per tie
    out["refused"] = g["refused"].mean()
    out["owned"] = g["owned"].mean()
    out["cost_per_offer"] = out["decline"] / out["offers"].where(out["offers"] > 0)
    out["floor_end"] = g["floor"].last()  # max(memory, anchored) the drift pulls toward
    out["trust_end"] = g["trust"].last()
    out["ceiling_end"] = g["ceiling"].last()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenarios", nargs="+")
    ap.add_argument("--seeds", nargs="+", type=int, default=[0])
    ap.add_argument("--pair", help="the two directed ties 'a<->b' instead of every cross tie")
    args = ap.parse_args()
    with pd.option_context("display.width", 260, "display.max_rows", 400):
        for scenario in args.scenarios:
            totals = []
            for seed in args.seeds:
                frame = trace(scenario, seed, args.pair)
                table = yearly(frame)
                if seed == args.seeds[0]:
                    what = args.pair or "the mean cross-divide trust"
                    print(f"## {scenario}, seed {seed}: yearly sums of the monthly change of", what)
                    print(table.round(4).to_string(), "\n")
                tot = table[[*TERMS, "gains", "losses", "offers", "refusals"]].sum()
                tot["trust_first"] = frame["start"].iloc[0]
                tot["trust_last"] = frame["trust"].iloc[-1]
                tot["ceiling_last"] = frame["ceiling"].iloc[-1]
                totals.append(tot.rename(f"seed {seed}"))
            print(f"## {scenario}: whole-run sums per seed")
            print(pd.concat(totals, axis=1).T.round(4).to_string(), "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
