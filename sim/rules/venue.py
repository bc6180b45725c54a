"""The neutral venue: mediated talks are held abroad, away from the violence at home.

A mediator brings the two sides together at a place far from the fighting: MAP's preparatory
meetings were all held in cities abroad while armed clashes were in full swing
(004:3143-3151), and Wageningen persuaded Serb and Croat delegations who would not meet each
other's eyes to sit together in the Netherlands, "far from the painful history"
(001:5119-5129); bringing people who could not meet in the conflict to a neutral place is
what makes such contact possible (001:5144-5148). So a relationship a mediator is carrying
this month is exposed to only part of the direct violence at home above its usual level
(``displacement.excess``, ODD 7.5):

    E_exposed = E (1 - venue_shield x mediated)

The rest still reaches it: the delegates answer to constituencies living under that violence
(MAP's talks were doubted and criticised throughout, 004:3143-3149). Where it is read: the
violence shock on a mediated tie's trust (``sim.rules.trust.violence_shock``) and the test of
whether an alliance's mediated talks stall (``sim.rules.alliances.advance``). An alliance
once active works at home (offices, seconded staff), so its suspension reads D unshielded.
"""

from __future__ import annotations

import numpy as np

Coefficient = float | np.ndarray


def exposure(violence: np.ndarray, mediated: np.ndarray, shield: Coefficient) -> np.ndarray:
    """Direct violence a relationship is exposed to: ``D (1 - shield [mediated])``.

    ``violence`` and ``mediated`` have the same shape (ties, or alliances, with a leading
    replicate axis); ``shield`` is a share in [0, 1], a number or ``(R, 1)``. The result is in
    [0, D].
    """
    return violence * (1.0 - shield * mediated)
