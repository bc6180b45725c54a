"""App and input safety (issue 7).

* No user text is ever evaluated: no eval/exec/compile, no unsafe YAML loader, no pickle, no
  shell, no pandas expression strings anywhere in the package (checked on the syntax tree),
  and a YAML tag that would run code is refused as bad input.
* The app binds 127.0.0.1 unless ``--host`` is given.
* Scenario names with path separators or ``..`` are refused on every way in.
* Scenario content reaches the app only through the one validating loader.
"""

from __future__ import annotations

import ast
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import ROOT, copy_scenario, scenario_files, zipped
from sim.errors import CitypeaceError, ScenarioError

PACKAGE = ROOT / "sim"
SOURCES = sorted(PACKAGE.rglob("*.py"))

# Calls that evaluate text or deserialise code: module.attr (or a bare builtin name).
FORBIDDEN_CALLS = {
    "eval",
    "exec",
    "compile",
    "__import__",
    "yaml.load",
    "yaml.load_all",
    "yaml.full_load",
    "yaml.full_load_all",
    "yaml.unsafe_load",
    "yaml.unsafe_load_all",
    "pickle.load",
    "pickle.loads",
    "marshal.load",
    "marshal.loads",
    "os.system",
    "os.popen",
    "pd.eval",
    "pandas.eval",
}
FORBIDDEN_NAMES = {"Loader", "FullLoader", "UnsafeLoader", "UnsafeConstructor"}
FORBIDDEN_METHODS = {"eval", "query"}  # DataFrame.eval / DataFrame.query run expression text


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return "?"


def unsafe_uses(source: str, name: str = "<source>") -> list[str]:
    """Every place in ``source`` that could evaluate or deserialise user text."""
    found = []
    for node in ast.walk(ast.parse(source, name)):
        if isinstance(node, ast.Call):
            called = _dotted(node.func)
            if called in FORBIDDEN_CALLS:
                found.append(f"{name}:{node.lineno}: {called}()")
            elif isinstance(node.func, ast.Attribute) and node.func.attr in FORBIDDEN_METHODS:
                found.append(f"{name}:{node.lineno}: .{node.func.attr}()")
            for kw in node.keywords:
                if kw.arg == "shell" and not (
                    isinstance(kw.value, ast.Constant) and kw.value.value is False
                ):
                    found.append(f"{name}:{node.lineno}: shell=")
        elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_NAMES:
            found.append(f"{name}:{node.lineno}: {_dotted(node)}")
        elif isinstance(node, ast.ImportFrom) and node.module in ("pickle", "marshal", "dill"):
            found.append(f"{name}:{node.lineno}: from {node.module} import")
        elif isinstance(node, ast.Import) and {a.name for a in node.names} & {"pickle", "dill"}:
            found.append(f"{name}:{node.lineno}: import pickle")
    return found


def yaml_calls(source: str) -> set[str]:
    """The ``yaml.*`` functions called; ``yaml.dump`` with a safe dumper (its ``Dumper=``
    names only SafeDumper or CSafeDumper) counts as ``yaml.safe_dump``."""
    calls = set()
    for n in ast.walk(ast.parse(source)):
        if isinstance(n, ast.Call) and _dotted(n.func).startswith("yaml."):
            called = _dotted(n.func)
            dumper = next((ast.unparse(k.value) for k in n.keywords if k.arg == "Dumper"), "")
            names = {a.attr for a in ast.walk(ast.parse(dumper)) if isinstance(a, ast.Attribute)}
            if called == "yaml.dump" and names and names <= {"SafeDumper", "CSafeDumper"}:
                called = "yaml.safe_dump"
            calls.add(called)
    return calls


def test_no_user_text_is_evaluated_anywhere_in_the_package() -> None:
    problems = [p for path in SOURCES for p in unsafe_uses(path.read_text(), str(path))]
    assert problems == []


def test_yaml_is_read_only_with_the_safe_loader() -> None:
    calls = set().union(*(yaml_calls(path.read_text()) for path in SOURCES))
    assert "yaml.safe_load" in calls  # the scan sees the loader's call
    assert calls <= {"yaml.safe_load", "yaml.safe_load_all", "yaml.safe_dump"}, calls
    # The scan tells a safe dump from an unsafe one.
    assert yaml_calls("yaml.dump(d, Dumper=yaml.CSafeDumper)") == {"yaml.safe_dump"}
    assert yaml_calls("yaml.dump(d)") == {"yaml.dump"}
    assert yaml_calls("yaml.dump(d, Dumper=yaml.Dumper)") == {"yaml.dump"}
    assert yaml_calls("yaml.load(t, Loader=yaml.SafeLoader)") == {"yaml.load"}


@pytest.mark.parametrize(
    "planted",
    [
        "eval(text)",
        "exec(code)",
        "yaml.load(fh, Loader=yaml.Loader)",
        "yaml.unsafe_load(fh)",
        "yaml.full_load(fh)",
        "frame.query(user_text)",
        "df.eval('a + b')",
        "subprocess.run(cmd, shell=True)",
        "os.system(cmd)",
        "pickle.loads(blob)",
        "import pickle",
    ],
)
def test_the_scan_finds_what_it_forbids(planted: str) -> None:
    assert unsafe_uses(f"def f():\n    {planted}\n")


