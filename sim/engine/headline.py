"""The headline indices (ODD 7.9, issue 15): population-weighted means over the recipient side
(the scenario's ``focus`` cities, or the cities any programme targets) and over the cities of
communities in a divide, beside the means over every city that a few large provider cities
dominate. Weights are the people each city holds now (residents and hosted displaced), the
same convention as the model-level population-weighted means.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from sim.rules import total

# The indices each side records (the recipient side also its D, S, C, needs and capacity, the
# dashboard's panels, and its vertical integration, the relationships panel's), in this order.
HEADLINE_INDICES = {
    "recipients": (
        "D",
        "S",
        "C",
        "needs",
        "capacity",
        "negative_peace",
        "positive_peace",
        "peace",
    ),
    "divided": ("negative_peace", "positive_peace", "peace"),
}
HEADLINE = tuple(
    f"{index}_{group}" for group, indices in HEADLINE_INDICES.items() for index in indices
)
# Recorded beside ``vertical_integration``, not among HEADLINE: v_i is no population mean over
# every city (ODD 7.7), so it is not one of the WEIGHTED series the headline groups pick from.
VERTICAL_RECIPIENTS = "vertical_integration_recipients"

Sums = Callable[[Sequence[np.ndarray], np.ndarray], list[np.ndarray]]


class Headline:
    """Each month's headline means: :meth:`means` first, then :meth:`recipients_mean` for any
    other per-city quantity over the same recipient cities with the same weights."""

    def __init__(self, groups: object, weighted_names: Sequence[str], sums: Sums) -> None:
        self.sides = (("recipients", groups.recipient_cities), ("divided", groups.divided_cities))
        self.rows = {
            group: [list(weighted_names).index(name) for name in indices]
            for group, indices in HEADLINE_INDICES.items()
        }
        self.sums = sums  # the recorder's weighted row sums (one summation order everywhere)
        self._recipients: tuple[np.ndarray, np.ndarray] | None = None

    def means(
        self,
        series: Sequence[np.ndarray],
        people: np.ndarray,
        weighted: Sequence[np.ndarray],
        people_sum: np.ndarray,
    ) -> list[np.ndarray]:
        """Population-weighted means over each side's cities (0 for an empty side), in the
        order of HEADLINE; ``series`` the weighted series, each (R, N), ``weighted`` their sums
        weighted by ``people`` over every city, ``people_sum`` its sum."""
        out = []
        for group, cities in self.sides:
            if cities.all():  # every city (a synthetic world's groups): the sums just made
                weight = np.maximum(people_sum, 1e-12)
                out += [weighted[k] / weight for k in self.rows[group]]
                w = people
            else:
                w = np.where(cities, people, 0.0)
                weight = np.maximum(total(w), 1e-12)
                sums = self.sums([series[k] for k in self.rows[group]], w)
                out += [x / weight for x in sums]
            if group == "recipients":
                self._recipients = (w, weight)
        return out

    def recipients_mean(self, by_city: np.ndarray) -> np.ndarray:
        """(R,) the population-weighted mean of ``by_city`` (R, N) over the recipient side,
        with this month's weights (:meth:`means` first); 0 for an empty side."""
        if self._recipients is None:
            raise RuntimeError("Headline.means must run first this month")
        w, weight = self._recipients
        return self.sums([by_city], w)[0] / weight
