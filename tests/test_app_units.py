"""Fast tests of the browser app's pure parts (no server, no browser)."""

from __future__ import annotations

import io
import math
import types
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from sim.app import figures
from sim.app.compare import compare_frame, compare_table, recipient_side
from sim.app.exports import config_yaml, export_name, timeseries_csv
from sim.app.inspector import city_options, city_state
from sim.app.network_figure import NetworkPainter, edge_style, node_sizes, sample_edges
from sim.app.network_layout import has_coordinates, network_layout, place_labels, sunflower
from sim.app.runs import Session, run_labels
from sim.app.series_figure import scenario_events, year_ticks
from sim.app.settings import (
    LEVER_DEFAULTS,
    Settings,
    check_settings,
    is_reference,
    one_line,
    policy_levers,
    settings_for_policy,
)
from sim.app.status import status
from sim.app.url import from_query, to_query
from sim.engine.model import PeaceModel
from sim.errors import CitypeaceError, ConfigError, ScenarioError

POLICIES = {
    "silos": {"description": "no coordination", "levers": {"coordination": 0.0}},
    "no_programme": {"description": "nothing"},
}


def png_size(data: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(data)).size


@pytest.fixture(scope="module")
def two() -> PeaceModel:
    m = PeaceModel(scenario="two_cities", seed=1)
    m.run(6)
    return m


@pytest.fixture(scope="module")
def synth() -> PeaceModel:
    return PeaceModel(scenario="synthetic", seed=3, synthetic={"n_cities": 300})


# ----------------------------------------------------------------------------- settings


def test_check_settings_accepts_defaults_and_policies() -> None:
    check_settings(Settings(scenario="two_cities"), POLICIES)
    check_settings(
        settings_for_policy(Settings(scenario="two_cities"), POLICIES, "silos"), POLICIES
    )
    check_settings(Settings(scenario="synthetic", n_cities=2000), {})
    check_settings(Settings(scenario="two_cities", funding_scale=50.0), POLICIES)  # CLI range


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"seed": -1}, "seed"),
        ({"seed": 2**64}, "seed"),
        ({"coordination": 1.5}, "coordination"),
        ({"funding_scale": float("nan")}, "funding_scale"),
        ({"funding_scale": 101.0}, "funding_scale"),
        ({"participation_scale": -0.1}, "participation_scale"),
        ({"policy": "not_a_policy"}, "policy"),
        ({"policy": "silos", "coordination": 0.8}, "coordination"),  # policy fixes it to 0
        ({"mediation": "yes"}, "mediation"),
        ({"interventions": ((0, (("coordination", 1.0),)),)}, "intervention"),
        ({"interventions": ((5, (("coordination", 7.0),)),)}, "coordination"),
        ({"pinned": (Settings(scenario="two_cities"),) * 4}, "runs"),
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
    # List items counted from 1 in the banner; ranges such as [0, 1] untouched.
    err = ScenarioError("programmes.yaml", "programmes[0].budget", -1, "a number in [0, 1e9]")
    assert one_line(err) == "programmes.yaml: programmes #1.budget = -1: a number in [0, 1e9]"
    assert one_line(ConfigError("app", "ties[11]", "x", "[0, 1]")) == "app: ties #12 = 'x': [0, 1]"


def test_session_build_failure_builds_nothing() -> None:
    with pytest.raises(CitypeaceError):
        Session.build(Settings(scenario="two_cities", seed=-5))
    with pytest.raises(CitypeaceError):
        Session.build(Settings(scenario="no/such"))


def test_url_round_trip_and_bad_links() -> None:
    s = Settings(scenario="map", policy="no_mediator", seed=4, coordination=0.8, compare=True)
    back, view = from_query(to_query(s, month=12, city=3))
    assert back == s and view == {"month": 12, "city": 3}
    assert from_query("") == (None, {})
    for bad, key in (("seed=x", "seed"), ("mediation=maybe", "mediation"), ("evil=1", "evil")):
        with pytest.raises(ConfigError, match=key):
            from_query(bad)
    # A link's values meet the same checks as the controls when the runs are built.
    settings, _ = from_query("scenario=two_cities&funding_scale=500")
    with pytest.raises(ConfigError, match="funding_scale"):
        Session.build(settings)


