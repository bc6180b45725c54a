"""A catalogue of malformed inputs (issue 7): configs, overrides, scenario YAML and CSV files.

Every case must be refused before a run starts: exit code 2, exactly one stderr line
``citypeace: error: <file or config>: <key> = <value>: <allowed>``, no traceback and no
``outputs/`` folder. Every case runs in-process through :func:`sim.cli.preflight` (what the CLI
runs before Hydra makes a run folder); scenario cases also call the loader and must raise a
:class:`~sim.errors.ScenarioError` with that exact key. The cases marked ``cli`` also run
through the real command in a subprocess.
"""

from __future__ import annotations

import csv
import dataclasses
import signal
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import ROOT, copy_scenario, edit_yaml, run_cli
from sim.errors import CitypeaceError, ScenarioError

Edit = Callable[[Path], Path]  # breaks a copy of two_cities; returns the folder to point at


@dataclass(frozen=True)
class Case:
    """One malformed input and the pieces its one-line error must name."""

    id: str
    where: str  # the file name (scenario cases) or "config" / "scenario=synthetic"
    key: str  # exactly what stands before " = "
    value: str  # a piece of the value as printed
    allowed: str  # a piece of what is allowed
    args: tuple[str, ...] = ()  # command-line overrides
    edit: Edit | None = None  # None: a config-only case
    cli: bool = False  # also run through the real command in a subprocess
    cls: str = ""  # the class of bad input (README counts the catalogue by class)


# ----------------------------------------------------------------------------- edits


def _path(first: float, second: float, date: str = "2008-01") -> list[dict[str, Any]]:
    """A steady capacity as two dated points (branch growth), the second at ``date``."""
    return [{"date": "2005-01", "value": first}, {"date": date, "value": second}]


def yml(file: str, change: Callable[[Any], Any]) -> Edit:
    """Edit a YAML file of the copy (``change`` mutates the data or returns new data)."""

    def edit(folder: Path) -> Path:
        edit_yaml(folder / file, change)
        return folder

    return edit


def raw(file: str, content: str | bytes) -> Edit:
    """Replace a file of the copy by raw text or bytes."""

    def edit(folder: Path) -> Path:
        path = folder / file
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return folder

    return edit


