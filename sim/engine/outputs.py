"""A batch's outputs as plain arrays, and each replicate's tidy frames built from them.

:class:`Outputs` holds what a finished (or running) batch recorded: the (R, months, series)
blocks of model-level series, the city-level rows, the events and the project log, and the
world's labels (:class:`Static`). It holds no model and pickles cheaply, so a worker process
can hand a whole batch back. Tables are built per replicate only when asked for, as Arrow
tables from the arrays (``*_table``, what a run writes: no pandas) or as pandas frames (pandas
is imported only for those).

The wide time series has the same columns under every policy of a scenario: a programme that
only another policy has is a ``funded@<id>`` column of zeros (it never pays in this run).
"""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.outputs.dictionary import TABLES
from sim.outputs.series import Labels, long_table, split_names
from sim.scenario.dates import format_month

EVENT_COLUMNS = ["step", "date", "type", "detail", "source", "assumption", "origin"]
STATUS_NAMES = ("active", "completed", "interrupted")
CITY_KEYS = ["step", "date", "id", "country", "community"]
_FUNDED = "funded@"

if TYPE_CHECKING:  # pandas: only for the frame methods (a run writes Arrow tables)
    import pandas as pd


@dataclass
class Static:
    """A world's labels for its tables, the same for every replicate (see :func:`static_of`)."""

    series: Labels
    programmes: list[str]  # funded@ columns: every programme of every policy, in order
    countries: list[str]
    communities: list[str]
    city_country: np.ndarray  # codes into countries, by city row
    city_community: np.ndarray  # codes into communities (-1: none), by city row
    actors: Any  # the actors table (pandas, or Arrow from a stored scenario)


