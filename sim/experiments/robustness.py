"""Robustness to the coefficients: draws of every coefficient within +-p of its value.

``citypeace validate ... perturb=0.25 draws=20`` runs the scenario once per draw (the same seeds
for each draw) and reports, per pattern, the share of draws in which it passes. A draw takes
every coefficient of :class:`~sim.engine.params.ModelParams` (not the rule switches, not the
policy levers) uniformly within ``value x (1 - p)`` and ``value x (1 + p)``, clipped to the
coefficient's documented range; whole-number coefficients are rounded. A coefficient at 0 stays
at 0: a switched-off term is a modelling choice, not a value to wobble.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from sim.engine.params import ModelParams
from sim.errors import ConfigError

PERTURB_MAX = 1.0  # +-100%: beyond that a draw can flip a coefficient's sign
DRAWS_MAX = 1000
_SKIP = ("switches",)  # whole rules, switched by null models, never drawn


def check(perturb: float, draws: int) -> None:
    """ConfigError unless 0 < perturb <= 1 and 1 <= draws <= 1000."""
    if not (math.isfinite(perturb) and 0.0 < perturb <= PERTURB_MAX):
        raise ConfigError(
            "validate", "perturb", perturb, f"a share in (0, {PERTURB_MAX:g}], e.g. 0.25 for +-25%"
        )
    if not 1 <= draws <= DRAWS_MAX:
        raise ConfigError("validate", "draws", draws, f"a whole number in [1, {DRAWS_MAX}]")


def coefficients(params: ModelParams | None = None) -> list[tuple[str, Any, tuple, bool]]:
    """(dotted key, value, range, is whole number) of every drawable coefficient."""
    params = ModelParams() if params is None else params
    out: list[tuple[str, Any, tuple, bool]] = []
    for group in dataclasses.fields(params):
        if group.name in _SKIP:
            continue
        section = getattr(params, group.name)
        for f in dataclasses.fields(section):
            rng = f.metadata.get("range")
            value = getattr(section, f.name)
            if rng is None or isinstance(value, bool):
                continue
            out.append((f"{group.name}.{f.name}", value, tuple(rng), isinstance(value, int)))
    return out


def draw(
    params: ModelParams | None, perturb: float, index: int, seed: int = 0
) -> dict[str, dict[str, float | int]]:
    """Draw ``index``: nested overrides of every coefficient (reproducible from seed, index)."""
    rng = np.random.default_rng([seed, index])
    out: dict[str, dict[str, float | int]] = {}
    for key, value, (lo, hi), whole in coefficients(params):
        a, b = sorted((value * (1.0 - perturb), value * (1.0 + perturb)))
        x = float(np.clip(rng.uniform(a, b), lo, hi))
        if whole:
            x = int(np.clip(round(x), math.ceil(lo), math.floor(hi)))
        group, name = key.split(".")
        out.setdefault(group, {})[name] = x
    return out


def draws_table(sampled: list[dict[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """One row per draw and coefficient (``draw``, ``key``, ``value``), for the record."""
    return [
        {"draw": i, "key": f"model.{group}.{name}", "value": value}
        for i, tree in enumerate(sampled)
        for group, values in tree.items()
        for name, value in values.items()
    ]
