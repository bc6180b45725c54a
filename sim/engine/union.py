"""Disjoint unions of worlds: several policies' structures stepped as one batch (ODD 3).

A policy that drops or adds actors, ties, programmes or events compiles to its own world, and
an ensemble runs each world as its own batch, whose month costs nearly the same whatever its
size (issue 14). Here the worlds of several policies become the blocks of one world: every
block's actors, countries, communities, ties, programmes, alliances and events under ids
prefixed with the block's number, so no tie, event, group or country table reaches from one
block into another. A batch row then holds one replicate of every block (a seed and its
coefficients, under each policy), and its numbers in block k are those of block k's world run
alone, bit for bit, because:

- every sum in the month is per actor, city, country, programme or tie
  (``sim.rules.group_sum``), each block's elements keep their relative order in the union, and
  a bin adds its terms in that order;
- a tie's random draw is keyed by the tie (``random_streams.tie_keys``) and the row's month key:
  the union keeps each block's own tie keys (from the unprefixed ids), and a row's blocks share
  its seed, so they share its month keys;
- the cities' noise is drawn per block from the block's own copy of the seed's noise stream
  (:class:`BlockNoise`), (3, cities of the block) a month, as a run alone draws it (blocks with
  as many cities draw the same numbers, so they share one copy);
- the levers that may differ between a row's blocks are set per block's cities
  (:data:`PER_CITY_LEVERS`); any other lever must be the same in every block.

Each block records its own series (``sim.engine.union_views``): a recorder of the block's world
reads the block's slices of the state and the month. Not here yet: the block's project and
event logs as outputs, and an ensemble plan that pairs replicates into rows. tests/test_union.py
checks every state array and every recorded series block by block against runs alone.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from sim.engine import table_columns as columns
from sim.engine.batch import Batch
from sim.engine.params import Levers, ModelParams
from sim.engine.random_streams import RandomStreams
from sim.engine.union_views import BlockEventLog, BlockRecorders
from sim.engine.world import World
from sim.errors import ConfigError
from sim.scenario.case import Scenario

# Levers that act on cities only, so a row's blocks may differ in them (set block by block).
PER_CITY_LEVERS = ("participation_scale", "coordination")
# Event fields that name an actor, country, community, programme or alliance.
EVENT_IDS = ("actor", "programme", "alliance", "country", "from", "to", "a", "b",
             "provider", "successor")  # fmt: skip


def prefixed(block: int, name: object) -> object:
    """A block's id in the union (text only: missing values stay missing)."""
    return f"{block}|{name}" if isinstance(name, str) else name


@dataclass(frozen=True)
class BlockIndex:
    """Where a block's elements sit in the union world, in the block's own order."""

    cities: np.ndarray
    actors: np.ndarray
    ties: np.ndarray
    programmes: np.ndarray
    rows: np.ndarray  # (programme, tie) rows
    countries: np.ndarray
    alliances: np.ndarray


def union_case(cases: Sequence[Scenario], alone: Sequence[World] | None = None) -> Scenario:
    """The scenarios as one scenario of disjoint blocks (ids prefixed by the block's number).

    Every case must share the start, horizon and default permission (one calendar, one
    table default): ConfigError otherwise. ``alone``: each case's world alone, if built (its
    recipient side becomes the block's part of the union's ``focus``; built here otherwise).
    """
    first = cases[0]
    for key in ("start", "horizon", "default_permission"):
        if any(getattr(c, key) != getattr(first, key) for c in cases):
            raise ConfigError("union", key, [getattr(c, key) for c in cases], "one value")
    import pandas as pd  # the tables are frames or Arrow tables; a union is built as frames

    out = copy.copy(first)
    blocks = list(enumerate(cases))
    out.communities = [prefixed(k, x) for k, c in blocks for x in c.communities]
    out.countries = [prefixed(k, x) for k, c in blocks for x in c.countries]
    out.divides = [(prefixed(k, x), prefixed(k, y)) for k, c in blocks for x, y in c.divides]
    out.permissions = [(prefixed(k, x), prefixed(k, y), v) for k, c in blocks
                       for x, y, v in c.permissions]  # fmt: skip
    out.hostility = [(prefixed(k, x), prefixed(k, y), v) for k, c in blocks
                     for x, y, v in c.hostility]  # fmt: skip
    out.sanctioned = [prefixed(k, x) for k, c in blocks for x in c.sanctioned]
    out.isolated = [prefixed(k, x) for k, c in blocks for x in getattr(c, "isolated", ())]
    out.steady_paths = {prefixed(k, a): path for k, c in blocks
                        for a, path in getattr(c, "steady_paths", {}).items()}  # fmt: skip
    out.watch = [prefixed(k, x) for k, c in blocks for x in c.watch]
    out.focus = _union_focus(cases, alone)
    actors, ties = [], []
    for k, c in blocks:
        a = _frame(c.actors)
        for col in ("id", "community", "country"):
            a[col] = [prefixed(k, x) for x in a[col].tolist()]
        actors.append(a)
        t = _frame(c.ties)
        t["src"] = [prefixed(k, x) for x in t["src"].tolist()]
        t["dst"] = [prefixed(k, x) for x in t["dst"].tolist()]
        ties.append(t)
    out.actors = pd.concat(actors, ignore_index=True)
    out.ties = pd.concat(ties, ignore_index=True)
    out.programmes = [_programme(k, q) for k, c in blocks for q in c.programmes]
    out.alliances = [
        {**a, "id": prefixed(k, a["id"]),
         "members": [prefixed(k, x) for x in a["members"]],
         "mediators": [prefixed(k, x) for x in a["mediators"]]}
        for k, c in blocks for a in c.alliances
    ]  # fmt: skip
    out.events = [_event(k, e) for k, c in blocks for e in c.events]
    out.patterns, out.policies, out.policy, out.levers = [], {}, "union", {}
    return out


