"""Split each month's change of a country pair's hostility and of a set of ties' trust by cause.

The engine's month (``sim.engine.step.step``) is run stage by stage; hostility and the tracked
ties' mean trust are read after each stage, and inside the levels and trust stages each rule's
part is re-computed from the same state (spill-up, violence; refusal, mediation, success,
failure, drift, violence shock). Hostility's violence part is split into its rise toward the
level this month's excess over the usual sets and its fade (ODD 7.7). The parts add up to the
engine's own change, which the ``*_rest`` columns show (0 when the re-computation matches
the stage). Written for issue 15 item 5 (docs/validation/issue15.md, "Hostility and trust
under violence"):

    .venv/bin/python experiments/hostility_decomposition.py --seeds 30
    .venv/bin/python experiments/hostility_decomposition.py --ties towns
    .venv/bin/python experiments/hostility_decomposition.py --seeds 30 --recipe
    .venv/bin/python experiments/hostility_decomposition.py --seeds 30 --periods

``--periods`` prints, per window (1999, the outbreak, 2002, the intifada's end, 2006, the
2009-01 Gaza war), the median over seeds of hostility H, its base B and violence part V, each
side's excess over its usual level and the pair's excess E that V reads (issue15.md,
"hostility4").

``--recipe`` prints ``alliances.suspend_violence``'s calibration recipe: the 10th percentile
over the seeds of each seed's 2007-2012 peak of the MAP members' violence above the usual.

``--ties pair`` follows ULAI-APLA, ``towns`` the other cross-divide ties (the associations'
ties to the other side's member towns). Small worlds only: the trust parts follow the numpy
path of ``stages.trust`` (``sim.rules.fused`` switches large worlds to compiled loops).
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from sim import PeaceModel
from sim.engine.month import Month
from sim.engine.stages import (
    alliances,
    delivery,
    funding,
    gates,
    ladder,
    levels,
    projects,
    proposals,
    violence,
)
from sim.engine.stages import trust as trust_stage
from sim.rules import HUM, PEACE, delegates, displacement, lederach, trust, venue
from sim.rules import ladder as ladder_rules

WINDOW = ("2000-10", "2005-01")  # the Second Intifada after its outbreak's scripted step


def hostility_parts(world, state, co) -> dict[str, np.ndarray]:
    """(R, K, K) change of hostility by each step of ``stages.levels``: spill-up (into the slow
    base), the violence part's rise toward the level this month's excess sets and its fade;
    with the violence part and the pair excess E it reads after the month."""
    base0, part0 = lederach.split(state.countries.hostility, state.countries.violence_part)
    base1 = levels.hostility_after_spill_up(world, state, co, base0)
    rise, fade = levels.violence_steps(world, state, co, base1, part0)
    return dict(
        spill_up=base1 - base0, violence_rise=rise, violence_fade=fade,
        violence_part=lederach.violence_part(part0, rise, fade, base1),
        excess=levels.pair_excess(world, state), base=base1,
        side=levels.side_excess(world, state),
    )  # fmt: skip


def pair_sides(world, i: int, j: int) -> dict[str, int]:
    """The sides (violence groups) of the country pair (i, j), keyed by their country code."""
    g, k, c = world.groups, world.n_countries, world.n_communities
    cols = g.pair_cols[g.pair_rows == i * k + j].tolist()
    names = list(world.country_index)
    return {names[col // c]: col for col in cols}


def member_excess(world, state, members: np.ndarray) -> np.ndarray:
    """(R,) the members' highest violence above their usual level: what suspends an alliance
    (``stages.alliances``)."""
    excess = displacement.excess(state.cities.D, state.cities.usual_D)
    return world.context(excess, 0.0)[:, members].max(axis=-1)


def trust_parts(world, state, co, month: Month) -> dict[str, np.ndarray]:
    """(R, E) change of every tie's trust by each step of ``stages.trust`` (numpy path)."""
    t, ties, tp, r = world.ties, state.ties, co.trust, state.ties.trust.shape[0]
    cultural = world.context(state.cities.C, 0.0)
    exposure = world.context(displacement.excess(state.cities.D, state.cities.usual_D), 0.0)
    t0 = ties.trust
    decline = trust_stage.decline_cost(world, state, co, month)  # the recipient's own share
    t1 = t0 * (1.0 - (1.0 - month.taken) * month.has_offer * decline)
    # Since branch levels the talks lift the delegates' trust, not this one (t2 = t1); their
    # communities take it up through the transfer, the last step below.
    push, mediated = trust_stage.talks_push(
        world, state, co, t1, trust_stage.talks_share(world, state, co)
    )
    t2 = t1
    standing = (mediated | ~t.carries) & (co.levers.mediation | world.groups.not_mediation)
    contact = np.maximum(standing, month.taken)
    total = month.offer_total
    outcome = np.divide(
        month.offer[HUM] + month.offer[PEACE], total, out=np.zeros_like(total), where=total > 0
    )
    lp = co.ladder
    on = world.groups.on_ladder & co.switches.ladder
    ceremonial = ladder_rules.ceremonial(month.ladder_stage, ties.benefit, on, lp.fall_benefit)
    kept = ladder_rules.institution(month.ladder_stage, lp.institution)
    floor = trust.floor(
        np.take(cultural, t.src, axis=1), np.take(cultural, t.dst, axis=1),
        np.take(state.countries.hostility.reshape(r, -1), t.pair, axis=1),
        ties.start_trust, ties.start_baseline, tp.baseline,
        1.0 - lp.ceremonial_floor * ceremonial,
    )  # fmt: skip
    t3 = 1.0 - (1.0 - t2) * (1.0 - tp.success) ** (outcome * month.taken + month.completed)
    t4 = t3 * (1.0 - tp.failure) ** month.interrupted
    low = np.maximum(ties.memory, floor)
    t5 = np.clip(t4 - (t4 - low) * tp.decay * kept * (1.0 - contact), 0.0, 1.0)
    ends = np.maximum(np.take(exposure, t.src, axis=1), np.take(exposure, t.dst, axis=1))
    shown = venue.exposure(ends, mediated, tp.venue_shield)
    t6 = np.clip(trust.violence_shock(t5, t.cross_divide, shown, tp.violence_shock), 0.0, 1.0)
    envoys = delegates.after_month(
        t6, delegates.surplus(ties.delegates, t0), mediated, push, tp.decay
    )
    bound = trust.mediation_ceiling(
        np.take(cultural, t.src, axis=1), np.take(cultural, t.dst, axis=1), tp.mediation_ceiling
    )
    t7 = delegates.transfer(t6, envoys, bound, world.groups.horizontal_tie, co.delegates.transfer)
    steps = ("refusal", "mediation", "success", "failure", "drift", "violence", "transfer")
    values = (t0, t1, t2, t3, t4, t5, t6, t7)
    return {name: values[i + 1] - values[i] for i, name in enumerate(steps)}


