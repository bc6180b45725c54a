"""Observation: what a run records each month (MODEL.md section 6).

Model-level series go into preallocated arrays, one row per month, so recording costs a few
reductions over the cities and ties. City-level rows are kept at an interval and for at most a
sample of cities, so memory does not grow with N x months unless asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sim.engine.scoped_series import ScopedRecorder, requested
from sim.rules import DEV, group_sum
from sim.rules import galtung as galtung_rules
from sim.scenario.loader import PILLARS

if TYPE_CHECKING:
    from sim.engine.model import PeaceModel

CITY_COLUMNS = ("D", "S", "C", "needs", "capacity", "cohesion", "participation", "displaced")
# Population-weighted means recorded each month, in record()'s order.
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
)


class Recorder:
    """Collects the monthly model-level series and the periodic city-level rows."""

    def __init__(self, model: PeaceModel, cities_every: int = 1, cities_max: int = 5000) -> None:
        self.model = model
        self.cities_every = max(int(cities_every), 0)
        n = model.n_cities
        take = min(n, max(int(cities_max), 0))
        self.city_sample = (
            np.unique(np.linspace(0, n - 1, take).astype(np.int64))
            if take
            else np.zeros(0, dtype=np.int64)
        )
        self.rows = 0
        self.columns: dict[str, np.ndarray] = {}
        self.city_chunks: list[dict[str, np.ndarray | int]] = []
        pop = model.cities.population
        self.comm_pop = group_sum(
            np.maximum(model.city_community, 0),
            pop * (model.city_community >= 0),
            model.n_communities,
        )
        self.watch_rows = {w: model.actor_index[w] for w in model.case.watch}
        # Watched actors that are cities (only a city has the watched quantities).
        self.watch_cities = {w: r for w, r in self.watch_rows.items() if r < model.n_cities}
        self._watch_index = np.fromiter(self.watch_cities.values(), dtype=np.intp)
        self._stack = np.empty((len(WEIGHTED), n))  # record()'s weighted-mean buffer
        # Community series: cities with a community, and the communities with people in them.
        has = model.city_community >= 0
        self.comm_cities = None if has.all() else np.flatnonzero(has)
        self.comm_groups = model.city_community[has]
        self.comm_kept = np.flatnonzero(self.comm_pop > 0)
        k = model.n_communities
        self.comm_bins = (
            np.arange(len(COMMUNITY_SERIES))[:, None] * k + self.comm_groups[None, :]
        ).ravel()
        self.blocks: dict[str, np.ndarray] = {}
        self._opened_for: np.ndarray | None = None
        self._border: np.ndarray | None = None
        self.iu = np.triu_indices(model.n_countries, 1)
        # One tie, programme or tie type, as the scenario's patterns ask (scoped_series).
        wanted = requested(model.case.patterns)
        self.scoped = ScopedRecorder(model, wanted) if wanted else None

    def _put_block(self, key: str, names: list[str], values: np.ndarray | list[float]) -> None:
        """Record several series at once; each name's column is a view into one block."""
        block = self.blocks.get(key)
        if block is None:
            block = self.blocks[key] = np.full((self.model.horizon, len(names)), np.nan)
            for i, name in enumerate(names):
                self.columns[name] = block[:, i]
        block[self.rows] = values

    def latest(self, name: str) -> float:
        """The most recent value of a series (NaN before the first month)."""
        col = self.columns.get(name)
        return float(col[self.rows - 1]) if col is not None and self.rows else float("nan")

    def record(self, step: int) -> None:
        m = self.model
        c, ties, month = m.cities, m.ties, m._month
        pop = c.population
        w = pop / np.add.reduce(pop)  # pop.sum(), without its Python layer
        neg, pos, peace = galtung_rules.indices(c.D, c.S, c.C)
        # This month's model-level values, in the order of _main_names(), written as one row.
        # (One row write instead of ~90 separate ones: on a small scenario recording cost
        # more than most rules.)
        values: list[float] = [step]
        # Population-weighted means as one (10, N) product summed along its rows: each row's
        # sum is that array's own .sum() bit for bit (the same pairwise summation over one
        # contiguous row). Not ``w @ values``: a BLAS dot wakes BLAS's worker threads every
        # call, which on a busy machine cost more than the rest of the month at N = 250,000.
        stack = self._stack
        for i, city_values in enumerate(
            (c.D, c.S, c.C, c.needs, c.capacity, c.cohesion, neg, pos, peace, c.participation)
        ):
            stack[i] = city_values
        # values.mean() is sum / count: the unweighted D, S and C rows, before weighting.
        means = stack[:3].sum(axis=1) / stack.shape[1]
        community_means = self._community_means(stack)
        # The watched cities' columns of the same rows, before they are weighted.
        watched = stack.take(self._watch_index, axis=1) if self.watch_cities else None
        stack *= w
        values += stack.sum(axis=1).tolist()
        values += means.tolist()
        values.append(c.displaced.sum())
        views = m.tie_views
        cross = views.cross_active
        # 0 where no tie spans a divide: there is no relationship to measure. The number of
        # ties it averages goes alongside: a policy that removes ties changes the mean's base.
        values.append(ties.trust.take(cross).mean() if cross.size else 0.0)
        values.append(cross.size)
        values += (
            month["horizontal"],
            month["vertical"],
            month["projects_active"],
            month["started"],
            month["completed"],
            month["interrupted"],
        )
        # Only accepted ties deliver: the sums run over those ties alone (the others are zero),
        # pillar by pillar along the contiguous rows of the (3, E) storage.
        # What each accepted tie delivered, (3, accepted), as the delivery step gathered it.
        # C order: a row sum is then the pillar's own sum (see the weighted means above).
        if m._accepted_ties.size or not m.idle_shortcuts:
            delivered = np.ascontiguousarray(m._accepted_flows.T)
            via_io = views.src_is_io.take(m._accepted_ties)
            io = delivered.compress(via_io, axis=1)
            direct = delivered.compress(~via_io, axis=1) if via_io.any() else delivered
            # Counts per pillar over both channels (a boolean row sum; np.count_nonzero with an
            # axis is Python code).
            flows = (delivered > 0).sum(axis=1)
            funds_direct, funds_io = direct.sum(axis=1).tolist(), io.sum(axis=1).tolist()
            for triple in zip(flows.tolist(), funds_direct, funds_io, strict=True):
                values += triple  # flows_<pillar>, funds_<pillar>_direct, funds_<pillar>_io
            via_io_total = io.sum()
            total = float(direct.sum() + via_io_total)
            values.append(total)
            values.append(min(float(via_io_total) / total, 1.0) if total > 0 else 0.0)
        else:  # nothing delivered: no flows, no funds, no IO share (the sums above, of nothing)
            values += [0, 0.0, 0.0] * len(PILLARS)
            values += (0.0, 0.0)
        values.append(np.count_nonzero(month["accepted"]))
        values.append(np.count_nonzero(month["declined"]))
        border = views.border_carrying
        # Share of open channels: exact counts over the cross-border carrying ties (the gate
        # array is reused while no gate changes, and so are its counts).
        if self._opened_for is not month["open"].base or self._border is not border:
            self._opened = np.count_nonzero(np.take(month["open"].T, border, axis=1), axis=1)
            self._opened_for, self._border = month["open"].base, border
        opened = self._opened
        for j in range(len(PILLARS)):
            values.append(float(opened[j] / border.size) if border.size else 1.0)
        active = month.get("prog_active", np.zeros(0, dtype=bool))
        values.append(np.count_nonzero(active))
        if m.programme_ids:
            values += active.tolist() if active.size else [0.0] * len(m.programme_ids)
        for state, progress in zip(
            m.alliance_state.tolist(), m.alliance_progress.tolist(), strict=True
        ):
            values += (state, progress)
        if m.n_countries > 1:
            values.append(m.hostility[self.iu].max())
            values.append(m.sanctioned.sum())
        self._put_block("model", self._main_names() if not self.rows else [], values)
        if m.n_countries <= 12:  # readable gate states for the small, real scenarios
            # Per country pair: permission_a_b (the lower of the two directions), hostility_a_b.
            i, j = self.iu
            pairs = np.empty((i.size, 2))
            pairs[:, 0] = np.minimum(m.permission[i, j], m.permission[j, i])
            pairs[:, 1] = m.hostility[i, j]
            names = m.case.countries
            labels = (
                [
                    f"{kind}_{names[a]}_{names[b]}"
                    for a, b in zip(i, j, strict=True)
                    for kind in ("permission", "hostility")
                ]
                if not self.rows
                else []
            )
            self._put_block("country pairs", labels, pairs.ravel())
        self._record_communities(community_means)
        self._record_watch(watched)
        if self.scoped is not None and self.scoped.names:
            names = self.scoped.names if not self.rows else []
            self._put_block("scoped", names, self.scoped.values(m, step))
        if self.cities_every and step % self.cities_every == 0 and self.city_sample.size:
            self._record_cities(step, neg, pos, peace)
        self.rows += 1

    def _main_names(self) -> list[str]:
        """The model-level series of :meth:`record`, in the order it lists their values."""
        m = self.model
        names = ["step", *WEIGHTED, "D_mean", "S_mean", "C_mean", "displaced"]
        names += [
            "cross_divide_trust",
            "cross_divide_ties",
            "horizontal_integration",
            "vertical_integration",
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
        names += [f"funded@{pid}" for pid in m.programme_ids]
        for aid in m.alliance_ids:
            names += [f"alliance_{aid}", f"alliance_{aid}_progress"]
        if m.n_countries > 1:
            names += ["hostility_max", "sanctioned_countries"]
        return names

    def _community_means(self, stack: np.ndarray) -> np.ndarray | None:
        """(7, kept communities) population-weighted means of the COMMUNITY_SERIES.

        ``stack`` holds record()'s unweighted city rows. One bincount serves all seven series:
        series r's cities go to bins r * K + community, so each bin adds its own terms in city
        order from zero, exactly as seven separate bincounts would.
        """
        m, c = self.model, self.model.cities
        if not self.comm_groups.size or m.n_communities > 64:
            return None
        rows = self.comm_cities
        values = stack[_COMMUNITY_ROWS] if rows is None else stack[_COMMUNITY_ROWS][:, rows]
        values *= c.population if rows is None else c.population[rows]
        sums = np.bincount(
            self.comm_bins,
            weights=values.ravel(),
            minlength=len(COMMUNITY_SERIES) * m.n_communities,
        ).reshape(len(COMMUNITY_SERIES), m.n_communities)
        kept = self.comm_kept
        return sums[:, kept] / self.comm_pop[kept]

    def _record_communities(self, means: np.ndarray | None) -> None:
        if means is None:
            return
        m = self.model
        # All seven series in one block, series by series (the columns' order).
        names = (
            [f"{name}_{m.case.communities[k]}" for name in COMMUNITY_SERIES for k in self.comm_kept]
            if not self.rows
            else []
        )
        self._put_block("communities", names, means.ravel())

    def _record_watch(self, watched: np.ndarray | None) -> None:
        """``watched``: the WEIGHTED rows of the watched cities, unweighted (record())."""
        if watched is None:
            return
        c, rows = self.model.cities, self._watch_index
        # (watched city, metric) in the order of WATCH_METRICS.
        values = np.empty((rows.size, len(WATCH_METRICS)))
        values[:, :6] = watched[:6].T  # D, S, C, needs, capacity, cohesion
        values[:, 6] = c.displaced.take(rows)
        values[:, 7:10] = watched[6:9].T  # negative, positive and overall peace
        values[:, 10] = c.received.take(rows, axis=0).sum(axis=1)
        names = (
            [f"{metric}@{actor}" for actor in self.watch_cities for metric in WATCH_METRICS]
            if not self.rows
            else []
        )
        self._put_block("watch", names, values.ravel())

    def _record_cities(
        self, step: int, neg: np.ndarray, pos: np.ndarray, peace: np.ndarray
    ) -> None:
        c, rows = self.model.cities, self.city_sample
        # Plain arrays now, one data frame when asked for (building a frame per record costs
        # more than the month's own recording).
        self.city_chunks.append(
            {
                "step": step,
                **{name: getattr(c, name)[rows] for name in CITY_COLUMNS},
                "negative_peace": neg[rows],
                "positive_peace": pos[rows],
                "peace": peace[rows],
                "received_humanitarian": c.received[rows, 0],
                "received_development": c.received[rows, DEV],
                "received_peace": c.received[rows, 2],
            }
        )

    def timeseries(self) -> pd.DataFrame:
        """The model-level series recorded so far, with a date column."""
        if not self.rows:  # before the first month: an empty frame with the key columns
            return pd.DataFrame({"step": pd.Series(dtype=np.int64), "date": pd.Series(dtype=str)})
        # The blocks side by side are the columns in order (each block's names were added to
        # ``columns`` when it was created): one 2-D copy instead of a hundred column copies.
        data = np.concatenate([block[: self.rows] for block in self.blocks.values()], axis=1)
        if data.shape[1] == len(self.columns):
            frame = pd.DataFrame(data, columns=list(self.columns))
        else:  # a name in two blocks: the dict keeps the later one
            frame = pd.DataFrame({k: v[: self.rows] for k, v in self.columns.items()})
        frame["step"] = frame["step"].astype(np.int64)
        frame.insert(1, "date", [self.model.date_of(int(s)) for s in frame["step"]])
        return frame

    def cities(self) -> pd.DataFrame:
        """City-level rows recorded so far."""
        if not self.city_chunks:
            return pd.DataFrame(columns=["step", "date", "id", *CITY_COLUMNS])
        m, size = self.model, self.city_sample.size
        steps = np.array([chunk["step"] for chunk in self.city_chunks], dtype=np.int64)
        columns = {
            "step": np.repeat(steps, size),
            "date": np.repeat(np.array([m.date_of(int(s)) for s in steps], dtype=object), size),
            "id": np.tile(m.actors.ids[self.city_sample], steps.size),
        }
        for name in self.city_chunks[0]:
            if name != "step":
                columns[name] = np.concatenate([chunk[name] for chunk in self.city_chunks])
        return pd.DataFrame(columns)
