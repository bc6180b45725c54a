"""What one worker of an ensemble runs (``sim.engine.ensemble``): a chunk of one structure's
replicates as a batch, or the rows of a union batch (``sim.engine.union``), with a replicate
that raises isolated rather than failing its batch-mates."""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.engine.batch import Batch
from sim.engine.outputs import Outputs
from sim.engine.union import union_batch
from sim.engine.union_views import block_outputs
from sim.engine.world import World
from sim.errors import CitypeaceError
from sim.scenario.case import Scenario

Planned = Any  # sim.engine.ensemble's planned replicate: index, seed, params, levers


def run_chunk(args: tuple) -> tuple[list[tuple[Outputs, list[int]]], dict[int, str]]:
    """Run one chunk of one group, or rows of a union batch: [(a batch's outputs, its rows'
    replicate indices)] and the failures by replicate index."""
    case, members, cities_every, cities_max = args
    if isinstance(case, list):
        return _run_union(case, members, cities_every, cities_max)
    return _run_members(World(case), members, cities_every, cities_max)


def _run_union(
    cases: list[Scenario], rows: list[list[Planned]], cities_every: int, cities_max: int
) -> tuple[list[tuple[Outputs, list[int]]], dict[int, str]]:
    """Rows of a union batch, one block per case; if it raises or a row fails, each block's
    replicates as a batch of their own (the failing ones found as there)."""
    try:
        batch, alone, index = union_batch(
            cases,
            [row[0].params for row in rows],
            [[m.levers for m in row] for row in rows],
            [row[0].seed for row in rows],
            cities_every,
            cities_max,
        )
        batch.run()
        ok = not batch.failed
    except CitypeaceError:
        raise
    except Exception:  # noqa: BLE001 - rerun the blocks apart, where failures are isolated
        ok = False
    if not ok:
        done, failures = [], {}
        for k, case in enumerate(cases):
            got = _run_members(World(case), [row[k] for row in rows], cities_every, cities_max)
            done += got[0]
            failures |= got[1]
        return done, failures
    return [
        (block_outputs(batch, k, world, where, {}), [row[k].index for row in rows])
        for k, (world, where) in enumerate(zip(alone, index, strict=True))
    ], {}


def _run_members(
    world: World, members: list[Planned], cities_every: int, cities_max: int
) -> tuple[list[tuple[Outputs, list[int]]], dict[int, str]]:
    """Run members as one batch; if it raises, in halves, until the failing ones are alone."""
    try:
        batch = Batch(
            world,
            [m.params for m in members],
            [m.levers for m in members],
            [np.random.default_rng(m.seed) for m in members],
            cities_every,
            cities_max,
        ).run()
    except CitypeaceError:
        raise  # bad input is the caller's error, not a failed replicate
    except Exception as exc:  # noqa: BLE001 - isolate the replicate that raised
        if len(members) == 1:
            return [], {members[0].index: f"{type(exc).__name__}: {exc}"}
        half = len(members) // 2
        done_a, failed_a = _run_members(world, members[:half], cities_every, cities_max)
        done_b, failed_b = _run_members(world, members[half:], cities_every, cities_max)
        return done_a + done_b, {**failed_a, **failed_b}
    failures = {members[r].index: why for r, why in batch.failed.items()}
    return [(batch.outputs(), [m.index for m in members])], failures
