"""Stage 5b, development projects: start, progress, interruption and completion
(MODEL.md 5.4; rules.nexus)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sim.engine.coefficients import Coefficients
from sim.engine.month import Month
from sim.engine.state import ACTIVE, COMPLETED, INTERRUPTED, State
from sim.engine.world import World
from sim.rules import DEV, group_sum, nexus


def run_projects(
    world: World,
    state: State,
    co: Coefficients,
    month: Month,
    mult: np.ndarray,
    rngs: Sequence[np.random.Generator],
) -> None:
    """Projects of this month into the state and ``month`` (started, completed, interrupted)."""
    c, t, pj, dp, log = state.cities, world.ties, state.projects, co.delivery, state.log
    step, n = month.step, world.n_cities
    dev_offer = month.offer[DEV]
    # An accepted development offer of at least project_min on a tie without a live project
    # starts one, of a random whole number of months.
    funded = month.accepted & (dev_offer >= np.maximum(dp.project_min, 1e-12))
    starting = funded & (pj.row < 0)
    started_programme = np.full(starting.shape, -1, dtype=np.int64)
    if starting.any():
        started_programme = np.where(starting, _main_programme(world, month.split), -1)
        rs, es = np.nonzero(starting)
        counts = np.bincount(rs, minlength=len(rngs)).tolist()
        low, high = dp.duration_min[:, 0].tolist(), dp.duration_max[:, 0].tolist()
        duration = np.concatenate(
            [
                rngs[r].integers(low[r], max(high[r], low[r]) + 1, size=k)
                for r, k in enumerate(counts)
                if k
            ]
        )
        rows = log.append(
            replicate=rs,
            tie=es,
            provider=t.src[es],
            recipient=t.dst[es],
            programme=started_programme[rs, es],
            io_channel=t.src_is_io[es],
            start=np.full(es.size, step),
            duration=duration,
            progress=np.zeros(es.size),
            spent=np.zeros(es.size),
            status=np.full(es.size, ACTIVE, dtype=np.int8),
        )
        pj.row[rs, es], pj.duration[rs, es] = rows, duration
        pj.programme[rs, es], pj.start[rs, es] = started_programme[rs, es], step
        pj.progress[rs, es], pj.spent[rs, es] = 0.0, 0.0
    live = pj.row >= 0
    # A month's work progresses by the share of its money that arrived; a month in which none
    # arrived is what exposes the project to the unfunded hazard.
    funded_share = np.where(live & (dev_offer > 0), month.taken, 0.0)
    pj.progress = np.where(live, pj.progress + funded_share / pj.duration, 0.0)
    pj.spent = np.where(live, pj.spent + dev_offer * funded_share, 0.0)
    to_city = t.dst < n
    city = np.where(to_city, t.dst, 0)
    hazard = nexus.project_hazard(
        np.where(to_city, np.take(c.D, city, axis=1), 0.0),
        ~month.open[DEV],
        funded_share <= 0.0,
        np.where(to_city, np.take(c.participation, city, axis=1), 0.5),
        base=dp.hazard_base,
        violence=dp.hazard_violence,
        gate=dp.hazard_gate,
        unfunded_h=dp.hazard_unfunded,
        low_participation=dp.hazard_participation,
    )
    # One uniform per live project, in tie order, from its replicate's stream.
    draw = np.ones(live.shape)
    for r, rng in enumerate(rngs):
        k = np.count_nonzero(live[r])
        if k:
            draw[r, live[r]] = rng.random(k)
    completed = live & (pj.progress >= 1.0 - 1e-9)
    interrupted = live & ~completed & (pj.start != step) & (draw < hazard)
    ended = completed | interrupted
    rows = pj.row[live]
    log.columns["progress"][rows] = pj.progress[live]
    log.columns["spent"][rows] = pj.spent[live]
    ended_rows = pj.row[ended]
    log.columns["status"][ended_rows] = np.where(completed[ended], COMPLETED, INTERRUPTED)
    log.columns["end"][ended_rows] = step
    month.ended_programme = np.where(ended, pj.programme, -1)
    pj.row = np.where(ended, -1, pj.row)
    # Completion raises capacity and lowers structural violence in the recipient city.
    done = completed & to_city
    spent_pt = nexus.per_thousand(pj.spent, np.take(c.population, city, axis=1))
    participation = np.take(c.participation, city, axis=1)
    multiplier = np.take(mult, city, axis=1)
    capacity_gain = nexus.completion_gain(spent_pt, participation, multiplier, dp.capacity_gain)
    relief = nexus.completion_gain(spent_pt, participation, multiplier, dp.structural_relief)
    capacity_keep = _gap_left(capacity_gain, done, city, n)
    structural_keep = _gap_left(relief, done, city, n)
    c.capacity = 1.0 - (1.0 - c.capacity) * capacity_keep
    c.S = c.S * structural_keep
    month.started, month.completed, month.interrupted = starting, completed, interrupted
    month.started_programme = started_programme
    month.projects_active = np.count_nonzero(pj.row >= 0, axis=-1)


def _gap_left(gain: np.ndarray, mask: np.ndarray, groups: np.ndarray, n: int) -> np.ndarray:
    """(R, n) share of a city's gap left by the projects that complete in it this month:
    the product of ``1 - gain`` over the masked ties of each city (1 for none), each gain at
    most 0.999, summed as logarithms."""
    logs = np.where(mask, np.log1p(-np.minimum(gain, 0.999)), 0.0)
    return np.exp(group_sum(logs, groups, n))


def _main_programme(world: World, split: np.ndarray) -> np.ndarray:
    """(R, E) the programme with the most development money on each tie this month (the later
    row among equals; -1 where none has any)."""
    r, rows = split.shape[1], world.row_tie.size
    best = np.full((r, world.n_ties), -1, dtype=np.int64)
    if not rows:
        return best
    dev = split[DEV].ravel()
    row = np.tile(np.arange(rows), r)
    tie = (np.arange(r)[:, None] * world.n_ties + world.row_tie).ravel()
    keep = dev > 0
    if not keep.any():
        return best
    order = np.lexsort((row[keep], dev[keep], tie[keep]))
    tie, row = tie[keep][order], row[keep][order]
    last = np.append(tie[1:] != tie[:-1], True)
    best.flat[tie[last]] = world.row_prog[row[last]]
    return best
