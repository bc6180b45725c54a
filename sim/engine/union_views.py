"""One block of a union batch as its own world sees it: the state and the month sliced to the
block's cities, actors, ties, programmes, rows, countries and alliances, with programme
numbers in the block's own numbering (``sim.engine.union``). A recorder of the block's own
world reads these views and records what the block's world alone would record. The per-city,
per-actor and per-tie parts of a view are taken when first read (:func:`lazy`): a recorder
reads fewer than half of them, and gathering them all took 2.9 of the 7.6 ms a month that
recording validate's tuzla union (15 rows, five blocks) cost (perfbatch). A block's cities,
ties, programmes, rows and countries are consecutive in the union, so their parts are
numpy views (slices), not copies (perf15); its actors (the cities of every block come first)
are gathered.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import numpy as np

from sim.engine import windows
from sim.engine.batch import recorded_outputs
from sim.engine.events import EventLog, _detail
from sim.engine.month import Month
from sim.engine.outputs import Outputs
from sim.engine.state import (
    ActorState,
    Alliances,
    Cities,
    Countries,
    Programmes,
    Projects,
    State,
    TieState,
)
from sim.rules import lederach

# Month fields by the axis they run along (the last one).
MONTH_CITIES = ("vertical_city", "horizontal_city", "multiplier", "cross_trust_city",
                "hostility_city")  # fmt: skip
MONTH_PROGRAMME_NUMBERS = ("started_programme", "ended_programme", "committed_programme")
MONTH_PROGRAMMES = ("prog_active", "risk_ok")
MONTH_ROWS = ("split",)
MONTH_OWN = ("step", "world", "horizontal", "vertical", "projects_active",
             "horizontal_by_city", "vertical_by_city")  # fmt: skip


class BlockView:
    """Slices of a union batch for one block (see the module docstring)."""

    def __init__(self, world: Any, block: Any, n_programmes: int) -> None:
        self.world, self.block = world, block
        # Where the block sits along each axis: a slice where its elements are consecutive in
        # the union (its cities, ties, programmes, rows, countries: a view, not a copy).
        self.at = {name: _consecutive(getattr(block, name))
                   for name in ("cities", "actors", "ties", "programmes", "rows", "countries",
                                "alliances")}  # fmt: skip
        # union programme number -> the block's (-1 elsewhere; index -1 reads the last: -1)
        self.local = np.full(n_programmes + 1, -1, dtype=np.int64)
        self.local[block.programmes] = np.arange(block.programmes.size)
        self._view: tuple[bytes, Any] | None = None

    def state(self, state: State) -> State:
        b = self.at

        def take(obj: Any, cls: type, where: slice | np.ndarray) -> Any:
            return lazy(cls, lambda name: getattr(obj, name)[..., where])

        def projects(name: str) -> np.ndarray:
            value = getattr(state.projects, name)[..., b["ties"]]
            return self.local[value] if name == "programme" else value

        k = b["countries"]
        cn = state.countries
        return State(
            cities=take(state.cities, Cities, b["cities"]),
            actors=take(state.actors, ActorState, b["actors"]),
            countries=Countries(
                permission=cn.permission[:, k][:, :, k],
                hostility=cn.hostility[:, k][:, :, k],
                sanctioned=cn.sanctioned[:, k],
                violence_part=cn.violence_part[:, k][:, :, k],
            ),
            ties=take(state.ties, TieState, b["ties"]),
            projects=lazy(Projects, projects),
            programmes=Programmes(
                funded=state.programmes.funded[:, b["programmes"]],
                row_active=state.programmes.row_active[:, b["rows"]],
                recent_violence=state.programmes.recent_violence[..., b["programmes"]],
                status=state.programmes.status[:, b["programmes"]],
            ),
            alliances=take(state.alliances, Alliances, b["alliances"]),
            log=state.log,
        )

    def month(self, month: Month, state: State) -> Month:
        """The month of the block; ``state`` is the block's view (:meth:`state`)."""
        b = self.at

        def part(name: str) -> Any:
            value = getattr(month, name)
            if name in MONTH_OWN or value is None:
                return None
            if name in MONTH_CITIES:
                return value[..., b["cities"]]
            if name in MONTH_PROGRAMMES:
                return value[..., b["programmes"]]
            if name in MONTH_ROWS:
                return value[..., b["rows"]]
            if name in MONTH_PROGRAMME_NUMBERS:
                return self.local[value[..., b["ties"]]]
            return value[..., b["ties"]]  # per tie

        view = lazy(Month, part)
        view.step, view.world = month.step, self._world(state)
        # The month's model-level values, over the block's cities and ties alone.
        view.horizontal = lederach.horizontal_integration(
            month.horizontal_by_city[..., b["cities"]],
            self.world.groups.has_horizontal,
        )
        # v_i of the block's cities: the block's recorder averages them over its recipients.
        view.vertical_by_city = month.vertical_by_city[..., b["cities"]]
        view.vertical = lederach.vertical_integration(view.vertical_by_city)
        view.projects_active = np.count_nonzero(state.projects.row >= 0, axis=-1)
        return view

    def _world(self, state: State) -> Any:
        """The block's world as it stands this month (its active ties only)."""
        active = state.ties.active[0]
        key = active.tobytes()
        if self._view is None or self._view[0] != key:
            self._view = (key, windows.restricted(self.world, active))
        return self._view[1]


