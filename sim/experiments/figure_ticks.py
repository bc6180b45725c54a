"""Date ticks worked out once per view, for figures whose panels share one date axis.

A figure with a constrained layout asks each panel's axis for its ticks and their labels on
every layout pass and again to draw: validate's fan charts (ten panels sharing one x-axis)
asked matplotlib's ``AutoDateLocator`` 268 times for the same view, each time walking a
``dateutil`` rule, and its ``AutoDateFormatter`` to format the same dates as often. These
subclasses keep what they worked out for a view (the locator also the frequency it chose,
which the formatter's unit comes from), so each later call returns what the first returned:
the same ticks and labels, so the same image.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.dates import AutoDateFormatter, AutoDateLocator


class OnceDateLocator(AutoDateLocator):
    """``AutoDateLocator`` whose ticks for a view interval are computed once."""

    def __call__(self) -> np.ndarray:
        seen = self.__dict__.setdefault("_seen", {})
        key = tuple(float(v) for v in self.axis.get_view_interval())
        if key not in seen:
            seen[key] = (np.array(super().__call__(), copy=True), self._freq)
        ticks, self._freq = seen[key]
        return ticks.copy()


class OnceDateFormatter(AutoDateFormatter):
    """``AutoDateFormatter`` whose labels for a set of ticks (at one unit) are made once."""

    def format_ticks(self, values: Any) -> list[str]:
        seen = self.__dict__.setdefault("_seen", {})
        key = (tuple(float(v) for v in values), float(self._locator._get_unit()))
        if key not in seen:
            seen[key] = super().format_ticks(values)
        self.set_locs(values)
        return list(seen[key])


def once_date_ticks(axis: Any) -> None:
    """Make a date ``axis``'s own locator and formatter (shared by every axis sharing it) the
    caching ones above, keeping every setting matplotlib's date converter gave them."""
    locator, formatter = axis.get_major_locator(), axis.get_major_formatter()
    if type(locator) is AutoDateLocator and type(formatter) is AutoDateFormatter:
        locator.__class__ = OnceDateLocator
        formatter.__class__ = OnceDateFormatter
