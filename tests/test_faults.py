"""Faults (issue 7): SIGKILL during a run, and write failures at the file layer.

* A run killed with SIGKILL (at random moments, while a Parquet file is being written, and
  between writing a temporary file and renaming it) never leaves a partial file under a final
  name: every ``*.parquet`` left behind reads back completely.
* A write failure (an OSError injected at the file layer, a full tiny tmpfs, a file-size limit)
  gives one clear line, exit code 2, and no half-written file; an older file keeps its content.

(SIGKILL during a sweep, then a rerun, is in tests/test_sweep.py.)
"""

from __future__ import annotations

import errno
import os
import resource
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from helpers import mounted_tmpfs, run_cli
from sim.errors import CitypeaceError
from sim.outputs.atomic import OutputError, atomic_write, write_parquet, write_text

FINAL = ("timeseries", "series", "actors", "cities", "events", "activities")
# The write order of all but cities.parquet, which is written in a thread beside them.
IN_ORDER = tuple(name for name in FINAL if name != "cities")
# A run whose cities.parquet is large (~1.2 M rows, ~100 MB), so a kill can land mid-write.
BIG = [
    "scenario=synthetic",
    "scenario.n_cities=20000",
    "horizon=60",
    "output.cities_every=1",
    "output.cities_max=20000",
    "output.dashboard=false",
    "output.progress=false",
]
SMALL = ["scenario=two_cities", "output.progress=false", "output.dashboard=false"]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONHASHSEED": "0"}


def _start(args: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "sim", *args],
        cwd=cwd,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _kill(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def _temps(run: Path) -> list[Path]:
    return sorted(run.glob(".*.tmp")) if run.exists() else []


def assert_no_partial_parquet(run: Path) -> list[str]:
    """Every visible Parquet file reads back whole; temporaries are hidden and not *.parquet."""
    seen = []
    for path in sorted(run.rglob("*.parquet")) if run.exists() else []:
        assert not path.name.startswith("."), path
        table = pq.read_table(path)  # raises on a truncated file (no footer)
        assert table.num_rows >= 0
        seen.append(path.stem)
    for tmp in _temps(run):
        assert not tmp.name.endswith(".parquet"), tmp
    return seen


def _wait_for(predicate: object, proc: subprocess.Popen, timeout: float = 240) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.002)
    return False


# ----------------------------------------------------------------------------- SIGKILL


def test_sigkill_while_a_parquet_file_is_written(tmp_path: Path) -> None:
    """Kill -9 the moment a temporary output exists: the final name is absent or whole."""
    run = tmp_path / "run"
    proc = _start([*BIG, f"hydra.run.dir={run}"], tmp_path)
    try:
        hit = _wait_for(lambda: any(".parquet." in t.name for t in _temps(run)), proc)
    finally:
        _kill(proc)
    assert hit, "the run ended before it wrote anything"
    leftovers = _temps(run)
    assert leftovers, "killed while writing: the temporary file is still there"
    assert_no_partial_parquet(run)
    # The file being written when the kill came is not visible under its final name.
    for tmp in leftovers:
        assert not (run / (tmp.name[1:].split(".parquet.")[0] + ".parquet")).exists()


def test_sigkill_while_cities_parquet_is_written(tmp_path: Path) -> None:
    """The big table: kill while cities' temporary is growing. Since cli7 a large run streams
    cities.parquet while its months run (sim.outputs.city_stream), so the kill usually comes
    before timeseries.parquet exists; whatever exists under a final name must be whole."""
    run = tmp_path / "run"
    proc = _start([*BIG, f"hydra.run.dir={run}"], tmp_path)

    def cities_half_written() -> bool:
        temps = [t for t in _temps(run) if t.name.startswith(".cities.parquet.")]
        return bool(temps) and temps[0].stat().st_size > 1_000_000

    try:
        hit = _wait_for(cities_half_written, proc)
    finally:
        _kill(proc)
    assert hit, "never saw cities.parquet half written"
    assert not (run / "cities.parquet").exists()
    written = assert_no_partial_parquet(run)
    if "timeseries" in written:  # the months had all run when the kill came
        assert len(pd.read_parquet(run / "timeseries.parquet")) == 60


