"""The model as a whole: schedule order, events, determinism, Mesa conventions, outputs."""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd
import pytest

from sim import PeaceModel
from sim.engine.agents import InternationalOrganisation, Municipality, NationalGovernment
from sim.rules import HUM


@pytest.fixture(scope="module")
def two_cities() -> PeaceModel:
    return PeaceModel.from_scenario("two_cities", seed=1).run()


def test_schedule_follows_model_md_section_3(monkeypatch: pytest.MonkeyPatch) -> None:
    import sim.engine.step as month

    model = PeaceModel.from_scenario("two_cities", seed=1, horizon=3)
    calls: list[str] = []
    stages = [
        (month.EventsEngine, "apply", "events"),
        (month.gates, "open_channels", "gates"),
        (month.funding, "programme_money", "funding"),
        (month.proposals, "make_offers", "proposals"),
        (month.delivery, "deliver", "delivery"),
        (month.projects, "run_projects", "projects"),
        (month.trust, "update_trust", "trust"),
        (month.ladder, "climb", "ladder"),
        (month.violence, "update_cities", "violence"),
        (month.levels, "update_levels", "levels"),
        (month.alliances, "update_alliances", "alliances"),
        (type(model.recorder), "record", "record"),
    ]
    for owner, name, label in stages:
        original = getattr(owner, name)

        def spy(*args, _label=label, _original=original, **kwargs):
            calls.append(_label)
            return _original(*args, **kwargs)

        monkeypatch.setattr(owner, name, spy)
    model.step()
    assert calls == [*month.STAGES, "record"]
    assert month.STAGES == (
        "events",
        "gates",
        "funding",
        "proposals",
        "delivery",
        "projects",
        "trust",
        "ladder",
        "violence",
        "levels",
        "alliances",
    )


def test_timeseries_shape_dates_and_bounds(two_cities: PeaceModel) -> None:
    ts = two_cities.timeseries()
    assert len(ts) == 120
    assert ts["date"].iloc[0] == "2000-01" and ts["date"].iloc[-1] == "2009-12"
    for col in (
        "D",
        "S",
        "C",
        "peace",
        "positive_peace",
        "negative_peace",
        "needs",
        "capacity",
        "cohesion",
        "cross_divide_trust",
        "horizontal_integration",
        "vertical_integration",
        "vertical_integration_recipients",
        "io_share",
        "D_east",
        "positive_peace_west",
    ):
        assert ts[col].between(0, 1).all(), col
    assert not ts.isna().any().any()


def test_step_advances_one_month_and_stops_at_horizon() -> None:
    model = PeaceModel.from_scenario("two_cities", seed=1, horizon=2)
    model.step()
    assert model.t == 1 and model.running
    model.step()
    assert model.t == 2 and not model.running
    model.step()  # past the horizon nothing happens
    assert len(model.timeseries()) == 2


def test_determinism_same_seed_equal_different_seed_differs() -> None:
    a = PeaceModel.from_scenario("two_cities", seed=7, horizon=60).run().timeseries()
    b = PeaceModel.from_scenario("two_cities", seed=7, horizon=60).run().timeseries()
    c = PeaceModel.from_scenario("two_cities", seed=8, horizon=60).run().timeseries()
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_synthetic_determinism() -> None:
    kw = dict(synthetic={"n_cities": 300}, horizon=24)
    a = PeaceModel("synthetic", seed=3, **kw).run()
    b = PeaceModel("synthetic", seed=3, **kw).run()
    pd.testing.assert_frame_equal(a.timeseries(), b.timeseries())
    pd.testing.assert_frame_equal(a.city_frame(), b.city_frame())
    pd.testing.assert_frame_equal(a.activities_frame(), b.activities_frame())


