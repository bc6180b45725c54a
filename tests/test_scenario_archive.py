"""Uploaded scenarios (issue 7): an untrusted .zip goes through the same validator, or nowhere."""

from __future__ import annotations

import io
import signal
import socket
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from helpers import scenario_files, zipped
from sim.engine.model import PeaceModel
from sim.errors import ScenarioError
from sim.scenario import loader
from sim.scenario.archive import MAX_UNPACKED_BYTES, install_archive


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(loader, "_EXTRA_ROOTS", [])  # this test's uploads only
    folder = tmp_path / "uploads"
    loader.add_scenario_root(folder)
    return folder


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


@pytest.mark.parametrize("folder", ["my_town", None], ids=["in-a-folder", "files-at-top"])
def test_a_valid_upload_is_installed_and_runs_like_the_original(
    root: Path, folder: str | None
) -> None:
    name = install_archive(zipped(scenario_files(), folder), "my_town.zip", root)
    assert name == "my_town" and leftovers(root) == ["my_town"]
    assert "my_town" in loader.available_scenarios()
    ours = PeaceModel(scenario="my_town", seed=3, horizon=24).run().timeseries()
    original = PeaceModel(scenario="two_cities", seed=3, horizon=24).run().timeseries()
    assert ours.drop(columns=["date"]).equals(original.drop(columns=["date"]))


def _symlink_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in scenario_files().items():
            zf.writestr(name, text)
        link = zipfile.ZipInfo("events.yaml.link.yaml")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    return buf.getvalue()


def _bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("scenario.yaml", "name: bomb\n")
        zf.writestr("actors.yaml", b"#" * (MAX_UNPACKED_BYTES + 1))  # compresses to ~20 kB
    return buf.getvalue()


