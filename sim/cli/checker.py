"""A first run's scenario read and checked in a forked process while the config is composed.

A command that must compose its config (no stored plan) usually must also check its scenario
(no stored copy: ``sim.cli.scenario_cache``): about a third of a second of CPU, two thirds of
it importing pydantic and building the scenario format's records, during which the command's
own process could compose the config and import the engine instead. So ``citypeace`` forks a
checker there (Linux only, before any thread exists: ``sim.cli.single``): the child imports
the loader at once, reads one request (the scenario, policy and horizon, once the config is
composed), loads and checks the scenario exactly as the command would
(``scenario_cache.checked``) and answers with the scenario as the scenario cache keeps it
(the same JSON, read back equal), or with the one-line error the command would print. Nothing
is checked less: the same loader runs on the same files; only the process differs. Where the
child cannot answer (it died, or the scenario does not read back equal), the command loads
the scenario itself, as before.

The child ignores Ctrl-C (the parent handles it and kills the child) and exits when its
request pipe closes without a request (the scenario was stored, or the command failed).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
from pathlib import Path

# What the child imports before its request comes: the loader (pydantic and the records),
# and what the loader and the answer import on first use.
PRELOAD = (
    "sim.scenario.loader",
    "sim.experiments.pattern_schema",
    "sim.scenario.info",
    "sim.engine.outputs",
)


class Checker:
    """A forked child that checks one scenario."""

    def __init__(self, pid: int, to_child: int, from_child: int) -> None:
        self.pid, self._to_child, self._from_child = pid, to_child, from_child

    @classmethod
    def start(cls) -> Checker | None:
        """Fork the checker; None where forking is not safe or not possible."""
        if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
            return None
        try:
            down_r, down_w = os.pipe()
            up_r, up_w = os.pipe()
            pid = os.fork()
        except OSError:
            return None
        if pid == 0:  # the child never returns
            _serve(down_r, up_w)
        os.close(down_r)
        os.close(up_w)
        return cls(pid, down_w, up_r)

    def ask(self, source: str | Path, name: str, policy: str, horizon: int | None) -> None:
        """Send the request (the child checks while the caller goes on)."""
        request = {"source": str(source), "by_path": isinstance(source, Path), "name": name,
                   "policy": policy, "horizon": horizon}  # fmt: skip
        try:
            with os.fdopen(self._to_child, "wb", closefd=True) as pipe:
                pipe.write(json.dumps(request).encode())
        except OSError:  # the child died: answer() says so
            pass
        self._to_child = -1

    def answer(self) -> tuple[str, str] | None:
        """``("ok", the scenario cache's JSON text)`` or ``("fail", the one-line error)``;
        None when the child could not answer (the caller then loads the scenario itself)."""
        with os.fdopen(self._from_child, "rb", closefd=True) as pipe:
            reply = pipe.read()
        self._from_child = -1
        self.stop()
        kind, body = reply[:1], reply[1:].decode("utf-8", errors="replace")
        if kind == b"O":
            return "ok", body
        if kind == b"F":
            return "fail", body
        return None

    def stop(self) -> None:
        """End the child if it still runs (no request, or the answer is in)."""
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


def _serve(request_fd: int, reply_fd: int) -> None:
    """The child: import the loader, read the request, check, answer, exit (never returns)."""
    reply = b"M"  # no answer: the parent loads the scenario itself
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _close_others((request_fd, reply_fd))
        import importlib

        for name in PRELOAD:
            importlib.import_module(name)
        with os.fdopen(request_fd, "rb", closefd=True) as pipe:
            data = pipe.read()
        if not data:  # nothing to check
            os._exit(0)
        request = json.loads(data)
        from sim.cli.scenario_cache import checked

        source = Path(request["source"]) if request["by_path"] else request["source"]
        reply = checked(source, request["name"], request["policy"], request["horizon"])
    except BaseException:  # noqa: BLE001 - the parent loads in process and meets it there
        reply = b"M"
    finally:
        try:
            with os.fdopen(reply_fd, "wb", closefd=True) as pipe:
                pipe.write(reply)
        finally:
            os._exit(0)


def _close_others(keep: tuple[int, ...]) -> None:
    """Close the descriptors the child inherited but for stdio and ``keep`` (the painter's
    pipe among them: the painter must see it close when the parent is gone)."""
    try:
        fds = [int(fd) for fd in os.listdir("/proc/self/fd")]
    except OSError:
        return
    for fd in fds:
        if fd > 2 and fd not in keep:
            with contextlib.suppress(OSError):
                os.close(fd)
