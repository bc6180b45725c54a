"""Observation: what a run records each month (MODEL.md section 6), for every replicate.

Model-level series go into preallocated (R, months, series) blocks, one row per month and
replicate; city-level rows are kept at an interval and for at most a sample of cities, so
memory does not grow with N x months unless asked for. Every value of replicate r is computed
from replicate r's arrays alone (sums along its own rows), so it is the same in any batch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from sim.engine.headline import HEADLINE, VERTICAL_RECIPIENTS, Headline
from sim.engine.month import Month
from sim.engine.scoped_series import ScopedRecorder, requested
from sim.engine.state import State
from sim.engine.world import World
from sim.rules import DEV, HUM, PEACE, average, galtung, group_sum, ladder, total
from sim.scenario.vocabulary import PILLARS

CITY_COLUMNS = (
    "D",
    "S",
    "C",
    "needs",
    "capacity",
    "cohesion",
    "participation",
    "displaced",
    "population",
    "fled",
)
# Population-weighted means recorded each month, in this order.
WEIGHTED = (
    "D",
    "S",
    "C",
    "needs",
    "capacity",
    "cohesion",
    "negative_peace",
    "positive_peace",
    "peace",
    "participation",
)
# Community series (population-weighted means per community) and their rows in WEIGHTED.
COMMUNITY_SERIES = ("D", "S", "C", "needs", "negative_peace", "positive_peace", "peace")
_COMMUNITY_ROWS = [WEIGHTED.index(name) for name in COMMUNITY_SERIES]
# People and the cooperation ladder, recorded after ``displaced``.
DYNAMICS_SERIES = (
    "population",
    "fled",
    *HEADLINE,
    *(f"ladder_{name}" for name in ladder.STAGE_NAMES),
    "mutual_benefit",
)
WATCH_METRICS = (
    "direct_violence",
    "structural_violence",
    "cultural_violence",
    "needs",
    "capacity",
    "cohesion",
    "displaced",
    "negative_peace",
    "positive_peace",
    "peace",
    "received_funds",
    "population",
    "fled",
)


class Recorder:
    """Collects the monthly model-level series and the periodic city-level rows."""

    def __init__(
        self, world: World, replicates: int, cities_every: int = 1, cities_max: int = 5000
    ) -> None:
        self.world, self.replicates = world, replicates
        self.cities_every = max(int(cities_every), 0)
        n = world.n_cities
        take = min(n, max(int(cities_max), 0))
        self.city_sample = (
            np.unique(np.linspace(0, n - 1, take).astype(np.int64))
            if take
            else np.zeros(0, dtype=np.int64)
        )
        self.rows = 0
        self.blocks: dict[str, np.ndarray] = {}  # (R, horizon, series)
        self.names: dict[str, list[str]] = {}
        self.city_chunks: list[dict[str, np.ndarray | int]] = []
        community = world.city_community
        has = community >= 0
        self.comm_cities = np.flatnonzero(has)
        self.comm_groups = community[has]
        pop = world.initial_cities["population"]
        self.comm_pop = group_sum(pop[has], self.comm_groups, world.n_communities)
        self.comm_kept = np.flatnonzero(self.comm_pop > 0)
        self.watch = {w: world.actor_index[w] for w in world.case.watch}
        # Watched actors that are cities (only a city has the watched quantities).
        self.watch_cities = {w: r for w, r in self.watch.items() if r < n}
        self._watch_index = np.fromiter(self.watch_cities.values(), dtype=np.intp)
        wanted = requested(world.case.patterns)
        self.scoped = ScopedRecorder(world, wanted) if wanted else None
        # The cross-border carrying ties as a mask: counted in place, not gathered first.
        self._border = np.zeros(world.n_ties, dtype=bool)
        self._border[world.border_carrying] = True
        # Direct ties and the ladder's as runs of consecutive ties where they are few (at
        # 250,000 cities every tie but 200 is direct, and the ladder's ties are one run).
        self._direct_runs = _runs(world.direct_ties)
        self._ladder_runs = _runs(world.groups.ladder_ties)
        self.headline = Headline(world.groups, WEIGHTED, _weighted_sums)

    def _put(self, key: str, names: Callable[[], list[str]], values: np.ndarray) -> None:
        """Record several series of every replicate at once: ``values`` is (R, series);
        ``names()`` lists the series (asked once, when the block is made)."""
        block = self.blocks.get(key)
        if block is None:
            names = names()
            shape = (self.replicates, self.world.horizon, len(names))
            block = self.blocks[key] = np.full(shape, np.nan)
            self.names[key] = names
        block[:, self.rows] = values

    def latest(self, name: str, replicate: int = 0) -> float:
        """The most recent value of a series (NaN before the first month)."""
        for key, names in self.names.items():
            if name in names and self.rows:
                return float(self.blocks[key][replicate, self.rows - 1, names.index(name)])
        return float("nan")

    def record(self, state: State, month: Month) -> None:
        """This month's values of every replicate."""
        w, c = self.world, state.cities
        step, n = month.step, w.n_cities
        people = c.people  # residents and hosted displaced
        # Weighted means as sum(x w) / sum(w): with x <= 1 the rounded sum never exceeds sum(w),
        # so a mean of indices stays in [0, 1] (normalising w first could give 1 + 2e-16).
        people_sum = total(people)
        people_total = np.maximum(people_sum, 1.0)[:, None]
        neg, pos, peace = galtung.indices(c.D, c.S, c.C)
        series = (c.D, c.S, c.C, c.needs, c.capacity, c.cohesion, neg, pos, peace, c.participation)
        trust = state.ties.trust
        cross = (month.world or w).cross  # the cross-divide ties active this month
        weighted = _weighted_sums(series, people)
        headline = self.headline.means(series, people, weighted, people_sum)
        columns: list[np.ndarray] = [
            np.full(self.replicates, float(step)),
            *(x / people_total[:, 0] for x in weighted),
            *(total(x) / n for x in series[:3]),
            total(c.displaced),
            total(c.population),
            total(c.fled),
            *headline,
            *self._ladder(state.ties),
            average(np.take(trust, cross, axis=1)) if cross.size else np.zeros(self.replicates),
            np.full(self.replicates, float(cross.size)),
            # the same ties' delegates' trust (rules.delegates)
            average(np.take(state.ties.delegates, cross, axis=1))
            if cross.size
            else np.zeros(self.replicates),
            month.horizontal,
            month.vertical,
            self.headline.recipients_mean(month.vertical_by_city),
            month.projects_active,
            _count(month.started),
            _count(month.completed),
            _count(month.interrupted),
        ]
        # Funds by pillar and channel: providers that are IOs, or direct.
        flows = month.flows  # (3, R, E)
        direct_funds = total(self._direct(flows))  # (3, R)
        io_funds = total(_gather(flows, w.io_ties))
        counts = _count(flows > 0)
        for j in range(len(PILLARS)):
            columns += [counts[j], direct_funds[j], io_funds[j]]
        io_total = io_funds.sum(axis=0)
        funds_total = direct_funds.sum(axis=0) + io_total
        share = np.divide(io_total, funds_total, out=np.zeros_like(io_total), where=funds_total > 0)
        columns += [funds_total, np.minimum(share, 1.0)]
        columns += [_count(month.accepted)]
        columns += [_count(month.declined)]
        # Share of cross-border carrying ties open, per pillar (1 where there are none).
        border = w.border_carrying
        opened = _count(np.logical_and(month.open, self._border))
        columns += list(opened / border.size if border.size else np.ones((3, self.replicates)))
        columns.append(_count(month.prog_active))
        columns += list(month.prog_active.T)
        al = state.alliances
        for i in range(len(w.alliance_ids)):
            columns += [al.state[:, i], al.progress[:, i]]
        countries = state.countries
        i, j = w.country_pairs
        if w.n_countries > 1:
            columns.append(countries.hostility[:, i, j].max(axis=-1))
            columns.append(countries.sanctioned.sum(axis=-1))
        # (one (series, R) array, transposed: np.stack would first make a view of each column)
        self._put("model", self._main_names, np.array(columns, dtype=np.float64).T)
        if w.n_countries <= 12:  # readable gate states for the small, real scenarios
            # Per country pair: permission_a_b (the lower of the two directions), hostility_a_b.
            level = np.minimum(countries.permission[:, i, j], countries.permission[:, j, i])
            pairs = np.stack([level, countries.hostility[:, i, j]], axis=-1)
            names = w.case.countries
            labels = lambda: [  # noqa: E731 - the block's names, asked for once
                f"{kind}_{names[a]}_{names[b]}"
                for a, b in zip(i, j, strict=True)
                for kind in ("permission", "hostility")
            ]
            self._put("country pairs", labels, pairs.reshape(self.replicates, -1))
        self._record_communities(series, people)
        self._record_watch(series, c)
        if self.scoped is not None and self.scoped.names:
            self._put("scoped", lambda: self.scoped.names, self.scoped.values(state, month))
        if self.cities_every and step % self.cities_every == 0 and self.city_sample.size:
            self._record_cities(step, c, neg, pos, peace)
        self.rows += 1

    def _main_names(self) -> list[str]:
        """The model-level series of :meth:`record`, in the order it lists their values."""
        w = self.world
        names = ["step", *WEIGHTED, "D_mean", "S_mean", "C_mean", "displaced", *DYNAMICS_SERIES]
        names += [
            "cross_divide_trust",
            "cross_divide_ties",
            "delegates_trust",
            "horizontal_integration",
            "vertical_integration",
            VERTICAL_RECIPIENTS,
            "projects_active_development",
            "projects_started_development",
            "projects_completed_development",
            "projects_interrupted_development",
        ]
        for pillar in PILLARS:
            names += [f"flows_{pillar}", f"funds_{pillar}_direct", f"funds_{pillar}_io"]
        names += ["funds_total", "io_share", "offers_accepted", "offers_declined"]
        names += [f"gate_open_{pillar}" for pillar in PILLARS]
        names.append("programmes_funded")
        names += [f"funded@{pid}" for pid in w.programme_ids]
        for aid in w.alliance_ids:
            names += [f"alliance_{aid}", f"alliance_{aid}_progress"]
        if w.n_countries > 1:
            names += ["hostility_max", "sanctioned_countries"]
        return names

    def _direct(self, flows: np.ndarray) -> np.ndarray:
        """(3, R, direct ties) the flows of ties whose provider is not an IO (all of them in a
        world without IOs, as they are: the same contiguous rows a gather would copy)."""
        direct = self.world.direct_ties
        if direct.size == self.world.n_ties:
            return flows
        return _gather(flows, direct, self._direct_runs)

    def _ladder(self, ties: object) -> list[np.ndarray]:
        """Share of the ladder's ties at each stage, and their mean mutual benefit."""
        rows = self.world.groups.ladder_ties
        if not rows.size:
            return [np.zeros(self.replicates)] * (len(ladder.STAGE_NAMES) + 1)
        stage = _gather(ties.stage, rows, self._ladder_runs)
        stages = len(ladder.STAGE_NAMES)
        if rows.size >= _LONG:  # long rows: a comparison per stage, faster than a bincount
            counts = np.stack([_count(stage == s) for s in range(stages)], axis=-1)
        else:  # ties per stage and replicate in one count: replicate r's stage s is bin r x 4 + s
            bins = stage + stages * np.arange(self.replicates)[:, None]
            counts = np.bincount(bins.ravel(), minlength=stages * self.replicates)
        shares = list(counts.reshape(self.replicates, stages).T / rows.size)
        return [*shares, average(_gather(ties.benefit, rows, self._ladder_runs))]

    def _record_communities(self, series: tuple[np.ndarray, ...], people: np.ndarray) -> None:
        """Population-weighted means of the COMMUNITY_SERIES per community that had people at
        the start (weights: residents and hosted displaced now)."""
        w = self.world
        if not self.comm_groups.size or w.n_communities > 64:
            return
        rows = self.comm_cities
        every = rows.size == w.n_cities  # every city in a community: no gather needed
        picked = [series[k] if every else series[k][:, rows] for k in _COMMUNITY_ROWS]
        values = np.stack(picked, axis=1) * people[:, None, rows]
        sums = group_sum(values, self.comm_groups, w.n_communities)  # (R, 7, communities)
        weights = group_sum(people[:, rows], self.comm_groups, w.n_communities)  # (R, comm.)
        kept = self.comm_kept
        means = sums[..., kept] / np.maximum(weights[:, None, kept], 1e-12)
        names = lambda: [  # noqa: E731
            f"{name}_{w.case.communities[k]}" for name in COMMUNITY_SERIES for k in kept
        ]
        self._put("communities", names, means.reshape(self.replicates, -1))

    def _record_watch(self, series: tuple[np.ndarray, ...], c: object) -> None:
        """Each watched city's own values, in the order of WATCH_METRICS."""
        if not self.watch_cities:
            return
        rows = self._watch_index
        watched = np.stack([x[:, rows] for x in series], axis=1)  # (R, 10, watched)
        values = np.concatenate(
            [
                watched[:, :6],  # D, S, C, needs, capacity, cohesion
                c.displaced[:, None, rows],
                watched[:, 6:9],  # negative, positive and overall peace
                np.take(c.received, rows, axis=-1).sum(axis=0)[:, None],
                c.population[:, None, rows],
                c.fled[:, None, rows],
            ],
            axis=1,
        )  # (R, metric, watched)
        names = lambda: [  # noqa: E731
            f"{metric}@{actor}" for actor in self.watch_cities for metric in WATCH_METRICS
        ]
        self._put("watch", names, values.swapaxes(1, 2).reshape(self.replicates, -1))

    def _record_cities(
        self, step: int, c: object, neg: np.ndarray, pos: np.ndarray, peace: np.ndarray
    ) -> None:
        rows = self.city_sample
        self.city_chunks.append(
            {
                "step": step,
                **{name: getattr(c, name)[:, rows] for name in CITY_COLUMNS},
                "negative_peace": neg[:, rows],
                "positive_peace": pos[:, rows],
                "peace": peace[:, rows],
                "received_humanitarian": c.received[HUM][:, rows],
                "received_development": c.received[DEV][:, rows],
                "received_peace": c.received[PEACE][:, rows],
            }
        )


