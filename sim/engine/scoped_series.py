"""Series that a scenario's patterns ask for by name, recorded only when asked for.

The standing series (``sim.engine.observe``) are model-wide. A pattern can also read one tie,
one programme or one tie type, with these column names (docs/scenario-format.md):

- ``trust@<a>-><b>``: the mean trust of the ties from actor ``a`` to actor ``b`` (every type,
  active or not: the trust a tie holds);
- ``trust@<a><-><b>``: the mean of the two directions' values (one direction's, if the pair has
  ties one way only);
- ``<measure>@programme:<id>``: that programme's own share of the month, for the measures in
  :data:`PROGRAMME_MEASURES`: money it delivered (what recipients took of its offers, after
  sanctions), the ties that delivered its money by pillar, and its development projects (a
  project belongs to the programme with the most development money on its tie in the month it
  starts);
- ``<measure>@tie_type:<type>``: ties of one type, for :data:`TIE_TYPE_MEASURES` (``trust`` is
  the mean over active ties of the type, 0 when there are none).

The recorder (``Recorder``) records the columns that ``model.case.patterns`` name, so a run of
a scenario without such patterns records nothing extra.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from sim.rules import HUM, group_sum
from sim.scenario.loader import PILLARS, TIE_TYPES

if TYPE_CHECKING:
    from sim.engine.model import PeaceModel

_FLOWS = tuple(f"flows_{p}" for p in PILLARS)
_FUNDS = ("funds_total", *(f"funds_{p}" for p in PILLARS))
_PROJECTS = tuple(
    f"projects_{s}_development" for s in ("started", "completed", "interrupted", "active")
)
PROGRAMME_MEASURES = (*_FUNDS, *_FLOWS, *_PROJECTS)
TIE_TYPE_MEASURES = ("trust", *_FUNDS, *_FLOWS)
_COMPLETED, _INTERRUPTED = 1, 2  # ProjectLog status codes (sim.engine.state)


class Scoped(NamedTuple):
    """A parsed scoped series name: ``measure@scope:target`` (scope ``tie`` for trust pairs)."""

    measure: str
    scope: str  # "tie", "pair", "programme" or "tie_type"
    target: tuple[str, ...]


def parse(name: object) -> Scoped | None:
    """The parts of a scoped series name, or None when ``name`` is not of a scoped form.

    A name of a scoped form may still be invalid (an unknown measure, actor or programme):
    ``sim.experiments.pattern_schema`` says which.
    """
    if not isinstance(name, str) or "@" not in name:
        return None
    measure, _, scope = name.partition("@")
    if measure == "trust" and "<->" in scope:
        a, _, b = scope.partition("<->")
        return Scoped(measure, "pair", (a, b))
    if measure == "trust" and "->" in scope:
        a, _, b = scope.partition("->")
        return Scoped(measure, "tie", (a, b))
    for kind in ("programme", "tie_type"):
        if scope.startswith(f"{kind}:"):
            return Scoped(measure, kind, (scope[len(kind) + 1 :],))
    return None


def requested(patterns: Iterable[dict[str, Any]]) -> list[str]:
    """The scoped series names that ``patterns`` read, in order of first use."""
    names: list[str] = []
    for p in patterns:
        for spec in (p, p.get("numerator"), p.get("denominator")):
            if isinstance(spec, dict) and parse(spec.get("series")) and spec["series"] not in names:
                names.append(spec["series"])
    return names


class ScopedRecorder:
    """Computes the month's value of each requested scoped series (``values``)."""

    def __init__(self, model: PeaceModel, names: list[str]) -> None:
        ties, index = model.ties, model.actor_index
        self.names: list[str] = []
        self._specs: list[tuple[Scoped, Any]] = []
        for name in names:
            spec = parse(name)
            target = self._target(model, spec, ties, index) if spec else None
            if target is not None:  # e.g. a policy dropped the actor: nothing to record
                self.names.append(name)
                self._specs.append((spec, target))
        self._seen = 0  # project-log rows already counted as started

    @staticmethod
    def _target(model: PeaceModel, spec: Scoped, ties: Any, index: dict) -> Any:
        if spec.scope in ("tie", "pair"):
            a, b = (index.get(x, -1) for x in spec.target)
            ab = np.flatnonzero((ties.src == a) & (ties.dst == b))
            ba = np.flatnonzero((ties.src == b) & (ties.dst == a))
            groups = [ab] if spec.scope == "tie" else [g for g in (ab, ba) if g.size]
            return groups if groups and groups[0].size else None
        if spec.scope == "programme":
            return model.programme_index.get(spec.target[0])
        kind = spec.target[0]
        return TIE_TYPES.index(kind) if kind in TIE_TYPES else None

    def values(self, model: PeaceModel, step: int) -> list[float]:
        month = _Month(model, step, self)
        return [month.value(spec, target) for spec, target in self._specs]


