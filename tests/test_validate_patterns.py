"""patterns.yaml is checked like scenario data: one clear error per bad pattern, before a run."""
# ruff: noqa: E501 -- the parametrised tables of bad input read best one case a line

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

from helpers import ROOT, copy_scenario, edit_yaml
from sim import PeaceModel
from sim.engine.scoped_series import requested
from sim.errors import ScenarioError
from sim.experiments.pattern_schema import standing_series
from sim.scenario.loader import load_scenario

SHIPPED = ("two_cities", "tuzla", "map", "seoul_pyongyang")
GOOD = {
    "id": "p",
    "role": "scripted",
    "role_reason": "a test",
    "assumption": "a test",
    "kind": "range",
    "series": "needs",
    "agg": "mean",
    "from": "2000-06",
    "to": "2001-06",
    "max": 1.0,
}


def broken(tmp_path: Path, change: dict[str, Any] | None = None, drop: tuple = ()) -> Path:
    """A copy of two_cities whose only pattern is GOOD with ``change`` and without ``drop``."""
    folder = copy_scenario("two_cities", tmp_path)
    rec = {k: v for k, v in {**GOOD, **(change or {})}.items() if k not in drop}
    (folder / "patterns.yaml").write_text(yaml.safe_dump([rec], sort_keys=False))
    return folder


def refused(folder: Path) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenario(folder)
    err = info.value
    message = str(err)
    assert "\n" not in message
    assert err.where == str(folder / "patterns.yaml") and Path(err.where).is_absolute()
    return err


def test_a_good_pattern_loads(tmp_path: Path) -> None:
    assert load_scenario(broken(tmp_path)).patterns[0]["id"] == "p"


@pytest.mark.parametrize(
    ("change", "drop", "key", "value", "allowed"),
    [
        ({"minimum": 0.1}, (), "patterns[0].minimum", "0.1", "did you mean 'min'?"),
        ({"sereis": "needs"}, ("series",), "patterns[0].sereis", "'needs'", "did you mean 'series'?"),
        ({"series": "neds"}, (), "patterns[0].series", "'neds'", "did you mean 'needs'?"),
        ({"from": "2000-13"}, (), "patterns[0].from", "'2000-13'", "a date YYYY-MM"),
        ({"to": "2200-01"}, (), "patterns[0].to", "'2200-01'", "a date within the scenario"),
        ({"from": "2003-01", "to": "2002-01"}, (), "patterns[0].to", "'2002-01'", "not before"),
        ({"agg": "average"}, (), "patterns[0].agg", "'average'", "one of ['sum'"),
        ({"min": 0.9, "max": 0.1}, (), "patterns[0].max", "0.1", ">= min"),
        ({}, ("max",), "patterns[0].min", "None", "a bound"),
        ({"max": "high"}, (), "patterns[0].max", "'high'", "a finite number"),
        ({"kind": "trend"}, (), "patterns[0].kind", "'trend'", "one of ['range'"),
        ({}, ("role",), "patterns[0].role", "None", "one of ['scripted'"),
        ({"role": "finding"}, (), "patterns[0].role", "'finding'", "one of ['scripted'"),
        ({}, ("role_reason",), "patterns[0].role_reason", "None", "a non-empty string"),
        ({"mechanism": ["gates"]}, (), "patterns[0].mechanism", "['gates']", "only for role 'evidence'"),
        ({"role": "evidence"}, (), "patterns[0].mechanism", "None", "a non-empty list"),
        (
            {"role": "evidence", "mechanism": ["no_such"]},
            (),
            "patterns[0].mechanism",
            "'no_such'",
            "one of ['absorptive_capacity', 'acceptance'",
        ),
        (
            {"role": "calibration", "calibrates": ["model.trust.decy"]},
            (),
            "patterns[0].calibrates",
            "'model.trust.decy'",
            "did you mean 'model.trust.decay'?",
        ),
        ({"calibrates": ["model.trust.decay"]}, (), "patterns[0].calibrates", "['model.trust.decay']", "only for role 'calibration'"),
        ({"description": "x" * 301}, (), "patterns[0].description", "'xxx", "at most 300 characters"),
        ({"id": "has space"}, (), "patterns[0].id", "'has space'", "letters, digits"),
        ({"source": "page 3"}, (), "patterns[0].source", "'page 3'", "'NNN:LINE'"),
        ({"kind": "first_date", "op": "=>", "value": 1}, ("agg", "max"), "patterns[0].op", "'=>'", "one of ['>='"),
        ({"kind": "first_date", "never": "yes", "value": 1}, ("agg", "max"), "patterns[0].never", "'yes'", "true or false"),
        ({"kind": "contrast", "policy": "no_such"}, ("max",), "patterns[0].policy", "'no_such'", "one of ["),
        ({"kind": "contrast", "policy": "silos", "min_difference": 0.1, "direction": "up"}, ("max",), "patterns[0].direction", "'up'", "one of ['lower'"),
        ({"kind": "contrast", "policy": "silos"}, ("max",), "patterns[0].min_difference", "None", ">= 0"),
        ({"kind": "contrast", "policy": "silos", "min_difference": -1}, ("max",), "patterns[0].min_difference", "-1", "a number >= 0"),
        ({"kind": "contrast", "policy": "silos", "min_difference": 0.1}, (), "patterns[0].max", "1.0", "a key of this kind"),
        ({"series": "trust@eastville->nowhere"}, (), "patterns[0].series", "'trust@eastville->nowhere'", "'nowhere' is no actor"),
        ({"series": "funds_total@programme:nope"}, (), "patterns[0].series", "'funds_total@programme:nope'", "a programme of this scenario"),
        ({"series": "trust@tie_type:road"}, (), "patterns[0].series", "'trust@tie_type:road'", "a tie type"),
        ({"series": "capacity@tie_type:twinning"}, (), "patterns[0].series", "'capacity@tie_type:twinning'", "a measure of this scope"),
    ],
)  # fmt: skip
def test_each_bad_pattern_is_one_line_naming_file_key_value_and_what_is_allowed(
    tmp_path: Path, change: dict, drop: tuple, key: str, value: str, allowed: str
) -> None:
    err = refused(broken(tmp_path, change, drop))
    assert err.key == key, str(err)
    assert value in str(err).split(" = ", 1)[1], str(err)
    assert allowed in err.allowed, str(err)


