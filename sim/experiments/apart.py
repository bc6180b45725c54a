"""Work done in a forked process while the caller goes on: ``citypeace validate`` draws its fan
charts (about half of what it does after the runs) while it judges the patterns and draws the
heat map, on the machine's other core.

Forked, so the child starts at once with the caller's modules and data (nothing is pickled
but the result); where the platform cannot fork, or with one usable core, the work is done in
the caller when it asks for the result, as before.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from typing import Any


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def start(function: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    """Begin ``function(*args)`` in a forked process; returns a call that waits for its result
    (re-raising, with the child's traceback, what it raised)."""
    import multiprocessing
    import warnings

    if "fork" not in multiprocessing.get_all_start_methods() or usable_cores() < 2:
        return lambda: function(*args)
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def child() -> None:
        try:
            send.send((True, function(*args)))
        except BaseException:  # noqa: BLE001 - handed to the parent, which raises it
            send.send((False, traceback.format_exc()))

    with warnings.catch_warnings():  # Python 3.12 warns of forking with threads (numpy's idle pool)
        warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
        process = ctx.Process(target=child, daemon=True)  # dies with the caller
        process.start()
    send.close()

    def result() -> Any:
        try:
            ok, value = receive.recv()
        except EOFError:  # it died without a word (killed)
            process.join()
            raise RuntimeError(f"a forked helper died (exit code {process.exitcode})") from None
        process.join()
        if not ok:
            raise RuntimeError(f"a forked helper failed:\n{value}")
        return value

    return result
