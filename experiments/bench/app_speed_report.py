"""The app_speed benchmark's report: its results as ``results/app_speed.json`` and ``.md``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
TARGET = 20.0


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
