"""Atomic output files: write to a temporary file beside the target, then rename.

A run killed mid-write never leaves a partial Parquet, PNG or YAML file under its final name.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import CitypeaceError

if TYPE_CHECKING:  # numpy and pandas only where a frame is written (the painter needs neither)
    import pandas as pd


class OutputError(CitypeaceError):
    """An output could not be written (disk full, permissions, ...)."""


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# mkstemp creates 0600 files; outputs get the usual mode (0666 less the umask) before the rename.
_FILE_MODE = 0o666 & ~_umask()


# Within deferred_sync(): each file is renamed into place without its own fsync (any thread
# of this process; a counter, since the writers run in thread pools that would not see a
# context variable).
_deferred = 0


@contextlib.contextmanager
def deferred_sync() -> Any:
    """Files written within are made durable together, by one ``os.sync()`` on leaving,
    instead of one ``fsync`` each: a sweep's short run writes nine files, and their fsyncs
    were a sixth of its CPU time and more of its wall time (measured). Each file is still
    renamed into place whole; a caller that records a file as complete (a sweep's
    ``status.json``) does so after leaving, so a crash loses only files it will redo."""
    global _deferred
    _deferred += 1
    try:
        yield
    finally:
        _deferred -= 1
    os.sync()  # only when the block went through: a failure leaves its files to be redone


def atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary path in the same folder, then rename it to ``path``.

    Any OSError (no folder, a file where the folder should be, disk full, permissions) becomes
    one :class:`OutputError`; the temporary file is removed and ``path`` keeps its old content.
    """
    path = Path(path)
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        write(tmp)
        os.chmod(tmp, _FILE_MODE)
        if not _deferred:
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        _discard(tmp)
        raise OutputError(  # the full path: a relative one depends on where the run started
            str(path.absolute()), "write", exc.strerror or str(exc),
            "a writable folder with free space",
        ) from None  # fmt: skip
    except BaseException:
        _discard(tmp)
        raise
    return path


def _discard(tmp: Path | None) -> None:
    if tmp is not None:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def write_parquet(frame: Any, path: Path) -> Path:
    """A DataFrame (without its index) or an Arrow table as Parquet, atomically."""
    return atomic_write(path, lambda tmp: _write_frame(frame, tmp))


def _write_frame(frame: Any, tmp: Path) -> None:
    """``frame`` into the file ``tmp``: an Arrow table as it is, a DataFrame through Arrow
    directly when it is plain, else through pandas."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = frame if isinstance(frame, pa.Table) else _plain_table(frame)
    if table is None:
        frame.to_parquet(tmp, index=False)
    else:
        pq.write_table(table, tmp, use_dictionary=_text_columns(table))


def _text_columns(table: Any) -> list[str]:
    """Columns worth dictionary-encoding: text. Trying it on float columns, as Parquet does by
    default, costs more than the rest of the write for a million city rows and saves nothing
    (the values are nearly all distinct)."""
    import pyarrow as pa

    kinds = (pa.types.is_string, pa.types.is_large_string, pa.types.is_dictionary)
    return [f.name for f in table.schema if any(kind(f.type) for kind in kinds)]


def _plain_table(frame: pd.DataFrame) -> Any:
    """An Arrow table straight from the columns' arrays, when every column is a number, a
    boolean or a string under a unique string name; else None (pandas converts it).

    A run's time series is over a hundred float columns, for which pandas' own conversion
    costs more than writing the file. ``pd.read_parquet`` reads both back as the same frame
    (tests/test_faults.py).
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    if not frame.columns.is_unique or not all(isinstance(c, str) for c in frame.columns):
        return None
    arrays = {}
    for name in frame.columns:
        column = frame[name]
        dtype = column.dtype
        if isinstance(dtype, np.dtype) and dtype.kind in "biuf":
            arrays[name] = column.to_numpy()
        elif isinstance(dtype, pd.StringDtype):
            arrays[name] = pa.array(column.to_numpy(dtype=object), pa.string(), from_pandas=True)
        else:
            return None
    return pa.table(arrays)


def write_text(text: str, path: Path) -> Path:
    """Text (YAML, Markdown, CSV), atomically."""
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_json(data: Any, path: Path) -> Path:
    """JSON, atomically."""
    return write_text(json.dumps(data, indent=2, sort_keys=True, default=str) + "\n", path)
