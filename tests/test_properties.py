"""Property tests (hypothesis): invariants hold for any parameters, levers and seeds."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import PeaceModel
from sim.params import parameter_table
from sim.rules import nexus, trust

INDEX_COLUMNS = (
    "D",
    "S",
    "C",
    "needs",
    "capacity",
    "cohesion",
    "peace",
    "positive_peace",
    "negative_peace",
    "cross_divide_trust",
    "horizontal_integration",
    "vertical_integration",
    "io_share",
)
ROWS = {row["key"]: row for row in parameter_table()}
FLOAT_KEYS = sorted(k for k, r in ROWS.items() if isinstance(r["default"], float))


@st.composite
def parameter_draws(draw: st.DrawFn) -> dict:
    """A handful of coefficients drawn anywhere inside their declared ranges."""
    keys = draw(st.lists(st.sampled_from(FLOAT_KEYS), min_size=1, max_size=8, unique=True))
    params: dict = {}
    for key in keys:
        lo, hi = ROWS[key]["range"]
        value = draw(st.floats(max(lo, -50.0), min(hi, 50.0), allow_nan=False))
        group, name = key.split(".")[1:]
        params.setdefault(group, {})[name] = value
    return params


def _check_model(model: PeaceModel) -> None:
    ts = model.timeseries()
    for col in INDEX_COLUMNS:
        assert ts[col].between(0, 1).all(), col
    assert np.isfinite(ts.select_dtypes("number").to_numpy()).all()
    for arr in (
        model.cities.D,
        model.cities.S,
        model.cities.C,
        model.cities.needs,
        model.cities.capacity,
        model.cities.cohesion,
        model.ties.trust,
        model.ties.memory,
    ):
        assert np.all((arr >= 0) & (arr <= 1)) and np.isfinite(arr).all()
    assert (model.cities.displaced >= 0).all()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    params=parameter_draws(),
    seed=st.integers(0, 2**31 - 1),
    coordination=st.floats(0, 1),
    funding=st.floats(0, 10),
    mediation=st.booleans(),
)
def test_two_cities_invariants(
    params: dict, seed: int, coordination: float, funding: float, mediation: bool
) -> None:
    model = PeaceModel.from_scenario(
        "two_cities",
        seed=seed,
        horizon=36,
        params=params,
        levers={"coordination": coordination, "funding_scale": funding, "mediation": mediation},
    )
    model.run()
    _check_model(model)


@settings(max_examples=10, deadline=None)
@given(
    params=parameter_draws(),
    seed=st.integers(0, 2**31 - 1),
    n=st.integers(5, 200),
    degree=st.floats(0.5, 4.0),
)
def test_synthetic_invariants(params: dict, seed: int, n: int, degree: float) -> None:
    model = PeaceModel(
        "synthetic",
        seed=seed,
        horizon=18,
        params=params,
        synthetic={"n_cities": n, "mean_degree": degree, "n_countries": 3},
    )
    model.run()
    _check_model(model)


@given(needs=st.floats(0, 1), aid=st.floats(0, 1e6), more=st.floats(0, 1e6), mult=st.floats(1, 6))
def test_more_humanitarian_aid_never_raises_needs(
    needs: float, aid: float, more: float, mult: float
) -> None:
    a = nexus.humanitarian_relief(np.array([needs]), np.array([aid]), np.array([mult]), 0.6, 0.05)
    b = nexus.humanitarian_relief(
        np.array([needs]), np.array([aid + more]), np.array([mult]), 0.6, 0.05
    )
    assert 0 <= b[0] <= a[0] <= needs


@given(
    tuv=st.floats(0, 1),
    tmu=st.floats(0, 1),
    tmv=st.floats(0, 1),
    neut=st.floats(0, 1),
    rate=st.floats(0, 1),
    thr=st.floats(0, 1),
)
def test_mediator_never_lowers_trust(
    tuv: float, tmu: float, tmv: float, neut: float, rate: float, thr: float
) -> None:
    out, _ = trust.mediation(
        np.array([tuv, tmu, tmv]),
        np.array([0]),
        np.array([1]),
        np.array([2]),
        np.array([neut]),
        np.array([True]),
        threshold=thr,
        rate=rate,
    )
    assert tuv <= out[0] <= 1.0
