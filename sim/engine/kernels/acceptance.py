"""Stage 4's acceptance probability in two loops over the ties (``sim.engine.stages.proposals``).

The numpy form: the offer as a dose ``money.dose(offer total, people)``, the expected benefit
``need x saturation(dose, benefit_dose)`` and ``proposals.acceptance_probability``'s logit with
the recipient's will and vertical integration and the country pair's hostility gathered per tie.
The first kernel gathers what each tie reads at its recipient, then keeps the offers with
their country pair's hostility and goes up to ``saturation``'s ``expm1``; the second up to the
sigmoid's ``exp``. Both work on the ties
with an offer only (a quarter of the ties carry none and need no probability). numpy computes
``expm1`` and ``exp`` (its SIMD versions can differ from libm's in the last bit; each value
depends on its element alone, so a compacted array gives the full array's values), and ``1 /
(1 + exp(-logit))`` is the sigmoid. Same operations, same order: identical results
(``tests/test_kernels.py``).

The recipients are scattered over megabytes, so each gather waits on memory: they all run in
a short loop of their own over every tie, with no branch, before the loop that keeps the offers
(in a long loop only a tie or two fit in the processor's window; a branch that skips the quarter
of ties without an offer is mispredicted often, and each miss discards the gathers in flight:
the first loop with the gathers behind that branch took 2.5 times as long on a 250,000-city
month's inputs, ``experiments/bench/results/kernels_perf250b.md``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.engine.kernels import compiled, per_replicate, per_tie

EUR_PER_UNIT_YEAR = 12_000.0  # rules.money.EUR_PER_UNIT_YEAR


def _exponent_loop(  # noqa: ANN202, PLR0913 - numba loop
    offer_total, has_offer, people, dst, benefit_dose, hostility, pair, will, vertical,
    tie_people, tie_will, tie_vertical, out, offer_hostility, offer_will, offer_vertical,
):  # fmt: skip
    r_count, e_count = tie_people.shape
    i = 0
    for r in range(r_count):
        for e in range(e_count):  # every tie's recipient, without a branch
            d = dst[e]
            tie_people[r, e] = people[r, d]
            tie_will[e] = will[r, d]
            tie_vertical[e] = vertical[r, d]
        for e in range(e_count):
            if has_offer[r, e]:  # only an offer is accepted or not
                p = tie_people[r, e]
                dose = offer_total[r, e] * EUR_PER_UNIT_YEAR / max(p, 1.0)
                out[i] = -max(dose, 0.0) / benefit_dose[r]
                offer_hostility[i] = hostility[r, pair[e]]
                offer_will[i] = tie_will[e]
                offer_vertical[i] = tie_vertical[e]
                i += 1


def _logit_loop(  # noqa: ANN202, PLR0913 - numba loop
    trust, expm1, has_offer, need, hostility, mediated, will, intensity, vertical,
    b0, b_trust, b_benefit, b_hostility, b_mediator, b_will, b_intensity, b_vertical, out,
):  # fmt: skip
    r_count, e_count = has_offer.shape
    i = 0
    for r in range(r_count):
        for e in range(e_count):
            if not has_offer[r, e]:
                continue
            benefit = need[r, e] * -expm1[i]
            contact = intensity[r, e]
            contact = contact if contact <= 1.0 else 1.0
            logit = (
                b_trust[r] * trust[r, e]
                + b0[r]
                + b_benefit[r] * benefit
                - b_hostility[r] * hostility[i]
                + b_mediator[r] * (1.0 if mediated[r, e] else 0.0)
                + b_will[r] * (will[i] - 0.5)
                + b_intensity[r] * contact
                + b_vertical[r] * vertical[i]
            )
            out[i] = -logit
            i += 1


_exponent_kernel = compiled(_exponent_loop)
_logit_kernel = compiled(_logit_loop)


def probability(
    trust: np.ndarray,
    offer_total: np.ndarray,
    has_offer: np.ndarray,
    need: np.ndarray,
    intensity: np.ndarray,
    mediated: np.ndarray,
    ties: Any,
    per_actor: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    pp: Any,
) -> tuple[np.ndarray, np.ndarray]:
    """((offers,) acceptance probability of each offer, in (replicate, tie) order of
    ``has_offer``; (R, E) the people each tie's offer serves).

    ``ties`` has the ties' ``dst`` and country ``pair``; ``per_actor`` is (people (R, A), will
    (R, A), vertical integration (R, A), hostility by country pair (R, K*K)); ``pp`` the
    ProposalParams. Ties without an offer need no probability: each value depends on its own
    tie alone, so these are the numpy form's values at ``has_offer``.
    """
    r, e = trust.shape
    people, will, vertical, hostility = per_actor
    offers = int(np.count_nonzero(has_offer))
    tie_people, exponent = np.empty((r, e)), np.empty(offers)
    at_offers = np.empty(offers), np.empty(offers), np.empty(offers)  # hostility, will, vertical
    _exponent_kernel()(
        offer_total, has_offer, people, ties.dst, per_replicate(pp.benefit_dose, r), hostility,
        ties.pair, will, vertical, tie_people, np.empty(e), np.empty(e), exponent, *at_offers,
    )  # fmt: skip
    expm1 = np.expm1(exponent, out=exponent)  # in place: one array fewer to fill
    minus_logit = np.empty(offers)
    betas = (
        pp.beta0, pp.beta_trust, pp.beta_benefit, pp.beta_hostility, pp.beta_mediator,
        pp.beta_will, pp.beta_intensity, pp.beta_vertical,
    )  # fmt: skip
    hostility, will, vertical = at_offers
    _logit_kernel()(
        trust, expm1, has_offer, need, hostility, per_tie(mediated, r, e), will, intensity,
        vertical, *(per_replicate(b, r) for b in betas), minus_logit,
    )  # fmt: skip
    with np.errstate(over="ignore", under="ignore"):  # as rules.sigmoid
        # 1 / (1 + exp(-logit)), each step in place: the same operations, two arrays fewer
        prob = np.exp(minus_logit, out=minus_logit)
        prob += 1.0
        return np.divide(1.0, prob, out=prob), tie_people
