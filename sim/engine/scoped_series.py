"""Series that a scenario's patterns ask for by name, recorded only when asked for.

The standing series (``sim.engine.observe``) are model-wide. A pattern can also read one tie,
one programme or one tie type, with these column names (docs/scenario-format.md):

- ``trust@<a>-><b>``: the mean trust of the ties from actor ``a`` to actor ``b`` (every type,
  active or not: the trust a tie holds);
- ``trust@<a><-><b>``: the mean of the two directions' values (one direction's, if the pair has
  ties one way only);
- ``<measure>@programme:<id>``: that programme's own share of the month, for the measures in
  :data:`PROGRAMME_MEASURES`: money it delivered (what recipients took of its offers, after
  sanctions, and, once it has closed, the committed money it pays its projects to their end,
  ODD 7.2), the ties that delivered its money by pillar, and its development projects (a
  project belongs to the programme with the most development money on its tie in the month it
  starts);
- ``<measure>@tie_type:<type>``: ties of one type, for :data:`TIE_TYPE_MEASURES` (``trust`` is
  the mean over active ties of the type, 0 when there are none).

The recorder (``Recorder``) records the columns that the scenario's patterns name, so a run of
a scenario without such patterns records nothing extra. Values are computed for every
replicate of a batch at once, each from its own arrays.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

import numpy as np

from sim.engine.month import Month
from sim.engine.state import State
from sim.engine.world import World
from sim.rules import DEV, HUM, average, group_sum
from sim.scenario.vocabulary import PILLARS, TIE_TYPES

_FLOWS = tuple(f"flows_{p}" for p in PILLARS)
_FUNDS = ("funds_total", *(f"funds_{p}" for p in PILLARS))
_PROJECTS = tuple(
    f"projects_{s}_development" for s in ("started", "completed", "interrupted", "active")
)
PROGRAMME_MEASURES = (*_FUNDS, *_FLOWS, *_PROJECTS)
TIE_TYPE_MEASURES = ("trust", *_FUNDS, *_FLOWS)
ABSENT = object()  # the target of a programme series whose programme the policy dropped


class Scoped(NamedTuple):
    """A parsed scoped series name: ``measure@scope:target`` (scope ``tie`` for trust pairs)."""

    measure: str
    scope: str  # "tie", "pair", "programme" or "tie_type"
    target: tuple[str, ...]


def parse(name: object) -> Scoped | None:
    """The parts of a scoped series name, or None when ``name`` is not of a scoped form.

    A name of a scoped form may still be invalid (an unknown measure, actor or programme):
    ``sim.experiments.pattern_series`` says which.
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
        for spec in (p, *(p.get(part) for part in ("numerator", "denominator", "before", "after"))):
            if isinstance(spec, dict) and parse(spec.get("series")) and spec["series"] not in names:
                names.append(spec["series"])
    return names


