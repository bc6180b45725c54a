"""Does cross-divide trust stay at the encoded start without events? (issue 15, trust4)

For each real case, the scenario as encoded (``full``) and with every event, programme and
alliance removed (``calm``, as ``starting_transient.settled``), seed 0, noise off. Month by month
it records, per city: C, the mean trust of its cross-divide ties and the mean of their no-contact
floor ``max(memory, floor share x trust.floor)`` as the engine computes it, and reports them at
named years. It also reads the loop C -> floor -> trust -> C at the start: the floor's slope in
the ends' mean C, times the drift's equilibrium response of trust to its floor, times C's target
slope in cross-divide trust (w_CT C*(1 - C*), plus horizontal integration's w_Chor where the
city's middle-level ties span the divide). It measures the code it imports: run it with
``PYTHONPATH`` at another checkout to compare rules.

    nice -n 10 .venv/bin/python experiments/trust_drift.py --out /tmp/trust_drift.md
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from sim import PeaceModel
from sim.experiments.report import md_table, publish

SCENARIOS = ("seoul_pyongyang", "map", "tuzla", "croatia_twinnings")
PARAMS = {"galtung": {"noise": 0.0}}
YEARS = {
    "seoul_pyongyang": ("1990-01", "2000-01", "2010-01", "2035-01"),
    "map": ("2000-01", "2005-01", "2010-01", "2015-01"),
    "tuzla": ("2000-01", "2010-01"),
    "croatia_twinnings": ("2000-01", "2005-01", "2010-01"),
}


def _settled(name: str):  # noqa: ANN202 - a Scenario
    import copy

    from sim.scenario.loader import load_scenario

    sc = copy.deepcopy(load_scenario(name))
    sc.events, sc.programmes, sc.alliances = [], [], []
    return sc


def _floor(model: PeaceModel) -> np.ndarray:
    """(E,) each tie's no-contact floor this month as the trust stage computes it."""
    from sim.rules import trust

    b = model.batch
    w, s, co = b.world, b.state, b.co
    cultural = w.context(s.cities.C, 0.0)[0]
    hostility = s.countries.hostility.reshape(1, -1)[0]
    t = w.ties
    args = (
        np.take(cultural, t.src),
        np.take(cultural, t.dst),
        np.take(hostility, t.pair),
    )
    if hasattr(trust, "floor"):  # the anchored rule (trust4)
        f = trust.floor(*args, s.ties.start_trust[0], s.ties.start_baseline[0], co.trust.baseline)
    else:
        f = trust.baseline(*args, co.trust.baseline)
    return np.maximum(s.ties.memory[0], f)


def _per_city(model: PeaceModel, per_tie: np.ndarray) -> np.ndarray:
    """(N,) mean of a per-tie quantity over each city's cross-divide ties (as the engine's
    ``cross_trust_per_city`` counts them: both ends, associations by their city); NaN where
    a city has none."""
    from sim.rules import group_sum

    w = model.batch.world
    total = group_sum(np.take(per_tie, w.city_cross_rows), w.city_cross_ends, w.n_cities)
    count = np.asarray(w.city_cross_count, float)
    return np.divide(total, count, out=np.full(total.shape, np.nan), where=count > 0)


def series(scenario, name: str, run: str) -> pd.DataFrame:  # noqa: ANN001
    """Per month and city: C, mean cross-divide trust and mean floor of its cross ties."""
    model = PeaceModel(scenario, seed=0, params=PARAMS)
    w = model.batch.world
    ids = list(w.actors.ids[: w.n_cities])
    rows = []
    while model.running and model.t < model.horizon:
        model.step()
        s = model.batch.state
        tr, fl = _per_city(model, s.ties.trust[0]), _per_city(model, _floor(model))
        date = model.date_of(model.t - 1)
        for i, city in enumerate(ids):
            rows.append(
                {"scenario": name, "run": run, "date": date, "city": city,
                 "C": float(s.cities.C[0, i]), "trust": tr[i], "floor": fl[i]}
            )  # fmt: skip
    return pd.DataFrame(rows)


