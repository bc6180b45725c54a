"""Scaling benchmark: synthetic worlds from 1,000 to 250,000 cities, 240 months each.

Every size uses the UCLG-scale generator settings (50 countries, 20 city networks, twinning mean
degree 7.4, which gives about 1.25 million ties at N = 250,000) and runs in its own fresh
process, so peak RSS is that run's own. Setup (generating the world, building arrays, graph and
Mesa agents) is timed and reported as part of the run. The script writes
``experiments/bench/results/scale.json``, ``scale.md`` and ``scale.png`` (log-log time against
N with the fitted power law), and adds:

* the fit ``time = c N^k`` over all sizes (target k <= 1.1);
* the 10,000-city run with the default synthetic settings (target: 240 months <= 2 s);
* at the largest size: an estimate of the bytes one month must stream, numpy copy bandwidth on
  an array of that size, the ratio of the month to that bound, the transcendental and random
  number work that sets a compute floor, a cProfile summary, and what dominates memory.

    .venv/bin/python experiments/bench/scale.py                        # full run, ~10 min
    .venv/bin/python experiments/bench/scale.py --sizes 1000 3000 --months 24 --repeat 1
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling modules, also by path
from scale_limit import compute_floor_ns, element_costs, limit_analysis  # noqa: E402, F401
from scale_run import RECORD, UCLG, in_fresh_process, machine, plain, run_world  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
SIZES = (1000, 3000, 10_000, 30_000, 100_000, 250_000)
__all__ = ["compute_floor_ns", "element_costs", "fit_power", "machine", "plain", "plot"]
__all__ += ["run_world", "to_markdown", "UCLG"]


def measure(n: int, months: int, repeat: int, synthetic: dict[str, Any]) -> dict[str, Any]:
    """Best-of-``repeat`` run (the machine is shared: the minimum is the least disturbed)."""
    runs = [in_fresh_process(run_world, n, months, 1, synthetic) for _ in range(repeat)]
    best = min(runs, key=lambda r: r["total_s"])
    best["repeats"] = repeat
    best["total_s_all"] = [r["total_s"] for r in runs]
    best["run_s_median"] = statistics.median(r["run_s"] for r in runs)
    best["peak_rss_mb"] = max(r["rss_mb"]["peak"] for r in runs)
    return best


# ------------------------------------------------------------------ fit and plot


def fit_power(ns: list[float], ts: list[float]) -> tuple[float, float]:
    """Least squares of log t on log N: returns (k, c) of t = c N^k."""
    k, logc = np.polyfit(np.log(ns), np.log(ts), 1)
    return float(k), float(np.exp(logc))


def plot(rows: list[dict[str, Any]], fits: dict[str, tuple[float, float]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ns = np.array([r["n_cities"] for r in rows], dtype=float)
    fig, ax = plt.subplots(figsize=(6.4, 4.4), dpi=120)
    for key, label, marker in (("total_s", "total (setup + run)", "o"), ("run_s", "run", "s")):
        ts = np.array([r[key] for r in rows])
        k, c = fits[key]
        ax.loglog(ns, ts, marker, label=f"{label}: k = {k:.2f}")
        grid = np.geomspace(ns.min(), ns.max(), 50)
        ax.loglog(grid, c * grid**k, "-", lw=1, color=ax.lines[-1].get_color())
    ax.loglog(ns, ns * rows[-1]["total_s"] / ns[-1], ":", color="0.5", label="N^1 (reference)")
    ax.axhline(60, color="tab:red", lw=0.8, ls="--", label="60 s budget")
    ax.set_xlabel("cities N")
    ax.set_ylabel("seconds for 240 months")
    ax.set_title("citypeace synthetic: time against N (log-log)")
    ax.grid(True, which="both", lw=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


# ------------------------------------------------------------------ report


def to_markdown(result: dict[str, Any]) -> str:
    rows, fits = result["rows"], result["fits"]
    m = result["machine"]
    lines = [
        "# Scaling benchmark",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, Python {m['python']}, numpy {m['numpy']}; "
        f"load average at the start {m['load_average']} (the machine is shared: each size is "
        f"the best of {rows[0]['repeats']} fresh processes).",
        "",
        f"Synthetic worlds with {UCLG['n_countries']} countries, {UCLG['n_networks']} networks, "
        f"twinning mean degree {UCLG['mean_degree']}; 240 months; agent-level rows every "
        f"{RECORD['cities_every']} months for {RECORD['cities_max']:,} cities.",
        "",
        "| cities | ties | agents | setup s | run s | total s | total CPU s | ms/month "
        "| agent-steps/s | peak RSS MB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['n_cities']:,} | {r['ties']:,} | {r['agents']:,} | {r['setup_s']:.2f} | "
            f"{r['run_s']:.2f} | {r['total_s']:.2f} | {r['total_cpu_s']:.2f} | "
            f"{r['ms_per_month']:.1f} | {r['agent_steps_per_s']:,.0f} | {r['peak_rss_mb']:.0f} |"
        )
    lines += [
        "",
        "Seconds are wall time; total CPU s is the CPU time of the run's process (setup + run),",
        "which a busy machine inflates much less.",
        "",
        f"**Fit** time = c N^k over N = {rows[0]['n_cities']:,}..{rows[-1]['n_cities']:,}: "
        f"k = {fits['total_s'][0]:.3f} for the total (setup + run), "
        f"k = {fits['run_s'][0]:.3f} for the run alone (target k <= 1.1). Plot: `scale.png`.",
    ]
    if "fit_large_n" in result and len(rows) >= 3:
        lines += [
            "",
            f"Over the three largest sizes alone (N = {rows[-3]['n_cities']:,}.."
            f"{rows[-1]['n_cities']:,}) the total grows as N^{result['fit_large_n'][0]:.2f}: "
            "below ~30,000 cities the fixed cost per month (hundreds of small numpy calls) "
            "flattens the curve, above it the month is linear in the number of ties.",
        ]
    big = rows[-1]
    if big["n_cities"] >= 250_000:
        ok = big["total_s"] <= 60 and big["peak_rss_mb"] <= 4096
        lines += [
            "",
            f"**UCLG scale** (N = {big['n_cities']:,}, {big['ties']:,} ties): total "
            f"{big['total_s']:.1f} s (setup {big['setup_s']:.1f} s: generate "
            f"{big['generate_s']:.1f} s, arrays + graph + {big['agents']:,} Mesa agents "
            f"{big['build_s']:.1f} s), peak RSS {big['peak_rss_mb']:.0f} MB: target <= 60 s "
            f"and <= 4 GB {'met' if ok else 'NOT met'}.",
            "",
            "Memory at the end of that run (MB): "
            + ", ".join(f"{k.replace('_', ' ')} {v:.0f}" for k, v in big["memory_mb"].items())
            + ". RSS checkpoints (MB): "
            + ", ".join(f"{k.replace('_', ' ')} {v:.0f}" for k, v in big["rss_mb"].items())
            + ".",
        ]
    ten = result.get("default_10k")
    if ten:
        verdict = "met" if ten["total_s"] <= 2 else "run met, not with setup"
        verdict = verdict if ten["run_s"] <= 2 else "NOT met"
        lines += [
            "",
            f"**10,000 cities x 240 months** (default synthetic settings, {ten['ties']:,} ties): "
            f"run {ten['run_s']:.2f} s, total with setup {ten['total_s']:.2f} s "
            f"(target <= 2 s: {verdict}).",
        ]
    lim = result.get("limit")
    if lim:
        lines += [
            "",
            f"## Close to the limit (N = {lim['n_cities']:,}, {lim['ties']:,} ties)",
            "",
            f"- One month: best {lim['month_ms_best']:.1f} ms "
            f"(median {lim['month_ms_median']:.1f}).",
            f"- Bytes one month must stream at least once (state read and written, inputs read, "
            f"its own per-tie results written and read back): {lim['traffic_bytes'] / 1e6:.0f} MB "
            f"({lim['traffic_bytes_per_tie']:.0f} B per tie).",
            f"- numpy copy of an array that size: {lim['copy_ms_same_bytes']:.1f} ms "
            f"({lim['copy_bandwidth_gb_s']:.1f} GB/s read + write).",
            f"- Ratio of the month to that memory-bandwidth bound: "
            f"**{lim['ratio_month_to_bandwidth_bound']:.1f}x**.",
            f"- Compute floor: the rules' exp and cbrt evaluations and random draws alone "
            f"take {lim['compute_floor_ms']:.0f} ms of one core "
            f"({100 * lim['compute_floor_share']:.0f}% of the month; at this size the "
            f"elementwise rules run over cache-sized blocks of ties, sim/engine/chunks.py, and "
            f"the parts of each offer are counted in one compiled loop, sim/rules/fused.py); "
            f"per element (ns): "
            + ", ".join(f"{k} {v:.1f}" for k, v in lim["element_ns"].items())
            + ".",
            "",
            "Where the time goes (cProfile, own time; numpy's C functions appear by name):",
            "",
            "| function | where | calls/month | own ms/month | share |",
            "| --- | --- | ---: | ---: | ---: |",
        ]
        for p in lim["profile"]:
            lines.append(
                f"| {p['function']} | {p['where']} | {p['calls_per_month']:.0f} | "
                f"{p['own_ms_per_month']:.1f} | {100 * p['share']:.1f}% |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--months", type=int, default=240)
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per size")
    parser.add_argument("--limit-months", type=int, default=12, help="months for the analysis")
    parser.add_argument("--no-limit", action="store_true", help="skip the limit analysis")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--name", default="scale")
    args = parser.parse_args()

    result: dict[str, Any] = {"benchmark": args.name, "machine": machine(), "settings": UCLG}
    rows = []
    for n in sorted(args.sizes):
        row = measure(n, args.months, args.repeat, UCLG)
        rows.append(row)
        print(
            f"N={n:>7,}: ties {row['ties']:>9,}  setup {row['setup_s']:6.2f}s  run "
            f"{row['run_s']:6.2f}s  total {row['total_s']:6.2f}s  peak {row['peak_rss_mb']:.0f} MB",
            flush=True,
        )
    result["rows"] = rows
    if len(rows) >= 2:
        ns = [r["n_cities"] for r in rows]
        result["fits"] = {
            key: fit_power(ns, [r[key] for r in rows]) for key in ("total_s", "run_s")
        }
        # The slope where per-month fixed costs no longer matter: the three largest sizes.
        top = rows[-3:]
        result["fit_large_n"] = fit_power([r["n_cities"] for r in top], [r["total_s"] for r in top])
    else:
        result["fits"] = {"total_s": (float("nan"), 0.0), "run_s": (float("nan"), 0.0)}
    fits = result["fits"]
    print(f"fit k: total {fits['total_s'][0]:.3f}, run {fits['run_s'][0]:.3f}")
    default = measure(10_000, args.months, args.repeat, {})
    result["default_10k"] = default
    print(f"default N=10,000: run {default['run_s']:.2f}s total {default['total_s']:.2f}s")
    if not args.no_limit:
        result["limit"] = in_fresh_process(limit_analysis, max(args.sizes), args.limit_months, UCLG)
        lim = result["limit"]
        print(
            f"limit: month {lim['month_ms_best']:.0f} ms, bound {lim['copy_ms_same_bytes']:.1f} ms "
            f"-> ratio {lim['ratio_month_to_bandwidth_bound']:.1f}x; "
            f"compute floor {lim['compute_floor_ms']:.0f} ms"
        )
    args.out.mkdir(parents=True, exist_ok=True)
    from sim.outputs.atomic import write_json, write_text

    write_json(plain(result), args.out / f"{args.name}.json")
    write_text(to_markdown(result), args.out / f"{args.name}.md")
    if len(rows) >= 2:
        plot(rows, result["fits"], args.out / f"{args.name}.png")
    print("wrote", args.out / f"{args.name}.json")


if __name__ == "__main__":
    main()
