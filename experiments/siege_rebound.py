"""Why does the besieged town's capacity gap widen after the siege? (issue 15 items 2-3,
helper rebound17)

The credibility world's siege row (experiments/credibility_war.py, ``siege``): a town of
100,000 (S 0.6, K 0.3, steady K 0.54), relief and development EUR 30,000 a month for 48 months,
with and without a violence event of pressure 3 in months 12-23 (2001), same seeds. Each month
the capacity rule (``sim.rules.recovery.capacity_update``, ODD 7.6) is wrapped to record the
town's inputs and terms:

    growth       = r_K  war  coh  aid  gap
      war = max(0, 1 - E / e_stop)             (E = max(D - U, 0), U the usual level)
      coh = c0 + (1 - c0) cohesion
      aid = o + g_aid r_dev                     (o = 1: the town is open)
      gap = max(K* - K, 0)
    depreciation = dep (1 - ownership x participation) K
    damage       = delta_K E^2 K

and, after the month, the drivers: D, the usual level U, cultural violence C, cohesion, the
cross-divide trust cohesion reads, residents and people away, the development money received
and the development stock.

The siege-minus-calm change of the capacity gap in a month is
``d growth - d depreciation - d damage``; ``d growth`` is split exactly among its four factors
by their Shapley values (the average, over the 24 orders of switching the factors one by one
from the calm run's value to the siege run's, of each factor's marginal change of the product).
Summed over windows: the siege (months 12-23), its first half-year after (24-29), and the rest
(30-47). Medians and ranges over the seeds.

    PYTHONPATH=$PWD .venv/bin/python experiments/siege_rebound.py          # 30 seeds
    PYTHONPATH=$PWD .venv/bin/python experiments/siege_rebound.py --seeds 3 --out /tmp/s.md

It measures the code it imports: run it with ``PYTHONPATH`` at another checkout to compare.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from credibility_worlds import town_world, violence  # noqa: E402

from sim import PeaceModel  # noqa: E402
from sim.rules import DEV, recovery  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "experiments" / "results" / "siege_rebound.md"
FACTORS = ("war", "coh", "aid", "gap")
WINDOWS = {"siege 12-23": (12, 23), "after 24-29": (24, 29), "after 30-47": (30, 47)}
SIEGE = (12, 23, 3.0)


def world(siege: bool, horizon: int = 48) -> object:
    """The credibility siege row's world, with or without the siege (credibility_war.siege);
    ``horizon`` past 48 runs on after the 48-month programme has ended, in both runs."""
    return town_world(
        town={"steady_capacity": 0.54},
        budget=30.0,
        pillars=("humanitarian", "development"),
        months=48,
        horizon=horizon,
        events=violence(*SIEGE) if siege else None,
    )


def run(siege: bool, seed: int, horizon: int = 48) -> pd.DataFrame:
    """One run's monthly rows for the town: the rule's inputs, factors and terms, and drivers."""
    model = PeaceModel(world(siege, horizon), seed=seed)
    ids = [str(i) for i in model.world.actors.ids[: model.world.n_cities]]
    j = ids.index("town")
    seen: list[dict] = []
    inner = recovery.capacity_update

    def recorded(capacity, E, cohesion, dev_response, participation, p, isolated=None, target=None):  # noqa: ANN001, ANN202
        def one(x: object) -> float:
            return float(np.broadcast_to(np.asarray(x, float), capacity.shape)[0, j])

        K, e, coh, rd, part = (one(a) for a in (capacity, E, cohesion, dev_response, participation))
        k_star = 1.0 if target is None else one(target)
        o = 1.0 if isolated is None else (one(p.closed_share) if bool(isolated[j]) else 1.0)
        floor = one(p.cohesion_floor)
        f = {
            "war": max(0.0, 1.0 - e / max(one(p.war_stop), 1e-9)),
            "coh": floor + (1.0 - floor) * coh,
            "aid": o + one(p.aid_gain) * rd,
            "gap": max(k_star - K, 0.0),
        }
        seen.append(
            {
                "K_in": K,
                "E": e,
                "r_dev": rd,
                "participation": part,
                "K_star": k_star,
                "rate": one(p.rate),
                **f,
                "growth": one(p.rate) * f["war"] * f["coh"] * f["aid"] * f["gap"],
                "depreciation": one(p.depreciation) * (1 - one(p.ownership) * part) * K,
                "damage": one(p.damage) * e * e * K,
            }
        )
        return inner(capacity, E, cohesion, dev_response, participation, p, isolated, target)

    rows = []
    recovery.capacity_update = recorded
    try:
        for step in range(model.horizon):
            model.step()
            c = model.batch.state.cities
            month = model.batch.month
            rows.append(
                {
                    "month": step,
                    "K": float(c.capacity[0, j]),
                    "D": float(c.D[0, j]),
                    "U": float(c.usual_D[0, j]),
                    "C": float(c.C[0, j]),
                    "cohesion": float(c.cohesion[0, j]),
                    "T": float(month.cross_trust_city[0, j]),
                    "needs": float(c.needs[0, j]),
                    "residents": float(c.population[0, j]),
                    "away": float(c.fled[0, j]),
                    "dev_received": float(c.received[DEV][0, j]),
                    "dev_stock": float(c.stock[DEV][:, 0, j].sum()),
                }
            )
    finally:
        recovery.capacity_update = inner
    return pd.concat([pd.DataFrame(seen), pd.DataFrame(rows)], axis=1)


def shapley(calm: dict[str, float], war: dict[str, float]) -> dict[str, float]:
    """Each factor's share of ``prod(war) - prod(calm)``: the mean over every order of
    switching factors from the calm value to the siege value of its marginal change."""
    out = dict.fromkeys(FACTORS, 0.0)
    orders = list(itertools.permutations(FACTORS))
    for order in orders:
        now = dict(calm)
        for f in order:
            before = float(np.prod([now[g] for g in FACTORS]))
            now[f] = war[f]
            out[f] += float(np.prod([now[g] for g in FACTORS])) - before
    return {f: v / len(orders) for f, v in out.items()}


def decompose(calm: pd.DataFrame, war: pd.DataFrame) -> pd.DataFrame:
    """Per month: the gap's change (siege minus calm) split into its terms and factors."""
    rows = []
    for m in range(len(calm)):
        a, b = calm.iloc[m], war.iloc[m]
        parts = shapley({f: a[f] for f in FACTORS}, {f: b[f] for f in FACTORS})
        rate = a["rate"]
        row = {"month": m, **{f"growth: {f}": rate * v for f, v in parts.items()}}
        row["growth"] = b["growth"] - a["growth"]
        row["depreciation"] = -(b["depreciation"] - a["depreciation"])
        row["damage"] = -(b["damage"] - a["damage"])
        row["change"] = row["growth"] + row["depreciation"] + row["damage"]
        row["gap K"] = b["K"] - a["K"]
        for col in ("E", "D", "U", "cohesion", "C", "T", "war", "coh", "aid", "gap", "r_dev"):
            row[f"{col} siege"], row[f"{col} calm"] = b[col], a[col]
        row["away siege %"] = 100 * b["away"] / (b["residents"] + b["away"])
        row["dev received siege"], row["dev received calm"] = b["dev_received"], a["dev_received"]
        rows.append(row)
    return pd.DataFrame(rows)


