"""The state of a batch of replicates: structs of arrays with a leading replicate axis.

City arrays are (R, N), actor arrays (R, A), tie arrays (R, E), country tables (R, K, K),
programme arrays (R, P) and alliance arrays (R, nA); per-pillar arrays put the pillar first,
(3, R, N). Row r is replicate r's whole state, so a batch of one is a single run. Mesa agents
read and write row 0 (``sim.engine.agents``); the rules update whole arrays at once.
:meth:`State.initial` starts every replicate from the world's initial values; the project log
grows as projects start.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from sim.engine import windows
from sim.engine.coefficients import Coefficients
from sim.engine.world import World
from sim.rules import average, trust

# Project status codes in the activity log.
ACTIVE, COMPLETED, INTERRUPTED = 0, 1, 2
STATUS_NAMES = ("active", "completed", "interrupted")
NEVER = -(10**6)  # "long ago" for last-received steps


@dataclass
class Cities:
    """Per-municipality state, (R, N); indices are in [0, 1]."""

    D: np.ndarray
    S: np.ndarray
    C: np.ndarray
    needs: np.ndarray
    capacity: np.ndarray
    cohesion: np.ndarray
    participation: np.ndarray
    population: np.ndarray  # residents present
    displaced: np.ndarray  # displaced people from elsewhere that the city hosts
    fled: np.ndarray  # the city's own people who fled it and may return
    diversity: np.ndarray
    pressure: np.ndarray  # this month's exogenous violence pressure (events)
    last_received: np.ndarray  # (3, R, N) last step each pillar arrived, pillar first
    received: np.ndarray  # (3, R, N) money received this month, pillar first
    # (3 pillars, 3 horizons, R, N) effect stocks in EUR per inhabitant per year (rules.money)
    stock: np.ndarray
    # (5, R, N) what persists of the encoded D, S, C, needs and cohesion, in logits
    # (rules.galtung.anchors), set in the first month
    anchor: np.ndarray
    # the city's usual direct violence, a slow average of its own D from the encoded start
    # (rules.displacement.usual): people flee only violence above it
    usual_D: np.ndarray
    # D without the events: a second D that moves by D's own equation, speed and noise toward
    # the target without event pressure, from U_0 (ODD 7.7): hostility reads D above it
    calm_D: np.ndarray
    # the gap target capacity recovers toward, K* (rules.recovery.own_steady_state), solved in
    # the first month from each city's steady capacity (by default its encoded start)
    capacity_target: np.ndarray
    # where a city's steady state moves (sim.engine.steady_paths): 1 + dep / s_0 and 1 / s_0 at
    # the encoded cohesion and participation (rules.recovery.steady_rates), set in the first
    # month; 0 where there is no own recovery (the target is then 1) or no path
    steady_gain: np.ndarray
    steady_pace: np.ndarray
    # a city without a cross-divide tie of its own: its encoded cross-divide trust minus the
    # trust baseline at its encoded C and hostility, where its no-contact trust is anchored
    # (stages.violence.lonely_trust); unused for a city with such a tie
    lonely_start: np.ndarray

    @property
    def people(self) -> np.ndarray:
        """Everyone the city serves: residents and hosted displaced (the dose's population)."""
        return self.population + self.displaced

    @property
    def displaced_share(self) -> np.ndarray:
        return self.displaced / np.maximum(self.population + self.displaced, 1.0)


@dataclass
class ActorState:
    """Per-actor values that events or users can change, (R, A)."""

    resources: np.ndarray
    will: np.ndarray
    neutrality: np.ndarray
    risk_tolerance: np.ndarray


@dataclass
class Countries:
    """National permission levels and hostility (R, K, K) and sanctions (R, K)."""

    permission: np.ndarray
    hostility: np.ndarray  # the total H = B + violence_part (rules.lederach.split)
    sanctioned: np.ndarray
    # the part of H that violence across a divide holds up, fading when it ends (ODD 7.7)
    violence_part: np.ndarray


@dataclass
class TieState:
    """Per-tie state, (R, E)."""

    trust: np.ndarray
    memory: np.ndarray
    intensity: np.ndarray
    age: np.ndarray
    last_contact: np.ndarray
    active: np.ndarray  # bool: the tie acts this month (its and its actors' windows)
    stage: np.ndarray  # cooperation ladder stage, 0-3 (rules.ladder)
    benefit: np.ndarray  # mutual benefit: moving average of joint outcomes
    months_up: np.ndarray  # months in a row fit to climb a stage
    months_down: np.ndarray  # months in a row without mutual benefit
    # The encoded start that anchors the no-contact floor (rules.trust.floor): starting trust
    # and the baseline b0 (1 - mean C)(1 - hostility) at the encoded C and hostility.
    start_trust: np.ndarray
    start_baseline: np.ndarray
    # The delegates' (middle-range) trust, >= trust, the communities' (rules.delegates).
    delegates: np.ndarray


@dataclass
class Projects:
    """The live development project on each tie (at most one), (R, E); row -1: none."""

    row: np.ndarray  # its row in the project log
    progress: np.ndarray
    spent: np.ndarray
    duration: np.ndarray
    start: np.ndarray
    programme: np.ndarray
    committed: np.ndarray  # units a month its programme committed at approval (its first offer)


@dataclass
class Programmes:
    """Programme state: funded (R, P), active (programme, tie) rows, recent violence."""

    funded: np.ndarray
    row_active: np.ndarray  # (R, rows): a withdrawal or a handover ends a row
    recent_violence: np.ndarray  # (R, W, P), newest month first
    status: np.ndarray  # (R, P): 0 idle, 1 paying, 2 refused


@dataclass
class Alliances:
    """Alliance lifecycle state, (R, nA)."""

    state: np.ndarray
    progress: np.ndarray
    months_low: np.ndarray
    withdrawn: np.ndarray


def _rows(values: np.ndarray, r: int) -> np.ndarray:
    """``values`` repeated as the (R, ...) state of R replicates (a fresh copy)."""
    return np.repeat(np.asarray(values)[None], r, axis=0)


@dataclass
class State:
    """Everything that changes during a run, for R replicates (see the module docstring)."""

    cities: Cities
    actors: ActorState
    countries: Countries
    ties: TieState
    projects: Projects
    programmes: Programmes
    alliances: Alliances
    log: ProjectLog = field(default_factory=lambda: ProjectLog())

    @classmethod
    def initial(cls, world: World, co: Coefficients) -> State:
        """Every replicate at the scenario's initial values (participation scaled by its
        ``participation_scale`` lever)."""
        r, n, e, p = co.size, world.n_cities, world.n_ties, len(world.programme_ids)
        init = world.initial_cities
        values = {key: _rows(v, r) for key, v in init.items()}
        values["participation"] = np.clip(
            values["participation"] * co.levers.participation_scale, 0.0, 1.0
        )
        cities = Cities(
            **values,
            pressure=np.zeros((r, n)),
            last_received=np.full((3, r, n), NEVER, dtype=np.int64),
            received=np.zeros((3, r, n)),
            stock=np.zeros((3, 3, r, n)),
            anchor=np.zeros((5, r, n)),
            usual_D=values["D"].copy(),
            calm_D=values["D"].copy(),
            capacity_target=np.ones((r, n)),
            steady_gain=np.zeros((r, n)),
            steady_pace=np.zeros((r, n)),
            lonely_start=_lonely_start(world, co, r),
        )
        n_all = len(world.alliance_ids)
        window = int(co.funding.risk_window.max())
        return cls(
            cities=cities,
            actors=ActorState(**{k: _rows(v, r) for k, v in world.initial_actors.items()}),
            countries=Countries(
                **{k: _rows(v, r) for k, v in world.initial_countries.items()},
                violence_part=np.zeros((r, world.n_countries, world.n_countries)),
            ),
            ties=TieState(
                trust=_rows(world.initial_ties["trust"], r),
                memory=_rows(world.initial_ties["memory"], r),
                intensity=np.zeros((r, e)),
                age=np.zeros((r, e), dtype=np.int64),
                last_contact=np.full((r, e), NEVER, dtype=np.int64),
                active=_rows(windows.ties_active(world, 0), r),
                stage=np.zeros((r, e), dtype=np.int64),
                benefit=np.zeros((r, e)),
                months_up=np.zeros((r, e), dtype=np.int64),
                months_down=np.zeros((r, e), dtype=np.int64),
                start_trust=_rows(world.initial_ties["trust"], r),
                start_baseline=_start_baseline(world, co, r),
                delegates=_rows(world.initial_ties["trust"], r),
            ),
            projects=Projects(
                row=np.full((r, e), -1, dtype=np.int64),
                progress=np.zeros((r, e)),
                spent=np.zeros((r, e)),
                duration=np.ones((r, e), dtype=np.int64),
                start=np.zeros((r, e), dtype=np.int64),
                programme=np.full((r, e), -1, dtype=np.int64),
                committed=np.zeros((r, e)),
            ),
            programmes=Programmes(
                funded=_rows(world.prog_funded, r),
                row_active=_rows(world.initial_row_active, r),
                recent_violence=np.zeros((r, max(window, 1), p)),
                status=np.zeros((r, p), dtype=np.int8),
            ),
            alliances=Alliances(
                state=_rows(world.initial_alliance_state, r),
                progress=np.zeros((r, n_all)),
                months_low=np.zeros((r, n_all), dtype=np.int64),
                withdrawn=np.zeros((r, n_all), dtype=bool),
            ),
        )

    def arrays(self) -> dict[str, np.ndarray]:
        """Every (R, ...) float array of the state by ``group.name``: the finiteness check."""
        out = {}
        for group in (self.cities, self.actors, self.countries, self.ties, self.projects):
            for f in fields(group):
                value = getattr(group, f.name)
                if value.dtype.kind == "f":
                    out[f"{type(group).__name__}.{f.name}"] = value
        return out


def _start_baseline(world: World, co: Coefficients, r: int) -> np.ndarray:
    """(R, E) each tie's ``rules.trust.baseline`` at the encoded C and hostility."""
    cultural = world.context(_rows(world.initial_cities["C"], r), 0.0)
    hostility = _rows(world.initial_countries["hostility"].reshape(-1), r)
    t = world.ties
    return trust.baseline(
        np.take(cultural, t.src, axis=1),
        np.take(cultural, t.dst, axis=1),
        np.take(hostility, t.pair, axis=1),
        co.trust.baseline,
    )


def _lonely_start(world: World, co: Coefficients, r: int) -> np.ndarray:
    """(R, N) where a city without a cross-divide tie anchors its no-contact trust
    (``stages.violence.lonely_trust``): ``T0 - baseline_0``, ``T0`` the mean encoded trust of
    its world's cross-divide ties (in a union of worlds, ``sim.engine.union``, of its own
    block), or the trust baseline coefficient ``b0`` where none spans a divide (what such a
    city read before branch mediation3), and ``baseline_0`` the trust baseline at its encoded
    C and its country's highest encoded hostility."""
    n = world.n_cities
    b0 = np.broadcast_to(co.trust.baseline, (r, n))
    start = b0.copy()
    encoded = world.initial_ties["trust"]
    if world.blocks is None:
        if world.cross.size:
            start[:] = average(encoded[world.cross])
    else:  # each block's own ties, as in its world alone
        owner = world.blocks.tie_block[world.cross]
        for b in np.unique(owner).tolist():
            start[:, world.blocks.city_block == b] = average(encoded[world.cross[owner == b]])
    cultural = _rows(world.initial_cities["C"], r)
    hostility = np.zeros((r, n))
    if world.n_countries:
        highest = world.initial_countries["hostility"].max(axis=-1)
        hostility = _rows(highest[world.city_country], r)
    return start - trust.baseline(cultural, cultural, hostility, co.trust.baseline)


class ProjectLog:
    """Development projects of every replicate, appended as they start; grows by doubling."""

    SPEC = {
        "replicate": np.int64,
        "tie": np.int64,
        "provider": np.int64,
        "recipient": np.int64,
        "programme": np.int64,
        "io_channel": np.bool_,
        "start": np.int64,
        "end": np.int64,
        "duration": np.int64,
        "progress": np.float64,
        "spent": np.float64,
        "built": np.float64,
        "status": np.int8,
    }

    def __init__(self, capacity: int = 1024) -> None:
        self.size = 0
        self.columns = {k: np.zeros(capacity, dtype=t) for k, t in self.SPEC.items()}
        self.columns["end"][:] = -1

    def append(self, **values: np.ndarray) -> np.ndarray:
        """Append rows (all arrays of one length); returns their row indices."""
        n = len(next(iter(values.values())))
        capacity = self.columns["tie"].size
        if self.size + n > capacity:
            grown = max(capacity * 2, self.size + n)
            for key, col in self.columns.items():
                new = np.full(grown, -1 if key == "end" else 0, dtype=col.dtype)
                new[: self.size] = col[: self.size]
                self.columns[key] = new
        rows = np.arange(self.size, self.size + n)
        for key, val in values.items():
            self.columns[key][rows] = val
        self.size += n
        return rows

    def __getitem__(self, key: str) -> np.ndarray:
        return self.columns[key][: self.size]
