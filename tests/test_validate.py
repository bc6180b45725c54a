"""citypeace validate: null models, the matrix, robustness draws, contrasts as rates, bad input."""
# ruff: noqa: E501 -- the parametrised tables of bad input read best one case a line

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from helpers import copy_scenario, edit_yaml, run_cli
from sim.cli import main as cli_main
from sim.engine.params import ModelParams
from sim.errors import ConfigError
from sim.experiments import matrix, nulls, robustness, validate
from sim.experiments.patterns import contrast_differences, contrast_holds, median_interval
from sim.scenario.loader import load_scenario

REAL = ("tuzla", "map", "seoul_pyongyang")


def frame(values: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"date": [f"2000-{i + 1:02d}" for i in range(len(values))], "x": values})


# ----------------------------------------------------------------------------- null models


def test_the_issue_nulls_exist_and_remove_a_named_mechanism_each() -> None:
    found = nulls.load_nulls()
    required = {
        "no_aid_effect", "accept_all", "random_acceptance", "no_trust_building", "no_mediation",
        "no_nexus_synergy", "no_do_no_harm", "no_lederach", "no_galtung_feedback", "no_gates",
    }  # fmt: skip
    assert required <= set(found)
    for null in found.values():
        assert null.description and null.params and null.removes.isidentifier()


def test_every_mechanism_a_pattern_names_has_a_null() -> None:
    mechanisms = nulls.mechanisms()
    named = [
        m for name in REAL for p in load_scenario(name).patterns for m in p.get("mechanism", [])
    ]
    assert named and set(named) <= set(mechanisms)


def test_each_null_changes_the_model_it_claims_to() -> None:
    """Overrides reach the coefficients, and each null changes some run of some case."""
    from sim import PeaceModel

    base = {name: PeaceModel(name, seed=0).run().timeseries() for name in ("tuzla", "map")}
    base["seoul_pyongyang"] = PeaceModel("seoul_pyongyang", seed=0, horizon=360).run().timeseries()
    for null in nulls.load_nulls().values():
        changed = False
        for name, ts in base.items():
            horizon = 360 if name == "seoul_pyongyang" else None
            model = PeaceModel(name, seed=0, horizon=horizon, params=null.params)
            for group, values in null.params.items():
                for key, value in values.items():
                    assert getattr(getattr(model.params, group), key) == value
            other = model.run().timeseries()
            changed |= not other.drop(columns="date").equals(ts.drop(columns="date"))
        assert changed, f"{null.name} changes nothing in any real case"


@pytest.mark.parametrize(
    ("text", "key", "allowed"),
    [
        ("removes: x\ndescription: d\nparams: {delivery: {synergy: 0}}\nextra: 1\n", "extra", "one of"),
        ("removes: x\ndescription: d\nparams: {delivery: {synergi: 0}}\n", "params.delivery.synergi", "did you mean 'synergy'"),
        ("removes: x\ndescription: d\nparams: {delivery: {synergy: -1}}\n", "params.delivery.synergy", "[0, 5]"),
        ("removes: x\ndescription: d\nparams: {switches: {gates: 0}}\n", "params.switches.gates", "true or false"),
        ("removes: 'two words'\ndescription: d\nparams: {delivery: {synergy: 0}}\n", "removes", "a mechanism name"),
        ("removes: x\nparams: {delivery: {synergy: 0}}\n", "description", "text"),
        ("removes: x\ndescription: d\nparams: {galaxy: {synergy: 0}}\n", "params.galaxy", "a group"),
        ("removes: x\nremoves: y\ndescription: d\n", "document", "valid YAML"),  # a key twice
    ],
)  # fmt: skip
def test_a_bad_null_file_is_one_clear_error(
    tmp_path: Path, text: str, key: str, allowed: str
) -> None:
    (tmp_path / "bad.yaml").write_text(text)
    with pytest.raises(ConfigError) as info:
        nulls.load_nulls(tmp_path)
    assert info.value.where == str(tmp_path / "bad.yaml")
    assert info.value.key == key and allowed in info.value.allowed, str(info.value)


def test_null_overrides_as_command_line() -> None:
    assert nulls.load_nulls()["no_gates"].overrides() == ["model.switches.gates=false"]


# ----------------------------------------------------------------------------- draws


