"""Stage 6, trust, second part: the delegates' trust and the re-entry transfer to their
communities (ODD 7.5, 7.7; rules.delegates, branch levels).

Run by ``stages.trust.update_trust`` after the communities' trust, memory and contact have
moved (in the numpy and the compiled form alike, so both read the same), before the
governance ties.
"""

from __future__ import annotations

import numpy as np

from sim.engine.coefficients import Coefficients
from sim.engine.state import State
from sim.engine.world import World
from sim.rules import delegates, trust


def update_delegates(
    world: World,
    state: State,
    co: Coefficients,
    before: np.ndarray,
    talks: tuple[np.ndarray | None, np.ndarray | None],
    cultural: np.ndarray,
) -> None:
    """Move the delegates' trust and pull the communities' toward it (rules.delegates).

    ``before`` is the communities' trust at the start of the month (R, E); ``talks`` (push,
    mediated): ``push`` (R, E) ``min(lift x talks, 1)``, the share of the gap this month's
    mediated talks close (None: nobody mediates), ``mediated`` (R, E) which ties met;
    ``cultural`` per actor (R, A)."""
    ties, t = state.ties, world.ties
    push, mediated = talks
    if push is None or mediated is None:  # nobody mediates this month
        if world.groups.not_mediation.all():
            # No mediation tie in the world: nothing ever builds a surplus, the two levels are
            # one (the same array, so every writer of the communities' trust writes both).
            ties.delegates = ties.trust
            return
        push, mediated = 0.0, np.zeros(ties.trust.shape, dtype=bool)  # a surplus fades
    kept = delegates.surplus(ties.delegates, before)
    ties.delegates = delegates.after_month(ties.trust, kept, mediated, push, co.trust.decay)
    bound = trust.mediation_ceiling(
        np.take(cultural, t.src, axis=1), np.take(cultural, t.dst, axis=1),
        co.trust.mediation_ceiling,
    )  # fmt: skip
    ties.trust = delegates.transfer(
        ties.trust, ties.delegates, bound, world.groups.horizontal_tie, co.delegates.transfer
    )
