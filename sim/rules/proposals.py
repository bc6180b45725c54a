"""Proposals and acceptance: providers split resources over open ties (MODEL.md 5.3).

Providers weigh each tie by ``trust x need x mandate``, keeping a floor for ties they have just
committed to. A tie's offer for the month is a bundle of ``items`` equal parts (consignments,
events, visits), and the recipient takes or refuses each part, with probability
``sigma(b0 + b_trust*trust + b_benefit*benefit - b_hostility*hostility + b_mediator*mediated
+ b_will*(will - 0.5) + b_intensity*min(intensity, 1))``: expected tangible gain brings hostile
parties to the table (004:3207-3209); lack of trust is the main constraint (004:4098); having
once agreed is a base for later (004:3217-3231). (MODEL.md 5.3 has the whole month's offer on
a tie accepted or declined at once: ``items = 1``.)
"""

from __future__ import annotations

import functools

import numpy as np

from sim.engine.blocks import for_blocks
from sim.rules import group_sum, sigmoid


def tie_weights(
    trust: np.ndarray,
    need: np.ndarray,
    mandate: np.ndarray,
    open_: np.ndarray | None,
    committed: np.ndarray,
    commit_share: float,
) -> np.ndarray:
    """(E, 3) weights: ``max(trust x need, floor) x mandate`` on open pillars, else 0.

    ``floor`` is ``commit_share`` on ties committed to recently, else 0. ``open_`` may be None
    when ``mandate`` is already zero on closed pillars. The result has the memory layout of
    ``mandate``: pass a pillar-major (3, E) array's transpose and the work runs over contiguous
    pillar rows.
    """
    # All factors are non-negative (indices in [0, 1], need > 0) and rounding is monotone, so
    # max(a m, b m) == max(a, b) m bit for bit: one product per pillar instead of two.
    # (committed * commit_share: commit_share where committed, else 0.0.)
    base = np.maximum(trust * need, committed * commit_share)
    weight = base[:, None] * mandate
    return weight if open_ is None else np.where(open_, weight, 0.0)


