"""What moves Lederach's vertical integration v_i in each real case, and which term binds
(issue 15 item 6, branch vertical; ODD 7.7).

For each case and policy, runs seeds month by month and reads, per city and month: v_i, the
best and the mean trust of its active ties up (governance, membership, partnership to a
government or an IO) and its participation. Prints, for seed 0, each city's v_i range and its
terms at the start, the middle and the end, and for all seeds the range over time of the
model-level series (median over seeds). Usage::

    PYTHONPATH=$PWD python experiments/vertical_terms.py [seeds] [case:policy ...]
"""

from __future__ import annotations

import sys

import numpy as np

from sim.engine.model import PeaceModel
from sim.rules import group_sum

CASES = [
    "tuzla:baseline",
    "tuzla:low_participation",
    "map:baseline",
    "seoul_pyongyang:baseline",
    "croatia_twinnings:baseline",
    "two_cities:baseline",
]


def up_trust(model: PeaceModel) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(best, mean, count) of each city's active ties up, replicate 0."""
    w = model.world
    n = w.n_cities
    trust = model.batch.state.ties.trust[0]
    rows = w.up_ties
    # the city end of each tie (since branch vertical a tie with the level above runs either way)
    src = getattr(w, "up_ends", w.ties.src[rows])
    best = np.zeros(n)
    np.maximum.at(best, src, trust[rows])
    count = np.bincount(src, minlength=n)
    total = group_sum(trust[rows][None], src, n)[0]
    mean = np.divide(total, count, out=np.zeros(n), where=count > 0)
    return best, mean, count


def run(case: str, policy: str, seed: int) -> dict[str, np.ndarray]:
    model = PeaceModel(scenario=case, seed=seed, policy=policy)
    v, best, mean, count, model_v = [], [], [], [], []
    while model.running:
        model.step()
        if model.month is None:
            break
        v.append(np.asarray(model.month.vertical_by_city)[0].copy())
        b, m, c = up_trust(model)
        best.append(b), mean.append(m), count.append(c)
        model_v.append(float(np.asarray(model.month.vertical)[0]))
    names = list(model.world.actor_index)[: model.world.n_cities]
    part = np.asarray(model.batch.state.cities.participation)[0]
    return dict(v=np.array(v), best=np.array(best), mean=np.array(mean), count=np.array(count),
                model_v=np.array(model_v), names=names, part=part,
                start=model.date_of(0))  # fmt: skip


def main() -> None:
    seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    cases = sys.argv[2:] or CASES
    for spec in cases:
        case, policy = spec.split(":")
        r0 = run(case, policy, 0)
        t = len(r0["model_v"])
        print(f"\n## {case} {policy} (seed 0, {t} months from {r0['start']})")
        print(f"model v: min {r0['model_v'].min():.3f} max {r0['model_v'].max():.3f} "
              f"first {r0['model_v'][0]:.3f} last {r0['model_v'][-1]:.3f}")  # fmt: skip
        print("model v every 2 years: " + " ".join(f"{x:.3f}" for x in r0["model_v"][::24]))
        print(
            "city | participation | ties up | v min-max (t0/mid/end) | best up-trust t0/mid/end | "
            "mean up-trust t0/mid/end"
        )
        for i, name in enumerate(r0["names"]):
            b, m, v = r0["best"][:, i], r0["mean"][:, i], r0["v"][:, i]
            cuts = (0, t // 2, t - 1)
            print(f"{name} | {r0['part'][i]:.3f} | {r0['count'][-1, i]} | "
                  f"{v.min():.3f}-{v.max():.3f} ({v[0]:.3f}/{v[t // 2]:.3f}/{v[-1]:.3f}) | "
                  + "/".join(f"{b[k]:.2f}" for k in cuts) + " | "
                  + "/".join(f"{m[k]:.2f}" for k in cuts))  # fmt: skip
        if seeds > 1:
            lo, hi, sd = [], [], []
            for s in range(seeds):
                mv = r0["model_v"] if s == 0 else run(case, policy, s)["model_v"]
                lo.append(mv.min()), hi.append(mv.max()), sd.append(mv.std())
            print(f"{seeds} seeds: model v min over time, median {np.median(lo):.3f} "
                  f"(range {min(lo):.3f}-{max(lo):.3f}); max over time, median "
                  f"{np.median(hi):.3f} (range {min(hi):.3f}-{max(hi):.3f}); sd over time, "
                  f"median {np.median(sd):.4f}")  # fmt: skip


if __name__ == "__main__":
    main()