@pytest.mark.parametrize("delay", [1.0, 3.0, 6.0])
def test_sigkill_at_random_moments(tmp_path: Path, delay: float) -> None:
    run = tmp_path / "run"
    proc = _start([*BIG, f"hydra.run.dir={run}"], tmp_path)
    time.sleep(delay)
    _kill(proc)
    assert_no_partial_parquet(run)


KILL_AT = """
import os, signal, sys
from pathlib import Path
import pandas as pd
import sim.outputs.atomic

STAGE, TARGET = sys.argv[1], sys.argv[2]
if STAGE == "rename":  # the temporary file is complete and fsynced; die before the rename
    real_replace = os.replace
    def replace(src, dst):
        if Path(dst).name == TARGET:
            os.kill(os.getpid(), signal.SIGKILL)
        real_replace(src, dst)
    sim.outputs.atomic.os.replace = replace
else:  # die half way through writing the bytes
    real = sim.outputs.atomic._write_frame
    def write_frame(frame, path):
        if Path(path).name.startswith("." + TARGET + "."):
            real(frame, path)
            size = Path(path).stat().st_size
            with open(path, "r+b") as fh:
                fh.truncate(size // 2)
            os.kill(os.getpid(), signal.SIGKILL)
        return real(frame, path)
    sim.outputs.atomic._write_frame = write_frame
from sim.cli import main
main(sys.argv[3:])
"""


@pytest.mark.parametrize("stage", ["rename", "write"])
@pytest.mark.parametrize("target", ["timeseries.parquet", "cities.parquet", "events.parquet"])
def test_sigkill_at_each_write_stage(tmp_path: Path, stage: str, target: str) -> None:
    """Deterministic kills: mid-write (a truncated temporary) and between write and rename."""
    run = tmp_path / "run"
    proc = subprocess.run(
        [sys.executable, "-c", KILL_AT, stage, target, *SMALL, f"hydra.run.dir={run}"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert not (run / target).exists()
    (tmp,) = [t for t in _temps(run) if t.name.startswith(f".{target}.")]
    if stage == "write":
        with pytest.raises(Exception):  # noqa: B017 - whatever pyarrow raises on a torn file
            pq.read_table(tmp)
    written = set(assert_no_partial_parquet(run))
    name = target[: -len(".parquet")]
    if name == "cities":  # the others, in their order, may have been written beside it
        assert any(written == set(IN_ORDER[:i]) for i in range(len(IN_ORDER) + 1)), written
    else:  # those before it in order, and cities.parquet may be done (never half-written)
        before = set(IN_ORDER[: IN_ORDER.index(name)])
        assert written - {"cities"} == before, written


# ----------------------------------------------------------------------------- write failures


def _enospc(tmp: Path) -> None:
    with open(tmp, "wb") as fh:
        fh.write(b"PAR1 half a file")
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp))


def test_injected_disk_full_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "timeseries.parquet"
    write_parquet(pd.DataFrame({"a": [1, 2, 3]}), target)
    before = target.read_bytes()
    with pytest.raises(OutputError) as info:
        atomic_write(target, _enospc)
    message = str(info.value)
    assert message == (
        f"{target}: write = 'No space left on device': a writable folder with free space"
    )
    assert isinstance(info.value, CitypeaceError)
    assert target.read_bytes() == before  # the old version is intact
    assert sorted(p.name for p in target.parent.iterdir()) == ["timeseries.parquet"]