BAD = {
    "not-a-zip": (b"name: my_town\n", "archive"),
    "empty-zip": (zipped({}), "archive"),
    "path-traversal": (zipped({"../evil.yaml": "x: 1", **scenario_files()}), "member"),
    "absolute-path": (zipped({"/etc/evil.yaml": "x: 1"}, folder=None), "member"),
    "symlink": (_symlink_zip(), "member"),
    "python-file": (zipped({"run.py": "import os", **scenario_files()}), "member"),
    "sub-folders": (zipped({"a/b.yaml": "x: 1", **scenario_files()}), "layout"),
    "no-scenario-yaml": (zipped({"actors.yaml": "[]"}), "scenario.yaml"),
    "zip-bomb": (_bomb(), "unpacked size"),
    "built-in-name": (zipped(scenario_files("two_cities")), "name"),
    "path-in-name": (zipped(scenario_files("../etc")), "name"),
    "not-yaml": (zipped(scenario_files(scenario_yaml=("title:", "title: [unclosed"))), "line"),
    "negative-budget": (
        zipped(scenario_files(programmes_yaml=("budget: 30", "budget: -5"))),
        "budget",
    ),
    "index-above-one": (
        zipped(scenario_files(scenario_yaml=("value: 0.6", "value: 1.6"))),
        "value",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_upload_is_one_clear_error_and_leaves_nothing(root: Path, case: str) -> None:
    data, key = BAD[case]
    with pytest.raises(ScenarioError) as info:
        install_archive(data, "upload.zip", root)
    message = str(info.value)
    assert message.startswith("upload upload.zip") and len(message.splitlines()) == 1
    assert key in info.value.key, message
    assert str(root) not in message  # our staging paths are not the user's business
    assert leftovers(root) == []
    assert "my_town" not in loader.available_scenarios()


def test_a_second_upload_under_the_same_name_is_refused(root: Path) -> None:
    install_archive(zipped(scenario_files()), "a.zip", root)
    with pytest.raises(ScenarioError, match="not already in use"):
        install_archive(zipped(scenario_files()), "b.zip", root)
    assert leftovers(root) == ["my_town"]


def test_every_policy_of_an_upload_is_validated(root: Path) -> None:
    """A policy that names an unknown programme only fails when applied: it is applied here."""
    files = scenario_files(policies_yaml=("drop_programmes: [rebuild]", "drop_programmes: [nope]"))
    with pytest.raises(ScenarioError, match="nope"):
        install_archive(zipped(files), "p.zip", root)
    assert leftovers(root) == []


def test_the_app_installs_a_dropped_scenario_or_keeps_the_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pytest.importorskip("solara")
    import sim.app.page as app

    monkeypatch.setattr(loader, "_EXTRA_ROOTS", [])
    monkeypatch.setattr(app, "uploads_root", lambda: _registered(tmp_path / "uploads"))
    app.start_session()
    before = app.session_r.value
    assert not app.upload_scenario("bad.zip", zipped(scenario_files("two_cities")))
    assert "two_cities" in app.error_r.value and "Nothing was added" in app.error_r.value
    assert app.session_r.value is before  # the old run stays on screen
    assert app.upload_scenario("town.zip", zipped(scenario_files("dropped_town")))
    assert app.error_r.value == "" and app.session_r.value.settings.scenario == "dropped_town"
    assert "dropped_town" in app.scenario_names()


def _registered(folder: Path) -> Path:
    loader.add_scenario_root(folder)
    return folder


# ----------------------------------------------------------------------------- budget (issue 18)


def test_a_yaml_file_over_the_cap_is_refused_before_parsing(root: Path) -> None:
    from sim.scenario.archive import MAX_YAML_BYTES

    files = scenario_files()
    files["actors.yaml"] += "# " + "x" * MAX_YAML_BYTES + "\n"
    with pytest.raises(ScenarioError) as info:
        install_archive(zipped(files), "big.zip", root)
    assert info.value.key == "my_town/actors.yaml"
    assert "a YAML file of at most 1,000,000 bytes" in str(info.value)
    assert not root.exists() or list(root.iterdir()) == []


def test_validation_runs_in_a_worker_with_a_time_budget(root: Path, tmp_path: Path) -> None:
    from sim.scenario.archive import validate_in_worker

    folder = tmp_path / "my_town"
    folder.mkdir()
    for name, text in scenario_files().items():
        (folder / name).write_text(text)
    assert validate_in_worker(folder, "upload x.zip")[0] == "baseline"
    with pytest.raises(ScenarioError) as info:
        validate_in_worker(folder, "upload x.zip", seconds=0.05)  # less than a Python start
    assert str(info.value).startswith("upload x.zip: validation = 'over 0.05 s': ")
    assert "within 0.05 s" in info.value.allowed


def test_a_policy_description_bomb_is_one_short_error(root: Path) -> None:
    levels = ["&a0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"&a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    policy = f"bomb:\n  assumption: x\n  description: [{', '.join(levels)}]\n"
    files = scenario_files()
    files["policies.yaml"] += policy
    data = zipped(files)
    assert len(data) < 4000
    with pytest.raises(ScenarioError) as info:
        install_archive(data, "bomb.zip", root)
    message = str(info.value)
    assert message.startswith("upload bomb.zip") and "bomb.description" in message, message
    assert "text of at most 300 characters" in message and len(message) < 1000
    assert list(root.iterdir()) == []


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_the_server_cleans_up_on_sigterm_and_sigint(sig: int, tmp_path: Path) -> None:
    """Uvicorn re-raises the signal after its graceful shutdown; exit handlers must still run
    (sim/app/page.py removes the uploads folder in one)."""
    code = (
        "import atexit, sys, uvicorn\n"
        "from sim.app.serve import exit_on_sigterm\n"
        "async def app(scope, receive, send):\n"
        "    pass\n"
        "atexit.register(lambda: print('cleaned up', flush=True))\n"
        "exit_on_sigterm()\n"
        "uvicorn.run(app, host='127.0.0.1', port=int(sys.argv[1]), log_level='warning')\n"
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(port)], stdout=subprocess.PIPE, text=True, cwd=tmp_path
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        else:
            pytest.fail("the server did not start")
        proc.send_signal(sig)
        out, _ = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert "cleaned up" in out  # without exit_on_sigterm, SIGTERM ends it before this
    if sig == signal.SIGTERM:
        assert proc.returncode == 128 + signal.SIGTERM
