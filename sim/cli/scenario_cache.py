"""Validated scenarios kept on disk, so that a repeated command neither imports the scenario
format's checks (pydantic) nor validates the same files again.

The key is made of the scenario folder (and whether it was given by its path), the policy and
horizon, every ``.yaml`` and ``.csv``
file's name and bytes (the files the loader reads), and the code stamp of the plan cache
(citypeace's version and its Python files: ``sim.cli.run_cache``). Validation depends on
nothing else, so a stored scenario is one that validated with exactly those files and that
code: a changed file is a new key and is checked in full, and its problem is its one line
as ever. Nothing but a scenario that validated is stored.

A scenario is stored as JSON: its tables column by column with their dtypes, tuples and paths
tagged (no pickle). The tables read back as mappings of numpy columns (numbers, booleans,
and text as objects), so that a repeated run imports no pandas (a quarter of a second:
``sim.engine.table_columns`` reads either kind); a scenario is stored only if it reads back
equal: each table as the same Arrow table (what ``actors.parquet`` gets; NaN equal to NaN)
and the same arrays for the engine, the rest with the same types all the way down. With it go the
programme ids of every policy of the scenario (the wide table's ``funded@`` columns), so the
outputs need not read the policies either. Kept next to the plans (``scenarios/``);
``CITYPEACE_CACHE=0`` turns both off.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import sys
from pathlib import Path
from typing import Any

from sim.cli import run_cache
from sim.scenario.case import Scenario

FORMAT = 1
_TAGS = ("__tuple__", "__path__", "__frame__")


class _NotPlain(TypeError):
    """A value the JSON form does not hold exactly (the scenario is then not stored)."""


def _encode(value: Any) -> Any:
    import numpy as np

    pd = sys.modules.get("pandas")  # a frame only if pandas is in use: never imported here
    if value is None or type(value) in (str, int, float, bool):
        return value
    if type(value) is tuple:
        return {"__tuple__": [_encode(v) for v in value]}
    if type(value) is list:
        return [_encode(v) for v in value]
    if type(value) is dict:
        if not all(type(k) is str and k not in _TAGS for k in value):
            raise _NotPlain("a mapping with a key that is not plain text")
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, Path):
        return {"__path__": str(value)}
    if pd is not None and isinstance(value, pd.DataFrame):
        if not isinstance(value.index, pd.RangeIndex) or value.index.start != 0:
            raise _NotPlain("a table with an index of its own")
        columns = {}
        for name in value.columns:
            column = value[name]
            values = column.to_numpy(dtype=object)
            plain = [None if isinstance(v, float) and math.isnan(v) and column.dtype.kind != "f"
                     else v.item() if isinstance(v, np.generic) else v for v in values]  # fmt: skip
            columns[str(name)] = {"dtype": str(column.dtype), "values": plain}
        return {"__frame__": columns}
    raise _NotPlain(type(value).__name__)


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__tuple__" in value:
        return tuple(_decode(v) for v in value["__tuple__"])
    if "__path__" in value:
        return Path(value["__path__"])
    if "__frame__" in value:
        return _table(value["__frame__"])
    return {k: _decode(v) for k, v in value.items()}


# pandas dtype -> numpy dtype of a stored table's column (others are not stored)
_DTYPES = {"float64": "float64", "int64": "int64", "bool": "bool", "str": "object",
           "object": "object"}  # fmt: skip


def _table(columns: dict[str, Any]) -> dict[str, Any]:
    """A stored table as a mapping of numpy columns; a column of another kind raises
    _NotPlain."""
    import numpy as np

    table = {}
    for name, column in columns.items():
        dtype = _DTYPES.get(column["dtype"])
        if dtype is None:
            raise _NotPlain(f"a column of dtype {column['dtype']}")
        table[name] = np.array(column["values"], dtype=dtype)
    return table


def _same_table(a: dict[str, Any], b: Any) -> bool:
    """A table read back (numpy columns) equals the loaded one (pandas): the same Arrow table
    (NaN equal to NaN), and the same arrays where the engine reads numbers."""
    import numpy as np

    from sim.outputs.arrow_arrays import table

    try:  # as Outputs.actors_table makes the actors table of either
        mine, theirs = table(a), table(b)
    except (TypeError, ValueError):
        return False
    if list(a) != [str(c) for c in b.columns] or not mine.schema.equals(theirs.schema):
        return False
    numeric = all(np.array_equal(a[c], b[c].to_numpy(), equal_nan=True)
                  for c in a if a[c].dtype.kind in "fib")  # fmt: skip
    return numeric and mine.to_pandas().equals(theirs.to_pandas())


def _same(a: Any, b: Any) -> bool:
    """``a`` (read back) equals ``b`` (as loaded), with the same types all the way down;
    tables as :func:`_same_table` has it."""
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(b, pd.DataFrame):
        return isinstance(a, dict) and _same_table(a, b)
    if _is_columns(b):
        return _is_columns(a) and _same_columns(a, b)
    if type(a) is not type(b):
        return False
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def _is_columns(value: Any) -> bool:
    """A table as a mapping of numpy columns (``sim.scenario.table_rows``)."""
    import numpy as np

    return (
        type(value) is dict
        and bool(value)
        and all(type(v) is np.ndarray and v.ndim == 1 for v in value.values())
    )


def _same_columns(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two mappings of numpy columns: the same names, dtypes and values (NaN equal to NaN)."""
    import numpy as np

    if list(a) != list(b):
        return False
    for name in a:
        x, y = a[name], b[name]
        if x.dtype != y.dtype or len(x) != len(y):
            return False
        if x.dtype.kind == "O":  # text or mixed: each value of the same type and equal
            same = all(type(u) is type(v) and u == v for u, v in zip(x, y, strict=True))
        else:
            same = np.array_equal(x, y, equal_nan=x.dtype.kind == "f")
        if not same:
            return False
    return True


