"""Why does the North recover from its famine by itself? (issue 15 items 2-3, helper famine)

One run of ``seoul_pyongyang`` at seed 0 and the default coefficients (the baseline policy, noise
kept: the run a user sees). The capacity rule (``sim.rules.recovery.capacity_update``, ODD 7.6)
is wrapped so that every month it records, for the North's cities, the rule's inputs (capacity K,
excess violence E, cohesion, the development stock's response r_dev, participation) and its three
terms:

    growth       = r_K max(0, 1 - E/e_stop)(c0 + (1 - c0) cohesion)(o + g_aid r_dev) max(K* - K, 0)
    depreciation = dep (1 - ownership x participation) K
    damage       = delta_K E^2 K

Scripted losses (``disaster`` events' ``capacity_loss``) act outside the rule, before it: they are
the rule's input K less the capacity the month before. Printed per city and year: the sums of the
four terms, capacity at the year's end and the yearly means of the inputs. It measures the code
it imports: run it with ``PYTHONPATH`` at another checkout to compare rules.

    PYTHONPATH=$PWD .venv/bin/python experiments/famine_recovery.py --out /tmp/famine.md
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from sim import PeaceModel
from sim.experiments.report import md_table, publish
from sim.rules import recovery

NORTH = ("pyongyang", "kp_kangwon", "kp_provinces")
YEARS = (1990, 1991, 1994, 1995, 1996, 1997, 1998, 1999, 2000, 2002, 2005, 2010, 2015, 2016, 2019)


def run(seed: int = 0) -> pd.DataFrame:
    """Monthly rows per North city: the rule's inputs, its terms and the month's whole change."""
    model = PeaceModel("seoul_pyongyang", seed=seed)
    ids = [str(i) for i in model.world.actors.ids[: model.world.n_cities]]
    cols = [ids.index(c) for c in NORTH]
    seen: list[dict] = []
    inner = recovery.capacity_update

    def recorded(capacity, E, cohesion, dev_response, participation, p, *isolated):  # noqa: ANN001, ANN202
        p1 = lambda x: np.broadcast_to(np.asarray(x, float), capacity.shape)[0]  # noqa: E731
        K, e, coh, rd, part = (p1(a) for a in (capacity, E, cohesion, dev_response, participation))
        rate, stop, floor = p1(p.rate), p1(p.war_stop), p1(p.cohesion_floor)
        gain, dep, own, dmg = p1(p.aid_gain), p1(p.depreciation), p1(p.ownership), p1(p.damage)
        speed = rate * np.clip(1 - e / np.maximum(stop, 1e-9), 0, 1) * (floor + (1 - floor) * coh)
        # Main's rule has no isolation (own speed 1); branch famine's passes it (rules.recovery).
        # (``o``, not ``own``: ``own`` is the ownership the depreciation term reads; until
        # famine2 the openness overwrote it, so the recorded depreciation of an isolated city
        # read 1 - 0.4 x participation instead of 1 - ownership x participation.)
        o = np.ones_like(K)
        if isolated and isolated[0] is not None:
            o = np.where(isolated[0], p1(p.closed_share), 1.0)
        # Branch famine2's rule passes each city's K* (rules.recovery.own_steady_state).
        target = p1(isolated[1]) if len(isolated) > 1 and isolated[1] is not None else 1.0
        seen.append(
            {
                "K": K[cols].copy(),
                "E": e[cols].copy(),
                "cohesion": coh[cols].copy(),
                "dev_response": rd[cols].copy(),
                "participation": part[cols].copy(),
                "growth": (speed * (o + gain * rd) * np.maximum(target - K, 0))[cols],
                "depreciation": (dep * (1 - own * part) * K)[cols],
                "damage": (dmg * e * e * K)[cols],
            }
        )
        return inner(capacity, E, cohesion, dev_response, participation, p, *isolated)

    recovery.capacity_update = recorded
    try:
        model.run()
    finally:
        recovery.capacity_update = inner
    cf = model.city_frame()
    rows = []
    for step, month in enumerate(seen):
        for j, city in enumerate(NORTH):
            rows.append({"step": step, "id": city, **{k: float(v[j]) for k, v in month.items()}})
    terms = pd.DataFrame(rows)
    cf = cf[cf["id"].isin(NORTH)][["step", "id", "date", "capacity", "needs", "S", "D"]]
    out = terms.merge(cf, on=["step", "id"])
    out["year"] = out["date"].astype(str).str[:4].astype(int)
    # Disaster events' capacity losses act before the rule, in the events stage: the scripted
    # part of a month is the rule's input K less last month's capacity.
    out = out.sort_values(["id", "step"]).reset_index(drop=True)
    previous = out.groupby("id")["capacity"].shift(1)
    out["scripted"] = (out["K"] - previous).fillna(0.0)
    return out


def yearly(out: pd.DataFrame) -> pd.DataFrame:
    """Per city and year in YEARS: the terms summed, capacity at the year's end, inputs' means."""
    g = out.groupby(["id", "year"], sort=False)
    table = g.agg(
        K_end=("capacity", "last"),
        growth=("growth", "sum"),
        depreciation=("depreciation", "sum"),
        damage=("damage", "sum"),
        scripted=("scripted", "sum"),
        E=("E", "mean"),
        cohesion=("cohesion", "mean"),
        dev_response=("dev_response", "mean"),
        participation=("participation", "mean"),
        needs=("needs", "mean"),
        S=("S", "mean"),
    ).reset_index()
    return table[table["year"].isin(YEARS)]


def totals(out: pd.DataFrame) -> pd.DataFrame:
    """Per city and period: what each term adds up to."""
    periods = {"1990-1994": (1990, 1994), "1995-1998": (1995, 1998), "1999-2019": (1999, 2019)}
    rows = []
    for city in NORTH:
        c = out[out["id"] == city]
        for name, (a, b) in periods.items():
            w = c[(c["year"] >= a) & (c["year"] <= b)]
            rows.append(
                {
                    "city": city,
                    "period": name,
                    "K first": float(w["K"].iloc[0]),
                    "K last": float(w["capacity"].iloc[-1]),
                    "growth": float(w["growth"].sum()),
                    "depreciation": float(-w["depreciation"].sum()),
                    "damage": float(-w["damage"].sum()),
                    "scripted": float(w["scripted"].sum()),
                }
            )
    return pd.DataFrame(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=None)
    a = ap.parse_args()
    out = run(a.seed)
    parts = [
        f"# The North's capacity path, seoul_pyongyang seed {a.seed}",
        "",
        "(experiments/famine_recovery.py)",
        "",
        "## Terms summed over each period (capacity units)",
        "",
        md_table(totals(out), digits=3),
        "",
        "## Per year: terms summed, capacity at the year's end, inputs' yearly means",
        "",
        md_table(yearly(out), digits=3),
    ]
    publish(parts, a.out)


if __name__ == "__main__":
    main()