def tracked_ties(model: PeaceModel, which: str) -> np.ndarray:
    """ULAI-APLA (``pair``) or the other cross-divide ties (``towns``)."""
    t, ids = model.world.ties, model.world.actor_index
    u, a = ids["ulai"], ids["apla"]
    pair = ((t.src == u) & (t.dst == a)) | ((t.src == a) & (t.dst == u))
    return np.flatnonzero(pair)[:1] if which == "pair" else np.flatnonzero(t.cross_divide & ~pair)


def decompose(seed: int, which: str = "pair", countries: tuple[str, str] = ("IL", "PS")):
    """One row a month: hostility and trust, and the parts of their change."""
    model = PeaceModel("map", seed=seed)
    b = model.batch
    w0, state, co = b.world, b.state, b.co
    i, j = (w0.country_index[c] for c in countries)
    sel = tracked_ties(model, which)
    members = w0.alliances[0].members
    sides = pair_sides(w0, i, j)

    def now() -> tuple[float, float]:
        return float(state.countries.hostility[0, i, j]), float(state.ties.trust[0, sel].mean())

    rows = []
    for t in range(b.horizon):
        h0, tr0 = now()
        world = b.events.apply(t, state, co)
        h_ev, tr_ev = now()
        vertical, horizontal = levels.integration_by_city(world, state, co)
        open_, third = gates.open_channels(world, state, co, vertical)
        money, active, risk_ok = funding.programme_money(world, state, co, t, b.log)
        month = Month(
            step=t, vertical_city=vertical, horizontal_city=horizontal, open=open_,
            third_src=third, prog_active=active, risk_ok=risk_ok, world=world,
        )  # fmt: skip
        proposals.make_offers(world, state, co, month, money, b.streams)
        delivery.deliver(world, state, co, month)
        _, tr_del = now()
        projects.run_projects(world, state, co, month, b.streams)
        _, tr_proj = now()
        parts = {
            k: float(v[0, sel].mean()) for k, v in trust_parts(world, state, co, month).items()
        }
        trust_stage.update_trust(world, state, co, month)
        _, tr_trust = now()
        ladder.climb(world, state, co, month)
        _, tr_lad = now()
        violence.update_cities(world, state, co, month, b.streams)
        h_v, _ = now()
        raw = hostility_parts(world, state, co)
        side = raw.pop("side")
        side_excess = {f"excess_{c}": float(side[0, g]) for c, g in sides.items()}
        h_parts = {k: float(v[0, i, j]) for k, v in raw.items()}
        steps = ("spill_up", "violence_rise", "violence_fade")
        levels.update_levels(world, state, co, month)
        h_lv, _ = now()
        alliances.update_alliances(world, state, co, month, b.log)
        h_al, tr_al = now()
        b.events.settle(state)
        h1, tr1 = now()
        b.t += 1
        rows.append(
            dict(
                date=w0.date_of(t), hostility=h1, h_events=h_ev - h0,
                **{f"h_{k}": h_parts[k] for k in steps},
                h_violence=h_parts["violence_rise"] + h_parts["violence_fade"],
                h_alliance=h_al - h_lv, h_rest=h_lv - h_v - sum(h_parts[k] for k in steps),
                violence_part=h_parts["violence_part"], excess=h_parts["excess"],
                base=h_parts["base"], **side_excess,
                member_excess=float(member_excess(world, state, members)[0]),
                trust=tr1, t_events=tr_ev - tr0, t_delivery=tr_del - tr_ev,
                t_projects=tr_proj - tr_del, **{f"t_{k}": v for k, v in parts.items()},
                t_ladder=tr_lad - tr_trust, t_alliance=tr_al - tr_lad,
                t_rest=tr_trust - tr_proj - sum(parts.values()),
                alliance_state=int(state.alliances.state[0, 0]),
            )
        )  # fmt: skip
    return pd.DataFrame(rows)