# ----------------------------------------------------------------------------- runs


def test_every_month_has_its_own_date() -> None:
    ses = Session.build(Settings(scenario="tuzla"))
    dates = [ses.date()]
    for _ in range(3):
        ses.step(1)
        dates.append(ses.date())
    assert dates == ["1995-11", "1995-12", "1996-01", "1996-02"], dates


def test_compare_runs_step_in_lockstep_with_labels_and_styles() -> None:
    base = Settings(scenario="two_cities", compare=True)
    pinned = settings_for_policy(base, POLICIES, "baseline").replace(coordination=1.0)
    ses = Session.build(base.replace(policy="baseline", coordination=0.0, pinned=(pinned,)))
    assert [r.role for r in ses.runs] == ["yours", "baseline", "compared"]
    assert len({r.label for r in ses.runs}) == 3 and len({str(r.style) for r in ses.runs}) == 3
    ses.step(5)
    assert [r.model.t for r in ses.runs] == [5, 5, 5]
    assert all(len(r.snapshots) == 6 for r in ses.runs)
    labels = [label for _, label, _ in run_labels(base.replace(pinned=(base.run_only(),)))]
    assert len(set(labels)) == len(labels)  # equal runs still get distinct legend names


def test_a_dated_intervention_is_recorded_and_replayed_exactly() -> None:
    ses = Session.build(Settings(scenario="two_cities", seed=2))
    ses.step(10)
    settings = ses.intervene({"coordination": 1.0, "mediation": False})
    assert settings.interventions == ((10, (("coordination", 1.0), ("mediation", False))),)
    assert ses.model.levers.coordination == 1.0 and ses.model.levers.mediation is False
    ses.step(20)
    events = ses.model.events_frame()
    hit = events[events["type"] == "intervention"]
    assert (
        len(hit) == 1 and hit["step"].iloc[0] == 10 and "coordination=1.0" in hit["detail"].iloc[0]
    )
    # Reset: the same settings rebuilt from month 0 replay the intervention bit for bit.
    again = Session.build(settings)
    again.step(30)
    pd.testing.assert_frame_equal(again.timeseries(), ses.timeseries())
    plain = Session.build(Settings(scenario="two_cities", seed=2))
    plain.step(30)
    assert not plain.timeseries()["positive_peace"].equals(ses.timeseries()["positive_peace"])


def test_set_levers_validates_like_the_constructor() -> None:
    m = PeaceModel(scenario="two_cities", seed=1)
    m.run(3)
    with pytest.raises(ConfigError, match="coordination"):
        m.set_levers({"coordination": 2.0})
    with pytest.raises(ConfigError, match="nonsense"):
        m.set_levers({"nonsense": 1})
    before = m.cities.participation.copy()
    m.set_levers({"participation_scale": 0.5})
    assert np.all(m.cities.participation <= before + 1e-12) and m.levers.participation_scale == 0.5


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
    assert {t for t, _, _ in labels} == {"a", "b", "mixed cities"}


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


def test_real_layout_of_small_worlds(synth: PeaceModel) -> None:
    pos, kind, _ = network_layout(synth)
    assert kind == "geographic" and np.isfinite(pos).all()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 300), st.floats(0, 300), st.floats(5, 80), st.floats(5, 20)),
        min_size=1,
        max_size=25,
    )
)
def test_placed_labels_never_overlap_and_stay_inside(items: list) -> None:
    anchors = np.array([(x, y) for x, y, _, _ in items])
    sizes = [(w, h) for _, _, w, h in items]
    spots = place_labels(anchors, sizes, (0, 0, 300, 300), 3.0)
    boxes = [
        (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
        for spot, (w, h) in zip(spots, sizes, strict=True)
        if spot is not None
        for x, y in [spot]
    ]
    for i, a in enumerate(boxes):
        assert a[0] >= -1e-9 and a[1] >= -1e-9 and a[2] <= 300 + 1e-9 and a[3] <= 300 + 1e-9
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)


# ----------------------------------------------------------------------------- figures


