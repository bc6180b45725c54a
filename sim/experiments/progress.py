"""The sweep's progress bar: tqdm with an ETA, fed by counting the runs' progress markers."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from sim.experiments.run_status import PROGRESS


class Progress:
    """A tqdm bar with an ETA, fed by counting the jobs' progress markers.

    Counting files works the same for every launcher (in-process, joblib workers, Ray or
    Slurm nodes on a shared file system), where the launcher itself reports nothing until its
    whole batch is back.
    """

    def __init__(self, sweep_dir: Path, total: int | None, every: float = 0.5) -> None:
        self.folder = Path(sweep_dir) / PROGRESS
        self.total = total
        self.every = every
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def done(self) -> int:
        """Jobs that ended since the bar started (completed, failed or skipped)."""
        try:
            with os.scandir(self.folder) as entries:
                return sum(_runs(entry.name) for entry in entries)
        except OSError:
            return 0

    def start(self) -> Progress:
        """Clear old markers and start the bar in a daemon thread."""
        if self.folder.is_dir():
            for marker in self.folder.iterdir():
                marker.unlink(missing_ok=True)
        self._thread = threading.Thread(target=self._loop, name="citypeace-progress", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Final update and close."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _loop(self) -> None:
        from tqdm.auto import tqdm

        show = os.environ.get("CITYPEACE_PROGRESS")
        disable = None if show is None else show in ("0", "false", "no")
        with tqdm(
            total=self.total, desc="sweep", unit="run", file=sys.stderr, disable=disable
        ) as bar:
            while True:
                stopping = self._stop.wait(self.every)
                done = self.done()
                bar.update(max(0, done - bar.n))
                if stopping:
                    return


def _runs(marker: str) -> int:
    """The runs a marker stands for: ``<id>+<n>`` n (a batch), any other name one."""
    _, plus, count = marker.rpartition("+")
    return int(count) if plus and count.isdigit() else 1