def summary(frames: dict[int, pd.DataFrame], window: tuple[str, str] = WINDOW) -> pd.DataFrame:
    """Per seed, each part summed over the window; trust before and at its end; MAP's first
    active and suspended months."""
    out = []
    for seed, df in frames.items():
        w = df[(df.date >= window[0]) & (df.date <= window[1])]
        parts = {c: w[c].sum() for c in df.columns if c.startswith(("h_", "t_"))}
        active = df[df.alliance_state == 3].date
        suspended = df[df.alliance_state == 4].date
        out.append(
            dict(
                seed=seed, **parts, violence_part_peak=w.violence_part.max(),
                violence_part_end=w.violence_part.iloc[-1],
                trust_before=df[df.date < window[0]].trust.iloc[-1],
                trust_after=w.trust.iloc[-1], first_active=active.min(),
                first_suspended=suspended.min(), months_active=len(active),
            )
        )  # fmt: skip
    return pd.DataFrame(out)


PERIODS = {  # the windows issue15.md's "hostility4" section reads
    "1999": ("1999-01", "1999-12"),
    "2000-10..12": ("2000-10", "2000-12"),
    "2002": ("2002-01", "2002-12"),
    "2004-10..2005-01": ("2004-10", "2005-01"),
    "2006": ("2006-01", "2006-12"),
    "2009-01": ("2009-01", "2009-01"),
}


def periods(frames: dict[int, pd.DataFrame]) -> pd.DataFrame:
    """Median over seeds of each window's mean of hostility H, its base B and violence part V,
    each side's excess and the pair's excess E."""
    cols = ["hostility", "base", "violence_part"]
    cols += [c for c in next(iter(frames.values())).columns if c.startswith("excess")]
    rows = {}
    for name, (a, b) in PERIODS.items():
        means = [df[(df.date >= a) & (df.date <= b)][cols].mean() for df in frames.values()]
        rows[name] = pd.DataFrame(means).median()
    return pd.DataFrame(rows).T


def suspension_recipe(frames: dict[int, pd.DataFrame], q: float = 10.0) -> float:
    """``alliances.suspend_violence``'s recipe: the ``q``-th percentile over seeds of each
    seed's 2007-2012 peak of the MAP members' violence above their usual level."""
    peaks = [df[(df.date >= "2007-01") & (df.date <= "2012-12")].member_excess.max()
             for df in frames.values()]  # fmt: skip
    return float(np.percentile(peaks, q))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=30)
    ap.add_argument("--ties", choices=("pair", "towns"), default="pair")
    ap.add_argument("--recipe", action="store_true", help="print suspend_violence's recipe")
    ap.add_argument("--periods", action="store_true", help="print H, B, V and excess by window")
    args = ap.parse_args()
    frames = {s: decompose(s, args.ties) for s in range(args.seeds)}
    if args.recipe:
        print(f"suspend_violence recipe (10th percentile of 2007-2012 peaks of the excess): "
              f"{suspension_recipe(frames):.4f}")  # fmt: skip
    table = summary(frames)
    pd.set_option("display.width", 200)
    if args.periods:
        print(periods(frames).to_string(float_format="{:.4f}".format))
    print(table.describe().T[["50%", "min", "max"]].to_string(float_format="{:.5f}".format))
    for col in ("first_active", "first_suspended"):
        print(col, table[col].value_counts().to_dict())


if __name__ == "__main__":
    main()
