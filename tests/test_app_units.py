"""Fast tests of the browser app's pure helpers (no server, no browser)."""

from __future__ import annotations

import io
import math
import types

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from sim.app.views import (
    LEVER_DEFAULTS,
    NetworkPainter,
    Session,
    Settings,
    check_settings,
    city_history,
    city_options,
    city_state,
    compare_csv,
    compare_frame,
    compare_summary,
    edge_style,
    export_name,
    has_coordinates,
    is_reference,
    network_layout,
    node_sizes,
    one_line,
    peace_colours,
    policy_levers,
    sample_edges,
    scenario_event_marks,
    settings_for_policy,
    status,
    sunflower,
    timeseries,
    timeseries_csv,
    year_ticks,
)
from sim.engine.model import PeaceModel
from sim.errors import CitypeaceError, ConfigError, ScenarioError

POLICIES = {
    "silos": {"description": "no coordination", "levers": {"coordination": 0.0}},
    "no_programme": {"description": "nothing"},
}


@pytest.fixture(scope="module")
def two() -> PeaceModel:
    m = PeaceModel(scenario="two_cities", seed=1)
    m.run(6)
    return m


@pytest.fixture(scope="module")
def synth() -> PeaceModel:
    return PeaceModel(scenario="synthetic", seed=3, synthetic={"n_cities": 300})


def png_size(data: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(data)).size


# ----------------------------------------------------------------------------- settings


def test_check_settings_accepts_defaults_and_policies() -> None:
    check_settings(Settings(scenario="two_cities"), POLICIES)
    check_settings(
        settings_for_policy(Settings(scenario="two_cities"), POLICIES, "silos"), POLICIES
    )
    check_settings(Settings(scenario="synthetic", n_cities=2000), {})


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"seed": -1}, "seed"),
        ({"seed": 2**40}, "seed"),
        ({"coordination": 1.5}, "coordination"),
        ({"funding_scale": float("nan")}, "funding_scale"),
        ({"participation_scale": -0.1}, "participation_scale"),
        ({"policy": "not_a_policy"}, "policy"),
        ({"policy": "silos", "coordination": 0.8}, "coordination"),  # policy fixes it to 0
        ({"mediation": "yes"}, "mediation"),
    ],
)
def test_check_settings_refuses_impossible_input(changes: dict, key: str) -> None:
    with pytest.raises(ConfigError) as err:
        check_settings(Settings(scenario="two_cities").replace(**changes), POLICIES)
    assert key in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("n", [0, 5, 10**6])
def test_check_settings_refuses_synthetic_sizes(n: int) -> None:
    with pytest.raises(ConfigError, match="n_cities"):
        check_settings(Settings(scenario="synthetic", n_cities=n), {})


def test_policy_sets_its_levers_and_resets_others() -> None:
    s = Settings(scenario="two_cities", funding_scale=2.0)
    chosen = settings_for_policy(s, POLICIES, "silos")
    assert chosen.policy == "silos" and chosen.coordination == 0.0
    assert chosen.funding_scale == LEVER_DEFAULTS["funding_scale"]
    assert policy_levers(POLICIES, "baseline") == {}
    assert is_reference(Settings()) and not is_reference(chosen)
    assert "coordination=0" in chosen.label()


def test_one_line_messages() -> None:
    assert one_line(ScenarioError("f.yaml", "k", 1, "x")) == "f.yaml: k = 1: x"
    assert one_line(ValueError("bad\nmore")) == "ValueError: bad"


def test_session_build_failure_builds_nothing() -> None:
    with pytest.raises(CitypeaceError):
        Session.build(Settings(scenario="two_cities", seed=-5))
    with pytest.raises(CitypeaceError):
        Session.build(Settings(scenario="no/such"))


def test_export_name() -> None:
    assert export_name(Settings(scenario="tuzla"), "1996-01", "csv") == (
        "citypeace_tuzla_baseline_seed1_1996-01.csv"
    )
    assert "synthetic2000" in export_name(Settings(scenario="synthetic"), "2000-01", "png")


# ----------------------------------------------------------------------------- layout


def test_sunflower_is_deterministic_and_inside_the_disc() -> None:
    a, b = sunflower(50, 0.4), sunflower(50, 0.4)
    assert np.array_equal(a, b)
    assert np.hypot(a[:, 0], a[:, 1]).max() <= 0.4 + 1e-12
    assert sunflower(0, 1).shape == (0, 2)
    assert np.allclose(sunflower(1, 1), 0)


