"""Branch mapdyn (issue 15 items 2, 5): mediated talks, an alliance's and a tie's, stall on
direct violence above the usual level, not on its standing level (ODD 7.5, 7.8, 8 "mapdyn").
The compiled path reads the same share (stages.trust.talks_share is computed once in numpy for
both; tests/test_kernels.py checks the two paths give the same MAP run)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from sim import PeaceModel
from sim.engine.events import EventLog
from sim.engine.stages.alliances import update_alliances
from sim.engine.stages.trust import talks_share
from sim.rules import alliances

QUIET = {"galtung": {"noise": 0.0}}


def _two_cities_talks(d: float, usual: float) -> np.ndarray:
    model = PeaceModel("two_cities", seed=0, horizon=12, params=QUIET)
    b = model.batch
    assert b.world.med_party.size  # a mediator carries the cross-divide twinning
    b.state.cities.D[...] = d
    b.state.cities.usual_D[...] = usual
    return talks_share(b.world, b.state, b.co)[0, b.world.med_party]


def test_a_standing_level_of_violence_does_not_stall_the_talks() -> None:
    """At D 0.6 that has long been the usual level the talks lift trust as in peace; on the
    old reading (absolute D at the venue, 0.3 against 0.5) they would lose 60% of it."""
    assert _two_cities_talks(0.6, 0.6) == pytest.approx([1.0, 1.0])


def test_violence_above_the_usual_level_stalls_part_of_the_talks() -> None:
    """Hand value: an excess of 0.2 at both ends, half of it at the neutral venue (shield 0.5),
    against stall_violence 0.5: ``1 - 0.1 / 0.5 = 0.8`` of a calm month's talks."""
    assert _two_cities_talks(0.8, 0.6) == pytest.approx([0.8, 0.8])
    assert _two_cities_talks(0.8, 0.6)[0] < _two_cities_talks(0.7, 0.6)[0]


def _map_progress(d: float, usual: float, shield: float) -> float:
    """One month of MAP's lifecycle (stage 9) with the alliance negotiating and every city's D
    and usual level set: the talks' progress after it."""
    model = PeaceModel("map", seed=0, horizon=1, params={"trust": {"venue_shield": shield}})
    b = model.batch
    b.state.alliances.state[...] = alliances.NEGOTIATING
    b.state.cities.D[...] = d
    b.state.cities.usual_D[...] = usual
    month = SimpleNamespace(step=0, risk_ok=np.ones((1, len(b.world.prog_start)), bool))
    update_alliances(b.world, b.state, b.co, month, EventLog(b.world))
    return float(b.state.alliances.progress[0, 0])


def test_an_alliances_talks_stall_on_the_excess_not_the_level() -> None:
    """Without the venue (shield 0, the null no_neutral_venue) talks at a standing D of 0.9
    go on (absolute D would stall them: 0.9 > stall_violence 0.5), and the same D 0.9 over a
    usual 0.3 (an excess of 0.6) stalls them; at the venue (0.5) the excess 0.6 reaches the
    talks as 0.3 and they go on."""
    rate = 0.02  # alliances.negotiation_rate
    assert _map_progress(0.9, 0.9, 0.0) == pytest.approx(rate)
    assert _map_progress(0.9, 0.3, 0.0) == 0.0
    assert _map_progress(0.9, 0.3, 0.5) == pytest.approx(rate)


def test_a_zero_stall_level_stalls_every_talk_without_nan() -> None:
    """``alliances.stall_violence`` may be 0 (its range is [0, 1]): every talk stalls, as the
    alliance rule's ``talks_violence < stall_violence`` says, and no 0/0 NaN reaches trust
    (hypothesis found ``stall_violence=0`` on two_cities giving NaN trust)."""
    import numpy as np

    from sim.rules import trust

    share = trust.talks_share(np.array([[0.0, 0.1, 0.5]]), 0.0)
    assert np.array_equal(share, np.zeros((1, 3)))
    assert np.array_equal(trust.talks_share(np.array([[0.0, 0.25, 1.0]]), 0.5), [[1.0, 0.5, 0.0]])
