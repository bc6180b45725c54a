"""Killing a sweep kills its workers: a worker process exits as soon as its sweep's leader dies.

A SIGKILL (or a SIGTERM, which Python does not turn into cleanup) of the process that leads a
sweep gives its pool no chance to stop its workers: joblib's loky workers would finish their
batches, writing into the sweep folder while a resumed sweep runs the same runs. So the leader
names itself in the environment its workers inherit (:func:`lead`), and a worker that is the
leader's child watches its parent (:func:`watch_leader`): when the parent changes (the leader
is gone and the worker was handed to init), the worker exits at once. A run it leaves
unfinished has no ``status.json`` and is redone on resume; its files are written atomically.
Remote workers (Dask, Slurm) are not the leader's children and are not watched: they run
batches the leader handed out, and the resumed sweep skips what they complete.
"""

from __future__ import annotations

import os
import threading

LEADER = "CITYPEACE_SWEEP_LEADER"
EVERY_S = 0.1  # how often a worker looks at its parent
_watching = threading.Event()


def lead() -> None:
    """Mark this process as a sweep's leader for the workers it starts."""
    os.environ[LEADER] = str(os.getpid())


def watch_leader() -> bool:
    """In a worker that is the leader's child, exit as soon as the leader is gone.

    Returns True when a watch runs (it starts once per process).
    """
    text = os.environ.get(LEADER, "")
    if not text.isdigit() or int(text) == os.getpid() or os.getppid() != int(text):
        return False
    if not _watching.is_set():
        _watching.set()
        thread = threading.Thread(
            target=_watch, args=(int(text),), name="citypeace-orphan-watch", daemon=True
        )
        thread.start()
    return True


def _watch(leader: int) -> None:
    stop = threading.Event()
    while not stop.wait(EVERY_S):
        if os.getppid() != leader:
            os._exit(3)  # the leader is gone: stop now, do not race a resumed sweep
