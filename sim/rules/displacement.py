"""Displacement: residents flee violence above their city's usual level and return when it
ebbs; hosted displaced leave (ODD 7.6).

A city has residents present P (``population``), displaced people it hosts from elsewhere H
(``displaced``) and its own people who fled X (``fled``). People flee war, not a city's everyday
violence, so the rules read the excess of direct violence over the city's usual level U:

    E        = max(D - U, 0)
    outflow  = phi E^2 P                     (UNHCR 2004: ~2 of 4.4 million in 3.5 years)
    return   = rho (1 - E)(0.5 + 0.5 K) X    (about half in a decade in good conditions)
    H       <- H (1 - host_leave (1 - E))
    U       <- U + lambda (D - U)            (half-life ~10 years)
    U_0      = what the city's structure sustains without events (its no-event D target)

so war empties a city, and when it ends people come back even to a city with everyday crime. U_0
is not the encoded D: a war under way at the start is a war (E > 0 from the first month).
"""

from __future__ import annotations

import numpy as np

Coefficient = float | np.ndarray


def excess(D: np.ndarray, usual: np.ndarray) -> np.ndarray:
    """``E = max(D - U, 0)``: direct violence above the city's usual level, in [0, 1]."""
    return np.maximum(D - usual, 0.0)


def flows(
    residents: np.ndarray,
    fled: np.ndarray,
    E: np.ndarray,
    capacity: np.ndarray,
    outflow: Coefficient,
    return_rate: Coefficient,
) -> tuple[np.ndarray, np.ndarray]:
    """(residents, fled) after a month of flight and return, driven by the excess violence
    ``E`` (:func:`excess`); people are conserved."""
    leaving = np.minimum(outflow * E * E, 1.0) * residents
    back = np.minimum(return_rate * (1.0 - E) * (0.5 + 0.5 * capacity), 1.0) * fled
    return residents - leaving + back, fled + leaving - back


def hosted(displaced: np.ndarray, E: np.ndarray, leave: Coefficient) -> np.ndarray:
    """Hosted displaced people after a month: ``H (1 - leave (1 - E))``."""
    return displaced * (1.0 - leave * (1.0 - E))


def usual(usual_D: np.ndarray, D: np.ndarray, rate: Coefficient) -> np.ndarray:
    """The usual level after a month: ``U + lambda (D - U)``, a slow average of the city's own
    direct violence, so that a level the city has lived with for decades is not a war."""
    return usual_D + rate * (D - usual_D)