@dataclass
class Outputs:
    """Everything a batch recorded (see the module docstring)."""

    start: int  # the scenario's first month (months since year 0)
    ids: np.ndarray  # actor ids by row
    rows: int  # months recorded
    names: dict[str, list[str]]  # block -> its series
    blocks: dict[str, np.ndarray]  # block -> (R, months, series)
    city_sample: np.ndarray
    city_chunks: list[dict[str, Any]]
    city_columns: list[str]
    events: list[tuple[int, dict[str, Any]]]  # (replicate, or -1 for every one; row)
    projects: dict[str, np.ndarray]  # the project log's columns, with ``replicate``
    failed: dict[int, str] = field(default_factory=dict)
    static: Static | None = None

    def date_of(self, step: int) -> str:
        return format_month(self.start + step)

    # ------------------------------------------------------------------ model-level series

    @functools.cached_property
    def _columns(self) -> tuple[list[str], np.ndarray]:
        """The wide table's column names, and for each the column of the blocks side by side
        that holds its values (the blocks' width: a column of zeros). The same for every
        replicate, so worked out once per batch."""
        names = [name for key in self.blocks for name in self.names[key]]
        source = np.arange(len(names))
        if len(set(names)) != len(names):  # a name in two blocks: the later block's values
            last = {name: i for i, name in enumerate(names)}
            first = list(dict.fromkeys(names))
            names, source = first, np.array([last[n] for n in first], dtype=np.int64)
        if self.static is not None:
            zero = sum(len(self.names[key]) for key in self.blocks)  # after the blocks
            names, source = _stable_programmes(names, source, self.static.programmes, zero)
        return names, source

    def _wide(self, replicate: int) -> tuple[list[str], np.ndarray]:
        """Column names and (months, columns) values, ``step`` first, programmes stable."""
        names, source = self._columns
        blocks = [block[replicate, : self.rows] for block in self.blocks.values()]
        data = np.concatenate([*blocks, np.zeros((self.rows, 1))], axis=1)
        return names, data[:, source]

    @functools.cached_property
    def _dates(self) -> np.ndarray:
        """The date of each recorded month ('YYYY-MM' numpy text), as the wide table's date
        column: the recorded steps are the same in every replicate."""
        steps = self.blocks["model"][0, : self.rows, self.names["model"].index("step")]
        return np.array([self.date_of(int(s)) for s in steps], dtype=str)

    def timeseries(self, replicate: int = 0) -> pd.DataFrame:
        """One replicate's model-level series, one row per month, with a date column."""
        import pandas as pd

        if not self.rows:  # before the first month: an empty frame with the key columns
            return pd.DataFrame({"step": pd.Series(dtype=np.int64), "date": pd.Series(dtype=str)})
        names, data = self._wide(replicate)
        frame = pd.DataFrame(data, columns=names)
        frame["step"] = frame["step"].astype(np.int64)
        frame.insert(1, "date", pd.Series(self._dates.tolist()))
        return frame

    def timeseries_columns(self, replicate: int = 0) -> dict[str, np.ndarray]:
        """:meth:`timeseries` as its columns' arrays, in its order ('YYYY-MM' dates as numpy
        text), without building the frame: the command writes and draws these."""
        if not self.rows:
            return {"step": np.zeros(0, dtype=np.int64), "date": np.zeros(0, dtype=str)}
        names, data = self._wide(replicate)
        by_column = np.ascontiguousarray(data.T)  # each column one contiguous row
        columns = {"step": by_column[names.index("step")].astype(np.int64),
                   "date": self._dates}  # fmt: skip
        columns.update((name, by_column[i]) for i, name in enumerate(names) if name != "step")
        return columns

    def series_keys(self) -> dict[str, tuple[str, str]]:
        """(variable, entity) of every series column of the wide table."""
        labels = self.static.series if self.static else Labels([], [], [])
        names = dict(self.names)
        if self.static is not None:
            names["programmes"] = [_FUNDED + p for p in self.static.programmes]
        return split_names(names, labels)

    def series_table(self, replicate: int = 0, run: str = "") -> Any:
        """One replicate's long series table (Arrow): run, date, variable, entity, value."""
        names, data = self._wide(replicate) if self.rows else (["step"], np.zeros((0, 1)))
        months = self.start + np.arange(data.shape[0], dtype=np.int64)
        return long_table(run, months, names, data, self.series_keys())

    def series(self, replicate: int = 0, run: str = "") -> pd.DataFrame:
        """One replicate's long series frame (see :meth:`series_table`)."""
        return self.series_table(replicate, run).to_pandas(date_as_object=False)

    # ------------------------------------------------------------------ city rows and logs

    def cities_table(self, replicate: int = 0, dates: bool = False) -> Any:
        """One replicate's city-level rows as an Arrow table, with country and community;
        ``date``: 'YYYY-MM' text, or with ``dates`` a date32 (the month's first day, as
        ``cities.parquet`` has it)."""
        import pyarrow as pa

        from sim.outputs.arrow_arrays import numbers, text
        from sim.outputs.tables import month_dates, repeated_text

        columns = [*CITY_KEYS, *(c for c in TABLES["cities"] if c not in CITY_KEYS)]
        if not self.city_chunks:
            types = {c: pa.string() for c in ("date", "id", "country", "community")}
            types.update(step=pa.int64(), **({"date": pa.date32()} if dates else {}))
            return pa.table({c: pa.nulls(0, types.get(c, pa.float64())) for c in columns})
        # One Arrow chunk per recorded month, wrapping the recorder's arrays without a copy;
        # the text columns repeat one array per chunk (a copy would cost more than the model
        # on 10,000 cities).
        size, n = self.city_sample.size, len(self.city_chunks)
        steps = np.array([chunk["step"] for chunk in self.city_chunks], dtype=np.int64)
        texts = [self.date_of(int(s)) for s in steps]
        ids = [str(i) for i in self.ids[self.city_sample]]
        arrays: dict[str, Any] = {
            "step": numbers(np.repeat(steps, size)),
            "date": month_dates(np.repeat(self.start + steps, size))
            if dates
            else repeated_text(texts, np.repeat(np.arange(n, dtype=np.int32), size)),
            "id": pa.chunked_array([text(ids)] * n),
        }
        if self.static is not None:
            st = self.static
            for name, labels, codes in (
                ("country", st.countries, st.city_country),
                ("community", st.communities, st.city_community),
            ):
                arrays[name] = pa.chunked_array(
                    [repeated_text(labels, codes[self.city_sample])] * n
                )
        for name in self.city_chunks[0]:
            if name != "step":
                arrays[name] = pa.chunked_array(
                    [numbers(chunk[name][replicate]) for chunk in self.city_chunks]
                )
        return pa.table(arrays)

    def cities(self, replicate: int = 0) -> pd.DataFrame:
        """One replicate's city-level rows."""
        return self.cities_table(replicate).to_pandas()

    def actors_table(self) -> Any:
        """The actors table (Arrow): every actor of the run's world, with its initial state."""
        return self._actors  # the same for every replicate: a sweep's batch builds it once

    @functools.cached_property
    def _actors(self) -> Any:
        import pyarrow as pa

        from sim.outputs.arrow_arrays import table, text
        from sim.outputs.tables import from_frame

        if self.static is None:
            return pa.table({"id": text([str(i) for i in self.ids])})
        try:  # a frame (a scenario read now) and numpy columns (a stored one) alike
            return table(self.static.actors)
        except (TypeError, ValueError):  # a column of another kind: pandas converts it
            return from_frame(self.static.actors)

    def events_frame(self, replicate: int = 0) -> pd.DataFrame:
        """Scenario events and one replicate's own events, in the order they happened."""
        import pandas as pd

        rows = [row for r, row in self.events if r in (-1, replicate)]
        return pd.DataFrame(rows, columns=EVENT_COLUMNS)

    def events_columns(self, replicate: int = 0) -> dict[str, list[Any]]:
        """:meth:`events_frame` as its columns (lists of values), without pandas."""
        rows = [row for r, row in self.events if r in (-1, replicate)]
        return {c: [row.get(c) for row in rows] for c in EVENT_COLUMNS}

    def events_table(self, replicate: int = 0) -> Any:
        """:meth:`events_frame` as an Arrow table: ``step`` int64, ``date`` a date32 (the
        month's first day), the others text; the frame's own conversion where a value is not
        text."""
        import pyarrow as pa

        from sim.outputs.arrow_arrays import numbers, text
        from sim.outputs.tables import month_text_dates

        columns = self.events_columns(replicate)
        kinds = {"step": lambda v: numbers(np.array(v, dtype=np.int64)),
                 "date": lambda v: month_text_dates(np.array(v, dtype=str))}  # fmt: skip
        try:
            return pa.table({c: kinds.get(c, text)(v) for c, v in columns.items()})
        except (TypeError, ValueError):
            from sim.outputs.tables import from_frame

            frame = self.events_frame(replicate)
            frame["date"] = month_text_dates(frame["date"].to_numpy(dtype=str)).to_pandas()
            return from_frame(frame)

    def activities_table(self, replicate: int = 0) -> Any:
        """:meth:`activities` as an Arrow table, built from the log's arrays: ids and channel
        as text decoded from codes (``sim.outputs.tables.repeated_text``), status
        dictionary-encoded (int8 codes, as pandas' Categorical writes it), ``start_date`` a
        date32 (the month's first day)."""
        import pyarrow as pa

        from sim.outputs.arrow_arrays import numbers, text
        from sim.outputs.tables import month_dates, repeated_text

        log = self.projects
        mine = log["replicate"] == replicate
        col = {k: v[mine] for k, v in log.items()}
        ids = [str(i) for i in self.ids]
        made = {
            "provider": repeated_text(ids, col["provider"]),
            "recipient": repeated_text(ids, col["recipient"]),
            "status": pa.DictionaryArray.from_arrays(
                numbers(col["status"].astype(np.int8)), text(list(STATUS_NAMES))
            ),
            "pillar": repeated_text(["development"], np.zeros(mine.sum(), dtype=np.int32)),
            "channel": repeated_text(["direct", "io"], col["io_channel"].astype(np.int32)),
            "start_date": month_dates(self.start + col["start"]),
        }
        names = [k for k in log if k not in ("replicate", "io_channel", "programme")]
        names += ["pillar", "channel", "start_date"]
        return pa.table({k: made[k] if k in made else numbers(col[k]) for k in names})

    def activities(self, replicate: int = 0) -> pd.DataFrame:
        """One replicate's development project log."""
        import pandas as pd

        log = self.projects
        mine = log["replicate"] == replicate
        frame = pd.DataFrame({k: v[mine] for k, v in log.items() if k != "replicate"})
        frame["provider"] = self.ids[frame["provider"].to_numpy()] if len(frame) else []
        frame["recipient"] = self.ids[frame["recipient"].to_numpy()] if len(frame) else []
        frame["status"] = pd.Categorical.from_codes(frame["status"].astype(int), STATUS_NAMES)
        frame["pillar"] = "development"
        frame["channel"] = np.where(frame["io_channel"], "io", "direct")
        frame["start_date"] = [self.date_of(s) for s in frame["start"]]
        return frame.drop(columns=["io_channel", "programme"])