def med(values: pd.Series | np.ndarray, digits: int = 4) -> str:
    v = np.asarray(values, float)
    m, lo, hi = np.median(v), v.min(), v.max()
    f = f"{{:+.{digits}f}}"
    if hi - lo < 0.5 * 10**-digits:
        return f.format(m)
    return f"{f.format(m)} ({f.format(lo)} to {f.format(hi)})"


def longer(seeds: int, horizon: int = 180) -> list[str]:
    """The gap (siege minus calm) over 15 years, the programme ending at month 48 in both;
    and the criterion proposed to the coordinator: the gap two years after recovery restarts
    (the first month after the siege with the town's E below ``war_stop``, so the recovery
    factor above 0) against the gap then."""
    months = (23, 29, 47, 59, 83, 119, 179)
    gaps = {m: [] for m in months}
    restart, at_restart, later = [], [], []
    for s in range(seeds):
        a, b = run(False, s, horizon), run(True, s, horizon)
        gap = (b["K"] - a["K"]).to_numpy()
        for m in months:
            gaps[m].append(gap[m])
        after = b.index[(b["month"] > SIEGE[1]) & (b["war"] > 0)]
        first = int(b.loc[after[0], "month"])
        restart.append(first)
        at_restart.append(gap[first])
        later.append(gap[first + 24])
    narrowed = int(sum(lt > ar for lt, ar in zip(later, at_restart, strict=True)))
    return [
        "",
        f"## Over {horizon // 12} years (horizon {horizon}; the programme ends at month 48 in "
        "both runs)",
        "",
        "| month | " + " | ".join(str(m) for m in months) + " |",
        "| --- | " + " | ".join("---" for _ in months) + " |",
        "| capacity gap | " + " | ".join(med(gaps[m], 3) for m in months) + " |",
        "",
        "The proposed criterion (the gap narrows in the two years after recovery restarts): "
        f"recovery restarts (E below war_stop) in month {int(np.median(restart))} "
        f"({min(restart)}-{max(restart)}); the gap then "
        f"{med(at_restart, 3)}, 24 months later {med(later, 3)}; narrower in {narrowed} of "
        f"{seeds} seeds.",
    ]