@pytest.mark.parametrize("fail_at", ["rename", "fsync", "write"])
def test_injected_failure_at_each_step_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail_at: str
) -> None:
    import sim.outputs.atomic

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    if fail_at == "rename":
        monkeypatch.setattr(sim.outputs.atomic.os, "replace", boom)
    elif fail_at == "fsync":
        monkeypatch.setattr(sim.outputs.atomic.os, "fsync", boom)
    else:
        monkeypatch.setattr(sim.outputs.atomic, "_write_frame", boom)
    target = tmp_path / "events.parquet"
    with pytest.raises(OutputError, match="Input/output error"):
        write_parquet(pd.DataFrame({"a": [1]}), target)
    assert list(tmp_path.iterdir()) == []


def test_folder_that_is_a_file_is_a_clean_error(tmp_path: Path) -> None:
    blocker = tmp_path / "outputs"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError) as info:
        write_text("x", blocker / "run" / "config.yaml")
    assert "config.yaml: write = " in str(info.value)
    assert blocker.read_text() == "not a folder"


def test_outputs_are_readable_like_ordinary_files(tmp_path: Path) -> None:
    """mkstemp makes 0600 files; an output keeps the usual mode (0666 less the umask)."""
    mask = os.umask(0o022)
    os.umask(mask)
    path = write_text("x", tmp_path / "config.yaml")
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask


def _assert_clean_write_failure(proc: subprocess.CompletedProcess, run: Path, why: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith(f"citypeace: error: {run}/"), line
    head, _, tail = line.partition(": write = ")
    assert head.endswith(".parquet"), line  # names the file
    assert why in tail and tail.endswith("': a writable folder with free space"), line
    assert not run.exists()  # the run folder goes: no half-written outputs


@pytest.fixture
def tiny_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 64 KB tmpfs (needs mount rights; skipped otherwise)."""
    with mounted_tmpfs(tmp_path / "tiny", "64k") as mnt:
        yield mnt


def test_full_disk_on_a_tiny_tmpfs(tmp_path: Path, tiny_tmpfs: Path) -> None:
    run = tiny_tmpfs / "run"
    proc = run_cli([*SMALL, f"hydra.run.dir={run}"], tmp_path)
    _assert_clean_write_failure(proc, run, "No space left on device")
    assert list(tiny_tmpfs.iterdir()) == []


def test_file_size_limit(tmp_path: Path) -> None:
    """RLIMIT_FSIZE (no root needed): writing past 64 KB fails with EFBIG."""
    run = tmp_path / "run"

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    proc = subprocess.run(
        [sys.executable, "-m", "sim", *SMALL, f"hydra.run.dir={run}"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limit,
        check=False,
    )
    _assert_clean_write_failure(proc, run, "File too large")


def test_parquet_tables_read_back_as_written(tmp_path: Path) -> None:
    # write_parquet hands plain frames (numbers, booleans, strings) to Arrow column by column
    # and the rest to pandas; either way the file reads back as the frame it was given.
    import numpy as np

    from sim import PeaceModel
    from sim.outputs.atomic import _plain_table, write_parquet

    model = PeaceModel("map", seed=2, horizon=30).run()
    frames = {
        "timeseries": model.timeseries(),
        "cities": model.city_frame(),
        "events": model.events_frame(),
        "activities": model.activities_frame(),  # a categorical column: pandas' route
        "mixed": pd.DataFrame(
            {
                "x": [1.5, np.nan],
                "n": [1, 2],
                "ok": [True, False],
                "s": pd.array(["a", None], dtype="str"),
            }
        ),
    }
    assert _plain_table(frames["timeseries"]) is not None
    assert _plain_table(frames["activities"]) is None
    for name, frame in frames.items():
        path = write_parquet(frame, tmp_path / f"{name}.parquet")
        back = pd.read_parquet(path)
        via_pandas = tmp_path / f"{name}.pandas.parquet"
        frame.to_parquet(via_pandas, index=False)
        pd.testing.assert_frame_equal(back, pd.read_parquet(via_pandas), check_exact=True)
        pd.testing.assert_frame_equal(
            back,
            frame.reset_index(drop=True),
            check_exact=True,
            check_dtype=False,
            check_categorical=False,  # an empty categorical reads back without categories
        )
