"""A batched sweep's runs without a folder each: one series file and one record file a batch.

With ``citypeace sweep ... --runs-per-job=N`` (or ``--dask``) and no ``--run-folders``, a job
writes, for all its runs at once::

    <sweep>/series/batch-<key>.parquet   the runs' long series (run, date, variable, entity, value)
    <sweep>/records/<key>.parquet        one row per run: run_id, status, series, series_bytes,
                                         record (the run's status record as JSON: what a run
                                         folder's status.json holds, provenance included)

``key`` is a hash of the job's run ids. The series rows are written first to a hidden
``series/.pending-<key>.parquet`` (readers skip names that start with a dot) and synced; then
the record file is written atomically (the commit: its runs are done from here on); then the
series file is renamed into view. A job killed at any point leaves either nothing a reader
sees or a committed batch; a record whose series file is not in place at its size is not
done, and :func:`clean` (run by the leader before any job starts) removes what such a kill
left: pending files, series files no record names, and records whose series file is missing.

A run is done when a record says ``completed`` and its series file is in place at its
recorded size (:func:`completed`); failed runs are rows with their error (and traceback) and
are run again by a resume, as with run folders.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sim.outputs.atomic import OutputError, atomic_write

RECORDS = "records"
SERIES = "series"
BATCH_PREFIX = "batch-"
PENDING_PREFIX = ".pending-"
COLUMNS = ("run_id", "status", "series", "series_bytes", "record")


def batch_key(run_ids: Sequence[str]) -> str:
    """The name of a job's files: a hash of its run ids, in order."""
    return hashlib.sha256("\n".join(run_ids).encode()).hexdigest()[:16]


class BatchWriter:
    """Collects a job's runs (series tables and status records) and commits them together.

    ``add`` streams a completed run's series table into the pending file (one row group a
    run: memory holds one run's rows, not the job's); ``commit`` makes the batch durable and
    visible as described in the module's docstring. Leaving a ``with`` block on an error
    removes the pending file: nothing of the job is recorded, and its runs are redone.
    """

    def __init__(self, sweep_dir: Path, run_ids: Sequence[str]) -> None:
        self.sweep_dir = Path(sweep_dir)
        self.key = batch_key(run_ids)
        self.name = f"{SERIES}/{BATCH_PREFIX}{self.key}.parquet"
        self.pending = self.sweep_dir / SERIES / f"{PENDING_PREFIX}{self.key}.parquet"
        self.records: list[dict[str, Any]] = []
        self._writer: Any = None

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> None:
        if kind is not None:
            self.abort()

    def add(self, record: dict[str, Any], series: Any = None) -> None:
        """A run's status record and, for a completed run, its long series table (Arrow)."""
        if series is not None:
            try:
                if self._writer is None:
                    import pyarrow.parquet as pq

                    self.pending.parent.mkdir(parents=True, exist_ok=True)
                    # Dictionaries for the text and the dates only: tried on the float
                    # values, as Parquet does by default, they cost a third more time for
                    # nothing (2.6 against 3.6 ms a tuzla run, measured)
                    coded = [c for c in ("run", "date", "variable", "entity")
                             if c in series.schema.names]  # fmt: skip
                    self._writer = pq.ParquetWriter(self.pending, series.schema,
                                                    use_dictionary=coded)  # fmt: skip
                self._writer.write_table(series)
            except OSError as exc:
                raise _output_error(self.pending, exc) from None
            record["series"] = self.name
        self.records.append(record)

    def commit(self) -> None:
        """Sync the series rows, write the records (the commit), show the series file."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        size = None
        if self._writer is not None:
            try:
                self._writer.close()
                self._writer = None
                with open(self.pending, "rb+") as fh:  # one file: fsync, not a machine-wide sync
                    os.fsync(fh.fileno())
                size = self.pending.stat().st_size
            except OSError as exc:
                raise _output_error(self.pending, exc) from None
        for record in self.records:
            if record.get("series"):
                record["files"] = {record["series"]: size}
        rows = {
            "run_id": [r["run_id"] for r in self.records],
            "status": [r["status"] for r in self.records],
            "series": [r.get("series") for r in self.records],
            "series_bytes": [size if r.get("series") else None for r in self.records],
            "record": [json.dumps(r, sort_keys=True, default=str) for r in self.records],
        }
        table = pa.table(rows, schema=_schema())
        atomic_write(self.sweep_dir / RECORDS / f"{self.key}.parquet",
                     lambda tmp: pq.write_table(table, tmp))  # fmt: skip
        if size is not None:
            try:
                os.replace(self.pending, self.sweep_dir / self.name)
            except OSError as exc:
                raise _output_error(self.sweep_dir / self.name, exc) from None

    def abort(self) -> None:
        """Drop the pending series file (nothing of the job is recorded)."""
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.close()
            self._writer = None
        with contextlib.suppress(OSError):
            self.pending.unlink(missing_ok=True)


def _schema() -> Any:
    import pyarrow as pa

    return pa.schema([("run_id", pa.string()), ("status", pa.string()), ("series", pa.string()),
                      ("series_bytes", pa.int64()), ("record", pa.string())])  # fmt: skip


def _output_error(path: Path, exc: OSError) -> OutputError:
    return OutputError(str(Path(path).absolute()), "write", exc.strerror or str(exc),
                       "a writable folder with free space")  # fmt: skip


def record_files(sweep_dir: Path) -> list[Path]:
    """The sweep's record files, in name order."""
    folder = Path(sweep_dir) / RECORDS
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix == ".parquet" and p.name[0] != ".")


