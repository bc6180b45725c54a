"""``cities.parquet`` written while the run goes on, a row group every few months.

The city rows of a large world are the run's largest table by far (a million rows for the
10,000-city world's 240 months): encoding them after the last month kept the command waiting
about half a second on one core while the model's months had left the other one mostly idle.
A :class:`CityStream` hands the months recorded so far to a writer thread every
:func:`months_per_group` months (Arrow encodes without the GIL), so that only the last group is
left when the run ends. The file holds the same table (rows, columns, types, field and schema
metadata) as :func:`sim.outputs.tables.write` writes in one go; only its row groups are
smaller. Written to a temporary file and renamed at the end, as ``sim.outputs.atomic`` does;
a run that fails leaves no file.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import tempfile
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

# A run streams its city rows from this many (sampled cities x recorded months); below it the
# table is written after the run as before (a few tables' worth of thread start-up would cost
# more than it saves).
STREAM_FROM = 250_000
GROUP_ROWS = 2**17  # rows per row group, about (a whole number of months)


def months_per_group(cities: int) -> int:
    """Recorded months per row group for ``cities`` sampled cities."""
    return max(1, GROUP_ROWS // max(cities, 1))


class CityStream:
    """A run's ``cities.parquet``, encoded in a thread as its months are recorded."""

    def __init__(self, path: Path, outputs: Any, prov: Mapping[str, Any] | None) -> None:
        self.path, self._outputs, self._prov = Path(path), outputs, prov
        self._done = 0  # months handed to the thread
        self._every = months_per_group(int(outputs.city_sample.size))
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._pending: list[Future] = []
        self._writer: Any = None
        self._tmp: Path | None = None

    @classmethod
    def wanted(cls, cities: int, months: int) -> bool:
        return cities * months >= STREAM_FROM

    def feed(self, final: bool = False) -> None:
        """Hand the months recorded since the last call to the thread: a full group's worth,
        or with ``final`` whatever is left."""
        chunks = self._outputs.city_chunks  # the recorder's own list, appended to by the run
        if len(chunks) - self._done < (1 if final else self._every):
            return
        part = dataclasses.replace(self._outputs, city_chunks=chunks[self._done :])
        self._done = len(chunks)
        self._pending.append(self._pool.submit(self._write, part))

    def _write(self, part: Any) -> None:
        import pyarrow.parquet as pq

        from sim.outputs.atomic import _text_columns
        from sim.outputs.tables import describe

        table = describe(part.cities_table(0, dates=True), "cities", self._prov)
        if self._writer is None:
            fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp",
                                        dir=self.path.parent)  # fmt: skip
            os.close(fd)
            self._tmp = Path(name)
            self._writer = pq.ParquetWriter(self._tmp, table.schema,
                                            use_dictionary=_text_columns(table))  # fmt: skip
        self._writer.write_table(table)

    def close(self) -> None:
        """Write what is left, wait for the thread and put the file in place (an OSError as
        ``sim.outputs.atomic`` reports it); nothing is left behind if anything fails."""
        from sim.outputs.atomic import _FILE_MODE, OutputError

        try:
            self.feed(final=True)
            for job in self._pending:
                job.result()
            if self._writer is None:  # no month recorded: the empty table, as before
                from sim.outputs import tables

                tables.write(self._outputs.cities_table(0, dates=True), self.path, "cities",
                             self._prov)  # fmt: skip
                return
            self._writer.close()
            assert self._tmp is not None
            os.chmod(self._tmp, _FILE_MODE)
            with open(self._tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(self._tmp, self.path)
            self._tmp = None
        except OSError as exc:
            raise OutputError(str(self.path.absolute()), "write", exc.strerror or str(exc),
                              "a writable folder with free space") from exc  # fmt: skip
        finally:
            self.abort()

    def abort(self) -> None:
        """Stop the thread and remove the temporary file (after a failure; harmless after
        :meth:`close`)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.close()
        if self._tmp is not None:
            with contextlib.suppress(OSError):
                self._tmp.unlink(missing_ok=True)
            self._tmp = None
