"""Is the encoded start a stable fixed point of the no-event month? Jacobian and loop gains.

For every city of the real cases, the monthly map of (D, S, C, needs, cohesion) with no events
and no aid (capacity, hostility, cross-divide trust and horizontal integration held at their
first-month values, noise off) is evaluated at the encoded start under three anchor rules:

- ``main``: ``galtung.persistence`` 0.5, anchors on S and C only (the rule before issue 15's
  equilibrium start);
- ``dsc``: persistence 1, anchors on D, S and C (the start is a fixed point of D, S, C but not
  of needs and cohesion);
- ``all``: persistence 1, anchors on D, S, C, needs and cohesion (the start is a fixed point);
- ``chosen``: as ``all``, but D's anchor only holds D below what its drivers explain
  (``rules.galtung.anchors``): violence above that is a war's tail and ebbs.

Reported per city: the step of each variable in the first month (0 at a fixed point), the
spectral radius of the month's Jacobian J (numerical, central differences), the spectral
radius of the target gain matrix G = dX*/dX (the sigmoid slopes times the weights; with every
loop positive, the fixed point is stable for any rates in (0, 1] iff rho(G) < 1, the M-matrix
condition), and the loop gains of D->S->D (w_DS s_D w_SD s_S, s_X = X*(1 - X*)) and D->C->D.

    nice -n 10 .venv/bin/python experiments/equilibrium_start.py --out /tmp/eq.md
"""

from __future__ import annotations

import argparse
import copy
from dataclasses import asdict
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

from sim import PeaceModel
from sim.engine.params import ModelParams
from sim.experiments.report import md_table, publish
from sim.rules import galtung, sigmoid
from sim.scenario.loader import load_scenario

SCENARIOS = ("tuzla", "map", "seoul_pyongyang", "croatia_twinnings")
VARS = ("D", "S", "C", "needs", "cohesion")


def settled(name: str):  # noqa: ANN201 - a Scenario
    """The scenario with every event, programme and alliance removed."""
    sc = copy.deepcopy(load_scenario(name))
    sc.events, sc.programmes, sc.alliances = [], [], []
    return sc


def context(name: str) -> tuple[list[str], np.ndarray, SimpleNamespace]:
    """(city ids, (5, N) encoded start, what the map holds fixed) of the settled scenario."""
    model = PeaceModel(settled(name), seed=0, params={"galtung": {"noise": 0.0}})
    c = model.batch.state.cities
    x0 = np.stack([np.array(getattr(c, v)[0], dtype=float) for v in VARS])
    fixed = SimpleNamespace(
        capacity=c.capacity[0].copy(),
        share=c.displaced_share[0].copy(),
    )
    model.step()  # the first month's cross-divide trust, hostility and horizontal integration
    month = model.batch.month
    fixed.cross = month.cross_trust_city[0].copy()
    fixed.hostility = month.hostility_city[0].copy()
    fixed.horizontal = month.horizontal_city[0].copy()
    ids = [str(i) for i in model.world.actors.ids[: model.world.n_cities]]
    return ids, x0, fixed


def raw_targets(x: np.ndarray, f: SimpleNamespace, g) -> tuple[np.ndarray, ...]:  # noqa: ANN001
    """(D*, S*, C*, needs*, cohesion*) logits without anchors, read at state x (no aid)."""
    D, S, C, N, coh = x
    zero = np.zeros_like(D)
    dz = g.w_DS * S + g.w_DC * C + g.w_DN * N - g.w_Dcoh * coh - g.w_DK * f.capacity - g.b_D
    sz = g.w_SD * D + g.w_SN * N + g.w_Sdisp * f.share - g.w_SK * f.capacity - g.b_S
    cz = (
        g.w_CD * D + g.w_CH * f.hostility - g.w_CT * f.cross - g.w_Ccoh * coh
        - g.w_Chor * f.horizontal - g.b_C
    )  # fmt: skip
    nz = g.w_ND * D + g.w_NS * S + g.w_Ndisp * f.share
    nz = nz + g.w_NK * (1.0 - f.capacity) - g.b_N + zero
    hz = g.w_cohT * f.cross - g.w_cohD * D - g.w_cohC * C + g.b_coh
    return dz, sz, cz, nz, hz


def logit(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.01, 0.99)
    return np.log(x / (1.0 - x))


