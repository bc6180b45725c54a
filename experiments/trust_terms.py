"""Which term of the trust stage moves a tie's trust, by how much and when (issue 15, trust).

Runs one seed of a scenario (numpy form of stage 6, replicate 0) and, each month, splits every
selected tie's trust change into the stage's terms in their order: the refused share's cost
(``decline``), mediation's lift, successes, failures, the drift toward the floor and the
violence shock on cross-divide ties. It recomputes them from the stage's own inputs next to
the real stage and checks that they add up to the change the stage made. Reported as yearly
sums of the mean per-tie change over the selected ties (``cross``: every active cross-divide
tie, the set ``cross_divide_trust`` averages; ``a<->b``: the two directed ties of a pair), with
the mean trust, floor and the share refused.

    PYTHONPATH=$PWD .venv/bin/python experiments/trust_terms.py seoul_pyongyang "seoul<->pyongyang"
    PYTHONPATH=$PWD .venv/bin/python experiments/trust_terms.py map cross --years 1999 2012

It measures the code it imports: run it with ``PYTHONPATH`` at another checkout to compare rules.
"""

from __future__ import annotations

import argparse
import os

import numpy as np
import pandas as pd

os.environ.setdefault("CITYPEACE_NUMBA", "0")  # the numpy form, whose terms this mirrors

from sim import PeaceModel  # noqa: E402
from sim.engine.stages import trust as stage  # noqa: E402
from sim.rules import HUM, PEACE, displacement, ladder, trust, venue  # noqa: E402

TERMS = ("decline", "mediation", "success", "failure", "drift", "shock")


def _terms(world, state, co, month) -> dict[str, np.ndarray]:  # noqa: ANN001
    """(E,) each term's change in replicate 0, recomputed as ``stage.update_trust`` does."""
    t, ties, tp = world.ties, state.ties, co.trust
    r0 = 0
    old = ties.trust.copy()
    refused = (1.0 - month.taken) * month.has_offer * _cost(co, month, world, state)
    lp = co.ladder
    on = world.groups.on_ladder & co.switches.ladder
    stage_now = month.ladder_stage
    ceremonial = ladder.ceremonial(stage_now, ties.benefit, on, lp.fall_benefit)
    kept = ladder.institution(stage_now, lp.institution)
    cultural = world.context(state.cities.C, 0.0)
    hostility = state.countries.hostility.reshape(old.shape[0], -1)
    floor = _floor(t, ties, tp, lp, ceremonial, cultural, hostility)
    low = np.maximum(ties.memory, floor)
    if hasattr(trust, "refuse"):  # branch trustpace: a refusal costs down to the floor only
        after_decline = trust.refuse(old, refused, low)
    else:
        after_decline = old * (1.0 - refused)
    after_med, mediated = trust.mediation(
        after_decline, world.med_party, world.med_mu, world.med_mv,
        np.take(state.actors.neutrality, world.med_mediator, axis=1), co.levers.mediation,
        ties.active, *_talks(world, state, co),
        threshold=tp.mediation_threshold, rate=tp.mediation_rate,
        ceiling=stage.mediation_ceiling(world, co, world.context(state.cities.C, 0.0)),
    )  # fmt: skip
    standing = (mediated | ~t.carries) & (co.levers.mediation | world.groups.not_mediation)
    contact = np.maximum(standing, month.taken)
    total = month.offer_total
    outcome = np.divide(
        month.offer[HUM] + month.offer[PEACE], total, out=np.zeros_like(total), where=total > 0
    )
    successes = outcome * month.taken + month.completed
    keep = (1.0 - tp.success) ** successes
    if hasattr(trust, "delivery_ceiling"):  # branch deltrust: toward what culture allows
        c = world.context(state.cities.C, 0.0)
        reach = trust.delivery_ceiling(
            np.take(c, t.src, axis=1), np.take(c, t.dst, axis=1), t.cross_divide
        )
        after_success = trust.toward(after_med, keep, reach)
    else:
        after_success = 1.0 - (1.0 - after_med) * keep
    after_failure = after_success * (1.0 - tp.failure) ** month.interrupted
    after_drift = np.clip(
        after_failure - (after_failure - low) * tp.decay * kept * (1.0 - contact), 0.0, 1.0
    )
    violence = world.context(displacement.excess(state.cities.D, state.cities.usual_D), 0.0)
    ends = np.maximum(np.take(violence, t.src, axis=1), np.take(violence, t.dst, axis=1))
    exposed = venue.exposure(ends, mediated, tp.venue_shield)
    after_shock = np.clip(
        trust.violence_shock(after_drift, t.cross_divide, exposed, tp.violence_shock), 0, 1
    )
    steps = (old, after_decline, after_med, after_success, after_failure, after_drift)
    out = {
        name: (b - a)[r0]
        for name, a, b in zip(TERMS, steps, (*steps[1:], after_shock), strict=True)
    }
    out["trust"], out["floor"] = after_shock[r0], low[r0]
    out["refused"] = ((1.0 - month.taken) * month.has_offer)[r0]
    out["offered"] = month.has_offer[r0].astype(float)
    return out


