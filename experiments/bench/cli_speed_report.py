"""The Markdown tables of a command-line speed result (``cli_speed.py``'s JSON)."""

from __future__ import annotations

from typing import Any


def to_markdown(result: dict[str, Any]) -> str:
    lines = [
        "# Command line speed (issue 17)",
        "",
        f"Before: `{result['before_ref']}` ({result['before_commit'][:10]}); after: "
        f"{result['after_commit'][:10]}, as a repeated command runs (its plan in the plan "
        "cache) and as a first run (`CITYPEACE_CACHE=0`: Hydra composes, the config is "
        "validated); both draw the dashboard in the forked painter, as the command does. "
        "Median of "
        f"{result['repeats']} fresh processes each, alternating; wall and CPU (user + system, "
        "the painter's included) seconds. The model's own time is build and run in a warm "
        "process, through `PeaceModel` (model) and as the command drives it (engine: a batch "
        "of one); the last columns compare the command with the engine's time. Shared 2-core "
        "VM, load average "
        f"{', '.join(f'{x:.1f}' for x in result['machine']['load_average_start'])} at the "
        f"start, {', '.join(f'{x:.1f}' for x in result['machine']['load_average'])} at the "
        "end: wall times carry the other jobs' load, so compare ratios within a row.",
        "",
        "| command | before wall | after wall | after / before, wall | first run wall "
        "| before CPU | after CPU | first run CPU | model wall | engine wall "
        "| after / engine, wall | first run / engine, wall |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in result["rows"]:
        model, engine = r.get("model_s"), r.get("engine_s", r.get("model_s"))
        one_wall = r.get("after_first_run_wall_s", r.get("after_one_process_wall_s"))
        one_cpu = r.get("after_first_run_cpu_s", r.get("after_one_process_cpu_s"))

        def against(wall: float | None, engine: float | None = engine) -> str:
            if not engine or wall is None:
                return ""
            return f"{wall / engine:.2f}x (+{wall - engine:.2f} s)"

        lines.append(
            f"| `{r['command']}` | {r['before_wall_s']:.2f} s | {r['after_wall_s']:.2f} s | "
            f"{r['after_wall_s'] / r['before_wall_s']:.2f} | "
            f"{'' if one_wall is None else f'{one_wall:.2f} s'} | "
            f"{r['before_cpu_s']:.2f} s | {r['after_cpu_s']:.2f} s | "
            f"{'' if one_cpu is None else f'{one_cpu:.2f} s'} | "
            f"{'' if model is None else f'{model:.2f} s'} | "
            f"{'' if 'engine_s' not in r else f'{engine:.2f} s'} | "
            f"{against(r['after_wall_s'])} | {against(one_wall)} |"
        )  # fmt: skip
    lines += [
        "",
        "CPU seconds against the engine's own CPU time (the command's CPU includes the "
        "painter's, which imports Matplotlib and draws while the parent runs):",
        "",
        "| command | after CPU / engine CPU | first run CPU / engine CPU |",
        "| --- | ---: | ---: |",
    ]
    for r in result["rows"]:
        if r.get("engine_cpu_s"):
            e = r["engine_cpu_s"]
            first = r.get("after_first_run_cpu_s")
            lines.append(
                f"| `{r['command']}` | {r['after_cpu_s'] / e:.2f}x "
                f"(+{r['after_cpu_s'] - e:.2f} s) | "
                + ("" if first is None else f"{first / e:.2f}x (+{first - e:.2f} s)") + " |"
            )  # fmt: skip
    new_rows = [r for r in result["rows"] if "after_new_command_wall_s" in r]
    if new_rows:
        how = (
            "its plan composed by Hydra"
            if not result.get("new_command_after_a_seed")
            else "after a run with another seed: its plan from that seed's template, sim.cli.seeds"
        )
        lines += [
            "",
            f"A new command (a seed not run before: {how}, its scenario "
            "from the scenario cache, as a user's next command), beside the repeated one and "
            "the first run with every cache off:",
            "",
            "| command | repeated wall | new command wall | first run wall | repeated CPU "
            "| new command CPU | first run CPU | new command / engine, wall |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in new_rows:
            e = r.get("engine_s")
            vs = "" if not e else (f"{r['after_new_command_wall_s'] / e:.2f}x "
                                   f"(+{r['after_new_command_wall_s'] - e:.2f} s)")  # fmt: skip
            lines.append(
                f"| `{r['command']}` | {r['after_wall_s']:.2f} s | "
                f"{r['after_new_command_wall_s']:.2f} s | {r['after_first_run_wall_s']:.2f} s | "
                f"{r['after_cpu_s']:.2f} s | {r['after_new_command_cpu_s']:.2f} s | "
                f"{r['after_first_run_cpu_s']:.2f} s | {vs} |"
            )  # fmt: skip
    own = result.get("parent_only")
    if own:
        lines += [
            "",
            "The command's own process alone (no dashboard, no painter; median of "
            f"{own['repeats']}, alternating; load average "
            f"{', '.join(f'{x:.1f}' for x in own['load_average_start'])} at the start, "
            f"{', '.join(f'{x:.1f}' for x in own['load_average'])} at the end):",
            "",
            "| command | before wall | after wall | first run wall | before CPU | after CPU "
            "| after / before, CPU | first run CPU | first run / before, CPU |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in own["rows"]:
            lines.append(
                f"| `{r['command']}` | {r['before_wall_s']:.2f} s | {r['after_wall_s']:.2f} s | "
                f"{r['after_first_run_wall_s']:.2f} s | {r['before_cpu_s']:.2f} s | "
                f"{r['after_cpu_s']:.2f} s | {r['after_cpu_s'] / r['before_cpu_s']:.2f} | "
                f"{r['after_first_run_cpu_s']:.2f} s | "
                f"{r['after_first_run_cpu_s'] / r['before_cpu_s']:.2f} |"
            )  # fmt: skip
    d = result["dashboard"]
    lines += [
        "",
        f"Dashboard (tuzla, draw and save, in process, alternating, median of "
        f"{result.get('dashboard_repeats', max(result['repeats'], 5))}"
        + (f"; load average {result['dashboard_load'][0][0]:.1f} at the start, "
           f"{result['dashboard_load'][1][0]:.1f} at the end" if "dashboard_load" in result
           else "")
        + f"): before {d['before_s']:.2f} s wall "
        f"({d['before_cpu_s']:.2f} s CPU), after {d['after_s']:.2f} s wall "
        f"({d['after_cpu_s']:.2f} s CPU): {d['after_cpu_s'] / d['before_cpu_s']:.2f} of the CPU"
        + (f"; fastest {d['before_min_s']:.2f} s and {d['after_min_s']:.2f} s."
           if "after_min_s" in d else "."),
        "",
    ]  # fmt: skip
    p = result.get("painter")
    if p:
        lines += [
            f"The painter's part after the run (tuzla's series to the PNG, fresh processes, "
            "alternating, median of "
            f"{result.get('dashboard_repeats', max(result['repeats'], 5))}): "
            f"before {p['before_s']:.2f} s "
            f"wall ({p['before_cpu_s']:.2f} s CPU), after {p['after_s']:.2f} s wall "
            f"({p['after_cpu_s']:.2f} s CPU): {p['after_cpu_s'] / p['before_cpu_s']:.2f} of the "
            "CPU (the after side warms up first, while the parent would run the model).",
            "",
        ]
    lines += [
        "Targets: two_cities horizon=1 <= 1.5 s wall; tuzla within 1 s of the model's time; "
        "the synthetic 10,000-city run within 1.5x of the model's time; dashboard <= 0.3 s.",
        "",
    ]  # fmt: skip
    return "\n".join(lines)
