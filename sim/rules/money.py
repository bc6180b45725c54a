"""Money on one scale: the dose unit, absorptive capacity and effect stocks (ODD 7.4).

Scenario budgets are in units per month (1 unit = EUR 1,000 a month at 2000 prices). Every
rule that reads money reads it as a *dose*: EUR per recipient inhabitant per year,
``x = units x 12,000 / population``, through :func:`dose`. What a dose does saturates with
absorptive capacity (Collier and Hoeffler 2004): :func:`response` is used fully at small doses
and levels off at a ceiling ``A(K)`` that grows with the recipient's capacity K. Effects act
through slow stocks (:func:`effect_stock`), so a programme moves the targets that structural
and cultural violence relax toward, for as long as its Lederach horizon says its effect lasts.
"""

from __future__ import annotations

import numpy as np

Coefficient = float | np.ndarray

EUR_PER_UNIT_YEAR = 12_000.0  # one unit a month, for a year, in EUR (2000 prices)


def dose(units: np.ndarray, population: np.ndarray) -> np.ndarray:
    """EUR per inhabitant per year of a monthly flow of ``units``: ``units x 12,000 / pop``.

    ``population`` is the people the money serves (residents and hosted displaced); an empty
    city counts as one person, so a dose is always finite.
    """
    return units * EUR_PER_UNIT_YEAR / np.maximum(population, 1.0)


def ceiling(capacity: np.ndarray, a0: Coefficient) -> np.ndarray:
    """A(K) = a0 + (1 - a0) K: the most a city of capacity K can absorb (Collier-Hoeffler)."""
    return a0 + (1.0 - a0) * capacity


def response(
    x: np.ndarray, capacity: np.ndarray, x_half: Coefficient, a0: Coefficient
) -> np.ndarray:
    """r(x, K) = A(K) (1 - exp(-x / (x_half A(K)))), in [0, A(K)].

    Small doses are used fully whatever the capacity (slope ``1 / x_half`` at 0); large ones
    saturate at the ceiling ``A(K)``. ``x`` is a dose in EUR per inhabitant per year.
    """
    a = ceiling(capacity, a0)
    return a * -np.expm1(-np.maximum(x, 0.0) / (x_half * a))


def saturation(x: np.ndarray, x_half: Coefficient) -> np.ndarray:
    """1 - exp(-x / x_half): the response of a fully capable city (A = 1), in [0, 1)."""
    return -np.expm1(-np.maximum(x, 0.0) / x_half)


def effect_stock(stock: np.ndarray, x: np.ndarray, lifetime: Coefficient) -> np.ndarray:
    """Z <- Z (1 - 1/tau) + (value delivered this month, EUR per inhabitant) x 12 / tau.

    ``x`` is this month's delivered value as a yearly dose (:func:`dose` of the units
    delivered), so the last term is ``x / tau``: a flow held for long settles at its yearly
    dose, and the stock forgets with lifetime ``tau`` months. A completed project adds the dose
    of its whole spent value once.
    """
    return stock * (1.0 - 1.0 / lifetime) + x / lifetime
