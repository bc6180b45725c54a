"""Displacement: residents flee violence and return in peace; hosted displaced leave (ODD 7.6).

A city has residents present P (``population``), displaced people it hosts from elsewhere H
(``displaced``) and its own people who fled X (``fled``). Each month

    outflow  = phi D^2 P                     (UNHCR 2004: ~2 of 4.4 million in 3.5 years)
    return   = rho (1 - D)(0.5 + 0.5 K) X    (about half in a decade in good conditions)
    H       <- H (1 - host_leave (1 - D))

so war empties a city and peace with working services brings people back.
"""

from __future__ import annotations

import numpy as np

Coefficient = float | np.ndarray


def flows(
    residents: np.ndarray,
    fled: np.ndarray,
    D: np.ndarray,
    capacity: np.ndarray,
    outflow: Coefficient,
    return_rate: Coefficient,
) -> tuple[np.ndarray, np.ndarray]:
    """(residents, fled) after a month of flight and return; people are conserved."""
    leaving = np.minimum(outflow * D * D, 1.0) * residents
    back = np.minimum(return_rate * (1.0 - D) * (0.5 + 0.5 * capacity), 1.0) * fled
    return residents - leaving + back, fled + leaving - back


def hosted(displaced: np.ndarray, D: np.ndarray, leave: Coefficient) -> np.ndarray:
    """Hosted displaced people after a month: ``H (1 - leave (1 - D))``."""
    return displaced * (1.0 - leave * (1.0 - D))