def test_draws_stay_within_the_share_and_the_range() -> None:
    base = ModelParams()
    values = {k: v for k, v, _, _ in robustness.coefficients(base)}
    ranges = {k: (r, whole) for k, _, r, whole in robustness.coefficients(base)}
    assert "switches.gates" not in values and len(values) > 80
    first = robustness.draw(base, 0.25, 0)
    assert first == robustness.draw(base, 0.25, 0) and first != robustness.draw(base, 0.25, 1)
    moved = 0
    for i in range(5):
        for group, tree in robustness.draw(base, 0.25, i).items():
            for name, x in tree.items():
                key = f"{group}.{name}"
                v, ((lo, hi), whole) = values[key], ranges[key]
                assert lo <= x <= hi
                slack = 0.5 if whole else 1e-12
                assert abs(x - v) <= 0.25 * abs(v) + slack, key
                assert isinstance(x, int) == whole
                moved += x != v
    assert moved > 300
    # A draw makes a valid model: every value inside its documented range.
    from sim.engine.params import validate_ranges

    tree = robustness.draw(base, 1.0, 3)
    validate_ranges(
        dataclasses.replace(
            base, **{g: dataclasses.replace(getattr(base, g), **v) for g, v in tree.items()}
        ),
        "model",
    )
    assert robustness.draw(base, 1.0, 3)["proposals"]["beta_intensity"] == 0  # zero stays zero


@pytest.mark.parametrize(
    ("perturb", "draws"), [(0.0, 5), (-1, 5), (2, 5), (math.nan, 5), (0.25, 0)]
)
def test_bad_perturbation_settings(perturb: float, draws: int) -> None:
    with pytest.raises(ConfigError):
        robustness.check(perturb, draws)


# ----------------------------------------------------------------------------- contrasts, matrix


def test_contrasts_are_rates_over_seed_pairs_with_an_interval() -> None:
    p = {"id": "c", "kind": "contrast", "policy": "q", "series": "x", "min_difference": 0.5}
    base = [frame([1.0] * 3) for _ in range(4)] + [None]
    policy = [frame([0.0] * 3), frame([0.6] * 3), frame([0.2] * 3), frame([0.4] * 3), frame([0.0])]
    diffs = contrast_differences(p, base, policy)
    np.testing.assert_allclose(diffs[:4], [1.0, 0.4, 0.8, 0.6])
    assert np.isnan(diffs[4])
    assert list(contrast_holds(p, diffs)) == [True, False, True, True, False]
    median, low, high = median_interval(diffs)
    assert median == pytest.approx(0.7) and 0.4 <= low <= median <= high <= 1.0
    assert median_interval(diffs) == median_interval(diffs)  # seeded


def _evidence(mechanism: list[str], role: str = "evidence") -> dict:
    p = {"id": "e", "kind": "range", "series": "x", "agg": "mean", "min": 0.5, "role": role}
    if role == "evidence":
        p["mechanism"] = mechanism
    if role == "calibration":
        p["calibrates"] = ["model.trust.decay"]
    return p


def _runs(rates: dict[str, float], seeds: int = 10) -> dict:
    """A model per entry whose pattern `e` holds in the given share of seeds."""
    return {
        model: {"baseline": [frame([1.0 if s < share * seeds else 0.0]) for s in range(seeds)]}
        for model, share in rates.items()
    }


@pytest.mark.parametrize(
    ("rates", "mechanism", "discriminates", "verdict"),
    [
        ({"full": 0.9, "n1": 0.5, "n2": 0.0}, ["m"], True, "discriminates (at most 50% under n1)"),
        ({"full": 0.9, "n1": 0.6, "n2": 0.0}, ["m"], False, "still holds in 60% under n1"),
        ({"full": 0.9, "n1": 0.0, "n3": 0.9}, ["m", "k"], None, "not assessed"),
        ({"full": 0.7, "n1": 0.0, "n2": 0.0}, ["m"], False, "FAILS: holds in 70%"),
        ({"full": 0.9}, ["z"], None, "none removes z"),
    ],
)
def test_discrimination_needs_every_null_of_every_named_mechanism(
    rates: dict, mechanism: list[str], discriminates: bool | None, verdict: str
) -> None:
    p = _evidence(mechanism)
    table = matrix.hold_rates([p], _runs(rates))
    mechanisms = {"m": ["n1", "n2"], "k": ["n4"]}
    row = matrix.verdicts([p], table, mechanisms).iloc[0]
    assert row["discriminates"] is discriminates or row["discriminates"] == discriminates
    assert verdict in row["verdict"]