def fake_model(communities: list[int], lat: list | None = None) -> types.SimpleNamespace:
    """The attributes network_layout reads, for a world of cities only."""
    n = len(communities)
    frame = pd.DataFrame({"lat": lat or [None] * n, "lon": [1.0 + i for i in range(n)]})
    return types.SimpleNamespace(
        n_cities=n,
        n_actors=n,
        actor_frame=frame,
        actors=types.SimpleNamespace(
            community=np.array(communities), country=np.zeros(n, dtype=int)
        ),
        cities=types.SimpleNamespace(population=np.arange(1, n + 1, dtype=float)),
        case=types.SimpleNamespace(communities=["a", "b", "c"]),
    )


def test_community_layout_groups_cities_and_is_stable() -> None:
    model = fake_model([0, 0, 0, 1, 1, 1, -1])
    pos, kind, labels = network_layout(model)
    again, _, _ = network_layout(model)
    assert kind == "community" and np.array_equal(pos, again)
    assert np.isfinite(pos).all()
    centre_a, centre_b = pos[:3].mean(axis=0), pos[3:6].mean(axis=0)
    spread = max(np.ptp(pos[:3, 0]), np.ptp(pos[3:6, 0]))
    assert np.hypot(*(centre_a - centre_b)) > spread  # groups apart, each compact
    assert np.allclose(pos[6], 0.0, atol=0.5)  # a city without a community sits in the middle
    assert {t for t, _, _ in labels} == {"a", "b", "mixed / no single community"}


def test_geographic_layout_only_with_full_coordinates() -> None:
    assert not has_coordinates(fake_model([0, 1], lat=[10.0, None]))
    model = fake_model([0, 1, 1], lat=[10.0, 20.0, 30.0])
    assert has_coordinates(model)
    pos, kind, _ = network_layout(model)
    assert kind == "geographic"
    assert pos[0, 1] < pos[1, 1] < pos[2, 1]  # north is up


def test_real_layouts_place_every_actor(two: PeaceModel, synth: PeaceModel) -> None:
    for model, kind in ((two, "geographic"), (synth, "geographic")):
        pos, got, _ = network_layout(model)
        assert got == kind
        assert pos.shape == (model.n_actors, 2) and np.isfinite(pos).all()


def test_large_layout_is_linear_time() -> None:
    import time

    model = fake_model([i % 3 for i in range(30_000)])
    t0 = time.perf_counter()
    network_layout(model)
    assert time.perf_counter() - t0 < 2.0


# ----------------------------------------------------------------------------- colours


def test_peace_colours_on_a_fixed_scale() -> None:
    c = peace_colours(np.array([0.0, 0.5, 1.0, np.nan, 2.0]))
    assert c.shape == (5, 4)
    assert c[0, 0] > c[0, 1]  # low peace is red
    assert c[2, 1] > c[2, 0]  # high peace is green
    assert np.allclose(c[3], c[0]) and np.allclose(c[4], c[2])  # NaN -> 0, clipped at 1


def test_node_sizes_grow_with_population_and_shrink_with_crowds() -> None:
    pop = np.array([0.0, 1e4, 1e6])
    s = node_sizes(pop, 10)
    assert s[0] < s[1] < s[2] and (s > 0).all()
    assert node_sizes(pop, 5000).max() < s.max()


def test_edge_style_trust_and_cross_divide() -> None:
    rgba, width = edge_style(np.array([0.1, 0.9, 0.1, 0.9]), np.array([0, 0, 1, 1], dtype=bool))
    assert rgba[1, 3] > rgba[0, 3] and width[1] > width[0]  # more trust, darker and wider
    assert rgba[3, 3] > rgba[2, 3] and width[3] > width[2]
    assert not np.allclose(rgba[2, :3], rgba[0, :3])  # cross-divide has its own colour
    off, _ = edge_style(np.array([0.9]), np.array([False]), np.array([False]))
    assert off[0, 3] < 0.05


def test_sample_edges_keeps_cross_divide_and_is_fixed() -> None:
    rng = np.random.default_rng(0)
    src, dst = rng.integers(0, 2000, 9000), rng.integers(0, 2000, 9000)
    cross = rng.random(9000) < 0.05
    a = sample_edges(src, dst, cross, 1500)
    assert a.size <= 1500 and np.array_equal(a, sample_edges(src, dst, cross, 1500))
    assert cross[a].mean() > cross.mean()  # cross-divide ties are over-represented
    small = sample_edges(np.array([0, 1, 2]), np.array([1, 0, 0]), np.zeros(3, bool), 100)
    assert small.tolist() == [0, 2]  # one line per pair


