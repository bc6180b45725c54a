"""The data dictionary: every variable and column a run writes, with its unit and meaning.

One source for three readers: ``dictionary.csv`` in every run folder, ``docs/outputs.md``
(generated: ``python -m sim.outputs.dictionary > docs/outputs.md``; tests/test_outputs.py
checks it is up to date) and the per-column Arrow field metadata of each table. A test runs
every shipped scenario and fails on any variable or column written without an entry here.
"""

from __future__ import annotations

import sys

from sim.outputs.units import (
    COUNT,
    DEGREES,
    ID,
    INDEX,
    MONEY,
    MONEY_TOTAL,
    MONTH,
    PEOPLE,
    SHARE,
    STEP,
    TEXT,
    Entry,
    by_pillar,
)

# The long series table's ``variable`` values. Entity ``model`` is the whole scenario; other
# entities are named in ENTITIES.
SERIES_RECIPIENTS = Entry(
    INDEX,
    "as the variable without the suffix, population-weighted "
    "over the recipient cities (the scenario's focus list; without one, "
    "any programme's targets)",
)
SERIES_DIVIDED = Entry(
    INDEX,
    "as the variable without the suffix, population-weighted over "
    "the cities of communities in a divide",
)
SERIES: dict[str, Entry] = {
    "D": Entry(
        INDEX,
        "direct violence (Galtung); population-weighted over cities for a community or the model",
    ),
    "S": Entry(INDEX, "structural violence (Galtung); population-weighted as D"),
    "C": Entry(INDEX, "cultural violence (Galtung); population-weighted as D"),
    "D_mean": Entry(INDEX, "direct violence, unweighted mean over cities"),
    "S_mean": Entry(INDEX, "structural violence, unweighted mean over cities"),
    "C_mean": Entry(INDEX, "cultural violence, unweighted mean over cities"),
    "negative_peace": Entry(INDEX, "negative peace, 1 - D (Galtung); population-weighted"),
    "positive_peace": Entry(INDEX, "positive peace, sqrt((1 - S)(1 - C)); population-weighted"),
    "peace": Entry(INDEX, "overall peace, cbrt((1 - D)(1 - S)(1 - C)); population-weighted"),
    "needs": Entry(INDEX, "unmet humanitarian needs; population-weighted"),
    "capacity": Entry(INDEX, "local capacity; population-weighted"),
    "cohesion": Entry(INDEX, "social cohesion; population-weighted"),
    "participation": Entry(INDEX, "citizen participation in exchanges; population-weighted"),
    "displaced": Entry(PEOPLE, "displaced people (a sum over cities)"),
    "population": Entry(PEOPLE, "residents present (a sum over cities)"),
    **{
        f"{v}_recipients": SERIES_RECIPIENTS
        for v in ("D", "S", "C", "needs", "capacity", "negative_peace", "positive_peace", "peace")
    },
    **{f"{v}_divided": SERIES_DIVIDED for v in ("negative_peace", "positive_peace", "peace")},
    **{
        f"ladder_{stage}": Entry(SHARE, f"share of city-city ties at the ladder stage '{stage}'")
        for stage in ("friendship", "projects", "economic", "political")
    },
    "mutual_benefit": Entry(
        INDEX,
        "mean mutual benefit of city-city ties (the ladder's moving average of joint outcomes)",
    ),
    "fled": Entry(PEOPLE, "a city's own people who fled it and may return (a sum over cities)"),
    "received_funds": Entry(MONEY, "money a watched city received this month, all pillars"),
    "cross_divide_trust": Entry(INDEX, "mean trust of active ties across a divide (0 if none)"),
    "cross_divide_ties": Entry(
        COUNT, "active ties across a divide (what cross_divide_trust averages)"
    ),
    "delegates_trust": Entry(INDEX, "mean delegates' (middle-range) trust of those ties"),
    "horizontal_integration": Entry(INDEX, "Lederach: middle-range ties across divides"),
    "vertical_integration": Entry(INDEX, "Lederach: participation x trust of ties to upper levels"),
    "vertical_integration_recipients": Entry(
        INDEX,
        "vertical integration v_i, population-weighted over the recipient cities (as the other "
        "*_recipients series; vertical_integration is the unweighted mean over every city)",
    ),
    "projects_active_development": Entry(COUNT, "development projects under way"),
    "projects_started_development": Entry(COUNT, "development projects started this month"),
    "projects_completed_development": Entry(COUNT, "development projects completed this month"),
    "projects_interrupted_development": Entry(COUNT, "development projects interrupted this month"),
    **by_pillar("flows_{p}", COUNT, "ties that delivered {p} work this month"),
    **by_pillar("funds_{p}_direct", MONEY, "{p} money delivered by providers that are not IOs"),
    **by_pillar("funds_{p}_io", MONEY, "{p} money delivered by international organisations"),
    **by_pillar("funds_{p}", MONEY, "{p} money delivered (scoped to a programme or tie type)"),
    "funds_total": Entry(MONEY, "money delivered this month, every pillar and channel"),
    "io_share": Entry(SHARE, "share of the month's money delivered by IOs"),
    "offers_accepted": Entry(COUNT, "offers recipients accepted this month"),
    "offers_declined": Entry(COUNT, "offers recipients declined this month"),
    **by_pillar(
        "gate_open_{p}",
        SHARE,
        "share of cross-border carrying ties open to {p} work (1 where there are none)",
    ),
    "programmes_funded": Entry(COUNT, "programmes paying this month"),
    "funded": Entry(
        SHARE,
        "1 while the programme pays, 0 otherwise (0 throughout when the "
        "run's policy does not have it)",
    ),
    "alliance_state": Entry(
        "state code: 0 proposed, 1 negotiating, 2 founded, 3 active, 4 suspended, 5 dissolved",
        "the alliance's state",
    ),
    "alliance_progress": Entry(INDEX, "progress towards the alliance's next state"),
    "hostility_max": Entry(INDEX, "highest national hostility over country pairs"),
    "sanctioned_countries": Entry(COUNT, "countries under sanctions"),
    "permission": Entry(
        "level: 0 closed, 1 humanitarian, 2 open",
        "the lower of the two governments' permissions toward each other",
    ),
    "hostility": Entry(INDEX, "national hostility between the two countries"),
    "trust": Entry(INDEX, "mean trust of the ties named by the entity (a pattern's series)"),
}

