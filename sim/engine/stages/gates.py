"""Stage 2, gates: which provider->recipient channels are open this month (rules.gates)."""

from __future__ import annotations

import numpy as np

from sim.engine.chunks import by_ties
from sim.engine.coefficients import Coefficients
from sim.engine.state import State
from sim.engine.world import World
from sim.rules import gates


def open_channels(world: World, state: State, co: Coefficients) -> tuple[np.ndarray, np.ndarray]:
    """((3, R, E) open channels of the carrying ties, (R, E) provider is a third channel).

    Ties that carry no activities (governance, membership, mediation) are closed; the null
    model's switch (``switches.gates`` off) opens every channel of every carrying tie.
    """
    a, t, countries = world.actors, world.ties, state.countries
    third = gates.third_channel(
        a.is_io, state.actors.neutrality, a.sanction_exempt, co.gates.io_neutrality_min
    )
    third_src = np.take(third, t.src, axis=1)
    return by_ties(
        _carrying_channels,
        t.carries,
        t.src_country,
        t.dst_country,
        countries.permission,
        countries.sanctioned,
        countries.hostility,
        third_src,
        t.src_is_io,
        t.human_security,
        n_ties=world.n_ties,
        hostility_close=co.gates.hostility_close,
        io_channel=co.levers.io_channel,
        direct_channel=co.levers.direct_channel,
        gates_on=co.switches.gates,
    ), third_src


def _carrying_channels(
    carries: np.ndarray, *args: np.ndarray, gates_on: np.ndarray, **kw: object
) -> np.ndarray:
    """The gate rule on a block of ties; the null model's switch opens every channel."""
    return (gates.open_channels(*args, **kw) | ~gates_on) & carries
