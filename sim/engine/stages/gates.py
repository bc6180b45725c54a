"""Stage 2, gates: which provider->recipient channels are open this month (rules.gates)."""

from __future__ import annotations

import numpy as np

from sim.engine.coefficients import Coefficients
from sim.engine.kernels import gates as gates_loop
from sim.engine.stages import levels
from sim.engine.state import State
from sim.engine.world import World
from sim.rules import fused, gates


def open_channels(
    world: World, state: State, co: Coefficients, vertical: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """((3, R, E) open channels of the carrying ties, (R, E) provider is a third channel).

    ``vertical`` (R, N) is each city's vertical integration: per country, it keeps the
    hostility gate open longer (Lederach). A tie that is not active this month carries nothing.

    Ties that carry no activities (governance, membership, mediation) are closed; the null
    model's switch (``switches.gates`` off) opens every channel of every carrying tie.

    The rule reads a tie only through its two countries and three flags, so it is evaluated
    once per distinct combination of them (with and without a third channel), and each tie
    takes its combination's answer: the same answer per tie, for a few thousand evaluations
    instead of one per tie.
    """
    a, t, countries = world.actors, world.ties, state.countries
    third = gates.third_channel(
        a.is_io, state.actors.neutrality, a.sanction_exempt, co.gates.io_neutrality_min
    )
    n_inputs = world.gate_src.size
    answer = gates.open_channels(
        np.tile(world.gate_src, 2),
        np.tile(world.gate_dst, 2),
        countries.permission,
        countries.sanctioned,
        countries.hostility,
        np.repeat([False, True], n_inputs),  # the provider is a third channel
        np.tile(world.gate_is_io, 2),
        np.tile(world.gate_hs, 2),
        levels.country_vertical(world, vertical),
        hostility_close=co.gates.hostility_close,
        vertical_open=co.gates.vertical_open,
        io_channel=co.levers.io_channel,
        direct_channel=co.levers.direct_channel,
    )
    answer |= ~co.switches.gates  # the null model: every channel open
    if fused.wanted(state.ties.active.size):  # the same, in one loop (sim.engine.kernels)
        return gates_loop.open_ties(
            third, t.src, world.gate_key, answer, n_inputs, t.carries, state.ties.active
        )
    third_src = np.take(third, t.src, axis=1)
    # Each tie's combination: its fixed inputs, and whether its provider is a third channel.
    combination = world.gate_key + n_inputs * third_src  # (R, E)
    # ... as a position in the flattened (3, R x 2 combinations) answers: one gather per pillar
    # instead of take_along_axis's broadcast fancy index.
    r = combination.shape[0]
    flat = combination + (2 * n_inputs) * np.arange(r)[:, None] if r > 1 else combination
    allowed = np.take(answer.reshape(3, -1), flat, axis=1)
    return allowed & t.carries & state.ties.active, third_src
