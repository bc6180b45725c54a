"""Elementwise work over blocks of a long array, shared between two threads when it pays.

A month's costliest steps are elementwise over a million ties at UCLG scale. Run block by
block, each block's arrays stay in cache across the step's passes, and since numpy releases
the GIL inside its loops, two threads can work on different blocks at once. Every element
is computed by the same operations whichever thread takes its block, so results are the same
bit for bit with one thread or two. Arrays of one block (everything up to 65,536 elements,
i.e. every real scenario) run inline, with no thread involved.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

BLOCK = 1 << 16
_PREFIX = "citypeace-block"

_POOLS: dict[int, ThreadPoolExecutor] = {}


def for_blocks(work: Callable[[slice], None], size: int, block: int = BLOCK) -> None:
    """Call ``work(rows)`` for consecutive slices of ``range(size)``, ``block`` rows each.

    ``work`` must write its results for ``rows`` only (blocks may run concurrently).
    """
    starts = range(0, size, block)
    # Inside a block already (a worker thread): inline, so that no worker waits on the pool.
    nested = threading.current_thread().name.startswith(_PREFIX)
    if len(starts) > 1 and not nested and threads() > 1:
        # list(): wait for every block, and raise the first error in this thread.
        list(_pool().map(lambda start: work(slice(start, start + block)), starts))
    else:
        for start in starts:
            work(slice(start, start + block))


def threads() -> int:
    """Threads for blocks: the cores this process may use, at most two (blocks gain little
    beyond), and at most ``CITYPEACE_THREADS`` if set (1 for parallel sweeps of large worlds,
    which already keep every core busy)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    limit = os.environ.get("CITYPEACE_THREADS", "").strip()
    if limit:
        try:
            cores = min(cores, max(int(limit), 1))
        except ValueError:
            raise ValueError(
                f"CITYPEACE_THREADS={limit!r}: expected a whole number of threads >= 1"
            ) from None
    return min(cores, 2)


def _pool() -> ThreadPoolExecutor:
    """This process's worker threads. Keyed by process id: a forked child (a sweep worker)
    inherits the parent's executor but not its threads, and must start its own."""
    pid = os.getpid()
    pool = _POOLS.get(pid)
    if pool is None:
        _POOLS.clear()
        pool = _POOLS[pid] = ThreadPoolExecutor(threads(), thread_name_prefix=_PREFIX)
    return pool