def test_ratio_parts_are_checked_too(tmp_path: Path) -> None:
    change = {
        "kind": "ratio",
        "numerator": {"series": "needs", "agg": "mean", "form": "2001-01"},
        "denominator": {"series": "needs"},
        "min": 1,
    }
    err = refused(broken(tmp_path, change, ("series", "agg", "from", "to", "max")))
    assert err.key == "patterns[0].numerator.form" and "did you mean 'from'?" in err.allowed
    change["numerator"] = {"series": "needs", "to": "1700-01"}
    err = refused(broken(tmp_path / "b", change, ("series", "agg", "from", "to", "max")))
    assert err.key == "patterns[0].numerator.to"


def test_change_parts_are_checked_like_a_ratios(tmp_path: Path) -> None:
    change = {
        "kind": "change",
        "before": {"series": "needs", "agg": "mean", "to": "2001-01"},
        "after": {"series": "needs", "agg": "mean", "from": "2002-01"},
        "max": -0.01,
    }
    drop = ("series", "agg", "from", "to")
    assert load_scenario(broken(tmp_path / "a", change, drop)).patterns[0]["kind"] == "change"
    bad = {**change, "after": {"series": "neds"}}
    err = refused(broken(tmp_path / "b", bad, drop))
    assert err.key == "patterns[0].after.series" and "did you mean 'needs'?" in err.allowed
    err = refused(broken(tmp_path / "c", {**change, "numerator": {"series": "needs"}}, drop))
    assert err.key == "patterns[0].numerator" and "a key of this kind" in err.allowed
    err = refused(broken(tmp_path / "d", {k: v for k, v in change.items() if k != "before"}, drop))
    assert err.key == "patterns[0].before" and "a mapping" in err.allowed


def test_duplicate_ids_and_too_many_patterns(tmp_path: Path) -> None:
    folder = broken(tmp_path)
    (folder / "patterns.yaml").write_text(yaml.safe_dump([GOOD, GOOD]))
    assert refused(folder).key == "patterns[1].id"
    (folder / "patterns.yaml").write_text(
        yaml.safe_dump([{**GOOD, "id": f"p{i}"} for i in range(501)])
    )
    assert refused(folder).key == "patterns"


def test_a_policy_may_drop_what_a_series_reads(tmp_path: Path) -> None:
    """Series are checked on the baseline load; validate checks contrasts under their policy."""
    folder = broken(tmp_path, {"series": "trust@mediator->eastville"})
    sc = load_scenario(folder)
    for policy in sc.policies:
        load_scenario(folder, policy=policy)


@pytest.mark.parametrize("name", SHIPPED)
def test_standing_series_are_exactly_what_a_run_records(name: str) -> None:
    sc = load_scenario(name)
    ts = PeaceModel(name, seed=0, horizon=2).run().timeseries()
    # ... then the scoped series the scenario's own patterns name (sim.engine.scoped_series)
    assert [*standing_series(sc), *requested(sc.patterns)] == list(ts.columns)


def _doc_examples() -> list[dict[str, Any]]:
    text = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    section = text[text.index("## `patterns.yaml`") :]
    blocks = re.findall(r"```yaml\n(.*?)```", section, flags=re.S)
    return [rec for block in blocks for rec in yaml.safe_load(block)]


def test_every_documented_example_is_a_valid_pattern(tmp_path: Path) -> None:
    """Each example in docs/scenario-format.md loads against tuzla or map."""
    examples = _doc_examples()
    assert len(examples) >= 8
    forms = " ".join(str(e.get("series")) + str(e.get("numerator")) for e in examples)
    for form in ("->", "<->", "@programme:", "@tie_type:", "funded@", "median"):
        assert form in forms + " ".join(str(e.get("agg")) for e in examples), form
    for i, rec in enumerate(examples):
        errors = []
        for name in ("tuzla", "map"):
            folder = copy_scenario(name, tmp_path / f"{i}")
            edit_yaml(folder / "patterns.yaml", lambda _d, rec=rec: [rec])
            try:
                load_scenario(folder)
                break
            except ScenarioError as exc:
                errors.append(str(exc))
        else:
            pytest.fail(f"example {rec['id']}: {errors}")


