"""perfbatch's before/after: tuzla's batched runs and the 10k world, two engines in one process.

Both source trees (``--base``, a ``git archive`` unpacked to a folder, and this checkout) are
loaded in this process (``two_engines.py``) and take turns, the order alternating each round,
after one warm-up of each (which loads numba's cached loops in this process and its forked
workers' parent). Each round times, on each side:

- ``lhs1000``: the first 1,000 points of ``design=bench_lhs`` on tuzla, 240 months, as
  ``Ensemble(..., workers=2)`` runs them (what ``citypeace sweep design=bench_lhs`` steps;
  its records and files are not here);
- ``validate150``: validate's 150 runs (5 policies x 30 seeds, the union path), 2 workers;
- ``synthetic10k``: one 10,000-city synthetic world, 240 months (``PeaceModel``; the world's
  generation outside the clock).

Wall seconds and CPU seconds (this process and its reaped workers); medians over the rounds.
The validate ensemble's model-level series are also compared between the sides (a digest of
``Ensemble.timeseries()``): the change must not move a number; so are the LHS ensemble's
(``--lhs-digest``: a digest of pandas' row hashes of its 240,000 rows, branch kernels14).

    .venv/bin/python experiments/bench/perfbatch_ab.py --base /tmp/before --repeat 5

Writes ``results/<name>.json`` and ``.md`` (default ``perfbatch``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
sys.path.insert(0, str(Path(__file__).resolve().parent))
from two_engines import SETUP, TwoEngines  # noqa: E402

SIDES = ("before", "after")


def clock() -> tuple[float, float]:
    """(wall, CPU of this process and its reaped children)."""
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter(), time.process_time() + kids.ru_utime + kids.ru_stime


def workload(engines: TwoEngines, side: str, name: str, inputs: dict) -> tuple[float, float, Any]:
    """(wall s, CPU s, the ensemble or model) of one workload on ``side``."""
    sim = engines.use(side)
    if name == "synthetic10k":
        scope: dict[str, Any] = {"PeaceModel": sim.PeaceModel}
        exec(SETUP["synthetic"].format(n=10_000), scope)  # noqa: S102 - our own snippet
        start = clock()
        model = scope["build"]()
        model.run()
        done = model
    else:
        reps, horizon = inputs[side][name]
        start = clock()
        done = sim.Ensemble("tuzla", reps, horizon=horizon, workers=2).run()
        assert not done.failures, done.failures
    wall, cpu = clock()
    # keep what the run imported lazily: the next swap would drop it
    engines.modules[side].update(
        {k: v for k, v in sys.modules.items() if k == "sim" or k.startswith("sim.")}
    )
    return wall - start[0], cpu - start[1], done


def replicates(engines: TwoEngines, side: str) -> dict[str, tuple[list, int | None]]:
    """Each side's replicates, built with its own classes."""
    engines.use(side)
    sys.modules.pop("ensemble_speed", None)
    from ensemble_speed import lhs_replicates, validate_replicates

    out = {"lhs1000": (lhs_replicates(1000), 240), "validate150": (validate_replicates(30), None)}
    engines.modules[side].update(
        {k: v for k, v in sys.modules.items() if k == "sim" or k.startswith("sim.")}
    )
    return out


def digest(ens: Any) -> str:
    frame = ens.timeseries()
    return hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()[:16]