_LONG = 4096  # ties in a row from which counting row by row beats numpy's counts along an axis


def _weighted_sums(series: Sequence[np.ndarray], weight: np.ndarray) -> list[np.ndarray]:
    """``[total(x * weight) for x in series]``, stacked in a small world: the same row sums."""
    if weight.shape[-1] >= _LONG:  # one at a time: a large world's row stays in cache
        return [total(x * weight) for x in series]
    return list((np.stack(series, axis=1) * weight[:, None, :]).sum(axis=-1).T)


def _count(values: np.ndarray) -> np.ndarray:
    """``np.count_nonzero(values, axis=-1)``: long rows one at a time (25 times faster at a
    million ties), short boolean rows as an integer sum (cheaper than its dtype checks)."""
    if values.shape[-1] < _LONG:
        if values.dtype == np.bool_:
            return np.add.reduce(values, axis=-1, dtype=np.intp)
        return np.count_nonzero(values, axis=-1)
    rows = values.reshape(-1, values.shape[-1])
    counts = np.fromiter((np.count_nonzero(row) for row in rows), np.intp, rows.shape[0])
    return counts.reshape(values.shape[:-1])


def _runs(ties: np.ndarray) -> list[slice] | None:
    """Sorted tie indices as slices of consecutive ties, or None where the runs are many and
    short (a gather is then as fast as copying them)."""
    if not ties.size or (np.diff(ties) <= 0).any():
        return None
    breaks = np.flatnonzero(np.diff(ties) != 1) + 1
    if breaks.size + 1 > max(16, ties.size // 256):
        return None
    starts = ties[np.concatenate([[0], breaks])]
    ends = ties[np.concatenate([breaks - 1, [ties.size - 1]])] + 1
    return [slice(int(a), int(b)) for a, b in zip(starts, ends, strict=True)]


def _gather(values: np.ndarray, ties: np.ndarray, runs: list[slice] | None = None) -> np.ndarray:
    """``np.take(values, ties, axis=-1)``: the same contiguous array. ``runs`` (``_runs(ties)``)
    copies runs of consecutive ties whole, three times faster than a gather at a million ties;
    otherwise one 2-D take over the leading rows, three times faster than a take along the
    last axis of (3, R, E) values."""
    if runs is not None:
        return np.concatenate([values[..., run] for run in runs], axis=-1)
    rows = np.take(values.reshape(-1, values.shape[-1]), ties, axis=1)
    return rows.reshape(*values.shape[:-1], ties.size)
