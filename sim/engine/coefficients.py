"""Per-replicate coefficients: every parameter, switch and lever as an ``(R, 1)`` array.

A batch holds R replicates of one scenario, each with its own :class:`ModelParams` and
:class:`Levers`. :class:`Coefficients` stacks them field by field, so ``co.trust.decay`` is the
(R, 1) column of the replicates' decay rates, which broadcasts against (R, N) city and (R, E)
tie arrays: the rules read the same with one replicate or a thousand. Floats stay float64,
whole numbers int64 and switches bool, each with exactly the value its replicate was given.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np

from sim.engine.params import Levers, ModelParams


def _column(values: list[Any], default: Any) -> np.ndarray:
    """(R, 1) column of one field, typed by the field's default (a float field stays float
    when a replicate gives it as a whole number)."""
    kind = type(default)
    dtype = bool if kind is bool else np.int64 if kind is int else np.float64
    return np.array(values, dtype=dtype).reshape(len(values), 1)


def _stack(objects: Sequence[Any]) -> SimpleNamespace:
    """One namespace per dataclass level: dataclasses recurse, values become (R, 1) columns."""
    defaults = type(objects[0])()
    out = {}
    for f in dataclasses.fields(defaults):
        values = [getattr(o, f.name) for o in objects]
        default = getattr(defaults, f.name)
        if dataclasses.is_dataclass(default):
            out[f.name] = _stack(values)
        else:
            out[f.name] = _column(values, default)
    return SimpleNamespace(**out)


class Coefficients:
    """The model coefficients (``co.<group>.<name>``) and levers (``co.levers.<name>``) of R
    replicates, each an (R, 1) array; see the module docstring."""

    def __init__(self, params: Sequence[ModelParams], levers: Sequence[Levers]) -> None:
        if not params or len(params) != len(levers):
            from sim.errors import ConfigError

            raise ConfigError(
                "batch", "replicates", f"{len(params)} params, {len(levers)} levers",
                "one ModelParams and one Levers per replicate, at least one",
            )  # fmt: skip
        self.params: list[ModelParams] = list(params)
        self.lever_sets: list[Levers] = list(levers)
        self._build()

    def _build(self) -> None:
        model = _stack(self.params)
        for group in vars(model):
            setattr(self, group, getattr(model, group))
        self.levers = _stack(self.lever_sets)

    @property
    def size(self) -> int:
        """R, the number of replicates."""
        return len(self.params)

    def set_levers(self, replicate: int, levers: Levers) -> None:
        """Replace one replicate's levers (they take effect from the next month)."""
        self.lever_sets[replicate] = levers
        self.levers = _stack(self.lever_sets)

    def select(self, rows: Sequence[int]) -> Coefficients:
        """The coefficients of a subset of the replicates, in the given order."""
        return Coefficients([self.params[i] for i in rows], [self.lever_sets[i] for i in rows])
