"""Benchmark: how fast the browser app renders months (target >= 20 per second on tuzla).

Three measurements, written to ``experiments/bench/results/app_speed.json`` and ``.md``:

1. **pipeline** (no browser): per month, step the model and draw both figures as the app does
   (network + time series PNG), on tuzla over its whole horizon and on synthetic N = 2,000.
2. **browser play** (headless Debian chromium): ``citypeace app`` in a subprocess, Play at the
   highest speed setting (30 months/s, one month per frame) on tuzla; a MutationObserver counts
   the network images that actually reach the page. Rendered months per second =
   images received / seconds.
3. **browser step** on synthetic N = 2,000: the time from a click on Step until both new images
   are in the page (median of several presses): what "responsive" means for a user.

    .venv/bin/python experiments/bench/app_speed.py              # all three
    .venv/bin/python experiments/bench/app_speed.py --no-browser # pipeline only
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
]
TARGET = 20.0


def pipeline(scenario: str, months: int, n_cities: int = 2000) -> dict[str, Any]:
    """Step + both renders per month, timed in-process."""
    from sim.app.figures import render, screen_layout
    from sim.app.runs import Session
    from sim.app.settings import Settings

    lay = screen_layout(1024, 768)  # the projector size: the figures the page draws there
    t0 = time.perf_counter()
    ses = Session.build(Settings(scenario=scenario, n_cities=n_cities))
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    render(ses, "network", lay.network)
    render(ses, "series", lay.series)
    first = time.perf_counter() - t0
    steps, nets, series = [], [], []
    months = min(months, ses.model.horizon)
    t_all = time.perf_counter()
    for _ in range(months):
        a = time.perf_counter()
        ses.step(1)
        b = time.perf_counter()
        render(ses, "network", lay.network)
        c = time.perf_counter()
        render(ses, "series", lay.series)
        d = time.perf_counter()
        steps.append(b - a)
        nets.append(c - b)
        series.append(d - c)
    total = time.perf_counter() - t_all

    def ms(xs: list[float]) -> dict[str, float]:
        xs = sorted(xs)
        return {
            "median_ms": round(1000 * statistics.median(xs), 1),
            "p95_ms": round(1000 * xs[int(0.95 * (len(xs) - 1))], 1),
        }

    return {
        "scenario": scenario if scenario != "synthetic" else f"synthetic N={n_cities}",
        "months": months,
        "build_s": round(build, 3),
        "first_render_s": round(first, 3),
        "step": ms(steps),
        "network_render": ms(nets),
        "series_render": ms(series),
        "months_per_s": round(months / total, 1),
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_app() -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", "app", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("citypeace app did not start")


COUNT_FRAMES = """
() => {
  window.__cpFrames = [];
  const obs = new MutationObserver(muts => {
    for (const m of muts) {
      if (m.target.classList && m.target.classList.contains('cp-network'))
        window.__cpFrames.push(performance.now());
    }
  });
  obs.observe(document.body, {attributes: true, attributeFilter: ['src'], subtree: true});
}
"""


def _choose(page: Any, select_cls: str, option: str) -> None:
    page.click(f".{select_cls}")
    page.locator(".v-overlay--active .v-list-item").filter(
        has_text=re.compile(rf"^\s*{re.escape(option)}\s*$")
    ).first.click()
    page.keyboard.press("Escape")


def _month(page: Any) -> int:
    return int(re.search(r"month (\d+) of", page.inner_text(".cp-month")).group(1))


def browser(seconds: float, presses: int) -> dict[str, Any]:
    """Play on tuzla and Step on synthetic N=2000 in headless chromium."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    proc, url = _start_app()
    out: dict[str, Any] = {}
    try:
        with sync_playwright() as pw:
            b = pw.chromium.launch(executable_path=chromium, args=FLAGS)
            page = b.new_page(viewport={"width": 1024, "height": 768})
            page.set_default_timeout(60_000)
            page.goto(url)
            page.wait_for_selector("img.cp-network")
            _choose(page, "cp-scenario", "tuzla")
            page.wait_for_function(
                "() => /month 0 of \\d+ · tuzla/.test("
                "document.querySelector('.cp-month').innerText)"
            )
            # Highest speed setting; one month per frame (the default).
            page.locator(".cp-speed [role=slider]").first.focus()
            page.keyboard.press("End")
            page.wait_for_function(
                "() => /30 months/.test(document.querySelector('.cp-speed').innerText)"
            )
            page.evaluate(COUNT_FRAMES)
            m0 = _month(page)
            page.click(".cp-play")
            page.wait_for_function("() => window.__cpFrames.length > 0")
            t0 = page.evaluate("() => window.__cpFrames[0]")
            page.wait_for_timeout(int(seconds * 1000))
            frames = page.evaluate("() => window.__cpFrames")
            if page.locator(".cp-play").is_enabled():  # disabled once the run reached its end
                page.click(".cp-play")
            m1 = _month(page)
            window = [f for f in frames if f >= t0]
            span = (window[-1] - window[0]) / 1000 if len(window) > 1 else float("nan")
            out["play_tuzla"] = {
                "speed_setting_months_per_s": 30,
                "months_simulated": m1 - m0,
                "network_images_received": len(window),
                "seconds": round(span, 2),
                "rendered_months_per_s": round((len(window) - 1) / span, 1),
            }
            # Responsiveness on synthetic N = 2,000: click Step, wait for both new images.
            _choose(page, "cp-scenario", "synthetic")
            page.wait_for_function(
                "() => /month 0 of \\d+ · synthetic/.test("
                "document.querySelector('.cp-month').innerText)"
            )
            times = []
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
                        " return e && e.src !== old && e.complete; }",
                        arg=[c, old],
                    )
                times.append(time.perf_counter() - t)
            out["step_synthetic_2000"] = {
                "presses": presses,
                "click_to_both_images_median_ms": round(1000 * statistics.median(times), 0),
                "click_to_both_images_max_ms": round(1000 * max(times), 0),
            }
            b.close()
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return out


