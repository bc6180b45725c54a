"""PeaceModel: Mesa agents as the face, arrays as the state, rules wired in MODEL.md 3 order."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import mesa
import numpy as np
import pandas as pd

from sim.engine.agents import AGENT_CLASSES
from sim.engine.blocks import for_blocks
from sim.engine.events import EventsEngine
from sim.engine.observe import Recorder
from sim.engine.params import Levers, ModelParams, validate_ranges
from sim.engine.state import (
    ACTIVE,
    COMPLETED,
    INTERRUPTED,
    ActorArrays,
    CityArrays,
    ProjectLog,
    TieArrays,
)
from sim.engine.tie_views import TieViews
from sim.rules import (
    DEV,
    HUM,
    PEACE,
    clip,
    funding,
    galtung,
    gates,
    group_sum,
    lederach,
    nexus,
    proposals,
    row_sum,
    trust,
)
from sim.rules import alliances as alliance_rules
from sim.scenario.arguments import check_model_arguments
from sim.scenario.dates import format_month
from sim.scenario.loader import ACTOR_TYPES, PILLARS, TIE_TYPES, Scenario, load_scenario
from sim.scenario.synthetic import SyntheticSpec, generate

_CARRYING = np.array([TIE_TYPES.index(t) for t in ("twinning", "partnership", "funding")])
_UP = np.array([TIE_TYPES.index(t) for t in ("governance", "membership", "partnership")])
_MEDIATION = TIE_TYPES.index("mediation")
_NEVER = -(10**6)  # "long ago" for last-received steps


class _MonthRecord(dict):
    """This month's intermediate arrays, by name; ``delivered`` is derived when first read.

    What was delivered is the share of the offer taken on accepted ties and zero elsewhere.
    The model itself only reads the accepted rows, so the full (E, 3) array is built only for
    a reader that asks for ``month["delivered"]``.
    """

    def __missing__(self, key: str) -> np.ndarray:
        if key != "delivered":
            raise KeyError(key)
        offer = np.asarray(self["offer"])
        value = np.zeros(offer.shape)
        value[self["accepted_ties"]] = self["flows"]
        self[key] = value
        return value


def _exp_sparse(x: np.ndarray) -> np.ndarray:
    """``np.exp(x)`` for an array that is mostly exact zeros: exp(0) is exactly 1."""
    out = np.ones(x.shape)
    nonzero = np.flatnonzero(x)
    out[nonzero] = np.exp(x[nonzero])
    return out


@functools.cache
def _success_levels(items: int) -> np.ndarray:
    """The values a tie's successes can take in a month: k / items, then k / items + 1."""
    shares = np.arange(items + 1) / items
    levels = np.concatenate([shares, shares + 1.0])
    levels.flags.writeable = False
    return levels


def _reject_unknown_keys(value: Mapping, cls: type, where: str, allowed: str) -> None:
    """ConfigError naming the first key of ``value`` that ``cls`` has no field for."""
    names = [f.name for f in dataclasses.fields(cls)]
    unknown = sorted(set(value) - set(names))
    if unknown:
        from sim.errors import ConfigError

        raise ConfigError(where, unknown[0], value[unknown[0]], f"{allowed}: {names}")


def _coerce(value: Any, cls: type) -> Any:
    """A dataclass from None, an instance, or a (nested) mapping of overrides."""
    if value is None:
        return cls()
    if isinstance(value, cls):
        return value
    if isinstance(value, Mapping):
        kwargs = {}
        for f in dataclasses.fields(cls):
            if f.name in value:
                sub = value[f.name]
                default = getattr(cls(), f.name)
                kwargs[f.name] = (
                    _coerce(sub, type(default)) if dataclasses.is_dataclass(default) else sub
                )
        _reject_unknown_keys(value, cls, "config", f"a key of {cls.__name__}")
        return cls(**kwargs)
    return value


def resolve_levers(case: Scenario, levers: Levers | Mapping | None) -> Levers:
    """Built-in defaults < scenario levers < policy levers < the caller's own settings."""
    if isinstance(levers, Levers):
        chosen = dataclasses.asdict(levers)
    else:
        chosen = {k: v for k, v in dict(levers or {}).items() if v is not None}
        _reject_unknown_keys(chosen, Levers, "levers", "a lever: one of")
    resolved = dataclasses.replace(Levers(), **{**case.baseline_levers, **case.levers, **chosen})
    validate_ranges(resolved, "levers")
    return resolved


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


