"""The compiled world: what a scenario (with its policy applied) fixes for a whole run.

:class:`World` is built once per scenario and policy and shared by every replicate of a batch:
actors and their fixed attributes, ties and their fixed flags, the tie subsets the rules read
(cross-divide, cross-border, up, middle-range), mediation triples, programmes with their
(programme, tie) rows and handovers (``sim.engine.programmes``), alliances, the groups the
dynamics read (``sim.engine.groups``), and the initial values from which each replicate's state
starts (``sim.engine.state``). Nothing here changes during a run.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np

from sim.engine import table_columns as columns
from sim.engine.groups import compile_groups
from sim.engine.programmes import compile_programmes, phase_window, row_pillars_at
from sim.engine.random_streams import keys_of, text_words
from sim.engine.steady_paths import compile_paths
from sim.engine.unique_rows import unique_columns
from sim.rules import gates, group_sum
from sim.scenario.case import Scenario
from sim.scenario.dates import format_month
from sim.scenario.vocabulary import ACTOR_TYPES, PILLARS, TIE_TYPES
from sim.scenario.windows import NO_END

# Providers whose expertise cuts their projects' hazard: experienced foreign cities and NGOs
# (004:3663-3669); a government's or an IO's know-how is not what the sources credit.
EXPERIENCED = [ACTOR_TYPES.index("municipality"), ACTOR_TYPES.index("ngo")]

CARRYING = [TIE_TYPES.index(t) for t in ("twinning", "partnership", "funding")]
UP = [TIE_TYPES.index(t) for t in ("governance", "membership", "partnership", "funding")]
MEDIATION = TIE_TYPES.index("mediation")
CITY_COLUMNS = {
    "D": "direct_violence",
    "S": "structural_violence",
    "C": "cultural_violence",
    "needs": "needs",
    "capacity": "capacity",
    "cohesion": "cohesion",
    "participation": "participation",
    "population": "population",
    "displaced": "displaced",
    "fled": "fled",
    "diversity": "diversity",
}
ACTOR_COLUMNS = ("resources", "will", "neutrality", "risk_tolerance")


@dataclass
class Actors:
    """Fixed attributes of the A actors; cities first (rows 0..N-1)."""

    ids: np.ndarray
    type: np.ndarray  # index into loader.ACTOR_TYPES
    country: np.ndarray
    community: np.ndarray  # -1 where none
    middle: np.ndarray  # Lederach middle range
    is_io: np.ndarray
    mandate: np.ndarray  # (A, 3)
    conflict_sensitivity: np.ndarray
    sanction_exempt: np.ndarray
    expertise: np.ndarray  # an NGO's know-how: fewer of its projects fail


@dataclass
class Ties:
    """Fixed attributes of the E ties and the tie subsets the rules read."""

    src: np.ndarray
    dst: np.ndarray
    type: np.ndarray  # index into loader.TIE_TYPES
    cross_divide: np.ndarray
    human_security: np.ndarray
    carries: np.ndarray  # twinning, partnership or funding: ties that carry activities
    src_country: np.ndarray
    dst_country: np.ndarray
    pair: np.ndarray  # row of a flattened (K, K) country table
    cross_border: np.ndarray
    mandate: np.ndarray  # (3, 1, E): the provider's mandate, pillar first (any replicate)
    src_is_io: np.ndarray
    middle_src: np.ndarray
    middle: np.ndarray  # both ends middle-range
    carefree: np.ndarray  # 1 - the provider's conflict sensitivity (do-no-harm weight)
    up: np.ndarray  # a city's relationship with its government or an IO, either way (ODD 7.7)
    mediated: np.ndarray  # the party tie of some mediation triple
    src_expertise: np.ndarray  # the provider's expertise if it is an NGO, else 0


class World:
    """A scenario compiled for the engine (see the module docstring)."""

    def __init__(self, case: Scenario) -> None:
        self.case = case
        self.horizon = case.horizon
        actors = case.actors
        is_city = columns.values(actors, "type") == "municipality"
        n = int(is_city.sum())
        if is_city[:n].all():
            actors = columns.renumbered(actors)
        else:  # cities first, each part in its own order
            order = np.concatenate([np.flatnonzero(is_city), np.flatnonzero(~is_city)])
            actors = columns.rows_in_order(actors, order)
        self.actor_frame = actors
        self.n_cities, self.n_actors = n, columns.n_rows(actors)
        self.is_city = np.arange(self.n_actors) < n
        ids = columns.values(actors, "id", object)
        self.actor_index = {aid: i for i, aid in enumerate(ids)}
        self.country_index = {c: i for i, c in enumerate(case.countries)}
        self.community_index = {c: i for i, c in enumerate(case.communities)}
        self.n_countries = len(case.countries)
        self.n_communities = max(len(case.communities), 1)
        self._compile_actors(actors, ids)
        self._compile_countries(case)
        self._compile_ties(case, ids)
        self._compile_mediation()
        compile_programmes(self, case)
        self._compile_alliances(case)
        self.groups = compile_groups(self)
        # A union of worlds (sim.engine.union) sets each tie's and city's block here.
        self.blocks: SimpleNamespace | None = None

    def context(self, city_values: np.ndarray, default: float) -> np.ndarray:
        """(R, A) per-actor view of a city quantity (R, N): a city its own value, another actor
        its community's mean over the community's cities (``default`` without either)."""
        g = self.context_groups
        if not g.any_member:  # no other actor has a community (a synthetic world's networks)
            others = np.full((*city_values.shape[:-1], g.member.size), default)
            return np.concatenate([city_values, others], axis=1)
        members = city_values if g.every_city else np.take(city_values, g.cities, axis=1)
        total = group_sum(members, g.groups, self.n_communities)
        mean = np.divide(total, g.count, out=np.full(total.shape, default), where=g.count > 0)
        others = np.where(g.member, np.take(mean, g.community, axis=1), default)
        return np.concatenate([city_values, others], axis=1)

    def phase_window(self, step: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(P,) first month, end month (exclusive) and budget of each programme's phase at
        ``step`` (``sim.engine.programmes``)."""
        return phase_window(self, step)

    def row_pillars_at(self, step: int) -> np.ndarray:
        """(3, 1, rows): the pillars each programme row pays for at ``step``."""
        return row_pillars_at(self, step)

    def date_of(self, step: int) -> str:
        """The calendar month ('YYYY-MM') of a step."""
        return format_month(self.case.start + step)

    def steady_capacity(self, start: np.ndarray) -> np.ndarray:
        """(R, N) each city's steady capacity ``K_ss``: the encoded ``steady_capacity``, or
        its start capacity ``start`` where the scenario gives none (ODD 7.6)."""
        return np.where(np.isnan(self.city_steady), start, self.city_steady)

    # ------------------------------------------------------------------ actors and countries

    def _compile_actors(self, actors: Any, ids: np.ndarray) -> None:
        case, n = self.case, self.n_cities

        def codes(column: str, categories: list[str]) -> np.ndarray:
            return columns.codes(actors, column, categories)

        def col(name: str) -> np.ndarray:
            return columns.values(actors, name, np.float64)

        kind = codes("type", list(ACTOR_TYPES))
        self.actors = Actors(
            ids=ids,
            type=kind,
            country=codes("country", case.countries),
            community=codes("community", case.communities),
            middle=columns.values(actors, "level") == "middle",
            is_io=kind == ACTOR_TYPES.index("international_organisation"),
            mandate=np.stack([col(f"mandate_{p}") for p in PILLARS], axis=1),
            conflict_sensitivity=col("conflict_sensitivity"),
            sanction_exempt=columns.values(actors, "sanction_exempt", bool),
            expertise=col("expertise"),
        )
        # Activity windows: first and last active step (a table without them: always active).
        self.actor_from = _column(actors, "active_from", 0).astype(np.int64)
        self.actor_to = _column(actors, "active_to", NO_END).astype(np.int64)
        # Initial values of each replicate's state (sim.engine.state); a table without a
        # column (the synthetic generator's has no ``fled``) starts it at zero.
        self.initial_cities = {
            key: _column(actors, name, 0.0)[:n] for key, name in CITY_COLUMNS.items()
        }
        self.initial_actors = {name: col(name) for name in ACTOR_COLUMNS}
        # Each city's steady capacity K_ss (rules.recovery.own_steady_state); NaN: its start.
        self.city_steady = _column(actors, "steady_capacity", np.nan)[:n]
        # ... or dated points, a steady state that moves (None: none does; branch growth).
        paths = getattr(self.case, "steady_paths", None) or {}
        self.steady_path = compile_paths(paths, self.actor_index, n, self.horizon)
        self.city_country = self.actors.country[:n]
        self.city_community = self.actors.community[:n]
        # Non-city actors see their community's mean over its cities (``context``).
        community = self.city_community
        others = self.actors.community[n:]
        self.context_groups = SimpleNamespace(
            cities=np.flatnonzero(community >= 0),
            every_city=bool((community >= 0).all()),  # then the gather above is the identity
            groups=community[community >= 0],
            count=np.bincount(community[community >= 0], minlength=self.n_communities),
            member=others >= 0,
            any_member=bool((others >= 0).any()),  # else every other actor sees the default
            community=np.maximum(others, 0),
        )

    def _compile_countries(self, case: Scenario) -> None:
        k = self.n_countries
        divide = np.zeros((self.n_communities, self.n_communities), dtype=bool)
        for x, y in case.divides:
            i, j = self.community_index[x], self.community_index[y]
            divide[i, j] = divide[j, i] = True
        self.divide = divide
        permission = np.full((k, k), case.default_permission, dtype=np.int64)
        np.fill_diagonal(permission, gates.OPEN)
        for x, y, level in case.permissions:
            permission[self.country_index[x], self.country_index[y]] = level
        hostility = np.zeros((k, k))
        for x, y, value in case.hostility:
            i, j = self.country_index[x], self.country_index[y]
            hostility[i, j] = hostility[j, i] = value
        sanctioned = np.zeros(k, dtype=bool)
        for c in case.sanctioned:
            sanctioned[self.country_index[c]] = True
        # Closed economies (scenario.yaml's ``isolated``): their cities' own recovery is slower
        # (rules.recovery.openness). None when no country is isolated, as in most scenarios.
        isolated = np.zeros(k, dtype=bool)
        for c in getattr(case, "isolated", ()):
            isolated[self.country_index[c]] = True
        self.city_isolated = isolated[self.city_country] if isolated.any() else None
        self.initial_countries = {
            "permission": permission,
            "hostility": hostility,
            "sanctioned": sanctioned,
        }
        self.country_pairs = np.triu_indices(k, 1)

    # ------------------------------------------------------------------ ties

    def _compile_ties(self, case: Scenario, ids: np.ndarray) -> None:
        a, n, k = self.actors, self.n_cities, self.n_countries
        ties = case.ties
        src, dst = _endpoints(ties, ids)
        ttype = columns.codes(ties, "type", TIE_TYPES)
        cs, cd = a.community[src], a.community[dst]
        cross = (cs >= 0) & (cd >= 0) & self.divide[np.maximum(cs, 0), np.maximum(cd, 0)]
        sc, dc = a.country[src], a.country[dst]
        upper = (a.type == ACTOR_TYPES.index("national_government")) | a.is_io
        up_to, up_from = upper[dst], upper[src]
        self.ties = Ties(
            src=src,
            dst=dst,
            type=ttype,
            cross_divide=cross,
            human_security=columns.values(ties, "human_security", bool),
            carries=np.isin(ttype, CARRYING),
            src_country=sc,
            dst_country=dc,
            pair=sc * k + dc,
            cross_border=sc != dc,
            mandate=np.ascontiguousarray(a.mandate[src].T)[:, None, :],
            src_is_io=a.is_io[src],
            middle_src=a.middle[src],
            middle=a.middle[src] & a.middle[dst],
            carefree=1.0 - a.conflict_sensitivity[src],
            up=np.isin(ttype, UP) & ~cross & (((src < n) & up_to) | ((dst < n) & up_from)),
            mediated=np.zeros(len(src), dtype=bool),
            # The know-how of experienced foreign cities and NGOs (004:3663-3669) counts.
            src_expertise=np.where(np.isin(a.type[src], EXPERIENCED), a.expertise[src], 0.0),
        )
        self.n_ties = len(src)
        # the ties' random draws, the same under any policy (random_streams.tie_keys)
        words, kinds = text_words(ids), text_words(np.asarray(TIE_TYPES, dtype=object))
        self.tie_key = keys_of(words[src], words[dst], kinds[ttype])
        self.initial_ties = {
            "trust": columns.values(ties, "trust", np.float64),
            "memory": columns.values(ties, "memory", np.float64),
        }
        # A tie acts while it and both its actors are active: the intersection of windows.
        tie_from = _column(ties, "active_from", 0).astype(np.int64)
        tie_to = _column(ties, "active_to", NO_END).astype(np.int64)
        self.tie_from = np.maximum(tie_from, np.maximum(self.actor_from[src], self.actor_from[dst]))
        self.tie_to = np.minimum(tie_to, np.minimum(self.actor_to[src], self.actor_to[dst]))
        self._tie_subsets(np.ones(self.n_ties, dtype=bool))
        t = self.ties
        # The gate rule reads a tie only through its countries and flags: each distinct
        # (src country, dst country, provider is an IO, human security) and the tie's row.
        keys = np.stack([sc, dc, t.src_is_io, t.human_security])
        gate_inputs, self.gate_key = unique_columns(keys)  # np.unique(keys, axis=1), faster
        self.gate_src, self.gate_dst = gate_inputs[0], gate_inputs[1]
        self.gate_is_io, self.gate_hs = gate_inputs[2].astype(bool), gate_inputs[3].astype(bool)
        # Funds by channel: ties whose provider is an IO, and the direct ones.
        self.io_ties, self.direct_ties = np.flatnonzero(t.src_is_io), np.flatnonzero(~t.src_is_io)

    def _tie_subsets(self, active: np.ndarray) -> None:
        """The tie subsets the rules read, over the ``active`` ties only (``restricted``)."""
        t, n, k = self.ties, self.n_cities, self.n_countries
        src, dst, sc, dc = t.src, t.dst, t.src_country, t.dst_country
        cross = t.cross_divide & active
        self.cross = np.flatnonzero(cross)
        # Mean cross-divide trust per city: both ends of each cross tie, src side first.
        ends = np.concatenate([src[self.cross], dst[self.cross]])
        rows = np.concatenate([self.cross, self.cross])
        self.city_cross_ends, self.city_cross_rows = ends[ends < n], rows[ends < n]
        self.city_cross_count = np.bincount(self.city_cross_ends, minlength=n)
        # Lederach spill-up: cross-divide ties that also cross a border, by unordered pair.
        led = np.flatnonzero(cross & t.cross_border)
        self.lederach_ties = led
        self.lederach_pair = np.minimum(sc[led], dc[led]) * k + np.maximum(sc[led], dc[led])
        count = np.bincount(self.lederach_pair, minlength=k * k).reshape(k, k)
        self.lederach_count = count + count.T
        self.up_ties = np.flatnonzero(t.up & active)
        self.up_ends = np.where(src[self.up_ties] < n, src[self.up_ties], dst[self.up_ties])
        self.horizontal_ties = np.flatnonzero(cross & t.middle)
        self.border_carrying = np.flatnonzero(t.cross_border & t.carries & active)

    def _compile_mediation(self) -> None:
        """Triples (party tie u->v, mediator tie m->u, mediator tie m->v) for every mediator m
        with mediation ties to u and v (u != v) and a tie u->v."""
        t, n = self.ties, self.n_actors
        med_ties = np.flatnonzero(t.type == MEDIATION)
        party_ties = np.flatnonzero(t.type != MEDIATION)
        mediator, party = t.src[med_ties], t.dst[med_ties]
        x, y = _inner_join(mediator, mediator)  # pairs of one mediator's ties
        keep = party[x] != party[y]
        x, y = x[keep], y[keep]
        pair, tie = _inner_join(party[x] * n + party[y], t.src[party_ties] * n + t.dst[party_ties])
        self.med_party = party_ties[tie]
        self.med_mu, self.med_mv = med_ties[x[pair]], med_ties[y[pair]]
        self.med_mediator = mediator[x[pair]]
        t.mediated[self.med_party] = True

    # ------------------------------------------------------------------ programmes, alliances

    def _compile_alliances(self, case: Scenario) -> None:
        t = self.ties
        self.alliance_ids = [a["id"] for a in case.alliances]
        self.alliance_index = {aid: i for i, aid in enumerate(self.alliance_ids)}
        self.initial_alliance_state = np.array([a["state"] for a in case.alliances], dtype=np.int64)
        self.alliances = []
        for a in case.alliances:
            members = np.array([self.actor_index[x] for x in a["members"]], dtype=np.int64)
            mediators = np.array([self.actor_index[x] for x in a["mediators"]], dtype=np.int64)
            # Mediation ties from the alliance's mediators to its members.
            talks = np.flatnonzero(
                np.isin(t.src, mediators) & np.isin(t.dst, members) & (t.type == MEDIATION)
            )
            distinct = np.unique(members)
            self.alliances.append(
                SimpleNamespace(
                    members=members,
                    inner=np.flatnonzero(np.isin(t.src, members) & np.isin(t.dst, members)),
                    talks=talks,
                    talks_member=np.searchsorted(distinct, t.dst[talks]),
                    distinct_members=distinct.size,
                    # Mediated when the talks reach every listed member.
                    n_members=members.size,
                    has_mediators=mediators.size > 0,
                )
            )


