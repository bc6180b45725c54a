"""Founding reads working trust: each member tie against the ceiling talks can reach (ODD 7.8,
branch founding). Hand values; edges at shares and ceilings 0 and 1."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim.engine.params import AllianceParams
from sim.rules import alliances, trust


def _found(found_short: np.ndarray | None, min_trust: np.ndarray | None = None) -> np.ndarray:
    """Which negotiating alliances found this month, talks done and funded; min trust 0
    unless given, so only ``found_short`` decides (None: the caller passes no shortfall)."""
    n = (found_short if min_trust is None else min_trust).shape[-1]
    state, _, _ = alliances.advance(
        np.full(n, alliances.NEGOTIATING),
        np.ones(n),
        np.zeros(n, dtype=int),
        np.ones(n, dtype=bool),
        np.zeros(n),
        np.zeros(n) if min_trust is None else min_trust,
        np.ones(n, dtype=bool),
        np.zeros(n, dtype=bool),
        AllianceParams(),
        found_short=found_short,
    )
    return state == alliances.FOUNDED


def test_shortfall_hand_values() -> None:
    # ULAI-APLA's ceiling: 1 - (0.60 + 0.65) / 2 = 0.375; bar 0.45 x 0.375 = 0.16875.
    m = trust.mediation_ceiling(np.array([0.60]), np.array([0.65]), 1.0)
    assert m == pytest.approx([0.375])
    short = alliances.founding_shortfall(np.array([[0.2, 0.3]]), np.array([[0.375, 0.5]]), 0.45)
    # The worse tie decides: max(0.16875 - 0.2, 0.225 - 0.3) = -0.03125.
    assert short == pytest.approx([-0.03125])
    below = alliances.founding_shortfall(np.array([[0.16, 0.3]]), np.array([[0.375, 0.5]]), 0.45)
    assert below == pytest.approx([0.00875])
    assert _found(np.concatenate([short, below])).tolist() == [True, False]


def test_shortfall_edges() -> None:
    ties = np.array([[0.0, 0.374, 0.375, 0.9]]).T  # four alliances of one tie each
    # Share 0: any trust founds, even 0.
    assert (alliances.founding_shortfall(ties, np.full((4, 1), 0.375), 0.0) <= 0).all()
    # Share 1: the tie must reach its ceiling (equality founds, just below does not).
    full = alliances.founding_shortfall(ties, np.full((4, 1), 0.375), 1.0)
    assert _found(full).tolist() == [False, False, True, True]
    # Ceiling 0 (C 1 at both ends): trust cannot bar founding.
    assert (alliances.founding_shortfall(ties, np.zeros((4, 1)), 0.45) <= 0).all()
    # Ceiling 1 (C 0): the old absolute threshold, trust >= 0.45.
    old = alliances.founding_shortfall(ties, np.ones((4, 1)), 0.45)
    assert _found(old).tolist() == [False, False, False, True]
    assert old == pytest.approx(0.45 - ties[:, 0])


def test_share_broadcasts_per_replicate() -> None:
    # (R, 1) coefficients, as the engine passes them: row 0 share 0.45, row 1 share 1.
    short = alliances.founding_shortfall(
        np.full((2, 1), 0.2), np.full((2, 1), 0.375), np.array([[0.45], [1.0]])
    )
    assert short == pytest.approx([0.2 * -1 + 0.16875, 0.375 - 0.2])


def test_without_shortfall_the_absolute_rule_holds() -> None:
    # Callers that pass no shortfall read every ceiling as 1: min trust >= found_trust.
    assert _found(None, min_trust=np.array([0.44, 0.45])).tolist() == [False, True]


@settings(max_examples=200, deadline=None)
@given(
    trust_=arrays(np.float64, (3, 4), elements=st.floats(0, 1)),
    ceiling=arrays(np.float64, (3, 4), elements=st.floats(0, 1)),
    share=st.floats(0, 1),
)
def test_shortfall_is_finite_and_founds_exactly_when_every_tie_reaches_its_bar(
    trust_: np.ndarray, ceiling: np.ndarray, share: float
) -> None:
    short = alliances.founding_shortfall(trust_, ceiling, share)
    assert np.isfinite(short).all() and (short >= -1.0).all() and (short <= 1.0).all()
    assert ((short <= 0.0) == (trust_ >= share * ceiling).all(axis=-1)).all()