def test_scripted_and_calibration_patterns_are_never_evidence() -> None:
    for role in ("scripted", "calibration"):
        p = _evidence([], role)
        row = matrix.verdicts([p], matrix.hold_rates([p], _runs({"full": 1.0})), {}).iloc[0]
        assert row["discriminates"] is None and row["pass"]


def test_robustness_counts_draws_that_pass() -> None:
    p = _evidence(["m"])
    table = matrix.hold_rates([p], _runs({"draw_00": 0.9, "draw_01": 0.7, "draw_02": 0.8}))
    row = matrix.robustness([p], table).iloc[0]
    assert (row["passed"], row["draws"]) == (2, 3) and row["share"] == pytest.approx(2 / 3)


def test_contrast_table_flags_a_threshold_the_aid_null_reaches() -> None:
    p = {"id": "c", "kind": "contrast", "policy": "q", "series": "x", "min_difference": 0.5}
    gap = {"baseline": [frame([1.0])] * 5, "q": [frame([0.0])] * 5}
    none = {"baseline": [frame([1.0])] * 5, "q": [frame([1.0])] * 5}
    rows = matrix.contrasts([p], {"full": gap, "no_aid_effect": gap})
    assert rows.loc[rows["model"] == "full", "exceeds_null"].item() is False
    rows = matrix.contrasts([p], {"full": gap, "no_aid_effect": none})
    assert rows.loc[rows["model"] == "full", "exceeds_null"].item() is True
    assert rows.loc[rows["model"] == "full", "share"].item() == 1.0


# ----------------------------------------------------------------------------- the command


def _bad(args: list[str], capsys: pytest.CaptureFixture, tmp_path: Path) -> str:
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as info:
        cli_main(["validate", *args, f"out={out}", "-q"])
    assert info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("citypeace: error: "), err
    assert not out.exists()
    return err[0]


@pytest.mark.parametrize(
    ("arg", "names"),
    [
        ("nulls=no_such", "nulls = 'no_such'"),
        ("perturb=-1", "perturb = -1.0"),
        ("perturb=2", "perturb = 2.0"),
        ("draws=0", "draws = 0"),
        ("jobs=abc", "jobs = 'abc'"),
        ("seeds=0", "seeds = 0"),
        ("seed=4", "seed = '4'"),
        ("policy=no_abc", "policy = 'no_abc'"),
    ],
)
def test_bad_arguments_are_one_line_exit_2_and_no_files(
    arg: str, names: str, capsys: pytest.CaptureFixture, tmp_path: Path
) -> None:
    assert names in _bad(["scenario=tuzla", arg], capsys, tmp_path)


def test_an_unknown_mechanism_is_refused_before_anything_runs(
    capsys: pytest.CaptureFixture, tmp_path: Path
) -> None:
    folder = copy_scenario("two_cities", tmp_path)
    data = yaml.safe_load((folder / "patterns.yaml").read_text())
    data[0].update(role="evidence", mechanism=["telepathy"])
    (folder / "patterns.yaml").write_text(yaml.safe_dump(data))
    line = _bad([f"scenario.path={folder}"], capsys, tmp_path)
    assert str(folder / "patterns.yaml") in line and "'telepathy'" in line


def test_a_contrast_series_missing_under_its_policy_is_refused(
    capsys: pytest.CaptureFixture, tmp_path: Path
) -> None:
    folder = copy_scenario("two_cities", tmp_path)
    data = yaml.safe_load((folder / "patterns.yaml").read_text())
    data.append(
        {
            "id": "rebuilt", "role": "scripted", "role_reason": "t", "assumption": "t",
            "kind": "contrast", "policy": "no_programme",
            "series": "funds_total@programme:rebuild", "min_difference": 0.0,
        }
    )  # fmt: skip
    (folder / "patterns.yaml").write_text(yaml.safe_dump(data))
    line = _bad([f"scenario.path={folder}"], capsys, tmp_path)
    assert "patterns[1].series" in line and "under no_programme" in line


