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
alternating, in the same run: the ratio is what to quote.

    .venv/bin/python experiments/bench/app_speed.py                # everything
    .venv/bin/python experiments/bench/app_speed.py --no-browser   # pipeline only
    .venv/bin/python experiments/bench/app_speed.py --against /tmp/old --rounds 3
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
TICK = os.sysconf("SC_CLK_TCK")


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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_app(tree: Path) -> tuple[subprocess.Popen, str]:
    """``python -m sim app`` with ``tree`` as the working directory (so its ``sim`` runs)."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", "app", "--port", str(port)],
        cwd=tree,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("citypeace app did not start")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) of one live process."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def _tree(pid: int, kids: dict[int, list[int]]) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += kids.get(p, [])
    return out


def cpu_split(server: int) -> tuple[float, float]:
    """(server CPU s, browser CPU s): the server's process tree, and every other process this
    benchmark started (Playwright's driver and chromium)."""
    kids = _children()
    server_pids = set(_tree(server, kids))
    mine = [p for p in _tree(os.getpid(), kids) if p != os.getpid() and p not in server_pids]
    return sum(_cpu(p) for p in server_pids), sum(_cpu(p) for p in mine)


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


def _choose(page: Any, select_cls: str, option: str) -> None:
    page.click(f".{select_cls}")
    page.locator(".v-overlay--active .v-list-item").filter(
        has_text=re.compile(rf"^\s*{re.escape(option)}\s*$")
    ).first.click()
    page.keyboard.press("Escape")


def _month(page: Any) -> int:
    return int(re.search(r"month (\d+) of", page.inner_text(".cp-month")).group(1))


def _wait_month0(page: Any, scenario: str) -> None:
    page.wait_for_function(
        f"() => /month 0 of \\d+ · {scenario}/.test(document.querySelector('.cp-month').innerText)"
    )


def _open(pw: Any, url: str, size: tuple[int, int] = (1024, 768)) -> tuple[Any, Any]:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    browser = pw.chromium.launch(executable_path=chromium, args=FLAGS)
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.set_default_timeout(90_000)
    page.goto(url)
    page.wait_for_selector("img.cp-network")
    return browser, page


def play(tree: Path, seconds: float) -> dict[str, Any]:
    """Play tuzla at the top speed for ``seconds``; decoded frames per second and CPU."""
    from playwright.sync_api import sync_playwright

    proc, url = _start_app(tree)
    try:
        with sync_playwright() as pw:
            browser, page = _open(pw, url)
            _wait_month0(page, "tuzla")
            page.wait_for_function(
                "() => /30 months/.test(document.querySelector('.cp-speed').innerText)"
            )
            page.wait_for_timeout(1000)  # let the first pictures settle
            page.evaluate(COUNT_FRAMES)
            m0 = _month(page)
            server0, browser0 = cpu_split(proc.pid)
            page.click(".cp-play")
            page.wait_for_timeout(int(seconds * 1000))
            frames = page.evaluate("() => window.__cpFrames")
            server1, browser1 = cpu_split(proc.pid)
            if page.locator(".cp-play").is_enabled():  # disabled once the run reached its end
                page.click(".cp-play")
            m1 = _month(page)
            browser.close()
    finally:
        _stop(proc)
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

    proc, url = _start_app(ROOT)
    times = []
    try:
        with sync_playwright() as pw:
            browser, page = _open(pw, url)
            _wait_month0(page, "tuzla")
            _choose(page, "cp-scenario", "synthetic")
            _wait_month0(page, "synthetic")
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
        _stop(proc)
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

    proc, url = _start_app(ROOT)
    out: list[dict[str, Any]] = []
    try:
        with sync_playwright() as pw:
            browser, page = _open(pw, url)
            _wait_month0(page, "tuzla")
            page.click(".cp-compare-switch input")
            _choose(page, "cp-policy", "no_abc")
            _wait_month0(page, "tuzla · no_abc")
            _choose(page, "cp-city-select", "Tuzla (tuzla)")  # bands of Tuzla itself
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
        _stop(proc)
    secs = [o["seconds"] for o in out]
    return {
        "switch_on_to_bands_s": round(first_s, 2),
        "lever_change_to_bands_median_s": round(statistics.median(secs), 2) if secs else None,
        "lever_change_to_bands_max_s": max(secs) if secs else None,
        "changes": out,
    }


# ----------------------------------------------------------------------------- report


def write(results: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "app_speed.json").write_text(json.dumps(results, indent=2) + "\n")
    lines = [
        "# Browser app speed",
        "",
        f"Machine: {results['machine']}. Measured {results['when']}, 1-minute load average "
        f"{results['load_average_before']} before and {results['load_average_after']} after: "
        "the 2 CPUs were shared with other work, so wall times are pessimistic; CPU times and "
        f"ratios measured side by side are the fair figures. Target: >= {TARGET:g} rendered "
        "months per second on tuzla.",
        "",
        "## Pipeline (in-process, CPU ms per month: model step, network image, series image,"
        " status line)",
        "",
        "| run | months | step | network | series | status | total CPU ms | wall months/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results["pipeline"]:
        c = r["cpu_ms_per_month"]
        lines.append(
            f"| {r['scenario']} | {r['months']} | {c['step']} | {c['network']} | {c['series']}"
            f" | {c['status']} | **{r['cpu_ms_total']}** | {r['wall_months_per_s']} |"
        )
    plays = results.get("play") or []
    if plays:
        lines += [
            "",
            "## In the browser (headless chromium at 1024x768, served by `citypeace app`)",
            "",
            "tuzla, Play at the top speed (30 months/s); network images decoded by the page:",
            "",
            "| app | rendered months/s | images | seconds | server CPU ms/image |"
            " browser CPU ms/image | load |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for p in plays:
            other = results.get("against_label") or f"`{p['tree']}`"
            who = "this tree" if Path(p["tree"]) == ROOT else other
            lines.append(
                f"| {who} | **{p['rendered_months_per_s']}** | {p['images_decoded']}"
                f" | {p['seconds']} | {p['server_cpu_ms_per_image']}"
                f" | {p['browser_cpu_ms_per_image']} | {p['load_average']} |"
            )
        if results.get("play_ratio"):
            ratio = results["play_ratio"]
            lines += [
                "",
                f"Rendered months/s, this tree over the other (rounds alternated): {ratio}",
            ]
    s = results.get("step_synthetic_2000")
    if s:
        lines += [
            "",
            f"- **synthetic N = 2,000, Step:** click to both new images decoded: median "
            f"**{s['click_to_both_images_median_ms']} ms**, max "
            f"{s['click_to_both_images_max_ms']} ms over {s['presses']} presses.",
        ]
    b = results.get("bands")
    if b:
        when = f" (measured {results['bands_measured']})" if results.get("bands_measured") else ""
        lines += [
            f"- **30 seeds (Lesson 1 view, 2 runs x 30 seeds){when}:** switch on to bands "
            f"{b['switch_on_to_bands_s']} s; lever change to updated bands median "
            f"**{b['lever_change_to_bands_median_s']} s**, max {b['lever_change_to_bands_max_s']} s"
            f" over {len(b['changes'])} changes.",
        ]
    if results.get("browser_skipped"):
        lines += ["", f"Browser measurements skipped: {results['browser_skipped']}"]
    (RESULTS / "app_speed.md").write_text("\n".join(lines) + "\n")


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
