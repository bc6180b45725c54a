"""Capacity: violence destroys it, peace lets it recover by itself, aid speeds the recovery.

Collier (1999) finds civil war lowers growth and leaves incomes lower; after it, economies
recover, quickly after long wars, and Chen, Loayza and Reynal-Querol (2008) find recovery is
the norm once peace lasts. Collier and Hoeffler (2004) find aid raises post-conflict growth,
most when capacity to absorb it has recovered. So (ODD 7.6):

    K <- K + r_K (1 - D)(c0 + (1 - c0) cohesion)(1 + g_aid r_dev)(1 - K)
           - dep (1 - ownership x participation) K - delta_K D^2 K

where ``r_dev`` is the response of the city's development effect stock (``sim.rules.money``).
Without aid a city recovers slowly, never collapses; war stops recovery and destroys capacity,
and destroys completed assets (the development stock) at the same rate. Destruction grows with
the square of violence, like flight (``sim.rules.displacement``): a month of war destroys far
more than a month of everyday violence.
"""

from __future__ import annotations

import numpy as np

Coefficient = float | np.ndarray


def capacity_update(
    capacity: np.ndarray,
    D: np.ndarray,
    cohesion: np.ndarray,
    dev_response: np.ndarray,
    participation: np.ndarray,
    p,
) -> np.ndarray:
    """One month of capacity, in [0, 1]; ``p`` is a RecoveryParams."""
    speed = p.rate * (1.0 - D) * (p.cohesion_floor + (1.0 - p.cohesion_floor) * cohesion)
    growth = speed * (1.0 + p.aid_gain * dev_response) * (1.0 - capacity)
    depreciation = p.depreciation * (1.0 - p.ownership * participation) * capacity
    damage = p.damage * D * D * capacity
    return np.clip(capacity + growth - depreciation - damage, 0.0, 1.0)


def destroy(stock: np.ndarray, D: np.ndarray, damage: Coefficient) -> np.ndarray:
    """Completed assets destroyed by violence: ``Z (1 - delta_K D^2)``."""
    return stock * (1.0 - damage * D * D)
