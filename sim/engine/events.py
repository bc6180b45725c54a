"""The events engine: a scenario's timeline, month by month (MODEL.md 3 step 1, 7).

Events change conditions only (pressure, permissions, funds, hostility, leadership, membership,
who provides a programme, needs and capacity hit by a disaster, people who flee or return);
outcomes still emerge from the rules. A timeline is part of the compiled world, so every
replicate of a batch gets the same events; the values they set act on each replicate's own
state. :class:`EventLog` keeps the applied events and the model's own notes (grants refused,
alliance transitions, interventions) per replicate, for ``events.parquet``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

from sim.engine import windows
from sim.engine.coefficients import Coefficients
from sim.engine.stages.trust import no_contact_floor
from sim.engine.state import State
from sim.engine.world import World
from sim.rules import alliances as alliance_rules
from sim.rules import delegates


class EventLog:
    """Logged events: scenario events (every replicate) and notes of single replicates."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.rows: list[tuple[int, dict[str, Any]]] = []  # (replicate or -1 for all, row)

    def add(
        self, replicate: int, step: int, kind: str, detail: str, origin: str, ev: Any = None
    ) -> None:
        self.rows.append(
            (
                replicate,
                {
                    "step": step,
                    "date": self.world.date_of(step),
                    "type": kind,
                    "detail": detail,
                    "source": (ev or {}).get("source") or "",
                    "assumption": (ev or {}).get("assumption") or "",
                    "origin": origin,
                },
            )
        )

    def note(self, replicates: np.ndarray, step: int, kinds: list[str], details: list[str]) -> None:
        """Endogenous events of the given replicates (a refused grant, an alliance transition)."""
        for r, kind, detail in zip(replicates.tolist(), kinds, details, strict=True):
            self.add(r, step, kind, detail, "model")


