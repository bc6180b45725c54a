"""A batch: R replicates of one compiled world, stepped together month by month.

Each replicate has its own seed (its own ``numpy.random.Generator``, from which it spawns one
stream per random process, ``sim.engine.random_streams``; each draws the same calls in the same
order as a run on its own), its own coefficients and levers (``Coefficients``) and its
own row of every state array (``State``). The month (``sim.engine.step``) updates all rows at
once, so a batch of a thousand costs little more than one run of a small scenario, and a
replicate's outputs are the same bit for bit whatever else is in its batch.

A replicate whose state stops being finite is marked failed (``Batch.failed``) from that month
on; the others go on. Its later months are still computed (they cannot reach other rows) but
are not outputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from sim.engine.coefficients import Coefficients
from sim.engine.events import EventLog, EventsEngine
from sim.engine.month import Month
from sim.engine.observe import CITY_COLUMNS, Recorder
from sim.engine.outputs import Outputs, static_of
from sim.engine.params import Levers, ModelParams
from sim.engine.random_streams import RandomStreams
from sim.engine.state import State
from sim.engine.step import step
from sim.engine.world import World

if TYPE_CHECKING:  # a run writes Arrow tables: pandas only for the frame methods
    import pandas as pd


class Batch:
    """R replicates of one world (see the module docstring).

    Args:
        world: the compiled scenario (one policy), shared by every replicate.
        params: each replicate's coefficients.
        levers: each replicate's levers.
        rngs: each replicate's random generator (``np.random.default_rng(seed)``); the batch
            spawns the replicate's :class:`RandomStreams` from it and draws nothing from it.
        cities_every: record city-level rows every this many months (0 = never).
        cities_max: at most this many cities in the city-level record.
    """

    def __init__(
        self,
        world: World,
        params: Sequence[ModelParams],
        levers: Sequence[Levers],
        rngs: Sequence[np.random.Generator],
        cities_every: int = 0,
        cities_max: int = 0,
    ) -> None:
        self.world = world
        self.co = Coefficients(params, levers)
        if len(rngs) != self.co.size:
            from sim.errors import ConfigError

            raise ConfigError(
                "batch", "rngs", len(rngs), f"one generator per replicate ({self.co.size})"
            )
        self.streams = [RandomStreams.of(rng) for rng in rngs]
        self.state = State.initial(world, self.co)
        self.log = EventLog(world)
        self.events = EventsEngine(world, self.log)
        self.recorder = Recorder(world, self.co.size, cities_every, cities_max)
        self.t = 0  # the month simulated next; step t is the scenario's start + t
        self.month: Month | None = None
        self.failed: dict[int, str] = {}  # replicate -> why its state is not finite

    @property
    def size(self) -> int:
        return self.co.size

    @property
    def horizon(self) -> int:
        return self.world.horizon

    def step(self) -> None:
        """Advance every replicate one month (nothing past the horizon)."""
        if self.t >= self.horizon:
            return
        # The last month's record (about 185 MB at 250,000 cities) is not read by the next
        # month: drop it first, so that the two are never held at once (the peak memory).
        self.month = None
        self.month = step(
            self.t, self.world, self.state, self.co, self.streams, self.events, self.log
        )
        self.recorder.record(self.state, self.month)
        self._check_finite()
        self.t += 1

    def run(self, months: int | None = None) -> Batch:
        """Run ``months`` more months (default: to the horizon); returns self."""
        remaining = self.horizon - self.t if months is None else min(months, self.horizon - self.t)
        for _ in range(max(remaining, 0)):
            self.step()
        return self

    def _check_finite(self) -> None:
        """Mark replicates whose recorded series or tie trust stopped being finite."""
        rows = [block[:, self.recorder.rows - 1] for block in self.recorder.blocks.values()]
        rows += [self.state.ties.trust, self.state.ties.memory, self.state.cities.D]
        if sum(values.shape[-1] for values in rows) < 1 << 16:  # small: one check, not eight
            rows = [np.concatenate(rows, axis=-1)]
        bad = np.zeros(self.size, dtype=bool)
        for values in rows:
            bad |= ~np.isfinite(values).all(axis=-1)
        for r in np.flatnonzero(bad).tolist():
            if r not in self.failed:
                when = self.world.date_of(self.t)
                self.failed[r] = f"FloatingPointError: state not finite in month {self.t} ({when})"

    # ------------------------------------------------------------------ outputs

    def outputs(self) -> Outputs:
        """What the batch recorded so far, as plain arrays (frames per replicate on demand)."""
        log = self.state.log
        projects = {k: log[k] for k in log.SPEC}
        return recorded_outputs(self.world, self.recorder, self.log.rows, projects, self.failed)

    def timeseries(self, replicate: int = 0) -> pd.DataFrame:
        """Model-level monthly series of one replicate."""
        return self.outputs().timeseries(replicate)


def recorded_outputs(
    world: World, rec: Recorder, events: list, projects: dict, failed: dict[int, str]
) -> Outputs:
    """A world's recorded series, events and project log as :class:`Outputs` (a batch's, or
    one union block's with its own world, recorder and slices: ``union_views.block_outputs``)."""
    return Outputs(
        start=world.case.start,
        ids=world.actors.ids,
        rows=rec.rows,
        names=rec.names,
        blocks=rec.blocks,
        city_sample=rec.city_sample,
        city_chunks=rec.city_chunks,
        city_columns=list(CITY_COLUMNS),
        events=events,
        projects=projects,
        failed=dict(failed),
        static=static_of(world),
    )
