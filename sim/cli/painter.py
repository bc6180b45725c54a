"""The dashboard drawn in a forked process that imports Matplotlib while the run starts.

A single run spends about a third of a second importing Matplotlib and another drawing the
dashboard, on one core, while the second core of a typical machine idles. ``citypeace`` forks
a painter first thing (Linux only: a fork before any thread exists is safe there): the child
imports Matplotlib and draws a tiny figure (``sim.outputs.dashboard.warm_up``: fonts loaded,
a third off the drawing; then the dashboard's empty figure and axes are made ahead) while the
parent composes, checks and runs the model, then receives the
run's series through a pipe (numpy arrays: the child never imports pandas) and draws
``dashboard.png`` (atomically, as in process) while the parent writes the tables. The picture
is the same; only the wall time changes. Elsewhere, or when the fork fails, the dashboard is
drawn in process (:func:`sim.experiments.runner.write_run`).

The child ignores Ctrl-C (the parent handles it and stops the child) and exits when the pipe
closes without a payload: a run refused, a run without a dashboard, or a parent killed.
"""

from __future__ import annotations

import io
import json
import os
import select
import signal
import sys
from pathlib import Path
from typing import Any

from sim.errors import CitypeaceError

EVENT_COLUMNS = ("date", "type", "origin")  # what the dashboard reads of the events


class Painter:
    """A forked child waiting for one dashboard to draw."""

    def __init__(self, pid: int, to_child: int, from_child: int) -> None:
        self.pid, self._to_child, self._from_child = pid, to_child, from_child
        self._sent = False

    @classmethod
    def start(cls) -> Painter | None:
        """Fork the painter; None where forking is not safe or not possible."""
        if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
            return None
        try:
            down_r, down_w = os.pipe()
            up_r, up_w = os.pipe()
            pid = os.fork()
        except OSError:
            return None
        if pid == 0:  # the child never returns
            os.close(down_w)
            os.close(up_r)
            _serve(down_r, up_w)
        os.close(down_r)
        os.close(up_w)
        return cls(pid, down_w, up_r)

    def draw(self, ts: Any, events: Any, path: Path, title: str, recipients: str = "") -> None:
        """Hand the dashboard to the child (it draws while the caller goes on)."""
        payload = pack(ts, events, Path(path), title, recipients)
        self._sent = True
        try:
            with os.fdopen(self._to_child, "wb", closefd=True) as pipe:
                pipe.write(payload)
        except OSError:  # the child died: wait() reports it
            pass
        self._to_child = -1

    def wait(self) -> None:
        """Wait for the drawing; raise what the child raised (a CitypeaceError as itself)."""
        with os.fdopen(self._from_child, "rb", closefd=True) as pipe:
            reply = pipe.read()
        self._from_child = -1
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if not reply:
            raise RuntimeError(f"the dashboard process ended without drawing (status {status})")
        kind, *details = json.loads(reply)
        if kind == "citypeace":
            raise CitypeaceError(*details)
        if kind == "error":
            raise RuntimeError(f"drawing the dashboard failed:\n{details[0]}")

    def stop(self) -> None:
        """End the child if it still runs (no dashboard wanted, or the run failed)."""
        for fd in (self._to_child, self._from_child):
            if fd >= 0:
                os.close(fd)
        self._to_child = self._from_child = -1
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self.pid = 0


def _arrays(frame: Any) -> dict[str, Any] | None:
    """A pandas frame (or a mapping of column arrays) as its columns' numpy arrays, text as
    fixed-width unicode (no objects: the payload is read back with ``allow_pickle=False``,
    and without pandas)."""
    import numpy as np

    if frame is None:
        return None
    out = {}
    for name in frame:  # a frame yields its column names, as a mapping its keys
        values = np.asarray(frame[name])
        out[str(name)] = values.astype(str) if values.dtype.kind == "O" else values
    return out


def pack(ts: Any, events: Any, path: Path, title: str, recipients: str = "") -> bytes:
    """The dashboard's inputs as ``.npz`` bytes: plain arrays, and their names in JSON."""
    import numpy as np

    series = _arrays(ts) or {}
    shown = _arrays(
        None if events is None else {c: events[c] for c in EVENT_COLUMNS if c in events}
    )
    names = {"ts": list(series), "events": None if shown is None else list(shown),
             "path": str(path), "title": title, "recipients": recipients}  # fmt: skip
    arrays = {f"ts{i}": v for i, v in enumerate(series.values())}
    arrays.update({f"ev{i}": v for i, v in enumerate((shown or {}).values())})
    buf = io.BytesIO()
    np.savez(buf, names=np.array(json.dumps(names)), **arrays)
    return buf.getvalue()


def unpack(data: bytes) -> tuple[dict[str, Any], dict[str, Any] | None, Path, str, str]:
    """:func:`pack`'s inputs back: column mappings of arrays, the path, the title and the
    recipient cities' names."""
    import numpy as np

    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        names = json.loads(str(npz["names"]))
        ts = {name: npz[f"ts{i}"] for i, name in enumerate(names["ts"])}
        events = None
        if names["events"] is not None:
            events = {name: npz[f"ev{i}"] for i, name in enumerate(names["events"])}
    return ts, events, Path(names["path"]), names["title"], names["recipients"]


def _serve(payload_fd: int, reply_fd: int) -> None:
    """The child: import, wait for the payload, draw, reply, exit (never returns)."""
    reply: tuple = ("error", "no reply")
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        from sim.outputs.dashboard import warm_up, write_dashboard

        # Fonts loaded, first-use work done and the fixed words laid out while the parent
        # runs the model; the laying out stops when the payload is there to read.
        warm_up(stop=lambda: bool(select.select([payload_fd], [], [], 0)[0]))
        with os.fdopen(payload_fd, "rb", closefd=True) as pipe:
            data = pipe.read()
        if not data:  # nothing to draw
            os._exit(0)
        ts, events, path, title, recipients = unpack(data)
        write_dashboard(ts, events, path, title, recipients)
        reply = ("ok",)
    except CitypeaceError as exc:
        reply = ("citypeace", exc.where, exc.key, exc.value, exc.allowed)
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        import traceback

        reply = ("error", traceback.format_exc())
    finally:
        try:
            with os.fdopen(reply_fd, "wb", closefd=True) as pipe:
                pipe.write(json.dumps(reply, default=str).encode())
        finally:
            os._exit(0)
