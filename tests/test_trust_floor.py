"""The no-contact floor anchored at the encoded start (rules.trust.floor; ODD 7.5, trust4).

Without contact a tie's trust drifts to ``max(memory, T0 + baseline - baseline_0)``: a divide
hardens only when hostility or cultural violence rise above their starting level, and trust
built by contact above the start fades back.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.rules import trust

DECAY = 0.02  # trust.decay's default, a month
B0 = 0.3  # trust.baseline's default


def drift(t: float, floor: np.ndarray, memory: float = 0.0, months: int = 600) -> np.ndarray:
    """Trust after ``months`` months without contact, success or failure."""
    value = np.array([t])
    for _ in range(months):
        value = trust.update(
            value, np.array([memory]), np.zeros(1), np.zeros(1), np.zeros(1), floor,
            success=0.05, failure=0.15, decay=DECAY,
        )  # fmt: skip
    return value


def start_floor(t0: float, c: float, h: float, c1: float | None = None, h1: float | None = None):
    """The floor of a tie that started at trust ``t0`` with mean C ``c`` and hostility ``h``
    and now stands at ``c1``, ``h1`` (unchanged by default)."""
    c1, h1 = c if c1 is None else c1, h if h1 is None else h1
    start = trust.baseline(np.array([c]), np.array([c]), np.array([h]), B0)
    return trust.floor(np.array([c1]), np.array([c1]), np.array([h1]), np.array([t0]), start, B0)


def test_a_tie_without_contact_keeps_its_starting_trust() -> None:
    """Korea's cross-divide ties at the encoded start (C 0.5-0.7, hostility 0.8): 50 years
    without contact and nothing changed leave them where they started (on main they sank to
    0.024)."""
    floor = start_floor(0.3, 0.6, 0.8)
    assert abs(floor[0] - 0.3) < 1e-12
    assert abs(drift(0.3, floor)[0] - 0.3) < 1e-12


def test_rising_hostility_or_cultural_violence_lowers_the_floor() -> None:
    base = start_floor(0.3, 0.5, 0.4)[0]
    harder = start_floor(0.3, 0.5, 0.4, h1=0.7)[0]
    # by as much as the baseline b0 (1 - mean C)(1 - H) falls: 0.3 x 0.5 x 0.3
    assert harder < base and abs(base - harder - 0.045) < 1e-12
    assert start_floor(0.3, 0.5, 0.4, c1=0.8)[0] < base
    # and the tie's trust follows it down without contact
    assert abs(drift(0.3, np.array([harder]))[0] - harder) < 1e-4


def test_falling_hostility_raises_the_floor_within_one() -> None:
    assert start_floor(0.3, 0.5, 0.8, h1=0.4)[0] > 0.3
    assert start_floor(0.95, 0.0, 0.9, h1=0.0)[0] == 1.0
    assert start_floor(0.01, 0.0, 0.0, c1=1.0)[0] == 0.0


def test_trust_built_by_contact_above_the_start_fades_back() -> None:
    """Trust raised to 0.8 by cooperation falls back to the start without contact, or to the
    tie's memory where cooperation was completed and remembered."""
    floor = start_floor(0.3, 0.5, 0.4)
    assert abs(drift(0.8, floor)[0] - 0.3) < 0.01
    assert abs(drift(0.8, floor, memory=0.5)[0] - 0.5) < 0.01


unit = st.floats(0.0, 1.0, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(unit, unit, unit, unit, unit, unit, unit, unit, unit, unit)
def test_the_floor_and_the_month_stay_in_the_unit_interval(
    cs: float, cd: float, h: float, t0: float, cs0: float, cd0: float, h0: float,
    t: float, memory: float, contact: float,
) -> None:  # fmt: skip
    start = trust.baseline(np.array([cs0]), np.array([cd0]), np.array([h0]), B0)
    floor = trust.floor(np.array([cs]), np.array([cd]), np.array([h]), np.array([t0]), start, B0)
    assert np.isfinite(floor).all() and 0.0 <= floor[0] <= 1.0
    out = trust.update(
        np.array([t]), np.array([memory]), np.array([1.0]), np.array([1.0]),
        np.array([contact]), floor, success=0.05, failure=0.15, decay=DECAY,
    )  # fmt: skip
    assert np.isfinite(out).all() and 0.0 <= out[0] <= 1.0


def test_the_engine_keeps_a_quiet_divide_at_its_start() -> None:
    """The synthetic pair across a divide, no programme and no event: their twinning's trust
    and C stay at the encoded start for ten years. With the ladder's ceremonial floor on (its
    default) the unused twinning is ceremonial and realises only half its baseline: it sinks
    by half its starting baseline, ``T0 - 0.5 baseline_0``, and only that far; not to half its
    starting trust (before branch trust, the share multiplied the whole anchored floor)."""
    from pair_world import pair_world

    from sim import PeaceModel

    start_baseline = []

    def run(**ladder: float) -> tuple[np.ndarray, np.ndarray]:
        model = PeaceModel(
            pair_world(), seed=0, params={"galtung": {"noise": 0.0}, "ladder": ladder}
        )
        cross = np.flatnonzero(model.batch.world.ties.cross_divide)
        c0 = model.batch.state.cities.C[0, :2].copy()
        start_baseline[:] = model.batch.state.ties.start_baseline[0, cross]
        model.run(120)
        state = model.batch.state
        return state.ties.trust[0, cross], state.cities.C[0, :2] - c0

    kept, dc = run(ceremonial_floor=0.0)
    assert np.allclose(kept, 0.3, atol=0.005), kept
    assert np.abs(dc).max() < 0.02, dc
    ceremonial, _ = run()
    b0 = np.asarray(start_baseline)
    assert np.all(b0 > 0.02), b0  # a baseline to halve, so the check below can fail
    assert np.allclose(ceremonial, 0.3 - 0.5 * b0, atol=0.01), (ceremonial, b0)
    assert np.all(ceremonial < kept - 0.01), (ceremonial, kept)


def _trust_drift():  # noqa: ANN202 - experiments/trust_drift.py
    import importlib.util

    from helpers import ROOT

    path = ROOT / "experiments" / "trust_drift.py"
    spec = importlib.util.spec_from_file_location("trust_drift", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_start_with_trust_included_is_stable() -> None:
    """experiments/trust_drift.py: the target gain matrix of start3 widened by cross-divide
    trust has spectral radius below 1 in every city with cross-divide ties (an upper bound)."""
    module = _trust_drift()
    for name in ("map", "seoul_pyongyang", "croatia_twinnings"):
        gains = module.loop_gain(name)
        assert len(gains) and (gains["rho_G6"] < 1.0).all(), gains
        assert (gains["rho_G6"] >= gains["rho_G5"] - 1e-12).all()  # trust adds a loop


def test_maps_calm_divide_keeps_its_trust_and_culture() -> None:
    """MAP without events, programmes or alliances: cross-divide trust stays at its encoded
    start for 16 years and C does not rise (on main trust sank 0.29 -> 0.02 and C rose by
    0.08; C now eases by about 0.03, the Galtung block's own slow drift)."""
    module = _trust_drift()
    calm = module.series(module._settled("map"), "map", "calm").dropna(subset=["trust"])
    first = calm[calm["date"] == calm["date"].min()].set_index("city")
    last = calm[calm["date"] == calm["date"].max()].set_index("city")
    assert (last["trust"] - first["trust"]).abs().max() < 0.02, last["trust"]
    assert (last["C"] - first["C"]).max() < 0.01, last["C"] - first["C"]