def test_edge_style_hides_inactive_ties_and_keeps_divides_visible() -> None:
    rgba, width = edge_style(
        np.array([0.0, 0.9, 0.0, 0.5]),
        np.array([True, False, False, True]),
        np.array([True, True, True, False]),
    )
    assert rgba[0, 3] > 0.3  # a cross-divide tie at zero trust is still seen
    assert rgba[1, 3] > rgba[2, 3] and width[1] > width[2]  # more trust, darker and wider
    assert rgba[3, 3] == 0.0  # inactive: not drawn
    assert np.all((rgba >= 0) & (rgba <= 1))


def test_node_sizes_grow_with_population_and_shrink_with_crowds() -> None:
    small = node_sizes(np.array([1.0, 4.0]), 2)
    assert small[1] > small[0]
    assert node_sizes(np.array([4.0]), 10_000)[0] < small[1]


def test_sample_edges_keeps_cross_divide_and_is_fixed() -> None:
    rng = np.random.default_rng(0)
    src, dst = rng.integers(0, 400, 5000), rng.integers(0, 400, 5000)
    cross = rng.random(5000) < 0.1
    a = sample_edges(src, dst, cross, 300)
    assert np.array_equal(a, sample_edges(src, dst, cross, 300)) and a.size <= 300
    assert cross[a].mean() > cross.mean()


def test_year_ticks() -> None:
    steps, labels = year_ticks("1995-12", 181)
    assert steps[0] == 1 and labels[0] == "1996"


def test_events_are_numbered_in_time_order() -> None:
    model = PeaceModel(scenario="tuzla", seed=1)
    events = scenario_events(model)
    assert [e["number"] for e in events] == list(range(1, len(events) + 1))
    assert [e["step"] for e in events] == sorted(e["step"] for e in events)
    assert any(e["source"] for e in events)


@pytest.mark.parametrize(("w", "h"), [(1024, 768), (1440, 900), (1920, 1080), (390, 844)])
def test_screen_layout_fits_the_window(w: int, h: int) -> None:
    lay = figures.screen_layout(w, h)
    if w < figures.NARROW:
        assert lay.narrow and lay.network[0] <= w and lay.series[0] <= w
        return
    assert lay.sidebar + lay.network[0] + lay.series[0] + 8 <= w
    assert max(lay.network[1], lay.series[1]) + 160 + 44 <= h
    big = figures.screen_layout(w, h, projector=True)
    assert big.scale > lay.scale


def test_figures_render_every_run_at_the_screen_size() -> None:
    ses = Session.build(Settings(scenario="tuzla", policy="no_abc", compare=True))
    lay = figures.screen_layout(1024, 768)
    first = figures.render(ses, "network", lay.network, lay.scale)
    assert png_size(first) == lay.network
    ses.step(2)
    net = figures.render(ses, "network", lay.network, lay.scale, run=1, selected=0)
    series = figures.render(ses, "series", lay.series, lay.scale, city=0)
    city = figures.render(ses, "city", lay.city, lay.scale, city=0)
    assert net != first and png_size(series) == lay.series and png_size(city) == lay.city
    # A month scrubbed back is the picture that month had.
    assert figures.render(ses, "network", lay.network, lay.scale, view_t=0) != net
    lines = figures.readout(ses, 0)
    assert len(lines) == 2 and "no_abc" in lines[0] and "baseline" in lines[0]
    png = figures.export_png(ses, "series", lay.series, lay.scale)
    assert png[:4] == b"\x89PNG"


def test_labels_are_human_names_and_clicks_find_cities() -> None:
    model = PeaceModel(scenario="tuzla", seed=1)
    painter = NetworkPainter(model, 520, 600)
    names = {t.get_text() for t in painter.ax.texts}
    assert "Tuzla" in names and "BiH government" in names
    assert not any("_" in n for n in names)  # no raw ids
    row = int(model.cities.population.argmax())
    x, y = painter.pixels()[row]
    assert painter.city_at(x + 2, y - 2) == row
    assert painter.city_at(-500, -500) is None


# ----------------------------------------------------------------------------- numbers


def test_city_inspector_and_status() -> None:
    m = PeaceModel(scenario="two_cities", seed=1)
    m.run(6)
    state = city_state(m, 0)
    assert state["id"] == m.actors.ids[0] and 0 <= state["positive peace"] <= 1
    assert len(city_options(m)) == m.n_cities
    st = status(m)
    assert st["month"] == 6 and all(0 <= v <= 1 for v in st["gates"].values())