class _Month:
    """This month's per-tie and per-programme arrays, derived once and only if some series
    needs them."""

    def __init__(self, model: PeaceModel, step: int, owner: ScopedRecorder) -> None:
        self.m, self.step, self.owner = model, step, owner
        self._cache: dict[str, Any] = {}

    def value(self, spec: Scoped, target: Any) -> float:
        m = self.m
        if spec.scope in ("tie", "pair"):
            return float(np.mean([m.ties.trust[g].mean() for g in target]))
        if spec.scope == "programme":
            table = self._get("programme", self._programme_table)
            return float(table[spec.measure][target])
        if spec.measure == "trust":
            rows = np.flatnonzero((m.ties.type == target) & m.ties.active)
            return float(m.ties.trust[rows].mean()) if rows.size else 0.0
        table = self._get("tie_type", self._tie_type_table)
        return float(table[spec.measure][target])

    def _get(self, key: str, build: Any) -> Any:
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def _tie_type_table(self) -> dict[str, np.ndarray]:
        m = self.m
        acc = m._accepted_ties
        kind = m.ties.type.take(acc)
        flows = np.asarray(m._accepted_flows).reshape(-1, len(PILLARS))
        return _money_table(kind, flows, len(TIE_TYPES))

    def _programme_table(self) -> dict[str, np.ndarray]:
        m = self.m
        p = len(m.programme_ids)
        split = getattr(m, "_prog_split", None)
        if split is None:
            table = _money_table(np.zeros(0, dtype=np.int64), np.zeros((0, len(PILLARS))), p)
        else:
            tie = m.prog_row_tie
            delivered = split * m._taken.take(tie)[:, None]
            passage = getattr(m, "_hum_passage", None)
            if passage is not None:
                delivered[:, HUM] *= passage.take(tie)
            table = _money_table(m.prog_row_prog, delivered, p)
        log = m.projects
        size = log.size
        prog = log["programme"][:size]
        owned = prog >= 0
        new = np.arange(size) >= self.owner._seen
        self.owner._seen = size
        ended = log["end"][:size] == self.step
        status = log["status"][:size]
        live = m.ties.project[m.ties.project >= 0]
        table["projects_started_development"] = _count(prog[new & owned], p)
        table["projects_completed_development"] = _count(
            prog[ended & owned & (status == _COMPLETED)], p
        )
        table["projects_interrupted_development"] = _count(
            prog[ended & owned & (status == _INTERRUPTED)], p
        )
        live_prog = log["programme"][live]
        table["projects_active_development"] = _count(live_prog[live_prog >= 0], p)
        return table


def _money_table(group: np.ndarray, flows: np.ndarray, n: int) -> dict[str, np.ndarray]:
    """Money and flow counts by group (tie type or programme): the _FUNDS and _FLOWS columns."""
    funds = group_sum(group, flows, n) if group.size else np.zeros((n, len(PILLARS)))
    table = {"funds_total": funds.sum(axis=1)}
    for j, pillar in enumerate(PILLARS):
        table[f"funds_{pillar}"] = funds[:, j]
        table[f"flows_{pillar}"] = _count(group[flows[:, j] > 0], n)
    return table


def _count(groups: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(groups, minlength=n).astype(float)
