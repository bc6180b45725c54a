"""Stage 4's offers in two loops over the ties (``sim.engine.stages.proposals``).

The numpy form: ``weight = tie_weights(trust, max(need, 0.05), mandate x open, committed,
commit_share, stage, stage_weight)`` with ``committed = intensity > keep^3``; each provider's
resources split over its ties by weight (``split_by_weight``); humanitarian offers times the
sanctions' passage (``rules.gates.sanction_passage``); the offer total and whether there is an
offer. :func:`weights` is the first loop (weights, then their sum per provider), :func:`offers`
the second (each tie's share of its provider's resources, and the passage). Same operations,
same order: identical results (``tests/test_kernels.py``).

The providers are scattered over megabytes, so adding into a provider's sum or reading its
share waits on memory. Each of those runs in a short loop of its own (the sums after the
weights, the shares gathered by ``np.take`` before the offers): a short loop keeps many ties'
memory accesses in flight, a long one only a tie or two (measured on a 250,000-city month's
inputs: ``experiments/bench/results/month_speed_perf250.md``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.engine.kernels import compiled, per_replicate, per_tie


def _weights_loop(  # noqa: ANN202, PLR0913 - numba loop
    trust, need, mandate, open_, intensity, threshold, commit_share, stage, stage_weight, src,
    weight, total,
):  # fmt: skip
    r_count, e_count = trust.shape
    for r in range(r_count):
        for e in range(e_count):
            committed = 1.0 if intensity[r, e] > threshold[r] else 0.0
            a = trust[r, e] * max(need[r, e], 0.05)
            b = committed * commit_share[r]
            base = (a if a >= b else b) * (1.0 + stage_weight[r] * stage[r, e])
            w0 = base * (mandate[0, e] * (1.0 if open_[0, r, e] else 0.0))
            w1 = base * (mandate[1, e] * (1.0 if open_[1, r, e] else 0.0))
            w2 = base * (mandate[2, e] * (1.0 if open_[2, r, e] else 0.0))
            weight[0, r, e], weight[1, r, e], weight[2, r, e] = w0, w1, w2
    for r in range(r_count):  # each provider's sum, in tie order
        for e in range(e_count):
            total[r, src[e]] += (weight[0, r, e] + weight[1, r, e]) + weight[2, r, e]


def _offers_loop(  # noqa: ANN202, PLR0913 - numba loop
    weight, share, extra, has_extra, src_country, dst_country, sanctioned, third_src,
    human_security, friction, gates_on, offer, offer_total, has_offer, passage,
):  # fmt: skip
    r_count, e_count = offer_total.shape
    for r in range(r_count):
        for e in range(e_count):
            s = share[r, e]
            o0 = weight[0, r, e] * s
            o1 = weight[1, r, e] * s
            o2 = weight[2, r, e] * s
            if has_extra:
                o0, o1, o2 = o0 + extra[0, r, e], o1 + extra[1, r, e], o2 + extra[2, r, e]
            hit = sanctioned[r, dst_country[e]] and src_country[e] != dst_country[e]
            hit = hit and not (third_src[r, e] and human_security[e])
            through = (1.0 - friction[r]) if hit else 1.0
            through = through if gates_on[r] else 1.0
            passage[r, e] = through
            o0 = o0 * through
            offer[0, r, e], offer[1, r, e], offer[2, r, e] = o0, o1, o2
            total = (o0 + o1) + o2
            offer_total[r, e] = total
            has_offer[r, e] = total > 0


_weights_kernel = compiled(_weights_loop)
_offers_kernel = compiled(_offers_loop)


def weights(
    trust: np.ndarray,
    need: np.ndarray,
    mandate: np.ndarray,
    open_: np.ndarray,
    intensity: np.ndarray,
    threshold: Any,
    commit_share: Any,
    stage: np.ndarray,
    stage_weight: Any,
    src: np.ndarray,
    n_actors: int,
) -> tuple[np.ndarray, np.ndarray]:
    """((3, R, E) tie weights, (R, A) their sum per provider); ``need`` is the recipient's need
    (R, E) before its floor of 0.05, ``threshold`` the intensity above which a tie counts as
    committed, ``mandate`` (3, 1, E)."""
    r, e = trust.shape
    weight = np.empty((3, r, e))
    total = np.zeros((r, n_actors))
    _weights_kernel()(
        trust, need, mandate.reshape(3, e), np.broadcast_to(open_, (3, r, e)), intensity,
        per_replicate(threshold, r), per_replicate(commit_share, r), per_tie(stage, r, e),
        per_replicate(stage_weight, r), src, weight, total,
    )  # fmt: skip
    return weight, total


def offers(
    weight: np.ndarray,
    share: np.ndarray,
    src: np.ndarray,
    extra: np.ndarray | None,
    sanctions: tuple[Any, ...],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """((3, R, E) offers, (R, E) their total, (R, E) whether there is one, (R, E) the share of
    humanitarian money through sanctions): ``weight`` times the provider's ``share`` (R, A),
    plus ``extra`` (programme money, or None), humanitarian money times the passage
    (``rules.gates.sanction_passage``; 1 where the gates are switched off). ``sanctions`` is
    (src country (E,), dst country (E,), sanctioned (R, K), third channel (R, E), human
    security (E,), friction, gates switch)."""
    _, r, e = weight.shape
    src_country, dst_country, sanctioned, third_src, human_security, friction, on = sanctions
    offer = np.empty(weight.shape)
    offer_total, passage = np.empty((r, e)), np.empty((r, e))
    has_offer = np.empty((r, e), dtype=bool)
    gates_on = np.ascontiguousarray(np.broadcast_to(on, (r, 1))[:, 0])
    _offers_kernel()(
        weight, np.take(share, src, axis=1), weight if extra is None else extra, extra is not None,
        src_country, dst_country, np.broadcast_to(sanctioned, (r, sanctioned.shape[-1])),
        per_tie(third_src, r, e), human_security, per_replicate(friction, r), gates_on,
        offer, offer_total, has_offer, passage,
    )  # fmt: skip
    return offer, offer_total, has_offer, passage