def union_world(cases: Sequence[Scenario]) -> tuple[World, list[World], list[BlockIndex]]:
    """The union world, each block's world alone, and where each block sits in the union."""
    alone = [World(c) for c in cases]
    union = World(union_case(cases, alone))
    index = []
    tie_start = 0
    row_of = {
        pair: i
        for i, pair in enumerate(zip(union.row_prog.tolist(), union.row_tie.tolist(), strict=True))
    }
    for k, w in enumerate(alone):
        actors = np.array([union.actor_index[prefixed(k, a)] for a in w.actors.ids], np.int64)
        ties = np.arange(tie_start, tie_start + w.n_ties)
        tie_start += w.n_ties
        progs = [union.programme_index[prefixed(k, p)] for p in w.programme_ids]
        pairs = zip(w.row_prog.tolist(), w.row_tie.tolist(), strict=True)
        rows = [row_of[(progs[p], int(ties[t]))] for p, t in pairs]
        countries = [union.country_index[prefixed(k, c)] for c in w.case.countries]
        index.append(
            BlockIndex(
                cities=actors[: w.n_cities],
                actors=actors,
                ties=ties,
                programmes=np.array(progs, np.int64),
                rows=np.array(rows, np.int64),
                countries=np.array(countries, np.int64),
                alliances=np.array(
                    [union.alliance_index[prefixed(k, a)] for a in w.alliance_ids], np.int64
                ),
            )
        )
    # Each tie draws as in its own world (the keys hash the unprefixed ids).
    union.tie_key = np.concatenate([w.tie_key for w in alone])
    # A world-wide mean (the cross-divide trust a city without such ties falls back on,
    # stages.violence) is taken per block.
    tie_block = np.repeat(np.arange(len(alone)), [w.n_ties for w in alone])
    city_block = np.empty(union.n_cities, np.int64)
    for k, block in enumerate(index):
        city_block[block.cities] = k
    union.blocks = SimpleNamespace(tie_block=tie_block, city_block=city_block, n=len(alone))
    return union, alone, index


class BlockNoise:
    """A row's noise generator in the union: each block's cities draw from the block's own
    copy of the seed's noise stream, (3, its cities) a month, as in a run alone. Copies of one
    stream that draw as many numbers every month draw the same numbers, so the blocks with as
    many cities share one copy (``generators[i]`` for the blocks ``cities[i]``, (blocks,
    cities)): one draw a month, written to each of them (a scenario's policies that drop ties
    but no city, tuzla's, share one draw where they drew five)."""

    def __init__(self, generators: Sequence[np.random.Generator], cities: Sequence[np.ndarray]):
        self.generators, self.cities = list(generators), list(cities)

    @classmethod
    def of_seed(cls, seed: int, cities: Sequence[np.ndarray]) -> BlockNoise:
        """The noise of seed ``seed`` for blocks whose cities in the union are ``cities``."""
        sizes = sorted({rows.size for rows in cities})
        return cls(
            [RandomStreams.from_seed(seed).noise for _ in sizes],
            [np.stack([rows for rows in cities if rows.size == size]) for size in sizes],
        )

    def standard_normal(self, out: np.ndarray) -> np.ndarray:
        for generator, rows in zip(self.generators, self.cities, strict=True):
            out[:, rows] = generator.standard_normal((out.shape[0], rows.shape[1]))[:, None]
        return out