def _equilibrium_start():  # noqa: ANN202 - the module beside this script
    import importlib.util

    path = Path(__file__).with_name("equilibrium_start.py")
    spec = importlib.util.spec_from_file_location("equilibrium_start", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def loop_gain(name: str) -> pd.DataFrame:
    """Per city at the encoded start: the loop C -> floor -> trust -> C and the spectral radius
    of the target gain matrix with trust included.

    ``equilibrium_start``'s 5 x 5 gain matrix G of (D, S, C, needs, -cohesion) under its
    ``chosen`` rule, widened by -T, the city's mean cross-divide trust, whose no-contact target is
    its floor: -T reads C through the floor's slope in the ends' mean C (both ends moving
    together, an upper bound; the ladder's ceremonial share taken as 1, another), and D through
    the violence shock's lowering of trust's resting point; C* reads -T through w_CT (and
    w_Chor where the city has middle-level cross ties), -cohesion* through w_cohT. Every entry
    is >= 0, so the start is stable for any rates in (0, 1] iff rho(G) < 1 (as there)."""
    from dataclasses import asdict
    from types import SimpleNamespace

    from sim.engine.params import ModelParams
    from sim.rules import sigmoid, trust

    eq = _equilibrium_start()
    g = SimpleNamespace(**asdict(ModelParams().galtung))
    tp = ModelParams().trust
    ids, x0, f = eq.context(name)
    a = eq.anchors_for("chosen", x0, f, g)
    z = np.stack(eq.raw_targets(x0, f, g)) + a
    slope = sigmoid(z) * (1.0 - sigmoid(z))
    model = PeaceModel(_settled(name), seed=0, params=PARAMS)
    w = model.batch.world
    t = w.ties
    c0 = w.context(w.initial_cities["C"][None], 0.0)[0]
    h0 = w.initial_countries["hostility"].reshape(-1)[t.pair]
    mean_c = 0.5 * (c0[t.src] + c0[t.dst])
    t0 = np.asarray(w.initial_ties["trust"], float)
    anchored = hasattr(trust, "floor")
    # floor = b0 (1 - mean C)(1 - H), anchored (trust4) or not (main), + T0 - its start value
    # when anchored: its slope in the ends' mean C is b0 (1 - H) either way.
    d_floor = tp.baseline * (1.0 - h0)
    floor0 = t0 if anchored else tp.baseline * (1.0 - mean_c) * (1.0 - h0)
    # The shock: trust rests at F d / (d + s D (1 - d)); on main D is the ends' D, here the
    # excess over the usual level, 0 at the start (one-sided, like D's anchor).
    d0 = w.context(w.initial_cities["D"][None], 0.0)[0]
    ends_d = np.maximum(d0[t.src], d0[t.dst])
    dec, sh = tp.decay, tp.violence_shock
    denom = (dec + sh * ends_d * (1.0 - dec)) ** 2
    d_shock = 0.0 if anchored else floor0 * dec * sh * (1.0 - dec) / denom
    parts = (("F", d_floor), ("D", d_shock * t.cross_divide))
    per_city = {k: _per_city(model, np.broadcast_to(v, t0.shape)) for k, v in parts}
    horizontal = np.asarray(w.groups.has_horizontal)
    G5 = eq.gain_matrix(x0, f, g, a)
    rows = []
    for i, city in enumerate(ids):
        if np.isnan(per_city["F"][i]):
            continue
        G = np.zeros((6, 6))
        G[:5, :5] = G5[i]
        G[2, 5] = (g.w_CT + g.w_Chor * horizontal[i]) * slope[2, i]
        G[4, 5] = g.w_cohT * slope[4, i]
        G[5, 2] = per_city["F"][i]
        G[5, 0] = per_city["D"][i]
        loop = G[5, 2] * G[2, 5]
        rows.append(
            {"scenario": name, "city": city, "C0": x0[2, i], "dfloor_dC": G[5, 2],
             "dCstar_dT": G[2, 5], "C_floor_T_C": loop,
             "rho_G5": np.abs(np.linalg.eigvals(G5[i])).max(),
             "rho_G6": np.abs(np.linalg.eigvals(G)).max()}
        )  # fmt: skip
    return pd.DataFrame(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", nargs="+", default=list(SCENARIOS))
    ap.add_argument("--out", type=Path, help="write the tables as markdown here")
    args = ap.parse_args()
    text = []
    for name in args.scenarios:
        frames = [series(name, name, "full"), series(_settled(name), name, "calm")]
        f = pd.concat(frames, ignore_index=True)
        f = f[f["date"].isin(YEARS[name] + (f["date"].iloc[0], f["date"].iloc[-1]))]
        f = f.dropna(subset=["trust"])
        if f.empty:
            text += [f"**{name}**: no tie spans a divide (cross-divide trust is not a state).", ""]
            continue
        wide = f.pivot_table(index=["city", "date"], columns="run", values=["C", "trust", "floor"])
        wide.columns = [f"{a}_{b}" for a, b in wide.columns]
        order = [f"{v}_{r}" for v in ("C", "trust", "floor") for r in ("calm", "full")]
        wide = wide.reset_index()[["city", "date", *order]]
        text += [f"**{name}** (cities with cross-divide ties; first and last month added):", ""]
        text += [md_table(wide.round(3), 3), ""]
        gains = loop_gain(name)
        text += [f"Loop gain C -> floor -> trust -> C and rho(G) with trust, {name}:", ""]
        text += [md_table(gains.round(4), 4), ""]
    publish(text, args.out)


if __name__ == "__main__":
    main()
