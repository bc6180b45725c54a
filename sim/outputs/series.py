"""The long series table: one row per (run, month, variable, entity), and queries on it.

A run records its model-level series as named columns (``peace``, ``D_bosniak``,
``peace@tuzla``, ``funded@abc``, ``permission_BA_NL``); here each name becomes a
(variable, entity) pair, so that one variable of every community, watched city or programme
is one filter away, whatever the scenario. ``read_series`` and ``citypeace series`` read the
table back; an unknown variable or entity is one line naming the nearest known one.
"""

from __future__ import annotations

import difflib
import functools
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from sim.errors import ConfigError
from sim.outputs.dictionary import WATCH_VARIABLES

MODEL = "model"  # the entity of a whole-model series
# timeseries columns per community (sim.engine.observe.COMMUNITY_SERIES)
COMMUNITY_VARIABLES = ("D", "S", "C", "needs", "negative_peace", "positive_peace", "peace")


class Labels(NamedTuple):
    """What names a world's series: its communities, alliances and country pairs."""

    communities: Sequence[str]
    alliances: Sequence[str]
    country_pairs: Sequence[tuple[str, str]]


def split_names(names: Mapping[str, Sequence[str]], labels: Labels) -> dict[str, tuple[str, str]]:
    """(variable, entity) of every recorded series name, by the block it was recorded in.

    A name the rules below do not know is a whole-model variable, or ``variable@entity``.
    """
    known: dict[str, tuple[str, str]] = {}
    for aid in labels.alliances:
        known[f"alliance_{aid}"] = ("alliance_state", aid)
        known[f"alliance_{aid}_progress"] = ("alliance_progress", aid)
    pairs = {
        f"{kind}_{a}_{b}": (kind, f"{a}-{b}")
        for a, b in labels.country_pairs
        for kind in ("permission", "hostility")
    }
    communities = {f"{v}_{c}": (v, c) for v in COMMUNITY_VARIABLES for c in labels.communities}
    keys: dict[str, tuple[str, str]] = {}
    for block, block_names in names.items():
        own = pairs if block == "country pairs" else communities if block == "communities" else {}
        for name in block_names:
            if name == "step":
                continue
            if name in own:
                keys[name] = own[name]
            elif name in known:
                keys[name] = known[name]
            elif "@" in name:
                variable, _, entity = name.partition("@")
                keys[name] = (WATCH_VARIABLES.get(variable, variable), entity)
            else:
                keys[name] = (name, MODEL)
    return keys


def long_table(
    run: str,
    months: np.ndarray,
    columns: Sequence[str],
    values: np.ndarray,
    keys: Mapping[str, tuple[str, str]],
) -> Any:
    """The long Arrow table of one run: ``values`` is (months, columns), ``months`` the
    calendar months (months since year 0). Rows go series by series, each in date order."""
    import pyarrow as pa

    from sim.outputs.arrow_arrays import numbers
    from sim.outputs.tables import categorical

    months = np.asarray(months, dtype=np.int64)
    layout = _layout(tuple(columns), tuple(keys.get(c) for c in columns), months.tobytes())
    kept, dates, variables, entities = layout
    return pa.table(
        {
            "run": categorical([run], np.zeros(len(dates), dtype=np.int32)),
            "date": dates,
            "variable": variables,
            "entity": entities,
            "value": numbers(np.ascontiguousarray(values[:, kept].T).reshape(-1)),
        }
    )


@functools.lru_cache(maxsize=4)
def _layout(
    columns: tuple[str, ...], pairs: tuple[tuple[str, str] | None, ...], months: bytes
) -> tuple[np.ndarray, Any, Any, Any]:
    """What a long table's rows share with every run of the same columns and months (a
    sweep's batch, an ensemble): the kept columns, and the date, variable and entity columns
    (Arrow arrays are immutable, so the tables share them). Worked out once: a fifth of a
    batched tuzla run's rows were this, the same for every run."""
    from sim.outputs.tables import categorical, month_dates

    steps = np.frombuffer(months, dtype=np.int64)
    kept = np.array([i for i, pair in enumerate(pairs) if pair is not None], dtype=np.int64)
    chosen = [pairs[i] for i in kept]
    variables = list(dict.fromkeys(v for v, _ in chosen))
    entities = list(dict.fromkeys(e for _, e in chosen))
    var_code = np.array([variables.index(v) for v, _ in chosen], dtype=np.int32)
    ent_code = np.array([entities.index(e) for _, e in chosen], dtype=np.int32)
    m = len(steps)
    return (
        kept,
        month_dates(np.tile(steps, len(kept))),
        categorical(variables, np.repeat(var_code, m)),
        categorical(entities, np.repeat(ent_code, m)),
    )