def test_help_prints_usage(tmp_path: Path) -> None:
    done = run_cli(["validate", "--help"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "usage: citypeace validate" in done.stdout and "no_gates" in done.stdout
    assert not list(tmp_path.iterdir())


def _two_cities_with(tmp_path: Path, extra: list[dict], budget: float | None = None) -> Path:
    folder = copy_scenario("two_cities", tmp_path)
    if budget is not None:  # the programme's monthly budget in units (EUR 1,000)
        edit_yaml(folder / "programmes.yaml", lambda data: data[0].update(budget=budget))
    data = yaml.safe_load((folder / "patterns.yaml").read_text())
    (folder / "patterns.yaml").write_text(yaml.safe_dump([*data, *extra]))
    return folder


def test_validate_writes_the_record_and_judges_evidence(tmp_path: Path) -> None:
    """two_cities, 3 seeds, two nulls and two draws: every file, the matrix and the verdicts."""
    evidence = [
        {   # gates do not stop the programme's projects: holds under no_gates as well
            "id": "projects_without_gates", "role": "evidence", "mechanism": ["gates"],
            "role_reason": "t", "assumption": "t", "kind": "range",
            "series": "projects_completed_development", "agg": "sum", "min": 1,
        },
        {   # without aid effects capacity cannot rise this far (at a Bosnia-scale budget)
            "id": "capacity_rises", "role": "evidence", "mechanism": ["aid_effect"],
            "role_reason": "t", "assumption": "t", "kind": "contrast", "policy": "no_programme",
            "series": "capacity", "agg": "last", "direction": "lower", "min_difference": 0.005,
        },
    ]  # fmt: skip
    # About EUR 300 per inhabitant a year (3,500 units a month for 140,000 people), the scale of
    # Bosnia's reconstruction: the shipped EUR 2.6 a head moves capacity by less than seed noise
    # since money is read per inhabitant (issue 15). Since branch steady east recovers toward its
    # own pre-war level (0.54), not full capacity, so aid closes a smaller gap: the last month's
    # gap is 0.0098-0.0107 over seeds 0-2 (it was above 0.01 before), against a seed spread of
    # the no-programme run's capacity of 0.0008; the fixture's threshold is 0.005 (this test
    # checks validate's verdicts, not the size of aid's effect: test_dynamics' bounds do that).
    folder = _two_cities_with(tmp_path, evidence, budget=3500)
    out = tmp_path / "record"
    args = [f"scenario.path={folder}", "seeds=3", f"out={out}", "-q"]
    args += ["nulls=no_aid_effect,no_gates", "perturb=0.25", "draws=2"]
    code = validate.main(args)
    assert code == 1  # projects_without_gates does not discriminate
    files = {p.name for p in out.iterdir()}
    assert {
        "validation.md", "validation.csv", "matrix.csv", "contrasts.csv", "robustness.csv",
        "draws.csv", "heatmap.png", "fan_charts.png",
    } <= files  # fmt: skip
    table = pd.read_csv(out / "matrix.csv", index_col="pattern")
    assert list(table.columns) == ["role", "full", "no_aid_effect", "no_gates"]
    summary = pd.read_csv(out / "validation.csv", index_col="pattern")
    assert summary.at["projects_without_gates", "discriminates"] == False  # noqa: E712
    assert "does not discriminate" in summary.at["projects_without_gates", "verdict"]
    assert summary.at["capacity_rises", "held_full"] == 1.0
    assert table.at["capacity_rises", "no_aid_effect"] == 0.0
    assert summary.at["capacity_rises", "discriminates"] == True  # noqa: E712
    robust = pd.read_csv(out / "robustness.csv")
    assert set(robust["draws"]) == {2}
    draws = pd.read_csv(out / "draws.csv")
    assert set(draws["draw"]) == {0, 1} and "model.trust.decay" in set(draws["key"])
    report = (out / "validation.md").read_text()
    assert "3 patterns: 1 scripted" in report and "1 of them discriminates" in report
    assert "projects_without_gates" in report and "coefficient draws" in report
    # Without perturb= the robustness files of an earlier run are removed, not left stale.
    assert validate.main([*args[:5], "nulls=none"]) in (0, 1)
    assert not (out / "robustness.csv").exists() and not (out / "draws.csv").exists()
    assert "not assessed" in (out / "validation.md").read_text()


def test_validate_is_the_same_as_running_the_models_yourself(tmp_path: Path) -> None:
    """The matrix's no_gates column is the pattern judged on runs with the null's overrides."""
    from sim import PeaceModel
    from sim.experiments.patterns import holds

    case = load_scenario("two_cities")
    out = tmp_path / "r"
    validate.main(["scenario=two_cities", "seeds=4", "nulls=no_gates", f"out={out}", "-q"])
    table = pd.read_csv(out / "matrix.csv", index_col="pattern")
    params = nulls.load_nulls()["no_gates"].params
    for p in case.patterns:
        mine = [
            holds(p, PeaceModel("two_cities", seed=s, params=params).run().timeseries())
            for s in range(4)
        ]
        assert table.at[p["id"], "no_gates"] == pytest.approx(np.mean(mine))


def test_shipped_roles_name_what_was_tuned_on_them() -> None:
    """calibrates: in patterns.yaml and tuned_on in params.py name each other."""
    from sim.experiments.pattern_schema import coefficient_keys

    keys = coefficient_keys()
    claimed = {
        (f"{name}:{p['id']}", key)
        for name in REAL
        for p in load_scenario(name).patterns
        for key in p.get("calibrates", [])
    }
    tuned = set()
    for key, f in keys.items():
        for token in filter(None, (t.strip() for t in f.metadata["tuned_on"].split(";"))):
            scenario, sep, pattern = token.partition(":")
            if sep and scenario in REAL:
                tuned.add((token, key))
    assert claimed == tuned and len(claimed) >= 6


def test_null_effects_name_what_each_null_breaks_and_rescues() -> None:
    rates = pd.DataFrame(
        {"full": [1.0, 0.9, 0.2], "n1": [0.0, 0.9, 0.9], "n2": [1.0, 1.0, 0.0]},
        index=["a", "b", "c"],
    )
    found = [nulls.NullModel("n1", "m", "d"), nulls.NullModel("n2", "k", "d")]
    effects = matrix.null_effects(rates, found).set_index("null")
    assert effects.at["n1", "breaks"] == ["a"] and effects.at["n1", "rescues"] == ["c"]
    assert effects.at["n2", "breaks"] == [] and effects.at["n2", "rescues"] == []


def test_the_speed_benchmark_times_the_whole_protocol(tmp_path: Path) -> None:
    import importlib.util

    from helpers import ROOT

    spec = importlib.util.spec_from_file_location(
        "validate_speed", ROOT / "experiments" / "bench" / "validate_speed.py"
    )
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.runs_planned("tuzla", 30) == (1 + len(nulls.load_nulls())) * 5 * 30
    r = bench.measure("two_cities", 1)
    assert r["runs"] == 1 + len(nulls.load_nulls()) and r["wall_s"] > 0 and r["exit"] in (0, 1)


def test_a_plain_command_is_composed_once_without_hydra_and_writes_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``scenario=`` and ``horizon=`` are composed without Hydra (``sim.cli.plain``); the same
    config through Hydra (a ``model.*`` override at its default value) writes the very same
    bytes in every file, and Hydra composes that command once."""
    from sim.cli import checks

    composed: list[list[str]] = []
    hydra_compose = checks.compose

    def counted(overrides: list[str], hydra: bool = False) -> object:
        composed.append(list(overrides))
        return hydra_compose(overrides, hydra)

    monkeypatch.setattr(checks, "compose", counted)
    common = ["scenario=two_cities", "horizon=24", "seeds=2", "nulls=no_gates", "-q"]
    plain, hydra = tmp_path / "plain", tmp_path / "hydra"
    first = validate.main([*common, f"out={plain}"])
    assert composed == []  # the plain command: no Hydra at all
    default = ModelParams().trust.decay
    second = validate.main([*common, f"model.trust.decay={default!r}", f"out={hydra}"])
    assert len(composed) == 1  # composed once (it was twice: the checks, then the arguments)
    assert first == second
    names = sorted(p.name for p in plain.iterdir())
    assert names == sorted(p.name for p in hydra.iterdir())
    assert {"validation.md", "validation.csv", "matrix.csv", "heatmap.png"} <= set(names)
    for name in names:
        assert (plain / name).read_bytes() == (hydra / name).read_bytes(), name