def report(per_seed: list[pd.DataFrame], extra: list[str] | None = None) -> str:
    seeds = len(per_seed)
    terms = ["growth", *(f"growth: {f}" for f in FACTORS), "depreciation", "damage", "change"]
    lines = [
        "# The besieged town's capacity after the siege (experiments/siege_rebound.py)",
        "",
        f"{seeds} seeds; siege minus calm, capacity-index units. The credibility siege world "
        "(town of 100,000, S 0.6, K 0.3, steady K 0.54, EUR 30,000 a month of relief and "
        "development; violence event of pressure 3 in months 12-23).",
        "",
        "## The gap's change summed over windows (median and range over seeds)",
        "",
        "| window | " + " | ".join(terms) + " |",
        "| --- | " + " | ".join("---" for _ in terms) + " |",
    ]
    for name, (a, b) in WINDOWS.items():
        sums = [[d[d["month"].between(a, b)][t].sum() for d in per_seed] for t in terms]
        lines.append(f"| {name} | " + " | ".join(med(s) for s in sums) + " |")
    gaps = {m: [d.loc[m, "gap K"] for d in per_seed] for m in (11, 23, 29, 35, 47)}
    lines += [
        "",
        "Capacity gap (siege minus calm) at months "
        + ", ".join(f"{m}: {med(v, 3)}" for m, v in gaps.items())
        + ".",
        "",
    ]
    lines += extra or []
    lines += ["", "## Month by month (median over seeds)", ""]
    show = [
        "gap K", "change", "growth", "growth: war", "growth: coh", "growth: aid", "growth: gap",
        "damage", "depreciation", "D siege", "U siege", "E siege", "E calm", "war siege",
        "war calm", "cohesion siege", "cohesion calm", "C siege", "C calm", "T siege", "T calm",
        "gap siege", "gap calm", "r_dev siege", "r_dev calm", "away siege %",
        "dev received siege", "dev received calm",
    ]  # fmt: skip
    medians = pd.concat(per_seed).groupby("month")[show].median()
    lines.append("| month | " + " | ".join(show) + " |")
    lines.append("| --- | " + " | ".join("---" for _ in show) + " |")
    for m, r in medians.loc[10:47].iterrows():
        lines.append(f"| {m} | " + " | ".join(f"{r[c]:.4g}" for c in show) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=30)
    ap.add_argument("--out", type=Path, default=OUT)
    a = ap.parse_args()
    per_seed = [decompose(run(False, s), run(True, s)) for s in range(a.seeds)]
    text = report(per_seed, longer(a.seeds))
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(text, encoding="utf-8")
    print(text[: text.index("## Month by month")])


if __name__ == "__main__":
    main()