def _read(path: Path, columns: Sequence[str]) -> dict[str, list[Any]] | None:
    """Columns of a record file, or None when it cannot be read."""
    import pyarrow.parquet as pq

    try:
        return pq.read_table(path, columns=list(columns)).to_pydict()
    except (OSError, ValueError):
        return None


def _in_place(sweep_dir: Path, series: str | None, size: int | None, seen: dict) -> bool:
    """The series file is there at its recorded size (each file looked at once)."""
    if series is None:
        return False
    if series not in seen:
        try:
            seen[series] = (Path(sweep_dir) / series).stat().st_size
        except OSError:
            seen[series] = None
    return seen[series] is not None and seen[series] == size


def completed(sweep_dir: Path) -> set[str]:
    """The run ids that records say are completed, with their series file in place."""
    done: set[str] = set()
    seen: dict[str, int | None] = {}
    for path in record_files(sweep_dir):
        data = _read(path, ("run_id", "status", "series", "series_bytes"))
        if data is None:
            continue
        for run_id, status, series, size in zip(*data.values(), strict=True):
            if status == "completed" and _in_place(sweep_dir, series, size, seen):
                done.add(run_id)
    return done


def iter_records(sweep_dir: Path) -> Iterator[tuple[tuple[Path, int], dict[str, Any]]]:
    """((record file, row), status record) for every run a record file holds."""
    for path in record_files(sweep_dir):
        data = _read(path, ("record",))
        for row, text in enumerate(data["record"] if data else ()):
            yield (path, row), json.loads(text)


def read_record(source: tuple[Path, int], cache: dict[Path, list[str]]) -> dict[str, Any]:
    """The status record at ``source``; ``cache`` keeps the last file read (bounded memory)."""
    path, row = source
    if path not in cache:
        cache.clear()
        data = _read(path, ("record",))
        cache[path] = data["record"] if data else []
    texts = cache[path]
    return json.loads(texts[row]) if row < len(texts) else {}


def newest(sweep_dir: Path) -> float:
    """The newest record file's modification time (0 when there is none)."""
    return max((p.stat().st_mtime for p in record_files(sweep_dir)), default=0.0)


