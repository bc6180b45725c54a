"""The command line's plan cache (sim.cli.run_cache): a repeated command skips Hydra, writes
the same files, and never hides bad input."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import ROOT, copy_scenario, run_cli

QUIET = ["output.progress=false", "output.dashboard=false"]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _only_run(root: Path) -> Path:
    (run,) = [p for p in root.rglob("*") if p.is_dir() and (p / "provenance.json").is_file()]
    return run


def _imported(args: list[str], cwd: Path, cache: Path, modules: tuple[str, ...]) -> str:
    """Run the command in a fresh process and print which of ``modules`` it imported."""
    code = (
        "import sys\nfrom sim.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit as exc:\n    assert not exc.code\n"
        f"print([m for m in {modules!r} if m in sys.modules])\n"
    )
    again = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True,
                           text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
                                           "CITYPEACE_CACHE_DIR": str(cache)})  # fmt: skip
    assert again.returncode == 0, again.stderr
    return again.stdout.strip().splitlines()[-1]


def test_a_repeated_command_writes_the_same_files_without_hydra_or_pydantic(
    tmp_path: Path,
) -> None:
    cache = tmp_path / "cache"
    env = {"CITYPEACE_CACHE_DIR": str(cache)}
    args = ["scenario=tuzla", "horizon=24", "seed=4", "policy=no_abc", *QUIET]
    first = run_cli(args, tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    assert len(list((cache / "plans").glob("*.json"))) == 1
    assert len(list((cache / "scenarios").glob("*.json"))) == 1
    shutil.move(tmp_path / "outputs", tmp_path / "first")
    # The same command again, in a process that reports whether it imported Hydra.
    assert _imported(args, tmp_path, cache, ("hydra", "sim.cli.config", "pydantic",
                                             "sim.scenario.loader")) == "[]"  # fmt: skip
    a, b = _only_run(tmp_path / "first"), _only_run(tmp_path / "outputs")
    files_a, files_b = _files(a), _files(b)
    assert sorted(files_a) == sorted(files_b)
    for name in files_a:
        text_a, text_b = files_a[name], files_b[name]
        if name == ".hydra/hydra.yaml":  # the run folder's time stamp, as Hydra records it
            text_a = text_a.replace(a.name.encode(), b"STAMP")
            text_b = text_b.replace(b.name.encode(), b"STAMP")
        assert text_a == text_b, name


def test_the_cache_never_hides_a_bad_scenario(tmp_path: Path) -> None:
    folder = copy_scenario("two_cities", tmp_path / "mine")
    env = {"CITYPEACE_CACHE_DIR": str(tmp_path / "cache")}
    args = [f"scenario.path={folder}", "horizon=6", *QUIET]
    assert run_cli(args, tmp_path, env=env).returncode == 0
    assert list((tmp_path / "cache" / "plans").glob("*.json"))
    shutil.rmtree(tmp_path / "outputs")
    meta = folder / "scenario.yaml"
    data = yaml.safe_load(meta.read_text())
    data["horizon"] = -5
    meta.write_text(yaml.safe_dump(data))
    done = run_cli(args, tmp_path, env=env)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(meta) in lines[0] and "horizon" in lines[0], lines
    assert not (tmp_path / "outputs").exists()


def test_bad_input_is_never_stored(tmp_path: Path) -> None:
    env = {"CITYPEACE_CACHE_DIR": str(tmp_path / "cache")}
    done = run_cli(["scenario=two_cities", "model.trust.decay=7", *QUIET], tmp_path, env=env)
    assert done.returncode == 2
    assert not list((tmp_path / "cache").rglob("*.json"))


def test_the_key_follows_overrides_config_files_and_the_switch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sim.cli.paths
    from sim.cli import run_cache

    configs = tmp_path / "configs"
    shutil.copytree(ROOT / "configs", configs)
    monkeypatch.setattr(sim.cli.paths, "config_dir", lambda: configs)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CITYPEACE_CACHE_DIR", str(tmp_path / "cache"))
    base = run_cache.key(["scenario=tuzla"])
    assert run_cache.key(["scenario=tuzla"]) == base
    assert run_cache.key(["scenario=tuzla", "seed=1"]) != base
    (configs / "output" / "default.yaml").write_text(
        (configs / "output" / "default.yaml").read_text() + "\n# edited\n"
    )
    assert run_cache.key(["scenario=tuzla"]) != base
    monkeypatch.setenv("CITYPEACE_CACHE", "0")
    assert run_cache.lookup(["scenario=tuzla"]) == (None, None)


@pytest.mark.parametrize(
    "name", ["two_cities", "tuzla", "map", "seoul_pyongyang", "croatia_twinnings"]
)
def test_every_scenario_and_policy_reads_back_the_same(name: str) -> None:
    """A stored scenario is the validated one, dtypes and tuples included."""
    import json

    from sim.cli.scenario_cache import _same, decode, encode
    from sim.scenario.loader import load_scenario

    base = load_scenario(name)
    for policy in ["baseline", *base.policies]:
        case = load_scenario(name, policy=policy)
        again = decode(json.loads(json.dumps(encode(case))))
        for field in dataclasses.fields(case):
            assert _same(getattr(again, field.name), getattr(case, field.name)), (
                policy,
                field.name,
            )


def test_a_changed_scenario_file_is_read_and_checked_again(tmp_path: Path) -> None:
    from sim.cli import scenario_cache

    folder = copy_scenario("two_cities", tmp_path / "mine")
    key = scenario_cache._key(folder, "baseline", None, True)
    assert scenario_cache._key(folder, "baseline", None, True) == key
    assert scenario_cache._key(folder, "baseline", 12, True) != key
    assert scenario_cache._key(folder, "baseline", None, False) != key
    (folder / "events.yaml").write_text((folder / "events.yaml").read_text() + "\n# edited\n")
    assert scenario_cache._key(folder, "baseline", None, True) != key


def test_a_stored_scenario_still_answers_to_its_name(tmp_path: Path) -> None:
    """A folder's scenario stored by one run is refused to a run that names another one."""
    folder = copy_scenario("two_cities", tmp_path / "mine")
    env = {"CITYPEACE_CACHE_DIR": str(tmp_path / "cache")}
    assert (
        run_cli([f"scenario.path={folder}", "horizon=3", *QUIET], tmp_path, env=env).returncode == 0
    )
    bad = run_cli(["scenario=tuzla", f"scenario.path={folder}", "horizon=3", *QUIET], tmp_path,
                  env=env)  # fmt: skip
    assert bad.returncode == 2
    (line,) = bad.stderr.strip().splitlines()
    assert "scenario.name = 'tuzla'" in line and "'two_cities'" in line, line


