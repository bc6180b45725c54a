"""The compiled loops of ``sim.engine.kernels`` give the numpy form's results bit for bit.

Whole runs with the kernels forced on (``CITYPEACE_NUMBA=1``) and off (``=0``) must agree in
every state array and every output: a synthetic world (no programmes) and ensembles of the
shipped scenarios (programmes, mediation, the ladder, several replicates with their own
coefficients and levers).
"""

from __future__ import annotations

import dataclasses
import logging

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("numba")

from sim import PeaceModel  # noqa: E402
from sim.engine.ensemble import Ensemble  # noqa: E402
from sim.engine.replicates import Replicate  # noqa: E402
from sim.scenario.synthetic import SyntheticSpec, generate  # noqa: E402

logging.getLogger("MESA").setLevel(logging.WARNING)


# Replicates with their own coefficients, switches and levers, in one batch.
MIXED = [
    Replicate(seed=0),
    Replicate(seed=11, params={"trust": {"decay": 0.04}, "proposals": {"commit_share": 0.3}}),
    Replicate(seed=2, params={"proposals": {"items": 7}}),
    Replicate(seed=5, params={"switches": {"gates": False, "ladder": False}}),
    Replicate(seed=7, levers={"mediation": False, "funding_scale": 2.0}),
]


def _arrays(obj: object, prefix: str = "") -> dict[str, np.ndarray]:
    """Every array in a (nested) state dataclass, by its dotted name."""
    out: dict[str, np.ndarray] = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, np.ndarray):
            out[prefix + f.name] = value.copy()
        elif dataclasses.is_dataclass(value):
            out.update(_arrays(value, f"{prefix}{f.name}."))
    return out


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal bit for bit (NaN where NaN)."""
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


# A ladder that climbs within the run, so that every stage's branch is taken.
FAST_LADDER = {
    "ladder": {"climb_months": 2, "climb_benefit": 0.1, "climb_trust": 0.2, "fall_months": 3}
}


def _synthetic_run(
    monkeypatch: pytest.MonkeyPatch, numba: str, params: dict
) -> tuple[dict, pd.DataFrame]:
    monkeypatch.setenv("CITYPEACE_NUMBA", numba)
    case = generate(
        SyntheticSpec(n_cities=600, horizon=36, n_countries=8, n_networks=4, mean_degree=7.4),
        seed=3,
    )
    model = PeaceModel(case, seed=3, params=params).run()
    return _arrays(model.batch.state), model.timeseries()


@pytest.mark.parametrize("params", [{}, FAST_LADDER], ids=["default", "fast_ladder"])
def test_a_synthetic_run_is_the_same_with_the_kernels(
    monkeypatch: pytest.MonkeyPatch, params: dict
) -> None:
    plain_state, plain_ts = _synthetic_run(monkeypatch, "0", params)
    fused_state, fused_ts = _synthetic_run(monkeypatch, "1", params)
    assert plain_state.keys() == fused_state.keys()
    different = [k for k in plain_state if not _same(plain_state[k], fused_state[k])]
    assert not different
    pd.testing.assert_frame_equal(fused_ts, plain_ts, check_exact=True)
    # The run did something the kernels compute: trust moving, memory, ladder stages.
    assert (plain_state["ties.trust"] != plain_state["ties.memory"]).any()
    assert (plain_state["ties.memory"] > 0).any()
    assert plain_ts["projects_interrupted_development"].sum() > 0  # the failure branch
    if params:
        # ties left at the bottom and ties that climbed several stages (which middle stage is
        # occupied at the end depends on the draws: {0, 1, 3} before common random numbers,
        # {0, 2, 3} with them)
        stages = set(np.unique(plain_state["ties.stage"]).tolist())
        assert 0 in stages and max(stages) >= 3 and len(stages) >= 3


# seoul_pyongyang over its whole horizon: UN sanctions from 2016 (the passage of aid).
@pytest.mark.parametrize(
    ("scenario", "horizon"),
    [("tuzla", 60), ("map", 60), ("seoul_pyongyang", None), ("two_cities", 60)],
)
def test_an_ensemble_is_the_same_with_the_kernels(
    monkeypatch: pytest.MonkeyPatch, scenario: str, horizon: int | None
) -> None:
    frames = {}
    for numba in ("0", "1"):
        monkeypatch.setenv("CITYPEACE_NUMBA", numba)
        ens = Ensemble(scenario, MIXED, horizon=horizon).run()
        frames[numba] = ens.timeseries()
    pd.testing.assert_frame_equal(frames["1"], frames["0"], check_exact=True)


def test_the_acceptance_loops_equal_the_numpy_form() -> None:
    """Probabilities compared directly: a run's parts are whole numbers, so a last-bit error in
    a probability would rarely show in its outputs."""
    from types import SimpleNamespace

    from sim.engine.kernels import acceptance
    from sim.engine.stages.proposals import _acceptance
    from sim.rules import money

    rng = np.random.default_rng(5)
    r, e, a, k = 3, 5000, 400, 9
    betas = {
        name: rng.normal(size=(r, 1))
        for name in (
            "beta0", "beta_trust", "beta_benefit", "beta_hostility", "beta_mediator",
            "beta_will", "beta_intensity", "beta_vertical",
        )
    }  # fmt: skip
    pp = SimpleNamespace(benefit_dose=rng.uniform(1, 50, (r, 1)), **betas)
    ties = SimpleNamespace(dst=rng.integers(0, a, e), pair=rng.integers(0, k * k, e))
    trust, need, intensity = rng.random((r, e)), rng.random((r, e)), rng.uniform(0, 3, (r, e))
    offer_total = np.where(rng.random((r, e)) < 0.3, 0.0, rng.exponential(5.0, (r, e)))
    mediated = rng.random((r, e)) < 0.2
    people, will = rng.uniform(0, 1e6, (r, a)), rng.random((r, a))
    vertical, hostility = rng.random((r, a)), rng.random((r, k * k))
    has_offer = offer_total > 0
    prob, tie_people = acceptance.probability(
        trust, offer_total, has_offer, need, intensity, mediated, ties,
        (people, will, vertical, hostility), pp,
    )  # fmt: skip
    expected_people = np.take(people, ties.dst, axis=1)
    expected = _acceptance(
        trust, money.dose(offer_total, expected_people), need,
        np.take(hostility, ties.pair, axis=1), mediated, np.take(will, ties.dst, axis=1),
        intensity, np.take(vertical, ties.dst, axis=1), **vars(pp),
    )  # fmt: skip
    assert _same(tie_people, expected_people)
    assert _same(prob, expected[has_offer])  # the loops compute the offers' only


@pytest.mark.parametrize("items", [[20, 20, 20], [1, 1, 1], [20, 7, 1]])
def test_the_parts_loops_equal_the_numpy_form(items: list[int]) -> None:
    from sim.engine.kernels import parts
    from sim.engine.stages.proposals import _parts_of_offers

    rng = np.random.default_rng(7)
    r, e = 3, 20_000
    prob, draws = rng.random((r, e)), rng.random((r, e))
    prob[:, :300] = rng.choice([0.0, 1.0, 1e-12, 1.0 - 1e-12], size=(r, 300))
    has_offer = rng.random((r, e)) < 0.7
    per_replicate = np.array(items)[:, None]
    expected = _parts_of_offers(prob, draws, has_offer, per_replicate)
    got, taken, accepted, declined, every = parts.parts(
        prob[has_offer], draws, has_offer, np.array(items)
    )
    assert _same(every, np.where(has_offer, prob, 1.0))
    assert _same(got, expected)
    assert _same(taken, expected / per_replicate)
    assert _same(accepted, expected > 0) and _same(declined, has_offer & (expected == 0))


def test_the_decline_cost_at_some_ties_equals_its_value_over_every_tie() -> None:
    """The compiled trust stage reads the decline cost at mediation's ties from
    ``decline_cost(..., tie)`` and computes it over every tie in its loop, with the country
    pair's ``exp(-beta_hostility x hostility)`` taken per pair (the whole-run tests above
    compare that loop with the numpy form: an operation out of order there fails the
    synthetic and seoul_pyongyang runs). Here: the subset is the same numbers, bit for bit."""
    from types import SimpleNamespace

    from sim.engine.stages.trust import decline_cost

    rng = np.random.default_rng(11)
    r, e, k = 3, 20_000, 7
    prob = rng.random((r, e))
    prob[:, :400] = rng.choice([0.0, 1.0, 1e-13, 1.0 - 1e-13], size=(r, 400))
    hostility = rng.random((r, k, k))
    hostility[:, 0] = 0.0  # some pairs at peace
    world = SimpleNamespace(ties=SimpleNamespace(pair=rng.integers(0, k * k, e)))
    state = SimpleNamespace(countries=SimpleNamespace(hostility=hostility))
    month = SimpleNamespace(
        accept_prob=prob, has_offer=rng.random((r, e)) < 0.7, taken=np.zeros((r, e))
    )
    pp = SimpleNamespace(beta_hostility=rng.uniform(0, 4, (r, 1)), decline_cost=0.02)
    co = SimpleNamespace(proposals=pp)
    every = decline_cost(world, state, co, month)
    assert (every > 0).all() and (every < 0.02).any()  # some refusals are the state's
    some = rng.integers(0, e, 300)
    assert _same(decline_cost(world, state, co, month, some), every[:, some])


@pytest.mark.parametrize("flags", [(True, True), (True, False), (False, True)])
def test_the_governance_acts_loop_equals_the_numpy_form(flags: tuple[bool, bool]) -> None:
    """The top level's acts at the cross-border ties (stage 6's governance ties), compared
    directly: closed gates, own permissions shut, dead ties, refusals across hostile and
    peaceful borders, probabilities at their edges. (The whole-run tests cover the world's
    usual case; a shut permission appears there only in seoul_pyongyang.)"""
    from types import SimpleNamespace

    from sim.engine.kernels import governance as loops
    from sim.engine.stages.governance import _acts

    rng = np.random.default_rng(13)
    r, e, k = 3, 20_000, 6
    border = np.sort(rng.choice(e, 12_000, replace=False))
    pair = rng.integers(0, k * k, border.size)
    lay = SimpleNamespace(
        border=border, pair=pair, own_src=rng.integers(0, k * k, border.size),
        own_dst=rng.integers(0, k * k, border.size),
    )  # fmt: skip
    hostility = np.where(rng.random((r, k * k)) < 0.3, 0.0, rng.random((r, k * k)))
    perm = rng.integers(0, 3, (r, k * k))
    offer = np.where(rng.random((3, r, e)) < 0.3, 0.0, rng.exponential(2.0, (3, r, e)))
    prob = rng.random((r, e))
    prob[:, :500] = rng.choice([0.0, 1.0, 1e-13, 1.0 - 1e-13], size=(r, 500))
    month = SimpleNamespace(
        offer=offer, offer_total=offer.sum(axis=0), has_offer=offer.sum(axis=0) > 0,
        taken=np.where(rng.random((r, e)) < 0.4, 0.0, rng.random((r, e))),
        completed=rng.random((r, e)) < 0.05, accept_prob=prob, open=rng.random((3, r, e)) < 0.6,
    )  # fmt: skip
    active = rng.random((r, e)) < 0.9
    co = SimpleNamespace(proposals=SimpleNamespace(beta_hostility=rng.uniform(0, 4, (r, 1))))
    live, taken = np.take(active, border, axis=1), np.take(month.taken, border, axis=1)
    expected = _acts(lay, month, co, live, taken, (hostility, perm), flags)
    got = loops.acts(lay, month, active, (hostility, perm), co.proposals.beta_hostility, 1, flags)
    assert all(_same(a, b) for a, b in zip(got, expected, strict=True))
    success, refused_src, refused_dst = expected
    # the branches were taken: a state's refusals, shut gates at either end
    assert (refused_dst > 0).any() and ((refused_dst > 0) & (refused_dst < 1)).any() == flags[0]
    assert (refused_src == 1.0).any() == flags[1] and (success > 0).any() == flags[0]


def test_the_violence_loops_equal_the_numpy_form(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stage 7 compared directly on one month's arguments of a synthetic run with edge values
    written into its state: cities at D 0 and 1, at war (D far above its usual level), with
    no capacity or full capacity, empty, with stocks of nothing, a gap target below capacity,
    and isolated cities (seoul_pyongyang's whole-run test also has them)."""
    import copy
    from types import SimpleNamespace

    from sim.engine.stages import violence

    captured: list = []
    plain = violence.update_cities

    def capture(world, state, co, month, streams):  # noqa: ANN001, ANN202
        if month.step == 3:
            captured.append(copy.deepcopy((world, state, co, month, streams)))
        plain(world, state, co, month, streams)

    monkeypatch.setattr(violence, "update_cities", capture)
    monkeypatch.setenv("CITYPEACE_NUMBA", "0")
    case = generate(
        SyntheticSpec(n_cities=600, horizon=5, n_countries=8, n_networks=4, mean_degree=7.4),
        seed=4,
    )
    PeaceModel(case, seed=4).run()
    world, state, co, month, streams = captured[0]
    rng = np.random.default_rng(17)
    c, n = state.cities, world.n_cities
    edge = rng.choice(n, 240, replace=False)
    for name, values in (
        ("D", [0.0, 1.0, 0.95]), ("usual_D", [0.0, 0.05, 1.0]), ("capacity", [0.0, 1.0]),
        ("population", [0.0, 1.0]), ("fled", [0.0, 5e4]), ("cohesion", [0.0, 1.0]),
        ("needs", [0.0, 1.0]), ("capacity_target", [0.0, 0.5]), ("pressure", [0.0, 40.0]),
    ):  # fmt: skip
        getattr(c, name)[:, edge] = rng.choice(values, size=(c.D.shape[0], edge.size))
    c.stock[:, :, :, edge[:60]] = 0.0
    closed = rng.random(n) < 0.3
    world = SimpleNamespace(**{k: getattr(world, k) for k in dir(world) if not k.startswith("__")})
    world.city_isolated = closed
    results = {}
    for numba in ("0", "1"):
        monkeypatch.setenv("CITYPEACE_NUMBA", numba)
        w, s, o, m, st = copy.deepcopy((world, state, co, month, streams))
        plain(w, s, o, m, st)
        results[numba] = _arrays(s.cities)
    assert results["0"].keys() == results["1"].keys()
    assert not [k for k in results["0"] if not _same(results["0"][k], results["1"][k])]
    moved = results["0"]
    assert (moved["population"][:, edge] < state.cities.population[:, edge]).any()  # flight
    assert (moved["capacity"] < state.cities.capacity).any()  # war's damage
    assert not _same(moved["D"], state.cities.D)


def test_the_committed_money_is_delivered_the_same_with_the_kernels(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Tuzla through 2002 (both programmes close, and their projects under way are paid their
    committed money: stages.committed, branch harm17): delivery adds that money after the flows
    loop as after the numpy form, so every state array and output agree bit for bit."""
    runs, paid_months = {}, {}
    for numba in ("0", "1"):
        monkeypatch.setenv("CITYPEACE_NUMBA", numba)
        model, paid_months[numba] = PeaceModel("tuzla", seed=4), 0
        for _ in range(84):
            model.step()
            paid_months[numba] += model.batch.month.committed_paid is not None
        runs[numba] = (_arrays(model.batch.state), model.timeseries())
    assert paid_months["0"] == paid_months["1"] > 0
    plain, fused = runs["0"], runs["1"]
    assert [k for k in plain[0] if not _same(plain[0][k], fused[0][k])] == []
    pd.testing.assert_frame_equal(fused[1], plain[1], check_exact=True)