def write(results: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "app_speed.json").write_text(json.dumps(results, indent=2) + "\n")
    lines = [
        "# Browser app speed",
        "",
        f"Machine: {results['machine']}. Measured {results['when']}, 1-minute load average "
        f"{results['load_average_before']} before and {results['load_average_after']} after "
        "(other work shared the CPUs). "
        f"Target: >= {TARGET:g} rendered months per second on tuzla.",
        "",
        "## Pipeline (in-process: model step + network image + time-series image per month)",
        "",
        "| run | months | step ms (median/p95) | network ms | series ms | months/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results["pipeline"]:
        lines.append(
            f"| {r['scenario']} | {r['months']} | {r['step']['median_ms']}/{r['step']['p95_ms']}"
            f" | {r['network_render']['median_ms']}/{r['network_render']['p95_ms']}"
            f" | {r['series_render']['median_ms']}/{r['series_render']['p95_ms']}"
            f" | **{r['months_per_s']}** |"
        )
    b = results.get("browser")
    if b:
        p, s = b["play_tuzla"], b["step_synthetic_2000"]
        lines += [
            "",
            "## In the browser (headless chromium, served by `citypeace app`)",
            "",
            f"- **tuzla, Play at the 30 months/s setting:** {p['network_images_received']} network "
            f"images reached the page in {p['seconds']} s = "
            f"**{p['rendered_months_per_s']} rendered months per second** "
            f"({p['months_simulated']} months simulated).",
            f"- **synthetic N = 2,000, Step:** click to both new images in the page: median "
            f"**{s['click_to_both_images_median_ms']:.0f} ms**, max "
            f"{s['click_to_both_images_max_ms']:.0f} ms over {s['presses']} presses.",
        ]
    else:
        lines += ["", f"Browser measurement skipped: {results.get('browser_skipped')}"]
    (RESULTS / "app_speed.md").write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-browser", action="store_true", help="pipeline measurement only")
    ap.add_argument("--seconds", type=float, default=8.0, help="Play duration in the browser")
    ap.add_argument("--presses", type=int, default=8, help="Step presses on synthetic")
    args = ap.parse_args(argv)
    os.environ.setdefault("MPLBACKEND", "Agg")
    results: dict[str, Any] = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "load_average_before": round(os.getloadavg()[0], 2),
        "pipeline": [pipeline("tuzla", 181), pipeline("synthetic", 60, n_cities=2000)],
    }
    for r in results["pipeline"]:
        print(json.dumps(r))
    chromium = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    if args.no_browser or chromium is None:
        results["browser_skipped"] = "--no-browser" if args.no_browser else "chromium not found"
    else:
        results["browser"] = browser(args.seconds, args.presses)
        print(json.dumps(results["browser"]))
    results["load_average_after"] = round(os.getloadavg()[0], 2)
    write(results)
    print(f"wrote {RESULTS / 'app_speed.json'} and app_speed.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
