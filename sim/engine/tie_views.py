"""Per-tie gathers and subsets that stay fixed from one month to the next.

Every month touches each tie a few dozen times. Gathering the same actor attributes through
``ties.src`` and ``ties.dst`` again each month (countries, mandates, conflict sensitivity) or
rebuilding the same masks (carrying and active, across the divide, into a city) would cost about
as much as the rules themselves, so :class:`TieViews` derives them once.

What depends on ``ties.active`` (or on which international organisations count as a neutral
third channel, which an agent's ``neutrality`` can change) is rebuilt by :meth:`TieViews.refresh`
when, and only when, that input changed: the model calls it at the start of every month, and the
check is one comparison of a boolean array. Attributes that nothing changes during a run (tie
endpoints, types and flags, actor countries, mandates, conflict sensitivity, Lederach levels)
are gathered once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.rules import gates

if TYPE_CHECKING:
    from sim.engine.model import PeaceModel


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """``np.array_equal(a, b)`` for arrays (no NaN): without its Python layer, which costs
    more than the comparison on a small scenario, and this runs every month."""
    return a.shape == b.shape and bool((a == b).all())


class TieViews:
    """Cached per-tie gathers and index sets for one model (see the module docstring)."""

    def __init__(self, model: PeaceModel) -> None:
        a, ties, k = model.actors, model.ties, model.n_countries
        src, dst = ties.src, ties.dst
        self.src_country = a.country[src]
        self.dst_country = a.country[dst]
        # Row of a (K, K) country table, e.g. np.take(model.hostility, views.pair).
        self.pair = self.src_country * k + self.dst_country
        # Pillar-major (3, E): each pillar's row is contiguous, which is what the month wants.
        self.mandate = np.ascontiguousarray(a.mandate[src].T)
        self.src_is_io = a.is_io[src]
        self.middle_src = a.middle[src]
        self.carefree = 1.0 - a.conflict_sensitivity[src]  # weight of do-no-harm strain
        self.not_carrying = ~ties.carries
        # Violence shocks hit every cross-divide tie, active or not (as the rule is written).
        self.cross = np.flatnonzero(ties.cross_divide)
        self.cross_src, self.cross_dst = src[self.cross], dst[self.cross]
        self._active: np.ndarray | None = None
        self._third: np.ndarray | None = None
        self._answer: np.ndarray | None = None
        self._open: np.ndarray | None = None
        self._open_mandate: np.ndarray | None = None
        self.refresh(model)

    def refresh(self, model: PeaceModel) -> None:
        """Rebuild what depends on ``ties.active`` or on the third-channel actors, if changed."""
        ties, a = model.ties, model.actors
        third = a.is_io & (
            (a.neutrality >= model.params.gates.io_neutrality_min) | a.sanction_exempt
        )
        active_changed = self._active is None or not _same(ties.active, self._active)
        third_changed = self._third is None or not _same(third, self._third)
        if active_changed:
            self._active = ties.active.copy()
            self._rebuild_active(model)
        if active_changed or third_changed:
            self._third = third
            self.third_src = third[ties.src]
            self._rebuild_channels(model)

    def _rebuild_channels(self, model: PeaceModel) -> None:
        """The distinct gate inputs of carrying, active ties: flags and the two countries.

        A tie's channels depend only on its two countries and three flags, so the gate rule
        is evaluated once per distinct combination (a few thousand for a million ties) and
        spread to the ties by :meth:`spread_channels`: the same answer per tie, far cheaper.
        """
        k, ties = model.n_countries, model.ties
        carrying = np.flatnonzero(self.carrying_active)
        variant = gates.channel_variant(
            self.src_is_io[carrying], self.third_src[carrying], ties.human_security[carrying]
        )
        code = (variant * k + self.src_country[carrying]) * k + self.dst_country[carrying]
        combos, column = np.unique(code, return_inverse=True)
        self.gate_variant, pair = np.divmod(combos, k * k)
        self.gate_src, self.gate_dst = np.divmod(pair, k)
        # Each tie's column in the per-combination answer; the extra last column is all closed
        # (ties that carry nothing, or are inactive).
        self.gate_column = np.full(ties.src.size, combos.size)
        self.gate_column[carrying] = column
        self._answer = None

    def spread_channels(self, answer: np.ndarray) -> np.ndarray:
        """Pillar-major (3, E) open channels from the rule's (combinations, 3) answer.

        Permissions, sanctions and hostility rarely change the answer, so when it is last
        month's the spread array is reused (and so is :meth:`open_mandate`).
        """
        if self._answer is None or not _same(answer, self._answer):
            table = np.zeros((3, answer.shape[0] + 1), dtype=bool)
            table[:, :-1] = answer.T
            self._open = np.take(table, self.gate_column, axis=1)
            self._answer = answer
        return self._open

    def open_mandate(self, open_: np.ndarray) -> np.ndarray:
        """Pillar-major ``mandate * open_``: providers' mandates, zero on closed channels."""
        if self._open_mandate is None or self._open_mandate_for is not open_:
            self._open_mandate = self.mandate * open_
            self._open_mandate_for = open_
        return self._open_mandate

    def _rebuild_active(self, model: PeaceModel) -> None:
        ties, n, k = model.ties, model.n_cities, model.n_countries
        src, dst, active = ties.src, ties.dst, ties.active
        self.carrying_active = ties.carries & active
        cross_active = ties.cross_divide & active
        self.cross_active = np.flatnonzero(cross_active)
        # Mean cross-divide trust per city: both ends of each active cross tie, src side first.
        ends = np.concatenate([src[self.cross_active], dst[self.cross_active]])
        rows = np.concatenate([self.cross_active, self.cross_active])
        keep = ends < n
        self.city_cross_ends, self.city_cross_rows = ends[keep], rows[keep]
        self.city_cross_count = np.bincount(self.city_cross_ends, minlength=n)
        self.city_cross_has = self.city_cross_count > 0
        self.city_cross_missing = not self.city_cross_has.all()
        # Lederach spill-up: active cross-divide ties that also cross a border, by country pair.
        led = np.flatnonzero(cross_active & model.tie_cross_border)
        cs, cd = self.src_country[led], self.dst_country[led]
        self.lederach_ties = led
        self.lederach_pair = np.minimum(cs, cd) * k + np.maximum(cs, cd)
        count = np.bincount(self.lederach_pair, minlength=k * k).reshape(k, k)
        self.lederach_count = count + count.T
        self.up_ties = np.flatnonzero(model.tie_up & active)
        self.horizontal_ties = np.flatnonzero(cross_active & model.tie_middle)
        self.border_carrying = np.flatnonzero(model.tie_cross_border & self.carrying_active)