class EventsEngine:
    """Indexes a world's events by month and applies them to a batch's state.

    It also keeps the world as it stands this month (:meth:`apply` returns it): the ties of
    inactive actors, and ties outside their own window, are left out of it (``windows.restricted``),
    and :meth:`settle` puts back their trust and memory after the month, so an inactive tie
    neither acts nor changes.
    """

    def __init__(self, world: World, log: EventLog) -> None:
        self.world, self.log = world, log
        self.view = world
        self.windowed = windows.windowed(world)
        self.changes = windows.changes(world) if self.windowed else set()
        self.inactive = np.zeros(0, dtype=np.int64)
        self.held: tuple[np.ndarray, np.ndarray] | None = None
        self.by_step: dict[int, list[dict[str, Any]]] = defaultdict(list)
        self.violence: list[tuple[int, int, np.ndarray, float]] = []
        # Handover plans by event (the world keys them by the event's position).
        self.handovers = {id(world.case.events[k]): plan for k, plan in world.handovers.items()}
        for ev in world.case.events:
            if ev["type"] == "violence":
                self.violence.append(
                    (ev["step"], ev["end_step"], self._cities(ev["targets"]), ev["pressure"])
                )
            self.by_step[ev["step"]].append(ev)

    def _cities(self, targets: dict[str, Any]) -> np.ndarray:
        w = self.world
        n = w.n_cities
        if "community" in targets:
            return np.flatnonzero(w.city_community == w.community_index[targets["community"]])
        if "country" in targets:
            return np.flatnonzero(w.city_country == w.country_index[targets["country"]])
        rows = np.array([w.actor_index[a] for a in targets["actors"]], dtype=np.int64)
        return rows[rows < n]

    def apply(self, step: int, state: State, co: Coefficients) -> World:
        """Apply this month's events and set this month's violence pressure; returns the world
        as it stands this month (only its active ties)."""
        if step in self.changes or (step == 0 and self.windowed):
            active = windows.ties_active(self.world, step)
            state.ties.active[...] = active
            self.view = windows.restricted(self.world, active)
            self.inactive = np.flatnonzero(~active)
        # Inactive ties keep their trust (both levels) and memory through the month (``settle``).
        if self.inactive.size:
            ties = state.ties
            held = (ties.trust, ties.memory, ties.delegates)
            self.held = tuple(values[:, self.inactive] for values in held)
        pressure = np.zeros_like(state.cities.pressure)
        for first, last, rows, value in self.violence:
            if first <= step <= last:
                pressure[:, rows] += value
        state.cities.pressure = pressure
        for ev in self.by_step.get(step, ()):
            getattr(self, f"_{ev['type']}")(ev, state, co)
            self.log.add(-1, step, ev["type"], _detail(ev), "scenario", ev)
        return self.view

    def settle(self, state: State) -> None:
        """After the month: inactive ties get back the trust (both levels) and memory they had
        before it."""
        if self.held is not None:
            ties = state.ties
            levels = (ties.trust, ties.memory, ties.delegates)
            for values, kept in zip(levels, self.held, strict=True):
                values[:, self.inactive] = kept
            self.held = None

    # One handler per event type ------------------------------------------------------------

    def _violence(self, ev: dict[str, Any], state: State, co: Coefficients) -> None:
        """Pressure is applied each month of its range in :meth:`apply`."""

    def _refugee_influx(self, ev: dict[str, Any], state: State, co: Coefficients) -> None:
        row = self.world.actor_index[ev["actor"]]
        if row < self.world.n_cities:
            state.cities.displaced[:, row] += ev["people"]

    def _permission(self, ev: dict[str, Any], state: State, co: Coefficients) -> None:
        w = self.world
        a, b = w.country_index[ev["from"]], w.country_index[ev["to"]]
        state.countries.permission[:, a, b] = ev["level"]
        if ev["both_ways"]:
            state.countries.permission[:, b, a] = ev["level"]

    def _sanctions(self, ev: dict[str, Any], state: State, co: Coefficients) -> None:
        state.countries.sanctioned[:, self.world.country_index[ev["country"]]] = ev["active"]

    def _funding_start(self, ev: dict[str, Any], state: State, co: Coefficients) -> None:
        state.programmes.funded[:, self.world.programme_index[ev["programme"]]] = True

    def _funding_end(self, ev: dict[str, Any], state: State, co: Coefficients) -> None:
        state.programmes.funded[:, self.world.programme_index[ev["programme"]]] = False

    def _withdraw(self, ev: dict[str, Any], state: State, co: Coefficients) -> None:
        w = self.world
        actor = w.actor_index[ev["actor"]]
        if "alliance" in ev:
            state.alliances.withdrawn[:, w.alliance_index[ev["alliance"]]] = True
        else:
            ties = w.row_tie
            leaving = (w.row_prog == w.programme_index[ev["programme"]]) & (
                (w.ties.src[ties] == actor) | (w.ties.dst[ties] == actor)
            )
            state.programmes.row_active &= ~leaving

    def _summit(self, ev: dict[str, Any], state: State, co: Coefficients) -> None:
        w, hostility = self.world, state.countries.hostility
        a, b = w.country_index[ev["a"]], w.country_index[ev["b"]]
        for i, j in ((a, b), (b, a)):
            hostility[:, i, j] = np.clip(hostility[:, i, j] + ev["delta"], 0.0, 1.0)

    def _leadership_change(self, ev: dict[str, Any], state: State, co: Coefficients) -> None:
        w, ties = self.world, state.ties
        actor = w.actor_index[ev["actor"]]
        state.actors.will[:, actor] = ev["will"]
        # A new leadership keeps part of what its predecessor built (001:4736-4745), not
        # less than the tie's no-contact floor: what culture and states allow, and its memory,
        # are not the predecessor's to take away.
        mine = (w.ties.src == actor) | (w.ties.dst == actor)
        low = np.minimum(no_contact_floor(w, state, co), ties.trust)
        kept = low + co.trust.leadership_survival * (ties.trust - low)
        # Its delegates keep the same share of what they built beyond their communities.
        envoys = delegates.leadership_kept(
            ties.delegates, ties.trust, kept, co.trust.leadership_survival
        )
        ties.delegates = np.where(mine, envoys, ties.delegates)
        ties.trust = np.where(mine, kept, ties.trust)

    def _handover(self, ev: dict[str, Any], state: State, co: Coefficients) -> None:
        """The provider's rows of the programme end and the successor's start (where the
        provider's row still ran); a successor tie the handover created takes the provider
        tie's trust, memory and contact; the programme's live projects move with the rows."""
        plan, ties = self.handovers[id(ev)], state.ties
        rows = state.programmes.row_active
        rows[:, plan.new_rows] = rows[:, plan.old_rows]
        rows[:, plan.old_rows] = False
        new, old = plan.new_ties[plan.created], plan.old_ties[plan.created]
        for name in ("trust", "memory", "intensity", "last_contact", "delegates"):
            values = getattr(ties, name)
            values[:, new] = values[:, old]
        self._move_projects(plan, state)

    def _move_projects(self, plan: Any, state: State) -> None:
        """Live projects of the programme on the provider's ties continue on the successor's
        (where the successor's tie has no live project of its own)."""
        pj, old, new = state.projects, plan.old_ties, plan.new_ties
        moving = (
            (pj.row[:, old] >= 0) & (pj.programme[:, old] == plan.programme) & (pj.row[:, new] < 0)
        )
        if not moving.any():
            return
        idle = {
            "row": -1,
            "progress": 0.0,
            "spent": 0.0,
            "duration": 1,
            "start": 0,
            "programme": -1,
            "committed": 0.0,
        }
        moved_rows = pj.row[:, old][moving]
        for name, empty in idle.items():
            values = getattr(pj, name)
            values[:, new] = np.where(moving, values[:, old], values[:, new])
            values[:, old] = np.where(moving, empty, values[:, old])
        # The log follows the project to its new tie and provider.
        r, k = np.nonzero(moving)
        state.log.columns["tie"][moved_rows] = new[k]
        state.log.columns["provider"][moved_rows] = plan.successor

    def _disaster(self, ev: dict[str, Any], state: State, co: Coefficients) -> None:
        """A needs shock (a share of the gap to full need) and a share of capacity destroyed;
        both then move at the rules' own pace."""
        c, rows = state.cities, self._cities(ev["targets"])
        c.needs[:, rows] += ev["needs_shock"] * (1.0 - c.needs[:, rows])
        c.capacity[:, rows] *= 1.0 - ev["capacity_loss"]

    def _displacement(self, ev: dict[str, Any], state: State, co: Coefficients) -> None:
        """A share of the residents flees: population -> fled."""
        c, rows = state.cities, self._cities(ev["targets"])
        moved = ev["share"] * c.population[:, rows]
        c.population[:, rows] -= moved
        c.fled[:, rows] += moved

    def _return(self, ev: dict[str, Any], state: State, co: Coefficients) -> None:
        """A share of those who fled comes back: fled -> population."""
        c, rows = state.cities, self._cities(ev["targets"])
        moved = ev["share"] * c.fled[:, rows]
        c.fled[:, rows] -= moved
        c.population[:, rows] += moved

    def _deaths(self, ev: dict[str, Any], state: State, co: Coefficients) -> None:
        """A share of the residents dies: population falls and, unlike flight, nobody returns
        (famine or war deaths that a scenario takes from published counts)."""
        c, rows = state.cities, self._cities(ev["targets"])
        c.population[:, rows] *= 1.0 - ev["share"]

    def _convene_alliance(self, ev: dict[str, Any], state: State, co: Coefficients) -> None:
        column = state.alliances.state[:, self.world.alliance_index[ev["alliance"]]]
        column[column == alliance_rules.PROPOSED] = alliance_rules.NEGOTIATING


def _detail(ev: dict[str, Any]) -> str:
    skip = {"type", "step", "date", "source", "assumption", "end_step", "id", "passes", "created"}
    return ", ".join(f"{k}={v}" for k, v in ev.items() if k not in skip and v is not None)
