"""The events engine: apply a scenario's timeline month by month (MODEL.md 3 step 1, 7).

Events change conditions only (pressure, permissions, funds, hostility, leadership, membership);
outcomes still emerge from the rules. Each applied event is logged for ``events.parquet``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.rules import alliances as alliance_rules

if TYPE_CHECKING:
    from sim.engine.model import PeaceModel


class EventsEngine:
    """Indexes events by month and applies them to a model's arrays."""

    def __init__(self, model: PeaceModel, events: list[dict[str, Any]]) -> None:
        self.model = model
        self.by_step: dict[int, list[dict[str, Any]]] = defaultdict(list)
        self.violence: list[tuple[int, int, np.ndarray, float]] = []
        for ev in events:
            if ev["type"] == "violence":
                self.violence.append(
                    (ev["step"], ev["end_step"], self._cities(ev["targets"]), ev["pressure"])
                )
            self.by_step[ev["step"]].append(ev)
        self.log: list[dict[str, Any]] = []

    def _cities(self, targets: dict[str, Any]) -> np.ndarray:
        m = self.model
        n = m.n_cities
        if "community" in targets:
            return np.flatnonzero(m.actors.community[:n] == m.community_index[targets["community"]])
        if "country" in targets:
            return np.flatnonzero(m.actors.country[:n] == m.country_index[targets["country"]])
        rows = np.array([m.actor_index[a] for a in targets["actors"]])
        return rows[rows < n]

    def apply(self, step: int) -> None:
        """Apply this month's events and set this month's violence pressure."""
        m = self.model
        pressure = m.cities.pressure
        pressure[:] = 0.0
        for first, last, rows, value in self.violence:
            if first <= step <= last:
                pressure[rows] += value
        for ev in self.by_step.get(step, ()):
            getattr(self, f"_{ev['type']}")(ev)
            self.log.append(
                {
                    "step": step,
                    "date": m.date_of(step),
                    "type": ev["type"],
                    "detail": _detail(ev),
                    "source": ev.get("source") or "",
                    "assumption": ev.get("assumption") or "",
                    "origin": "scenario",
                }
            )

    def note(self, step: int, kind: str, detail: str) -> None:
        """Log an endogenous event (a refused grant, an alliance transition)."""
        self.log.append(
            {
                "step": step,
                "date": self.model.date_of(step),
                "type": kind,
                "detail": detail,
                "source": "",
                "assumption": "",
                "origin": "model",
            }
        )

    # One handler per event type ------------------------------------------------------------

    def _violence(self, ev: dict[str, Any]) -> None:
        """Pressure is applied each month of its range in :meth:`apply`."""

    def _refugee_influx(self, ev: dict[str, Any]) -> None:
        row = self.model.actor_index[ev["actor"]]
        if row < self.model.n_cities:
            self.model.cities.displaced[row] += ev["people"]

    def _permission(self, ev: dict[str, Any]) -> None:
        m = self.model
        a, b = m.country_index[ev["from"]], m.country_index[ev["to"]]
        m.permission[a, b] = ev["level"]
        if ev["both_ways"]:
            m.permission[b, a] = ev["level"]

    def _sanctions(self, ev: dict[str, Any]) -> None:
        self.model.sanctioned[self.model.country_index[ev["country"]]] = ev["active"]

    def _funding_start(self, ev: dict[str, Any]) -> None:
        self.model.prog_funded[self.model.programme_index[ev["programme"]]] = True

    def _funding_end(self, ev: dict[str, Any]) -> None:
        self.model.prog_funded[self.model.programme_index[ev["programme"]]] = False

    def _withdraw(self, ev: dict[str, Any]) -> None:
        m = self.model
        actor = m.actor_index[ev["actor"]]
        if "alliance" in ev:
            a = m.alliance_index[ev["alliance"]]
            m.alliance_withdrawn[a] = True
        else:
            p = m.programme_index[ev["programme"]]
            ties = m.prog_row_tie
            leaving = (m.prog_row_prog == p) & (
                (m.ties.src[ties] == actor) | (m.ties.dst[ties] == actor)
            )
            m.prog_row_active &= ~leaving

    def _summit(self, ev: dict[str, Any]) -> None:
        m = self.model
        a, b = m.country_index[ev["a"]], m.country_index[ev["b"]]
        for i, j in ((a, b), (b, a)):
            m.hostility[i, j] = np.clip(m.hostility[i, j] + ev["delta"], 0.0, 1.0)

    def _leadership_change(self, ev: dict[str, Any]) -> None:
        m = self.model
        actor = m.actor_index[ev["actor"]]
        m.actors.will[actor] = ev["will"]
        # A new leadership keeps part of what its predecessor built (001:4736-4745).
        mine = (m.ties.src == actor) | (m.ties.dst == actor)
        survive = m.params.trust.leadership_survival
        m.ties.trust[mine] = m.ties.memory[mine] + survive * (
            m.ties.trust[mine] - m.ties.memory[mine]
        )

    def _convene_alliance(self, ev: dict[str, Any]) -> None:
        m = self.model
        a = m.alliance_index[ev["alliance"]]
        if m.alliance_state[a] == alliance_rules.PROPOSED:
            m.alliance_state[a] = alliance_rules.NEGOTIATING


def _detail(ev: dict[str, Any]) -> str:
    skip = {"type", "step", "date", "source", "assumption", "end_step", "id"}
    return ", ".join(f"{k}={v}" for k, v in ev.items() if k not in skip and v is not None)