def split_by_weight(amount: np.ndarray, group: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Split each group's ``amount`` over its rows in proportion to ``weight`` (rows x 3).

    Rows whose group has zero total weight get nothing: money with nowhere open to go is kept.
    """
    total = group_sum(group, weight.sum(axis=1), amount.size)
    share = np.divide(amount, total, out=np.zeros_like(amount), where=total > 0)
    return weight * share.take(group)[:, None]


def expected_benefit(offer_total: np.ndarray, need: np.ndarray, scale: float) -> np.ndarray:
    """A saturating reading of how much an offer would help, in [0, 1]."""
    # need * (1 - exp(-total / scale)), in one buffer (multiplication commutes exactly).
    x = np.negative(offer_total)
    x /= scale
    np.exp(x, out=x)
    np.subtract(1.0, x, out=x)
    x *= need
    return x


def acceptance_probability(
    trust: np.ndarray,
    benefit: np.ndarray,
    hostility: np.ndarray,
    mediated: np.ndarray,
    will: np.ndarray,
    intensity: np.ndarray | float = 0.0,
    *,
    beta0: float,
    beta_trust: float,
    beta_benefit: float,
    beta_hostility: float,
    beta_mediator: float,
    beta_will: float,
    beta_intensity: float = 0.0,
) -> np.ndarray:
    """Probability that the recipient accepts an offer on each tie.

    ``intensity`` is recent contact, capped at 1: an ongoing relationship is not renegotiated
    from scratch every month.
    """
    # The logit is accumulated term by term in one buffer, in the order of the formula above,
    # so it is bit for bit the sum written out. A term that is exactly zero everywhere (no
    # mediated tie, or beta_intensity = 0 as calibrated) is skipped: adding 0.0 changes nothing.
    shape = np.broadcast(trust, benefit, hostility, mediated, will, intensity).shape
    logit, term = np.empty(shape), np.empty(shape)
    np.multiply(trust, beta_trust, out=logit)
    logit += beta0
    np.multiply(benefit, beta_benefit, out=term)
    logit += term
    np.multiply(hostility, beta_hostility, out=term)
    logit -= term
    if beta_mediator and np.any(mediated):
        logit += beta_mediator * mediated
    np.subtract(will, 0.5, out=term)
    term *= beta_will
    logit += term
    if beta_intensity:
        logit += beta_intensity * np.minimum(intensity, 1.0)
    return sigmoid(logit, out=logit)


def share_taken(prob: np.ndarray, draw: np.ndarray, items: int) -> np.ndarray:
    """Share of each offer the recipient takes, in [0, 1]: :func:`parts_taken` / ``items``.

    The offer is ``items`` equal parts, each taken with probability ``prob``; the number taken
    is the binomial quantile at ``draw`` (one uniform per offer): the largest ``k`` with
    ``P(K >= k) > draw``. Its mean share is ``prob`` whatever ``items`` is; more items only make
    it steadier. With the same draw, a higher ``prob`` never takes less, so more money (a
    larger benefit) never delivers less. ``items = 1`` is one decision: taken iff
    ``draw < prob``.
    """
    return parts_taken(prob, draw, items) / items


def parts_taken(prob: np.ndarray, draw: np.ndarray, items: int) -> np.ndarray:
    """Whole parts of each offer taken, 0..``items`` (see :func:`share_taken`).

    An unsigned byte per offer (64-bit integers from 255 parts).
    """
    p = np.clip(np.asarray(prob, dtype=np.float64), 0.0, 1.0)
    target = 1.0 - np.asarray(draw, dtype=np.float64)
    wide = items >= 255  # a byte counts up to 254 parts
    taken = np.zeros(p.shape, dtype=np.int64 if wide else np.uint8)
    flat_p, flat_target, flat_taken = p.reshape(-1), target.reshape(-1), taken.reshape(-1)
    # In blocks (sim.engine.blocks): the loop makes ~5 passes per part over arrays that then stay in
    # cache, and each block stops as soon as its own offers are done. At 250k cities this
    # took the share from 60 to 15 ms a month.
    for_blocks(
        lambda rows: _count_parts(flat_p[rows], flat_target[rows], items, flat_taken[rows]),
        flat_p.size,
    )
    return taken


# Offers up to this many (parts + 1) x offers cells take the table route of _count_parts.
TABLE_CELLS = 1 << 12


def _count_parts(p: np.ndarray, target: np.ndarray, items: int, taken: np.ndarray) -> None:
    """Into ``taken`` (zeros): the number of ``j < items`` with ``P(K <= j) < target``,
    K ~ Bin(items, p); ``items`` where ``p`` is 1.

    Both routes compute every pmf and CDF value by the same operations in the same order
    (``pmf_{j+1} = pmf_j x (c_j x odds)``, ``cdf_{j+1} = cdf_j + pmf_{j+1}``), so they count
    the same parts bit for bit (tests/test_fast_paths.py). A small scenario's few dozen
    offers take all parts at once as a (parts, offers) table: a month's loop of ~120 numpy
    calls on tiny arrays cost three times as much.
    """
    q = 1.0 - p
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        odds = np.divide(p, q, out=np.zeros(p.shape), where=q > 0)
        pmf = _power(q, items)  # P(K = 0)
        if p.size * (items + 1) <= TABLE_CELLS:
            _parts_by_table(pmf, odds, target, items, taken)
        else:
            _parts_by_loop(pmf, odds, target, items, taken)
    taken[q <= 0] = items  # certain acceptance takes everything


def _parts_by_table(
    pmf: np.ndarray, odds: np.ndarray, target: np.ndarray, items: int, taken: np.ndarray
) -> None:
    steps = np.empty((items + 1, pmf.size))
    steps[0] = pmf
    np.multiply(_coefficients(items), odds, out=steps[1:])
    np.multiply.accumulate(steps, axis=0, out=steps)  # row j: P(K = j)
    np.add.accumulate(steps, axis=0, out=steps)  # row j: P(K <= j)
    # The CDF only grows along j: the count below the target is the loop's count.
    taken += np.add.reduce(np.less(steps[:items], target), axis=0, dtype=taken.dtype)


def _parts_by_loop(
    pmf: np.ndarray, odds: np.ndarray, target: np.ndarray, items: int, taken: np.ndarray
) -> None:
    below = np.empty(pmf.shape, dtype=bool)
    below_count = below.view(np.uint8) if taken.dtype == np.uint8 else below
    cdf = pmf.copy()
    factor = np.empty_like(pmf)
    for coefficient in _coefficients(items)[:, 0].tolist():
        # One more part taken where P(K <= j) < 1 - draw (j: the parts counted so far).
        np.less(cdf, target, out=below)
        if not below.any():  # the CDF only grows: no offer takes another part
            break
        taken += below_count
        np.multiply(odds, coefficient, out=factor)
        pmf *= factor
        cdf += pmf


@functools.cache
def _coefficients(items: int) -> np.ndarray:
    """(items, 1): the pmf ratios' constant parts, ``(items - j) / (j + 1)``, read-only."""
    out = np.array([(items - j) / (j + 1) for j in range(items)], dtype=np.float64)[:, None]
    out.flags.writeable = False
    return out


def _power(base: np.ndarray, exponent: int) -> np.ndarray:
    """``base ** exponent`` for a whole exponent, by repeated squaring.

    A handful of multiplications instead of one ``pow`` call per element (12 of the 60 ms the
    share took at 250k cities); equal to ``pow`` up to rounding in the last bits.
    """
    out = np.ones_like(base)
    square = base
    while exponent:
        if exponent & 1:
            out *= square
        exponent >>= 1
        if exponent:
            square = square * square
    return out