class PeaceModel(mesa.Model):
    """Peacebuilding through city networks.

    One :meth:`step` is one calendar month. Build it from a scenario name (``two_cities``,
    ``tuzla``, ``map``, ``seoul_pyongyang`` or ``synthetic``), a :class:`Scenario`, or a Hydra
    config (:meth:`from_config`). The same scenario, parameters and seed give the same run.

    Months in which no money moves (a programme has ended, funding is cut) skip the steps that
    would only multiply by exactly 1 or add exactly 0: no offers, no deliveries, no projects.
    ``idle_shortcuts = False`` runs every step in full; the outputs are the same bit for bit
    (tests/test_reference.py).

    Args:
        scenario: a scenario name, a scenario folder (``Path``), or a loaded :class:`Scenario`.
        seed: seed of the model's one ``numpy.random.Generator``.
        horizon: months to run (default: the scenario's own horizon).
        policy: a counterfactual from the scenario's ``policies.yaml`` (or ``baseline``).
        params: :class:`ModelParams` or a nested mapping of overrides.
        levers: a mapping of lever values (or a full :class:`Levers`); what you set here wins
            over the policy's levers, which win over the scenario's, which win over the
            built-in defaults.
        synthetic: generator knobs when ``scenario == "synthetic"``.
        cities_every: record city-level rows every this many months (0 = never).
        cities_max: at most this many cities in the city-level record.
    """

    idle_shortcuts: bool = True  # see above; a class attribute, so a test can switch it off

    def __init__(
        self,
        scenario: str | Path | Scenario = "two_cities",
        seed: int | None = 0,
        horizon: int | None = None,
        policy: str = "baseline",
        params: ModelParams | Mapping | None = None,
        levers: Levers | Mapping | None = None,
        synthetic: SyntheticSpec | Mapping | None = None,
        cities_every: int = 1,
        cities_max: int = 5000,
    ) -> None:
        check_model_arguments(
            scenario, seed, horizon, policy, params, levers, synthetic, cities_every, cities_max
        )
        super().__init__(rng=seed)
        self.seed = seed
        self.params: ModelParams = _coerce(params, ModelParams)
        validate_ranges(self.params, "model")
        if isinstance(scenario, Scenario):
            case = scenario
        elif scenario == "synthetic":
            spec = _coerce(synthetic, SyntheticSpec)
            if horizon is not None:
                spec = dataclasses.replace(spec, horizon=horizon)
            case = generate(spec, seed=0 if seed is None else int(seed))
        else:
            case = load_scenario(scenario, policy=policy, horizon=horizon)
        self.case = case
        self.levers: Levers = resolve_levers(case, levers)
        self.horizon = case.horizon
        self.t = 0  # the month being simulated next; step t is date start + t
        self._build(case)
        self.events = EventsEngine(self, case.events)
        self.recorder = Recorder(self, cities_every=cities_every, cities_max=cities_max)
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "peace": lambda m: m.recorder.latest("peace"),
                "positive_peace": lambda m: m.recorder.latest("positive_peace"),
                "negative_peace": lambda m: m.recorder.latest("negative_peace"),
                "cross_divide_trust": lambda m: m.recorder.latest("cross_divide_trust"),
                "projects_completed_development": lambda m: m.recorder.latest(
                    "projects_completed_development"
                ),
            }
        )
        self.running = True

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_scenario(
        cls, name: str, seed: int | None = 0, horizon: int | None = None, **kwargs: Any
    ) -> PeaceModel:
        """Build from a scenario name, e.g. ``PeaceModel.from_scenario("two_cities", seed=1)``."""
        return cls(scenario=name, seed=seed, horizon=horizon, **kwargs)

    @classmethod
    def from_config(cls, cfg: Any) -> PeaceModel:
        """Build from a composed Hydra config (``DictConfig`` or ``sim.config.Config``)."""
        from sim.config import model_kwargs

        return cls(**model_kwargs(cfg))

    def _build(self, case: Scenario) -> None:
        actors = case.actors
        is_city = (actors["type"] == "municipality").to_numpy()
        n = int(is_city.sum())
        if is_city[:n].all():  # cities come first already (the synthetic generator): no copy
            actors = actors.reset_index(drop=True)
        else:
            actors = pd.concat([actors[is_city], actors[~is_city]], ignore_index=True)
        a = len(actors)
        self.n_cities, self.n_actors = n, a
        self.actor_frame = actors
        ids = actors["id"].to_numpy(dtype=object)
        self.actor_index = {aid: i for i, aid in enumerate(ids)}
        self.country_index = {c: i for i, c in enumerate(case.countries)}
        self.community_index = {c: i for i, c in enumerate(case.communities)}
        k, n_comm = len(case.countries), max(len(case.communities), 1)
        country = pd.Categorical(actors["country"], categories=case.countries).codes.astype(
            np.int64
        )
        community = pd.Categorical(actors["community"], categories=case.communities).codes.astype(
            np.int64
        )
        kind = pd.Categorical(actors["type"], categories=ACTOR_TYPES).codes.astype(np.int64)

        def col(name: str, rows: slice = slice(None)) -> np.ndarray:
            return actors[name].to_numpy(dtype=np.float64)[rows].copy()

        city = slice(0, n)
        self.cities = CityArrays(
            D=col("direct_violence", city),
            S=col("structural_violence", city),
            C=col("cultural_violence", city),
            needs=col("needs", city),
            capacity=col("capacity", city),
            cohesion=col("cohesion", city),
            participation=np.clip(
                col("participation", city) * self.levers.participation_scale, 0.0, 1.0
            ),
            population=col("population", city),
            displaced=col("displaced", city),
            diversity=col("diversity", city),
            pressure=np.zeros(n),
            dependency=np.zeros(n),
            last_received=np.full((n, 3), _NEVER, dtype=np.int64),
            received=np.zeros((n, 3)),
        )
        self.actors = ActorArrays(
            ids=ids,
            type=kind,
            country=country,
            community=community,
            middle=(actors["level"] == "middle").to_numpy(),
            is_io=kind == ACTOR_TYPES.index("international_organisation"),
            resources=col("resources"),
            will=col("will"),
            mandate=np.stack([col(f"mandate_{p}") for p in PILLARS], axis=1),
            neutrality=col("neutrality"),
            conflict_sensitivity=col("conflict_sensitivity"),
            risk_tolerance=col("risk_tolerance"),
            sanction_exempt=actors["sanction_exempt"].to_numpy(dtype=bool),
        )
        self.city_community = community[:n]
        self.city_country = country[:n]
        self.n_communities, self.n_countries = n_comm, k

        divide = np.zeros((n_comm, n_comm), dtype=bool)
        for x, y in case.divides:
            i, j = self.community_index[x], self.community_index[y]
            divide[i, j] = divide[j, i] = True
        self.divide = divide
        self.permission = np.full((k, k), case.default_permission, dtype=np.int64)
        np.fill_diagonal(self.permission, gates.OPEN)
        for x, y, level in case.permissions:
            self.permission[self.country_index[x], self.country_index[y]] = level
        self.hostility = np.zeros((k, k))
        for x, y, value in case.hostility:
            i, j = self.country_index[x], self.country_index[y]
            self.hostility[i, j] = self.hostility[j, i] = value
        self.sanctioned = np.zeros(k, dtype=bool)
        for c in case.sanctioned:
            self.sanctioned[self.country_index[c]] = True

        ties = case.ties
        index = pd.Index(ids)
        src = index.get_indexer(ties["src"]).astype(np.int64)
        dst = index.get_indexer(ties["dst"]).astype(np.int64)
        ttype = pd.Categorical(ties["type"], categories=TIE_TYPES).codes.astype(np.int64)
        cs, cd = community[src], community[dst]
        cross = (cs >= 0) & (cd >= 0) & divide[np.maximum(cs, 0), np.maximum(cd, 0)]
        e = len(ties)
        self.ties = TieArrays(
            src=src,
            dst=dst,
            type=ttype,
            trust=ties["trust"].to_numpy(dtype=np.float64).copy(),
            memory=ties["memory"].to_numpy(dtype=np.float64).copy(),
            intensity=np.zeros(e),
            age=np.zeros(e, dtype=np.int64),
            cross_divide=cross,
            human_security=ties["human_security"].to_numpy(dtype=bool),
            active=np.ones(e, dtype=bool),
            carries=np.isin(ttype, _CARRYING),
            last_contact=np.full(e, _NEVER, dtype=np.int64),
            project=np.full(e, -1, dtype=np.int64),
        )
        self.tie_cross_border = country[src] != country[dst]
        self._gate_answer = self._gate_for = self._gate_key = None  # _gates' last answer
        # Actors that can offer anything: the sources of some tie (the tie set is fixed).
        self._providers = np.unique(src)
        self.tie_middle = self.actors.middle[src] & self.actors.middle[dst]
        self.tie_dst_city = dst < n
        self.tie_up = (
            (src < n)
            & np.isin(ttype, _UP)
            & ((kind[dst] == ACTOR_TYPES.index("national_government")) | self.actors.is_io[dst])
        )
        # Mediation triples: (party tie u->v, mediator tie m->u, mediator tie m->v).
        self._build_mediation(src, dst, ttype)
        self._build_programmes(case, index)
        self._build_alliances(case)
        self.projects = ProjectLog()
        self.tie_views = TieViews(self)
        self._city_in_community = np.flatnonzero(self.city_community >= 0)
        self._others_in_community = bool((self.actors.community[n:] >= 0).any())
        groups = self.city_community[self._city_in_community]
        count = np.bincount(groups, minlength=self.n_communities)
        others = self.actors.community[n:]
        self._context_groups = SimpleNamespace(
            all_cities=self._city_in_community.size == n,
            groups=groups,
            count=count,
            has=count > 0,
            member=others >= 0,
            community=np.maximum(others, 0),
        )
        self._build_agents(actors, n)
        self._month: dict[str, Any] = _MonthRecord()

    def _build_mediation(self, src: np.ndarray, dst: np.ndarray, ttype: np.ndarray) -> None:
        # Every mediator m with ties m->u and m->v (u != v), and a party tie u->v.
        med_ties = np.flatnonzero(ttype == _MEDIATION)
        party_ties = np.flatnonzero(ttype != _MEDIATION)
        mediator, party = src[med_ties], dst[med_ties]
        x, y = _inner_join(mediator, mediator)  # pairs of one mediator's ties
        keep = party[x] != party[y]
        x, y = x[keep], y[keep]
        n = self.n_actors
        pair, tie = _inner_join(party[x] * n + party[y], src[party_ties] * n + dst[party_ties])
        self.med_party = party_ties[tie]
        self.med_mu, self.med_mv = med_ties[x[pair]], med_ties[y[pair]]
        self.med_mediator = mediator[x[pair]]
        self.tie_mediated = np.zeros(len(src), dtype=bool)
        self.tie_mediated[self.med_party] = True

    def _build_programmes(self, case: Scenario, index: pd.Index) -> None:
        progs = case.programmes
        self.programme_ids = [p["id"] for p in progs]
        self.programme_index = {pid: i for i, pid in enumerate(self.programme_ids)}
        p = len(progs)
        self.prog_budget = np.array([q["budget"] for q in progs], dtype=np.float64)
        self.prog_start = np.array([q["start"] for q in progs], dtype=np.int64)
        self.prog_end = np.array([q["end"] for q in progs], dtype=np.int64)
        self.prog_funded = np.array([q["funded_at_start"] for q in progs], dtype=bool)
        self.prog_pillars = np.array(
            [[pl in q["pillars"] for pl in PILLARS] for q in progs], dtype=bool
        ).reshape(p, 3)
        self.prog_risk = np.array(
            [
                min(
                    (self.actors.risk_tolerance[self.actor_index[f]] for f in q["funders"]),
                    default=1.0,
                )
                for q in progs
            ],
            dtype=np.float64,
        )
        self.prog_alliance = np.array(
            [
                -1
                if q["alliance"] is None
                else [a["id"] for a in case.alliances].index(q["alliance"])
                for q in progs
            ],
            dtype=np.int64,
        )
        carrying = np.flatnonzero(self.ties.carries) if progs else np.zeros(0, dtype=np.int64)
        tie_of = {(int(self.ties.src[i]), int(self.ties.dst[i])): int(i) for i in carrying}
        rows_prog, rows_tie = [], []
        for i, q in enumerate(progs):
            pairs = (
                zip(q["providers"], q["recipients"], strict=True)
                if q["pairing"] == "one_to_one"
                else ((a, b) for a in q["providers"] for b in q["recipients"])
            )
            for a, b in pairs:
                key = (self.actor_index[a], self.actor_index[b])
                if key in tie_of:
                    rows_prog.append(i)
                    rows_tie.append(tie_of[key])
        self.prog_row_prog = np.array(rows_prog, dtype=np.int64)
        self.prog_row_tie = np.array(rows_tie, dtype=np.int64)
        # Fixed inputs of the monthly recipients' violence (funding.recipients_mean_violence).
        recipient = self.ties.dst[self.prog_row_tie]
        is_city = recipient < self.n_cities
        count = np.bincount(self.prog_row_prog[is_city], minlength=p)
        self._recipient_violence = SimpleNamespace(
            prog=self.prog_row_prog[is_city], city=recipient[is_city], count=count, has=count > 0
        )
        self._prog_allied = self.prog_alliance >= 0
        self._row_pillars = self.prog_pillars[self.prog_row_prog]  # each row's programme pillars
        self._any_allied = bool(self._prog_allied.any())
        self.prog_row_active = np.ones(len(rows_prog), dtype=bool)
        self.prog_recent_violence = np.zeros((max(self.params.funding.risk_window, 1), p))
        self.prog_status = np.zeros(p, dtype=np.int8)  # 0 idle, 1 paying, 2 refused

    def _build_alliances(self, case: Scenario) -> None:
        self.alliance_ids = [a["id"] for a in case.alliances]
        self.alliance_index = {aid: i for i, aid in enumerate(self.alliance_ids)}
        self.alliance_members = [
            np.array([self.actor_index[x] for x in a["members"]]) for a in case.alliances
        ]
        self.alliance_mediators = [
            np.array([self.actor_index[x] for x in a["mediators"]], dtype=np.int64)
            for a in case.alliances
        ]
        n_all = len(case.alliances)
        self.alliance_state = np.array([a["state"] for a in case.alliances], dtype=np.int64)
        self.alliance_progress = np.zeros(n_all)
        self.alliance_low = np.zeros(n_all, dtype=np.int64)
        self.alliance_withdrawn = np.zeros(n_all, dtype=bool)
        # Ties among the members of each alliance (for min trust and joint work).
        self.alliance_ties = []
        for members in self.alliance_members:
            mask = np.isin(self.ties.src, members) & np.isin(self.ties.dst, members)
            self.alliance_ties.append(np.flatnonzero(mask))

    def _build_agents(self, actors: pd.DataFrame, n: int) -> None:
        for kind, cls in AGENT_CLASSES.items():
            rows = np.flatnonzero((actors["type"] == kind).to_numpy())
            # One constructor call per agent (Mesa's Agent.__init__ registers each); a plain
            # loop, as create_agents' argument broadcasting and returned AgentSet cost a third
            # more at 10,000 cities.
            for row in rows.tolist():
                cls(self, row)

    def set_levers(self, levers: Mapping[str, Any]) -> Levers:
        """Change levers mid-run (a dated intervention): they act from the next month on.

        Validated like the constructor's levers; the change is logged as an ``intervention``
        event of the month it takes effect. Returns the levers now in force.
        """
        changes = dict(levers)
        new = resolve_levers(self.case, {**dataclasses.asdict(self.levers), **changes})
        if new.participation_scale != self.levers.participation_scale:
            # Participation is scaled once at build time; rescale from the scenario's values.
            base = self.actor_frame["participation"].to_numpy(dtype=np.float64)[: self.n_cities]
            self.cities.participation[:] = np.clip(base * new.participation_scale, 0.0, 1.0)
        detail = ", ".join(f"{k}={changes[k]}" for k in sorted(changes))
        self.levers = new
        self.events.note(self.t, "intervention", detail)
        return new

    # ------------------------------------------------------------------ helpers

    @property
    def start(self) -> int:
        return self.case.start

    def date_of(self, step: int) -> str:
        """The calendar month ('YYYY-MM') of a step."""
        return format_month(self.case.start + step)

    def context(self, city_values: np.ndarray, default: float) -> np.ndarray:
        """A per-actor view: cities their own value, others their community's mean (or default)."""
        n = self.n_cities
        out = np.empty(self.n_actors)
        out[:n] = city_values
        if not self._others_in_community:
            out[n:] = default
            return out
        # Communities and their members never change: the groups and counts are from _build.
        ctx = self._context_groups
        values = city_values if ctx.all_cities else city_values.take(self._city_in_community)
        total = np.bincount(ctx.groups, weights=values, minlength=self.n_communities)
        mean = np.empty(self.n_communities)
        mean.fill(default)
        np.divide(total, ctx.count, out=mean, where=ctx.has)
        out[n:] = np.where(ctx.member, mean.take(ctx.community), default)
        return out

    # ------------------------------------------------------------------ the month

    def step(self) -> None:
        """Advance one month, in the order of MODEL.md section 3."""
        if self.t >= self.horizon:
            self.running = False
            return
        t = self.t
        self.events.apply(t)  # 1. events
        self.tie_views.refresh(self)  # cached tie subsets follow any change to ties.active
        open_ = self._gates()  # 2. gates
        money = self._funding(t)  # 3. funding
        offer, accepted, declined = self._proposals(t, open_, money)  # 4. proposals
        successes, failures = self._delivery(t, open_, offer)  # 5. delivery and nexus
        self._trust(t, successes, failures)  # 6. trust and mediation
        self._galtung()  # 7. violence and peace
        self._lederach()  # 8. levels
        self._alliances(t)  # 9. alliances
        # Per-tie pillar arrays are (E, 3) views of pillar-major (3, E) storage.
        self._month.pop("delivered", None)  # last month's, if anyone read it
        self._month.update(
            offer=offer,
            accepted=accepted,
            declined=declined,
            open=open_.T,
            accepted_ties=self._accepted_ties,
            flows=self._accepted_flows,
        )
        self.recorder.record(t)  # 10. record
        self.datacollector.collect(self)
        self.t += 1
        if self.t >= self.horizon:
            self.running = False

    def run(self, months: int | None = None, progress: bool = False) -> PeaceModel:
        """Run ``months`` more months (default: to the horizon); returns self."""
        remaining = self.horizon - self.t if months is None else min(months, self.horizon - self.t)
        if remaining <= 0:
            return self
        if not progress:
            # Mesa's own clock: one step a time unit, with fewer scheduler round trips than
            # calling step() month by month.
            self.run_for(remaining)
            return self
        from tqdm.auto import tqdm

        for _ in tqdm(range(remaining), desc=f"{self.case.name}", unit="month"):
            self.step()
        return self

    def _gates(self) -> np.ndarray:
        """Pillar-major (3, E): may each tie carry each pillar this month (MODEL.md 5.1)."""
        views = self.tie_views
        # The rule, once per distinct (flags, src country, dst country) of the carrying ties.
        variant = views.gate_variant
        # It reads hostility only against the closing threshold: with that, the permissions,
        # the sanctions, the channel levers and the carrying ties as last month, so is the answer.
        key = (
            (self.hostility >= self.params.gates.hostility_close).tobytes(),
            self.permission.tobytes(),
            self.sanctioned.tobytes(),
            self.levers.io_channel,
            self.levers.direct_channel,
        )
        if self._gate_answer is not None and variant is self._gate_for and key == self._gate_key:
            return views.spread_channels(self._gate_answer)
        answer = gates.open_channels(
            views.gate_src,
            views.gate_dst,
            self.permission,
            self.sanctioned,
            self.hostility,
            (variant & 2) > 0,  # third channel
            (variant & 4) > 0,  # provider is an IO
            (variant & 1) > 0,  # human-security work
            hostility_close=self.params.gates.hostility_close,
            io_channel=self.levers.io_channel,
            direct_channel=self.levers.direct_channel,
        )
        if not self.params.switches.gates:  # null model: every channel open
            answer = np.ones_like(answer)
        self._gate_answer, self._gate_for, self._gate_key = answer, variant, key
        return views.spread_channels(answer)

    def _funding(self, t: int) -> np.ndarray:
        p = len(self.programme_ids)
        if p == 0:
            self._month["prog_active"] = np.zeros(0, dtype=bool)
            return np.zeros(0)
        if self.idle_shortcuts and t >= self.prog_end.max():
            # Every programme's window has closed for good (ends are fixed; events only switch
            # funding on and off): none pays or is refused, and the risk window is not read again.
            self._note_programme_status(t, np.zeros(p, dtype=np.int8))
            self._month["prog_active"] = np.zeros(p, dtype=bool)
            return np.zeros(p)
        # funding.recipients_mean_violence, with the fixed grouping precomputed in _build:
        # the same bincount over the same city rows in the same order.
        rv = self._recipient_violence
        total = np.bincount(rv.prog, weights=self.cities.D.take(rv.city), minlength=p)
        violence = np.zeros(p)
        np.divide(total, rv.count, out=violence, where=rv.has)
        # Newest month first: shift the rows down in place (np.roll's values, without a copy).
        recent_violence = self.prog_recent_violence
        recent_violence[1:] = recent_violence[:-1]
        recent_violence[0] = violence
        window = min(t + 1, recent_violence.shape[0])
        recent = recent_violence[:window].mean(axis=0)
        risk_ok = funding.risk_acceptable(recent, self.prog_risk)
        allied = self._prog_allied
        alliance_ok = ~allied
        if self._any_allied:
            alliance_ok = alliance_ok | (
                self.alliance_state[np.maximum(self.prog_alliance, 0)] == alliance_rules.ACTIVE
            )
        active, money = funding.programme_money(
            t,
            self.prog_start,
            self.prog_end,
            self.prog_funded,
            risk_ok,
            alliance_ok,
            self.prog_budget,
            self.levers.funding_scale,
        )
        running = (self.prog_start <= t) & (t < self.prog_end) & self.prog_funded & alliance_ok
        status = np.where(active, 1, np.where(running & ~risk_ok, 2, 0)).astype(np.int8)
        self._note_programme_status(t, status)
        self._month["prog_active"] = active
        self._month["risk_ok"] = risk_ok
        return money

    def _note_programme_status(self, t: int, status: np.ndarray) -> None:
        """Log refusals and resumptions once, when a programme's status changes."""
        for i in np.flatnonzero(status != self.prog_status):
            kind = {0: "programme_idle", 1: "grant_paid", 2: "grant_refused"}[int(status[i])]
            self.events.note(t, kind, f"programme={self.programme_ids[i]}")
        self.prog_status = status

    def _proposals(
        self, t: int, open_: np.ndarray, money: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(offer, accepted, declined); accepted ties deliver the share of their offer taken."""
        a, ties, prm, views = self.actors, self.ties, self.params.proposals, self.tie_views
        prm_g = self.params.gates
        # Each programme's own offer per (programme, tie) row, and the share of humanitarian
        # money sanctions let through per tie: read by the scoped series (sim.engine.scoped_series)
        # and to assign a new project to its programme.
        self._prog_split = self._hum_passage = None
        will = a.will.copy()
        will[self.n_cities :] = 1.0
        resources = a.resources * will
        idle = not money.any() and not resources.take(self._providers).any()
        if idle and self.idle_shortcuts:
            # Nothing to offer anywhere (no programme pays and no actor with a tie to offer on
            # holds resources of its own): every offer is zero, so no weight matters and nothing
            # is taken. The month's one uniform per tie is still drawn, as ever.
            self.rng.random(ties.src.size)
            return self._no_offers()
        need = np.take(self.context(self.cities.needs, 0.5), ties.dst)
        # Committed: recent contact (intensity) worth more than one full month's three months
        # ago, i.e. contact in the last three months; graded by the share of offers taken, so
        # a tie that took a sliver of each offer is not counted as fully committed.
        keep = 1.0 - self.params.trust.intensity_decay
        committed = ties.intensity > keep * keep * keep
        weight = proposals.tie_weights(
            ties.trust,
            np.maximum(need, 0.05),
            views.open_mandate(open_).T,  # zero on closed channels
            None,
            committed,
            prm.commit_share,
        )
        own = proposals.split_by_weight(resources, ties.src, weight)
        offer = own
        if money.size and self.prog_row_tie.size:
            rows = self.prog_row_active
            row_weight = (weight[self.prog_row_tie] * self._row_pillars) * rows[:, None]
            # Without any open, weighted tie a programme's money for that month is unspent.
            split = proposals.split_by_weight(money, self.prog_row_prog, row_weight)
            offer = own + group_sum(self.prog_row_tie, split, ties.src.size)
            self._prog_split = split
        if prm_g.sanction_friction and self.sanctioned.any() and self.params.switches.gates:
            # Sanctions let only part of direct humanitarian money through (not the third
            # channel's); what cannot pass stays with the provider, like money with no open tie.
            self._hum_passage = gates.sanction_passage(
                views.src_country,
                views.dst_country,
                self.sanctioned,
                views.third_src,
                ties.human_security,
                friction=prm_g.sanction_friction,
            )
            offer[:, HUM] *= self._hum_passage
        total = row_sum(offer)
        has_offer = total > 0
        # Acceptance matters only where there is an offer: evaluate it on those ties alone.
        # (take: a plain gather, about twice as fast as fancy indexing on these sizes.)
        bids = has_offer.nonzero()[0]
        # The recipient takes or refuses each part of an offer: the share taken has the
        # acceptance probability as its mean, and is steadier the more parts an offer has.
        # One uniform per tie, drawn for every tie as ever: the random stream does not depend
        # on who made an offer, and more money (a higher probability) never takes less.
        draw = self.rng.random(ties.src.size)
        parts = np.empty(bids.size, dtype=np.uint8 if prm.items < 255 else np.int64)
        mediation = self.levers.mediation

        def take_parts(rows: slice) -> None:
            # Elementwise per offer, so it runs block by block (sim.engine.blocks): gather, weigh,
            # decide, while a block's arrays are still in cache.
            bid = bids[rows]
            benefit = proposals.expected_benefit(total.take(bid), need.take(bid), prm.benefit_scale)
            prob = proposals.acceptance_probability(
                ties.trust.take(bid),
                benefit,
                self.hostility.take(views.pair.take(bid)),
                self.tie_mediated.take(bid) & mediation,
                a.will.take(ties.dst.take(bid)),
                ties.intensity.take(bid) if prm.beta_intensity else 0.0,
                beta0=prm.beta0,
                beta_trust=prm.beta_trust,
                beta_benefit=prm.beta_benefit,
                beta_hostility=prm.beta_hostility,
                beta_mediator=prm.beta_mediator,
                beta_will=prm.beta_will,
                beta_intensity=prm.beta_intensity,
            )
            parts[rows] = proposals.parts_taken(prob, draw.take(bid), prm.items)

        for_blocks(take_parts, bids.size)
        share = parts / prm.items
        took = parts > 0
        accepted = np.zeros(ties.src.size, dtype=bool)
        accepted[bids] = took
        # A month in which nothing of a tie's offer was taken is a declined offer. A tie with
        # some share taken delivers that share, and its trust counts the share as success and
        # contact (and the rest as refused, _trust).
        declined = has_offer & ~accepted
        self._accepted_ties = np.compress(took, bids)
        self._accepted_share = np.compress(took, share)
        # The same parts and shares over every tie (0 where nothing was taken or offered): the
        # trust and project rules read them densely, cheaper than scattering into each array.
        self._parts = np.zeros(ties.src.size, dtype=parts.dtype)
        self._parts.put(bids, parts)
        self._taken = self._parts / prm.items
        self._has_offer = has_offer
        return offer, accepted, declined

    def _no_offers(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """_proposals' results for a month without any offer (all zero, nothing taken)."""
        e = self.ties.src.size
        self._accepted_ties = np.zeros(0, dtype=np.intp)
        self._accepted_share = np.zeros(0)
        self._parts = np.zeros(e, dtype=np.uint8 if self.params.proposals.items < 255 else np.int64)
        self._taken = np.zeros(e)
        self._has_offer = np.zeros(e, dtype=bool)
        return np.zeros((3, e)).T, np.zeros(e, dtype=bool), np.zeros(e, dtype=bool)

    def _delivery(
        self, t: int, open_: np.ndarray, offer: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        c, ties, dp, views = self.cities, self.ties, self.params.delivery, self.tie_views
        n = self.n_cities
        # Only accepted ties deliver anything. Sums over them alone are the sums over all ties:
        # the others add exact zeros, and bincount adds each bin's terms in tie order either way.
        # Sums run over per-actor bins, of which the first n are the cities' (other recipients'
        # bins are dropped: each city keeps its own terms, in their order).
        acc = self._accepted_ties
        by_pillar = np.asarray(offer).T  # (3, E): gather along contiguous pillar rows
        if not acc.size and self.idle_shortcuts:
            return self._nothing_delivered(t, open_, by_pillar[DEV])
        n_actors = self.n_actors
        dst = ties.dst.take(acc)
        # (accepted, 3): what each delivered, the share of its offer the recipient took.
        flows = np.take(by_pillar, acc, axis=1).T * self._accepted_share[:, None]
        self._accepted_flows = flows  # the recorder's funds series read them too
        received = group_sum(dst, flows, n_actors)[:n]
        c.received = received
        np.putmask(c.last_received, received > 0, t)
        mult = nexus.nexus_multiplier(
            c.last_received, t, dp.nexus_window, dp.synergy, self.levers.coordination
        )
        pt = nexus.per_thousand(received, c.population[:, None])
        # Humanitarian aid: fast relief that fades, dependency without development.
        c.needs = nexus.humanitarian_relief(c.needs, pt[:, HUM], mult, dp.hum_effect, dp.hum_scale)
        c.dependency = nexus.dependency_update(
            c.dependency,
            pt[:, HUM],
            received[:, DEV],
            dp.dependency_gain,
            dp.dependency_decay,
            dp.hum_scale,
        )
        # Do no harm: insensitive aid into a mixed city strains cohesion.
        insens = group_sum(dst, row_sum(flows) * views.carefree.take(acc), n_actors)[:n]
        all_received = row_sum(received)
        insens = np.divide(insens, all_received, out=np.zeros(n), where=all_received > 0)
        c.cohesion = nexus.do_no_harm(
            c.cohesion, c.diversity, row_sum(pt), insens, dp.harm, dp.hum_scale
        )
        # Peace and relationship work, on the ties that carried some (trust changes only there).
        carried = flows[:, PEACE] > 0
        worked, worked_dst = acc.compress(carried), dst.compress(carried)
        mult_actor = np.ones(n_actors)  # the nexus multiplier of a city; 1 for anyone else
        mult_actor[:n] = mult
        before = ties.trust.take(worked)
        # The cultural half of peace_work is not used here: scalar zeros keep it to one value.
        after, _ = nexus.peace_work(
            before,
            0.0,
            flows[:, PEACE].compress(carried),
            0.0,
            mult_actor.take(worked_dst),
            1.0,
            trust_gain=dp.peace_trust,
            culture_gain=0.0,
            scale=dp.peace_scale,
        )
        ties.trust[worked] = after
        # And the tie half is not used here.
        _, c.C = nexus.peace_work(
            0.0,
            c.C,
            0.0,
            # Process matters for peace work too: the same participation factor as projects.
            pt[:, PEACE] * (0.5 + c.participation),
            1.0,
            mult,
            trust_gain=0.0,
            culture_gain=dp.peace_culture,
            scale=dp.peace_scale,
        )
        gained = (after - before) * views.middle_src.take(worked)
        spill = group_sum(worked_dst, gained, n_actors)[:n] * dp.middle_spill
        c.cohesion = np.clip(c.cohesion + np.minimum(spill, 1.0) * (1.0 - c.cohesion), 0.0, 1.0)
        successes, failures = self._projects(t, open_, by_pillar[DEV], mult)
        return successes, failures

    def _nothing_delivered(
        self, t: int, open_: np.ndarray, dev_offer: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """_delivery for a month in which no tie delivered anything.

        Each aid effect on needs, cohesion, culture and trust is then a factor of exactly 1 (or
        a term of exactly 0), so those steps are skipped; dependency still decays, and live
        projects still run (unfunded this month).
        """
        c, dp = self.cities, self.params.delivery
        self._accepted_flows = np.zeros((0, 3))
        received = np.zeros((self.n_cities, 3))
        c.received = received
        mult = nexus.nexus_multiplier(
            c.last_received, t, dp.nexus_window, dp.synergy, self.levers.coordination
        )
        c.dependency = nexus.dependency_update(
            c.dependency,
            received[:, HUM],
            received[:, DEV],
            dp.dependency_gain,
            dp.dependency_decay,
            dp.hum_scale,
        )
        return self._projects(t, open_, dev_offer, mult)

    def _projects(
        self,
        t: int,
        open_: np.ndarray,
        dev_offer: np.ndarray,
        mult: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Development projects: start, progress, interrupt, complete (MODEL.md 5.4)."""
        c, ties, log, dp = self.cities, self.ties, self.projects, self.params.delivery
        n, e = self.n_cities, ties.src.size
        # A project needs money, which only accepted ties receive: look at those alone.
        acc = self._accepted_ties
        funded = acc.compress(dev_offer.take(acc) >= max(dp.project_min, 1e-12))
        starting = funded.compress(ties.project.take(funded) < 0)
        if starting.size:
            duration = self.rng.integers(
                dp.duration_min, max(dp.duration_max, dp.duration_min) + 1, size=starting.size
            )
            prog = self._main_programme(starting)
            rows = log.append(
                tie=starting,
                provider=ties.src[starting],
                recipient=ties.dst[starting],
                programme=prog,
                io_channel=self.actors.is_io[ties.src[starting]],
                start=np.full(starting.size, t),
                duration=duration,
                progress=np.zeros(starting.size),
                spent=np.zeros(starting.size),
                status=np.full(starting.size, ACTIVE, dtype=np.int8),
            )
            ties.project[starting] = rows
        live_ties = (ties.project >= 0).nonzero()[0]
        if not live_ties.size and self.idle_shortcuts:  # nothing to progress or end
            self._month.update(
                started=0,
                completed=0,
                interrupted=0,
                completed_ties=live_ties,
                projects_active=0,
            )
            return np.zeros(e, dtype=bool), np.zeros(e, dtype=bool)
        rows = ties.project[live_ties]
        # Share of this month's development offer each live project's tie took (0 if none).
        taken = self._taken
        offered = dev_offer[live_ties]
        funded_share = np.where(offered > 0, taken[live_ties], 0.0)
        dev = offered * funded_share  # delivered this month
        # A month's work progresses in proportion to the share of its money that arrived; a
        # month in which none arrived is what exposes the project to the unfunded hazard.
        progress = log["progress"][rows] + funded_share / log["duration"][rows]
        log["progress"][rows] = progress  # (each row once: a tie has one live project at most)
        log["spent"][rows] += dev
        recipient = log["recipient"][rows]
        is_city = recipient < n
        rc = np.where(is_city, recipient, 0)
        d_here = np.where(is_city, c.D[rc], 0.0)
        part = np.where(is_city, c.participation[rc], 0.5)
        hazard = nexus.project_hazard(
            d_here,
            ~open_[DEV, live_ties],
            funded_share <= 0.0,
            part,
            base=dp.hazard_base,
            violence=dp.hazard_violence,
            gate=dp.hazard_gate,
            unfunded_h=dp.hazard_unfunded,
            low_participation=dp.hazard_participation,
        )
        fresh = log["start"][rows] == t
        draw = self.rng.random(rows.size)
        completed = progress >= 1.0 - 1e-9
        interrupted = ~completed & ~fresh & (draw < hazard)
        done_rows, broken_rows = rows[completed], rows[interrupted]
        log["status"][done_rows] = COMPLETED
        log["status"][broken_rows] = INTERRUPTED
        log["end"][done_rows] = t
        log["end"][broken_rows] = t
        ties.project[live_ties[completed | interrupted]] = -1
        # Completion raises capacity and lowers structural violence in the recipient city.
        ok = completed & is_city
        if ok.any():
            city = rc[ok]
            spent_pt = nexus.per_thousand(log["spent"][rows[ok]], c.population[city])
            cap = nexus.completion_gain(
                spent_pt, c.participation[city], mult[city], dp.capacity_gain
            )
            rel = nexus.completion_gain(
                spent_pt, c.participation[city], mult[city], dp.structural_relief
            )
            keep_cap = _exp_sparse(
                np.bincount(city, weights=np.log1p(-np.minimum(cap, 0.999)), minlength=n)
            )
            keep_s = _exp_sparse(
                np.bincount(city, weights=np.log1p(-np.minimum(rel, 0.999)), minlength=n)
            )
            c.capacity = 1.0 - (1.0 - c.capacity) * keep_cap
            c.S = c.S * keep_s
        # A tie has at most one live project, so each of these ties gets exactly one count.
        successes = np.zeros(e, dtype=bool)  # counts of 0 or 1
        failures = np.zeros(e, dtype=bool)
        successes[live_ties[completed]] = True
        failures[live_ties[interrupted]] = True
        n_completed, n_interrupted = int(completed.sum()), int(interrupted.sum())
        self._month.update(
            started=starting.size,
            completed=n_completed,
            interrupted=n_interrupted,
            completed_ties=live_ties[completed],
            # Every active project sits on exactly one tie (ties.project), so this is the
            # number of projects with status "active", without scanning the growing log.
            projects_active=live_ties.size - n_completed - n_interrupted,
        )
        return successes, failures

    def _main_programme(self, tie_rows: np.ndarray) -> np.ndarray:
        """The programme with the most development money on each tie this month (-1: none)."""
        best = np.full(self.ties.src.size, -1, dtype=np.int64)
        split = self._prog_split
        if split is not None:
            dev = split[:, DEV]
            order = np.argsort(dev, kind="stable")
            order = order[dev[order] > 0]  # ascending: the largest is written last and kept
            best[self.prog_row_tie[order]] = self.prog_row_prog[order]
        return best.take(tie_rows)

    def _trust(self, t: int, successes: np.ndarray, failures: np.ndarray) -> None:
        ties, tp, views = self.ties, self.params.trust, self.tie_views
        a = self.actors
        c_ctx = self.context(self.cities.C, 0.0)
        d_ctx = self.context(self.cities.D, 0.0)
        taken = self._taken  # share of the month's offer taken, per tie
        # trust * (1 - decline_cost * refused share): a declined offer is refused in full, a
        # partly taken one in part; a tie without an offer refuses nothing (a factor of
        # exactly 1).
        refused = np.subtract(1.0, taken)
        refused *= self._has_offer
        refused *= self.params.proposals.decline_cost
        np.subtract(1.0, refused, out=refused)
        trust_now = np.multiply(ties.trust, refused, out=refused)
        # Mediation first: a mediated party tie is in contact this month (meetings abroad).
        mediated = np.zeros(ties.src.size, dtype=bool)
        if self.levers.mediation and self.med_party.size:
            active = ties.active[self.med_mu] & ties.active[self.med_mv]
            trust_now, mediated = trust.mediation(
                trust_now,
                self.med_party,
                self.med_mu,
                self.med_mv,
                a.neutrality[self.med_mediator],
                active,
                threshold=tp.mediation_threshold,
                rate=tp.mediation_rate,
            )
        # Institutional ties (governance, membership, active mediation) are standing
        # relationships; only activity-carrying ties drift down without contact.
        standing = mediated | views.not_carrying
        if not self.levers.mediation:
            standing = standing & (ties.type != _MEDIATION)
        # A month in which a recipient took part of an offer is that share of a month of
        # contact, so the number of parts changes how steady trust is, not where it drifts.
        contact = np.maximum(standing, taken)
        # The drift floor matters only without full contact (update() ignores it elsewhere),
        # which with offers taken in parts is nearly every tie: evaluate it on all of them.
        floor = trust.baseline(
            c_ctx.take(ties.src),
            c_ctx.take(ties.dst),
            self.hostility.take(views.pair),
            tp.baseline,
        )
        # Successes: the share of the offer taken, plus one for a completed project (a project
        # completes at most once per tie). As codes into the few values they can take: parts
        # taken, plus items + 1 for a completion (levels: k / items, then k / items + 1).
        items = self.params.proposals.items
        counts = self._parts.astype(np.intp)
        counts[self._month["completed_ties"]] += items + 1
        counts = (counts, _success_levels(items))
        trust_now = trust.update(
            trust_now,
            ties.memory,
            counts,
            failures,
            contact,
            floor,
            success=tp.success,
            failure=tp.failure,
            decay=tp.decay,
        )
        # The violence shock multiplies other ties by exactly 1, and update() already kept them
        # in [0, 1]: shock and clip the cross-divide ties alone.
        cross = views.cross
        violence = np.maximum(d_ctx.take(views.cross_src), d_ctx.take(views.cross_dst))
        shocked = trust.violence_shock(
            trust_now.take(cross),
            ties.cross_divide.take(cross),
            violence,
            tp.violence_shock,
        )
        trust_now.put(cross, clip(shocked, 0.0, 1.0))
        ties.trust = trust_now
        ties.memory = trust.remember(ties.memory, ties.trust, successes > 0, tp.memory_gain)
        intensity = ties.intensity * (1.0 - tp.intensity_decay)
        intensity += taken
        ties.intensity = np.minimum(intensity, 1.0 / max(tp.intensity_decay, 1e-9), out=intensity)
        ties.last_contact[self._accepted_ties] = t
        ties.age += 1

    def _cross_trust_per_city(self) -> np.ndarray:
        ties, n, views = self.ties, self.n_cities, self.tie_views
        total = np.bincount(
            views.city_cross_ends, weights=ties.trust.take(views.city_cross_rows), minlength=n
        )
        count, has = views.city_cross_count, views.city_cross_has
        fallback = self.params.trust.baseline
        if views.city_cross_missing and views.cross_active.size:
            # Mean over both ends of every active cross tie, as a city would see them.
            vals = ties.trust[views.cross_active]
            fallback = float(np.concatenate([vals, vals]).mean())
        return np.divide(total, count, out=np.full(n, fallback), where=has)

    def _galtung(self) -> None:
        c, g = self.cities, self.params.galtung
        n = self.n_cities
        host = self.hostility.max(axis=1)[self.city_country] if self.n_countries else np.zeros(n)
        cross = self._cross_trust_per_city()
        share = c.displaced_share
        d_star, s_star, c_star = galtung.targets(
            c.D, c.S, c.C, c.needs, share, c.capacity, c.cohesion, c.pressure, host, cross, g
        )
        if g.noise > 0:
            # normal(0, s) is 0 + s * standard_normal() draw for draw; this skips its
            # broadcasting layer (a tenth of the draw's cost at 10,000 cities).
            noise = self.rng.standard_normal(size=(3, n))
            noise *= g.noise
        else:
            noise = np.zeros((3, n))
        c.D = galtung.relax(c.D, d_star, g.rate_D, noise[0])
        c.S = galtung.relax(c.S, s_star, g.rate_S, noise[1] * g.rate_S / max(g.rate_D, 1e-9))
        c.C = galtung.relax(c.C, c_star, g.rate_C, noise[2] * g.rate_C / max(g.rate_D, 1e-9))
        felt = nexus.felt_dependency(c.dependency, c.received[:, HUM])
        n_star = galtung.needs_target(c.D, c.S, share, felt, g)
        c.needs = galtung.relax(c.needs, n_star, g.rate_N, 0.0)
        c.capacity = galtung.capacity_decay(
            c.capacity, c.participation, g.capacity_decay, g.ownership
        )
        c.displaced = c.displaced * (1.0 - g.return_rate * (1.0 - c.D))
        c.cohesion = galtung.relax(
            c.cohesion, galtung.cohesion_target(cross, c.D, c.C, g), g.rate_cohesion, 0.0
        )
        self._month["cross_trust_city"] = cross
        self._month["hostility_city"] = host

    def _lederach(self) -> None:
        ties, lp, views = self.ties, self.params.lederach, self.tie_views
        k = self.n_countries
        # Cross-divide, cross-border, active ties by unordered country pair (cached subsets).
        total = np.bincount(
            views.lederach_pair, weights=ties.trust.take(views.lederach_ties), minlength=k * k
        ).reshape(k, k)
        total = total + total.T
        count = views.lederach_count
        mean = np.divide(total, count, out=np.zeros((k, k)), where=count > 0)
        self.hostility = lederach.spill_up(
            self.hostility, mean, count > 0, lp.spill_up, lp.spill_up_threshold
        )
        up = np.zeros(self.n_cities, dtype=bool)
        up_trust = ties.trust.take(views.up_ties)
        up[ties.src.take(views.up_ties.compress(up_trust >= lp.working_tie))] = True
        horizontal = views.horizontal_ties
        self._month["horizontal"] = lederach.horizontal_integration(
            ties.trust.take(horizontal),
            ties.cross_divide.take(horizontal),
            self.tie_middle.take(horizontal),
        )
        self._month["vertical"] = lederach.vertical_integration(
            up, self.cities.participation, lp.participation_min
        )

    def _alliances(self, t: int) -> None:
        n_all = len(self.alliance_ids)
        if n_all == 0:
            return
        ties, tp = self.ties, self.params.trust
        d_ctx = self.context(self.cities.D, 0.0)
        mediated = np.zeros(n_all, dtype=bool)
        side_violence = np.zeros(n_all)
        min_trust = np.zeros(n_all)
        for i in range(n_all):  # a few alliances, not agents
            members, mediators = self.alliance_members[i], self.alliance_mediators[i]
            side_violence[i] = float(d_ctx[members].max())
            inner = self.alliance_ties[i]
            inner = inner[ties.active[inner]]
            min_trust[i] = float(ties.trust[inner].min()) if inner.size else 0.0
            if self.levers.mediation and mediators.size:
                med = (
                    np.isin(ties.src, mediators)
                    & np.isin(ties.dst, members)
                    & (ties.type == _MEDIATION)
                    & ties.active
                    & (ties.trust > tp.mediation_threshold)
                )
                reached = np.unique(ties.dst[med])
                mediated[i] = reached.size == members.size
        linked = self.prog_alliance
        in_window = (self.prog_start <= t) & (t < self.prog_end) & self.prog_funded
        secured = np.zeros(n_all, dtype=bool)
        if linked.size:
            ok = in_window & self._month.get("risk_ok", np.ones(linked.size, dtype=bool))
            for i in np.unique(linked[(linked >= 0) & ok]):
                secured[i] = True
        before = self.alliance_state.copy()
        self.alliance_state, self.alliance_progress, self.alliance_low = alliance_rules.advance(
            self.alliance_state,
            self.alliance_progress,
            self.alliance_low,
            mediated,
            side_violence,
            min_trust,
            secured,
            self.alliance_withdrawn,
            self.params.alliances,
        )
        for i in np.flatnonzero(before != self.alliance_state):
            self.events.note(
                t,
                f"alliance_{alliance_rules.STATE_NAMES[self.alliance_state[i]]}",
                f"alliance={self.alliance_ids[i]}",
            )
        joint = self.params.alliances.joint_trust
        for i in np.flatnonzero(self.alliance_state == alliance_rules.ACTIVE):
            inner = self.alliance_ties[i]
            ties.trust[inner] += joint * (1.0 - ties.trust[inner])

    # ------------------------------------------------------------------ outputs

    def timeseries(self) -> pd.DataFrame:
        """Model-level monthly series (one row per simulated month)."""
        return self.recorder.timeseries()

    def city_frame(self) -> pd.DataFrame:
        """Agent-level rows for municipalities at the recording interval."""
        return self.recorder.cities()

    def events_frame(self) -> pd.DataFrame:
        """Applied scenario events and endogenous events (grants, alliance transitions)."""
        return pd.DataFrame(
            self.events.log,
            columns=["step", "date", "type", "detail", "source", "assumption", "origin"],
        )

    def activities_frame(self) -> pd.DataFrame:
        """The development project log."""
        log = self.projects
        frame = pd.DataFrame({k: v[: log.size] for k, v in log.columns.items()})
        ids = self.actors.ids
        frame["provider"] = ids[frame["provider"].to_numpy()] if log.size else []
        frame["recipient"] = ids[frame["recipient"].to_numpy()] if log.size else []
        frame["status"] = pd.Categorical.from_codes(
            frame["status"].astype(int), ["active", "completed", "interrupted"]
        )
        frame["pillar"] = "development"
        frame["channel"] = np.where(frame["io_channel"], "io", "direct")
        frame["start_date"] = [self.date_of(s) for s in frame["start"]]
        return frame.drop(columns=["io_channel", "programme"])

    def network(self) -> dict[str, np.ndarray]:
        """Ties as arrays (src, dst, type, trust, cross_divide) for plotting or networkx."""
        t = self.ties
        return {
            "src": t.src,
            "dst": t.dst,
            "type": t.type,
            "trust": t.trust,
            "cross_divide": t.cross_divide,
        }