def fast_digest(ens: Any) -> str:
    """A digest of a large ensemble's model-level series (pandas' row hashes, values and index)."""
    import pandas as pd

    frame = ens.timeseries()
    rows = pd.util.hash_pandas_object(frame, index=True).to_numpy()
    return hashlib.sha256(rows.tobytes() + ",".join(map(str, frame.columns)).encode()).hexdigest()[
        :16
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", nargs="*", default=["lhs1000", "validate150", "synthetic10k"])
    parser.add_argument("--name", default="perfbatch")
    parser.add_argument("--base-label", default="e4b0bd4", help="the base's commit, for the title")
    parser.add_argument("--lhs-digest", action="store_true", help="compare the LHS series too")
    args = parser.parse_args()
    logging.getLogger("MESA").setLevel(logging.WARNING)
    load_before = os.getloadavg()
    engines = TwoEngines({"before": args.base, "after": HERE})
    inputs = {side: replicates(engines, side) for side in SIDES}
    digests = {}
    for side in SIDES:  # warm-up, and the validate series of each side
        for name in args.only:
            _, _, done = workload(engines, side, name, inputs)
            if name == "validate150":
                digests[side] = digest(done)
            if name == "lhs1000" and args.lhs_digest:
                digests[f"lhs1000_{side}"] = fast_digest(done)
    times: dict[str, dict[str, list]] = {n: {s: [] for s in SIDES} for n in args.only}
    loads = []
    for i in range(args.repeat):
        for name in args.only:
            for side in SIDES if i % 2 == 0 else SIDES[::-1]:
                wall, cpu, _ = workload(engines, side, name, inputs)
                times[name][side].append((round(wall, 3), round(cpu, 3)))
        loads.append(os.getloadavg()[0])
        print(i, {n: {s: t[-1] for s, t in v.items()} for n, v in times.items()}, flush=True)
    rows = {}
    for name, by_side in times.items():
        med = {
            side: {
                "wall_s": statistics.median(w for w, _ in t),
                "cpu_s": statistics.median(c for _, c in t),
            }
            for side, t in by_side.items()
        }
        rows[name] = {
            **med,
            "ratio_wall": med["after"]["wall_s"] / med["before"]["wall_s"],
            "ratio_cpu": med["after"]["cpu_s"] / med["before"]["cpu_s"],
            "runs": by_side,
        }
    commit = subprocess.run(
        ["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    meta = {
        "base": str(args.base), "commit": commit, "repeat": args.repeat,
        "load_before": list(load_before), "load_after": list(os.getloadavg()),
        "loads_per_round": loads, "cpus": os.cpu_count(),
        "date": time.strftime("%Y-%m-%d %H:%M"), "validate_series_digest": digests,
        "name": args.name, "base_label": args.base_label,
    }  # fmt: skip
    from sim.outputs.atomic import write_text

    text = json.dumps({"meta": meta, "rows": rows}, indent=1) + "\n"
    write_text(text, RESULTS / f"{args.name}.json")
    write_text(markdown(meta, rows), RESULTS / f"{args.name}.md")
    print(markdown(meta, rows))


LABEL = {
    "lhs1000": "1,000-run LHS of tuzla, 240 months, 2 workers: the runs",
    "validate150": "validate's 150 tuzla runs (union path), 2 workers: the runs",
    "synthetic10k": "synthetic 10,000 cities x 240 months, one run",
}


def markdown(meta: dict, rows: dict) -> str:
    lines = [
        f"# {meta.get('name', 'perfbatch')}: tuzla's batches before and after "
        f"({meta['commit']} against {meta.get('base_label', 'e4b0bd4')})",
        "",
        f"Both engines in one process, alternating, {meta['repeat']} rounds after a warm-up of "
        f"each; medians. {meta['cpus']} CPUs shared with five other helpers: load average "
        f"{meta['load_before'][0]:.1f} at the start, "
        f"{', '.join(f'{x:.1f}' for x in meta['loads_per_round'])} after each round. CPU "
        "counts this process and its forked workers. The validate ensemble's model-level "
        f"series digest: before {meta['validate_series_digest'].get('before')}, after "
        f"{meta['validate_series_digest'].get('after')}"
        + (
            f"; the LHS ensemble's: before {meta['validate_series_digest']['lhs1000_before']}, "
            f"after {meta['validate_series_digest']['lhs1000_after']}."
            if "lhs1000_before" in meta["validate_series_digest"]
            else "."
        ),
        "",
        "| work | before: wall s | CPU s | after: wall s | CPU s | after / before (wall, CPU) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in rows.items():
        b, a = r["before"], r["after"]
        lines.append(
            f"| {LABEL[name]} | {b['wall_s']:.2f} | {b['cpu_s']:.2f} | {a['wall_s']:.2f} | "
            f"{a['cpu_s']:.2f} | {r['ratio_wall']:.2f}, {r['ratio_cpu']:.2f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
