"""PeaceModel: the Mesa face of the engine, a batch of one replicate.

The state lives in a :class:`~sim.engine.batch.Batch` of one; the model's attributes
(``model.cities.D``, ``model.ties.trust``, ``model.hostility``, ...) are views of that
replicate's row, so reading them gives the current values and writing them changes the run.
Mesa agents (``sim.engine.agents``) read and write their own row the same way.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd

from sim.engine.agents import AGENT_CLASSES, ActorAgent
from sim.engine.batch import Batch
from sim.engine.collector import SeriesCollector
from sim.engine.inputs import load_case, model_params, resolve_levers
from sim.engine.month import Month
from sim.engine.params import Levers, ModelParams
from sim.engine.world import World
from sim.scenario.arguments import check_model_arguments
from sim.scenario.loader import Scenario
from sim.scenario.synthetic import SyntheticSpec


class RowView:
    """Replicate 0's row of some (R, ...) state arrays, next to fixed per-element arrays.

    ``view.name`` is ``state_group.name[0]`` (a view: writing it changes the run) when the
    state group has ``name``, else the fixed array itself.
    """

    def __init__(self, dynamic: Any, fixed: Any = None, **extra: np.ndarray) -> None:
        object.__setattr__(self, "_dynamic", dynamic)
        object.__setattr__(self, "_fixed", fixed)
        object.__setattr__(self, "_extra", extra)

    def __getattr__(self, name: str) -> Any:
        extra = object.__getattribute__(self, "_extra")
        if name in extra:
            return extra[name]
        dynamic = object.__getattribute__(self, "_dynamic")
        if hasattr(dynamic, name):
            return getattr(dynamic, name)[0]
        return getattr(object.__getattribute__(self, "_fixed"), name)

    def __setattr__(self, name: str, value: Any) -> None:
        getattr(self, name)[...] = value


class PeaceModel(mesa.Model):
    """Peacebuilding through city networks.

    One :meth:`step` is one calendar month. Build it from a scenario name (``two_cities``,
    ``tuzla``, ``map``, ``seoul_pyongyang`` or ``synthetic``), a :class:`Scenario`, or a Hydra
    config (:meth:`from_config`). The same scenario, parameters and seed give the same run,
    and the same outputs as that replicate gets inside any :class:`~sim.engine.ensemble.Ensemble`.

    Args:
        scenario: a scenario name, a scenario folder (``Path``), or a loaded :class:`Scenario`
            (which carries its policy: ``policy`` is then its own or the default).
        seed: seed of Mesa's ``model.rng``, from which the run spawns its three random
            streams (violence noise, offers, projects: ``sim.engine.random_streams``); the
            engine draws nothing from ``model.rng`` itself, so an agent's own draws from it
            leave the run's streams as they are.
        horizon: months to run (default: the scenario's own horizon), a loaded
            :class:`Scenario`'s too.
        policy: a counterfactual from the scenario's ``policies.yaml`` (or ``baseline``).
        params: :class:`ModelParams` or a nested mapping of overrides.
        levers: a mapping of lever values (or a full :class:`Levers`); what you set here wins
            over the policy's levers, which win over the scenario's, which win over the
            built-in defaults.
        synthetic: generator knobs when ``scenario == "synthetic"``.
        cities_every: record city-level rows every this many months (0 = never).
        cities_max: at most this many cities in the city-level record.
    """

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
        self.params: ModelParams = model_params(params)
        self.case = load_case(scenario, seed, horizon, policy, synthetic)
        self.levers: Levers = resolve_levers(self.case, levers)
        self.world = World(self.case)
        self.batch = Batch(
            self.world, [self.params], [self.levers], [self.rng], cities_every, cities_max
        )
        self.horizon = self.case.horizon
        self._build_agents()
        # Every model-level series, for mesa.batch_run and get_model_vars_dataframe().
        self.datacollector = SeriesCollector(self)
        # Agents whose class overrides step() act after each month (docs/extending.md).
        self._stepping = [a for a in self.agents if type(a).step is not ActorAgent.step]
        self.running = True

    @classmethod
    def from_scenario(
        cls, name: str, seed: int | None = 0, horizon: int | None = None, **kwargs: Any
    ) -> PeaceModel:
        """Build from a scenario name, e.g. ``PeaceModel.from_scenario("two_cities", seed=1)``."""
        return cls(scenario=name, seed=seed, horizon=horizon, **kwargs)

    @classmethod
    def from_config(cls, cfg: Any) -> PeaceModel:
        """Build from a composed Hydra config (``DictConfig`` or ``sim.cli.config.Config``)."""
        from sim.cli.config import model_kwargs

        return cls(**model_kwargs(cfg))

    # Actor type -> agent class; a subclass of PeaceModel may map a type to its own subclass
    # of that agent (docs/extending.md).
    agent_classes: Mapping[str, type[ActorAgent]] = AGENT_CLASSES

    def _build_agents(self) -> None:
        kinds = self.world.actor_frame["type"].to_numpy()
        for kind, cls in self.agent_classes.items():
            for row in np.flatnonzero(kinds == kind).tolist():
                cls(self, row)

    # ------------------------------------------------------------------ the run

    @property
    def t(self) -> int:
        """The month simulated next (step t is the scenario's start + t)."""
        return self.batch.t

    def step(self) -> None:
        """Advance one month, in the order of MODEL.md section 3."""
        if self.batch.t >= self.horizon:
            self.running = False
            return
        self.batch.step()
        for agent in self._stepping:  # actor order: no draw from the model's random stream
            agent.step()
        self.datacollector.collect(self)
        if self.batch.t >= self.horizon:
            self.running = False

    def run(self, months: int | None = None, progress: bool = False) -> PeaceModel:
        """Run ``months`` more months (default: to the horizon); returns self."""
        remaining = self.horizon - self.t if months is None else min(months, self.horizon - self.t)
        if remaining <= 0:
            return self
        if not progress:
            self.run_for(remaining)  # Mesa's own clock: one step a time unit
            return self
        from tqdm.auto import tqdm

        for _ in tqdm(range(remaining), desc=f"{self.case.name}", unit="month"):
            self.step()
        return self

    def set_levers(self, levers: Mapping[str, Any]) -> Levers:
        """Change levers from the next month on; returns the levers now in force.

        Values are checked like the constructor's (ConfigError on an unknown lever or a value
        out of range, and nothing changes). The change is logged as an ``intervention`` event
        dated at the next month. ``participation_scale`` rescales the scenario's initial
        participation of every city.
        """
        chosen = {k: v for k, v in dict(levers).items() if v is not None}
        resolved = resolve_levers(self.case, {**dataclasses.asdict(self.levers), **chosen})
        before = self.levers
        self.levers = resolved
        self.batch.co.set_levers(0, resolved)
        if resolved.participation_scale != before.participation_scale:
            base = self.world.initial_cities["participation"]
            self.batch.state.cities.participation[0] = np.clip(
                base * resolved.participation_scale, 0.0, 1.0
            )
        detail = ", ".join(f"{k}={v}" for k, v in sorted(chosen.items()))
        self.batch.log.add(0, self.t, "intervention", detail, "user")
        return resolved

    # ------------------------------------------------------------------ views of the state

    @property
    def start(self) -> int:
        return self.case.start

    def date_of(self, step: int) -> str:
        """The calendar month ('YYYY-MM') of a step."""
        return self.world.date_of(step)

    @property
    def recorder(self) -> Any:
        return self.batch.recorder

    @property
    def month(self) -> Month | None:
        """The last month's intermediate arrays (replicate axis first; None before a step, and
        while one runs: a step drops the last month's before it computes the next)."""
        return self.batch.month

    @property
    def cities(self) -> RowView:
        c = self.batch.state.cities
        # Per-pillar arrays as (N, 3): a city's row holds its three pillars.
        return RowView(c, received=c.received[:, 0].T, last_received=c.last_received[:, 0].T)

    @property
    def actors(self) -> RowView:
        return RowView(self.batch.state.actors, self.world.actors)

    @property
    def ties(self) -> RowView:
        world, state = self.world, self.batch.state
        return RowView(state.ties, world.ties, project=state.projects.row[0])

    @property
    def permission(self) -> np.ndarray:
        return self.batch.state.countries.permission[0]

    @property
    def hostility(self) -> np.ndarray:
        return self.batch.state.countries.hostility[0]

    @property
    def sanctioned(self) -> np.ndarray:
        return self.batch.state.countries.sanctioned[0]

    @property
    def prog_funded(self) -> np.ndarray:
        return self.batch.state.programmes.funded[0]

    @property
    def prog_row_active(self) -> np.ndarray:
        return self.batch.state.programmes.row_active[0]

    @property
    def alliance_state(self) -> np.ndarray:
        return self.batch.state.alliances.state[0]

    @property
    def alliance_progress(self) -> np.ndarray:
        return self.batch.state.alliances.progress[0]

    def __getattr__(self, name: str) -> Any:
        # The world's fixed structure: n_cities, actor_index, programme_ids, actor_frame, ...
        if name.startswith("__") or name in ("world", "batch"):
            raise AttributeError(name)
        world = self.__dict__.get("world")
        if world is not None and hasattr(world, name):
            return getattr(world, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    # ------------------------------------------------------------------ outputs

    def timeseries(self) -> pd.DataFrame:
        """Model-level monthly series (one row per simulated month)."""
        return self.batch.outputs().timeseries(0)

    def series(self) -> pd.DataFrame:
        """The model-level series, long: date, variable, entity, value (docs/outputs.md)."""
        return self.batch.outputs().series(0)

    def city_frame(self) -> pd.DataFrame:
        """Agent-level rows for municipalities at the recording interval."""
        return self.batch.outputs().cities(0)

    def events_frame(self) -> pd.DataFrame:
        """Applied scenario events and endogenous events (grants, alliance transitions)."""
        return self.batch.outputs().events_frame(0)

    def activities_frame(self) -> pd.DataFrame:
        """The development project log."""
        return self.batch.outputs().activities(0)

    def horizons_frame(self) -> pd.DataFrame:
        """Outcomes 2, 10 and 20 years after the reference date and each programme's start
        (Lederach's crisis, design and vision horizons; ``sim.engine.horizons``)."""
        from sim.engine.horizons import anchors, horizon_table

        return horizon_table(self.timeseries(), anchors(self.world), self.case.start)

    def network(self) -> dict[str, np.ndarray]:
        """Ties as arrays (src, dst, type, trust, cross_divide) for plotting or networkx."""
        t = self.world.ties
        return {
            "src": t.src,
            "dst": t.dst,
            "type": t.type,
            "trust": self.batch.state.ties.trust[0],
            "cross_divide": t.cross_divide,
        }
