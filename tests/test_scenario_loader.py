"""The scenario loader validates everything and names file, key, value and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import copy_scenario, edit_yaml, run_cli
from sim.errors import ScenarioError
from sim.scenario.loader import available_scenarios, load_scenario, scenario_folder


def test_two_cities_loads() -> None:
    sc = load_scenario("two_cities")
    assert sc.horizon == 120 and len(sc.actors) == 6
    # programme ties and governance ties are derived
    assert {"partnership", "governance", "mediation", "twinning"} <= set(sc.ties["type"])


def test_names_with_paths_are_refused() -> None:
    for bad in ("../etc", "a/b", "..", "two_cities/../x", ""):
        with pytest.raises(ScenarioError, match="no paths"):
            scenario_folder(bad)
    assert "two_cities" in available_scenarios() and "synthetic" in available_scenarios()


def _broken(tmp_path: Path, file: str, edit) -> Path:  # noqa: ANN001
    folder = copy_scenario("two_cities", tmp_path)
    edit_yaml(folder / file, edit)
    return folder


CASES = [
    (
        "ties.yaml",
        lambda d: d.append(
            {"src": "eastville", "dst": "ghost", "type": "twinning", "assumption": "x"}
        ),
        "ghost",
        "a known actor id",
    ),
    (
        "events.yaml",
        lambda d: d.append(
            {
                "date": "2031-01",
                "type": "summit",
                "a": "EA",
                "b": "WE",
                "delta": 0.1,
                "assumption": "x",
            }
        ),
        "2031-01",
        "within the horizon",
    ),
    ("actors.yaml", lambda d: d[0].update(needs=1.3), "1.3", "[0.0, 1.0]"),
    ("actors.yaml", lambda d: d[0].update(resources=-5), "-5", "[0.0, inf]"),
    ("actors.yaml", lambda d: d[0].update(needs=float("nan")), "nan", "finite"),
    ("actors.yaml", lambda d: d.append(dict(d[0])), "eastville", "unique"),
    ("actors.yaml", lambda d: d[0].__delitem__("assumption"), "actors[0]", "assumption"),
    ("actors.yaml", lambda d: d[0].update(colour="red"), "colour", "a known key"),
    ("programmes.yaml", lambda d: d[0].update(budget=-1), "budget", "[0.0, inf]"),
    ("programmes.yaml", lambda d: d[0].update(start="2000-13"), "2000-13", "YYYY-MM"),
    (
        "events.yaml",
        lambda d: (
            d.append(
                {
                    "date": "2001-01",
                    "type": "funding_end",
                    "programme": "rebuild",
                    "assumption": "x",
                }
            )
            or d.append(
                {
                    "date": "2001-02",
                    "type": "funding_end",
                    "programme": "rebuild",
                    "assumption": "x",
                }
            )
        ),
        "funding_end",
        "after a funding_start",
    ),
]


@pytest.mark.parametrize(("file", "edit", "value", "allowed"), CASES)
def test_bad_scenario_entries(tmp_path: Path, file: str, edit, value: str, allowed: str) -> None:  # noqa: ANN001
    folder = _broken(tmp_path, file, edit)
    with pytest.raises(ScenarioError) as info:
        load_scenario(folder)
    message = str(info.value)
    assert file in message and value in message and allowed in message, message


def test_malformed_yaml_and_empty_scenario(tmp_path: Path) -> None:
    folder = copy_scenario("two_cities", tmp_path)
    (folder / "ties.yaml").write_text("- {src: eastville, dst: [unclosed\n")
    with pytest.raises(ScenarioError, match=r"ties.yaml: line \d+ .*valid YAML"):
        load_scenario(folder)
    (folder / "scenario.yaml").write_text("")
    with pytest.raises(ScenarioError, match="non-empty mapping"):
        load_scenario(folder)


def test_a_scenario_file_that_is_an_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    """A scenario.yaml that is a list (not the mapping it must be) naming 9**9 strings through
    aliases is refused with its value cut short: the error's value was repr(...)[:80], which
    walked every string first and never returned (found by test_fuzz_loader on e4b0bd4)."""
    import time

    folder = copy_scenario("two_cities", tmp_path)
    levels = ["&b0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"&b{i} [{', '.join([f'*b{i - 1}'] * 9)}]" for i in range(1, 9)]
    (folder / "scenario.yaml").write_text(f"- null\n- [{', '.join(levels)}]\n")
    start = time.process_time()
    with pytest.raises(ScenarioError, match=r"document = .*\.\.\..*non-empty mapping"):
        load_scenario(folder)
    assert time.process_time() - start < 5


@pytest.mark.parametrize("case", [0, 1, 7])
def test_cli_bad_scenario_file_exits_2_without_folder(tmp_path: Path, case: int) -> None:
    """A user scenario folder with a bad entry: one line naming file and key, exit 2."""
    file, edit, value, allowed = CASES[case]
    folder = _broken(tmp_path / "data", file, edit)
    proc = run_cli([f"scenario.path={folder}", "output.progress=false"], tmp_path)
    assert proc.returncode == 2
    (line,) = proc.stderr.strip().splitlines()
    assert file in line and value in line and allowed in line
    assert not (tmp_path / "outputs").exists()


def test_withdraw_from_alliance_never_joined(tmp_path: Path) -> None:
    folder = copy_scenario("two_cities", tmp_path)
    (folder / "alliances.yaml").write_text(
        "- {id: pact, members: [eastville, westburg], mediators: [mediator], assumption: x}\n"
    )
    edit_yaml(
        folder / "events.yaml",
        lambda d: d.append(
            {
                "date": "2003-01",
                "type": "withdraw",
                "actor": "mediator",
                "alliance": "pact",
                "assumption": "x",
            }
        ),
    )
    with pytest.raises(ScenarioError, match="a member of alliance 'pact'"):
        load_scenario(folder)


def test_policy_overlay_removes_mediation() -> None:
    base = load_scenario("two_cities")
    nomed = load_scenario("two_cities", policy="no_mediator")
    assert (base.ties["type"] == "mediation").sum() == 2
    assert (nomed.ties["type"] == "mediation").sum() == 0
    assert load_scenario("two_cities", policy="silos").levers == {"coordination": 0.0}


def test_lever_precedence_scenario_policy_user(tmp_path: Path) -> None:
    """Built-in defaults < scenario.yaml levers < policy levers < the caller's levers."""
    from sim import PeaceModel

    folder = copy_scenario("two_cities", tmp_path)
    edit_yaml(
        folder / "scenario.yaml",
        lambda d: d.update(
            levers=[
                {"lever": "coordination", "value": 0.8, "assumption": "test"},
                {"lever": "funding_scale", "value": 2.0, "assumption": "test"},
            ]
        ),
    )
    assert PeaceModel(folder, horizon=1).levers.coordination == 0.8
    silos = PeaceModel(folder, horizon=1, policy="silos").levers
    assert silos.coordination == 0.0 and silos.funding_scale == 2.0
    assert (
        PeaceModel(
            folder, horizon=1, policy="silos", levers={"coordination": 0.3}
        ).levers.coordination
        == 0.3
    )
    edit_yaml(
        folder / "scenario.yaml",
        lambda d: d.update(levers=[{"lever": "coordination", "value": 1.5, "assumption": "test"}]),
    )
    with pytest.raises(ScenarioError, match=r"levers\[0\].value = 1.5"):
        load_scenario(folder)
