"""Benchmark: how fast the browser app renders months (target >= 20 per second on tuzla).

Measurements, written to ``experiments/bench/results/app_speed.json`` and ``.md``:

1. **pipeline** (no browser): per month, step the model and draw both figures and the status
   line as the play loop does, CPU milliseconds per part (``time.process_time``, which other
   people's load inflates far less than wall time), on tuzla (alone, and in the Lesson 1 view:
   compare with the baseline, Tuzla inspected) and on synthetic N = 2,000.
2. **browser play** (headless Debian chromium, 1024x768): ``citypeace app`` in a subprocess,
   Play at the top speed (30 months/s, one month per frame) on tuzla. The page counts the
   network images that were decoded (``load`` events) and the server's and browser's CPU
   seconds are read from ``/proc``. Rendered months per second = decoded images / seconds.
3. **browser step** on synthetic N = 2,000: click on Step until both new images are decoded.
4. **bands**: with *30 seeds* on in Lesson 1's view, the seconds from a lever change until the
   new bands are in the series figure (and how often the progress line changed meanwhile).

The machine is a shared 2-core VM, so absolute times carry other people's load (the load
average is recorded). To compare two versions of the app fairly, ``--against DIR`` serves a
second source tree (e.g. ``git archive`` of an older commit) and measures Play on both,
alternating, in the same run: the ratio is what to quote. The browser harness (starting the
app, chromium, CPU from /proc) is ``app_browser.py``, the report ``app_speed_report.py``.

    .venv/bin/python experiments/bench/app_speed.py                # everything
    .venv/bin/python experiments/bench/app_speed.py --no-browser   # pipeline only
    .venv/bin/python experiments/bench/app_speed.py --against /tmp/old --rounds 3
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import time
from pathlib import Path
from typing import Any

# Siblings in experiments/bench/, found as this script's folder is on sys.path.
from app_browser import choose, cpu_split, month, open_page, start_app, stop, wait_month0
from app_speed_report import RESULTS, write

ROOT = Path(__file__).resolve().parents[2]

# ----------------------------------------------------------------------------- pipeline


def pipeline(scenario: str, months: int, n_cities: int = 2000, lesson: bool = False) -> dict:
    """Step + both renders + status per month, CPU ms per part, in this process."""
    from sim.app.figures import render, screen_layout
    from sim.app.runs import Session
    from sim.app.settings import Settings
    from sim.app.status import status_html

    lay = screen_layout(1024, 768)  # the projector size: the figures the page draws there
    settings = Settings(scenario=scenario, n_cities=n_cities)
    if lesson:
        settings = settings.replace(compare=True, policy="no_abc")
    ses = Session.build(settings)
    city = {"city": int(list(ses.model.actors.ids).index("tuzla"))} if lesson else {}
    render(ses, "network", lay.network)
    render(ses, "series", lay.series, **city)
    parts: dict[str, list[float]] = {"step": [], "network": [], "series": [], "status": []}
    months = min(months, ses.model.horizon - 1)
    wall = time.perf_counter()
    for _ in range(months):
        a = time.process_time()
        ses.step(1)
        b = time.process_time()
        render(ses, "network", lay.network)
        c = time.process_time()
        render(ses, "series", lay.series, **city)
        d = time.process_time()
        status_html(ses)
        e = time.process_time()
        for key, value in zip(parts, (b - a, c - b, d - c, e - d), strict=True):
            parts[key].append(value)
    wall = time.perf_counter() - wall
    cpu = {k: round(1000 * statistics.mean(v), 2) for k, v in parts.items()}
    name = scenario if scenario != "synthetic" else f"synthetic N={n_cities}"
    return {
        "scenario": name + (" (Lesson 1 view: 2 runs, Tuzla inspected)" if lesson else ""),
        "months": months,
        "cpu_ms_per_month": cpu,
        "cpu_ms_total": round(sum(cpu.values()), 1),
        "wall_months_per_s": round(months / wall, 1),
    }


# ----------------------------------------------------------------------------- browser


COUNT_FRAMES = """
() => {
  window.__cpFrames = [];
  // 'load' does not bubble, but it can be caught on the way down (capture), whichever img
  // element the page uses at the time.
  document.addEventListener('load', e => {
    if (e.target.classList && e.target.classList.contains('cp-network'))
      window.__cpFrames.push(performance.now());
  }, true);
}
"""


def play(tree: Path, seconds: float) -> dict[str, Any]:
    """Play tuzla at the top speed for ``seconds``; decoded frames per second and CPU."""
    from playwright.sync_api import sync_playwright

    proc, url = start_app(tree)
    try:
        with sync_playwright() as pw:
            browser, page = open_page(pw, url)
            wait_month0(page, "tuzla")
            page.wait_for_function(
                "() => /30 months/.test(document.querySelector('.cp-speed').innerText)"
            )
            page.wait_for_timeout(1000)  # let the first pictures settle
            page.evaluate(COUNT_FRAMES)
            m0 = month(page)
            server0, browser0 = cpu_split(proc.pid)
            page.click(".cp-play")
            page.wait_for_timeout(int(seconds * 1000))
            frames = page.evaluate("() => window.__cpFrames")
            server1, browser1 = cpu_split(proc.pid)
            if page.locator(".cp-play").is_enabled():  # disabled once the run reached its end
                page.click(".cp-play")
            m1 = month(page)
            browser.close()
    finally:
        stop(proc)
    span = (frames[-1] - frames[0]) / 1000 if len(frames) > 1 else float("nan")
    n = max(len(frames), 1)
    return {
        "tree": str(tree),
        "months_simulated": m1 - m0,
        "images_decoded": len(frames),
        "seconds": round(span, 2),
        "rendered_months_per_s": round((len(frames) - 1) / span, 1),
        "server_cpu_ms_per_image": round(1000 * (server1 - server0) / n, 1),
        "browser_cpu_ms_per_image": round(1000 * (browser1 - browser0) / n, 1),
        "load_average": round(os.getloadavg()[0], 2),
    }


def step_synthetic(presses: int) -> dict[str, Any]:
    """Click Step on synthetic N = 2,000 until both new images are decoded."""
    from playwright.sync_api import sync_playwright

    proc, url = start_app(ROOT)
    times = []
    try:
        with sync_playwright() as pw:
            browser, page = open_page(pw, url)
            wait_month0(page, "tuzla")
            choose(page, "cp-scenario", "synthetic")
            wait_month0(page, "synthetic")
            page.wait_for_timeout(1000)
            for _ in range(presses):
                src = {
                    c: page.eval_on_selector(f"img.{c}", "e => e.src")
                    for c in ("cp-network", "cp-series")
                }
                t = time.perf_counter()
                page.click(".cp-step")
                for c, old in src.items():
                    page.wait_for_function(
                        "([c, old]) => { const e = document.querySelector('img.' + c);"
                        " return e && e.src !== old && e.complete && e.naturalWidth > 0; }",
                        arg=[c, old],
                    )
                times.append(time.perf_counter() - t)
            browser.close()
    finally:
        stop(proc)
    return {
        "presses": presses,
        "click_to_both_images_median_ms": round(1000 * statistics.median(times)),
        "click_to_both_images_max_ms": round(1000 * max(times)),
    }


BANDS_READY = """
([old]) => { const e = document.querySelector('.cp-bands-progress');
  return e && e.dataset.key !== old && e.dataset.state === 'ready'; }