def anchors_for(rule: str, x0: np.ndarray, f: SimpleNamespace, g) -> np.ndarray:  # noqa: ANN001
    """(5, N) logit anchors of each rule."""
    z = np.stack(raw_targets(x0, f, g))
    gap = logit(x0) - z
    keep = {
        "main": (0.0, 0.5, 0.5, 0, 0),
        "dsc": (1, 1, 1, 0, 0),
        "all": (1, 1, 1, 1, 1),
        "chosen": (1, 1, 1, 1, 1),
    }[rule]
    if rule == "chosen":  # rules.galtung.anchors: D keeps only an order below its drivers'
        gap[0] = np.minimum(gap[0], 0.0)
    return np.array(keep, dtype=float)[:, None] * gap


def month_map(x: np.ndarray, f: SimpleNamespace, g, a: np.ndarray) -> np.ndarray:  # noqa: ANN001
    """One no-event month in the engine's order (stages/violence.py): D, S, C from the old
    state; needs from the new D, S; cohesion from the new D, C. Noise off, capacity held."""
    D, S, C, N, coh = x
    dz, sz, cz, _, _ = raw_targets(x, f, g)
    d_star, s_star, c_star = sigmoid(dz + a[0]), sigmoid(sz + a[1]), sigmoid(cz + a[2])
    D1 = galtung.relax(D, d_star, galtung.escalation_rate(D, d_star, g.rate_D_up, g.rate_D), 0)
    S1 = galtung.relax(S, s_star, g.rate_S, 0.0)
    C1 = galtung.relax(C, c_star, g.rate_C, 0.0)
    _, _, _, nz, hz = raw_targets(np.stack([D1, S1, C1, N, coh]), f, g)
    N1 = galtung.relax(N, sigmoid(nz + a[3]), g.rate_N, 0.0)
    coh1 = galtung.relax(coh, sigmoid(hz + a[4]), g.rate_cohesion, 0.0)
    return np.stack([D1, S1, C1, N1, coh1])


def jacobian(x: np.ndarray, f: SimpleNamespace, g, a: np.ndarray, h: float = 1e-6) -> np.ndarray:  # noqa: ANN001
    """(N, 5, 5) central-difference Jacobian of the month map per city (cities are independent
    once trust and hostility are held)."""
    n = x.shape[1]
    J = np.zeros((n, 5, 5))
    for j in range(5):
        e = np.zeros_like(x)
        e[j] = h
        J[:, :, j] = ((month_map(x + e, f, g, a) - month_map(x - e, f, g, a)) / (2 * h)).T
    return J


def gain_matrix(x: np.ndarray, f: SimpleNamespace, g, a: np.ndarray) -> np.ndarray:  # noqa: ANN001
    """(N, 5, 5) G = dX*/dX at x: weights times sigmoid slopes, cohesion's sign flipped so that
    every entry is >= 0 (every loop of the model is positive)."""
    z = np.stack(raw_targets(x, f, g)) + a
    s = sigmoid(z) * (1 - sigmoid(z))  # (5, N) slope of each target
    W = np.array(
        [
            [0, g.w_DS, g.w_DC, g.w_DN, g.w_Dcoh],  # D* reads S, C, needs, -cohesion
            [g.w_SD, 0, 0, g.w_SN, 0],
            [g.w_CD, 0, 0, 0, g.w_Ccoh],
            [g.w_ND, g.w_NS, 0, 0, 0],
            [g.w_cohD, 0, g.w_cohC, 0, 0],  # -cohesion* reads D, C
        ]
    )
    return s.T[:, :, None] * W[None]


def analyse(name: str, g, rules: tuple[str, ...]) -> pd.DataFrame:  # noqa: ANN001
    ids, x0, f = context(name)
    rows = []
    for rule in rules:
        a = anchors_for(rule, x0, f, g)
        step = month_map(x0, f, g, a) - x0
        J = jacobian(x0, f, g, a)
        G = gain_matrix(x0, f, g, a)
        rho_J = np.abs(np.linalg.eigvals(J)).max(axis=1)
        rho_G = np.abs(np.linalg.eigvals(G)).max(axis=1)
        for i, city in enumerate(ids):
            rows.append(
                {
                    "scenario": name,
                    "rule": rule,
                    "city": city,
                    **{f"{v}0": x0[k, i] for k, v in enumerate(VARS)},
                    "K0": f.capacity[i],
                    **{f"step_{v}": step[k, i] for k, v in enumerate(VARS)},
                    "rho_J": rho_J[i],
                    "rho_G": rho_G[i],
                    "DSD": G[i, 0, 1] * G[i, 1, 0],
                    "DCD": G[i, 0, 2] * G[i, 2, 0],
                    "DND": G[i, 0, 3] * G[i, 3, 0],
                    "SNS": G[i, 1, 3] * G[i, 3, 1],
                }
            )
    return pd.DataFrame(rows)