def test_lesson_one_contrast_is_in_the_compare_table() -> None:
    """Lesson 1 of docs/teaching.md: Tuzla's positive peace with and without ABC in 2001."""
    ses = Session.build(Settings(scenario="tuzla", policy="no_abc", compare=True))
    ses.step(62)  # to 2000-12
    tuzla = int(np.flatnonzero(ses.model.actors.ids == "tuzla")[0])
    header, rows = compare_table(
        [r.model for r in ses.runs], [r.label for r in ses.runs],
        [ses.timeseries(i) for i in range(2)], tuzla, "Tuzla", reference=1,
    )  # fmt: skip
    row = next(r for r in rows if r[0] == "Tuzla" and r[1] == "positive peace")
    no_abc, with_abc, diff = row[2], row[3], row[4]
    # docs/teaching.md: Tuzla recovers to about 0.46-0.49 in both runs (from about 0.41 in 1995,
    # with Bosnia's national reconstruction flow in both; its unexplained S persists since branch
    # start3) and ends higher with ABC (about 0.03: ABC's peace work meets the national flow's
    # development money)
    assert 0.42 < no_abc < with_abc - 0.02 < no_abc + 0.06
    assert math.isclose(diff, no_abc - with_abc)
    side_rows, label = recipient_side([r.model for r in ses.runs])
    assert side_rows.size >= 1 and "BA" in label


def test_exports_name_the_run() -> None:
    s = Settings(scenario="tuzla", policy="no_abc", seed=3, coordination=1.0)
    name = export_name(s, "1996-01", "csv")
    assert name == "citypeace_tuzla_no_abc_seed3_coord1_1996-01.csv"
    assert "synthetic2000" in export_name(Settings(scenario="synthetic"), "2000-01", "png")
    ses = Session.build(s.replace(compare=True))
    ses.step(2)
    csv = timeseries_csv(ses).decode()
    assert csv.startswith("run,scenario,policy,seed,levers,step,date,")
    assert "no_abc" in csv and "coordination=1.0" in csv
    text = config_yaml(ses).decode()
    assert "policy: no_abc" in text and "seed: 3" in text and "coordination: 1.0" in text
    assert "citypeace scenario=tuzla policy=no_abc" in text


def test_compare_frame_is_long() -> None:
    ts = pd.DataFrame({"step": [0, 1], "date": ["a", "b"], "peace": [0.1, 0.2]})
    long = compare_frame({"x": ts, "y": ts})
    assert list(long.columns) == ["step", "date", "run", "series", "value"] and len(long) == 4


# ----------------------------------------------------------------------------- uploads, info


