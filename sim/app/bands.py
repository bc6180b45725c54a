"""The "30 seeds" switch: median and 80% bands of each run on screen, from an ensemble.

The ensemble (:class:`sim.engine.ensemble.Ensemble`) runs in a worker thread (``use_task``),
one batch per run on screen (its 30 seeds stepped together by the batched engine), so the page
shows progress between runs and stays responsive; a lever change starts a new one and the old
result is dropped. Bands ignore dated interventions (the ensemble has none).

Smaller chunks cost time: on tuzla, 2 runs x 30 seeds took 8.4 s in chunks of 10 replicates
and 3.7 s in chunks of 30 (measured side by side in one process on a shared 2-core machine).
"""

from __future__ import annotations

import hashlib
import html
import math
import time
from typing import Any

import numpy as np
import pandas as pd
import solara
import solara.lab
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sim.app.blit import figure_png, short

SEEDS = 30
QUANTILES = [0.1, 0.5, 0.9]
CITY_SERIES = ("positive_peace", "negative_peace", "needs")  # a chosen city's own bands
CITY_CAP = 200  # cities recorded per replicate (bigger uploaded worlds: a sample)
BAND_SERIES = (
    ("positive_peace", "positive peace"),
    ("negative_peace", "negative peace"),
    ("cross_divide_trust", "cross-divide trust"),
    ("needs", "needs"),
)
COLOURS = ("#1565c0", "#c62828", "#2e7d32", "#6a1b9a")

_results: dict[tuple, dict[str, Any]] = {}  # key -> {"quantiles": frame, "seconds": s}
_per_run: dict[tuple, pd.DataFrame] = {}  # (scenario, files, policy, levers, seeds) -> quantiles


def ensemble_key(ses: Any) -> tuple:
    """What the bands depend on: scenario and each run's policy and levers (not the seed).

    The scenario is named with its files' sizes and times, so an edited upload under the same
    name is not answered from the cache.
    """
    name = ses.settings.scenario
    return (
        (name, _files_stamp(name)),
        *[(r.settings.policy, tuple(r.settings.levers().items())) for r in ses.runs],
    )


def _files_stamp(name: str) -> str:
    from sim.scenario.loader import scenario_folder

    try:
        folder = scenario_folder(name)
        stats = [(p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.iterdir())]
    except Exception:  # noqa: BLE001 - synthetic, or unreadable: the name alone
        return ""
    return hashlib.sha1(repr(stats).encode()).hexdigest()[:12]


def run_bands(key: tuple, progress: Any = None) -> dict[str, Any]:
    """Run ``SEEDS`` seeds of every run in ``key``; quantiles by run index and month.

    ``quantiles``: the whole model's series, index (run, step); ``cities``: each city's own
    (``CITY_SERIES``), index (run, city id, step). ``progress(done, total)`` is called after
    each run's seeds. A run whose policy and levers did not change is not run again
    (``_per_run``): a lever moved in compare mode recomputes only the run that moved.
    """
    (scenario, stamp), *runs = key
    t0 = time.perf_counter()
    total = SEEDS * len(runs)
    parts, fresh = [], 0
    for i, (policy, levers) in enumerate(runs):
        one = (scenario, stamp, policy, levers, SEEDS)
        if one not in _per_run:
            _per_run[one] = _run_quantiles(scenario, policy, levers)
            fresh += SEEDS
            while len(_per_run) > 8:  # a handful of recent runs; each is a small frame
                _per_run.pop(next(iter(_per_run)))
        parts.append(_per_run[one])
        if progress is not None:
            progress(SEEDS * (i + 1), total)
    runs_index = list(range(len(parts)))
    return {
        "quantiles": pd.concat([m for m, _ in parts], keys=runs_index, names=["run"]),
        "cities": pd.concat([c for _, c in parts], keys=runs_index, names=["run"]),
        "seconds": time.perf_counter() - t0,
        "replicates": total,
        "computed": fresh,
    }


