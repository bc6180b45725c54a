"""``sim.cli.omegaconf_yaml`` reads and writes YAML with the safe loader and dumper only, and
gives what OmegaConf's own loader and dumper give, or refuses (then Hydra composes)."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from omegaconf import OmegaConf

from sim.cli import omegaconf_yaml as oy
from sim.cli.paths import config_dir


def omegaconf_reads(text: str) -> object:
    """What OmegaConf's loader makes of ``text`` (``OmegaConf.create`` of a YAML string)."""
    return OmegaConf.to_container(OmegaConf.create(text))


def same_or_refused(text: str) -> bool:
    """True when ``text`` is read as OmegaConf reads it; False when it is refused. Fails when
    it is read otherwise, or read where OmegaConf refuses it."""
    try:
        mine = oy.loads(text)
    except oy.NotOmegaConf:
        return False
    assert mine == omegaconf_reads(text), text
    assert type(mine) is type(omegaconf_reads(text))
    return True


def test_every_config_file_is_read_as_omegaconf_reads_it() -> None:
    files = sorted(config_dir().rglob("*.yaml"))
    read = [p for p in files if same_or_refused(p.read_text())]
    refused = {p.relative_to(config_dir()).as_posix() for p in set(files) - set(read)}
    assert refused == {"hydra/sweeper/optuna_levers.yaml"}  # its `# @package` header
    assert len(read) >= 30


ACCEPTED = [
    "a: 1\nb: 0.5\nc: -3\nd: 1_000\ne: 0x1F\n",
    "a: .5\nb: -.inf\nc: .nan\nd: 1.0e+3\n",
    "a: on\nb: off\nc: yes\nd: NO\ne: y\nf: n\ng: ~\nh: null\n",
    "a: '1'\nb: \"true\"\nc: 'text with: a colon'\n",
    "a: 1\r\nb: 2\r\n",
    "defaults:\n  - base\n  - scenario: tuzla\n  - _self_\n",
    "a:\n  - b: 1\n    c: on\n  - b: 2\n",
    "x.y-z: 1\n_target_: sim.Thing\n",
    "a:\n  b:\n    c: 1\n  d: 2  # comment: with a colon\n",
    "a: [1, 2, three]\n",
    "a: &anchor 5\nb: *anchor\n",
    "",
]
REFUSED = [
    "a: 1\na: 2\n",  # a key twice: OmegaConf refuses the file
    "a:\n  b: 1\n  b: 2\n",
    "- a: 1\n  a: 2\n",
    "a: 1e3\n",  # OmegaConf's float forms: text to the safe loader
    "a: 1e-3\n",
    "a: 1_000.5e3\n",
    "a: 2020-01-01\n",  # a date to the safe loader, text to OmegaConf
    "a: 2020-01-01 10:00:00\n",
    "on: 1\n",  # a boolean key
    "null: 1\n",
    "1: a\n",
    "a: {b: 1}\n",  # a flow mapping's keys are not marked
    "'a': 1\n",
    "a: |\n  b: 2\n",  # a key-like line inside a block scalar
    "# @package _global_\na: 1\n",  # Hydra's header moves the values
    "a: !!set {x}\n",
    "a: !!binary aGk=\n",
    "a:\t1\n",
    "a@@L3@@: 1\n",
    "a: '1e3'\n",  # text in both, refused all the same (the check reads values, not sources)
    "b: &m {x: 1}\nc:\n  <<: *m\n  x: 2\n",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_what_is_read_is_read_as_omegaconf_reads_it(text: str) -> None:
    assert same_or_refused(text)


@pytest.mark.parametrize("text", REFUSED)
def test_what_omegaconf_might_read_otherwise_is_refused(text: str) -> None:
    with pytest.raises(oy.NotOmegaConf):
        oy.loads(text)


# Scalars and keys where the two rule sets part (and some where they agree).
SCALARS = ["1", "1e3", "1.5", ".5", "1_0", "1e-3", "on", "y", "No", "null", "~", "2020-01-01",
           "'1e3'", "'on'", "x", "a b", "[1, on]", "{k: 1}", "!!float 1e3", "!!str 3",
           "12:30.5", "'2020-01-01'", "\"y\"", "-.INF", ".NaN", "0o7", "017"]  # fmt: skip
KEYS = ["a", "b", "on", "y", "null", "1", "1e3", "x.y", "'a'", "c-d"]


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines = []
    for key in draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=4)):
        if draw(st.booleans()):
            lines.append(f"{key}: {draw(st.sampled_from(SCALARS))}")
        else:
            lines.append(f"{key}:")
            for inner in draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=3)):
                dash = draw(st.sampled_from(["  ", "  - "]))
                lines.append(f"{dash}{inner}: {draw(st.sampled_from(SCALARS))}")
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None)
@given(documents())
def test_any_document_is_read_as_omegaconf_reads_it_or_refused(text: str) -> None:
    try:
        theirs = omegaconf_reads(text)
    except Exception:  # noqa: BLE001 - OmegaConf refuses it (a key twice, a mix of list and map)
        with pytest.raises(oy.NotOmegaConf):
            oy.loads(text)
        return
    try:
        mine = oy.loads(text)
    except oy.NotOmegaConf:
        return
    assert mine == theirs


TEXTS = ["1.3", "1e3", "on", "y", "N", "null", "~", " 12", "12 ", "1_0", "nan", "inf",
         "-Infinity", "x", "2020-01-01", "a: b", "- x", "#", "", "multi\nline", "0x1F", "017",
         "true", "yes", "é", "${now:%Y}", "'q'", "1.0.0", "+1", ".5"]  # fmt: skip


def omegaconf_writes(data: object) -> str:
    return OmegaConf.to_yaml(OmegaConf.create(data))


@pytest.mark.parametrize("text", TEXTS)
def test_what_is_written_is_written_as_omegaconf_writes_it_or_refused(text: str) -> None:
    data = {"key": text, "list": [text, 1, 0.5, None, True], "nested": {"k": text}}
    try:
        mine = oy.to_yaml(data)
    except oy.NotOmegaConf:
        assert text in ("y", "N", "1e3", "1_0", "nan", "inf", "-Infinity", " 12", "12 ", "+1")
        return
    assert mine == omegaconf_writes(data)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(TEXTS[:20]), st.sampled_from(TEXTS) | st.text(max_size=6)))
def test_any_mapping_is_written_as_omegaconf_writes_it_or_refused(data: dict) -> None:
    try:
        mine = oy.to_yaml(data)
    except oy.NotOmegaConf:
        return
    assert mine == omegaconf_writes(data)


def test_a_shared_object_is_written_twice_not_as_an_anchor() -> None:
    shared = {"a": 1}
    data = {"p": shared, "q": shared}
    assert oy.to_yaml(data) == omegaconf_writes(data) == "p:\n  a: 1\nq:\n  a: 1\n"
    assert "&id001" in yaml.safe_dump(data)  # the safe dumper alone would anchor it
