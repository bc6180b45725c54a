"""Each city's governance trust and vertical integration, year by year (branch vertical2,
issue 15 item 6; ODD 7.5 "The top level's acts", 7.7).

Runs one seed month by month and prints, per city, its governance tie's trust and its v_i
every ``every`` months (December of each year by default: ``every`` 12 from the first
December), and the model-level and recipient-side vertical series. Runs on any tree (reads only
the model's arrays), so the same script gives before and after::

    PYTHONPATH=<tree> python experiments/governance_terms.py [seed] [case[:policy] ...]
"""

from __future__ import annotations

import sys

import numpy as np

from sim.engine.model import PeaceModel
from sim.scenario.vocabulary import TIE_TYPES

CASES = ["seoul_pyongyang", "map", "two_cities", "tuzla", "croatia_twinnings"]


def run(case: str, policy: str, seed: int) -> dict:
    model = PeaceModel(scenario=case, seed=seed, policy=policy)
    w = model.world
    n = w.n_cities
    gov = np.flatnonzero((w.ties.type == TIE_TYPES.index("governance")) & (w.ties.src < n))
    city = w.ties.src[gov]
    g, v, mv = [], [], []
    while model.running:
        model.step()
        if model.month is None:
            break
        trust = np.asarray(model.batch.state.ties.trust)[0]
        row = np.full(n, np.nan)
        row[city] = trust[gov]
        g.append(row)
        v.append(np.asarray(model.month.vertical_by_city)[0].copy())
        mv.append(float(np.asarray(model.month.vertical)[0]))
    ts = model.timeseries()
    rec = ts.get("vertical_integration_recipients")
    names = list(w.actor_index)[:n]
    return dict(
        g=np.array(g), v=np.array(v), model_v=np.array(mv), names=names,
        dates=[str(model.date_of(k))[:7] for k in range(len(g))],
        rec=None if rec is None else rec.to_numpy(),
    )  # fmt: skip


def main() -> None:
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    for spec in sys.argv[2:] or CASES:
        case, _, policy = spec.partition(":")
        r = run(case, policy or "baseline", seed)
        dates = r["dates"]
        cuts = [k for k, d in enumerate(dates) if d.endswith("-12")][::2]
        print(f"\n## {case} {policy or 'baseline'} seed {seed}: every second December")
        print("date | " + " | ".join(dates[k][:4] for k in cuts))
        print("model V | " + " | ".join(f"{r['model_v'][k]:.3f}" for k in cuts))
        if r["rec"] is not None:
            print("recipient V | " + " | ".join(f"{r['rec'][k]:.3f}" for k in cuts))
        for i, name in enumerate(r["names"]):
            g, v = r["g"][:, i], r["v"][:, i]
            span = f"gov {np.nanmin(g):.3f}-{np.nanmax(g):.3f}, v {v.min():.3f}-{v.max():.3f}"
            print(f"{name} ({span}) gov | " + " | ".join(f"{g[k]:.3f}" for k in cuts))
            print(f"{name} v | " + " | ".join(f"{v[k]:.3f}" for k in cuts))


if __name__ == "__main__":
    main()