class ScopedRecorder:
    """Computes the month's value of each requested scoped series (``values``)."""

    def __init__(self, world: World, names: list[str]) -> None:
        self.world = world
        self.names: list[str] = []
        self._specs: list[tuple[Scoped, Any]] = []
        self._types: dict[int, np.ndarray] = {}
        for name in names:
            spec = parse(name)
            target = self._target(world, spec) if spec else None
            if target is None and spec is not None and spec.scope == "programme":
                # A policy dropped the programme: it delivers nothing and starts no project, so
                # its series are 0, and the wide table keeps one schema for every policy.
                target = ABSENT
            if target is not None:  # e.g. a policy dropped the actor: nothing to record
                self.names.append(name)
                self._specs.append((spec, target))

    @staticmethod
    def _target(world: World, spec: Scoped) -> Any:
        ties, index = world.ties, world.actor_index
        if spec.scope in ("tie", "pair"):
            a, b = (index.get(x, -1) for x in spec.target)
            ab = np.flatnonzero((ties.src == a) & (ties.dst == b))
            ba = np.flatnonzero((ties.src == b) & (ties.dst == a))
            groups = [ab] if spec.scope == "tie" else [g for g in (ab, ba) if g.size]
            return groups if groups and groups[0].size else None
        if spec.scope == "programme":
            return world.programme_index.get(spec.target[0])
        kind = spec.target[0]
        return TIE_TYPES.index(kind) if kind in TIE_TYPES else None

    def values(self, state: State, month: Month) -> np.ndarray:
        """(R, series): this month's value of each series, for every replicate."""
        tables: dict[str, dict[str, np.ndarray]] = {}
        trust = state.ties.trust
        out = []
        for spec, target in self._specs:
            if spec.scope in ("tie", "pair"):
                means = [average(np.take(trust, g, axis=1)) for g in target]
                out.append(average(np.stack(means, axis=-1)))
            elif spec.scope == "programme" and target is ABSENT:
                out.append(np.zeros(len(trust)))
            elif spec.scope == "programme":
                if "programme" not in tables:
                    tables["programme"] = self._programme_table(state, month)
                out.append(tables["programme"][spec.measure][:, target])
            elif spec.measure == "trust":
                rows = self._of_type(target)
                out.append(
                    average(np.take(trust, rows, axis=1)) if rows.size else np.zeros(len(trust))
                )
            else:
                if "tie_type" not in tables:
                    tables["tie_type"] = _money_table(
                        month.flows, self.world.ties.type, len(TIE_TYPES)
                    )
                out.append(tables["tie_type"][spec.measure][:, target])
        return np.stack(out, axis=1)

    def _of_type(self, kind: int) -> np.ndarray:
        """The world's ties of type ``kind`` (found once: the world's ties do not change)."""
        rows = self._types.get(kind)
        if rows is None:
            rows = self._types[kind] = np.flatnonzero(self.world.ties.type == kind)
        return rows

    def _programme_table(self, state: State, month: Month) -> dict[str, np.ndarray]:
        w = self.world
        p = len(w.programme_ids)
        # What recipients took of each programme's offers, after sanctions.
        delivered = month.split * np.take(month.taken, w.row_tie, axis=1)
        delivered[HUM] *= np.take(month.passage, w.row_tie, axis=1)
        table = _money_table(delivered, w.row_prog, p)
        if month.committed_paid is not None:  # a closed programme's projects, paid to their end
            paid, programme = month.committed_paid, month.committed_programme
            by_programme = _weighted_count(programme, paid, p)
            table["funds_total"] = table["funds_total"] + by_programme
            table["funds_development"] = table["funds_development"] + by_programme
            # A tie that delivered only committed money this month is one more development flow.
            alone = (paid > 0) & (month.flows[DEV] == paid)
            table["flows_development"] = table["flows_development"] + _count(programme, alone, p)
        live = state.projects.row >= 0
        for measure, mask, programme in (
            ("started", month.started, month.started_programme),
            ("completed", month.completed, month.ended_programme),
            ("interrupted", month.interrupted, month.ended_programme),
            ("active", live, state.projects.programme),
        ):
            table[f"projects_{measure}_development"] = _count(programme, mask, p)
        return table


def _money_table(flows: np.ndarray, group: np.ndarray, n: int) -> dict[str, np.ndarray]:
    """Money and flow counts by group (tie type or programme): the _FUNDS and _FLOWS columns.

    ``flows`` is (3, R, rows) and ``group`` labels its rows.
    """
    funds = group_sum(flows, group, n)  # (3, R, n)
    table = {"funds_total": funds.sum(axis=0)}
    for j, pillar in enumerate(PILLARS):
        table[f"funds_{pillar}"] = funds[j]
        table[f"flows_{pillar}"] = group_sum(flows[j] > 0, group, n)
    return table


def _weighted_count(labels: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    """(R, n) sum of ``weights`` (R, M) by each row's label (-1: no label)."""
    r = labels.shape[0]
    keep = labels >= 0
    bins = (np.arange(r)[:, None] * n + labels)[keep]
    return np.bincount(bins, weights=weights[keep], minlength=r * n).reshape(r, n)


def _count(labels: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    """(R, n) number of masked elements of each row of ``labels`` (R, M) with each label."""
    r = labels.shape[0]
    keep = mask & (labels >= 0)
    bins = (np.arange(r)[:, None] * n + labels)[keep]
    return np.bincount(bins, minlength=r * n).reshape(r, n).astype(float)
