"""The Python API checks its arguments in the constructor, as the command line does (issue 18).

Each bad argument raises one :class:`~sim.errors.ConfigError` from ``PeaceModel(...)`` naming
the argument; where the command line has the same check, the message is the same text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.engine.model import PeaceModel
from sim.errors import ConfigError

BAD = [
    ("seed-negative", {"seed": -1}, "seed", "a whole number in [0, 2^63)"),
    ("seed-bool", {"seed": True}, "seed", "a whole number in [0, 2^63)"),
    ("seed-text", {"seed": "1"}, "seed", "a whole number in [0, 2^63)"),
    ("seed-float", {"seed": 1.5}, "seed", "a whole number in [0, 2^63)"),
    ("horizon-float", {"horizon": 12.5}, "horizon", "a whole number of months in [1, 6000]"),
    ("horizon-text", {"horizon": "12"}, "horizon", "a whole number of months in [1, 6000]"),
    ("horizon-zero", {"horizon": 0}, "horizon", "a whole number of months in [1, 6000]"),
    ("params-list", {"params": [1, 2]}, "model", "a mapping of model coefficients"),
    ("params-text", {"params": "trust.decay=0.5"}, "model", "a mapping of model coefficients"),
    ("params-group-not-mapping", {"params": {"trust": 0.5}}, "model.trust", "a mapping"),
    ("params-typo", {"params": {"trust": {"decy": 0.5}}}, "model.trust.decy", "did you mean"),
    ("params-text-value", {"params": {"trust": {"decay": "0.5"}}}, "model.trust.decay", "a number"),
    (
        "params-switch-text",
        {"params": {"switches": {"gates": "off"}}},
        "model.switches.gates",
        "true or false",
    ),
    ("params-out-of-range", {"params": {"trust": {"decay": -1}}}, "model.trust.decay", "[0, 1]"),
    ("levers-list", {"levers": ["coordination"]}, "levers", "a mapping of levers"),
    ("lever-bool-text", {"levers": {"mediation": "false"}}, "levers.mediation", "true or false"),
    ("lever-typo", {"levers": {"coordnation": 1.0}}, "levers.coordnation", "did you mean"),
    ("lever-out-of-range", {"levers": {"coordination": 2.0}}, "levers.coordination", "[0, 1]"),
    ("cities-every-negative", {"cities_every": -1}, "output.cities_every", "a whole number >= 0"),
    ("cities-max-negative", {"cities_max": -5}, "output.cities_max", "a whole number >= 0"),
    ("cities-every-float", {"cities_every": 1.5}, "output.cities_every", "a whole number >= 0"),
    ("policy-list", {"policy": ["no_coordination"]}, "policy", "a policy name"),
    ("scenario-number", {"scenario": 3}, "scenario", "a scenario name"),
    ("synthetic-text", {"scenario": "synthetic", "synthetic": "big"}, "scenario", "a mapping"),
]


@pytest.mark.parametrize("kwargs,key,allowed", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_constructor_refuses(kwargs: dict, key: str, allowed: str) -> None:
    kwargs = {"scenario": "two_cities", **kwargs}
    with pytest.raises(ConfigError) as info:
        PeaceModel(**kwargs)
    err = info.value
    assert err.key == key, str(err)
    assert allowed in err.allowed, str(err)
    assert "\n" not in str(err) and len(str(err)) < 1000


@pytest.mark.parametrize(
    "override,kwargs",
    [
        ("seed=-1", {"seed": -1}),
        ("horizon=0", {"horizon": 0}),
        ("output.cities_every=-1", {"cities_every": -1}),
        ("output.cities_max=-1", {"cities_max": -1}),
        ("model.trust.decay=-1", {"params": {"trust": {"decay": -1.0}}}),
        ("levers.coordination=2", {"levers": {"coordination": 2.0}}),
    ],
)
def test_same_message_as_the_command_line(
    override: str, kwargs: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from sim.cli import preflight

    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit):
        preflight([override])
    line = capsys.readouterr().err.strip()
    with pytest.raises(ConfigError) as info:
        PeaceModel("two_cities", **kwargs)
    assert line == f"citypeace: error: {info.value}"


def test_good_arguments_still_build() -> None:
    m = PeaceModel(
        "two_cities",
        seed=None,
        horizon=6,
        params={"trust": {"decay": 0.03}, "switches": {"gates": False}},
        levers={"mediation": False, "coordination": None},
        cities_every=0,
        cities_max=0,
    )
    m.run()
    assert len(m.timeseries()) == 6


def test_a_loaded_scenario_runs_the_horizon_asked_for() -> None:
    """``PeaceModel(case, horizon=h)`` and ``Ensemble(case, horizon=h)`` run h months, as the
    scenario's name does (the horizon used to be dropped for a loaded Scenario), with the
    same series; the caller's case keeps its own horizon."""
    import pandas as pd

    from sim.engine.ensemble import Ensemble
    from sim.scenario.loader import load_scenario

    case = load_scenario("two_cities")
    own = case.horizon
    for h in (5, own + 7):
        by_name = PeaceModel("two_cities", seed=3, horizon=h, cities_every=0).run()
        by_case = PeaceModel(case, seed=3, horizon=h, cities_every=0).run()
        assert by_case.horizon == h and len(by_case.timeseries()) == h
        pd.testing.assert_frame_equal(by_case.timeseries(), by_name.timeseries())
        ens = Ensemble(case, seeds=[3], horizon=h).run().timeseries()
        assert len(ens) == h
    assert case.horizon == own


def test_a_loaded_scenario_refuses_another_policy() -> None:
    """A loaded Scenario carries its policy: asking for another one is an error, not a run of
    the wrong counterfactual (in PeaceModel and in an Ensemble's policy axis)."""
    from sim.engine.ensemble import Ensemble
    from sim.scenario.loader import load_scenario

    case = load_scenario("tuzla", policy="no_abc")
    assert PeaceModel(case, horizon=2, policy="no_abc").case.policy == "no_abc"
    assert PeaceModel(case, horizon=2).case.policy == "no_abc"  # the default: its own
    with pytest.raises(ConfigError) as info:
        PeaceModel(case, horizon=2, policy="no_coordination")
    assert info.value.key == "policy"
    with pytest.raises(ConfigError):
        Ensemble(case, seeds=[0], policies=["no_abc", "no_coordination"], horizon=2)