ENTITIES = {
    "model": "the whole scenario",
    "<community>": "a community (population-weighted over its cities): D, S, C, needs and the "
    "peace indices",
    "<actor>": "a city in the scenario's watch list: its own values",
    "<programme>": "a programme: funded",
    "<alliance>": "an alliance: alliance_state, alliance_progress",
    "<country>-<country>": "a pair of countries: permission, hostility",
    "programme:<id>, tie_type:<type>, <a>-><b>, <a><-><b>": "a scope a pattern asks for",
}

_CITY = {
    "D": Entry(INDEX, "direct violence"),
    "S": Entry(INDEX, "structural violence"),
    "C": Entry(INDEX, "cultural violence"),
    "needs": SERIES["needs"]._replace(description="unmet humanitarian needs"),
    "capacity": SERIES["capacity"]._replace(description="local capacity"),
    "cohesion": SERIES["cohesion"]._replace(description="social cohesion"),
    "participation": SERIES["participation"]._replace(description="citizen participation"),
    "displaced": Entry(PEOPLE, "displaced people"),
    "population": Entry(PEOPLE, "residents present"),
    "fled": Entry(PEOPLE, "the city's own people who fled it and may return"),
    "negative_peace": Entry(INDEX, "negative peace, 1 - D"),
    "positive_peace": Entry(INDEX, "positive peace, sqrt((1 - S)(1 - C))"),
    "peace": Entry(INDEX, "overall peace, cbrt((1 - D)(1 - S)(1 - C))"),
    **by_pillar("received_{p}", MONEY, "{p} money the city received this month"),
}

