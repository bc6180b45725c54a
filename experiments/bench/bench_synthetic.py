"""Benchmark: synthetic worlds of N cities for 240 months (average twinning degree ~6).

Each size runs in its own process so peak RSS is that run's own. Writes
``experiments/bench/results/synthetic.json`` and ``synthetic.md``.

    .venv/bin/python experiments/bench/bench_synthetic.py            # 1k, 10k, 100k
    .venv/bin/python experiments/bench/bench_synthetic.py --sizes 1000 --months 24   # smoke
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import platform
import resource
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def _one(n: int, months: int, seed: int, queue: mp.Queue) -> None:
    import logging

    logging.getLogger("MESA").setLevel(logging.WARNING)
    from sim import PeaceModel

    t0 = time.perf_counter()
    model = PeaceModel(
        "synthetic",
        seed=seed,
        horizon=months,
        cities_every=12,
        cities_max=2000,
        synthetic={"n_cities": n, "mean_degree": 6.0, "horizon": months},
    )
    t1 = time.perf_counter()
    model.run()
    t2 = time.perf_counter()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put(
        {
            "n_cities": n,
            "months": months,
            "ties": int(model.ties.src.size),
            "agents": len(model.agents),
            "build_s": t1 - t0,
            "run_s": t2 - t1,
            "total_s": t2 - t0,
            "months_per_s": months / (t2 - t1),
            "city_months_per_s": n * months / (t2 - t1),
            "peak_rss_mb": peak_kb / 1024,
            "projects": int(model.projects.size),
        }
    )


def measure(n: int, months: int, seed: int = 1) -> dict:
    """Run one size in a fresh process and return its measurements."""
    queue: mp.Queue = mp.get_context("spawn").Queue()
    proc = mp.get_context("spawn").Process(target=_one, args=(n, months, seed, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def to_markdown(rows: list[dict]) -> str:
    lines = [
        "# Synthetic benchmark",
        "",
        f"Machine: {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}; one process per size.",
        "",
        "| cities | ties | months | build s | run s | months/s | city-months/s | peak RSS MB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['n_cities']:,} | {r['ties']:,} | {r['months']} | {r['build_s']:.2f} | "
            f"{r['run_s']:.2f} | {r['months_per_s']:.1f} | "
            f"{r['city_months_per_s']:,.0f} | {r['peak_rss_mb']:.0f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--months", type=int, default=240)
    parser.add_argument("--name", default="synthetic")
    args = parser.parse_args()
    rows = []
    for n in args.sizes:
        row = measure(n, args.months)
        print(
            f"N={n:>7,}: build {row['build_s']:.2f}s run {row['run_s']:.2f}s "
            f"({row['months_per_s']:.1f} months/s), peak {row['peak_rss_mb']:.0f} MB"
        )
        rows.append(row)
    RESULTS.mkdir(parents=True, exist_ok=True)
    from sim.outputs.atomic import write_json, write_text

    write_json(
        {"benchmark": args.name, "python": platform.python_version(), "rows": rows},
        RESULTS / f"{args.name}.json",
    )
    write_text(to_markdown(rows), RESULTS / f"{args.name}.md")


if __name__ == "__main__":
    main()