# ----------------------------------------------------------------------------- reading


def _series_file(path: Path | str) -> Path:
    path = Path(path).absolute()  # messages name the full path
    found = path / "series.parquet" if path.is_dir() else path
    if not found.is_file():
        raise ConfigError(
            "series", "path", str(path), "a run folder with series.parquet, or that file"
        )
    return found


def _check(where: str, key: str, wanted: Iterable[str] | None, known: Sequence[str]) -> list[str]:
    """``wanted`` as a list, each value one of ``known``; else one line with the nearest."""
    if wanted is None:
        return []
    chosen = [wanted] if isinstance(wanted, str) else list(wanted)
    for value in chosen:
        if value not in known:
            near = difflib.get_close_matches(str(value), known, n=1, cutoff=0.5)
            hint = f"did you mean {near[0]!r}? " if near else ""
            shown = list(known) if len(known) <= 12 else [*known[:12], "..."]
            raise ConfigError(where, key, value, f"{hint}one of {shown}")
    return chosen


def read_series(
    path: Path | str,
    variable: str | Iterable[str] | None = None,
    entity: str | Iterable[str] | None = None,
    wide: bool = False,
) -> Any:
    """Rows of ``series.parquet`` (a run folder or the file) for some variables and entities.

    ``variable``/``entity``: one name or several; None for all. An unknown name raises
    :class:`~sim.errors.ConfigError` naming it and the nearest known one. ``wide=True``
    returns one column per (variable, entity) and one row per date instead.
    """
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    file = _series_file(path)
    table = pq.read_table(file)
    where = str(file)
    for key, wanted in (("variable", variable), ("entity", entity)):
        known = sorted(str(v) for v in table.column(key).unique().to_pylist())
        chosen = _check(where, key, wanted, known)
        if chosen:
            codes = table.column(key).cast("string")
            table = table.filter(pc.is_in(codes, value_set=pc.cast(chosen, "string")))
    frame = table.to_pandas(date_as_object=False)
    for key in ("run", "variable", "entity"):
        frame[key] = frame[key].astype(str)
    if wide:
        frame["series"] = frame["variable"].where(
            frame["entity"] == MODEL, frame["variable"] + "@" + frame["entity"]
        )
        return frame.pivot_table(
            index=["run", "date"], columns="series", values="value", sort=False
        ).reset_index()
    return frame.reset_index(drop=True)


USAGE = """\
usage: citypeace series RUN [variable=NAME[,NAME...]] [entity=NAME[,NAME...]] [--wide]
                             [--csv FILE]

Print (or save as CSV) rows of a run's long series table, RUN/series.parquet (or the file).
Variables and entities are listed in docs/outputs.md; `citypeace series RUN --list` lists
those of the run. An unknown name is one line naming the nearest known one, exit code 2.

  citypeace series outputs/tuzla/2026-01-01_10-00-00 variable=peace entity=model,tuzla
"""


def main(args: list[str]) -> int:
    """Entry point of ``citypeace series``."""
    if not args or any(a in ("-h", "--help") for a in args):
        print(USAGE, end="")
        return 0 if args else 2
    path, opts, flags = None, {}, set()
    rest = iter(args)
    for arg in rest:
        key, eq, value = arg.partition("=")
        if arg == "--csv":
            opts["csv"] = next(rest, "")
        elif arg in ("--wide", "--list"):
            flags.add(arg)
        elif eq and key in ("variable", "entity"):
            opts[key] = [v for v in value.split(",") if v]
        elif not eq and path is None and not arg.startswith("-"):
            path = arg
        else:
            allowed = "RUN, variable=..., entity=..., --wide, --list or --csv FILE"
            raise ConfigError("command line", key or arg, value or arg, allowed)
    if path is None:
        raise ConfigError("command line", "RUN", None, "a run folder or series.parquet")
    frame = read_series(path, opts.get("variable"), opts.get("entity"), wide="--wide" in flags)
    if "--list" in flags:
        for key in ("variable", "entity"):
            print(f"{key}: {', '.join(sorted(frame[key].unique()))}")
        return 0
    if "csv" in opts:
        from sim.outputs.atomic import write_text

        write_text(frame.to_csv(index=False), Path(opts["csv"]))
        print(f"citypeace: wrote {opts['csv']} ({len(frame)} rows)")
        return 0
    import pandas as pd

    with pd.option_context("display.max_rows", 60, "display.width", 120):
        sys.stdout.write(frame.to_string(index=False, max_rows=60) + "\n")
    return 0