def _column(frame: Any, name: str, default: float) -> np.ndarray:
    """A column as floats, or ``default`` everywhere when the table has no such column."""
    if columns.has(frame, name):
        return columns.values(frame, name, np.float64)
    return np.full(columns.n_rows(frame), float(default))


def _endpoints(ties: Any, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each tie's source and destination actor rows (-1: no such actor)."""
    if not isinstance(ties, dict):
        import pandas as pd  # a frame: pandas is there already

        index = pd.Index(ids)
        src = index.get_indexer(ties["src"]).astype(np.int64)
        return src, index.get_indexer(ties["dst"]).astype(np.int64)
    return columns.codes(ties, "src", list(ids)), columns.codes(ties, "dst", list(ids))


def _inner_join(left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row pairs ``(i, j)`` with ``left[i] == right[j]`` for integer keys, ordered by ``i``
    and then ``j``: an inner merge that keeps the left rows' order, as pandas' does."""
    order = np.argsort(right, kind="stable")
    keys = right[order]
    lo = np.searchsorted(keys, left, "left")
    counts = np.searchsorted(keys, left, "right") - lo
    i = np.repeat(np.arange(left.size), counts)
    first = np.repeat(lo - (np.cumsum(counts) - counts), counts)
    return i, order[first + np.arange(i.size)]
