"""The LHS sampler written out (sim.experiments.design.latin_hypercube) draws exactly what
scipy's ``qmc.LatinHypercube`` draws, so designs and their runs' config hashes (resume by
hash) are unchanged, and an LHS sweep's leader no longer imports ``scipy.stats``."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest


@pytest.mark.parametrize(("d", "n", "seed"), [(1, 1, 0), (4, 1000, 20240605), (3, 7, 2**63 - 5),
                                              (8, 64, 11), (2, 2, 123456789)])  # fmt: skip
def test_latin_hypercube_is_scipys(d: int, n: int, seed: int) -> None:
    from scipy.stats import qmc

    from sim.experiments.design import latin_hypercube

    ours = latin_hypercube(d, n, np.random.default_rng(seed))
    theirs = qmc.LatinHypercube(d, rng=np.random.default_rng(seed)).random(n)
    assert ours.shape == (n, d)
    assert np.array_equal(ours, theirs)
    strata = np.sort(np.floor(ours * n), axis=0)  # one point in each stratum of each axis
    assert np.array_equal(strata, np.tile(np.arange(n)[:, None], (1, d)))


@pytest.mark.parametrize("name", ["lhs", "bench_lhs"])
def test_design_points_are_scipys(name: str) -> None:
    """The shipped LHS designs' points: scipy's sampler scaled by ``qmc.scale``."""
    from scipy.stats import qmc

    from sim.experiments.design import _children, sample
    from sim.experiments.design_file import load_design

    design = load_design(name, [])
    seed = int(_children(design, 1)[0].generate_state(1)[0])
    unit = qmc.LatinHypercube(len(design.parameters), rng=np.random.default_rng(seed))
    lows = [p.low for p in design.parameters]
    highs = [p.high for p in design.parameters]
    expected = qmc.scale(unit.random(design.n), lows, highs)
    for j, p in enumerate(design.parameters):
        if p.integer:
            expected[:, j] = np.clip(np.round(expected[:, j]), p.low, p.high)
    assert np.array_equal(sample(design), expected)


def test_lhs_sampling_does_not_import_scipy_stats() -> None:
    code = ("import sys; from sim.experiments.design import sample; "
            "from sim.experiments.design_file import load_design; "
            "sample(load_design('bench_lhs', [])); "
            "print('scipy.stats' in sys.modules)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)  # fmt: skip
    assert out.stdout.strip() == "False"
