"""Fuzzing the scenario loader (issue 7): the only acceptable failure is the clean error.

A structure-aware hypothesis fuzzer mutates the files of ``two_cities`` and ``map`` (which has
alliances): it drops keys, changes
types, inserts random values (NaN, inf, huge integers, unknown ids, dates, nested lists,
alias bombs), duplicates entries, flips bytes, truncates text, replaces whole files by random
bytes and rewrites ``actors.yaml`` as a CSV with random cells. For every input the loader must
either accept it or raise :class:`~sim.errors.CitypeaceError` within a few seconds, and data it
accepts must build a model that runs a few months with finite outputs. A case whose one change
is a key that no file uses (issue 18) must be refused: accepting it is silent acceptance.

The default budget is short for CI. Run it long with, for example::

    CITYPEACE_FUZZ_SECONDS=600 .venv/bin/python -m pytest tests/test_fuzz_loader.py -s

(``CITYPEACE_FUZZ_REPORT=path.json`` also writes the counts there).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import ROOT
from sim.errors import CitypeaceError

BASE_NAMES = ("two_cities", "map")
FOLDERS = {b: ROOT / "scenarios" / b for b in BASE_NAMES}
FILES = {b: sorted(p.name for p in FOLDERS[b].glob("*.yaml")) for b in BASE_NAMES}
BASES = {
    b: {name: yaml.safe_load((FOLDERS[b] / name).read_text()) for name in FILES[b]}
    for b in BASE_NAMES
}
POLICIES = {b: ["baseline", *sorted(BASES[b]["policies.yaml"])] for b in BASE_NAMES}
_ALL = [doc for base in BASES.values() for doc in base.values()]
CI_EXAMPLES = 100
PER_EXAMPLE_SECONDS = 20  # far above the ~0.1 s an example takes: only a hang trips it


def _keys(data: Any) -> set[str]:
    if isinstance(data, dict):
        return {str(k) for k in data} | {k for v in data.values() for k in _keys(v)}
    if isinstance(data, list):
        return {k for v in data for k in _keys(v)}
    return set()


def _scalars(data: Any) -> set[Any]:
    if isinstance(data, dict):
        return {s for v in data.values() for s in _scalars(v)}
    if isinstance(data, list):
        return {s for v in data for s in _scalars(v)}
    return {data} if isinstance(data, str) and len(data) < 40 else set()


KEYS = sorted(set().union(*(_keys(d) for d in _ALL)))
INTERESTING = sorted(set().union(*(_scalars(d) for d in _ALL)))
INTERESTING += [
    "",
    "..",
    "../two_cities",
    "a/b",
    "2000-00",
    "2000-13",
    "1999-12",
    "2010-01",
    "2000-02-30",
    "9999-12",
    "0000-01",
    "funding_start",
    "funding_end",
    "withdraw",
    "convene_alliance",
    "one_to_one",
    "contrast",
    "closed",
]


BOMB = "__alias_bomb__"  # replaced in the dumped text (walking the real thing is exponential)


def alias_bomb_text(tag: int, depth: int = 8, width: int = 9) -> str:
    """A flow-style YAML alias bomb: width^depth leaves if anything expands it."""
    levels = [f"&b{tag}_0 [{', '.join(['x'] * width)}]"]
    for i in range(1, depth + 1):
        levels.append(f"&b{tag}_{i} [{', '.join([f'*b{tag}_{i - 1}'] * width)}]")
    return f"[{', '.join(levels)}]"


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.integers(),
    st.sampled_from([10**400, -(10**30), 2**63, 2**64 + 1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, 1.0, -0.0, 1.0000001, -1e-9, 1e308, 5e-324]),
    st.text(max_size=12),
    st.sampled_from(INTERESTING),
    st.just(BOMB),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=6)), inner, max_size=4),
    ),
    max_leaves=8,
)


def _paths(data: Any, prefix: tuple = ()) -> Iterator[tuple]:
    """Every path to a node (the root is the empty path)."""
    yield prefix
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _paths(v, (*prefix, i))


def _get(data: Any, path: tuple) -> Any:
    for step in path:
        data = data[step]
    return data


@st.composite
def mutate_data(draw: st.DrawFn, data: Any, log: list[str] | None = None) -> Any:
    """One structural mutation of a YAML document (returns the new document); ``log`` gets
    "unknown key" when the mutation added a key that no shipped file uses."""
    paths = list(_paths(data))
    path = draw(st.sampled_from(paths))
    op = draw(st.sampled_from(["nudge", "set", "drop", "insert", "duplicate", "retype", "nudge"]))
    if not path:  # the document itself
        return draw(values) if op in ("set", "retype") else data
    parent, last = _get(data, path[:-1]), path[-1]
    node = parent[last]
    if op == "drop":
        del parent[last]
    elif op == "insert":
        target = node if isinstance(node, dict | list) else parent
        if isinstance(target, dict):
            key = draw(st.one_of(st.sampled_from(KEYS), st.text(max_size=6)))
            if key not in target and key not in KEYS and log is not None:
                log.append("unknown key")
            target[key] = draw(values)
        else:
            target.insert(draw(st.integers(0, len(target))), draw(values))
    elif op == "duplicate" and isinstance(parent, list):
        parent.append(json.loads(json.dumps(node, default=str)))
    elif op == "nudge":  # a near-valid value of the same kind: boundaries, known ids, dates
        if isinstance(node, bool):
            parent[last] = not node
        elif isinstance(node, int | float):
            near = [0, 1, -1, 0.5, 1.5, node * 2]
            if abs(node) < 1e300:
                near.append(node + 1e-9)
            parent[last] = draw(st.sampled_from(near))
        elif isinstance(node, str):
            parent[last] = draw(st.sampled_from(INTERESTING))
        else:
            parent[last] = draw(values)
    elif op == "retype":
        parent[last] = [node] if not isinstance(node, list) else (str(node) if node else {"": node})
    else:
        parent[last] = draw(values)
    return data


@dataclass
class FuzzCase:
    """The files to write over a fresh copy of a base scenario, the policy and the horizon."""

    base: str
    files: dict[str, bytes]
    remove: tuple[str, ...]
    policy: str
    horizon: int | None
    how: str
    unknown_key: bool = False  # the one change is a key no file uses: it must be refused


def _dump(data: Any) -> bytes:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    parts = text.split(BOMB)
    bombs = [alias_bomb_text(i) for i in range(len(parts) - 1)]
    return "".join(p + b for p, b in zip(parts, [*bombs, ""], strict=True)).encode("utf-8")


@st.composite
def fuzz_cases(draw: st.DrawFn) -> FuzzCase:
    how = draw(
        st.sampled_from(["structure", "structure", "structure", "bytes", "text", "csv", "key"])
    )
    base = draw(st.sampled_from(BASE_NAMES))
    folder, base_files, docs_in = FOLDERS[base], FILES[base], BASES[base]
    files: dict[str, bytes] = {}
    remove: tuple[str, ...] = ()
    name = draw(st.sampled_from(base_files))
    log: list[str] = []
    if how == "key":  # one key that no file uses, in any mapping: it must be refused
        data = json.loads(json.dumps(docs_in[name]))
        mappings = [
            p
            for p in _paths(data)
            if isinstance(_get(data, p), dict) and not (name == "policies.yaml" and p == ())
        ]
        if mappings:
            target = _get(data, draw(st.sampled_from(mappings)))
            target[f"x_{draw(st.text(max_size=6))}"] = draw(values)
            log.append("unknown key")
        files = {name: _dump(data)}
    elif how == "structure":
        docs: dict[str, Any] = {}
        changes = draw(st.integers(1, 4))
        for _ in range(changes):
            name = draw(st.sampled_from(base_files))
            data = docs.get(name, json.loads(json.dumps(docs_in[name])))
            docs[name] = draw(mutate_data(data, log if changes == 1 else None))
        files = {name: _dump(data) for name, data in docs.items()}
    elif how == "bytes":  # random bytes: all of a file, or spliced into it
        text = (folder / name).read_bytes()
        junk = draw(st.binary(max_size=64))
        at = draw(st.integers(0, len(text)))
        files[name] = junk if draw(st.booleans()) else text[:at] + junk + text[at:]
    elif how == "text":  # YAML-significant characters spliced in, or the file cut short
        text = (folder / name).read_text()
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            files[name] = text[:at].encode()
        else:
            bit = draw(
                st.sampled_from(
                    [
                        "&a ",
                        "*a",
                        "*b ",
                        "!!python/object:os.system ",
                        "!!binary ",
                        "!!set ",
                        "!!timestamp ",
                        "!!bool ",
                        "!!int ",
                        "!!float ",
                        "!!str ",
                        "!!map ",
                        "!!seq ",
                        "!!omap ",
                        "!!pairs ",
                        "!!null ",
                        "? ",
                        "- ",
                        ": ",
                        "{",
                        "[",
                        "]",
                        "}",
                        "'",
                        '"',
                        "\t",
                        "\n",
                        "%YAML 1.1\n",
                        "---\n",
                        "...\n",
                        "<<: ",
                        "\x00",
                        "\ufeff",
                        "\\u0000",
                        "0x1F",
                        "0o7",
                        "1_000",
                        "1:20:30",
                        ".nan",
                        "-.inf",
                        "~",
                        "yes",
                        "no",
                        "2000-02-30",
                        "2000-13-01",
                    ]
                )
            )
            files[name] = (text[:at] + bit + text[at:]).encode()
    else:  # actors.csv with random cells
        records = json.loads(json.dumps(docs_in["actors.yaml"]))
        for rec in records:
            rec.pop("mandate", None)
        columns = list(dict.fromkeys(k for rec in records for k in rec))
        for _ in range(draw(st.integers(1, 4))):
            row = draw(st.integers(0, len(records) - 1))
            col = draw(st.sampled_from([*columns, *KEYS[:5], "extra"]))
            records[row][col] = draw(scalars)
        columns = list(dict.fromkeys(k for rec in records for k in rec))
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        writer.writerows(records)
        files["actors.csv"] = out.getvalue().encode("utf-8", "surrogatepass")
        remove = ("actors.yaml",)
    policy = draw(st.sampled_from([*POLICIES[base], "ghost", ""]))
    horizon = draw(st.sampled_from([None, None, 3, 12, 0, -1]))
    return FuzzCase(base, files, remove, policy, horizon, how, unknown_key=bool(log))


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Turn a hang into a failure."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"no answer within {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def check_case(case: FuzzCase, stats: Counter) -> None:
    """Load the case; accept, or refuse with CitypeaceError; accepted data must run."""
    from sim.engine.model import PeaceModel
    from sim.scenario.loader import load_scenario

    stats["examples"] += 1
    stats[f"base:{case.base}"] += 1
    stats[f"how:{case.how}"] += 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / case.base
        shutil.copytree(FOLDERS[case.base], folder)
        for name in case.remove:
            (folder / name).unlink()
        for name, content in case.files.items():
            (folder / name).write_bytes(content)
        with time_limit(PER_EXAMPLE_SECONDS):
            try:
                sc = load_scenario(folder, policy=case.policy, horizon=case.horizon)
            except CitypeaceError as exc:
                stats["refused"] += 1
                stats["refused unknown key"] += case.unknown_key
                assert len(str(exc).splitlines()) == 1, "one line"
                assert len(str(exc)) < 5000, "a bounded message"
                return
            except Exception:
                stats["crashed"] += 1
                raise AssertionError(
                    f"loader crashed on {case!r}:\n{traceback.format_exc()}"
                ) from None
            stats["accepted"] += 1
            # Silent acceptance: a key no file uses was added, and the loader took the data.
            assert not case.unknown_key, f"an unknown key was ignored: {case!r}"
            model = PeaceModel(sc, seed=0)
            model.run(months=3)
            numbers = model.timeseries().select_dtypes("number").to_numpy()
            assert np.isfinite(numbers).all(), f"non-finite outputs for {case!r}"
            # The tables a run writes hold only plain values (what the data carried through).
            for name, frame in (
                ("events", model.events_frame()),
                ("cities", model.city_frame()),
                ("activities", model.activities_frame()),
            ):
                frame.to_parquet(Path(tmp) / f"{name}.parquet", index=False)


def test_fuzz_scenario_loader() -> None:
    budget = float(os.environ.get("CITYPEACE_FUZZ_SECONDS", "0") or 0)
    stats: Counter = Counter()
    started = time.monotonic()

    @settings(
        max_examples=CI_EXAMPLES if budget <= 0 else 500,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=fuzz_cases())
    def batch(case: FuzzCase) -> None:
        check_case(case, stats)

    try:
        batch()
        while time.monotonic() - started < budget:
            batch()
    finally:
        stats["seconds"] = round(time.monotonic() - started)
        report = os.environ.get("CITYPEACE_FUZZ_REPORT")
        if report:
            Path(report).write_text(json.dumps(dict(stats), indent=2, sort_keys=True) + "\n")
        print(f"fuzz: {dict(stats)}")
    assert stats["examples"] >= CI_EXAMPLES and stats["crashed"] == 0
    assert stats["refused"] > 0 and stats["accepted"] > 0, "the fuzzer reaches both outcomes"


def test_fuzz_harness_catches_a_crash(monkeypatch: Any) -> None:
    """The harness fails on a non-CitypeaceError (a guard against a vacuous fuzzer)."""
    import sim.scenario.loader as loader

    def broken(*args: Any, **kwargs: Any) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(loader, "load_scenario", broken)
    case = FuzzCase("two_cities", {}, (), "baseline", None, "structure")
    try:
        check_case(case, Counter())
    except AssertionError as exc:
        assert "KeyError" in str(exc)
    else:
        raise AssertionError("a crash went unnoticed")


def test_fuzz_harness_catches_a_hang(monkeypatch: Any) -> None:
    import sys

    import sim.scenario.loader as loader

    def hangs(*args: Any, **kwargs: Any) -> None:
        time.sleep(30)

    monkeypatch.setattr(loader, "load_scenario", hangs)
    monkeypatch.setattr(sys.modules[__name__], "PER_EXAMPLE_SECONDS", 1)
    started = time.monotonic()
    try:
        check_case(FuzzCase("two_cities", {}, (), "baseline", None, "structure"), Counter())
    except AssertionError as exc:
        assert "TimeoutError" in str(exc)
    else:
        raise AssertionError("a hang went unnoticed")
    assert time.monotonic() - started < 10


def test_fuzz_harness_catches_silent_acceptance(tmp_path: Path) -> None:
    """A case marked as adding an unknown key fails the harness if the loader accepts it (a
    guard against a fuzzer that cannot see ignored input)."""
    case = FuzzCase("two_cities", {}, (), "baseline", None, "structure", unknown_key=True)
    try:
        check_case(case, Counter())  # the unchanged scenario loads: as if the key were ignored
    except AssertionError as exc:
        assert "unknown key was ignored" in str(exc)
    else:
        raise AssertionError("silent acceptance went unnoticed")