# ----------------------------------------------------------------------------- figures and data


def test_year_ticks() -> None:
    steps, labels = year_ticks("1995-12", 181)
    assert steps[0] == 1 and labels[0] == "1996"
    assert len(steps) <= 11
    steps, labels = year_ticks("2000-01", 24)
    assert steps == [0, 12, 24] and labels == ["2000", "2001", "2002"]


def test_timeseries_before_the_first_month() -> None:
    m = PeaceModel(scenario="two_cities", seed=1)
    ts = timeseries(m)
    assert ts.empty and list(ts.columns) == ["step", "date"]
    assert status(m)["gates"]["peace"] is None


def test_painters_render_and_change(two: PeaceModel) -> None:
    ses = Session(settings=Settings(scenario="two_cities"), model=two)
    a = ses.render("network")
    b = ses.render("series")
    assert png_size(a) == (NetworkPainter.WIDTH, NetworkPainter.HEIGHT)
    assert png_size(b)[0] > 300
    ses.step(1)
    assert ses.render("network") != a and ses.render("series") != b
    assert png_size(ses.render("city", city=0))[0] > 200
    assert ses.export_png("series")[:8] == b"\x89PNG\r\n\x1a\n"


def test_click_finds_the_city_under_the_pointer(two: PeaceModel) -> None:
    painter = NetworkPainter(two)
    xy = painter.ax.transData.transform(painter.pos[:1])[0]
    assert painter.city_at(xy[0], painter.HEIGHT - xy[1]) == 0
    assert painter.city_at(-500, -500) is None


def test_city_inspector(two: PeaceModel) -> None:
    state = city_state(two, 0)
    assert state["id"] == two.actors.ids[0]
    assert math.isclose(state["direct violence D"], float(two.cities.D[0]))
    hist = city_history(two, 0)
    assert len(hist) == two.t and (hist["id"] == two.actors.ids[0]).all()
    assert len(city_options(two)) == two.n_cities


def test_status_reads_gates_and_permissions(two: PeaceModel) -> None:
    st = status(two)
    assert st["month"] == two.t
    assert set(st["gates"]) == {"humanitarian", "development", "peace"}
    assert all(0 <= v <= 1 for v in st["gates"].values())
    assert st["permissions"] and st["permissions"][0]["level"] in ("closed", "humanitarian", "open")


def test_event_marks_use_steps(two: PeaceModel) -> None:
    marks = scenario_event_marks(two)
    assert marks and all(isinstance(s, int) for s, _, _ in marks)
    assert marks == sorted(marks, key=lambda m: (m[0], -1 if m[1] is None else m[1], m[2]))


def test_compare_data() -> None:
    base = pd.DataFrame({"step": [0, 1, 2], "date": ["a", "b", "c"], "peace": [0.5, 0.6, 0.7]})
    mine = pd.DataFrame({"step": [0, 1], "date": ["a", "b"], "peace": [0.5, 0.8]})
    long = compare_frame({"baseline": base, "mine": mine}, ["peace", "missing"])
    assert set(long["run"]) == {"baseline", "mine"} and len(long) == 5
    summary = compare_summary(mine, base, ["peace"])
    row = summary.iloc[0]
    assert row["baseline"] == 0.6 and row["your run"] == 0.8  # aligned on the common months
    assert math.isclose(row["difference"], 0.2) and math.isclose(row["mean difference"], 0.1)
    assert compare_frame({"x": base.iloc[:0]}).empty


def test_compare_session_steps_two_runs_in_lockstep() -> None:
    s = settings_for_policy(Settings(scenario="two_cities", compare=True), POLICIES, "silos")
    ses = Session.build(s)
    assert ses.reference is not None and ses.reference.levers.coordination == 0.5
    assert ses.model.levers.coordination == 0.0
    ses.step(3)
    assert ses.model.t == ses.reference.t == 3
    csv = timeseries_csv(ses).decode()
    assert {line.split(",")[0] for line in csv.splitlines()[1:]} == {s.label(), "baseline"}
    long = pd.read_csv(io.BytesIO(compare_csv(ses)))
    assert list(long.columns) == ["step", "date", "run", "series", "value"]
    assert set(long["run"]) == {s.label(), "baseline"} and len(long) == 2 * 3 * 4
