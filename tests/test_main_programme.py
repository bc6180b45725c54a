"""``stages.projects._main_programme`` (the programme a starting project belongs to): its table
of each tie's rows, read with ``argmax`` (``_by_table``, for many replicates and rows since
branch batch17), chooses what sorting every replicate's rows by (tie, development money, row)
chooses (``_by_sort``, the formulation before batch17, kept for few), ties in money and
missing money included; ``test_reference`` pins the sort's choices in whole runs."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.engine.stages import projects
from sim.engine.stages.projects import _by_sort, _by_table, _main_programme
from sim.rules import DEV


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), ties=st.integers(1, 9), rows=st.integers(0, 30),
       replicates=st.integers(1, 6))  # fmt: skip
def test_the_table_chooses_as_the_sort_did(
    seed: int, ties: int, rows: int, replicates: int
) -> None:
    rng = np.random.default_rng(seed)
    world = SimpleNamespace(
        n_ties=ties,
        row_tie=rng.integers(0, ties, rows),
        row_prog=rng.integers(0, 5, rows),
    )
    # Few distinct amounts: equal maxima on a tie are common; some zero, negative and NaN.
    split = rng.choice([0.0, 1.0, 2.0, 2.0, -1.0, np.nan], size=(3, replicates, rows))
    need = rng.random(ties) < 0.7
    # The sort is the formulation before batch17 (its lexsort, kept for small batches).
    expected = np.full((replicates, ties), -1, dtype=np.int64)
    mine = np.flatnonzero(need[world.row_tie])
    if mine.size:
        expected = _by_sort(world, split, mine, expected)
        got = _by_table(world, split, mine, np.full((replicates, ties), -1, dtype=np.int64))
        assert got.dtype == np.int64 and got.shape == (replicates, ties)
        np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(_main_programme(world, split, need), expected)


@pytest.mark.parametrize("table_from", [0, 10**9])  # the table, the sort
def test_a_tie_takes_the_later_row_among_equal_amounts(
    monkeypatch: pytest.MonkeyPatch, table_from: int
) -> None:
    monkeypatch.setattr(projects, "_TABLE_FROM", table_from)
    world = SimpleNamespace(n_ties=2, row_tie=np.array([0, 1, 0, 0]),
                            row_prog=np.array([7, 8, 9, 6]))  # fmt: skip
    split = np.zeros((3, 2, 4))
    split[DEV] = [[3.0, 1.0, 3.0, 2.0], [0.0, 0.0, 0.0, 0.0]]
    got = _main_programme(world, split, np.array([True, True]))
    np.testing.assert_array_equal(got, [[9, 8], [-1, -1]])