def test_a_yaml_tag_that_runs_code_is_refused(tmp_path: Path) -> None:
    from sim.scenario.loader import load_scenario

    folder = copy_scenario("two_cities", tmp_path)
    marker = tmp_path / "pwned"
    for payload in (
        f"!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/apply:pathlib.Path.touch "
        f"[!!python/object/apply:pathlib.Path ['{marker}']]",
        "!!python/name:os.system",
    ):
        (folder / "scenario.yaml").write_text(f"name: two_cities\ntitle: {payload}\n")
        with pytest.raises(ScenarioError, match=r"scenario\.yaml: line \d+ = .*valid YAML"):
            load_scenario(folder)
        assert not marker.exists()


# ----------------------------------------------------------------------------- names


BAD_NAMES = [
    "../two_cities",
    "..",
    "two_cities/../tuzla",
    "scenarios/two_cities",
    "/etc",
    str(ROOT / "scenarios" / "two_cities"),
    "..\\two_cities",
    "two_cities\x00",
    "~root",
    " two_cities",
    "",
]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_scenario_names_with_paths_are_refused_everywhere(name: str) -> None:
    from sim.engine.model import PeaceModel
    from sim.scenario.loader import load_scenario, scenario_folder

    for way_in in (scenario_folder, load_scenario, PeaceModel):
        with pytest.raises(ScenarioError, match="no paths"):
            way_in(name)


@pytest.mark.parametrize("name", ["../two_cities", "/etc", "two_cities/../tuzla"])
def test_the_app_refuses_scenario_names_with_paths(name: str) -> None:
    runs = pytest.importorskip("sim.app.runs", reason="the browser app is not there yet")
    from sim.app.settings import Settings

    with pytest.raises(CitypeaceError, match="no paths"):
        runs.Session.build(Settings(scenario=name))


# ----------------------------------------------------------------------------- the app


def test_app_binds_loopback_unless_host_is_given() -> None:
    app_cli = pytest.importorskip("sim.app.serve", reason="`citypeace app` is not there yet")
    assert app_cli.parser().parse_args([]).host == "127.0.0.1"
    assert app_cli.parser().parse_args(["--host", "0.0.0.0"]).host == "0.0.0.0"


def _listeners(port: int) -> set[str]:
    """Local addresses listening on ``port`` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A = LISTEN
                found.add(address)
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(not os.path.exists("/proc/net/tcp"), reason="needs Linux /proc/net/tcp")
def test_app_server_listens_on_loopback_only(tmp_path: Path) -> None:
    pytest.importorskip("sim.app.serve", reason="`citypeace app` is not there yet")
    pytest.importorskip("uvicorn", reason="the app's server is not installed")
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", "app", "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not _listeners(port) and time.monotonic() < deadline:
            assert proc.poll() is None, "the app exited"
            time.sleep(0.2)
        listening = _listeners(port)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert listening == {"0100007F"}, listening  # 127.0.0.1 only: no 0.0.0.0, no ::


def test_app_reads_scenarios_only_through_the_loader() -> None:
    """Any scenario content the app shows went through ``load_scenario`` (via PeaceModel).

    The app modules neither parse YAML/CSV nor open files themselves, so an uploaded or edited
    scenario cannot bypass the validator unless this test is changed with it.
    """
    app_files = sorted((PACKAGE / "app").glob("*.py"))
    if not app_files:
        pytest.skip("the browser app is not there yet")
    for path in app_files:
        tree = ast.parse(path.read_text())
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not imported & {"yaml", "csv", "json", "ruamel.yaml"}, path
        called = {_dotted(n.func).split(".")[-1] for n in ast.walk(tree) if isinstance(n, ast.Call)}
        assert not called & {"open", "read_text", "read_bytes", "read_csv", "safe_load"}, path


def test_uploaded_scenarios_go_through_the_validator(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A scenario dropped into the app is read by the one loader, baseline and every policy,
    before it is installed (the archive's own checks: tests/test_scenario_archive.py). The
    loader runs in a worker process with a time budget (sim.scenario.archive), which reports
    each policy it loaded."""
    app = pytest.importorskip("sim.app.page", reason="the browser app is not there yet")
    from sim.scenario import archive, loader

    monkeypatch.setattr(loader, "_EXTRA_ROOTS", [])
    root = tmp_path / "uploads"
    loader.add_scenario_root(root)
    monkeypatch.setattr(app, "uploads_root", lambda: root)
    seen: list[tuple[str, str]] = []
    real = archive.validate_in_worker

    def spy(folder: Path, where: str, seconds: float = archive.VALIDATE_SECONDS) -> list[str]:
        loaded = real(folder, where, seconds)
        seen.extend((folder.name, policy) for policy in loaded)
        return loaded

    monkeypatch.setattr(archive, "validate_in_worker", spy)
    app.start_session()
    assert app.upload_scenario("checked.zip", zipped(scenario_files("checked_town")))
    policies = set(loader.load_scenario("checked_town").policies)
    validated = {policy for name, policy in seen if name == "checked_town"}
    assert validated >= {"baseline", *policies} and len(policies) >= 3