@pytest.mark.parametrize(
    ("run_dir", "fast"),
    [
        (None, True),  # the default: outputs/${scenario.name}/${now:%Y-%m-%d_%H-%M-%S}
        ("runs/${seed}/s${scenario.name}/${now:%H}-${now:%M}", True),
        ("${oc.env:HOME}/runs/${now:%H}", False),  # resolved at each run, as Hydra would
        ("runs/${output.cities_max}", True),
    ],
)
def test_a_plans_filled_in_texts_are_omegaconfs(run_dir: str | None, fast: bool) -> None:
    """The texts a run fills in without OmegaConf (sim.cli.plan) are OmegaConf's, for plain
    folder names; other names go through OmegaConf."""
    import re

    from omegaconf import open_dict

    from sim.cli.checks import compose
    from sim.cli.plan import Plan

    overrides = ["scenario=tuzla", "seed=3"]
    if run_dir is not None:
        overrides.append(f"hydra.run.dir={run_dir}")
    cfg = compose(overrides, hydra=True)
    with open_dict(cfg):
        hydra_cfg = cfg.pop("hydra")
    plan = Plan.of(cfg, hydra_cfg)
    slow = dataclasses.replace(plan, run_dir_template=None, now_patterns=None,
                               hydra_template=None, overrides_text=None)  # fmt: skip
    assert (plan.run_dir_template is not None) == fast
    assert plan.hydra_template is not None
    stamp = re.compile(r"\d")  # the two calls may fall in different seconds
    fast_dir, slow_dir = plan.run_folder(), slow.run_folder()
    assert (stamp.sub("0", fast_dir[0]), fast_dir[1]) == (stamp.sub("0", slow_dir[0]), slow_dir[1])
    assert plan.overrides_yaml() == slow.overrides_yaml()
    for folder in [
        ("outputs/tuzla/2026-01-01_10-00-00", Path("/tmp/o/2026-01-01_10-00-00"), ".hydra"),
        ("my runs/a", Path("/tmp/my runs/a"), ".hydra"),  # quoted or not: OmegaConf decides
        ("true", Path("/x"), "null"),
        ("out/1.5", Path("/o/1.5"), "yes"),
        ("2026-01-01", Path("/o/x: y"), "sub"),
        ("o/#x", Path("/o/'q'"), ".h"),
    ]:
        assert plan.hydra_yaml(*folder) == slow.hydra_yaml(*folder), folder


