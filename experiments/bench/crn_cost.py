"""The cost of common random numbers (sim.engine.random_streams), before and after, in one
process.

Both source trees (``--base``, unpacked with ``git archive``, and this checkout) are loaded in
this process (``two_engines.py``) and take turns, in alternating order, after a warm-up each:

* ``tuzla_30x5``: the runs of ``citypeace validate scenario=tuzla seeds=30`` (30 seeds x the
  baseline and its four policies, one ensemble, one process);
* ``synthetic_10k``: one 10,000-city synthetic run of 240 months (``two_engines.SETUP``);
* ``month_<n>``: with ``--large N``, single months of an N-city synthetic world (month_speed's
  settings), alternating.

Also the draws alone at the size of a 250,000-city world's ties (1.25 million): one month's
uniforms from one stream (``Generator.random``, what the offers drew before) against
:func:`keyed_uniforms` (what the offers draw now; the projects compute keyed uniforms only for
the ties with a project), CPU time and the peak memory numpy allocates (tracemalloc).

    .venv/bin/python experiments/bench/crn_cost.py --base main --repeat 5

Writes ``results/crn_cost.json`` and ``results/crn_cost.md``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
SIDES = ("before", "after")
TUZLA = (
    "from sim.engine.ensemble import Ensemble\n"
    "pols = ['baseline', 'no_abc', 'low_participation', 'no_coordination', 'no_field_visits']\n"
    "build = lambda: Ensemble('tuzla', seeds=range(30), policies=pols)\n"
)


def _cpu(engines: Any, side: str, case: str) -> float:
    sim = engines.use(side)
    from two_engines import SETUP

    setup = {"tuzla_30x5": TUZLA, "synthetic_10k": SETUP["synthetic"].format(n=10_000)}[case]
    scope: dict[str, Any] = {"PeaceModel": sim.PeaceModel}
    exec(setup, scope)  # noqa: S102 - our own fixed snippets
    start = time.process_time()
    run = scope["build"]().run()
    run.timeseries()
    return time.process_time() - start


def alternate(engines: Any, case: str, repeat: int) -> dict[str, Any]:
    for side in SIDES:
        _cpu(engines, side, case)  # warm-up
    times: dict[str, list[float]] = {side: [] for side in SIDES}
    for i in range(repeat):
        for side in SIDES if i % 2 == 0 else SIDES[::-1]:
            times[side].append(_cpu(engines, side, case))
    med = {side: statistics.median(t) for side, t in times.items()}
    return {"cpu_s": times, "median_cpu_s": med, "ratio": med["after"] / med["before"]}


def months(engines: Any, n: int, count: int) -> dict[str, Any]:
    from month_speed import _build

    models = {side: _build(engines, side, n) for side in SIDES}
    for side in SIDES:
        engines.use(side)
        models[side].step()  # warm-up
    times: dict[str, list[float]] = {side: [] for side in SIDES}
    for i in range(count):
        for side in SIDES if i % 2 == 0 else SIDES[::-1]:
            engines.use(side)
            start = time.process_time()
            models[side].step()
            times[side].append(time.process_time() - start)
    med = {side: statistics.median(t) for side, t in times.items()}
    return {"cpu_s": times, "median_cpu_s": med, "ratio": med["after"] / med["before"]}


def draws(n_ties: int, repeat: int) -> dict[str, Any]:
    """One month's uniforms for ``n_ties`` ties of one replicate: a stream's ``random`` against
    the keyed draws; CPU seconds (median) and numpy's peak allocation."""
    sys.path.insert(0, str(HERE))
    from sim.engine.random_streams import keyed_uniforms

    keys = np.random.default_rng(0).integers(0, 2**63, n_ties, dtype=np.uint64)
    gen = np.random.default_rng(1)

    def stream() -> np.ndarray:
        out = np.empty((1, n_ties))
        gen.random(out=out[0])
        return out

    def keyed() -> np.ndarray:
        return keyed_uniforms([gen], keys, np.empty((1, n_ties)))

    result: dict[str, Any] = {"ties": n_ties}
    for name, fn in (("stream", stream), ("keyed", keyed)):
        fn()
        times = []
        for _ in range(repeat):
            start = time.process_time()
            fn()
            times.append(time.process_time() - start)
        tracemalloc.start()
        fn()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        result[name] = {"cpu_ms": 1e3 * statistics.median(times), "peak_mb": peak / 2**20}
    result["ratio"] = result["keyed"]["cpu_ms"] / result["stream"]["cpu_ms"]
    return result


def markdown(meta: dict[str, Any], res: dict[str, Any]) -> str:
    lines = [
        "# The cost of common random numbers, before and after",
        "",
        f"Before: `{meta['base']}`; after: `{meta['after']}`. Both engines in one process, "
        f"alternating after a warm-up; medians of {meta['repeat']} runs per side, CPU seconds. "
        f"Load average {meta['load_before'][0]:.1f} at the start, {meta['load_after'][0]:.1f} at "
        "the end: **the machine was shared** with other helpers' work, so read the ratios.",
        "",
        "| case | before (CPU s) | after (CPU s) | after / before |",
        "| --- | ---: | ---: | ---: |",
    ]
    for case, row in res.items():
        if case == "draws":
            continue
        m = row["median_cpu_s"]
        lines.append(f"| {case} | {m['before']:.3f} | {m['after']:.3f} | **{row['ratio']:.3f}** |")
    d = res["draws"]
    lines += [
        "",
        f"One month's draws for {d['ties']:,} ties (a 250,000-city world), one replicate: a "
        f"stream's `random` {d['stream']['cpu_ms']:.1f} ms CPU (peak {d['stream']['peak_mb']:.0f}"
        f" MB), keyed {d['keyed']['cpu_ms']:.1f} ms (peak {d['keyed']['peak_mb']:.0f} MB), "
        f"ratio {d['ratio']:.2f}. The offers draw for every tie each month; the projects only "
        "for the ties with a project.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="main", help="commit of the 'before' tree")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--large", type=int, default=0, help="also N-city months (0: not)")
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from single_speed import _unpack
    from two_engines import TwoEngines

    logging.getLogger("MESA").setLevel(logging.WARNING)
    load_before = os.getloadavg()
    res: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        engines = TwoEngines({"before": _unpack(args.base, Path(tmp) / "before"), "after": HERE})
        for case in ("tuzla_30x5", "synthetic_10k"):
            res[case] = alternate(engines, case, args.repeat)
        if args.large:
            res[f"month_{args.large}"] = months(engines, args.large, args.months)
        engines._clear()
    res["draws"] = draws(1_250_000, 2 * args.repeat + 1)
    git = f"git -C {HERE}"
    meta = {
        "base": args.base,
        "after": os.popen(f"{git} rev-parse --short HEAD").read().strip()
        + (" with uncommitted changes" if os.popen(f"{git} status --porcelain sim").read() else ""),
        "repeat": args.repeat,
        "load_before": load_before,
        "load_after": os.getloadavg(),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "crn_cost.json").write_text(json.dumps({"meta": meta, **res}, indent=1))
    (args.out / "crn_cost.md").write_text(markdown(meta, res))
    print(markdown(meta, res))


if __name__ == "__main__":
    main()
