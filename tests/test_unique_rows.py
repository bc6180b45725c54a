"""``unique_columns`` gives ``np.unique(keys, axis=1, return_inverse=True)`` exactly."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sim.engine.unique_rows import unique_columns


def _expected(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    distinct, inverse = np.unique(keys, axis=1, return_inverse=True)
    return distinct, inverse.reshape(-1)


def _same(keys: np.ndarray) -> None:
    (distinct, inverse), (want, want_inverse) = unique_columns(keys), _expected(keys)
    assert distinct.dtype == want.dtype
    np.testing.assert_array_equal(distinct, want)
    np.testing.assert_array_equal(inverse, want_inverse)


@settings(max_examples=200, deadline=None)
@given(
    hnp.arrays(
        np.int64,
        st.tuples(st.integers(1, 5), st.integers(1, 60)),
        elements=st.integers(-3, 7),
    )
)
def test_small_integer_columns(keys: np.ndarray) -> None:
    _same(keys)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, np.bool_])
def test_dtypes_and_the_gate_keys_shape(dtype: type) -> None:
    rng = np.random.default_rng(3)
    high = 2 if dtype is np.bool_ else 50
    keys = rng.integers(0, high, (4, 5_000)).astype(dtype)
    _same(keys)


def test_columns_too_wide_to_pack_take_numpys_way() -> None:
    rng = np.random.default_rng(4)
    keys = rng.integers(-(2**40), 2**40, (3, 500))
    keys[:, 250:] = keys[:, :250]  # some repeated columns
    _same(keys)


def test_a_synthetic_worlds_gate_keys() -> None:
    from sim import PeaceModel
    from sim.scenario.synthetic import SyntheticSpec, generate

    model = PeaceModel(generate(SyntheticSpec(n_cities=400, n_countries=8), seed=2), seed=2)
    w = model.world
    t = w.ties
    keys = np.stack([t.src_country, t.dst_country, t.src_is_io, t.human_security])
    want, want_key = _expected(keys)
    np.testing.assert_array_equal(w.gate_key, want_key)
    np.testing.assert_array_equal(w.gate_src, want[0])
    np.testing.assert_array_equal(w.gate_hs, want[3].astype(bool))
