"""Designs: how a designed sweep samples, and which seeds its runs get.

What a design varies, and its file, are ``sim.experiments.design_file`` (re-exported here).
The sampled points are crossed with any comma sweeps on the command line (``policy=a,b``) and
with the replication seeds, which are spawned from one root ``numpy.random.SeedSequence`` (the
same seeds for every point: common random numbers).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.errors import ConfigError
from sim.experiments.design_file import (  # noqa: F401 - the design's names, imported from here
    DESIGN_KEYS,
    MAX_RUNS,
    METHODS,
    RANGE_KEYS,
    SEED_MAX,
    SPEC,
    Design,
    DesignFile,
    Parameter,
    check_design,
    declared_ranges,
    design_dir,
    load_design,
    parameter,
)


def _children(design: Design, count: int) -> list[np.random.SeedSequence]:
    # Child 0 drives the sampler, child r+1 replication r. spawn() is sequential, so asking for
    # more replications later keeps the seeds (and the completed runs) of the first ones.
    return np.random.SeedSequence(design.root_seed).spawn(count)


def replication_seeds(design: Design) -> list[int]:
    """One model seed per replication, spawned from the design's root SeedSequence."""
    kids = _children(design, design.replications + 1)[1:]
    return [int(k.generate_state(1, np.uint64)[0] >> np.uint64(1)) for k in kids]


def latin_hypercube(d: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` points of a Latin hypercube in ``[0, 1)^d``: each parameter's range cut into ``n``
    equal strata, one point in each, the strata paired at random across parameters (McKay,
    Beckman and Conover 1979, Technometrics).

    The draws of scipy's ``qmc.LatinHypercube(d, rng=rng).random(n)`` (scramble, strength 1,
    no optimisation; scipy 1.18), so a design's points, and its runs' config hashes, are the
    ones scipy gave: ``tests/test_design_lhs.py`` compares them. Written out because importing
    ``scipy.stats`` costs a sweep's leader about a second (its distributions format their
    docstrings on import).
    """
    rng = rng.spawn(1)[0]  # scipy draws from a child of the generator it is given
    within = rng.uniform(size=(n, d))  # where in its stratum each point lies
    strata = np.tile(np.arange(1, n + 1), (d, 1))
    for row in strata:  # one permutation per parameter, in scipy's order of draws
        rng.shuffle(row)
    return (strata.T - within) / n


def sample(design: Design) -> np.ndarray:
    """The design points, shape (points, parameters), in the parameters' units."""
    d = len(design.parameters)
    if design.method == "replicate":
        return np.zeros((1, 0))
    sampler_seed = int(_children(design, 1)[0].generate_state(1)[0])
    if design.method == "lhs":
        unit = latin_hypercube(d, design.n, np.random.default_rng(sampler_seed))
        lows = np.array([p.low for p in design.parameters])
        highs = np.array([p.high for p in design.parameters])
        points = unit * (highs - lows) + lows  # scipy's qmc.scale (bounds checked on reading)
    elif design.method == "sobol":
        from SALib.sample import sobol

        points = sobol.sample(
            design.problem,
            design.n,
            calc_second_order=design.second_order,
            scramble=design.scramble,
            seed=sampler_seed,
        )
    else:
        from SALib.sample import morris

        points = morris.sample(
            design.problem, design.n, num_levels=design.levels, seed=sampler_seed
        )
    for j, p in enumerate(design.parameters):
        if p.integer:
            points[:, j] = np.clip(np.round(points[:, j]), p.low, p.high)
    return points


def _format(value: float, integer: bool) -> str:
    # repr round-trips a float exactly, so the run gets precisely the sampled value.
    return str(int(value)) if integer else repr(float(value))


def combinations(task: Sequence[str]) -> list[list[str]]:
    """The command line's sweep combinations (``policy=a,b`` gives two), counted before they
    are listed so that a ``seed='range(0,10**9)'`` is refused instead of filling the memory."""
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
    from hydra.core.override_parser.overrides_parser import OverridesParser

    if not task:
        return [[]]
    try:
        parsed = OverridesParser.create().parse_overrides(list(task))
        count = 1
        for ov in parsed:
            if ov.is_sweep_override():
                values = sum(1 for _ in itertools.islice(ov.sweep_string_iterator(), MAX_RUNS + 1))
                count *= values
                if count > MAX_RUNS:
                    raise ConfigError(
                        "command line",
                        ov.get_key_element(),
                        ov.input_line.split("=", 1)[-1],
                        f"sweeps of at most {MAX_RUNS:,} combinations in all",
                    )
        return BasicSweeper.split_arguments(parsed, None)[0]
    except ConfigError:
        raise
    except Exception as exc:  # Hydra's override grammar
        from sim.cli import explain

        raise ConfigError("command line", "overrides", " ".join(task), explain(exc)) from None


def plan(design: Design, overrides: Sequence[str]) -> pd.DataFrame:
    """Every job: design point x command-line sweep combination x replication.

    Columns: job, design_point, combo, replication, seed, seed_root, overrides (the exact
    Hydra override string of the job) and one column per parameter.
    """
    task = [o for o in overrides if not o.lstrip("+~").startswith(("hydra.", "hydra/"))]
    if any(o.split("=", 1)[0] == "seed" for o in task):
        raise ConfigError(
            "command line", "seed", "(given)", "no seed: replication seeds come from the design"
        )
    keys = {o.split("=", 1)[0].lstrip("+~") for o in task}
    clash = keys & {p.key for p in design.parameters}
    if clash:
        key = sorted(clash)[0]
        raise ConfigError("command line", key, "(given)", "not a design parameter as well")
    combos = combinations(task)
    runs = design.points * len(combos) * design.replications
    if runs > MAX_RUNS:
        raise ConfigError(
            "command line",
            "overrides",
            " ".join(task),
            f"a sweep of at most {MAX_RUNS:,} runs ({runs:,} planned: "
            f"{design.points:,} points x {len(combos):,} combinations x "
            f"{design.replications:,} replications)",
        )
    points = sample(design)
    seeds = replication_seeds(design)
    rows = []
    for i, point in enumerate(points):
        params = [
            f"{p.key}={_format(v, p.integer)}"
            for p, v in zip(design.parameters, point, strict=True)
        ]
        for combo in combos:
            for r, seed in enumerate(seeds):
                job = [*combo, *params, f"seed={seed}"]
                row = {
                    "job": len(rows),
                    "design_point": i,
                    "combo": " ".join(combo),
                    "replication": r,
                    "seed": seed,
                    "seed_root": design.root_seed,
                    "overrides": " ".join(job),
                }
                for p, v in zip(design.parameters, point, strict=True):
                    row[p.key] = int(v) if p.integer else float(v)
                rows.append(row)
    return pd.DataFrame(rows)