"""


def bands(changes: int) -> dict[str, Any]:
    """Lesson 1's view with 30 seeds on: seconds from a lever change to the new bands drawn."""
    from playwright.sync_api import sync_playwright

    proc, url = start_app(ROOT)
    out: list[dict[str, Any]] = []
    try:
        with sync_playwright() as pw:
            browser, page = open_page(pw, url)
            wait_month0(page, "tuzla")
            page.click(".cp-compare-switch input")
            choose(page, "cp-policy", "no_abc")
            wait_month0(page, "tuzla · no_abc")
            choose(page, "cp-city-select", "Tuzla (tuzla)")  # bands of Tuzla itself
            page.wait_for_selector("table.cp-city")
            first = time.perf_counter()
            page.click(".cp-bands-switch input")
            page.wait_for_function(BANDS_READY, arg=[""])
            first_s = time.perf_counter() - first
            slider = page.locator(".cp-lever-funding_scale [role=slider]").first
            for _ in range(changes):
                key = page.eval_on_selector(".cp-bands-progress", "e => e.dataset.key")
                # Count the distinct progress lines shown (the element may be re-created).
                page.evaluate(
                    "() => { window.__cpProgress = new Set(); new MutationObserver(() => {"
                    " const e = document.querySelector('.cp-bands-progress');"
                    " if (e) window.__cpProgress.add(e.innerText); }).observe(document.body,"
                    " {childList: true, characterData: true, subtree: true}); }"
                )
                slider.focus()
                t = time.perf_counter()
                page.keyboard.press("ArrowRight")  # a new value each time: nothing to reuse
                page.wait_for_function(BANDS_READY, arg=[key])
                out.append(
                    {
                        "seconds": round(time.perf_counter() - t, 2),
                        "progress_lines": page.evaluate("() => [...window.__cpProgress]"),
                        "server_says": page.inner_text(".cp-bands-progress"),
                    }
                )
            browser.close()
    finally:
        stop(proc)
    secs = [o["seconds"] for o in out]
    return {
        "switch_on_to_bands_s": round(first_s, 2),
        "lever_change_to_bands_median_s": round(statistics.median(secs), 2) if secs else None,
        "lever_change_to_bands_max_s": max(secs) if secs else None,
        "changes": out,
    }


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-browser", action="store_true", help="pipeline measurement only")
    ap.add_argument("--seconds", type=float, default=8.0, help="Play duration in the browser")
    ap.add_argument("--presses", type=int, default=8, help="Step presses on synthetic")
    ap.add_argument("--changes", type=int, default=4, help="lever changes timed with bands")
    ap.add_argument("--against", type=Path, help="another source tree to measure Play on")
    ap.add_argument("--rounds", type=int, default=2, help="Play rounds per tree")
    ap.add_argument("--against-label", default="", help="what --against is, for the table")
    ap.add_argument(
        "--only-bands",
        action="store_true",
        help="measure the bands again and keep the other results of the last run",
    )
    args = ap.parse_args(argv)
    os.environ.setdefault("MPLBACKEND", "Agg")
    results: dict[str, Any] = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "load_average_before": round(os.getloadavg()[0], 2),
        "against_label": args.against_label,
    }
    if args.only_bands:
        old = json.loads((RESULTS / "app_speed.json").read_text())
        results = {**old, "bands_measured": results["when"]}
        results["bands"] = bands(args.changes)
        print(json.dumps(results["bands"]), flush=True)
        write(results)
        return 0
    results["pipeline"] = [
        pipeline("tuzla", 180),
        pipeline("tuzla", 120, lesson=True),
        pipeline("synthetic", 60, n_cities=2000),
    ]
    for r in results["pipeline"]:
        print(json.dumps(r), flush=True)
    chromium = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    if args.no_browser or chromium is None:
        results["browser_skipped"] = "--no-browser" if args.no_browser else "chromium not found"
    else:
        trees = [ROOT] + ([args.against.resolve()] if args.against else [])
        plays = []
        for _ in range(args.rounds):
            for tree in trees:
                plays.append(play(tree, args.seconds))
                print(json.dumps(plays[-1]), flush=True)
        results["play"] = plays
        if args.against:
            ours = [p["rendered_months_per_s"] for p in plays if Path(p["tree"]) == ROOT]
            theirs = [p["rendered_months_per_s"] for p in plays if Path(p["tree"]) != ROOT]
            results["play_ratio"] = round(statistics.mean(ours) / statistics.mean(theirs), 2)
        results["step_synthetic_2000"] = step_synthetic(args.presses)
        print(json.dumps(results["step_synthetic_2000"]), flush=True)
        if args.changes:
            results["bands"] = bands(args.changes)
            print(json.dumps(results["bands"]), flush=True)
    results["load_average_after"] = round(os.getloadavg()[0], 2)
    write(results)
    print(f"wrote {RESULTS / 'app_speed.json'} and app_speed.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