# ----------------------------------------------------------------------------- scoped series


def _with_series(name: str, series: list[str]) -> Any:
    sc = load_scenario(name)
    sc.patterns = [
        *sc.patterns,
        *({**GOOD, "id": f"s{i}", "series": s} for i, s in enumerate(series)),
    ]
    return sc


def test_programme_and_tie_type_series_add_up_in_tuzla() -> None:
    """Tuzla has ABC on partnership ties and the national reconstruction flow (one prp_*
    programme per town) on funding ties: per programme and per tie type, the series add up to
    the totals."""
    prp = ["prp_tuzla", "prp_mixed_town", "prp_bosniak_town", "prp_croat_town", "prp_rs_town"]
    progs = ["abc", *prp]
    projects = [
        f"projects_{s}_development" for s in ("started", "completed", "active", "interrupted")
    ]
    names = [
        *(f"funds_total@programme:{p}" for p in progs),
        *(f"flows_development@programme:{p}" for p in progs),
        *(f"{col}@programme:{p}" for col in projects for p in progs),
        "funds_peace@programme:abc",
        "funds_total@tie_type:partnership",
        "funds_total@tie_type:funding",
        "funds_total@tie_type:twinning",
    ]  # fmt: skip
    model = PeaceModel(_with_series("tuzla", names), seed=3).run()
    ts = model.timeseries()

    def summed(measure: str, among: list[str]) -> pd.Series:
        return sum(ts[f"{measure}@programme:{p}"] for p in among)

    np.testing.assert_allclose(summed("funds_total", progs), ts["funds_total"], atol=1e-6)
    np.testing.assert_allclose(
        ts["funds_peace@programme:abc"], ts["funds_peace_direct"] + ts["funds_peace_io"], atol=1e-9
    )
    np.testing.assert_array_equal(summed("flows_development", progs), ts["flows_development"])
    for col in projects:
        np.testing.assert_array_equal(summed(col, progs), ts[col])
    np.testing.assert_allclose(
        ts["funds_total@tie_type:partnership"], ts["funds_total@programme:abc"], atol=1e-9
    )
    np.testing.assert_allclose(
        ts["funds_total@tie_type:funding"], summed("funds_total", prp), atol=1e-6
    )
    assert (ts["funds_total@tie_type:twinning"] == 0).all()
    assert ts["projects_completed_development@programme:abc"].sum() > 50
    assert ts["funds_total@programme:prp_tuzla"].max() > 50 * ts["funds_total@programme:abc"].max()
    plain = PeaceModel("tuzla", seed=3).run().timeseries()
    pd.testing.assert_frame_equal(plain, ts[plain.columns], check_exact=True)


def test_programme_series_under_sanctions_stay_within_the_totals() -> None:
    """Seoul: many programmes, own resources and sanction friction after 2016."""
    sc = load_scenario("seoul_pyongyang")
    names = [
        f"funds_{p}@programme:{q['id']}" for q in sc.programmes for p in ("total", "humanitarian")
    ]
    ts = PeaceModel(_with_series("seoul_pyongyang", names), seed=1).run().timeseries()
    total = sum(ts[f"funds_total@programme:{q['id']}"] for q in sc.programmes)
    hum = sum(ts[f"funds_humanitarian@programme:{q['id']}"] for q in sc.programmes)
    assert (total <= ts["funds_total"] + 1e-9).all() and total.sum() > 0
    assert (hum <= ts["funds_humanitarian_direct"] + ts["funds_humanitarian_io"] + 1e-9).all()
    after = ts["date"] >= "2017-01"
    health = ts.loc[after, "funds_humanitarian@programme:sp_health_medical"]
    assert (health <= 0.5 + 1e-9).all()  # 1 unit a month, hum half of it at most, friction 0.5


def test_trust_series_read_the_ties() -> None:
    names = ["trust@ulai->apla", "trust@apla->ulai", "trust@ulai<->apla", "trust@vng->apla"]
    model = PeaceModel(_with_series("map", names), seed=2).run()
    ts, ties, index = model.timeseries(), model.ties, model.actor_index

    def tie(a: str, b: str) -> float:
        rows = (ties.src == index[a]) & (ties.dst == index[b])
        return float(ties.trust[rows].mean())

    last = ts.iloc[-1]
    assert last["trust@ulai->apla"] == pytest.approx(tie("ulai", "apla"))
    assert last["trust@vng->apla"] == pytest.approx(tie("vng", "apla"))
    both = ts["trust@ulai->apla"] / 2 + ts["trust@apla->ulai"] / 2
    np.testing.assert_allclose(ts["trust@ulai<->apla"], both)
    assert ts["trust@ulai->apla"].between(0, 1).all() and ts["trust@ulai->apla"].std() > 0
