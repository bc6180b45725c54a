"""Programmes compiled for the engine: their phases, their (programme, tie) rows, and the
handovers that move a row from one provider's tie to another's.

A programme pays along one row per (provider, recipient) pair (every pair, or the i-th
provider with the i-th recipient), each on the carrying tie between them. A ``handover``
event passes a provider's rows to a successor on a date (``sim.scenario.handover``): the
successor's rows exist from the start, inactive until the handover, which the events engine
applies (``sim.engine.events``): old rows off, new rows on, trust and live projects passed.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np

from sim.scenario.case import Scenario
from sim.scenario.handover import pairs
from sim.scenario.vocabulary import PILLARS

# The world (sim.engine.world) calls in here, so it is typed loosely to keep imports one-way.
World = Any


def compile_programmes(world: World, case: Scenario) -> None:
    """Set the world's programme arrays, rows and handover plans."""
    progs = case.programmes
    p = len(progs)
    world.programme_ids = [q["id"] for q in progs]
    world.programme_index = {pid: i for i, pid in enumerate(world.programme_ids)}
    # Phases, padded to the longest list: (P, K) months, budgets and (P, K, 3) pillars.
    phases = [_phases(q) for q in progs]
    k = max((len(ph) for ph in phases), default=1)
    world.phase_count = np.array([len(ph) for ph in phases], dtype=np.int64)
    world.phase_start = np.zeros((p, k), dtype=np.int64)
    world.phase_end = np.zeros((p, k), dtype=np.int64)
    world.phase_budget = np.zeros((p, k), dtype=np.float64)
    world.phase_pillars = np.zeros((p, k, 3), dtype=bool)
    for i, listed in enumerate(phases):
        for j, ph in enumerate(listed):
            world.phase_start[i, j], world.phase_end[i, j] = ph["start"], ph["end"]
            world.phase_budget[i, j] = ph["budget"]
            world.phase_pillars[i, j] = [pl in ph["pillars"] for pl in PILLARS]
        # Padding repeats the last phase, so "the current or next phase" never runs past it.
        last = len(listed) - 1
        world.phase_start[i, last + 1 :] = world.phase_start[i, last]
        world.phase_end[i, last + 1 :] = world.phase_end[i, last]
        world.phase_budget[i, last + 1 :] = world.phase_budget[i, last]
        world.phase_pillars[i, last + 1 :] = world.phase_pillars[i, last]
    world.prog_budget = world.phase_budget[:, 0].copy()
    world.prog_start = np.array([q["start"] for q in progs], dtype=np.int64)
    world.prog_end = np.array([q["end"] for q in progs], dtype=np.int64)
    world.prog_funded = np.array([q["funded_at_start"] for q in progs], dtype=bool)
    world.prog_pillars = world.phase_pillars[:, 0].reshape(p, 3).copy()
    world.phased = bool(k > 1)
    risk = world.initial_actors["risk_tolerance"]
    # A programme's risk test is its most cautious funder's (from the scenario's values).
    world.prog_risk = np.array(
        [min((risk[world.actor_index[f]] for f in q["funders"]), default=1.0) for q in progs],
        dtype=np.float64,
    )
    alliance_ids = [a["id"] for a in case.alliances]
    world.prog_alliance = np.array(
        [-1 if q["alliance"] is None else alliance_ids.index(q["alliance"]) for q in progs],
        dtype=np.int64,
    )
    t = world.ties
    carrying = np.flatnonzero(t.carries) if progs else np.zeros(0, dtype=np.int64)
    tie_of = {(int(t.src[i]), int(t.dst[i])): int(i) for i in carrying}
    rows_prog, rows_tie = [], []
    for i, q in enumerate(progs):
        for a, b in pairs(q):
            key = (world.actor_index[a], world.actor_index[b])
            if key in tie_of:
                rows_prog.append(i)
                rows_tie.append(tie_of[key])
    # The recipient cities of each row, as funders watch them: a handed-over pair keeps its
    # one place (the successor's rows, added below, are not counted again).
    recipient = t.dst[np.array(rows_tie, dtype=np.int64)]
    to_city = recipient < world.n_cities
    world.recipient_prog = np.array(rows_prog, dtype=np.int64)[to_city]
    world.recipient_city = recipient[to_city]
    active = [True] * len(rows_prog)
    world.handovers = _handover_plans(world, case, tie_of, rows_prog, rows_tie, active)
    world.row_prog = np.array(rows_prog, dtype=np.int64)
    world.row_tie = np.array(rows_tie, dtype=np.int64)
    world.initial_row_active = np.array(active, dtype=bool)
    # (3, 1, rows): which pillars each row's programme pays for, pillar first.
    world.row_pillars = np.ascontiguousarray(world.prog_pillars[world.row_prog].T)[:, None, :]