def mac_zip(files: dict[str, str], folder: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in files.items():
            zf.writestr(f"{folder}/{name}", text)
        zf.writestr(f"{folder}/.DS_Store", b"\0\0\0\1Bud1")
        zf.writestr(f"__MACOSX/{folder}/._scenario.yaml", b"\0\5\26\7")
    return buf.getvalue()


def test_a_macos_zip_installs_and_an_edited_upload_replaces_the_old(tmp_path: Path) -> None:
    from helpers import scenario_files
    from sim.scenario import loader
    from sim.scenario.archive import install_archive

    root = tmp_path / "uploads"
    old_roots = list(loader._EXTRA_ROOTS)
    loader.add_scenario_root(root)
    try:
        name = install_archive(mac_zip(scenario_files("mac_town"), "mac_town"), "m.zip", root)
        assert name == "mac_town" and not (root / name / ".DS_Store").exists()
        edited = scenario_files("mac_town", programmes_yaml=("budget: 30", "budget: 31"))
        with pytest.raises(ScenarioError, match="not already in use"):
            install_archive(mac_zip(edited, "mac_town"), "m.zip", root)
        install_archive(mac_zip(edited, "mac_town"), "m.zip", root, replace=True)
        assert "budget: 31" in (root / "mac_town" / "programmes.yaml").read_text()
        with pytest.raises(ScenarioError, match="not already in use"):  # built-ins stay
            install_archive(mac_zip(scenario_files("two_cities"), "x"), "x.zip", root, True)
    finally:
        loader._EXTRA_ROOTS[:] = old_roots


def test_scenario_info_files_read_and_refuse_bad_entries(tmp_path: Path) -> None:
    from sim.scenario.info import read_info, scenario_info

    for name in ("tuzla", "map", "seoul_pyongyang", "two_cities"):
        info = scenario_info(name)
        assert info is not None and info["sections"], name
        assert any(item["source"] for sec in info["sections"] for item in sec["items"]), name
    assert scenario_info("synthetic") is None
    (tmp_path / "info.yaml").write_text("title: x\nsections:\n  - heading: h\n    items: [{}]\n")
    with pytest.raises(ScenarioError) as err:
        read_info(tmp_path)
    message = str(err.value)
    assert str(tmp_path / "info.yaml") in message and "sections[0].items[0].text" in message
    assert "\n" not in message
    (tmp_path / "info.yaml").write_text("title: x\nsumary: y\n")
    with pytest.raises(ScenarioError, match="did you mean 'summary'"):
        read_info(tmp_path)


def test_bands_quantiles_are_ordered_per_run_with_progress(monkeypatch) -> None:
    from sim.app import bands

    monkeypatch.setattr(bands, "SEEDS", 4)
    levers = Settings(scenario="two_cities").levers()
    low = {**levers, "funding_scale": 0.5}
    name = ("two_cities", "stamp")
    key = (name, ("baseline", tuple(levers.items())), ("baseline", tuple(low.items())))
    calls: list[tuple[int, int]] = []
    result = bands.run_bands(key, lambda done, total: calls.append((done, total)))
    assert calls == [(4, 8), (8, 8)]  # one batch per run, progress after each
    assert result["replicates"] == 8 and result["computed"] == 8
    # A lever moved in one run: only that run is computed again, the other is reused.
    again = bands.run_bands(
        (name, key[1], ("baseline", tuple({**low, "coordination": 1.0}.items())))
    )
    assert again["computed"] == 4
    assert again["quantiles"].loc[0].equals(result["quantiles"].loc[0])
    q = result["quantiles"]
    assert set(q.index.get_level_values(0)) == {0, 1}
    for col, _ in bands.BAND_SERIES:
        lo, mid, hi = (q[col][p].to_numpy() for p in (0.1, 0.5, 0.9))
        assert np.all((lo <= mid + 1e-12) & (mid <= hi + 1e-12))
        assert np.all((lo >= 0) & (hi <= 1)), col
    cities = result["cities"]
    ids = set(cities.index.get_level_values(1))
    assert ids and ids <= {str(i) for i in Session.build(Settings("two_cities")).model.actors.ids}
    for col in bands.CITY_SERIES:
        lo, hi = cities[col][0.1].to_numpy(), cities[col][0.9].to_numpy()
        assert np.all((lo <= hi + 1e-12) & (lo >= 0) & (hi <= 1)), col
    assert bands.key_digest(key) == bands.key_digest(tuple(key))
    assert bands.key_digest(key) != bands.key_digest(key[:2])
    for city in (None, sorted(ids)[0]):
        png = bands.draw_bands(result, ["a", "b"], "2000-01", (600, 300), city=city)
        assert Image.open(io.BytesIO(png)).size == (600, 300)


def test_a_policy_that_drops_a_programme_greys_out_its_actors() -> None:
    from sim.app.idle import idle_actors
    from sim.app.runs import load_case

    base = load_case("tuzla")
    ses = Session.build(Settings(scenario="tuzla", policy="no_abc"))
    m = ses.model
    idle, why = idle_actors(m, base)
    ids = [str(i) for i in m.actors.ids]
    assert idle[ids.index("nl_city_01")] and idle[ids.index("nl_gov")]
    assert not idle[ids.index("tuzla")]  # the recipient is the side being compared
    assert not idle[ids.index("ba_gov")] and "abc" in why
    assert not idle_actors(Session.build(Settings(scenario="tuzla")).model, base)[0].any()
    painter = NetworkPainter(m, 360, 560, idle=(idle, why))
    ses.step(30)
    painter.render(m, ses.runs[0].snapshots[-1], "x", 30)
    assert not set(painter.labelled) & set(np.flatnonzero(idle).tolist())
    colours = painter.nodes.get_facecolors()
    assert np.allclose(colours[ids.index("nl_city_01")], (0.86, 0.86, 0.86, 0.55))
    assert not np.allclose(colours[ids.index("tuzla")], (0.86, 0.86, 0.86, 0.55))
    drawn = painter.lines.get_colors()[:, 3] > 0
    assert not (drawn & painter.edge_idle).any()


def test_the_relationships_figure_draws_the_recipients_vertical_integration() -> None:
    """The app's relationships panel reads the recipient side's vertical integration as the
    dashboard does (issue 15 item 9): a thicker line of its own, with the all-city mean
    thin beside it, and the run's recorded values reach the painter unchanged."""
    from sim.app.history import model_series
    from sim.app.series_figure import COLUMNS, PANELS

    (relationships,) = [lines for title, _, lines, _ in PANELS if title.startswith("Relation")]
    widths = {col: lw for col, _, _, lw in relationships}
    assert widths["vertical_integration_recipients"] > widths["vertical_integration"]
    model = PeaceModel.from_scenario("tuzla", seed=0, horizon=3)
    model.step()
    model.step()
    data = model_series(model, COLUMNS)
    recorded = model.timeseries()["vertical_integration_recipients"].to_numpy()
    assert np.array_equal(data["vertical_integration_recipients"], recorded)
    assert np.isfinite(recorded).all() and recorded.size == 2


def test_the_relationships_figure_draws_the_delegates_trust_beneath_the_communities() -> None:
    """The app draws the delegates' trust (ODD 7.5) in a paler shade of the cross-divide
    colour, beneath the communities' cross-divide trust, where a run has mediation ties, and a
    mediated case's recorded values reach the painter unchanged, apart from the communities'
    trust; a case without mediation has no such line or legend entry."""
    from sim.app.history import model_series
    from sim.app.series_figure import (
        COLUMNS,
        CROSS_COLOUR,
        DELEGATES_COLOUR,
        PANELS,
        SeriesPainter,
        has_mediation,
    )

    (relationships,) = [lines for title, _, lines, _ in PANELS if title.startswith("Relation")]
    style = {col: (colour, lw) for col, _, colour, lw in relationships}
    assert style["delegates_trust"][0] == DELEGATES_COLOUR != CROSS_COLOUR
    assert style["delegates_trust"][1] < style["cross_divide_trust"][1]
    model = PeaceModel.from_scenario("croatia_twinnings", seed=0, horizon=40)
    for _ in range(40):
        model.step()
    assert has_mediation(model)
    order = [col for _, col, _, _ in SeriesPainter(model, 1, ["-"], ["you"]).order]
    assert order.index("delegates_trust") < order.index("cross_divide_trust")
    # Tuzla has no mediation ties: its delegates' trust equals its communities' all run, and
    # the figure leaves the line and its legend entry out.
    tuzla = PeaceModel.from_scenario("tuzla", seed=0, horizon=3)
    assert not has_mediation(tuzla)
    painter = SeriesPainter(tuzla, 1, ["-"], ["you"], mediated=has_mediation(tuzla))
    assert "delegates_trust" not in [col for _, col, _, _ in painter.order]
    legend = [t.get_text() for ax in painter.axes for t in ax.get_legend().get_texts()]
    assert "communities' cross-divide trust" in legend
    assert not any(text.startswith("delegates'") for text in legend)
    data = model_series(model, COLUMNS)
    frame = model.timeseries()
    assert np.array_equal(data["delegates_trust"], frame["delegates_trust"].to_numpy())
    assert np.max(data["delegates_trust"] - data["cross_divide_trust"]) > 0.005


def test_the_learn_page_names_both_levels_of_trust_with_the_runs_numbers() -> None:
    """The Learn panel gives the communities' cross-divide trust and the delegates' trust as
    the run has them now: after 40 months of Croatia's mediated twinnings, two numbers that
    differ (each could read "(press Step)" or be one number twice)."""
    from sim.app.learn import learn_markdown

    ses = Session.build(Settings(scenario="croatia_twinnings"))
    ses.step(40)
    text = learn_markdown(ses)
    ts = ses.timeseries()
    t, g = (f"{float(ts[c].iloc[-1]):.2f}" for c in ("cross_divide_trust", "delegates_trust"))
    assert t != g
    assert f"cross-divide trust*, now **{t}**" in text
    assert f"delegates' trust on the same ties, now **{g}**" in text
