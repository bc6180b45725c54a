"""Stage 5a, delivery and the triple nexus: what accepted offers do (rules.nexus).

Per-pillar arrays put the pillar first: flows (3, R, E), money received (3, R, N).
"""

from __future__ import annotations

import numpy as np

from sim.engine.chunks import by_ties
from sim.engine.coefficients import Coefficients
from sim.engine.month import Month
from sim.engine.state import State
from sim.engine.world import World
from sim.rules import DEV, HUM, PEACE, group_sum, nexus


def deliver(world: World, state: State, co: Coefficients, month: Month) -> np.ndarray:
    """Relief, dependency, do no harm and peace work; returns the (R, N) nexus multiplier."""
    c, t, dp, n = state.cities, world.ties, co.delivery, world.n_cities
    step = month.step
    # Each tie delivers the share of its offer that was taken.
    flows = month.offer * month.taken
    received = group_sum(flows, t.dst, world.n_actors)[..., :n]
    c.received = received
    c.last_received = np.where(received > 0, step, c.last_received)
    mult = nexus.nexus_multiplier(
        c.last_received, step, dp.nexus_window, dp.synergy, co.levers.coordination
    )
    pt = nexus.per_thousand(received, c.population)
    # Humanitarian aid: fast relief that fades, dependency without development.
    c.needs = nexus.humanitarian_relief(c.needs, pt[HUM], mult, dp.hum_effect, dp.hum_scale)
    c.dependency = nexus.dependency_update(
        c.dependency, pt[HUM], received[DEV], dp.dependency_gain, dp.dependency_decay, dp.hum_scale
    )
    # Do no harm: aid by providers blind to conflict strains a mixed city's cohesion.
    careless = group_sum(flows.sum(axis=0) * t.carefree, t.dst, world.n_actors)[:, :n]
    all_received = received.sum(axis=0)
    insensitivity = np.divide(
        careless, all_received, out=np.zeros_like(careless), where=all_received > 0
    )
    c.cohesion = nexus.do_no_harm(
        c.cohesion, c.diversity, pt.sum(axis=0), insensitivity, dp.harm, dp.hum_scale
    )
    # Peace work builds trust on its tie and lowers cultural violence in the city.
    mult_actor = np.concatenate([mult, np.ones((mult.shape[0], world.n_actors - n))], axis=1)
    before = state.ties.trust
    after = by_ties(
        nexus.peace_work_trust,
        before,
        flows[PEACE],
        np.take(mult_actor, t.dst, axis=1),
        n_ties=world.n_ties,
        gain=dp.peace_trust,
        scale=dp.peace_scale,
    )
    state.ties.trust = after
    # Process matters for peace work too: the same participation factor as projects.
    c.C = nexus.peace_work_culture(c.C, pt[PEACE] * (0.5 + c.participation), mult, dp.peace_culture)
    # A middle-range provider spills part of the trust it built into the city's cohesion.
    spill = group_sum((after - before) * t.middle_src, t.dst, world.n_actors)[:, :n]
    spill = spill * dp.middle_spill
    c.cohesion = np.clip(c.cohesion + np.minimum(spill, 1.0) * (1.0 - c.cohesion), 0.0, 1.0)
    month.flows = flows
    return mult