WEIGHTS = ("w_DS", "w_DC", "w_DN", "w_Dcoh", "w_SD", "w_SN", "w_CD", "w_Ccoh", "w_ND", "w_NS",
           "w_cohD", "w_cohC")  # fmt: skip


def critical_factors(name: str, g, rule: str = "chosen") -> pd.DataFrame:  # noqa: ANN001
    """For the city of ``name`` with the largest rho(G) at its start: by what factor each
    feedback weight alone must grow for rho(G) to reach 1. At an anchored start the slopes
    are those of the start's values, so only the weight moves (bisection on the factor)."""
    ids, x0, f = context(name)
    a = anchors_for(rule, x0, f, g)
    rho = np.abs(np.linalg.eigvals(gain_matrix(x0, f, g, a))).max(axis=1)
    i = int(np.argmax(rho))
    row = {"scenario": name, "city": ids[i], "rho_G": rho[i]}
    for w in WEIGHTS:
        lo, hi = 1.0, 200.0
        for _ in range(40):
            mid = (lo + hi) / 2
            h = SimpleNamespace(**{**vars(g), w: getattr(g, w) * mid})
            G = gain_matrix(x0, f, h, anchors_for(rule, x0, f, h))[i]
            lo, hi = (mid, hi) if np.abs(np.linalg.eigvals(G)).max() < 1 else (lo, mid)
        row[w] = hi if hi < 200 else np.inf
    return pd.DataFrame([row])


def along_path(name: str, g, rule: str, years: int = 30) -> pd.DataFrame:  # noqa: ANN001
    """Iterate the held-context map from the start: where does each city go, and what is
    rho(G) on the way (a gain that rises above 1 on the way up is a runaway)."""
    ids, x0, f = context(name)
    a = anchors_for(rule, x0, f, g)
    x, rows = x0.copy(), []
    for m in range(1, 12 * years + 1):
        x = month_map(x, f, g, a)
        if m % 60 == 0:
            rho = np.abs(np.linalg.eigvals(gain_matrix(x, f, g, a))).max(axis=1)
            for i, city in enumerate(ids):
                rows.append(
                    {"scenario": name, "rule": rule, "city": city, "year": m // 12,
                     **{v: x[k, i] for k, v in enumerate(VARS)}, "rho_G": rho[i]}
                )  # fmt: skip
    return pd.DataFrame(rows)


def fold(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Cities with identical rounded rows folded into one ("a (+n)")."""
    values = [c for c in table.columns if c not in (*keys, "city")]
    rounded = table.round(3)
    out = rounded.groupby([*keys, *values], sort=False, as_index=False).agg(
        city=("city", lambda c: c.iloc[0] + (f" (+{len(c) - 1})" if len(c) > 1 else ""))
    )
    return out[[*keys, "city", *values]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", nargs="+", default=list(SCENARIOS))
    ap.add_argument("--rules", nargs="+", default=["main", "dsc", "all", "chosen"])
    ap.add_argument("--set", nargs="*", default=[], help="galtung overrides, key=value")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    g = SimpleNamespace(**asdict(ModelParams().galtung))
    for kv in args.set:
        k, v = kv.split("=")
        setattr(g, k, float(v))
    table = pd.concat([analyse(s, g, tuple(args.rules)) for s in args.scenarios])
    path = pd.concat([along_path(s, g, r) for s in args.scenarios for r in args.rules])
    text = [
        "At the encoded start (no events, no aid, capacity, trust and hostility held, noise "
        "off): the first month's step of each variable, the spectral radius of the month's "
        "Jacobian and of the target gain matrix G, and four loop gains.",
        "",
        md_table(fold(table, ["scenario", "rule"]), 3),
        "",
        "The held-context map iterated from the start (every 5 years):",
        "",
        md_table(fold(path, ["scenario", "rule", "year"]), 3),
    ]
    factors = pd.concat([critical_factors(s, g) for s in args.scenarios])
    text += [
        "",
        "The factor by which one feedback weight alone must grow for rho(G) to reach 1, at the "
        "city with the largest rho(G) of each case (rule ``chosen``; inf: never below 200):",
        "",
        md_table(factors.round(2), 2),
    ]
    publish(text, args.out)


if __name__ == "__main__":
    main()