def _run_quantiles(scenario: str, policy: str, levers: tuple) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One run's 10th, 50th and 90th percentiles by month over ``SEEDS`` seeds in one batch:
    the whole model's series, and each city's own (so that a chosen city needs no new run)."""
    from sim.engine.ensemble import Ensemble, Replicate

    reps = [Replicate(seed=s, policy=policy, levers=dict(levers)) for s in range(SEEDS)]
    ens = Ensemble(scenario, replicates=reps, cities_every=1, cities_max=CITY_CAP).run()
    ts = ens.timeseries()
    cols = [c for c, _ in BAND_SERIES if c in ts]
    model = ts.groupby("step")[cols].quantile(QUANTILES).unstack()
    cities = ens.cities()
    own = [c for c in CITY_SERIES if c in cities]
    per_city = cities.groupby(["id", "step"])[own].quantile(QUANTILES).unstack()
    return model, per_city


def draw_bands(
    result: dict[str, Any],
    labels: list[str],
    start: str,
    size: tuple[int, int],
    scale: float = 1.0,
    now: int | None = None,
    city: str | None = None,
    city_label: str = "",
) -> bytes:
    """A PNG: for each series, every run's median line and 10-90% band.

    With ``city`` (an actor id), peace and needs are that city's own, as in the series
    figure; cross-divide trust stays the whole model's.
    """
    from sim.app.series_figure import year_ticks

    w, h = size
    fs = 8 * scale
    fig = Figure(figsize=(w / 100, h / 100), dpi=100)
    FigureCanvasAgg(fig)
    cities = result.get("cities")
    use_city = (
        city is not None
        and cities is not None
        and len(cities)
        and city in cities.index.get_level_values(1)
    )
    axes = fig.subplots(2, 2, sharex=True)
    horizon = 1
    for ax, (col, title) in zip(axes.ravel(), BAND_SERIES, strict=False):
        own = use_city and col in CITY_SERIES
        ax.set_title(f"{title}{' — ' + city_label if own else ''}", fontsize=fs, loc="left", pad=2)
        ax.tick_params(labelsize=fs * 0.8, length=2)
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.25)
        q = cities if own else result["quantiles"]
        if col not in q.columns.get_level_values(0):
            continue
        for r, label in enumerate(labels):
            if r not in q.index.get_level_values(0):
                continue
            part = (q.loc[(r, city)] if own else q.loc[r])[col]
            x = part.index.to_numpy(dtype=float)
            horizon = max(horizon, int(x.max()) + 1 if x.size else 1)
            ax.fill_between(x, part[0.1], part[0.9], color=COLOURS[r % 4], alpha=0.18, lw=0)
            ax.plot(x, part[0.5], color=COLOURS[r % 4], lw=1.4 * scale, label=short(label, 28))
        if now is not None and now >= 0:
            ax.axvline(now, color="#111", lw=1)
    steps, ticks = year_ticks(start, horizon)
    keep = max(1, math.ceil(len(steps) / 5))  # half a figure wide: every other year label
    for ax in axes[1]:
        ax.set_xticks(steps[::keep], ticks[::keep])
    axes[0, 0].legend(fontsize=fs * 0.75, loc="lower right", framealpha=0.7)
    fig.suptitle(f"{SEEDS} seeds per run: median and 10–90% band", fontsize=fs, x=0.01, ha="left")
    # Fixed margins, not tight_layout: measuring every label cost a second under load.
    fig.subplots_adjust(left=0.075, right=0.99, top=0.86, bottom=0.09, hspace=0.45, wspace=0.16)
    return figure_png(fig)


progress_r = solara.reactive(("", "", ""))  # (ensemble key digest, state, text)


def key_digest(key: tuple) -> str:
    """A short stable name of an ensemble key (the page's ``data-key``, for browser tests)."""
    return hashlib.sha1(repr(key).encode()).hexdigest()[:12]


def bands_png(
    ses: Any, size: tuple[int, int], scale: float, city: int | None = None
) -> bytes | None:
    """The bands of the session's runs; starts the ensemble in a worker thread when needed."""
    key = ensemble_key(ses)
    digest = key_digest(key)
    synthetic = ses.settings.scenario == "synthetic"

    def work() -> dict[str, Any] | None:
        if synthetic or key in _results:
            result = _results.get(key)
            if result is not None:
                progress_r.set((digest, "ready", _done_text(result)))
            return result
        t0 = time.perf_counter()

        def progress(done: int, total: int) -> None:
            elapsed = time.perf_counter() - t0
            text = f"30 seeds: {done} of {total} runs done ({elapsed:.1f} s)…"
            progress_r.set((digest, "running", text))

        (name, stamp), *runs = key
        todo = SEEDS * sum((name, stamp, p, lv, SEEDS) not in _per_run for p, lv in runs)
        again = SEEDS * len(runs) - todo
        note = f" ({again} kept from before)" if again else ""
        progress_r.set((digest, "running", f"30 seeds: running {todo} runs{note}…"))
        result = run_bands(key, progress)
        _results.clear()  # keep only the latest: a lever change makes the old one moot
        _results[key] = result
        progress_r.set((digest, "ready", _done_text(result)))
        return result

    task = solara.lab.use_task(work, dependencies=[key], prefer_threaded=True)
    ready = task.finished and task.value is not None and not synthetic
    png = solara.use_memo(
        lambda: (
            draw_bands(
                task.value,
                [r.label for r in ses.runs],
                ses.model.date_of(0),
                size,
                scale,
                ses.t - 1,
                *_city(ses, city),
            )
            if ready
            else None
        ),
        [ready, task.value, size, scale, ses.t, city],
    )
    if synthetic:
        solara.Text("Bands are for scenario files (synthetic has no ensemble here).")
    else:
        shown, status, text = progress_r.value
        if shown != digest:  # an older ensemble's message: this one is about to start
            status, text = "running", "30 seeds: starting…"
        if png is None and status == "ready":
            status = "drawing"  # "ready" means the bands are in the page
        solara.HTML(
            tag="div",
            unsafe_innerHTML=html.escape(text),
            classes=["cp-bands-progress"],
            attributes={"data-key": digest, "data-state": status},
        )
    return png


def _city(ses: Any, row: int | None) -> tuple[str | None, str]:
    """(actor id, display name) of the inspected city, or (None, "")."""
    from sim.app.inspector import city_name

    if row is None or not 0 <= row < ses.model.n_cities:
        return None, ""
    return str(ses.model.actors.ids[row]), city_name(ses.model, row).split(" (")[0]


def _done_text(result: dict[str, Any]) -> str:
    reused = result["replicates"] - result.get("computed", result["replicates"])
    again = f", {reused} reused" if reused else ""
    return (
        f"30 seeds: {result['computed']} runs in {result['seconds']:.1f} s{again} "
        "(the machine may be shared)"
    )


def quantile_at(result: dict[str, Any], run: int, col: str, step: int) -> tuple[float, ...]:
    """(10th, 50th, 90th percentile) of a series at a month (for tests and readouts)."""
    part = result["quantiles"].loc[run][col]
    row = part.loc[step]
    return tuple(float(row[p]) for p in (0.1, 0.5, 0.9)) if not row.empty else (np.nan,) * 3