def _stable_programmes(
    names: list[str], source: np.ndarray, programmes: list[str], zero: int
) -> tuple[list[str], np.ndarray]:
    """``funded@`` columns for every programme in ``programmes`` order (the column ``zero``, of
    zeros, where the run's policy lacks one), where the run's own ``funded@`` columns were;
    ``source`` is each name's column in the blocks side by side."""
    own = [i for i, n in enumerate(names) if n.startswith(_FUNDED)]
    wanted = [_FUNDED + p for p in programmes]
    if [names[i] for i in own] == wanted:
        return names, source
    at = own[0] if own else names.index("programmes_funded") + 1 if "programmes_funded" in names \
        else len(names)  # fmt: skip
    index = {names[i]: i for i in own}
    rest = [i for i in range(len(names)) if i not in set(own)]
    before, after = [i for i in rest if i < at], [i for i in rest if i >= at]
    funded = [source[index[c]] if c in index else zero for c in wanted]
    order = np.concatenate([source[before], np.array(funded, dtype=np.int64), source[after]])
    return [names[i] for i in before] + wanted + [names[i] for i in after], order


def static_of(world: Any) -> Static:
    """The labels of a world's tables, built once per world (worlds are not changed)."""
    cached = world.__dict__.get("_output_static")
    if cached is None:
        cached = world.__dict__["_output_static"] = _build_static(world)
    return cached