def _encode_columns(table: dict[str, Any]) -> dict[str, Any]:
    """A mapping of numpy columns as a stored frame (what :func:`_table` reads back)."""
    columns = {}
    for name, values in table.items():
        if values.dtype.kind not in "fibO":
            raise _NotPlain(f"a column of dtype {values.dtype}")
        columns[name] = {"dtype": str(values.dtype), "values": values.tolist()}
    return {"__frame__": columns}


def encode(case: Scenario) -> dict[str, Any]:
    return {
        f.name: _encode_columns(value) if _is_columns(value) else _encode(value)
        for f in dataclasses.fields(case)
        for value in (getattr(case, f.name),)
    }


def decode(data: dict[str, Any]) -> Scenario:
    return Scenario(**{name: _decode(value) for name, value in data.items()})


def _key(folder: Path, policy: str, horizon: int | None, by_path: bool) -> str:
    """The key of a load (a folder found by name is checked against its name: by_path)."""
    digest = hashlib.sha256()
    digest.update(json.dumps([FORMAT, str(folder.resolve()), policy, horizon, by_path]).encode())
    for path in sorted(folder.iterdir()):
        if path.suffix in (".yaml", ".csv") and path.is_file():
            digest.update(f"{path.name}\n".encode())
            digest.update(path.read_bytes())
    digest.update(run_cache.code_stamp().encode())
    return digest.hexdigest()[:32]


def load(source: str | Path, name: str, policy: str, horizon: int | None) -> Scenario:
    """The checked scenario ``source`` (a name or a folder ``Path`` whose scenario must be
    called ``name``) with its policy: stored, or read, checked and stored. Raises the
    loader's error for bad input (nothing is stored then)."""
    from sim.cli.paths import check_scenario_name

    folder = None
    if run_cache.enabled():
        try:
            folder = source if isinstance(source, Path) else _named_folder(source)
            by_path = isinstance(source, Path)
            found = _key(folder, policy, horizon, by_path) if folder is not None else None
        except OSError:
            found = None
        if found is not None:
            hit = _read(found)
            if hit is not None:  # the files are those that validated; the name is the run's
                check_scenario_name(source if isinstance(source, Path) else None, name,
                                    hit.name)  # fmt: skip
                return hit
    from sim.scenario.loader import load_scenario

    case = load_scenario(source, policy=policy, horizon=horizon, frames=False)  # as check_scenario
    check_scenario_name(source if isinstance(source, Path) else None, name, case.name)
    if folder is not None and found is not None:
        _store(found, case)
    return case


def _named_folder(name: str) -> Path | None:
    """The folder of a built-in scenario name, found as the loader finds it, without
    importing the loader (None if it is not one: the loader then says why)."""
    here = Path(__file__).resolve().parents[1]  # sim/
    for root in (here.parent / "scenarios", here / "_data" / "scenarios"):
        folder = root / name
        plain = name.replace("_", "").replace("-", "").isalnum()
        if plain and (folder / "scenario.yaml").is_file():
            return folder
    return None


def _read(found: str) -> Scenario | None:
    try:
        path = run_cache.folder().parent / "scenarios" / f"{found}.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        case = decode(data["scenario"])
    except (OSError, ValueError, KeyError, TypeError):  # absent or unreadable: a miss
        return None
    from sim.engine.outputs import remember_programmes

    if case.folder is not None:
        remember_programmes(case.folder, data["programmes"])
    return case


def _store(found: str, case: Scenario) -> None:
    """Keep ``case`` when it reads back the same (never an error: see run_cache.store)."""
    from sim.engine.outputs import every_programme
    from sim.outputs.atomic import write_text

    try:
        data = encode(case)
        text = json.dumps({"format": FORMAT, "scenario": data,
                           "programmes": every_programme(case, [])})  # fmt: skip
        again = decode(json.loads(text)["scenario"])
        if not all(_same(getattr(again, f.name), getattr(case, f.name))
                   for f in dataclasses.fields(case)):  # fmt: skip
            return
        where = run_cache.folder().parent / "scenarios"
        where.mkdir(parents=True, exist_ok=True)
        write_text(text, where / f"{found}.json")
        run_cache.prune(where)
    except Exception:  # noqa: BLE001 - a cache that cannot be written costs only time
        return
