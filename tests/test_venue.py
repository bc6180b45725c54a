"""The neutral venue (issue 15, MAP's founding): mediated talks held abroad feel only part of the
violence at home, in the trust shock and in whether an alliance's talks stall (ODD 7.5, 7.8)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim import PeaceModel
from sim.engine.params import AllianceParams, TrustParams
from sim.rules import alliances, trust, venue

QUIET = {"galtung": {"noise": 0.0}}
# Palestinian direct violence in the model's 2001-2004 (docs/validation/issue15.md)
INTIFADA_D = 0.6


def test_exposure_reads_as_its_equation() -> None:
    d = np.array([[0.6, 0.6, 0.2]])
    out = venue.exposure(d, np.array([[True, False, True]]), 0.5)
    assert out.tolist() == [[0.3, 0.6, 0.1]]
    shields = np.array([[0.0], [1.0]])  # one per replicate
    per_replicate = venue.exposure(np.full((2, 1), 0.6), np.ones((2, 1), bool), shields)
    assert per_replicate.ravel().tolist() == [0.6, 0.0]


@given(
    st.floats(0, 1), st.booleans(), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1)
)  # fmt: skip
def test_exposure_stays_between_zero_and_the_violence_at_home(
    d: float, mediated: bool, shield: float, other: float, tr: float
) -> None:
    out = float(venue.exposure(np.array([d]), np.array([mediated]), shield)[0])
    assert 0.0 <= out <= d
    if not mediated:
        assert out == d
    # A larger shield never exposes a mediated tie more, and never costs its trust more.
    more = float(venue.exposure(np.array([d]), np.array([mediated]), max(shield, other))[0])
    assert more <= out
    kept = trust.violence_shock(np.array([tr]), np.array([1.0]), np.array([out]), 0.1)
    kept_more = trust.violence_shock(np.array([tr]), np.array([1.0]), np.array([more]), 0.1)
    assert kept_more[0] >= kept[0]


def _talks(months: int, shield: float, violence: float) -> int:
    """Months of mediated talks at home violence ``violence``; the state at the end."""
    p = AllianceParams()
    state, progress = np.array([alliances.NEGOTIATING]), np.zeros(1)
    low = np.zeros(1, dtype=int)
    mediated, d = np.array([True]), np.array([violence])
    for _ in range(months):
        state, progress, low = alliances.advance(
            state,
            progress,
            low,
            mediated,
            d,
            np.array([0.5]),
            np.array([True]),
            np.array([False]),
            p,
            venue.exposure(d, mediated, shield),
        )
    return int(state[0])


def test_mediated_talks_abroad_go_on_through_a_war() -> None:
    """MAP's preparatory meetings went on abroad while armed clashes were in full swing
    (004:3143-3151): five years of mediated talks at the intifada's violence found the
    alliance. Under the old rule (the talks felt all of it: shield 0) they stall for good."""
    shield = TrustParams().venue_shield
    assert _talks(60, shield, INTIFADA_D) >= alliances.FOUNDED
    assert _talks(60, 0.0, INTIFADA_D) == alliances.NEGOTIATING
    # The venue shields, it does not abolish: in calm the rule is unchanged.
    assert _talks(60, 0.0, 0.1) >= alliances.FOUNDED


def test_an_active_alliance_is_suspended_by_violence_at_home() -> None:
    """Once active, an alliance works at home (offices, seconded staff, 004:3191-3197): its
    suspension reads the members' own violence, not the share the talks were exposed to."""
    p = AllianceParams()
    d = np.array([p.suspend_violence + 0.1])
    state, _, _ = alliances.advance(
        np.array([alliances.ACTIVE]),
        np.ones(1),
        np.zeros(1, dtype=int),
        np.array([True]),
        d,
        np.array([0.5]),
        np.array([True]),
        np.array([False]),
        p,
        venue.exposure(d, np.array([True]), 1.0),
    )
    assert state[0] == alliances.SUSPENDED


def _party_trust(shield: float) -> np.ndarray:
    model = PeaceModel(
        "two_cities", seed=3, horizon=12, params={**QUIET, "trust": {"venue_shield": shield}}
    ).run()
    party = model.world.med_party
    assert party.size and model.world.ties.cross_divide[party].all()
    return model.batch.state.ties.trust[0, party]


def test_mediated_tie_keeps_more_trust_through_violence_in_a_run() -> None:
    """two_cities: a year of violence in the east, a mediator tied to both sides. The mediated
    cross-divide twinning keeps more trust with the venue than when it felt all the violence
    (the old rule), and a full shield keeps more still."""
    old, full = _party_trust(0.0), _party_trust(1.0)
    default = _party_trust(TrustParams().venue_shield)
    assert (default > old + 1e-3).all()
    assert (full > default).all()


def test_null_restores_the_old_rule() -> None:
    from sim.experiments.nulls import load_nulls

    null = load_nulls()["no_neutral_venue"]
    assert null.removes == "neutral_venue"
    model = PeaceModel("map", seed=0, horizon=1, params=null.params)
    assert model.params.trust.venue_shield == 0.0
    assert TrustParams().venue_shield == pytest.approx(0.5)
