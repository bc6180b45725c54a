"""Close to the limit: a large world's month against memory bandwidth and a compute floor.

Used by ``scale.py`` (``limit``) and ``compare_mesa.py`` (the compute floor): the bytes one
month must stream against numpy's copy bandwidth on an array of that size, the transcendental
and random-number work no month can avoid, and a cProfile summary of a few months.
"""

from __future__ import annotations

import cProfile
import pstats
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np
from scale_run import RECORD


def month_traffic(model: Any) -> dict[str, Any]:
    """Bytes one month must stream at least once: state read and written, inputs read.

    A lower bound on memory traffic: each array the month touches counted once per direction
    (the month makes many more passes; temporaries are not counted). Arrays the month reads and
    writes count twice.
    """
    state, w = model.batch.state, model.world
    t, c, a, v = state.ties, state.cities, state.actors, w.ties
    e = v.src.size
    read_write = [t.trust, t.memory, t.intensity, t.last_contact, t.age]
    read_write += [c.D, c.S, c.C, c.needs, c.capacity, c.cohesion, c.displaced]
    read_write += [c.last_received, c.received, state.projects.row]
    read_only = [v.src, v.dst, v.cross_divide, v.carries, v.pair, v.src_is_io, v.middle_src]
    read_only += [v.carefree, v.mandate]
    read_only += [c.population, c.participation, c.diversity, c.pressure]
    read_only += [a.will, a.resources, w.actors.community, w.actors.country]
    # The month's own per-tie results: offer (3 pillars), acceptance draw, accepted, declined.
    written = 3 * e * 8 + e * 8 + 2 * e
    per_month = 2 * sum(x.nbytes for x in read_write) + sum(x.nbytes for x in read_only)
    per_month += 2 * written  # written once and read back at least once
    return {"bytes": int(per_month), "bytes_per_tie": per_month / e, "ties": int(e)}


def copy_seconds(nbytes: int, repeat: int = 7) -> float:
    """Best time to copy an array of nbytes/2 (reads nbytes/2 and writes nbytes/2 = nbytes)."""
    src = np.random.default_rng(0).random(max(nbytes // 16, 1))
    dst = np.empty_like(src)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        np.copyto(dst, src)
        best = min(best, time.perf_counter() - t0)
    return best


def element_costs() -> dict[str, float]:
    """Nanoseconds per element of the expensive elementwise work (1M elements, best of 5)."""
    x = np.random.default_rng(0).normal(size=1_000_000)
    rng = np.random.default_rng(1)
    out = {}
    for name, fn in (
        ("exp", lambda: np.exp(x)),
        ("cbrt", lambda: np.cbrt(x)),
        ("random", lambda: rng.random(x.size)),
        ("normal", lambda: rng.normal(0.0, 1.0, x.size)),
        ("add", lambda: x + x),
    ):
        best = float("inf")
        for _ in range(5):
            t0 = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t0)
        out[name] = best / x.size * 1e9
    return out


def compute_floor_ns(model: Any, costs: dict[str, float]) -> tuple[int, float]:
    """(ties with an offer, nanoseconds) of the elementwise math one month cannot avoid.

    Read from the model's last month: acceptance on ties with an offer and five logistic
    targets per city (one exp each); exp in benefit, peace work and three per-city saturations;
    one cube root per city for the peace index; one uniform per tie and three normals per city.
    """
    e, n_c = model.ties.src.size, model.n_cities
    bids = int(np.count_nonzero(model.month.has_offer))
    worked = int(np.count_nonzero(model.month.flows[2] > 0))
    floor_ns = (
        (2 * bids + worked + 8 * n_c) * costs["exp"]
        + n_c * costs["cbrt"]
        + e * costs["random"]
        + 3 * n_c * costs["normal"]
    )
    return bids, floor_ns


def limit_analysis(n: int, months: int, synthetic: dict[str, Any]) -> dict[str, Any]:
    """Month time against the memory-bandwidth bound and a compute floor, plus a profile."""
    import logging

    logging.getLogger("MESA").setLevel(logging.WARNING)
    from sim import PeaceModel

    model = PeaceModel(
        "synthetic",
        seed=1,
        horizon=240,
        synthetic={"n_cities": n, "horizon": 240, **synthetic},
        **RECORD,
    )
    for _ in range(3):  # warm up: caches filled, first projects started
        model.step()
    times = []
    for _ in range(months):
        t0 = time.perf_counter()
        model.step()
        times.append(time.perf_counter() - t0)
    month_s = min(times)
    traffic = month_traffic(model)
    copy_s = copy_seconds(traffic["bytes"])
    costs = element_costs()
    e = model.ties.src.size
    bids, floor_ns = compute_floor_ns(model, costs)
    profile = profile_months(model, max(months // 2, 3))
    return {
        "n_cities": n,
        "ties": int(e),
        "month_ms_best": month_s * 1e3,
        "month_ms_median": statistics.median(times) * 1e3,
        "traffic_bytes": traffic["bytes"],
        "traffic_bytes_per_tie": traffic["bytes_per_tie"],
        "copy_ms_same_bytes": copy_s * 1e3,
        "copy_bandwidth_gb_s": traffic["bytes"] / copy_s / 1e9,
        "ratio_month_to_bandwidth_bound": month_s / copy_s,
        "element_ns": costs,
        "compute_floor_ms": floor_ns / 1e6,
        "compute_floor_share": floor_ns / 1e9 / month_s,
        "ties_with_offer": bids,
        "profile": profile,
    }


def profile_months(model: Any, months: int) -> list[dict[str, Any]]:
    """cProfile over a few months: the functions with the most time of their own."""
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(months):
        model.step()
    prof.disable()
    stats = pstats.Stats(prof).stats  # {(file, line, name): (cc, nc, tt, ct, callers)}
    total = sum(v[2] for v in stats.values())
    rows = []
    for (file, line, name), (_cc, calls, tottime, _cum, _callers) in stats.items():
        where = f"{Path(file).parent.name}/{Path(file).name}:{line}" if line else file
        rows.append(
            {
                "function": name if line else f"{name}",
                "where": where,
                "calls_per_month": calls / months,
                "own_ms_per_month": tottime / months * 1e3,
                "share": tottime / total,
            }
        )
    rows.sort(key=lambda r: -r["own_ms_per_month"])
    return rows[:15]
