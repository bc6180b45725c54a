"""Who broke an interrupted project: the hazard terms on when it was interrupted, the tie's
refusal that month and the trust the interruption cost (issue 15 items 5 and 10, branch
breach17).

For every project interrupted in replicate 0 of each seed it records the month's hazard terms
(``nexus.project_hazard``'s sum: base, violence x D, gate x [closed], unfunded x [no money],
participation x (1 - participation)), whether the tie's offer that month was refused and which
share of the refusal was the recipient's own (``trust.refusal_owned``), and the trust the
interruption cost the tie (the stage's own ``failure`` term, recomputed as
``experiments/trust_terms.py`` does, for a full failure; ``charged`` is what the rule
charged, ``(1 - failure)^breach`` of the same trust, the breach share ``month.breach`` of
branch breach17, 1 on main). The cost is then apportioned over the causes by each
term's share of the hazard sum (the multipliers for expertise and ladder stage scale every term
alike), and the unfunded term further by why no money came: the offer refused (the
recipient's own part and its state's part) or no offer at all (the funder paid nothing).

    PYTHONPATH=$PWD .venv/bin/python experiments/interruption_causes.py --seeds 0 1 2 3 4

It measures the code it imports: run it with ``PYTHONPATH`` at another checkout to compare.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

os.environ.setdefault("CITYPEACE_NUMBA", "0")  # the numpy form, which trust_terms mirrors
sys.path.insert(0, str(Path(__file__).parent))

import trust_terms  # noqa: E402

from sim import PeaceModel  # noqa: E402
from sim.engine.stages import projects as project_stage  # noqa: E402
from sim.engine.stages import trust as trust_stage  # noqa: E402
from sim.rules import DEV, nexus, trust  # noqa: E402

CASES = ("seoul_pyongyang", "map", "tuzla", "croatia_twinnings")
CAUSES = ("base", "violence", "gate", "unfunded_own", "unfunded_state", "unfunded_no_offer",
          "participation")  # fmt: skip


def trace(scenario: str, seed: int) -> pd.DataFrame:
    """One row per interrupted project of replicate 0: its terms, refusal and trust cost."""
    model = PeaceModel(scenario, seed=seed)
    ids = list(model.batch.world.actors.ids)
    rows: list[dict] = []
    pending: list[dict] = []  # this month's interruptions, waiting for stage 6's cost
    hazard_fn, run_fn, trust_fn = nexus.project_hazard, project_stage.run_projects, None
    trust_fn = trust_stage.update_trust
    seen: dict = {}

    def hazard(*args, **kw):  # noqa: ANN002, ANN003, ANN202
        seen["args"], seen["kw"] = args, kw
        return hazard_fn(*args, **kw)

    def run(world, state, co, month, streams) -> None:  # noqa: ANN001
        before = state.projects.row.copy()
        run_fn(world, state, co, month, streams)
        live = np.flatnonzero((before >= 0) | month.started)
        hit = month.interrupted.ravel()[live]
        if not hit.any():
            return
        d, closed, unfunded, part = seen["args"][:4]
        kw = seen["kw"]
        r_of, tie = np.divmod(live, world.n_ties)
        terms = {
            "base": np.broadcast_to(kw["base"], hit.shape),
            "violence": kw["violence"] * d,
            "gate": kw["gate"] * closed,
            "unfunded": kw["unfunded_h"] * unfunded,
            "participation": kw["low_participation"] * (1.0 - part),
        }
        t = world.ties
        hostility = state.countries.hostility.reshape(month.taken.shape[0], -1)
        prob = month.accept_prob.ravel()[live]
        owned = trust.refusal_owned(
            prob, hostility[r_of, t.pair[tie]], np.asarray(co.proposals.beta_hostility)[r_of, 0]
        )
        offered = month.offer[DEV].ravel()[live] > 0
        refused = offered & (month.taken.ravel()[live] <= 0)
        for k in np.flatnonzero(hit & (r_of == 0)):
            e = int(tie[k])
            pending.append(
                {
                    "date": model.date_of(month.step),
                    "provider": ids[t.src[e]],
                    "recipient": ids[t.dst[e]],
                    "tie": e,
                    **{f"h_{n}": float(v[k]) for n, v in terms.items()},
                    "offered": bool(offered[k]),
                    "refused": bool(refused[k]),
                    "owned": float(owned[k]) if refused[k] else np.nan,
                    "gate_closed": bool(closed[k]),
                    # the share stage 6 charges (branch breach17; 1 on main: every one in full)
                    "breach": float(getattr(month, "breach", month.interrupted).ravel()[live][k]),
                }
            )

    def update(world, state, co, month) -> None:  # noqa: ANN001
        if pending:
            cost = trust_terms._terms(world, state, co, month)["failure"]  # noqa: SLF001
            failure = float(np.asarray(co.trust.failure).ravel()[0])
            for row in pending:
                # the cost of a full failure, whatever the rule charged (trust_terms' form),
                # and what the rule charged: (1 - failure)^breach of the same trust
                row["cost"] = -float(cost[row["tie"]])
                row["charged"] = row["cost"] / failure * (1.0 - (1.0 - failure) ** row["breach"])
            rows.extend(pending)
            pending.clear()
        trust_fn(world, state, co, month)

    nexus.project_hazard = hazard
    project_stage.run_projects = run
    trust_stage.update_trust = update
    try:
        model.run()
    finally:
        nexus.project_hazard = hazard_fn
        project_stage.run_projects = run_fn
        trust_stage.update_trust = trust_fn
    frame = pd.DataFrame(rows)
    if not frame.empty:
        frame.insert(0, "seed", seed)
        frame.insert(0, "scenario", scenario)
    return frame


def apportion(frame: pd.DataFrame) -> pd.DataFrame:
    """Each interruption's cost split over the causes by its hazard terms' shares."""
    h = frame[[c for c in frame if c.startswith("h_")]]
    share = h.div(h.sum(axis=1).where(h.sum(axis=1) > 0, 1.0), axis=0)
    cost = frame["cost"]
    out = pd.DataFrame(index=frame.index)
    for name in ("base", "violence", "gate", "participation"):
        out[name] = share[f"h_{name}"] * cost
    unfunded = share["h_unfunded"] * cost
    owned = frame["owned"].fillna(0.0)
    out["unfunded_own"] = np.where(frame["refused"], unfunded * owned, 0.0)
    out["unfunded_state"] = np.where(frame["refused"], unfunded * (1.0 - owned), 0.0)
    out["unfunded_no_offer"] = np.where(frame["refused"], 0.0, unfunded)
    return out[list(CAUSES)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", nargs="+", default=list(CASES))
    ap.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2, 3, 4])
    ap.add_argument("--csv", default=None, help="write every interruption here")
    args = ap.parse_args()
    frames = [trace(c, s) for c in args.cases for s in args.seeds]
    frame = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    if args.csv:
        frame.to_csv(args.csv, index=False)
    parts = apportion(frame)
    parts["scenario"] = frame["scenario"]
    n_seeds = len(args.seeds)
    g = frame.groupby("scenario")
    head = pd.DataFrame(
        {
            "interrupted": g.size() / n_seeds,
            "refused": g["refused"].mean(),
            "owned_when_refused": g["owned"].mean(),
            "gate_on": g["gate_closed"].mean(),
            "cost_total": g["cost"].sum() / n_seeds,
            "charged_total": g["charged"].sum() / n_seeds,
        }
    )
    by_cause = parts.groupby("scenario")[list(CAUSES)].sum() / n_seeds
    with pd.option_context("display.width", 200):
        print(f"per seed (means over seeds {args.seeds}); replicate 0; cost = trust lost")
        print(head.round(4).to_string())
        print("\ntrust cost per cause (summed over the interruptions, per seed)")
        print(by_cause.round(4).to_string())
        print("\nshare of the cost per cause")
        print(by_cause.div(by_cause.sum(axis=1), axis=0).round(3).to_string())
        sp = frame[frame["scenario"] == "seoul_pyongyang"]
        if not sp.empty:
            print("\nseoul_pyongyang, seed 0: every interruption")
            cols = ["date", "provider", "recipient", "h_base", "h_violence", "h_gate",
                    "h_unfunded", "h_participation", "refused", "owned", "breach", "cost",
                    "charged"]  # fmt: skip
            print(sp[sp["seed"] == args.seeds[0]][cols].round(4).to_string(index=False))


if __name__ == "__main__":
    main()