@pytest.mark.parametrize(
    "overrides",
    [
        ["scenario=tuzla", "seed=SEED"],
        ["seed=SEED", "scenario=two_cities", "horizon=12", "policy=no_institutions"],
        ["scenario=synthetic", "scenario.n_cities=300", "seed=SEED", "horizon=24"],
        ["scenario=tuzla", "seed=SEED", "hydra.run.dir=runs/${seed}/x${seed}y/${now:%H}"],
        ["scenario=tuzla", "seed=SEED", "hydra.job.config.override_dirname.exclude_keys=[seed]"],
        ["scenario=map", "seed=SEED", "hydra.job.config.override_dirname.kv_sep=-"],
    ],
)
def test_a_seeds_plan_from_the_template_is_hydras(overrides: list[str]) -> None:
    """A command's plan made from its seed's template (sim.cli.seeds) is the plan Hydra
    composes for that seed, field by field, texts filled in included."""
    from omegaconf import open_dict

    from sim.cli import seeds
    from sim.cli.checks import check_config, compose
    from sim.cli.plan import Plan

    def composed(args: list[str]) -> tuple[Plan, object]:
        cfg = compose(args, hydra=True)
        with open_dict(cfg):
            hydra_cfg = cfg.pop("hydra")
        check_config(cfg, scenario=False)
        return Plan.of(cfg, hydra_cfg), cfg

    marked, seed = seeds.marked([o.replace("SEED", "5") for o in overrides])
    assert seed == 5
    kept = seeds.template(*composed(marked))
    assert kept is not None and kept.hash_text is not None
    for seed in (0, 5, 17, 123456, 2**63 - 1):
        direct = composed([o.replace("SEED", str(seed)) for o in overrides])[0]
        derived = seeds.with_seed(kept, seed)
        assert derived.to_json() == direct.to_json(), seed
        assert derived.kwargs() == direct.kwargs()
        folder = ("outputs/x", Path("/x"), ".hydra")
        assert derived.hydra_yaml(*folder) == direct.hydra_yaml(*folder)
        assert derived.overrides_yaml() == direct.overrides_yaml()
        stamp = re.compile(r"\d{2}$")
        assert stamp.sub("", derived.run_folder()[0]) == stamp.sub("", direct.run_folder()[0])


def test_only_a_plain_seed_has_a_template() -> None:
    from sim.cli import seeds

    mark = f"seed={seeds.MARK}"
    assert seeds.marked(["scenario=tuzla", "seed=12"]) == (["scenario=tuzla", mark], 12)
    assert seeds.marked(["seed=0"]) == ([mark], 0)
    for overrides in (
        ["scenario=tuzla"],  # no seed: Hydra's overrides differ
        ["seed=012"],  # not written as Hydra writes the number back
        ["seed=-1"],
        ["seed=1e3"],
        [f"seed={2**63}"],
        ["+seed=3"],
        ["seed=3", "seed=4"],
        ["seed=3", "~seed"],
        ["seed=1,2"],
    ):
        assert seeds.marked(overrides) is None, overrides


@pytest.mark.parametrize(
    "extra",
    [
        "policy=${oc.env:HOME}",  # a resolver in the config: refused
        "policy=p${seed}7",  # the mark's digits next to other digits: refused
    ],
)
def test_a_template_is_refused_where_the_seed_is_more_than_its_digits(extra: str) -> None:
    from omegaconf import open_dict

    from sim.cli import seeds
    from sim.cli.checks import compose
    from sim.cli.plan import Plan

    marked, _ = seeds.marked(["scenario=tuzla", "seed=1"])
    for overrides, refused in (([*marked, "policy=p${seed}"], False), ([*marked, extra], True)):
        cfg = compose(overrides, hydra=True)
        with open_dict(cfg):
            hydra_cfg = cfg.pop("hydra")
        kept = seeds.template(Plan.of(cfg, hydra_cfg), cfg)
        assert (kept is None) == refused, overrides


def test_a_new_seed_runs_from_its_template_without_hydra(tmp_path: Path) -> None:
    """After one run with a seed, a command with another seed neither imports Hydra nor
    composes, and writes what a run with every cache off writes."""
    cache = tmp_path / "cache"
    base = ["scenario=two_cities", "horizon=12", *QUIET]
    first = run_cli([*base, "seed=3", "hydra.run.dir=cached/s${seed}"], tmp_path,
                    env={"CITYPEACE_CACHE_DIR": str(cache)})  # fmt: skip
    assert first.returncode == 0, first.stderr
    args = [*base, "seed=11", "hydra.run.dir=cached/s${seed}"]
    assert _imported(args, tmp_path, cache, ("hydra", "sim.cli.config", "pydantic",
                                             "omegaconf")) == "[]"  # fmt: skip
    off = run_cli([*base, "seed=11", "hydra.run.dir=off/s${seed}"], tmp_path,
                  env={"CITYPEACE_CACHE": "0"})  # fmt: skip
    assert off.returncode == 0, off.stderr
    a, b = tmp_path / "cached" / "s11", tmp_path / "off" / "s11"
    files_a, files_b = _files(a), _files(b)
    assert sorted(files_a) == sorted(files_b)
    for name in files_a:
        text_a, text_b = files_a[name], files_b[name]
        if name == ".hydra/hydra.yaml":  # the overrides name the two folders
            text_a, text_b = text_a.replace(b"cached/", b"X/"), text_b.replace(b"off/", b"X/")
        assert text_a == text_b, name