def _cost(co, month, world, state) -> np.ndarray:  # noqa: ANN001
    """The decline cost per tie as the stage reads it (a number, or per tie if the rule
    attributes the refusal)."""
    attributed = getattr(stage, "decline_cost", None)
    if attributed is not None:
        return attributed(world, state, co, month)
    return co.proposals.decline_cost


def _talks(world, state, co) -> tuple:  # noqa: ANN001
    """The talks' share as this branch's stage passes it to mediation (none on main)."""
    share = getattr(stage, "talks_share", None)
    return () if share is None else (share(world, state, co),)


def _floor(t, ties, tp, lp, ceremonial, cultural, hostility) -> np.ndarray:  # noqa: ANN001
    """The no-contact floor as the stage computes it."""
    args = (
        np.take(cultural, t.src, axis=1),
        np.take(cultural, t.dst, axis=1),
        np.take(hostility, t.pair, axis=1),
        ties.start_trust,
        ties.start_baseline,
        tp.baseline,
    )
    share = 1.0 - lp.ceremonial_floor * ceremonial
    if hasattr(trust, "refusal_owned"):  # this branch's rule: the share of the baseline
        return trust.floor(*args, share)
    return share * trust.floor(*args)


def trace(scenario: str, selection: str, seed: int = 0) -> pd.DataFrame:
    """Per month: each term's mean change over the selected active ties, trust and floor."""
    model = PeaceModel(scenario, seed=seed)
    world0 = model.batch.world
    ids = list(world0.actors.ids)
    if selection == "cross":
        chosen = None
    else:
        a, b = (ids.index(x) for x in selection.split("<->"))
        src, dst = world0.ties.src, world0.ties.dst
        chosen = ((src == a) & (dst == b)) | ((src == b) & (dst == a))
    rows, original = [], stage.update_trust

    def wrapped(world, state, co, month) -> None:  # noqa: ANN001
        terms = _terms(world, state, co, month)
        original(world, state, co, month)
        active = state.ties.active[0] if state.ties.active.ndim > 1 else state.ties.active
        pick = (world.ties.cross_divide if chosen is None else chosen) & active
        if not pick.any():
            return
        gap = np.abs(terms["trust"] - state.ties.trust[0])[pick].max()
        assert gap < 1e-9, f"terms do not reproduce the stage (off by {gap})"
        row = {k: float(v[pick].mean()) for k, v in terms.items()}
        rows.append({"date": model.date_of(month.step), **row})

    stage.update_trust = wrapped
    try:
        model.run()
    finally:
        stage.update_trust = original
    return pd.DataFrame(rows)


def yearly(frame: pd.DataFrame) -> pd.DataFrame:
    """Yearly sums of the terms, the year's last trust and floor, offers and refused share."""
    f = frame.assign(year=frame["date"].str[:4].astype(int))
    g = f.groupby("year")
    out = g[list(TERMS)].sum()
    out["net"] = out.sum(axis=1)
    out["trust_end"] = g["trust"].last()
    out["floor_end"] = g["floor"].last()
    out["offers"] = g["offered"].sum()
    out["refused"] = g["refused"].sum()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario")
    ap.add_argument("selection", help="cross, or a<->b")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--years", nargs=2, type=int, default=None)
    args = ap.parse_args()
    table = yearly(trace(args.scenario, args.selection, args.seed))
    if args.years:
        table = table.loc[args.years[0] : args.years[1]]
    with pd.option_context("display.width", 200, "display.max_rows", 200):
        print(table.round(4).to_string())


if __name__ == "__main__":
    main()