# Every table's columns; every table's ``date`` is a real date (Arrow date32, the month's first
# day). In memory, ``PeaceModel.timeseries()`` keeps its 'YYYY-MM' text.
TABLES: dict[str, dict[str, Entry]] = {
    "series": {
        "run": Entry(ID, "the run: its config hash (the folder name in a sweep)"),
        "date": Entry(MONTH, "the simulated month (its first day)"),
        "variable": Entry(TEXT, "what is measured: one of the variables below"),
        "entity": Entry(
            TEXT,
            "what it is measured on: 'model', a community, a watched city, "
            "a programme, an alliance or a country pair",
        ),
        "value": Entry("the variable's unit", "the value"),
    },
    "timeseries": {
        "step": Entry(STEP, "the simulated month, counted from 0"),
        "date": Entry(MONTH, "the simulated month (its first day)"),
        "<variable>": Entry("the variable's unit", "a variable of the whole model"),
        "<variable>_<community>": Entry(
            "the variable's unit", "D, S, C, needs or a peace index of one community"
        ),
        "<metric>@<actor>": Entry(
            "the metric's unit",
            "a watched city's own value "
            "(direct_violence, structural_violence and "
            "cultural_violence are D, S and C)",
        ),
        "funded@<programme>": SERIES["funded"],
        "alliance_<id>, alliance_<id>_progress": SERIES["alliance_state"]._replace(
            description="an alliance's state code and progress"
        ),
        "permission_<a>_<b>, hostility_<a>_<b>": Entry(
            "as permission, hostility", "a country pair's gate and hostility"
        ),
    },
    "cities": {
        "step": Entry(STEP, "the simulated month, counted from 0"),
        "date": Entry(MONTH, "the simulated month (its first day)"),
        "id": Entry(ID, "the city's actor id"),
        "country": Entry(ID, "the city's country"),
        "community": Entry(ID, "the city's community (null if none)"),
        **_CITY,
    },
    "actors": {
        "id": Entry(ID, "the actor's id"),
        "type": Entry(TEXT, "municipality, national_government, ngo or international_organisation"),
        "name": Entry(TEXT, "display name"),
        "country": Entry(ID, "the actor's country"),
        "community": Entry(ID, "the actor's community (null if none)"),
        "level": Entry(TEXT, "Lederach level: top, middle or grassroots"),
        "kind": Entry(TEXT, "an international organisation's kind (null for others)"),
        "lat": Entry(DEGREES, "latitude (display only)"),
        "lon": Entry(DEGREES, "longitude (display only)"),
        "population": Entry(PEOPLE, "a city's population (0 for other actors)"),
        "displaced": Entry(PEOPLE, "displaced people at the start"),
        "fled": Entry(PEOPLE, "the city's own people who had fled it, at the start"),
        "active_from": Entry(STEP, "first month the actor is active"),
        "active_to": Entry(STEP, "last month the actor is active (10^9: no end)"),
        "direct_violence": Entry(INDEX, "D at the start"),
        "structural_violence": Entry(INDEX, "S at the start"),
        "cultural_violence": Entry(INDEX, "C at the start"),
        "needs": Entry(INDEX, "needs at the start"),
        "capacity": Entry(INDEX, "capacity at the start"),
        "cohesion": Entry(INDEX, "cohesion at the start"),
        "participation": Entry(INDEX, "participation at the start (before participation_scale)"),
        "will": Entry(INDEX, "political will at the start"),
        "diversity": Entry(INDEX, "0 = one community, up to 1 = evenly mixed"),
        "resources": Entry(MONEY, "money offered for outward cooperation"),
        "neutrality": Entry(INDEX, "neutrality (mediators)"),
        "conflict_sensitivity": Entry(INDEX, "conflict sensitivity ('do no harm')"),
        "risk_tolerance": Entry(INDEX, "a funder's tolerance of programme risk"),
        "sanction_exempt": Entry("true or false", "an IO whose work sanctions do not stop"),
        "expertise": Entry(INDEX, "a city's or NGO's know-how: fewer of its projects fail"),
        "steady_capacity": Entry(INDEX, "capacity in peace without aid at the start (empty: K_0)"),
        "represents": Entry(
            COUNT, "organisations the actor stands for (recorded, read by no rule)"
        ),
        **by_pillar("mandate_{p}", INDEX, "weight of the {p} pillar in the actor's mandate"),
    },
    "events": {
        "step": Entry(STEP, "the month of the event, counted from 0"),
        "date": Entry(MONTH, "the month of the event (its first day)"),
        "type": Entry(
            TEXT,
            "the event type (docs/scenario-format.md), or a model event: "
            "grant_paid, grant_refused, alliance transitions, intervention",
        ),
        "detail": Entry(TEXT, "what the event did"),
        "source": Entry(TEXT, "file:line in the source reports (docs/sources.md)"),
        "assumption": Entry(TEXT, "the assumption made where the sources are silent"),
        "origin": Entry(TEXT, "scenario, model or user"),
    },
    "activities": {
        "tie": Entry(ID, "the tie's row in the scenario's tie list"),
        "provider": Entry(ID, "the providing actor"),
        "recipient": Entry(ID, "the receiving actor"),
        "start": Entry(STEP, "the month the project started, counted from 0"),
        "end": Entry(STEP, "the month it ended (-1 while active)"),
        "duration": Entry("months", "planned duration"),
        "progress": Entry(INDEX, "share of the project done"),
        "spent": Entry(MONEY_TOTAL, "money spent on it so far"),
        "built": Entry(MONEY_TOTAL, "value left built: spent, less works under way if interrupted"),
        "status": Entry(TEXT, "active, completed or interrupted"),
        "pillar": Entry(TEXT, "development (projects exist for that pillar only)"),
        "channel": Entry(TEXT, "direct, or io (an international organisation provides)"),
        "start_date": Entry(MONTH, "the month it started (its first day)"),
    },
}

# timeseries.parquet's per-actor metric names, and the series variable each one is.
WATCH_VARIABLES = {
    "direct_violence": "D",
    "structural_violence": "S",
    "cultural_violence": "C",
}


def unit(variable: str) -> str | None:
    """The unit of a series variable (None when it has no entry)."""
    entry = SERIES.get(variable)
    return entry.unit if entry else None