def _phases(programme: dict[str, Any]) -> list[dict[str, Any]]:
    """A programme's phases. A single-phase programme is read from its top-level start, end,
    budget and pillars, which callers (tests, experiments) may change on a loaded scenario."""
    listed = programme.get("phases") or []
    if len(listed) > 1:
        return listed
    keys = ("start", "end", "budget", "pillars")
    return [{key: programme[key] for key in keys}]


def _handover_plans(
    world: World,
    case: Scenario,
    tie_of: dict[tuple[int, int], int],
    rows_prog: list[int],
    rows_tie: list[int],
    active: list[bool],
) -> dict[int, SimpleNamespace]:
    """Per handover event (by its position in ``case.events``): the rows it ends, the rows it
    starts (appended here, inactive until then), their ties, and which successor ties the
    handover created (they take the provider tie's trust and memory)."""
    plans: dict[int, SimpleNamespace] = {}
    handovers = [
        (ev["step"], k, ev) for k, ev in enumerate(case.events) if ev["type"] == "handover"
    ]
    if not handovers:
        return plans
    row_of = {
        (prog, tie): row for row, (prog, tie) in enumerate(zip(rows_prog, rows_tie, strict=True))
    }
    index = world.actor_index
    for _, position, ev in sorted(handovers, key=lambda h: (h[0], h[1])):
        prog = world.programme_index[ev["programme"]]
        successor = index[ev["successor"]]
        old_rows, new_rows, old_ties, new_ties, created = [], [], [], [], []
        for provider, recipient in ev["passes"]:
            old_tie = tie_of[(index[provider], index[recipient])]
            new_tie = tie_of[(successor, index[recipient])]
            old_rows.append(row_of[(prog, old_tie)])
            row_of[(prog, new_tie)] = len(rows_prog)
            new_rows.append(len(rows_prog))
            rows_prog.append(prog)
            rows_tie.append(new_tie)
            active.append(False)
            old_ties.append(old_tie)
            new_ties.append(new_tie)
            created.append(recipient in ev["created"])
        plans[position] = SimpleNamespace(
            programme=prog,
            successor=successor,
            old_rows=np.array(old_rows, dtype=np.int64),
            new_rows=np.array(new_rows, dtype=np.int64),
            old_ties=np.array(old_ties, dtype=np.int64),
            new_ties=np.array(new_ties, dtype=np.int64),
            created=np.array(created, dtype=bool),
        )
    return plans


def current_phase(world: World, step: int) -> np.ndarray:
    """(P,) each programme's phase at ``step``: the one running, or else the next one (the last
    once all have ended). Phases are in date order and do not overlap."""
    return np.minimum((world.phase_end <= step).sum(axis=1), world.phase_count - 1)


def phase_window(world: World, step: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(P,) first month, end month (exclusive) and budget of each programme's current phase: a
    programme pays only inside a phase, with that phase's budget."""
    if not world.phased:
        return world.prog_start, world.prog_end, world.prog_budget
    rows = np.arange(world.phase_count.size)
    k = current_phase(world, step)
    return world.phase_start[rows, k], world.phase_end[rows, k], world.phase_budget[rows, k]


def row_pillars_at(world: World, step: int) -> np.ndarray:
    """(3, 1, rows): which pillars each row's programme pays for in its phase at ``step``."""
    if not world.phased:
        return world.row_pillars
    rows = np.arange(world.phase_count.size)
    pillars = world.phase_pillars[rows, current_phase(world, step)]
    return np.ascontiguousarray(pillars[world.row_prog].T)[:, None, :]
