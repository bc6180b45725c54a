"""Stage 6's trust, memory and contact in loops over the ties (``sim.engine.stages.trust``).

The numpy form, per tie: successes ``outcome x taken + completed`` (``outcome`` the share of
the offer that is humanitarian or peace work); ``trust.update`` with the ladder's floor share
``1 - ceremonial_floor [ceremonial]`` of ``trust.baseline`` and decay ``decay x
institution(stage)``; afterwards ``trust.remember`` with forgetting ``memory_decay x
(ceremonial_fade if ceremonial else institution(stage))``, the intensity and the last contact.
:func:`successes` and :func:`drift` compute the first part around the power
``(1 - success)^successes``, which numpy computes (its SIMD
``**`` can differ from libm's in the last bit); the violence shock and mediation stay numpy
(``sim.rules.trust``); :func:`after_trust` is the last part. Same operations, same order:
identical results (``tests/test_kernels.py``).
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


def _drift_loop(  # noqa: ANN202, PLR0913 - numba loop
    trust, memory, grow, interrupted, held, standing, taken, stage, benefit, on, src, dst, pair,
    cultural, hostility, violence, b0, decay, institution, ceremonial_floor, ceremonial_fade,
    fall_benefit, memory_decay, out, ends, forgetting,
):  # fmt: skip
    r_count, e_count = out.shape
    for r in range(r_count):
        for e in range(e_count):
            s, d = src[e], dst[e]
            ceremonial = on[r, e] and stage[r, e] == 0 and benefit[r, e] < fall_benefit[r]
            kept = 1.0 - institution[r] * stage[r, e] / 3
            floor_share = 1.0 - ceremonial_floor[r] * (1.0 if ceremonial else 0.0)
            cultural_mean = 0.5 * (cultural[r, s] + cultural[r, d])
            baseline = b0[r] * (1.0 - cultural_mean) * (1.0 - hostility[r, pair[e]])
            floor = floor_share * baseline
            stand = 1.0 if standing[r, e] else 0.0
            contact = stand if stand >= taken[r, e] else taken[r, e]
            value = 1.0 - (1.0 - trust[r, e]) * grow[r, e]
            value = value * (held[r] if interrupted[r, e] else 1.0)  # (1 - failure)^(0 or 1)
            m = memory[r, e]
            floor = m if m >= floor else floor
            value = value - (value - floor) * (decay[r] * kept) * (1.0 - contact)
            out[r, e] = min(max(value, 0.0), 1.0)
            vs, vd = violence[r, s], violence[r, d]
            ends[r, e] = vs if vs >= vd else vd
            forgetting[r, e] = memory_decay[r] * (ceremonial_fade[r] if ceremonial else kept)


def _after_loop(  # noqa: ANN202, PLR0913 - numba loop
    trust, memory, completed, forgetting, gain, intensity, taken, intensity_decay, cap,
    accepted, step, last_contact, age, memory_out, intensity_out, last_contact_out, age_out,
):  # fmt: skip
    r_count, e_count = trust.shape
    for r in range(r_count):
        for e in range(e_count):
            m = memory[r, e]
            if completed[r, e]:
                gap = trust[r, e] - m
                m = m + gain[r] * (gap if gap >= 0.0 else 0.0)
            memory_out[r, e] = m * (1.0 - forgetting[r, e])
            value = intensity[r, e] * (1.0 - intensity_decay[r]) + taken[r, e]
            intensity_out[r, e] = value if value <= cap[r] else cap[r]
            last_contact_out[r, e] = step if accepted[r, e] else last_contact[r, e]
            age_out[r, e] = age[r, e] + 1


_successes_kernel = compiled(_successes_loop)
_drift_kernel = compiled(_drift_loop)
_after_kernel = compiled(_after_loop)


def successes(
    offer: np.ndarray, offer_total: np.ndarray, taken: np.ndarray, completed: np.ndarray
) -> np.ndarray:
    """(R, E) the month's successes: the delivered share of humanitarian and peace work plus
    one for a completed project."""
    out = np.empty(offer_total.shape)
    _successes_kernel()(offer, offer_total, taken, completed, out)
    return out


def drift(
    trust: np.ndarray,
    memory: np.ndarray,
    grow: np.ndarray,
    interrupted: np.ndarray,
    standing: np.ndarray,
    taken: np.ndarray,
    stage: np.ndarray,
    benefit: np.ndarray,
    on: np.ndarray,
    ends: tuple[np.ndarray, np.ndarray, np.ndarray],
    per_actor: tuple[np.ndarray, np.ndarray, np.ndarray],
    tp: Any,
    lp: Any,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """((R, E) trust after success, failure and drift, before the violence shock; (R, E) the
    larger violence at the tie's two ends; (R, E) the memory's forgetting rate).

    ``grow`` is the power ``(1 - success)^successes``; the failures are the month's
    ``interrupted`` projects, 0 or 1 per tie, so ``(1 - failure)^failures`` is 1 or ``1 -
    failure`` exactly (IEEE ``pow`` with exponent 0 or 1): no power needed. ``ends`` are the
    ties' (src, dst, country pair); ``per_actor`` the (cultural (R, A), hostility by country
    pair (R, K*K), violence (R, A)) they read.
    """
    r, e = trust.shape
    out, top, forgetting = np.empty((r, e)), np.empty((r, e)), np.empty((r, e))
    src, dst, pair = ends
    cultural, hostility, violence = per_actor
    _drift_kernel()(
        trust, memory, grow, interrupted, per_replicate(1.0 - np.asarray(tp.failure), r),
        per_tie(standing, r, e), taken, stage, benefit,
        per_tie(on, r, e), src, dst, pair, cultural, hostility, violence,
        per_replicate(tp.baseline, r), per_replicate(tp.decay, r),
        per_replicate(lp.institution, r), per_replicate(lp.ceremonial_floor, r),
        per_replicate(lp.ceremonial_fade, r), per_replicate(lp.fall_benefit, r),
        per_replicate(tp.memory_decay, r), out, top, forgetting,
    )  # fmt: skip
    return out, top, forgetting


def after_trust(
    ties: Any,
    completed: np.ndarray,
    forgetting: np.ndarray,
    taken: np.ndarray,
    accepted: np.ndarray,
    step: int,
    tp: Any,
) -> None:
    """New memory, intensity, last contact and age of ``ties`` (a TieState) after the month's
    trust ``ties.trust``."""
    r, _ = ties.trust.shape
    decay = per_replicate(tp.intensity_decay, r)
    cap = 1.0 / np.maximum(decay, 1e-9)
    memory, intensity = np.empty_like(ties.memory), np.empty_like(ties.intensity)
    last_contact, age = np.empty_like(ties.last_contact), np.empty_like(ties.age)
    _after_kernel()(
        ties.trust, ties.memory, completed, forgetting, per_replicate(tp.memory_gain, r),
        ties.intensity, taken, decay, cap, accepted, step, ties.last_contact, ties.age,
        memory, intensity, last_contact, age,
    )  # fmt: skip
    ties.memory, ties.intensity, ties.last_contact, ties.age = memory, intensity, last_contact, age