def clean(sweep_dir: Path) -> None:
    """Remove what a killed job left: pending series files, series files of batches that no
    record names, and records whose series file is not in place (their runs are redone).
    Only the leader calls this, before any job starts."""
    sweep_dir = Path(sweep_dir)
    series_dir = sweep_dir / SERIES
    named: set[str] = set()
    seen: dict[str, int | None] = {}
    for path in record_files(sweep_dir):
        data = _read(path, ("status", "series", "series_bytes"))
        stale = data is None or any(
            status == "completed" and not _in_place(sweep_dir, series, size, seen)
            for status, series, size in zip(*data.values(), strict=True)
        )
        if stale:
            path.unlink(missing_ok=True)
        else:
            named.update(s for s in data["series"] if s)
    if not series_dir.is_dir():
        return
    for entry in series_dir.iterdir():
        own = f"{SERIES}/{entry.name}"
        if entry.name.startswith(PENDING_PREFIX) or (
            entry.name.startswith(BATCH_PREFIX) and own not in named
        ):
            entry.unlink(missing_ok=True)


def run_without_folders(
    invalid: Sequence[Any], groups: Sequence[Sequence[Any]], sweep_dir: Path, step: Any
) -> None:
    """A job's runs (``sim.experiments.sweep_batch._Run``) in one commit: ``invalid`` runs
    (no config to run) and runs that raise are failed rows; ``step(members)`` steps a group
    as one ensemble and returns it with each member's share of the wall and CPU time.

    A run's ``duration_s`` and ``cpu_s`` are its share of the stepping plus its own rows (its
    outcomes and series table); the commit, once for the job, is in no run's.
    """
    import dataclasses
    import time
    from datetime import UTC, datetime

    from sim.experiments.run_status import mark_failed, mark_progress, outcomes

    runs = [*invalid, *(run for members in groups for run in members)]
    if not runs:
        return

    def finish(run: Any, wall: float, cpu: float, levers: Any = None) -> None:
        prov = dict(run.info) if isinstance(run.info, dict) else {}
        if levers is not None:
            prov["levers"] = dataclasses.asdict(levers)  # as a run folder's provenance.json
        run.record.update(
            duration_s=round(wall, 4), cpu_s=round(cpu, 4),
            finished_at=datetime.now(UTC).isoformat(timespec="seconds"),
            git_commit=prov.get("git_commit"), provenance=prov,
        )  # fmt: skip

    def failed(run: Any, exc: BaseException | str, wall: float = 0.0, cpu: float = 0.0) -> None:
        run.record["traceback"] = mark_failed(run.record, exc)
        finish(run, wall, cpu)
        writer.add(run.record)

    with BatchWriter(sweep_dir, [run.record["run_id"] for run in runs]) as writer:
        for run in invalid:
            failed(run, run.error or "invalid config")
        for members in groups:
            try:
                ensemble, share_s, share_cpu = step(members)
            except Exception as exc:  # noqa: BLE001 - bad input the preflight could not see
                for run in members:
                    failed(run, exc)
                continue
            for i, run in enumerate(members):
                own, own_cpu = time.perf_counter(), time.process_time()
                run.record["batch_runs"] = len(members)
                if i in ensemble.failures:
                    failed(run, ensemble.failures[i], share_s, share_cpu)
                    continue
                try:
                    outputs, row = ensemble.outputs(i)
                    ts = outputs.timeseries_columns(row)
                    series = outputs.series_table(row, run.record["run_id"])
                    run.record.update(status="completed", error=None, months=len(ts["date"]),
                                      outcomes=outcomes(ts))  # fmt: skip
                except Exception as exc:  # noqa: BLE001 - a run that cannot be written failed
                    failed(run, exc, share_s, share_cpu)
                    continue
                writer.add(run.record, series)  # an OutputError stops the job: nothing kept
                wall, cpu = time.perf_counter() - own, time.process_time() - own_cpu
                finish(run, share_s + wall, share_cpu + cpu, ensemble.levers_of(i))
        writer.commit()
    mark_progress(sweep_dir, writer.key, len(runs))  # one marker for the job's runs