def _consecutive(where: np.ndarray) -> slice | np.ndarray:
    """``where`` as a slice if its indices are consecutive and rising, else itself: the same
    elements, as a view rather than a gathered copy. The recorder only reads a view (it
    writes its own arrays), within the month the view is made."""
    if where.size and np.array_equal(where, np.arange(where[0], where[0] + where.size)):
        return slice(int(where[0]), int(where[0]) + where.size)
    return where


class _Taken:
    """A field of a lazy view (:func:`lazy`): fetched when first read, then an instance
    attribute (which a non-data descriptor yields to)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, view: Any, owner: type | None = None) -> Any:
        if view is None:
            return self
        value = view.__dict__[self.name] = view.__dict__["_fetch"](self.name)
        return value


_LAZY: dict[type, type] = {}


def lazy(cls: type, fetch: Any) -> Any:
    """An instance of the dataclass ``cls`` whose fields are ``fetch(name)``, each taken when
    the recorder first reads it: a block's view gathers only the arrays its recorder reads
    (a month's recorder reads fewer than half of the state's and the month's fields), and
    each gather is the same ``np.take`` as an eager view's, so the values are identical. A
    view is read within the month it is made (``BlockRecorders.record``), before the state
    moves on."""
    sub = _LAZY.get(cls)
    if sub is None:
        names = {f.name: _Taken(f.name) for f in dataclasses.fields(cls)}
        sub = _LAZY[cls] = type(f"Lazy{cls.__name__}", (cls,), names)
    view = object.__new__(sub)
    view.__dict__["_fetch"] = fetch
    return view


class BlockRecorders:
    """A union batch's recorder: each block's own world's :class:`Recorder`, fed the block's
    views, so block k records what its world alone records (``Batch.recorder``)."""

    def __init__(
        self,
        worlds: list[Any],
        index: list[Any],
        n_programmes: int,
        replicates: int,
        cities_every: int = 0,
        cities_max: int = 0,
    ) -> None:
        from sim.engine.observe import Recorder

        self.views = [BlockView(w, b, n_programmes) for w, b in zip(worlds, index, strict=True)]
        self.recorders = [Recorder(w, replicates, cities_every, cities_max) for w in worlds]

    @property
    def rows(self) -> int:
        return self.recorders[0].rows

    @property
    def blocks(self) -> dict[str, np.ndarray]:
        """Every block's recorded arrays (for the batch's finiteness check)."""
        return {f"{k}/{key}": v for k, rec in enumerate(self.recorders)
                for key, v in rec.blocks.items()}  # fmt: skip

    def record(self, state: State, month: Month) -> None:
        for view, recorder in zip(self.views, self.recorders, strict=True):
            mine = view.state(state)
            recorder.record(mine, view.month(month, mine))


class BlockEventLog(EventLog):
    """A union batch's event log, kept per block with the block's own ids: a scenario event
    is logged as its block's original event, a model note under its block's id."""

    def __init__(self, world: Any, originals: dict[int, tuple[int, dict]], worlds: list) -> None:
        super().__init__(world)
        self.originals = originals  # id(union event) -> (block, the block's own event)
        self.by_block = [EventLog(w) for w in worlds]

    def add(
        self, replicate: int, step: int, kind: str, detail: str, origin: str, ev: Any = None
    ) -> None:
        if ev is not None and id(ev) in self.originals:
            block, own = self.originals[id(ev)]
            self.by_block[block].add(replicate, step, kind, _detail(own), origin, own)
            return
        found = _PREFIXED.search(detail)  # a note names its programme or alliance
        if found is None:
            raise ValueError(f"a union's log cannot tell the block of {detail!r}")
        detail = _PREFIXED.sub("=", detail)
        self.by_block[int(found.group(1))].add(replicate, step, kind, detail, origin, ev)


_PREFIXED = re.compile(r"=(\d+)\|")


def block_outputs(batch: Any, k: int, world: Any, block: Any, failed: dict[int, str]) -> Outputs:
    """Block k's outputs, as its world's batch alone would give them."""
    rec, view = batch.recorder.recorders[k], batch.recorder.views[k]
    log = batch.state.log
    mine = batch.world.blocks.tie_block[log["tie"]] == k
    local_actor = np.full(batch.world.n_actors + 1, -1, dtype=np.int64)
    local_actor[block.actors] = np.arange(block.actors.size)
    projects = {key: log[key][mine] for key in log.SPEC}
    projects["tie"] = projects["tie"] - block.ties[0]
    projects["provider"] = local_actor[projects["provider"]]
    projects["recipient"] = local_actor[projects["recipient"]]
    projects["programme"] = view.local[projects["programme"]]
    return recorded_outputs(world, rec, batch.log.by_block[k].rows, projects, failed)
