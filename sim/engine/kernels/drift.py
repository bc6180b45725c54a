"""Stage 6's trust, memory and contact in one loop over the ties (``sim.engine.stages.trust``).

The numpy form, per tie: the refused share's cost ``trust - (1 - taken) [offer] x decline x
max(trust - floor, 0)`` (``trust.refuse``, ``floor`` the no-contact floor the drift reads too),
``decline`` the tie's cost (``stages.trust.decline_cost``; mediation's talks lift the delegates'
trust, not this tie's: ``stages.delegates``); successes ``outcome x taken + completed``
(``outcome`` the share of the offer that is humanitarian or peace work); ``trust.update`` with
``trust.floor`` at the ladder's baseline share ``1 - ceremonial_floor [ceremonial]`` and decay
``decay x institution(stage)``; the violence shock ``trust.violence_shock`` with the larger
violence above the usual level of the ends (``venue.exposure`` on mediated ties) and the clip;
then ``trust.remember`` with forgetting ``memory_decay x (ceremonial_fade if ceremonial else
institution(stage))``, the intensity, the last contact and the age. :func:`successes` computes the
successes, numpy the power ``(1 - success)^successes`` (its SIMD ``**`` can differ from libm's in
the last bit), :func:`update` all the rest: first a short loop that gathers what each tie reads at
its ends (``trust.baseline`` now, from the ends' cultural violence and the country pair's
hostility, and the larger violence of the ends), then one pass over the ties, which also computes
each tie's decline cost (whose ``exp(-beta_hostility x hostility)`` numpy takes once per country
pair: the same number as at each of the pair's ties, without an ``exp`` over every tie). Same
operations, same order: identical results (``tests/test_kernels.py``).

Why two loops: the ends are actors scattered over megabytes, so each gather waits on memory. A
short loop keeps many ties' gathers in flight at once; inside the long loop only a tie or two
fit in the processor's window, and the gathers wait one after another (at 250,000 cities the
split halves the stage's loop time: ``experiments/bench/results/month_speed_perf250.md``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.engine.kernels import compiled, per_replicate, per_tie


def _successes_loop(offer, offer_total, taken, completed, out):  # noqa: ANN001, ANN202
    r_count, e_count = out.shape
    for r in range(r_count):
        for e in range(e_count):
            total = offer_total[r, e]
            outcome = (offer[0, r, e] + offer[2, r, e]) / total if total > 0 else 0.0
            out[r, e] = outcome * taken[r, e] + (1.0 if completed[r, e] else 0.0)


def _ends_loop(src, dst, pair, cultural, hostility, violence, b0, baseline, exposed):  # noqa: ANN001, ANN202, PLR0913
    r_count, e_count = baseline.shape
    for r in range(r_count):
        for e in range(e_count):
            s, d = src[e], dst[e]
            # trust.baseline: b0 (1 - mean C of the ends)(1 - hostility of the country pair)
            cultural_mean = 0.5 * (cultural[r, s] + cultural[r, d])
            baseline[r, e] = b0[r] * (1.0 - cultural_mean) * (1.0 - hostility[r, pair[e]])
            # The larger direct violence above the usual level of the ends.
            vs, vd = violence[r, s], violence[r, d]
            exposed[r, e] = vs if vs >= vd else vd


def _trust_loop(  # noqa: ANN202, PLR0913, PLR0915 - numba loop
    trust, taken, has_offer, prob, pair, relief, cost, grow, reach,
    breach, held,
    standing, stage, benefit, on, baseline, ends_violence, start_trust, start_baseline, decay,
    institution, ceremonial_floor, ceremonial_fade, fall_benefit, memory_decay, mediated,
    has_mediated,
    shield, cross_divide, shock, memory, completed, gain, intensity, intensity_decay, cap,
    accepted, step, last_contact, age, trust_out, memory_out, intensity_out, last_contact_out,
    age_out,
):  # fmt: skip
    r_count, e_count = trust.shape
    for r in range(r_count):
        for e in range(e_count):
            # The refused share of an offer.
            share = taken[r, e]
            refused = (1.0 - share) * (1.0 if has_offer[r, e] else 0.0)
            # The decline cost (stages.trust.decline_cost) times the share of the refusal that
            # is the recipient's own (trust.refusal_owned), ``relief`` the country pair's
            # exp(-beta_hostility x hostility). Computed for every tie, then selected: a branch
            # on the offers (three ties in four, in no pattern) would often be mispredicted.
            x = prob[r, e]
            p = min(max(x, 1e-12), 1.0 - 1e-12)  # np.clip
            free = 1.0 / (1.0 + (1.0 - p) / p * relief[r, pair[e]])
            owned = min(max((1.0 - free) / (1.0 - p), 0.0), 1.0)
            decline = cost[r] * (owned if has_offer[r, e] and x < 1.0 else 1.0)
            # The no-contact floor (trust.floor, anchored at the encoded start, a ceremonial
            # tie realising only its share of the baseline; then the memory): the refusal's
            # bound (trust.refuse) and the drift's target.
            ceremonial = on[r, e] and stage[r, e] == 0 and benefit[r, e] < fall_benefit[r]
            kept = 1.0 - institution[r] * stage[r, e] / 3
            floor_share = 1.0 - ceremonial_floor[r] * (1.0 if ceremonial else 0.0)
            anchored = start_trust[r, e] + floor_share * baseline[r, e] - start_baseline[r, e]
            floor = min(max(anchored, 0.0), 1.0)
            m = memory[r, e]
            floor = m if m >= floor else floor
            value = trust[r, e]
            above = value - floor
            value = value - refused * decline * (above if above >= 0.0 else 0.0)
            # Success, failure and drift to the floor (trust.update).
            stand = 1.0 if standing[r, e] else 0.0
            contact = stand if stand >= share else share
            top = reach[r, e]  # successes close the gap to it (trust.toward)
            if value < top:
                value = top - (top - value) * grow[r, e]
            b = breach[r, e]  # the interruption's breach share (rules.nexus), mostly 0
            if b > 0.0:
                value = value * held[r] ** b  # (1 - failure)^breach, as trust.update
            value = value - (value - floor) * (decay[r] * kept) * (1.0 - contact)
            value = min(max(value, 0.0), 1.0)
            # The violence shock on cross-divide ties (a mediated tie met at a neutral venue).
            exposed = ends_violence[r, e]
            if has_mediated and mediated[r, e]:
                exposed = exposed * (1.0 - shield[r] * 1.0)
            value = value * (1.0 - shock[r] * exposed * (1.0 if cross_divide[e] else 0.0))
            value = min(max(value, 0.0), 1.0)
            trust_out[r, e] = value
            # Memory, contact and age (trust.remember and the stage's last lines).
            forgetting = memory_decay[r] * (ceremonial_fade[r] if ceremonial else kept)
            if completed[r, e]:
                gap = value - m
                m = m + gain[r] * (gap if gap >= 0.0 else 0.0)
            memory_out[r, e] = m * (1.0 - forgetting)
            contact_months = intensity[r, e] * (1.0 - intensity_decay[r]) + share
            intensity_out[r, e] = contact_months if contact_months <= cap[r] else cap[r]
            last_contact_out[r, e] = step if accepted[r, e] else last_contact[r, e]
            age_out[r, e] = age[r, e] + 1


_successes_kernel = compiled(_successes_loop)
_ends_kernel = compiled(_ends_loop)
_trust_kernel = compiled(_trust_loop)


def successes(
    offer: np.ndarray, offer_total: np.ndarray, taken: np.ndarray, completed: np.ndarray
) -> np.ndarray:
    """(R, E) the month's successes: the delivered share of humanitarian and peace work plus
    one for a completed project."""
    out = np.empty(offer_total.shape)
    _successes_kernel()(offer, offer_total, taken, completed, out)
    return out


def update(
    ties: Any,
    month: Any,
    grow: tuple[np.ndarray, np.ndarray],
    standing: np.ndarray,
    mediation: tuple[np.ndarray | None, Any],
    on: np.ndarray,
    world_ties: Any,
    per_actor: tuple[np.ndarray, np.ndarray, np.ndarray],
    tp: Any,
    lp: Any,
) -> None:
    """The month's new trust, memory, intensity, last contact and age of ``ties`` (a
    TieState), after refusal, success, failure, drift and the violence shock.

    ``grow`` is (the power ``(1 - success)^successes``, the (R, E) trust successes can
    build, ``trust.delivery_ceiling``); the failures are the month's breach shares of its
    interrupted projects (``month.breach``, ``nexus.interruption_breach``), in [0, 1] per
    tie, so ``(1 - failure)^failures`` is 1 where there is none (skipped) and the same IEEE
    ``pow`` as numpy's elsewhere. ``mediation`` is
    ((R, E) mediated or None, (the (R, E) acceptance probability, (R, K*K)
    ``exp(-beta_hostility x hostility)`` of each country pair, the decline cost)): each
    tie's decline cost (``stages.trust.decline_cost``) is computed in the loop, with the
    pair's exponential taken once per pair (the same value as at each of its ties); ``month``
    has the
    offers' taken share, whether there was an offer, completed projects, the breach shares,
    acceptance and the ladder stages; ``world_ties`` the ties' (src, dst, pair, cross
    divide); ``per_actor`` the (cultural (R, A), hostility by country pair (R, K*K), violence
    (R, A)) they read.
    """
    r, e = ties.trust.shape
    grow, reach = grow
    mediated, (prob, relief, cost) = mediation
    cultural, hostility, violence = per_actor
    decay = per_replicate(tp.intensity_decay, r)
    baseline, exposed = np.empty((r, e)), np.empty((r, e))
    _ends_kernel()(
        world_ties.src, world_ties.dst, world_ties.pair, cultural, hostility, violence,
        per_replicate(tp.baseline, r), baseline, exposed,
    )  # fmt: skip
    new = [np.empty_like(a) for a in (ties.trust, ties.memory, ties.intensity)]
    new += [np.empty_like(ties.last_contact), np.empty_like(ties.age)]
    _trust_kernel()(
        ties.trust, month.taken, month.has_offer, prob, world_ties.pair, relief,
        per_replicate(cost, r), grow, np.ascontiguousarray(np.broadcast_to(reach, (r, e))),
        month.breach,
        per_replicate(1.0 - np.asarray(tp.failure), r), per_tie(standing, r, e),
        month.ladder_stage, ties.benefit, per_tie(on, r, e), baseline, exposed,
        ties.start_trust, ties.start_baseline,
        per_replicate(tp.decay, r),
        per_replicate(lp.institution, r), per_replicate(lp.ceremonial_floor, r),
        per_replicate(lp.ceremonial_fade, r), per_replicate(lp.fall_benefit, r),
        per_replicate(tp.memory_decay, r),
        month.has_offer if mediated is None else mediated,
        mediated is not None and bool(mediated.any()), per_replicate(tp.venue_shield, r),
        world_ties.cross_divide, per_replicate(tp.violence_shock, r), ties.memory,
        month.completed, per_replicate(tp.memory_gain, r), ties.intensity, decay,
        1.0 / np.maximum(decay, 1e-9), month.accepted, month.step, ties.last_contact, ties.age,
        *new,
    )  # fmt: skip
    ties.trust, ties.memory, ties.intensity, ties.last_contact, ties.age = new