class TestEvents:
    def test_every_event_type_applies(self, two_cities: PeaceModel) -> None:
        log = two_cities.events_frame()
        scenario = log[log["origin"] == "scenario"]
        assert set(scenario["type"]) == {"violence", "refugee_influx", "permission", "summit"}

    def test_refugee_influx_and_permission_change_state(self) -> None:
        m = PeaceModel.from_scenario("two_cities", seed=1, horizon=30)
        east = m.actor_index["eastville"]
        ea, we = m.country_index["EA"], m.country_index["WE"]
        m.run(2)
        before = m.cities.displaced[east]
        m.step()  # 2000-03: +10,000 displaced
        assert m.cities.displaced[east] > before + 9000
        assert m.permission[ea, we] == 1
        m.run(22)  # through 2002-01
        assert m.permission[ea, we] == 2 and m.permission[we, ea] == 2

    def test_violence_pressure_only_in_range_and_targets(self) -> None:
        m = PeaceModel.from_scenario("two_cities", seed=1, horizon=14)
        east, west = m.actor_index["eastville"], m.actor_index["westburg"]
        m.step()
        assert m.cities.pressure[east] == 1.0 and m.cities.pressure[west] == 0.0
        m.run(12)
        assert m.cities.pressure[east] == 0.0

    def test_summit_lowers_hostility(self) -> None:
        m = PeaceModel.from_scenario("two_cities", seed=1)
        ea, we = m.country_index["EA"], m.country_index["WE"]
        m.run(60)
        before = m.hostility[ea, we]
        m.step()  # 2005-01 summit, delta -0.2
        assert m.hostility[ea, we] == pytest.approx(max(before - 0.2, 0), abs=0.02)

    def test_withdraw_funding_leadership_and_alliance_events(self) -> None:
        from sim.engine.stages.trust import no_contact_floor
        from sim.rules import alliances

        m = PeaceModel.from_scenario("two_cities", seed=1, horizon=24)
        eng, state, co = m.batch.events, m.batch.state, m.batch.co
        eng._funding_end({"programme": "rebuild"}, state, co)
        assert not m.prog_funded[0]
        eng._funding_start({"programme": "rebuild"}, state, co)
        assert m.prog_funded[0]
        eng._withdraw({"actor": "mediator", "programme": "rebuild"}, state, co)
        assert not m.prog_row_active.any()
        tie = np.flatnonzero(m.ties.src == m.actor_index["eastville"])[0]
        m.ties.trust[tie], m.ties.memory[tie] = 0.8, 0.2
        # The new leadership keeps the no-contact floor (memory or the anchored floor) and
        # leadership_survival (0.6) of the trust above it.
        low = max(0.2, no_contact_floor(m.batch.world, state, co)[0, tie])
        assert low < 0.8
        eng._leadership_change({"actor": "eastville", "will": 0.1}, state, co)
        assert m.actors.will[m.actor_index["eastville"]] == 0.1
        assert m.ties.trust[tie] == pytest.approx(low + 0.6 * (0.8 - low))
        eng._sanctions({"country": "WE", "active": True}, state, co)
        assert m.sanctioned[m.country_index["WE"]]
        assert alliances.NEGOTIATING == 1  # convene handled in the alliance tests


def test_mesa_agents_reflect_array_state(two_cities: PeaceModel) -> None:
    cities = two_cities.agents_by_type[Municipality]
    assert len(cities) == 2
    east = next(a for a in cities if a.actor_id == "eastville")
    row = two_cities.actor_index["eastville"]
    assert east.direct_violence == two_cities.cities.D[row]
    east.cohesion = 0.42
    assert two_cities.cities.cohesion[row] == 0.42
    with pytest.raises(Exception, match=r"\[0, 1\]"):
        east.needs = 1.5
    assert 0 <= east.peace <= 1 and east.community == "east" and east.country == "EA"
    assert len(two_cities.agents) == 6
    assert {type(a) for a in two_cities.agents} == {
        Municipality,
        NationalGovernment,
        InternationalOrganisation,
    }
    gov = next(iter(two_cities.agents_by_type[NationalGovernment]))
    assert set(gov.permission) == {"EA", "WE", "DN"}


def test_batch_run_compatibility() -> None:
    # Mesa hands each replication's seed to the model's `seed` argument.
    results = mesa.batch_run(
        PeaceModel,
        parameters={"scenario": "two_cities", "horizon": 12},
        rng=[1, 2],
        max_steps=50,
        number_processes=1,
        data_collection_period=-1,
        display_progress=False,
    )
    frame = pd.DataFrame(results)
    assert len(frame) == 2
    assert set(frame["seed"]) == {1, 2}
    assert frame["peace"].between(0, 1).all()
    assert (frame["Step"] == 12).all()
    single = PeaceModel.from_scenario("two_cities", seed=2, horizon=12).run().timeseries()
    assert frame.loc[frame["seed"] == 2, "peace"].iloc[0] == single["peace"].iloc[-1]


def test_outputs_tables(two_cities: PeaceModel) -> None:
    acts = two_cities.activities_frame()
    assert set(acts["status"].unique()) <= {"active", "completed", "interrupted"}
    assert {"provider", "recipient", "pillar", "channel", "duration", "spent"} <= set(acts)
    cities = two_cities.city_frame()
    assert len(cities) == 2 * 120 and cities["D"].between(0, 1).all()


def test_budget_never_exceeded(two_cities: PeaceModel) -> None:
    m = PeaceModel.from_scenario("two_cities", seed=2, horizon=36)
    for _ in range(36):
        m.step()
        offered, delivered = m.month.offer[:, 0], m.month.delivered[:, 0]
        assert (delivered <= offered + 1e-12).all()
        own = (
            m.actors.resources * np.where(np.arange(m.n_actors) < m.n_cities, m.actors.will, 1.0)
        ).sum()
        programmes = (m.prog_budget * m.month.prog_active[0]).sum()
        assert delivered.sum() <= own + programmes + 1e-9