def actors_csv(change: Callable[[list[dict]], None]) -> Edit:
    """Turn actors.yaml into actors.csv (same columns), after ``change`` on the records."""

    def edit(folder: Path) -> Path:
        records = yaml.safe_load((folder / "actors.yaml").read_text())
        for rec in records:
            rec.pop("mandate", None)  # a mapping has no CSV cell; the type default applies
        change(records)
        columns = list(dict.fromkeys(k for rec in records for k in rec))
        with (folder / "actors.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns)
            writer.writeheader()
            writer.writerows(records)
        (folder / "actors.yaml").unlink()
        return folder

    return edit


def both(*edits: Edit) -> Edit:
    def edit(folder: Path) -> Path:
        for step in edits:
            folder = step(folder)
        return folder

    return edit


def ev(**fields: Any) -> dict:
    """An event with provenance."""
    return {**fields, "assumption": "catalogue"}


ALLIANCE = raw(
    "alliances.yaml",
    "- {id: pact, members: [eastville, westburg], mediators: [mediator], assumption: x}\n",
)


def alias_bomb(key: str) -> str:
    """A YAML alias bomb: nine levels of nine aliases, 9^9 leaves if anything expands it."""
    levels = ["&a0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"&a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    return f"  {key}: [{', '.join(levels)}]\n"


def bomb_actor(key: str) -> Edit:
    """Prepend a municipality whose ``key`` holds an alias bomb."""

    def edit(folder: Path) -> Path:
        head = "- id: bomber\n  type: municipality\n  country: EA\n  population: 9\n"
        head += "  assumption: x\n"
        path = folder / "actors.yaml"
        path.write_text(head + alias_bomb(key) + path.read_text(), encoding="utf-8")
        return folder

    return edit


def _no_cities(data: list[dict]) -> list[dict]:
    return [a for a in data if a["type"] != "municipality"]


def _drop(key: str) -> Callable[[Any], None]:
    """Delete ``key`` from a mapping (or from the first record of a list)."""

    def change(data: Any) -> None:
        (data[0] if isinstance(data, list) else data).pop(key)

    return change


SYN = ("scenario=synthetic",)
BIG_INT = 10**400  # YAML reads a 401-digit literal as a Python int no float can hold

CASES: list[Case] = [
    # --------------------------------------------------------------- config and overrides
    Case("seed-negative", "config", "seed", "-1", "[0, 2^63)", ("seed=-1",)),
    Case("seed-float", "config", "seed", "1.5", "converted to Integer", ("seed=1.5",)),
    Case("seed-null", "config", "seed", "None", "not Optional", ("seed=null",)),
    Case("horizon-negative", "config", "horizon", "-5", "[1, 6000]", ("horizon=-5",)),
    Case("horizon-huge", "config", "horizon", "7000", "[1, 6000]", ("horizon=7000",)),
    Case("param-nan", "config", "model.trust.decay", "nan", "[0, 1]", ("model.trust.decay=nan",)),
    Case("param-inf", "config", "model.trust.decay", "inf", "[0, 1]", ("model.trust.decay=inf",)),
    Case(
        "param-negative-beta",
        "config",
        "model.proposals.beta_trust",
        "-1.0",
        "[0, 20]",
        ("model.proposals.beta_trust=-1",),
    ),
    Case(
        "param-unknown-key",
        "config",
        "model.trust.nosuchkey",
        "(not a key)",
        "a known key",
        ("model.trust.nosuchkey=1",),
    ),
    Case(
        "lever-negative-funding",
        "config",
        "levers.funding_scale",
        "-1.0",
        "[0, 100]",
        ("levers.funding_scale=-1",),
        cli=True,
    ),
    Case(
        "lever-overflow",
        "config",
        "levers.funding_scale",
        "inf",
        "[0, 100]",
        ("levers.funding_scale=1e400",),
    ),
    Case(
        "lever-nan", "config", "levers.coordination", "nan", "[0, 1]", ("levers.coordination=nan",)
    ),
    Case(
        "lever-not-bool",
        "config",
        "levers.mediation",
        "'maybe'",
        "not a valid bool",
        ("levers.mediation=maybe",),
    ),
    Case(
        "output-negative-every",
        "config",
        "output.cities_every",
        "-1",
        ">= 0",
        ("output.cities_every=-1",),
    ),
    Case(
        "output-negative-max",
        "config",
        "output.cities_max",
        "-1",
        ">= 0",
        ("output.cities_max=-1",),
    ),
    Case(
        "scenario-name-with-path",
        "config",
        "scenario",
        "'../two_cities'",
        "one of [",
        ("scenario=../two_cities",),
        cli=True,
    ),
    Case("override-grammar", "command line", "seed", "'[1,2'", "an override", ("seed=[1,2",)),
    Case(
        "unknown-policy",
        "policies.yaml",
        "policy",
        "'nonexistent'",
        "one of ['baseline'",
        ("policy=nonexistent",),
    ),
    Case(
        "synthetic-beyond-memory",
        "scenario=synthetic",
        "scenario.n_cities",
        "3000000",
        "estimated memory",
        (*SYN, "scenario.n_cities=3000000"),
        cli=True,
    ),
    Case(
        "synthetic-beyond-memory-limit",
        "scenario=synthetic",
        "scenario.n_cities",
        "200000",
        "memory_limit_gb = 0.5",
        (*SYN, "scenario.n_cities=200000", "scenario.memory_limit_gb=0.5"),
    ),
    Case(
        "synthetic-degree-inf",
        "scenario=synthetic",
        "scenario.mean_degree",
        "inf",
        "[0, 1000]",
        (*SYN, "scenario.mean_degree=inf"),
    ),
    Case(
        "synthetic-bad-start",
        "scenario=synthetic",
        "scenario.start",
        "'2000-13'",
        "YYYY-MM",
        (*SYN, "scenario.start=2000-13"),
    ),
    Case(
        "synthetic-no-country",
        "scenario=synthetic",
        "scenario.n_countries",
        "0",
        "[1, 1000]",
        (*SYN, "scenario.n_countries=0"),
    ),
    Case(
        "synthetic-share-above-1",
        "scenario=synthetic",
        "scenario.network_share",
        "1.5",
        "[0, 1]",
        (*SYN, "scenario.network_share=1.5"),
    ),
    # --------------------------------------------------------------- scenario.yaml
    Case(
        "meta-missing-start",
        "scenario.yaml",
        "start",
        "None",
        "YYYY-MM",
        edit=yml("scenario.yaml", _drop("start")),
    ),
    Case(
        "meta-horizon-text",
        "scenario.yaml",
        "horizon",
        "'ten'",
        "a whole number in [1, 6000]",
        edit=yml("scenario.yaml", lambda d: d.update(horizon="ten")),
    ),
    Case(
        "meta-horizon-inf",
        "scenario.yaml",
        "horizon",
        "inf",
        "a whole number in [1, 6000]",
        edit=yml("scenario.yaml", lambda d: d.update(horizon=float("inf"))),
    ),
    Case(
        "meta-empty",
        "scenario.yaml",
        "document",
        "None",
        "a non-empty mapping",
        edit=raw("scenario.yaml", ""),
    ),
    Case(
        "meta-a-list",
        "scenario.yaml",
        "document",
        "['name', 'start']",
        "a non-empty mapping",
        edit=raw("scenario.yaml", "- name\n- start\n"),
    ),
    Case(
        "meta-binary",
        "scenario.yaml",
        "file",
        "'binary data'",
        "UTF-8 YAML text",
        edit=raw("scenario.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe\xfd garbage \x80\x81"),
        cli=True,
    ),
    Case(
        "meta-control-chars",
        "scenario.yaml",
        "document",
        "special characters are not allowed",
        "valid YAML",
        edit=raw("scenario.yaml", "name: two_cities\x00\x07\n"),
    ),
    Case(
        "meta-unclosed",
        "scenario.yaml",
        "line 3",
        "expected ',' or ']'",
        "valid YAML",
        edit=raw("scenario.yaml", "name: two_cities\ncountries: {id: [EA\n"),
    ),
    Case(
        "meta-impossible-timestamp",
        "scenario.yaml",
        "document",
        "day is out of range",
        "valid YAML",
        edit=raw("scenario.yaml", "name: two_cities\nstart: 2000-02-30\n"),
        cli=True,
    ),
    Case(
        "meta-wrong-explicit-tag",
        "scenario.yaml",
        "document",
        "'groupdict'",
        "valid YAML",
        edit=raw("scenario.yaml", "name: two_cities\nstart: !!timestamp '004:3137-3141'\n"),
    ),
    Case(
        "meta-bad-start-month",
        "scenario.yaml",
        "start",
        "'2000-00'",
        "YYYY-MM",
        edit=yml("scenario.yaml", lambda d: d.update(start="2000-00")),
    ),
    Case(
        "meta-bad-source",
        "scenario.yaml",
        "source",
        "'p. 12'",
        "'NNN:LINE'",
        edit=yml("scenario.yaml", lambda d: d.update(source="p. 12")),
    ),
    Case(
        "meta-no-countries",
        "scenario.yaml",
        "countries",
        "None",
        "at least one country",
        edit=yml("scenario.yaml", _drop("countries")),
    ),
    Case(
        "meta-duplicate-country",
        "scenario.yaml",
        "countries[1].id",
        "'EA'",
        "a unique country id",
        edit=yml("scenario.yaml", lambda d: d["countries"][1].update(id="EA")),
    ),
    Case(
        "meta-duplicate-community",
        "scenario.yaml",
        "communities",
        "['east', 'east']",
        "distinct community ids",
        edit=yml("scenario.yaml", lambda d: d.update(communities=["east", "east"])),
    ),
    Case(
        "meta-unhashable-community",
        "scenario.yaml",
        "communities",
        "[['east'], 'west']",
        "distinct community ids",
        edit=yml("scenario.yaml", lambda d: d.update(communities=[["east"], "west"])),
    ),
    Case(
        "meta-divide-unknown-community",
        "scenario.yaml",
        "divides[0].b",
        "'north'",
        "a known community id",
        edit=yml("scenario.yaml", lambda d: d["divides"][0].update(b="north")),
    ),
    Case(
        "meta-hostility-above-1",
        "scenario.yaml",
        "hostility[0].value",
        "1.5",
        "[0.0, 1.0]",
        edit=yml("scenario.yaml", lambda d: d["hostility"][0].update(value=1.5)),
    ),
    Case(
        "meta-unknown-permission",
        "scenario.yaml",
        "permissions[0].level",
        "'half-open'",
        "one of ['closed'",
        edit=yml("scenario.yaml", lambda d: d["permissions"][0].update(level="half-open")),
    ),
    Case(
        "meta-watch-unknown-actor",
        "scenario.yaml",
        "watch",
        "'nobody'",
        "a known actor id",
        edit=yml("scenario.yaml", lambda d: d.update(watch=["nobody"])),
    ),
    Case(
        "meta-focus-unknown-actor",
        "scenario.yaml",
        "focus",
        "'nobody'",
        "a known municipality id",
        edit=yml("scenario.yaml", lambda d: d.update(focus=["eastville", "nobody"])),
    ),
    Case(
        "meta-focus-not-a-city",
        "scenario.yaml",
        "focus",
        "'mediator'",
        "a municipality id (its type is international_organisation)",
        edit=yml("scenario.yaml", lambda d: d.update(focus=["mediator"])),
    ),
    Case(
        "meta-lever-above-1",
        "scenario.yaml",
        "levers[0].value",
        "2",
        "[0.0, 1.0]",
        edit=yml(
            "scenario.yaml",
            lambda d: d.update(levers=[{"lever": "coordination", "value": 2, "assumption": "x"}]),
        ),
    ),
    Case(
        "meta-title-not-text",
        "scenario.yaml",
        "title",
        "{'a': 1}",
        "a non-empty string",
        edit=yml("scenario.yaml", lambda d: d.update(title={"a": 1})),
    ),
    # --------------------------------------------------------------- actors.yaml / .csv
    Case(
        "actor-missing-id",
        "actors.yaml",
        "actors[0].id",
        "None",
        "a non-empty string",
        edit=yml("actors.yaml", _drop("id")),
    ),
    Case(
        "actor-unknown-type",
        "actors.yaml",
        "actors[0].type",
        "'city'",
        "one of ['municipality'",
        edit=yml("actors.yaml", lambda d: d[0].update(type="city")),
    ),
    Case(
        "actor-duplicate-id",
        "actors.yaml",
        "actors[6].id",
        "'eastville'",
        "a unique actor id",
        edit=yml("actors.yaml", lambda d: d.append(dict(d[0]))),
        cli=True,
    ),
    # steady_capacity (branch steady, ODD 7.6): an index, and only a city's.
    Case(
        "actor-steady-capacity-above-one",
        "actors.yaml",
        "actors[0].steady_capacity",
        "1.2",
        "a finite number in [0.0, 1.0]",
        edit=yml("actors.yaml", lambda d: d[0].update(steady_capacity=1.2)),
    ),
    Case(
        "actor-steady-capacity-negative",
        "actors.yaml",
        "actors[1].steady_capacity",
        "-0.1",
        "a finite number in [0.0, 1.0]",
        edit=yml("actors.yaml", lambda d: d[1].update(steady_capacity=-0.1)),
    ),
    Case(
        "actor-steady-capacity-text",
        "actors.yaml",
        "actors[0].steady_capacity",
        "'pre-war'",
        "a number in [0.0, 1.0]",
        edit=yml("actors.yaml", lambda d: d[0].update(steady_capacity="pre-war")),
    ),
    Case(
        "actor-steady-capacity-not-a-city",
        "actors.yaml",
        "actors[2].steady_capacity",
        "0.5",
        "only for a municipality",
        edit=yml("actors.yaml", lambda d: d[2].update(steady_capacity=0.5)),
    ),
    Case(
        "actor-csv-steady-capacity-above-one",
        "actors.csv",
        "actors[0].steady_capacity",
        "2",
        "a finite number in [0.0, 1.0]",
        edit=actors_csv(lambda r: r[0].update(steady_capacity=2)),
    ),
    # steady_capacity as dated points (branch growth, ODD 7.6): each point an index at a date
    # inside the horizon, dates increasing, known keys only, at least one point.
    Case(
        "actor-steady-path-value-above-one",
        "actors.yaml",
        "actors[0].steady_capacity[1].value",
        "1.3",
        "a finite number in [0.0, 1.0]",
        edit=yml("actors.yaml", lambda d: d[0].update(steady_capacity=_path(0.3, 1.3))),
    ),
    Case(
        "actor-steady-path-date-past-horizon",
        "actors.yaml",
        "actors[0].steady_capacity[1].date",
        "2040-01",
        "a date within the horizon [2000-01, 2009-12]",
        edit=yml("actors.yaml", lambda d: d[0].update(steady_capacity=_path(0.3, 0.5, "2040-01"))),
    ),
    Case(
        "actor-steady-path-date-before-start",
        "actors.yaml",
        "actors[1].steady_capacity[0].date",
        "1999-12",
        "a date within the horizon [2000-01, 2009-12]",
        edit=yml(
            "actors.yaml",
            lambda d: d[1].update(steady_capacity=[{"date": "1999-12", "value": 0.5}]),
        ),
    ),
    Case(
        "actor-steady-path-dates-not-increasing",
        "actors.yaml",
        "actors[0].steady_capacity[1].date",
        "2003-01",
        "a date after the point before it (2005-01)",
        edit=yml("actors.yaml", lambda d: d[0].update(steady_capacity=_path(0.3, 0.5, "2003-01"))),
    ),
    Case(
        "actor-steady-path-unknown-key",
        "actors.yaml",
        "actors[0].steady_capacity[0].vaule",
        "0.4",
        "did you mean 'value'?",
        edit=yml(
            "actors.yaml",
            lambda d: d[0].update(steady_capacity=[{"date": "2001-01", "vaule": 0.4}]),
        ),
        cls="unknown key",
    ),
    Case(
        "actor-steady-path-empty",
        "actors.yaml",
        "actors[0].steady_capacity",
        "[]",
        "a list of at least one point",
        edit=yml("actors.yaml", lambda d: d[0].update(steady_capacity=[])),
    ),
    Case(
        "actor-steady-path-missing-date",
        "actors.yaml",
        "actors[0].steady_capacity[0].date",
        "None",
        "a date YYYY-MM (required)",
        edit=yml("actors.yaml", lambda d: d[0].update(steady_capacity=[{"value": 0.4}])),
    ),
    Case(
        "actor-needs-nan",
        "actors.yaml",
        "actors[0].needs",
        "nan",
        "finite",
        edit=yml("actors.yaml", lambda d: d[0].update(needs=float("nan"))),
    ),
    Case(
        "actor-violence-negative",
        "actors.yaml",
        "actors[0].direct_violence",
        "-0.2",
        "[0.0, 1.0]",
        edit=yml("actors.yaml", lambda d: d[0].update(direct_violence=-0.2)),
    ),
    Case(
        "actor-will-above-1",
        "actors.yaml",
        "actors[1].will",
        "1.01",
        "[0.0, 1.0]",
        edit=yml("actors.yaml", lambda d: d[1].update(will=1.01)),
    ),
    Case(
        "actor-negative-budget",
        "actors.yaml",
        "actors[0].resources",
        "-5",
        "[0.0, inf]",
        edit=yml("actors.yaml", lambda d: d[0].update(resources=-5)),
    ),
    Case(
        "actor-zero-population",
        "actors.yaml",
        "actors[0].population",
        "0",
        "[1.0, inf]",
        edit=yml("actors.yaml", lambda d: d[0].update(population=0)),
    ),
    Case(
        "actor-population-overflow",
        "actors.yaml",
        "actors[0].population",
        "1000000000",
        "a finite number",
        edit=yml("actors.yaml", lambda d: d[0].update(population=BIG_INT)),
    ),
    Case(
        "actor-unknown-country",
        "actors.yaml",
        "actors[0].country",
        "'XX'",
        "a known country id",
        edit=yml("actors.yaml", lambda d: d[0].update(country="XX")),
    ),
    Case(
        "actor-unhashable-country",
        "actors.yaml",
        "actors[0].country",
        "['EA']",
        "a known country id",
        edit=yml("actors.yaml", lambda d: d[0].update(country=["EA"])),
    ),
    Case(
        "actor-unknown-community",
        "actors.yaml",
        "actors[0].community",
        "'north'",
        "a known community id",
        edit=yml("actors.yaml", lambda d: d[0].update(community="north")),
    ),
    Case(
        "actor-mandate-above-1",
        "actors.yaml",
        "actors[4].mandate.peace",
        "2",
        "[0.0, 1.0]",
        edit=yml("actors.yaml", lambda d: d[4]["mandate"].update(peace=2)),
    ),
    Case(
        "actor-displaced-text",
        "actors.yaml",
        "actors[0].displaced",
        "'many'",
        "a number in [0.0, inf]",
        edit=yml("actors.yaml", lambda d: d[0].update(displaced="many")),
    ),
    Case(
        "actor-exempt-not-bool",
        "actors.yaml",
        "actors[4].sanction_exempt",
        "'yes'",
        "true or false",
        edit=yml("actors.yaml", lambda d: d[4].update(sanction_exempt="yes")),
    ),
    Case(
        "actor-name-not-text",
        "actors.yaml",
        "actors[0].name",
        "['Eastville']",
        "a string",
        edit=yml("actors.yaml", lambda d: d[0].update(name=["Eastville"])),
    ),
    Case(
        "actor-numeric-keys",
        "actors.yaml",
        "actors[0].1",
        "'one'",
        "a known key",
        edit=yml("actors.yaml", lambda d: d[0].update({1: "one"})),
    ),
    Case(
        "actor-key-with-newline",
        "actors.yaml",
        "actors[0].bad\\nkey",
        "1",
        "a known key",
        edit=yml("actors.yaml", lambda d: d[0].update({"bad\nkey": 1})),
    ),
    Case(
        "actors-not-a-list",
        "actors.yaml",
        "actors",
        "{'eastville'",
        "a list of mappings",
        edit=yml("actors.yaml", lambda d: {"eastville": d[0]}),
    ),
    Case(
        "actors-no-municipality",
        "actors.yaml",
        "actors",
        "4",
        "at least one municipality",
        edit=yml("actors.yaml", _no_cities),
    ),
    Case(
        "actor-alias-bomb",
        "actors.yaml",
        "actors[0].bomb",
        "[['x', 'x'",
        "a known key",
        edit=bomb_actor("bomb"),
        cli=True,
    ),
    Case(
        "actor-alias-bomb-name",
        "actors.yaml",
        "actors[0].name",
        "[['x', 'x'",
        "a string",
        edit=bomb_actor("name"),
    ),
    Case(
        "csv-bad-cell",
        "actors.csv",
        "actors[0].needs",
        "'high'",
        "a number in [0.0, 1.0]",
        edit=actors_csv(lambda recs: recs[0].update(needs="high")),
        cli=True,
    ),
    Case(
        "csv-negative-population",
        "actors.csv",
        "actors[1].population",
        "-60000",
        "[1.0, inf]",
        edit=actors_csv(lambda recs: recs[1].update(population=-60000)),
    ),
    Case(
        "csv-huge-number-for-a-government",
        "actors.csv",
        "actors[2].population",
        "2359967529315943802",
        "a finite number in [0.0, inf]",
        edit=actors_csv(lambda recs: recs[2].update(population=int("23599675293159438027" * 16))),
    ),
    Case(
        "csv-resources-beyond-float-sums",
        "actors.csv",
        "actors[4].resources",
        "5.9e+307",
        "at most 1e+12",
        edit=actors_csv(lambda recs: recs[4].update(resources=5.9e307)),
    ),
    Case(
        "csv-binary",
        "actors.csv",
        "file",
        "codec can't decode",
        "valid CSV",
        edit=both(
            actors_csv(lambda recs: None),
            raw("actors.csv", b"id,type\n\xff\xfe\x00\x81,municipality\n"),
        ),
    ),
    # --------------------------------------------------------------- ties.yaml
    Case(
        "tie-unknown-actor",
        "ties.yaml",
        "ties[3].dst",
        "'ghost'",
        "a known actor id",
        edit=yml(
            "ties.yaml",
            lambda d: d.append(
                {"src": "eastville", "dst": "ghost", "type": "twinning", "assumption": "x"}
            ),
        ),
    ),
    Case(
        "tie-to-itself",
        "ties.yaml",
        "ties[0].dst",
        "'eastville'",
        "an actor other than src",
        edit=yml("ties.yaml", lambda d: d[0].update(dst="eastville")),
    ),
    Case(
        "tie-negative-trust",
        "ties.yaml",
        "ties[1].trust",
        "-0.1",
        "[0.0, 1.0]",
        edit=yml("ties.yaml", lambda d: d[1].update(trust=-0.1)),
    ),
    Case(
        "tie-unknown-type",
        "ties.yaml",
        "ties[0].type",
        "'friendship'",
        "one of ['twinning'",
        edit=yml("ties.yaml", lambda d: d[0].update(type="friendship")),
    ),
    Case(
        "tie-memory-text",
        "ties.yaml",
        "ties[0].memory",
        "'high'",
        "a number in [0.0, 1.0]",
        edit=yml("ties.yaml", lambda d: d[0].update(memory="high")),
    ),
    # --------------------------------------------------------------- programmes.yaml
    Case(
        "programme-negative-budget",
        "programmes.yaml",
        "programmes[0].budget",
        "-1",
        "[0.0, inf]",
        edit=yml("programmes.yaml", lambda d: d[0].update(budget=-1)),
        cli=True,
    ),
    Case(
        "programme-budget-astronomical",
        "programmes.yaml",
        "programmes[0].budget",
        "1e+200",
        "at most 1e+12",
        edit=yml("programmes.yaml", lambda d: d[0].update(budget=1e200)),
    ),
    Case(
        "programme-budget-inf",
        "programmes.yaml",
        "programmes[0].budget",
        "inf",
        "finite",
        edit=yml("programmes.yaml", lambda d: d[0].update(budget=float("inf"))),
    ),
    Case(
        "programme-ends-before-start",
        "programmes.yaml",
        "programmes[0].end",
        "'2000-03'",
        "a date after start 2000-06",
        edit=yml("programmes.yaml", lambda d: d[0].update(end="2000-03")),
    ),
    Case(
        "programme-starts-before-horizon",
        "programmes.yaml",
        "programmes[0].start",
        "'1990-01'",
        "within the horizon [2000-01, 2009-12]",
        edit=yml("programmes.yaml", lambda d: d[0].update(start="1990-01")),
    ),
    Case(
        "programme-unknown-pillar",
        "programmes.yaml",
        "programmes[0].pillars",
        "['security']",
        "a non-empty list from ['humanitarian'",
        edit=yml("programmes.yaml", lambda d: d[0].update(pillars=["security"])),
    ),
    Case(
        "programme-duplicate-id",
        "programmes.yaml",
        "programmes[1].id",
        "'rebuild'",
        "a unique programme id",
        edit=yml("programmes.yaml", lambda d: d.append(dict(d[0]))),
    ),
    Case(
        "programme-unknown-provider",
        "programmes.yaml",
        "programmes[0].providers",
        "'ghost'",
        "a known actor id",
        edit=yml("programmes.yaml", lambda d: d[0].update(providers=["ghost"])),
    ),
    Case(
        "programme-selector-list",
        "programmes.yaml",
        "programmes[0].recipients.country",
        "['EA', 'WE']",
        "a selector",
        edit=yml("programmes.yaml", lambda d: d[0].update(recipients={"country": ["EA", "WE"]})),
    ),
    Case(
        "programme-alliance-a-list",
        "programmes.yaml",
        "programmes[0].alliance",
        "['pact']",
        "a known alliance id",
        edit=both(ALLIANCE, yml("programmes.yaml", lambda d: d[0].update(alliance=["pact"]))),
    ),
    Case(
        "programme-one-to-one-mismatch",
        "programmes.yaml",
        "programmes[0].pairing",
        "'one_to_one'",
        "as many providers (1) as recipients (2)",
        edit=yml("programmes.yaml", lambda d: d[0].update(pairing="one_to_one")),
    ),
    Case(
        "programme-unknown-alliance",
        "programmes.yaml",
        "programmes[0].alliance",
        "'nato'",
        "a known alliance id",
        edit=yml("programmes.yaml", lambda d: d[0].update(alliance="nato")),
    ),
    # --------------------------------------------------------------- events.yaml
    Case(
        "event-after-horizon",
        "events.yaml",
        "events[4].date",
        "'2031-01'",
        "a date within the horizon",
        edit=yml(
            "events.yaml",
            lambda d: d.append(ev(date="2031-01", type="summit", a="EA", b="WE", delta=0.1)),
        ),
        cli=True,
    ),
    Case(
        "event-violence-ends-before-start",
        "events.yaml",
        "events[0].end",
        "'1999-12'",
        "within the horizon",
        edit=yml("events.yaml", lambda d: d[0].update(end="1999-12")),
    ),
    Case(
        "event-violence-end-before-date",
        "events.yaml",
        "events[0].end",
        "'2000-01'",
        "a date not before 2000-06",
        edit=yml("events.yaml", lambda d: d[0].update(date="2000-06", end="2000-01")),
    ),
    Case(
        "event-funding-ends-twice",
        "events.yaml",
        "funding_end[rebuild].date",
        "'2001-02'",
        "a funding_end after a funding_start",
        edit=yml(
            "events.yaml",
            lambda d: d.extend(
                [
                    ev(date="2001-01", type="funding_end", programme="rebuild"),
                    ev(date="2001-02", type="funding_end", programme="rebuild"),
                ]
            ),
        ),
    ),
    Case(
        "event-unknown-programme",
        "events.yaml",
        "events[4].programme",
        "'marshall'",
        "a known programme id",
        edit=yml(
            "events.yaml",
            lambda d: d.append(ev(date="2001-01", type="funding_start", programme="marshall")),
        ),
    ),
    Case(
        "event-withdraw-non-member",
        "events.yaml",
        "events[4].actor",
        "'mediator'",
        "a member of alliance 'pact'",
        edit=both(
            ALLIANCE,
            yml(
                "events.yaml",
                lambda d: d.append(
                    ev(date="2003-01", type="withdraw", actor="mediator", alliance="pact")
                ),
            ),
        ),
    ),
    Case(
        "event-withdraw-twice",
        "events.yaml",
        "withdraw[eastville].date",
        "'2004-01'",
        "it already left",
        edit=both(
            ALLIANCE,
            yml(
                "events.yaml",
                lambda d: d.extend(
                    ev(date=date, type="withdraw", actor="eastville", alliance="pact")
                    for date in ("2003-01", "2004-01")
                ),
            ),
        ),
    ),
    Case(
        "event-summit-delta-3",
        "events.yaml",
        "events[3].delta",
        "3",
        "[-1.0, 1.0]",
        edit=yml("events.yaml", lambda d: d[3].update(delta=3)),
    ),
    Case(
        "event-unknown-type",
        "events.yaml",
        "events[1].type",
        "'earthquake'",
        "one of ['violence'",
        edit=yml("events.yaml", lambda d: d[1].update(type="earthquake")),
    ),
    Case(
        "event-negative-pressure",
        "events.yaml",
        "events[0].pressure",
        "-1",
        "[0.0, 20.0]",
        edit=yml("events.yaml", lambda d: d[0].update(pressure=-1)),
    ),
    Case(
        "event-people-nan",
        "events.yaml",
        "events[1].people",
        "nan",
        "finite",
        edit=yml("events.yaml", lambda d: d[1].update(people=float("nan"))),
    ),
    Case(
        "event-target-unhashable",
        "events.yaml",
        "events[0].targets.actors",
        "[['eastville']]",
        "a known community, country or list of actor ids",
        edit=yml("events.yaml", lambda d: d[0].update(targets={"actors": [["eastville"]]})),
    ),
    Case(
        "event-date-alias-bomb",
        "events.yaml",
        "events[0].date",
        "[['x', 'x'",
        "a date YYYY-MM",
        edit=raw(
            "events.yaml",
            "- type: summit\n  a: EA\n  b: WE\n  delta: 0.1\n  assumption: x\n"
            + alias_bomb("date"),
        ),
    ),
    Case(
        "event-assumption-not-text",
        "events.yaml",
        "events[1].assumption",
        "{'why': 'x'}",
        "text saying why",
        edit=yml("events.yaml", lambda d: d[1].update(assumption={"why": "x"})),
    ),
    Case(
        "event-target-country-a-list",
        "events.yaml",
        "events[0].targets.country",
        "['EA']",
        "a known community, country or list of actor ids",
        edit=yml("events.yaml", lambda d: d[0].update(targets={"country": ["EA"]})),
    ),
    Case(
        "events-a-scalar",
        "events.yaml",
        "events",
        "'violence everywhere'",
        "a list of mappings",
        edit=raw("events.yaml", "violence everywhere\n"),
    ),
    # --------------------------------------------------------------- other files
    Case(
        "policies-a-list",
        "policies.yaml",
        "document",
        "['no_mediator']",
        "a mapping from policy name",
        edit=raw("policies.yaml", "- no_mediator\n"),
    ),
    Case(
        "policy-drops-unknown-actor",
        "policies.yaml",
        "no_mediator.drop_actors",
        "'ghost'",
        "a known actor id",
        ("policy=no_mediator",),
        edit=yml("policies.yaml", lambda d: d["no_mediator"].update(drop_actors=["ghost"])),
    ),
    Case(
        "policy-lever-text",
        "policies.yaml",
        "silos.levers.coordination",
        "'none'",
        "[0.0, 1.0]",
        ("policy=silos",),
        edit=yml("policies.yaml", lambda d: d["silos"].update(levers={"coordination": "none"})),
    ),
    Case(
        "alliance-one-member",
        "alliances.yaml",
        "alliances[0].members",
        "['eastville']",
        "at least two known actor ids",
        edit=raw("alliances.yaml", "- {id: pact, members: [eastville], assumption: x}\n"),
    ),
    Case(
        "pattern-unknown-kind",
        "patterns.yaml",
        "patterns[0].kind",
        "'trend'",
        "one of ['range'",
        edit=yml("patterns.yaml", lambda d: d[0].update(kind="trend")),
    ),
    Case(
        "pattern-contrast-unknown-policy",
        "patterns.yaml",
        "patterns[0].policy",
        "'no_peace'",
        "one of ['no_mediator'",
        edit=yml("patterns.yaml", lambda d: d[0].update(kind="contrast", policy="no_peace")),
    ),
]


# ----------------------------------------------------------------------------- issue 18
# Inputs that older code accepted WITHOUT an error while ignoring or changing them (silent
# acceptance), and neighbours of them. Each must now be refused like every case above.
UNKNOWN, DUPLICATE, COLUMNS = "unknown key", "duplicate id", "column collision"
CONFIG_KEY, PATTERN, TEXT, ECHO = "config key", "pattern", "text size", "bounded echo"


def text_edit(file: str, change: Callable[[str], str]) -> Edit:
    """Edit the raw text of a file of the copy."""

    def edit(folder: Path) -> Path:
        path = folder / file
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
        return folder

    return edit


def policy_line(text: str) -> Edit:
    """Append a policy written as raw YAML text to policies.yaml."""
    return text_edit("policies.yaml", lambda old: old + text)


def _rename_community(old: str, new: str) -> Edit:
    def edit(folder: Path) -> Path:
        text = (folder / "scenario.yaml").read_text(encoding="utf-8")
        text = text.replace(f"[{old}, ", f"[{new}, ").replace(f"a: {old},", f"a: {new},")
        (folder / "scenario.yaml").write_text(text, encoding="utf-8")
        edit_yaml(folder / "actors.yaml", lambda d: d[0].update(community=new))
        edit_yaml(folder / "events.yaml", lambda d: d[0].update(targets={"community": new}))
        return folder

    return edit


def _pair_countries(data: dict) -> None:
    """Countries EA, WE, EA_WE, DN, WE_DN: pairs (EA, WE_DN) and (EA_WE, DN) name one column."""
    extra = [{"id": c, "assumption": "x"} for c in ("EA_WE", "WE_DN")]
    data["countries"] = [*data["countries"][:2], extra[0], data["countries"][2], extra[1]]


def _to_ratio_without_numerator(pattern: dict) -> None:
    for key in ("series", "agg", "from", "to"):
        pattern.pop(key)
    pattern.update(kind="ratio", denominator={"series": "needs"})


def _to_contrast(pattern: dict, threshold: object) -> None:
    pattern.pop("min")
    pattern.update(kind="contrast", policy="silos", min_difference=threshold)


STRICT_CASES: list[Case] = [
    # --------------------------------------------------------------- unknown keys
    Case(
        "meta-unknown-top-key",
        "scenario.yaml",
        "sanctions",
        "[{",
        "did you mean 'sanctioned'?",
        edit=yml(
            "scenario.yaml", lambda d: d.update(sanctions=[{"country": "WE", "assumption": "x"}])
        ),
        cls=UNKNOWN,
        cli=True,
    ),
    Case(
        "meta-country-unknown-key",
        "scenario.yaml",
        "countries[0].nmae",
        "'Eastland'",
        "did you mean 'name'?",
        edit=yml("scenario.yaml", lambda d: d["countries"][0].update(nmae="Eastland")),
        cls=UNKNOWN,
    ),
    Case(
        "meta-hostility-directed",
        "scenario.yaml",
        "hostility[0].directed",
        "True",
        "a known key",
        edit=yml("scenario.yaml", lambda d: d["hostility"][0].update(directed=True)),
        cls=UNKNOWN,
    ),
    Case(
        "meta-permission-unknown-key",
        "scenario.yaml",
        "permissions[0].both_ways",
        "True",
        "a known key",
        edit=yml("scenario.yaml", lambda d: d["permissions"][0].update(both_ways=True)),
        cls=UNKNOWN,
    ),
    Case(
        "meta-divide-unknown-key",
        "scenario.yaml",
        "divides[0].since",
        "'1992-04'",
        "a known key",
        edit=yml("scenario.yaml", lambda d: d["divides"][0].update(since="1992-04")),
        cls=UNKNOWN,
    ),
    Case(
        "meta-sanctioned-unknown-key",
        "scenario.yaml",
        "sanctioned[0].active",
        "False",
        "a known key",
        edit=yml(
            "scenario.yaml",
            lambda d: d.update(sanctioned=[{"country": "WE", "active": False, "assumption": "x"}]),
        ),
        cls=UNKNOWN,
    ),
    Case(
        "actor-mandate-unknown-pillar",
        "actors.yaml",
        "actors[4].mandate.peacee",
        "0.8",
        "did you mean 'peace'?",
        edit=yml("actors.yaml", lambda d: d[4]["mandate"].update(peacee=0.8)),
        cls=UNKNOWN,
    ),
    Case(
        "policy-unknown-key",
        "policies.yaml",
        "no_programme.drop_programme",
        "['rebuild']",
        "did you mean 'drop_programmes'?",
        ("policy=no_programme",),
        edit=yml("policies.yaml", lambda d: d["no_programme"].update(drop_programme=["rebuild"])),
        cls=UNKNOWN,
    ),
    Case(
        "policy-added-actor-unknown-key",
        "policies.yaml",
        "extra.add_actors[0].populaton",
        "5",
        "did you mean 'population'?",
        ("policy=extra",),
        edit=policy_line(
            "extra:\n  assumption: x\n  add_actors:\n    - {id: n, type: municipality, "
            "country: EA, population: 5, populaton: 5, assumption: x}\n"
        ),
        cls=UNKNOWN,
    ),
    Case(
        "yaml-duplicate-key",
        "scenario.yaml",
        "line 6",
        "horizon",
        "each key once",
        edit=text_edit(
            "scenario.yaml", lambda t: t.replace("horizon: 120\n", "horizon: 120\nhorizon: 125\n")
        ),
        cls=DUPLICATE,
    ),
    Case(
        "yaml-duplicate-policy",
        "policies.yaml",
        "line 13",
        "silos",
        "each key once",
        edit=policy_line("silos:\n  assumption: x\n  levers: {coordination: 1.0}\n"),
        cls=DUPLICATE,
    ),
    # --------------------------------------------------------------- duplicate ids
    Case(
        "alliance-duplicate-id",
        "alliances.yaml",
        "alliances[1].id",
        "'pact'",
        "a unique alliance id",
        edit=raw(
            "alliances.yaml",
            "- {id: pact, members: [eastville, westburg], assumption: x}\n"
            "- {id: pact, members: [westburg, eastville], mediators: [mediator], assumption: x}\n",
        ),
        cls=DUPLICATE,
        cli=True,
    ),
    Case(
        "alliance-duplicate-member",
        "alliances.yaml",
        "alliances[0].members",
        "['eastville', 'eastville']",
        "each once",
        edit=raw(
            "alliances.yaml", "- {id: pact, members: [eastville, eastville], assumption: x}\n"
        ),
        cls=DUPLICATE,
    ),
    Case(
        "event-duplicate-id",
        "events.yaml",
        "events[1].id",
        "'wave'",
        "a unique event id",
        edit=yml("events.yaml", lambda d: [e.update(id="wave") for e in d[:2]] and None),
        cls=DUPLICATE,
    ),
    Case(
        "meta-hostility-duplicate-pair",
        "scenario.yaml",
        "hostility[1]",
        "WE",
        "one entry per pair",
        edit=yml(
            "scenario.yaml",
            lambda d: d["hostility"].append(
                {"a": "WE", "b": "EA", "value": 0.9, "assumption": "x"}
            ),
        ),
        cls=DUPLICATE,
    ),
    Case(
        "meta-permission-duplicate-pair",
        "scenario.yaml",
        "permissions[2]",
        "EA",
        "one entry per pair",
        edit=yml(
            "scenario.yaml",
            lambda d: d["permissions"].append(
                {"from": "EA", "to": "WE", "level": "closed", "assumption": "x"}
            ),
        ),
        cls=DUPLICATE,
    ),
    Case(
        "meta-sanctioned-twice",
        "scenario.yaml",
        "sanctioned[1].country",
        "'WE'",
        "a country listed once",
        edit=yml(
            "scenario.yaml",
            lambda d: d.update(sanctioned=[{"country": "WE", "assumption": "x"}] * 2),
        ),
        cls=DUPLICATE,
    ),
    Case(
        "meta-isolated-twice",
        "scenario.yaml",
        "isolated[1].country",
        "'WE'",
        "a country listed once",
        edit=yml(
            "scenario.yaml",
            lambda d: d.update(isolated=[{"country": "WE", "assumption": "x"}] * 2),
        ),
        cls=DUPLICATE,
    ),
    Case(
        "meta-isolated-unknown-country",
        "scenario.yaml",
        "isolated[0].country",
        "'XX'",
        "a known country id",
        edit=yml(
            "scenario.yaml", lambda d: d.update(isolated=[{"country": "XX", "assumption": "x"}])
        ),
    ),
    Case(
        "meta-divide-twice",
        "scenario.yaml",
        "divides[1]",
        "west",
        "one entry per pair",
        edit=yml(
            "scenario.yaml",
            lambda d: d["divides"].append({"a": "west", "b": "east", "assumption": "x"}),
        ),
        cls=DUPLICATE,
    ),
    Case(
        "meta-lever-twice",
        "scenario.yaml",
        "levers[1].lever",
        "'coordination'",
        "a lever set once",
        edit=yml(
            "scenario.yaml",
            lambda d: d.update(
                levers=[
                    {"lever": "coordination", "value": 0.2, "assumption": "x"},
                    {"lever": "coordination", "value": 0.9, "assumption": "x"},
                ]
            ),
        ),
        cls=DUPLICATE,
    ),
    Case(
        "meta-watch-twice",
        "scenario.yaml",
        "watch",
        "['eastville', 'eastville']",
        "each once",
        edit=yml("scenario.yaml", lambda d: d.update(watch=["eastville", "eastville"])),
        cls=DUPLICATE,
    ),
    Case(
        "meta-focus-twice",
        "scenario.yaml",
        "focus",
        "['westburg', 'westburg']",
        "distinct municipality ids",
        edit=yml("scenario.yaml", lambda d: d.update(focus=["westburg", "westburg"])),
        cls=DUPLICATE,
    ),
    Case(
        "programme-duplicate-provider",
        "programmes.yaml",
        "programmes[0].recipients",
        "['eastville', 'eastville']",
        "each once",
        edit=yml("programmes.yaml", lambda d: d[0].update(recipients=["eastville", "eastville"])),
        cls=DUPLICATE,
    ),
    # --------------------------------------------------------------- output columns
    Case(
        "alliance-column-collision",
        "alliances.yaml",
        "alliances[1].id",
        "'pact_progress'",
        "alliance_pact_progress",
        edit=raw(
            "alliances.yaml",
            "- {id: pact, members: [eastville, westburg], assumption: x}\n"
            "- {id: pact_progress, members: [westburg, eastville], assumption: x}\n",
        ),
        cls=COLUMNS,
        cli=True,
    ),
    Case(
        "community-column-collision",
        "scenario.yaml",
        "communities",
        "'mean'",
        "D_mean",
        edit=_rename_community("east", "mean"),
        cls=COLUMNS,
    ),
    Case(
        "country-pair-column-collision",
        "scenario.yaml",
        "countries",
        "'EA_WE'",
        "permission_EA_WE_DN",
        edit=yml("scenario.yaml", _pair_countries),
        cls=COLUMNS,
    ),
    # --------------------------------------------------------------- config keys
    Case(
        "plus-typo-in-model",
        "config",
        "model.trust.decy",
        "0.5",
        "did you mean 'model.trust.decay'?",
        ("+model.trust.decy=0.5",),
        cls=CONFIG_KEY,
        cli=True,
    ),
    Case(
        "plus-unknown-deep-key",
        "config",
        "unknown.deep.key",
        "1",
        "a key the config knows",
        ("+unknown.deep.key=1",),
        cls=CONFIG_KEY,
    ),
    Case(
        "plus-lever-typo",
        "config",
        "levers.coordnation",
        "1",
        "did you mean 'levers.coordination'?",
        ("+levers.coordnation=1",),
        cls=CONFIG_KEY,
    ),
    Case(
        "plus-output-typo",
        "config",
        "output.dashbord",
        "False",
        "did you mean 'output.dashboard'?",
        ("+output.dashbord=false",),
        cls=CONFIG_KEY,
    ),
    Case(
        "plus-scenario-key",
        "config",
        "scenario.nmae",
        "'x'",
        "did you mean 'scenario.name'?",
        ("+scenario.nmae=x",),
        cls=CONFIG_KEY,
    ),
    Case(
        "plus-top-level-typo",
        "config",
        "polcy",
        "'no_mediator'",
        "did you mean 'policy'?",
        ("+polcy=no_mediator",),
        cls=CONFIG_KEY,
    ),
    # --------------------------------------------------------------- patterns
    Case(
        "pattern-minimum-for-min",
        "patterns.yaml",
        "patterns[0].minimum",
        "1",
        "did you mean 'min'?",
        edit=yml("patterns.yaml", lambda d: d[0].update(minimum=d[0].pop("min"))),
        cls=PATTERN,
    ),
    Case(
        "pattern-string-bound",
        "patterns.yaml",
        "patterns[0].min",
        "'1'",
        "a finite number",
        edit=yml("patterns.yaml", lambda d: d[0].update(min="1")),
        cls=PATTERN,
    ),
    Case(
        "pattern-ratio-without-numerator",
        "patterns.yaml",
        "patterns[0].numerator",
        "None",
        "a mapping",
        edit=yml("patterns.yaml", lambda d: _to_ratio_without_numerator(d[0])),
        cls=PATTERN,
    ),
    Case(
        "pattern-list-series",
        "patterns.yaml",
        "patterns[0].series",
        "['needs']",
        "the name of a series",
        edit=yml("patterns.yaml", lambda d: d[0].update(series=["needs"])),
        cls=PATTERN,
    ),
    Case(
        "pattern-bad-contrast-threshold",
        "patterns.yaml",
        "patterns[0].min_difference",
        "'big'",
        "a finite number",
        edit=yml("patterns.yaml", lambda d: _to_contrast(d[0], "big")),
        cls=PATTERN,
    ),
    Case(
        "pattern-unknown-series",
        "patterns.yaml",
        "patterns[0].series",
        "'projects_done'",
        "a series of this scenario",
        edit=yml("patterns.yaml", lambda d: d[0].update(series="projects_done")),
        cls=PATTERN,
    ),
    Case(
        "pattern-description-bomb",
        "patterns.yaml",
        "patterns[1].description",
        "[['x'",
        "a non-empty string",
        edit=text_edit(
            "patterns.yaml",
            lambda t: (
                t + "- id: bomb\n  role: scripted\n  role_reason: x\n  assumption: x\n"
                "  kind: range\n  series: needs\n  max: 1\n" + alias_bomb("description")
            ),
        ),
        cls=TEXT,
    ),
    # --------------------------------------------------------------- text sizes
    Case(
        "policy-description-bomb",
        "policies.yaml",
        "bomb.description",
        "[['x'",
        "text of at most",
        edit=policy_line("bomb:\n  assumption: x\n" + alias_bomb("description")),
        cls=TEXT,
        cli=True,
    ),
    Case(
        "country-name-bomb",
        "scenario.yaml",
        "countries[3].name",
        "[['x'",
        "text of at most",
        edit=text_edit(
            "scenario.yaml",
            lambda t: t.replace(
                "permissions:",
                "  - id: XX\n    assumption: x\n  " + alias_bomb("name") + "permissions:",
            ),
        ),
        cls=TEXT,
    ),
    Case(
        "title-too-long",
        "scenario.yaml",
        "title",
        "(100000 characters)",
        "text of at most",
        edit=yml("scenario.yaml", lambda d: d.update(title="t" * 100_000)),
        cls=TEXT,
    ),
    Case(
        "actor-name-too-long",
        "actors.yaml",
        "actors[0].name",
        "(100000 characters)",
        "text of at most",
        edit=yml("actors.yaml", lambda d: d[0].update(name="n" * 100_000)),
        cls=TEXT,
    ),
    Case(
        "event-note-bomb",
        "events.yaml",
        "events[0].note",
        "[['x'",
        "text of at most",
        edit=text_edit(
            "events.yaml",
            lambda t: (
                "- date: '2001-01'\n  type: summit\n  a: EA\n  b: WE\n  delta: 0.1\n"
                "  assumption: x\n" + alias_bomb("note") + t
            ),
        ),
        cls=TEXT,
    ),
    # --------------------------------------------------------------- bounded echo
    Case(
        "override-value-huge",
        "config",
        "model.trust.decay",
        "(100000 characters)",
        "",
        ("model.trust.decay=" + "x" * 100_000,),
        cls=ECHO,
    ),
    Case(
        "override-digits-huge",
        "config",
        "model.trust.decay",
        "(100000 characters)",
        "",
        ("model.trust.decay=" + "9" * 100_000,),
        cls=ECHO,
    ),
    Case(
        "override-string-huge",
        "policies.yaml",
        "policy",
        "(3000 characters)",
        "one of ['baseline'",
        ("policy=" + "p" * 3000,),
        cls=ECHO,
    ),
]
CASES += STRICT_CASES


# ----------------------------------------------------------------------------- issue 15
# The format grows (activity windows, handover, disaster and population events, phases, an
# armed side without cities): each new key's bad values, refused like every case above.
def _window(index: int, **dates: str) -> Callable[[Any], None]:
    return lambda d: d[index].update(**dates)


FORMAT_CASES: list[Case] = [
    # --------------------------------------------------------------- activity windows
    Case(
        "actor-start-before-horizon",
        "actors.yaml",
        "actors[4].start",
        "'1999-06'",
        "a date within the horizon [2000-01, 2009-12]",
        edit=yml("actors.yaml", _window(4, start="1999-06")),
    ),
    Case(
        "actor-end-before-start",
        "actors.yaml",
        "actors[4].end",
        "'2002-01'",
        "a date not before start 2003-01",
        edit=yml("actors.yaml", _window(4, start="2003-01", end="2002-01")),
        cli=True,
    ),
    Case(
        "actor-end-not-a-date",
        "actors.yaml",
        "actors[4].end",
        "2003",
        "a date YYYY-MM",
        edit=yml("actors.yaml", _window(4, end=2003)),
    ),
    Case(
        "actor-csv-end-after-horizon",
        "actors.csv",
        "actors[4].end",
        "'2010-01'",
        "a date within the horizon",
        edit=actors_csv(lambda rows: rows[4].update(end="2010-01")),
    ),
    Case(
        "actor-fled-negative",
        "actors.yaml",
        "actors[0].fled",
        "-5",
        "a finite number in [0.0, inf]",
        edit=yml("actors.yaml", lambda d: d[0].update(fled=-5)),
    ),
    Case(
        "tie-start-after-horizon",
        "ties.yaml",
        "ties[1].start",
        "'2010-01'",
        "a date within the horizon [2000-01, 2009-12]",
        edit=yml("ties.yaml", _window(1, start="2010-01")),
    ),
    Case(
        "tie-end-before-start",
        "ties.yaml",
        "ties[1].end",
        "'2003-12'",
        "a date not before start 2004-01",
        edit=yml("ties.yaml", _window(1, start="2004-01", end="2003-12")),
    ),
    Case(
        "tie-outside-its-actor",
        "ties.yaml",
        "ties[1].start",
        "'2004-01'",
        "a date while mediator is active (2000-01 to 2002-12)",
        edit=both(
            yml("actors.yaml", _window(4, end="2002-12")),
            yml("ties.yaml", _window(1, start="2004-01")),
        ),
    ),
    Case(
        "tie-start-misspelt",
        "ties.yaml",
        "ties[1].strat",
        "'2004-01'",
        "did you mean 'start'?",
        edit=yml("ties.yaml", _window(1, strat="2004-01")),
        cls=UNKNOWN,
    ),
    Case(
        "policy-tie-end-before-start",
        "policies.yaml",
        "late.add_ties[0].end",
        "'2001-01'",
        "a date not before start 2002-01",
        args=("policy=late",),
        edit=policy_line(
            "late:\n  assumption: x\n  add_ties:\n"
            "    - {src: funder, dst: eastville, type: funding, start: '2002-01', end: '2001-01',"
            " assumption: x}\n"
        ),
    ),
]

EAST = {"community": "east"}


def _add_event(**fields: Any) -> Edit:
    return yml("events.yaml", lambda d: d.append(ev(**fields)))


FORMAT_CASES += [
    # --------------------------------------------------------------- disasters, population
    Case(
        "disaster-unknown-community",
        "events.yaml",
        "events[4].targets.community",
        "'north'",
        "a known community id",
        edit=_add_event(
            date="2003-01", type="disaster", targets={"community": "north"}, needs_shock=0.2
        ),
    ),
    Case(
        "disaster-does-nothing",
        "events.yaml",
        "events[4].needs_shock",
        "0.0",
        "a disaster with needs_shock or capacity_loss > 0",
        edit=_add_event(date="2003-01", type="disaster", targets=EAST),
    ),
    Case(
        "disaster-capacity-loss-above-one",
        "events.yaml",
        "events[4].capacity_loss",
        "1.5",
        "[0.0, 1.0]",
        edit=_add_event(date="2003-01", type="disaster", targets=EAST, capacity_loss=1.5),
    ),
    Case(
        "displacement-everyone",
        "events.yaml",
        "events[4].share",
        "1.0",
        "[0.0, 0.99]",
        edit=_add_event(date="2003-01", type="displacement", targets=EAST, share=1.0),
    ),
    Case(
        "return-negative-share",
        "events.yaml",
        "events[4].share",
        "-0.2",
        "[0.0, 1.0]",
        edit=_add_event(date="2003-01", type="return", targets=EAST, share=-0.2),
    ),
    Case(
        "return-after-horizon",
        "events.yaml",
        "events[4].date",
        "'2010-03'",
        "a date within the horizon [2000-01, 2009-12]",
        edit=_add_event(date="2010-03", type="return", targets=EAST, share=0.2),
    ),
    Case(
        "displacement-target-not-a-city",
        "events.yaml",
        "events[4].targets.actors",
        "'mediator'",
        "a municipality id",
        edit=_add_event(
            date="2003-01", type="displacement", targets={"actors": ["mediator"]}, share=0.1
        ),
    ),
    Case(
        "return-unknown-actor",
        "events.yaml",
        "events[4].targets.actors",
        "'atlantis'",
        "a known actor id",
        edit=_add_event(date="2003-01", type="return", targets={"actors": ["atlantis"]}, share=0.1),
    ),
    Case(
        "violence-target-community-without-cities",
        "events.yaml",
        "events[0].targets.community",
        "'rebels'",
        "a community with at least one municipality; an armed side without cities",
        edit=both(
            yml("scenario.yaml", lambda d: d["communities"].append("rebels")),
            yml("events.yaml", lambda d: d[0].update(targets={"community": "rebels"})),
        ),
    ),
    Case(
        "deaths-share-above-half",
        "events.yaml",
        "events[4].share",
        "5.0",
        "[0.0, 0.5]",
        edit=_add_event(date="2003-01", type="deaths", targets=EAST, share=5.0),
    ),
    Case(
        "deaths-unknown-actor",
        "events.yaml",
        "events[4].targets.actors",
        "'atlantis'",
        "a known actor id",
        edit=_add_event(
            date="2003-01", type="deaths", targets={"actors": ["atlantis"]}, share=0.01
        ),
    ),
    Case(
        "deaths-before-start",
        "events.yaml",
        "events[4].date",
        "'1999-06'",
        "a date within the horizon [2000-01, 2009-12]",
        edit=_add_event(date="1999-06", type="deaths", targets=EAST, share=0.01),
    ),
    Case(
        "deaths-target-not-a-city",
        "events.yaml",
        "events[4].targets.actors",
        "'mediator'",
        "a municipality id",
        edit=_add_event(
            date="2003-01", type="deaths", targets={"actors": ["mediator"]}, share=0.01
        ),
    ),
    Case(
        "displacement-share-misspelt",
        "events.yaml",
        "events[4].shares",
        "0.1",
        "did you mean 'share'?",
        edit=_add_event(date="2003-01", type="displacement", targets=EAST, shares=0.1),
        cls=UNKNOWN,
    ),
]

LOCAL_NGO = {"id": "local", "type": "ngo", "country": "EA", "community": "east", "assumption": "x"}


def _handover(*actors: dict, **fields: Any) -> Edit:
    event = {"date": "2002-06", "type": "handover", "programme": "rebuild"}
    event.update(provider="mediator", successor="local")
    event.update(fields)
    return both(
        yml("actors.yaml", lambda d: d.extend(actors or [LOCAL_NGO])),
        yml("events.yaml", lambda d: d.append(ev(**event))),
    )


FORMAT_CASES += [
    # --------------------------------------------------------------- handover
    Case(
        "handover-unknown-programme",
        "events.yaml",
        "events[4].programme",
        "'marshall'",
        "a known programme id",
        edit=_handover(programme="marshall"),
    ),
    Case(
        "handover-unknown-successor",
        "events.yaml",
        "events[4].successor",
        "'atlantis'",
        "a known actor id",
        edit=_handover(successor="atlantis"),
    ),
    Case(
        "handover-from-a-non-provider",
        "events.yaml",
        "events[4].provider",
        "'funder'",
        "a provider of programme 'rebuild' on 2002-06 (then: ['mediator'])",
        edit=_handover(provider="funder"),
    ),
    Case(
        "handover-to-itself",
        "events.yaml",
        "events[4].successor",
        "'mediator'",
        "an actor other than the provider",
        edit=_handover(successor="mediator"),
    ),
    Case(
        "handover-to-a-recipient",
        "events.yaml",
        "events[4].successor",
        "'eastville'",
        "an actor other than the recipients it takes over",
        edit=_handover(successor="eastville"),
    ),
    Case(
        "handover-after-the-programme",
        "events.yaml",
        "events[4].date",
        "'2006-01'",
        "a date within programme 'rebuild''s months [2000-06, 2004-12]",
        edit=_handover(date="2006-01"),
    ),
    Case(
        "handover-to-an-inactive-successor",
        "events.yaml",
        "events[4].successor",
        "'local'",
        "an actor active on 2002-06 (from 2003-01)",
        edit=_handover({**LOCAL_NGO, "start": "2003-01"}),
    ),
    Case(
        "handover-successor-misspelt",
        "events.yaml",
        "events[4].sucessor",
        "'local'",
        "did you mean 'successor'?",
        edit=_handover(sucessor="local"),
        cls=UNKNOWN,
    ),
]

PHASES = [
    {"start": "2000-06", "end": "2001-12", "budget": 10, "pillars": ["development"]},
    {"start": "2002-06", "end": "2004-12", "budget": 30, "pillars": ["peace"]},
]  # fmt: skip


def _phases(change: Callable[[dict], Any] = lambda q: None) -> Edit:
    """two_cities' programme in two phases, then ``change`` applied to it."""

    def edit(data: list[dict]) -> None:
        for key in ("start", "end", "budget", "pillars"):
            data[0].pop(key)
        data[0]["phases"] = [{**p, "assumption": "x"} for p in PHASES]
        change(data[0])

    return yml("programmes.yaml", edit)


FORMAT_CASES += [
    # --------------------------------------------------------------- phases
    Case(
        "phase-overlaps-the-previous",
        "programmes.yaml",
        "programmes[0].phases[1].start",
        "'2001-06'",
        "a date after the previous phase's end 2001-12",
        edit=_phases(lambda q: q["phases"][1].update(start="2001-06")),
    ),
    Case(
        "phase-end-before-start",
        "programmes.yaml",
        "programmes[0].phases[1].end",
        "'2002-01'",
        "a date after start 2002-06",
        edit=_phases(lambda q: q["phases"][1].update(end="2002-01")),
    ),
    Case(
        "phase-start-before-horizon",
        "programmes.yaml",
        "programmes[0].phases[0].start",
        "'1999-01'",
        "a date within the horizon [2000-01, 2009-12]",
        edit=_phases(lambda q: q["phases"][0].update(start="1999-01")),
    ),
    Case(
        "phase-negative-budget",
        "programmes.yaml",
        "programmes[0].phases[0].budget",
        "-1",
        "a finite number in [0.0, inf]",
        edit=_phases(lambda q: q["phases"][0].update(budget=-1)),
    ),
    Case(
        "phases-and-a-top-level-budget",
        "programmes.yaml",
        "programmes[0].budget",
        "5.0",
        "no top-level start, end, budget or pillars with phases",
        edit=_phases(lambda q: q.update(budget=5)),
    ),
    Case(
        "phases-empty",
        "programmes.yaml",
        "programmes[0].phases",
        "[]",
        "(at least 1)",
        edit=_phases(lambda q: q.update(phases=[])),
    ),
    Case(
        "phase-key-misspelt",
        "programmes.yaml",
        "programmes[0].phases[0].budjet",
        "10",
        "did you mean 'budget'?",
        edit=_phases(lambda q: q["phases"][0].update(budjet=q["phases"][0].pop("budget"))),
        cls=UNKNOWN,
    ),
]
CASES += FORMAT_CASES
CLI_CASES = [c for c in CASES if c.cli]


# ----------------------------------------------------------------------------- checks


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail instead of hanging (an alias bomb expanded by repr or str would never return)."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"no answer within {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _prepare(case: Case, root: Path) -> list[str]:
    """The overrides of a case; scenario cases point scenario.path at a broken copy."""
    if case.edit is None:
        return list(case.args)
    folder = case.edit(copy_scenario("two_cities", root / "data"))
    return [f"scenario.path={folder}", *case.args]


def assert_one_line(case: Case, stderr: str, stdout: str = "") -> None:
    """Exactly one line naming where, key, value and what is allowed; no traceback."""
    assert "Traceback" not in stderr + stdout, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    line = lines[0]
    assert line.startswith("citypeace: error: "), line
    head, sep, tail = line.partition(f": {case.key} = ")
    assert sep, f"key {case.key!r} not named: {line}"
    assert case.where in head, f"{case.where!r} not named: {line}"
    assert case.value in tail, f"value {case.value!r} not named: {line}"
    assert case.allowed in tail, f"allowed {case.allowed!r} not named: {line}"
    assert len(line) < 2000, "one line of bounded length"


def case_class(case: Case) -> str:
    """The class of a case, as counted in the README."""
    if case.cls:
        return case.cls
    if case.edit is not None:
        return "scenario value"
    return "synthetic generator" if case.where == "scenario=synthetic" else "config value"


def test_readme_counts_the_catalogue() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    counts = Counter(case_class(c) for c in CASES)
    assert f"(`tests/test_catalogue.py`) has {len(CASES)} cases" in readme
    for name, n in counts.items():
        assert f"| {name} | {n} |" in readme, (name, n)


def test_catalogue_size() -> None:
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)
    assert 8 <= len(CLI_CASES) <= 16
    files = {c.where for c in CASES if c.edit is not None}
    assert {"scenario.yaml", "actors.yaml", "actors.csv", "ties.yaml", "events.yaml"} <= files


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_preflight_refuses(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    from sim.cli import preflight

    overrides = _prepare(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    with time_limit(30), pytest.raises(SystemExit) as info:
        preflight(overrides)
    out = capsys.readouterr()
    assert info.value.code == 2
    assert_one_line(case, out.err, out.out)
    assert not (tmp_path / "outputs").exists()


SCENARIO_CASES = [c for c in CASES if c.edit is not None]


@pytest.mark.parametrize("case", SCENARIO_CASES, ids=[c.id for c in SCENARIO_CASES])
def test_loader_raises_scenario_error(case: Case, tmp_path: Path) -> None:
    """The loader itself raises the typed error (not any other exception) with that key."""
    from sim.scenario.loader import load_scenario

    assert case.edit is not None
    folder = case.edit(copy_scenario("two_cities", tmp_path))
    policy = next((a.split("=", 1)[1] for a in case.args if a.startswith("policy=")), "baseline")
    with time_limit(30), pytest.raises(ScenarioError) as info:
        load_scenario(folder, policy=policy)
    err = info.value
    assert isinstance(err, CitypeaceError)
    assert Path(err.where).name == case.where, str(err)
    assert str(err).startswith(f"{err.where}: {case.key} = "), str(err)
    assert case.value in str(err) and case.allowed in err.allowed, str(err)


@pytest.mark.parametrize("case", CLI_CASES, ids=[c.id for c in CLI_CASES])
def test_cli_refuses(case: Case, tmp_path: Path) -> None:
    overrides = _prepare(case, tmp_path)
    proc = run_cli([*overrides, "output.progress=false"], tmp_path, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert_one_line(case, proc.stderr, proc.stdout)
    assert not (tmp_path / "outputs").exists()
    assert not (tmp_path / "multirun").exists()


# ------------------------------------------------- sweep, design, resume and report (issue 18.4)


@dataclass(frozen=True)
class Command:
    """A bad ``citypeace sweep|report|validate`` command; ``{dir}`` stands for the test folder."""

    id: str
    argv: tuple[str, ...]
    where: str  # a piece of what stands before the key ("{dir}" allowed)
    key: str
    value: str
    allowed: str
    files: tuple[tuple[str, str | bytes], ...] = ()  # files to write first (path, content)
    cls: str = "sweep input"
    needs: str = ""  # a module of an optional extra (skipped without it)


def _design(text: str) -> tuple[tuple[str, str], ...]:
    return (("d.yaml", text),)


def _state(text: str) -> tuple[tuple[str, str], ...]:
    return (("sw/sweep.json", text), ("sw/0123456789abcdef/status.json", "{}"))


LHS = ("sweep", "design=lhs", "scenario=two_cities", "hydra.sweep.dir={dir}/out")
ONE = "method: lhs\nparameters:\n  levers.coordination: null\n"
RECOVER = "to recover, run the sweep's command again with hydra.sweep.dir="
COMMAND_CASES = [
    Command("batch-not-a-number", (*LHS, "--batch=abc"), "command line", "--batch", "'abc'",
            "a whole number in [1, 100,000]"),
    Command("batch-zero", (*LHS, "--batch=0"), "command line", "--batch", "'0'", "a whole number"),
    Command("batch-negative", (*LHS, "--batch=-1"), "command line", "--batch", "'-1'",
            "a whole number"),
    Command("runs-per-job-word", (*LHS, "--runs-per-job=x"), "command line", "--runs-per-job",
            "'x'", "a whole number"),
    Command("unknown-flag", (*LHS, "--bacth=2"), "command line", "--bacth", "--bacth=2",
            "one of ['--dry-run'"),
    Command("root-seed-expression", (*LHS, "design.root_seed=10^30"), "command line",
            "design.root_seed", "'10^30'", "a whole number in [0, 9223372036854775807]"),
    Command("root-seed-too-large", (*LHS, f"design.root_seed={10**30}"), "command line",
            "design.root_seed", str(10**30), "a whole number in [0, 9223372036854775807]"),
    Command("design-n-huge-dry-run", (*LHS, "design.n=1000000000", "--dry-run"), "command line",
            "design.n", "1000000000", "a whole number in [1, 1000000]"),
    Command("design-runs-over-bound-dry-run",
            (*LHS, "design.n=200000", "design.replications=10", "--dry-run"), "command line",
            "design.n", "200000", "a design of at most 1,000,000 runs (2,000,000 planned)"),
    Command("sweep-combinations-over-bound", (*LHS, "policy=a,b", "seed_x=range(0,1000000)",
            "--dry-run"), "command line", "seed_x", "range(0,1000000)", "at most 1,000,000"),
    Command("design-override-typo", (*LHS, "design.replication=3"), "command line",
            "design.replication", "'3'", "did you mean 'design.replications'?"),
    Command("design-file-a-list", ("sweep", "design={dir}/d.yaml"), "{dir}/d.yaml", "document",
            "['a', 'b']", "a mapping with keys from", files=_design("- a\n- b\n")),
    Command("design-file-binary", ("sweep", "design={dir}/d.yaml"), "{dir}/d.yaml", "file",
            "'binary data'", "UTF-8 YAML text", files=(("d.yaml", b"\x00\x01\xff\xfe"),)),
    Command("design-parameters-a-list", ("sweep", "design={dir}/d.yaml"), "{dir}/d.yaml",
            "parameters", "['levers.coordination']", "a mapping",
            files=_design("method: lhs\nparameters:\n  - levers.coordination\n")),
    Command("design-unknown-key", ("sweep", "design={dir}/d.yaml"), "{dir}/d.yaml",
            "replication", "3", "did you mean 'replications'?",
            files=_design(ONE + "replication: 3\n")),
    Command("design-range-unknown-key", ("sweep", "design={dir}/d.yaml"), "{dir}/d.yaml",
            "parameters.levers.coordination.lo", "0", "did you mean 'low'?",
            files=_design("parameters:\n  levers.coordination: {lo: 0, high: 1}\n")),
    Command("design-parameter-typo", ("sweep", "design={dir}/d.yaml"), "{dir}/d.yaml",
            "parameters.model.trust.sucess", "[0, 0.1]", "did you mean 'model.trust.success'?",
            files=_design("parameters:\n  model.trust.sucess: [0, 0.1]\n")),
    Command("design-method-unknown", ("sweep", "design={dir}/d.yaml"), "{dir}/d.yaml",
            "method", "'sobel'", "one of ['lhs', 'sobol', 'morris', 'replicate']",
            files=_design(ONE.replace("lhs", "sobel"))),
    Command("resume-truncated-state", ("sweep", "resume", "{dir}/sw"), "{dir}/sw/sweep.json",
            "line 1", "truncated or invalid JSON", RECOVER,
            files=_state('{"kind": "design", "argv": ["swe')),
    Command("resume-state-without-argv", ("sweep", "resume", "{dir}/sw"),
            "{dir}/sw/sweep.json", "argv", "None", RECOVER,
            files=_state('{"kind": "design", "jobs": 3}')),
    Command("resume-state-unknown-key", ("sweep", "resume", "{dir}/sw"),
            "{dir}/sw/sweep.json", "argvs", "['sweep']", "did you mean 'argv'?",
            files=_state('{"kind": "design", "argv": ["sweep"], "argvs": ["sweep"]}')),
    Command("resume-state-foreign-command", ("sweep", "resume", "{dir}/sw"),
            "{dir}/sw/sweep.json", "argv", "['rm', '-rf']", "a command starting with 'sweep'",
            files=_state('{"kind": "design", "argv": ["rm", "-rf"]}')),
    Command("resume-not-a-sweep", ("sweep", "resume", "{dir}/nothing"), "command line",
            "sweep_dir", "nothing", "a sweep folder"),
    Command("report-empty-folder", ("report", "{dir}/sw"), "{dir}/sw", "runs", "0",
            "a sweep folder with at least one run", files=(("sw/.keep", ""),), cls="report input"),
    Command("validate-jobs-word", ("validate", "scenario=two_cities", "jobs=abc"), "validate",
            "jobs", "'abc'", "a whole number in [1, 1024]", cls="report input"),
    Command("sweeper-unknown-objective", ("-m", "hydra/sweeper=optuna_levers",
            "hydra.callbacks.citypeace_sweep.objective=peace_99y", "scenario=two_cities",
            "horizon=24", "hydra.sweep.dir={dir}/study"), "config",
            "hydra.callbacks.citypeace_sweep.objective", "'peace_99y'",
            "did you mean 'peace_2y'? an outcome the runs reach (horizon 24 months)",
            cls="sweeper or cluster", needs="hydra_plugins.hydra_optuna_sweeper"),
    Command("cluster-does-not-answer", ("sweep", "design=replicate", "scenario=two_cities",
            "--dask=tcp://127.0.0.1:1", "--dask-timeout=1", "hydra.sweep.dir={dir}/sw"),
            "command line", "--dask", "'tcp://127.0.0.1:1'",
            "a Dask scheduler that answers within 1 s", cls="sweeper or cluster",
            needs="distributed"),
]  # fmt: skip


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.mark.parametrize("case", COMMAND_CASES, ids=[c.id for c in COMMAND_CASES])
def test_command_refuses(
    case: Command, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """One line, exit 2, and nothing written (not even with --dry-run, not a leftover folder)."""
    from sim.cli import main

    if case.needs:
        pytest.importorskip(case.needs)
    for name, content in case.files:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    before = _tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    with time_limit(60), pytest.raises(SystemExit) as info:
        main([a.replace("{dir}", str(tmp_path)) for a in case.argv])
    out = capsys.readouterr()
    assert info.value.code == 2, out.err
    expected = dataclasses.replace(case, where=case.where.replace("{dir}", str(tmp_path)))
    assert_one_line(expected, out.err, out.out)
    assert _tree(tmp_path) == before


def test_readme_counts_the_command_cases() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    counts = Counter(c.cls for c in COMMAND_CASES)
    assert len({c.id for c in COMMAND_CASES}) == len(COMMAND_CASES)
    line = ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))
    assert f"also checks {len(COMMAND_CASES)} bad commands ({line})" in readme, line
