"""Trust on ties, its memory, violence shocks and third-party mediation (MODEL.md 5.5).

Success builds trust toward 1, failure cuts it (broken commitments cost more than kept ones
earn), and without contact trust decays toward a floor: the larger of the tie's memory (past
cooperation is remembered, 004:3769-3777) and a baseline that national hostility and cultural
violence depress. A mediator with trust above a threshold on both sides lifts the parties'
trust each month of active mediation (004:3143-3157, 3801-3807).
"""

from __future__ import annotations

import math

import numpy as np

from sim.rules import clip


def baseline(
    cultural_src: np.ndarray, cultural_dst: np.ndarray, hostility: np.ndarray, b0: float
) -> np.ndarray:
    """Trust a tie drifts to without contact: lower where culture and states are hostile."""
    return b0 * (1.0 - 0.5 * (cultural_src + cultural_dst)) * (1.0 - hostility)


def update(
    trust: np.ndarray,
    memory: np.ndarray,
    successes: np.ndarray | tuple[np.ndarray, np.ndarray],
    failures: np.ndarray,
    contact: np.ndarray,
    floor_baseline: np.ndarray,
    *,
    success: float,
    failure: float,
    decay: float,
) -> np.ndarray:
    """One month of trust: successes and failures are counts (or weights) per tie.

    ``trust = 1 - (1 - trust) (1 - success)^successes``, then ``trust (1 - failure)^failures``,
    then without contact a drift of ``decay (trust - max(memory, floor_baseline))``; in [0, 1].
    ``contact`` is a flag per tie, or a share in [0, 1] (a month with part of an offer taken
    is that much contact): the drift is scaled by ``1 - contact``.
    ``successes`` may come as ``(codes, levels)``, meaning ``levels[codes]`` (shares of offers
    in parts take few distinct values, and the power is then computed once per value).
    """
    out = np.subtract(1.0, trust)
    out *= _power_of_counts(1.0 - success, successes)
    np.subtract(1.0, out, out=out)
    # times (1 - failure)^0 = 1 would change nothing: only the few ties with failures.
    failures = _spread(failures, out.shape)
    failed = np.flatnonzero(failures)
    if failed.size:
        counts = np.take(failures, failed).astype(np.float64)
        out.flat[failed] *= np.power(1.0 - failure, counts)
    # trust - where(contact, 0, drift): only ties without contact change (minus 0.0 is a no-op).
    contact = _spread(contact, out.shape)
    if contact.dtype.kind == "f":
        # Graded contact leaves nearly every tie some drift: over all ties at once. Where
        # contact is 1 the drift is multiplied by exactly 0, and subtracting 0 changes nothing.
        floor = np.maximum(_spread(memory, out.shape), _spread(floor_baseline, out.shape))
        np.subtract(out, floor, out=floor)
        floor *= decay
        floor *= np.subtract(1.0, contact)
        out -= floor
        return clip(out, 0.0, 1.0, out=out)
    alone = np.flatnonzero(~contact)
    if alone.size:
        here = out.take(alone)
        floor = np.maximum(
            np.take(_spread(memory, out.shape), alone),
            np.take(_spread(floor_baseline, out.shape), alone),
        )
        np.subtract(here, floor, out=floor)
        floor *= decay
        here -= floor
        out.put(alone, here)
    return clip(out, 0.0, 1.0, out=out)


def _spread(values: np.ndarray | float, shape: tuple[int, ...]) -> np.ndarray:
    """``np.broadcast_to(values, shape)``; an array already of that shape is itself (the
    broadcast would be an identical view, at a few microseconds a call)."""
    if isinstance(values, np.ndarray) and values.shape == shape:
        return values
    return np.broadcast_to(values, shape)


def _power_of_counts(base: float, counts: np.ndarray | tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """``base ** counts`` without calling ``pow`` once per element.

    ``pow`` is a pure function of its two arguments, so evaluating it once per distinct whole
    count and looking the results up gives the same array; fractional counts (shares of offers
    taken) use ``exp(count log base)``, equal to ``pow`` up to rounding in the last bits.
    ``counts`` may come as ``(codes, levels)``, meaning ``levels[codes]``: the power is then
    evaluated once per level that occurs, and looked up.
    """
    if isinstance(counts, tuple):
        codes, levels = counts
        levels = np.asarray(levels, dtype=np.float64)
        occurs = np.bincount(codes.reshape(-1), minlength=levels.size) > 0
        # The same choice as for the spelled-out counts: pow if every count is whole.
        used = levels.compress(occurs)
        whole = used.size and (used == np.floor(used)).all() and used.min() >= 0 and used.max() < 64
        return _power_table(base, levels, bool(whole)).take(codes)
    counts = np.asarray(counts)
    if counts.dtype.kind in "biu":
        whole = counts.view(np.uint8) if counts.dtype.kind == "b" else counts
    else:
        whole = counts.astype(np.int64)
        if not (whole == counts).all():
            whole = None
    if whole is not None and whole.size and whole.min() >= 0 and whole.max() < 64:
        # Whole counts (the model's case): one pow per distinct count, then a lookup.
        table = np.power(base, np.arange(int(whole.max()) + 1, dtype=np.float64))
        return table.take(whole)
    return _power_table(base, counts, False)


def _power_table(base: float, counts: np.ndarray, whole: bool) -> np.ndarray:
    """``base ** counts``: by ``pow`` for whole counts, else ``exp(counts log base)``, a third
    of ``pow``'s cost per element (for a non-positive base, ``pow`` throughout)."""
    if whole or base <= 0.0:
        return np.power(base, counts.astype(np.float64))
    out = np.multiply(counts, math.log(base), dtype=np.float64)
    return np.exp(out, out=out)


def remember(
    memory: np.ndarray, trust: np.ndarray, completed: np.ndarray, gain: float
) -> np.ndarray:
    """Completed cooperation raises the trust floor toward current trust."""
    # Only the few ties that completed a project this month change.
    out = np.array(memory, dtype=np.float64)
    done = np.flatnonzero(completed)
    if done.size:
        m = out.flat[done]
        out.flat[done] = m + gain * np.maximum(np.asarray(trust).flat[done] - m, 0.0)
    return out


def violence_shock(
    trust: np.ndarray, cross_divide: np.ndarray, violence: np.ndarray, shock: float
) -> np.ndarray:
    """Cross-divide trust falls in proportion to direct violence at the ends."""
    return trust * (1.0 - shock * violence * cross_divide)


def mediation(
    trust: np.ndarray,
    party_tie: np.ndarray,
    tie_mu: np.ndarray,
    tie_mv: np.ndarray,
    neutrality: np.ndarray,
    active: np.ndarray,
    *,
    threshold: float,
    rate: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Trust after mediation, and which ties were mediated this month.

    Each row is (party tie u->v, mediator->u tie, mediator->v tie). A mediated tie counts as in
    contact: the mediator brings the parties to meet (004:3143-3151).
    """
    mediated = np.zeros(trust.size, dtype=bool)
    if party_tie.size == 0:
        return trust, mediated
    t_mu, t_mv = trust[tie_mu], trust[tie_mv]
    works = active & (t_mu > threshold) & (t_mv > threshold)
    gain = np.where(works, rate * neutrality * np.minimum(t_mu, t_mv), 0.0)
    total = np.bincount(party_tie, weights=gain, minlength=trust.size)
    mediated[party_tie[works]] = True
    return trust + np.minimum(total, 1.0) * (1.0 - trust), mediated