def _build_static(world: Any) -> Static:
    case = world.case
    n = world.n_cities
    i, j = world.country_pairs
    pairs = (
        [(case.countries[a], case.countries[b]) for a, b in zip(i, j, strict=True)]
        if world.n_countries <= 12
        else []
    )
    return Static(
        series=Labels(list(case.communities), list(world.alliance_ids), pairs),
        programmes=every_programme(case, list(world.programme_ids)),
        countries=list(case.countries),
        communities=list(case.communities),
        city_country=np.asarray(world.city_country[:n], dtype=np.int64),
        city_community=np.asarray(world.city_community[:n], dtype=np.int64),
        actors=_actors_frame(world.actor_frame),
    )


def _actors_frame(actors: Any) -> Any:
    """The actors table: the dictionary's columns first, then any others (a pandas frame, or
    a mapping of numpy columns as a stored scenario has it)."""
    names = list(actors.keys() if isinstance(actors, dict) else actors.columns)
    known = [c for c in TABLES["actors"] if c in names]
    order = known + [c for c in names if c not in known]
    if isinstance(actors, dict):
        return {c: actors[c] for c in order}
    return actors[order].copy().reset_index(drop=True)


# Programme ids of a scenario folder's every policy, handed over by a caller that has them
# (the command line's stored scenario, sim.cli.scenario_cache), by (folder, stamp).
_REMEMBERED: dict[tuple[str, tuple], tuple[str, ...]] = {}


def _stamp(folder: Path) -> tuple:
    return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.iterdir()))


def remember_programmes(folder: Path, ids: list[str]) -> None:
    """The programme ids of every policy of the scenario in ``folder`` (as
    :func:`every_programme` finds them), known to the caller: not read again while the
    folder's files are unchanged."""
    with contextlib.suppress(OSError):  # a folder gone: read as before, if ever asked
        _REMEMBERED[(str(folder), _stamp(folder))] = tuple(ids)


@functools.lru_cache(maxsize=64)
def _policy_programmes(folder: str, stamp: tuple) -> tuple[str, ...]:
    """Programme ids of a scenario's baseline, then those its policies add, in file order."""
    from sim.scenario.loader import load_scenario
    from sim.scenario.policies import read_policies

    path = Path(folder)
    ids = [q["id"] for q in load_scenario(path, frames=False).programmes]  # no pandas needed
    for policy in read_policies(path).values():
        ids += [p.id for p in policy.add_programmes]
    return tuple(dict.fromkeys(ids))


def every_programme(case: Any, own: list[str]) -> list[str]:
    """The ``funded@`` programmes of every policy of ``case``'s scenario (``own`` for a
    scenario without a folder, such as the synthetic one)."""
    folder = getattr(case, "folder", None)
    if folder is None:
        return own
    try:
        stamp = _stamp(folder)
        known = _REMEMBERED.get((str(folder), stamp))
        ids = list(known if known is not None else _policy_programmes(str(folder), stamp))
    except Exception:  # noqa: BLE001 - a folder changed under the run: its own columns
        return own
    return ids + [p for p in own if p not in ids]
