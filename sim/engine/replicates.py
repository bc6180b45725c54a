"""Replicates: what one run of an ensemble is, lists of them, and worker processes for them.

:class:`Replicate` is a seed, a policy, coefficient overrides and lever settings. An ensemble's
replicates come from the product of axes (:func:`product`) or from a design's rows
(:func:`zipped_replicates`); :func:`in_processes` spreads batches over worker processes.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import Any

import numpy as np

from sim.errors import ConfigError


@dataclass(frozen=True)
class Replicate:
    """One run of an ensemble.

    Args:
        seed: the run's own random seed.
        policy: a policy of the scenario (``baseline`` for none).
        params: nested overrides of the model coefficients, e.g. ``{"trust": {"decay": 0.03}}``.
        levers: lever settings, e.g. ``{"coordination": 1.0}``.
        label: free text that names the replicate in reports (a null model, a draw).
    """

    seed: int = 0
    policy: str = "baseline"
    params: Mapping[str, Any] = field(default_factory=dict)
    levers: Mapping[str, Any] = field(default_factory=dict)
    label: str = ""


def product(
    seeds: Iterable[int],
    policies: Sequence[str],
    params: Sequence[Mapping[str, Any]],
    levers: Sequence[Mapping[str, Any]],
) -> list[Replicate]:
    return [
        Replicate(seed=int(s), policy=p, params=dict(q), levers=dict(v))
        for p, q, v, s in itertools.product(policies, params, levers, list(seeds))
    ]


def zipped_replicates(
    seeds: Sequence[int],
    policies: Sequence[str] | None,
    params: Mapping[str, Sequence[Any]] | None,
    levers: Mapping[str, Sequence[Any]] | None,
) -> list[Replicate]:
    """Replicate i: ``seeds[i]``, ``policies[i]`` and the i-th value of every column of
    ``params`` (dotted keys such as ``trust.decay``) and ``levers``; ConfigError unless every
    column has one value per seed."""
    r = len(seeds)
    columns = {"policies": policies or ["baseline"] * r}
    columns |= {f"params.{k}": v for k, v in (params or {}).items()}
    columns |= {f"levers.{k}": v for k, v in (levers or {}).items()}
    for key, values in columns.items():
        if len(values) != r:
            raise ConfigError("Ensemble", key, f"{len(values)} values", f"one per seed ({r})")
    reps = []
    for i, seed in enumerate(seeds):
        nested: dict[str, Any] = {}
        for key, values in (params or {}).items():
            group, _, name = key.rpartition(".")
            nested.setdefault(group, {})[name] = _plain(values[i])
        chosen = {k: _plain(v[i]) for k, v in (levers or {}).items()}
        reps.append(Replicate(int(seed), columns["policies"][i], nested, chosen))
    return reps


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def cpu_workers(runs: int, per_worker: int = 64) -> int:
    """Worker processes worth starting for ``runs`` replicates: up to the usable cores (at most
    2), one per ``per_worker`` runs (forking and returning results cost about that much)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 2, runs // per_worker))


def in_processes(function: Any, args: list[Any], workers: int) -> list[Any]:
    """``[function(a) for a in args]`` over ``workers`` forked processes, in order.

    Forked where the platform can (a worker starts at once, with the modules already
    imported); Python 3.12 warns about forking a process with threads (numpy's BLAS pool
    idles in one), which holds no lock the workers need.
    """
    import multiprocessing
    import warnings

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
        with ProcessPoolExecutor(min(workers, len(args)), mp_context=get_context(method)) as pool:
            return list(pool.map(function, args))


# A batch's fixed cost (its months' Python and numpy calls, whatever its size), in units of
# one replicate's work on one actor or tie: about 3,000. Measured on tuzla (116 actors and
# ties): one run alone 0.40 s, 30 runs in one batch 0.85 s (issue 14's table at 3be7642), so a
# batch costs about as much as 26 more tuzla replicates. An assumption for other worlds.
BATCH_ELEMENTS = 3000


def balanced_parts(sizes: Sequence[int], workers: int, overhead: Sequence[float]) -> list[int]:
    """How many chunks to cut each group of replicates into (``sizes``, one batch each by
    default) so that ``workers`` processes finish together: a chunk of r replicates of group
    g costs ``r + overhead[g]`` (its batch's fixed cost, in replicates); chunks go to the
    least loaded worker, largest first. Starting from one chunk per group, the group with the
    largest chunks is cut into one more while that shortens the longest worker's load: five
    groups of 30 tuzla runs on two workers become six chunks (one group in halves), 150
    against 165 replicates' worth on the busier worker."""
    parts = [1] * len(sizes)
    best = _longest_load(chunk_sizes(sizes, parts), workers, overhead)
    while True:
        g = max(range(len(sizes)), key=lambda k: sizes[k] / parts[k])
        if sizes[g] <= parts[g]:
            return parts
        parts[g] += 1
        load = _longest_load(chunk_sizes(sizes, parts), workers, overhead)
        if load >= best:
            parts[g] -= 1
            return parts
        best = load


def chunk_sizes(sizes: Sequence[int], parts: Sequence[int]) -> list[list[int]]:
    """Each group's chunk sizes: ``parts[g]`` chunks of at most ceil(size / parts) replicates."""
    out = []
    for size, n in zip(sizes, parts, strict=True):
        step = -(-size // n)
        out.append([min(step, size - start) for start in range(0, size, step)])
    return out


def _longest_load(chunks: list[list[int]], workers: int, overhead: Sequence[float]) -> float:
    """The busiest worker's load when the chunks go, largest first, to the least loaded."""
    costs = sorted((r + overhead[g] for g, sizes in enumerate(chunks) for r in sizes), reverse=True)
    loads = [0.0] * max(workers, 1)
    for cost in costs:
        loads[loads.index(min(loads))] += cost
    return max(loads)
