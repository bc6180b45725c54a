"""Mesa agents: the public face of the model's arrays.

Each agent owns one row. Its attributes are properties that read (and write) that row, so
``city.direct_violence`` is always the current value, while the rules update whole columns at
once without any Python loop over agents.

An agent's :meth:`ActorAgent.step` does nothing: the month's rules are vectorised over every
actor at once (``sim.engine.step``). A subclass that overrides ``step`` extends an actor's
behaviour; :class:`~sim.engine.model.PeaceModel` then calls every agent's ``step`` after each
month, in actor order (docs/extending.md). Agents cannot be removed: an actor is a row of
every array (ties, programmes, countries refer to it by position).
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np


class _Column:
    """A property bound to ``model.<table>.<column>[row]``."""

    def __init__(self, table: str, column: str, index: bool = True) -> None:
        self.table, self.column, self.index = table, column, index

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def _array(self, agent: ActorAgent) -> np.ndarray:
        return getattr(getattr(agent.model, self.table), self.column)

    def __get__(self, agent: ActorAgent | None, owner: type) -> Any:
        if agent is None:
            return self
        value = self._array(agent)[agent.row]
        return value.item() if isinstance(value, np.generic) else value

    def __set__(self, agent: ActorAgent, value: float) -> None:
        if self.index and not 0.0 <= float(value) <= 1.0:
            from sim.errors import ConfigError

            raise ConfigError(type(agent).__name__, self.name, value, "an index in [0, 1]")
        self._array(agent)[agent.row] = value


class ActorAgent(mesa.Agent):
    """Common face of every actor: id, type, country, community and resources."""

    def __init__(self, model: mesa.Model, row: int) -> None:
        super().__init__(model)
        self.row = int(row)

    @property
    def actor_id(self) -> str:
        return str(self.model.actors.ids[self.row])

    @property
    def country(self) -> str:
        return self.model.case.countries[self.model.actors.country[self.row]]

    @property
    def community(self) -> str | None:
        code = self.model.actors.community[self.row]
        return None if code < 0 else self.model.case.communities[code]

    resources = _Column("actors", "resources", index=False)
    will = _Column("actors", "will")
    neutrality = _Column("actors", "neutrality")

    def ties(self) -> dict[str, np.ndarray]:
        """This actor's outgoing and incoming ties: indices into ``model.ties``."""
        t = self.model.ties
        return {"out": np.flatnonzero(t.src == self.row), "in": np.flatnonzero(t.dst == self.row)}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.actor_id!r})"

    def step(self) -> None:
        """This actor's own behaviour after each month: nothing here (the month's rules are
        vectorised); override it in a subclass to extend an actor (docs/extending.md)."""

    def remove(self) -> None:
        """Refused: an actor is a row of the model's arrays, referred to by position."""
        raise NotImplementedError(
            f"{self!r}.remove(): citypeace actors cannot be removed from a running model (each "
            "is a row that ties, programmes and countries refer to); drop it from the scenario "
            "with a policy (drop_actors in policies.yaml) or end its role with an event "
            "(withdraw), see docs/scenario-format.md"
        )


class Municipality(ActorAgent):
    """A city: the middle range where Lederach puts municipal leaders (004:1924-2000)."""

    direct_violence = _Column("cities", "D")
    structural_violence = _Column("cities", "S")
    cultural_violence = _Column("cities", "C")
    needs = _Column("cities", "needs")
    capacity = _Column("cities", "capacity")
    cohesion = _Column("cities", "cohesion")
    participation = _Column("cities", "participation")
    population = _Column("cities", "population", index=False)
    displaced = _Column("cities", "displaced", index=False)

    @property
    def negative_peace(self) -> float:
        return 1.0 - self.direct_violence

    @property
    def positive_peace(self) -> float:
        return float(np.sqrt((1 - self.structural_violence) * (1 - self.cultural_violence)))

    @property
    def peace(self) -> float:
        return float(
            np.cbrt(
                (1 - self.direct_violence)
                * (1 - self.structural_violence)
                * (1 - self.cultural_violence)
            )
        )


class NationalGovernment(ActorAgent):
    """A national government: permission, hostility and sanctions live at this level."""

    @property
    def permission(self) -> dict[str, str]:
        """Permission level toward each other country."""
        from sim.scenario.loader import PERMISSIONS

        m = self.model
        row = m.permission[m.actors.country[self.row]]
        return {c: PERMISSIONS[row[i]] for i, c in enumerate(m.case.countries)}

    @property
    def hostility(self) -> dict[str, float]:
        m = self.model
        row = m.hostility[m.actors.country[self.row]]
        return {c: float(row[i]) for i, c in enumerate(m.case.countries)}

    @property
    def sanctioned(self) -> bool:
        return bool(self.model.sanctioned[self.model.actors.country[self.row]])


class NGO(ActorAgent):
    """A non-governmental organisation: grassroots or middle level."""


class InternationalOrganisation(ActorAgent):
    """A UN agency, city network, municipal association or donor."""

    risk_tolerance = _Column("actors", "risk_tolerance")

    @property
    def sanction_exempt(self) -> bool:
        return bool(self.model.actors.sanction_exempt[self.row])


AGENT_CLASSES: dict[str, type[ActorAgent]] = {
    "municipality": Municipality,
    "national_government": NationalGovernment,
    "ngo": NGO,
    "international_organisation": InternationalOrganisation,
}
