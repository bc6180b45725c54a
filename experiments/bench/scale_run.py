"""One synthetic run of the scaling benchmark, in a fresh process (``scale.py``).

:func:`run_world` generates, builds and runs one synthetic world and returns its timings, sizes
and memory checkpoints; :func:`in_fresh_process` runs it in a new interpreter, so that peak RSS
and numba's loaded loops are the run's own. ``tree`` (optional) is the source tree whose
``sim`` the run imports: the side-by-side benchmark (``scale_sides.py``) runs an older
checkout's engine that way.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import platform
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

UCLG = {"n_countries": 50, "n_networks": 20, "mean_degree": 7.4}
RECORD = {"cities_every": 12, "cities_max": 2000}  # agent-level rows: yearly, 2,000 cities


def rss_mb() -> float:
    """Current resident set size of this process, in MB (Linux)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> dict[str, Any]:
    """What the numbers were measured on, including how busy the machine was."""
    return {
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def run_world(
    n: int, months: int, seed: int, synthetic: dict[str, Any], tree: str | None = None
) -> dict[str, Any]:
    """Generate, build and run one synthetic world; timings, sizes and memory checkpoints.

    With ``tree``, the ``sim`` of that source tree (call it in a fresh process only)."""
    import logging

    logging.getLogger("MESA").setLevel(logging.WARNING)
    if tree is not None:
        sys.path.insert(0, tree)
    import sim
    from sim import PeaceModel

    if tree is not None and not Path(sim.__file__).resolve().is_relative_to(Path(tree).resolve()):
        raise RuntimeError(f"imported {sim.__file__}, not the sim of {tree}")
    from sim.scenario.synthetic import SyntheticSpec, generate

    spec = SyntheticSpec(n_cities=n, horizon=months, **synthetic)
    rss0 = rss_mb()
    c0, t0 = time.process_time(), time.perf_counter()
    case = generate(spec, seed=seed)
    t1 = time.perf_counter()
    rss_case = rss_mb()
    model = PeaceModel(case, seed=seed, **RECORD)
    c2, t2 = time.process_time(), time.perf_counter()
    rss_built = rss_mb()
    model.run()
    c3, t3 = time.process_time(), time.perf_counter()
    ties = model.ties.src.size
    agents = len(model.agents)
    # What the run computed, as one digest: equal digests are equal outputs bit for bit.
    digest = hashlib.sha256()
    for key in sorted(model.recorder.blocks):
        digest.update(np.ascontiguousarray(model.recorder.blocks[key]).tobytes())
    digest.update(model.batch.state.ties.trust.tobytes())
    return {
        "n_cities": n,
        "ties": int(ties),
        "agents": agents,
        "mean_degree": synthetic.get("mean_degree"),
        "avg_tie_degree": 2 * ties / model.n_actors,
        "months": months,
        "generate_s": t1 - t0,
        "build_s": t2 - t1,
        "setup_s": t2 - t0,
        "run_s": t3 - t2,
        "total_s": t3 - t0,
        # CPU seconds of this process: what the run costs when the shared machine is busy.
        "setup_cpu_s": c2 - c0,
        "run_cpu_s": c3 - c2,
        "total_cpu_s": c3 - c0,
        "ms_per_month": (t3 - t2) / months * 1e3,
        "agent_steps_per_s": agents * months / (t3 - t2),
        "rss_mb": {
            "start": rss0,
            "after_generate": rss_case,
            "after_build": rss_built,
            "after_run": rss_mb(),
            "peak": peak_rss_mb(),
        },
        "memory_mb": memory_breakdown(model),
        "projects": int(model.batch.state.log.size),
        "outputs_sha256": digest.hexdigest(),
    }


def memory_breakdown(model: Any) -> dict[str, float]:
    """MB held by the main structures at the end of a run (deep sizes for data frames)."""

    def arrays(obj: Any) -> int:
        return sum(v.nbytes for v in vars(obj).values() if isinstance(v, np.ndarray))

    rec, state, world = model.recorder, model.batch.state, model.world
    return {
        "scenario_tables": (
            model.case.actors.memory_usage(deep=True).sum()
            + model.case.ties.memory_usage(deep=True).sum()
        )
        / 2**20,
        "tie_arrays": (arrays(state.ties) + arrays(state.projects)) / 2**20,
        "world_tie_arrays": arrays(world.ties) / 2**20,
        "city_and_actor_arrays": (arrays(state.cities) + arrays(state.actors)) / 2**20,
        "project_log": sum(c.nbytes for c in state.log.columns.values()) / 2**20,
        "recorder_series": sum(b.nbytes for b in rec.blocks.values()) / 2**20,
        "recorder_city_rows": sum(
            v.nbytes for chunk in rec.city_chunks for v in chunk.values() if hasattr(v, "nbytes")
        )
        / 2**20,
    }


def plain(obj: Any) -> Any:
    """numpy scalars and tuples as plain JSON values, recursively."""
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [plain(v) for v in obj]
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


def _child(fn: Any, args: tuple, queue: mp.Queue) -> None:
    queue.put(plain(fn(*args)))


def in_fresh_process(fn: Any, *args: Any) -> Any:
    """``fn(*args)`` in a new interpreter (spawn), so RSS and caches are the run's own."""
    ctx = mp.get_context("spawn")
    queue: mp.Queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(fn, args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result
