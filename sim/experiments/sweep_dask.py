"""A designed sweep on a Dask cluster: ``citypeace sweep ... --dask=ADDRESS``.

    pip install 'citypeace[dask]'
    dask scheduler                                   # on the head node (port 8786)
    dask worker tcp://head:8786 --nworkers 8 --nthreads 1      # on each node
    citypeace sweep design=lhs scenario=tuzla --dask=tcp://head:8786 \
        hydra.sweep.dir=/shared/sweeps/lhs --runs-per-job=200
    citypeace sweep design=lhs scenario=tuzla --dask=local     # a cluster on this machine

Each task is one batch of the ensemble engine: ``--runs-per-job`` consecutive runs of the
design stepped together (``sim.experiments.sweep_batch``), each run still with its own folder
named by its config hash, status, skip-if-done and failed row, so ``citypeace sweep resume``
works as with any launcher. The leader composes each batch's config (Hydra, once per distinct
base config) and sends it with the task; the workers need citypeace installed and the sweep
folder on a file system they share with the leader.

A scheduler that does not answer within ``--dask-timeout`` seconds (10 by default), whether
nothing listens or the port accepts and never replies, is one line, exit 2, before the sweep
folder is made. Dask distributed installs beside joblib
(cloudpickle >= 3), unlike hydra-ray-launcher.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sim.errors import ConfigError

TIMEOUT_S = 10.0
LOCAL_WORKERS = 2  # --dask=local: one process per core of a small machine
IN_FLIGHT = 2  # batches queued per worker thread: enough to keep them busy, little memory


async def _identity(address: str, timeout: float) -> None:
    """Ask the scheduler at ``address`` who it is, over one comm of distributed's own."""
    from distributed.comm import connect as open_comm

    comm = await open_comm(address, timeout=timeout)
    try:
        await comm.write({"op": "identity", "reply": True})
        await comm.read()
        await comm.write({"op": "close", "reply": False})
    finally:
        comm.abort()


def _answers(address: str, timeout: float) -> None:
    """Return once the scheduler at ``address`` has answered, or raise within ``timeout`` s.

    distributed's ``Client(address, timeout=...)`` bounds the TCP connect but not the wait for
    the scheduler's reply: an address that accepts the connection and never answers (a
    stopped scheduler's port, a proxy, another server) kept the command waiting for good
    (over 600 s with ``--dask-timeout=2``, distributed 2026.8.0). This whole exchange is
    under one deadline, so the command's wait is bounded whatever the other end does."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    # A loop of its own in a thread of its own: the caller may be inside a running event loop
    # (a notebook), where asyncio.run cannot start one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, asyncio.wait_for(_identity(address, timeout), timeout)).result()


def connect(address: str, timeout: float = TIMEOUT_S) -> Any:
    """A ``distributed.Client`` for ``address`` (``local`` starts a LocalCluster here), or
    one ConfigError when Dask is missing or the scheduler does not answer in time."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ConfigError(
            "command line", "--dask", address, "pip install 'citypeace[dask]' first"
        ) from None
    import dask

    # Quiet and bounded: no retries beyond the timeout, no dashboard server on the leader.
    with dask.config.set({"distributed.comm.timeouts.connect": f"{timeout}s"}):
        try:
            if address == "local":
                cluster = LocalCluster(
                    n_workers=LOCAL_WORKERS,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                )
                return Client(cluster, timeout=f"{timeout}s")
            _answers(address, timeout)
            return Client(address, timeout=f"{timeout}s")
        except (OSError, TimeoutError, ValueError) as exc:
            why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ConfigError(
                "command line",
                "--dask",
                address,
                f"a Dask scheduler that answers within {timeout:g} s ({why[:200]})",
            ) from None


def close(client: Any) -> None:
    """Close the client (and a LocalCluster it started)."""
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


def run_batch_task(cfg: Any, sweep_dir: str, subdir: str, job_num: int) -> int:
    """One batch on a worker: the runs of ``<sweep>/batches.json`` entry ``subdir``."""
    from sim.experiments.sweep_batch import run_batch

    run_batch(cfg, Path(sweep_dir), subdir)
    return job_num


def run_jobs(
    client: Any, cfg: Any, loader: Any, jobs: Sequence[Sequence[str]], sweep_dir: Path
) -> Iterator[list[Any]]:
    """Submit every job (a batch of runs) to the cluster, a few per worker at a time; yields
    after each finished batch (nothing: failures are the runs' own rows). A batch that raises
    outside its runs (a full disk) raises here."""
    from distributed import as_completed
    from omegaconf import open_dict, read_write

    from sim.experiments.sweep_launch import BATCH_SUBDIR

    def submit(num: int) -> Any:
        subdir = next(
            (o.split("=", 1)[1] for o in jobs[num] if o.startswith("hydra.sweep.subdir=")),
            f"{BATCH_SUBDIR}/{num:06d}",
        )
        # The task's config as Hydra's run_job gives it: the job's config without `hydra`.
        task_cfg = loader.load_sweep_config(cfg, list(jobs[num]))
        with read_write(task_cfg), open_dict(task_cfg):
            del task_cfg["hydra"]
        key = f"citypeace-{os.getpid()}-{Path(sweep_dir).name}-{num}"
        return client.submit(
            run_batch_task, task_cfg, str(sweep_dir), subdir, num, key=key, pure=False
        )

    workers = max(1, sum(client.nthreads().values()))
    pending = iter(range(len(jobs)))
    first = [submit(n) for _, n in zip(range(IN_FLIGHT * workers), pending, strict=False)]
    running = as_completed(first)
    try:
        for future in running:
            future.result()  # re-raises a batch's own error (an OutputError stops the sweep)
            nxt = next(pending, None)
            if nxt is not None:
                running.add(submit(nxt))
            yield []
    except BaseException:
        client.cancel(list(running.futures))
        raise