def column_entry(table: str, column: str) -> Entry | None:
    """A table column's entry (None when it has none)."""
    return TABLES.get(table, {}).get(column)


def rows() -> list[dict[str, str]]:
    """The dictionary as rows (table, name, unit, description): tables first, then variables."""
    out = [
        {"table": table, "name": name, "unit": e.unit, "description": e.description}
        for table, columns in TABLES.items()
        for name, e in columns.items()
    ]
    out += [
        {"table": "series.variable", "name": name, "unit": e.unit, "description": e.description}
        for name, e in sorted(SERIES.items())
    ]
    return out


def csv_text() -> str:
    """``dictionary.csv``: one row per table column and per series variable."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.DictWriter(buf, ["table", "name", "unit", "description"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows())
    return buf.getvalue()


# The files of a run folder, as docs/outputs.md lists them.
FILES = [
    (
        "`series.parquet`",
        "the model-level series, long and tidy: `run`, `date`, `variable`, `entity`, `value`",
    ),
    (
        "`timeseries.parquet`",
        "the same series wide, one row per month, one column per series; the same columns "
        "for every policy of a scenario",
    ),
    (
        "`cities.parquet`",
        "city rows every `output.cities_every` months for at most `output.cities_max` "
        "cities, with country and community",
    ),
    ("`actors.parquet`", "every actor of the run's scenario and policy, with its initial state"),
    (
        "`events.parquet`",
        "scenario events applied, and model events (grants, alliance transitions, interventions)",
    ),
    ("`activities.parquet`", "the development project log (when `output.activities`)"),
    (
        "`dictionary.csv`",
        "this dictionary: every table's columns and every series variable, with units",
    ),
    (
        "`config.yaml`, `provenance.json`",
        "the resolved config; versions, git commit and dirty flag, config hash, seed, levers",
    ),
    ("`dashboard.png`", "a one-page picture of the run (when `output.dashboard`)"),
]


_INTRO = """\
# Outputs of a run

<!-- Generated by `python -m sim.outputs.dictionary > docs/outputs.md`; edit
sim/outputs/dictionary.py instead. tests/test_outputs.py checks that this file is current. -->

A run (`citypeace scenario=...`) writes one folder, `outputs/<scenario>/<time>/` (a sweep:
one folder per run, named by its config hash). Every file is written atomically.

{files}

Every Parquet table carries the run's provenance in its file metadata (key
`citypeace.provenance`, JSON: versions of citypeace, mesa, numpy, pandas, pyarrow,
hydra-core and more, the git commit and whether the tree was dirty, the config hash and the
seed), and each column's unit and description in its Arrow field metadata (`unit`,
`description`). Read them back with `sim.outputs.provenance.read(path)` or
`pyarrow.parquet.read_schema(path)`.

Every `date` column is a real date, an Arrow `date32` holding the month's first day:
`pd.read_parquet` returns `datetime.date` values (`pd.to_datetime` makes them a datetime
column), polars a `Date`, DuckDB a `DATE`. In memory, `PeaceModel.timeseries()` keeps the
month as `'YYYY-MM'` text.

The tables are built from the run's arrays without pandas. Files written before had
`cities.date`, `events.date`, `activities.start_date` as `'YYYY-MM'` text; text as `large_string`
(now `string`) with pandas' schema metadata (key `pandas`) in activities and in the actors of
synthetic and croatia_twinnings; activities' ids and month as `double` when empty; an actors
column empty in every row (croatia_twinnings' `kind`) as Arrow's `null` type (now `string`).

Query the long table with `citypeace series <run folder> variable=peace entity=model` or
`sim.outputs.read_series(path, variable="peace", entity="model")`; an unknown variable or
entity is one line naming the nearest known one, exit code 2.

Money is in abstract units per month; one unit is about EUR 1,000 (docs/ODD.md).
"""


def markdown() -> str:
    """``docs/outputs.md``."""
    table = ["| file | what |", "| --- | --- |", *(f"| {f} | {what} |" for f, what in FILES)]
    lines = [_INTRO.replace("{files}", "\n".join(table))]
    for table, columns in TABLES.items():
        lines += [f"## `{table}.parquet`", "", "| column | unit | meaning |", "| --- | --- | --- |"]
        lines += [f"| `{n}` | {e.unit} | {e.description} |" for n, e in columns.items()]
        lines.append("")
    lines += ["## Series variables", "", "The `variable` values of `series.parquet`.", ""]
    lines += ["| variable | unit | meaning |", "| --- | --- | --- |"]
    lines += [f"| `{n}` | {e.unit} | {e.description} |" for n, e in sorted(SERIES.items())]
    lines += ["", "## Entities", "", "| entity | what |", "| --- | --- |"]
    lines += [f"| `{n}` | {what} |" for n, what in ENTITIES.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(markdown())