def union_batch(
    cases: Sequence[Scenario],
    params: Sequence[ModelParams],
    levers: Sequence[Sequence[Levers]],
    seeds: Sequence[int],
    cities_every: int = 0,
    cities_max: int = 0,
) -> tuple[Batch, list[World], list[BlockIndex]]:
    """A batch of len(seeds) rows over the union of ``cases``: row r is seed r with
    ``params[r]``, and ``levers[r][k]`` in block k (only :data:`PER_CITY_LEVERS` may differ
    between a row's blocks: ConfigError otherwise)."""
    world, alone, index = union_world(cases)
    for row in levers:
        for lever in vars(row[0]):
            if lever not in PER_CITY_LEVERS and any(
                getattr(x, lever) != getattr(row[0], lever) for x in row
            ):
                raise ConfigError("union", f"levers.{lever}", [getattr(x, lever) for x in row],
                                  "the same in every block of a row")  # fmt: skip
    rngs = [np.random.default_rng(s) for s in seeds]
    batch = Batch(world, params, [row[0] for row in levers], rngs)
    batch.streams = [_row_streams(int(s), index) for s in seeds]
    _per_city_levers(batch, alone, index, levers)
    # Each block records what its world alone records (the union's own recorder is dropped),
    # and logs its events under its own ids.
    batch.recorder = BlockRecorders(
        alone, index, len(world.programme_ids), len(seeds), cities_every, cities_max
    )
    originals = {}
    events = iter(world.case.events)
    for k, case in enumerate(cases):
        for own in case.events:
            originals[id(next(events))] = (k, own)
    batch.log = batch.events.log = BlockEventLog(world, originals, alone)
    return batch, alone, index


def _row_streams(seed: int, index: list[BlockIndex]) -> RandomStreams:
    """A row's streams: the seed's offer and project streams (one month key a month, shared
    by the blocks) and each block's copy of its noise stream (:class:`BlockNoise`)."""
    own = RandomStreams.from_seed(seed)
    noise = BlockNoise.of_seed(seed, [b.cities for b in index])
    return RandomStreams(noise, own.offers, own.projects)  # type: ignore[arg-type]


def _per_city_levers(
    batch: Batch, alone: list[World], index: list[BlockIndex], levers: Sequence[Sequence[Levers]]
) -> None:
    """Set the per-city levers block by block: coordination as an (R, N) coefficient, and the
    starting participation scaled by each block's ``participation_scale``."""
    r, n = batch.size, batch.world.n_cities
    coordination = np.empty((r, n))
    participation = batch.state.cities.participation
    for k, (w, block) in enumerate(zip(alone, index, strict=True)):
        scale = np.array([[row[k].participation_scale] for row in levers])
        start = np.repeat(w.initial_cities["participation"][None], r, axis=0)
        participation[:, block.cities] = np.clip(start * scale, 0.0, 1.0)
        coordination[:, block.cities] = np.array([[row[k].coordination] for row in levers])
    batch.co.levers.coordination = coordination


def _union_focus(cases: Sequence[Scenario], alone: Sequence[World] | None) -> list[str]:
    """The union's recipient side (ODD 7.9) as every block's own, alone: the block's focus
    list, or the cities its programmes reach, or all its cities if they reach none. The
    union's own rule would not give this when one block has a focus and another has none (the
    union's focus would stand for both), nor for a block whose programmes reach no city (the
    other blocks' recipients would stand for it), so each block's side is listed explicitly."""
    if alone is None:
        alone = [World(c) for c in cases]
    return [
        prefixed(k, w.actors.ids[i])
        for k, w in enumerate(alone)
        for i in np.flatnonzero(w.groups.recipient_cities).tolist()
    ]


def _frame(table: object) -> object:
    """A table as a pandas frame (a copy)."""
    import pandas as pd

    if isinstance(table, pd.DataFrame):
        return table.copy()
    return pd.DataFrame({c: columns.values(table, c, object) for c in table.column_names})


def _programme(block: int, programme: dict) -> dict:
    out = {**programme, "id": prefixed(block, programme["id"])}
    for role in ("funders", "providers", "recipients"):
        out[role] = [prefixed(block, x) for x in programme[role]]
    out["alliance"] = prefixed(block, programme.get("alliance"))
    return out


def _event(block: int, event: dict) -> dict:
    out = {**event, "id": prefixed(block, event.get("id"))}
    for key in EVENT_IDS:
        if key in out:
            out[key] = prefixed(block, out[key])
    if isinstance(out.get("targets"), dict):
        out["targets"] = {
            key: [prefixed(block, x) for x in value] if isinstance(value, list)
            else prefixed(block, value)
            for key, value in out["targets"].items()
        }  # fmt: skip
    return out