def test_sanctions_cut_direct_humanitarian_offers_but_not_the_third_channel() -> None:
    """Seoul-Pyongyang: the channels reopen for humanitarian aid in 2018-04 under sanctions."""
    runs = {}
    for friction in (0.0, 0.5):
        m = PeaceModel.from_scenario(
            "seoul_pyongyang",
            seed=1,
            policy="io_channel",
            params={"gates": {"sanction_friction": friction}},
            cities_every=0,
        )
        # Until 2018-04 sanctions touch nothing that differs between the two runs (the direct
        # channel is closed from 2010, the UN channel is exempt), so both reach it alike.
        while m.date_of(m.t) != "2018-04":
            m.step()
        m.step()
        runs[friction] = m
    free, hit = runs[0.0], runs[0.5]
    pyongyang = free.actor_index["pyongyang"]

    def tie(m: PeaceModel, src: str) -> int:
        ties = m.ties
        return int(np.flatnonzero((ties.src == m.actor_index[src]) & (ties.dst == pyongyang))[0])

    direct, un = tie(free, "seoul"), tie(free, "who")
    offered_free, offered_hit = free.month.offer[HUM, 0], hit.month.offer[HUM, 0]
    assert offered_free[direct] > 0 and offered_hit[direct] == pytest.approx(
        0.5 * offered_free[direct]
    )
    assert offered_free[un] > 0 and offered_hit[un] == offered_free[un]


def test_outputs_before_the_first_month_are_empty_frames() -> None:
    m = PeaceModel.from_scenario("two_cities", seed=1)
    assert m.timeseries().empty and list(m.timeseries().columns[:2]) == ["step", "date"]
    assert m.city_frame().empty and m.events_frame().empty and m.activities_frame().empty


def test_cross_divide_ties_is_the_base_of_cross_divide_trust() -> None:
    """The mean and its count are over the same ties; a policy that drops ties shows it."""
    counts = {}
    for policy in ("baseline", "no_funding"):
        model = PeaceModel("map", policy=policy, seed=0, horizon=24)
        for _ in range(12):
            model.step()
        ts = model.timeseries()
        cross = model.world.cross
        assert ts["cross_divide_ties"].iloc[-1] == cross.size > 0
        assert ts["cross_divide_trust"].iloc[-1] == model.ties.trust[cross].mean()
        counts[policy] = cross.size
    assert counts["no_funding"] < counts["baseline"]


def test_run_keeps_mesas_clock_and_equals_stepping_month_by_month() -> None:
    stepped = PeaceModel("tuzla", seed=5, horizon=30)
    for _ in range(30):
        stepped.step()
    ran = PeaceModel("tuzla", seed=5, horizon=30).run(12).run()
    assert ran.t == stepped.t == 30 and ran.steps == stepped.steps == 30
    assert ran.time == stepped.time == 30 and not ran.running
    pd.testing.assert_frame_equal(ran.timeseries(), stepped.timeseries(), check_exact=True)
    assert ran.run().steps == 30  # past the horizon: nothing more happens


def test_gates_switch_opens_every_channel() -> None:
    """The null model's gate switch: Seoul's closed and sanctioned channels all open."""
    closed = PeaceModel("seoul_pyongyang", seed=1).run().timeseries()
    opened = PeaceModel("seoul_pyongyang", seed=1, params={"switches": {"gates": False}})
    opened = opened.run().timeseries()
    assert closed["gate_open_development"].min() < 1.0
    assert (opened["gate_open_development"] == 1.0).all()
    assert opened["funds_total"].sum() > closed["funds_total"].sum()


def test_set_levers_takes_effect_from_the_next_month_and_is_logged() -> None:
    from sim.errors import ConfigError

    plain = PeaceModel("tuzla", seed=2, horizon=36, cities_every=0).run().timeseries()
    m = PeaceModel("tuzla", seed=2, horizon=36, cities_every=0).run(12)
    with pytest.raises(ConfigError, match="coordination"):
        m.set_levers({"coordination": 2.0})
    with pytest.raises(ConfigError, match="no_such_lever"):
        m.set_levers({"no_such_lever": 1.0})
    assert m.levers.coordination == 0.5  # a rejected change changes nothing
    now = m.set_levers({"funding_scale": 3.0, "participation_scale": 0.5})
    assert (
        m.levers is now
        and now.funding_scale == 3.0
        and m.batch.co.levers.funding_scale[0, 0] == 3.0
    )
    base = m.world.initial_cities["participation"]
    assert np.array_equal(m.cities.participation, np.clip(base * 0.5, 0.0, 1.0))
    ts = m.run().timeseries()
    pd.testing.assert_frame_equal(ts.iloc[:12], plain.iloc[:12], check_exact=True)
    assert (ts["funds_total"].iloc[12:24] > plain["funds_total"].iloc[12:24]).all()
    events = m.events_frame()
    row = events[events["type"] == "intervention"].iloc[0]
    assert row["date"] == m.date_of(12) and row["origin"] == "user"
    assert row["detail"] == "funding_scale=3.0, participation_scale=0.5"
