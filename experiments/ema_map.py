"""EMA Workbench on ``map``: when does the Municipal Alliance for Peace survive?

1. ``sim.experiments.ema.build_model`` makes the scenario a ReplicatorModel: uncertain trust,
   proposal and
   alliance coefficients; the levers ``coordination`` and ``funding_scale`` and the scenario's
   counterfactual policies; outcomes are the monthly series plus ``alliance_map_survives``
   (founded or active at the end of the run), averaged over seeded replications.
2. ``perform_experiments`` samples the uncertainties with a Latin hypercube and runs every
   experiment and replication as batches of the ensemble engine (``batch_evaluator``).
3. PRIM (``ema_workbench.analysis.prim``) looks for the box of uncertainties and levers in
   which the alliance survives (founded and not dissolved at the end) in at least half of the
   seeds; if no experiment differs from the others there, in which it stays active for at
   least ``--active-years`` years.

    .venv/bin/python experiments/ema_map.py                     # 200 scenarios x 3 seeds
    .venv/bin/python experiments/ema_map.py --scenarios 20 --replications 2 --horizon 60
    .venv/bin/python experiments/ema_map.py --scenario two_cities   # any scenario

Results go to ``experiments/results/ema_<scenario>/``: ``experiments.parquet``, the scalar
outcomes in ``outcomes.parquet``, the PRIM trade-off and box plots and ``prim.md``.
Needs the ``ema`` extra (``pip install 'citypeace[ema]'``).
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"

# What the model is least sure of about an alliance across a divide (sim/engine/params.py ranges).
UNCERTAINTIES = {
    "model.trust.success": [0.01, 0.15],
    "model.trust.failure": [0.05, 0.4],
    "model.trust.decay": [0.005, 0.05],
    "model.trust.mediation_rate": [0.0, 0.15],
    "model.alliances.negotiation_rate": [0.005, 0.06],
    "model.alliances.found_trust": [0.3, 0.6],
    "model.alliances.suspend_violence": [0.35, 0.8],
    "model.alliances.exit_trust": [0.05, 0.3],
}
LEVERS = {"levers.coordination": None, "levers.funding_scale": [0.5, 2.0], "counterfactual": None}


def run(
    scenario: str,
    scenarios: int,
    replications: int,
    horizon: int | None,
    processes: int,
    seed: int,
    out: Path,
    target: str = "survives",
    active_years: float = 5.0,
) -> pd.DataFrame | None:
    """Experiments, then PRIM on alliance survival; returns PRIM's box statistics."""
    from ema_workbench import perform_experiments
    from ema_workbench.analysis import prim

    from sim.experiments.ema import batch_evaluator, build_model

    out.mkdir(parents=True, exist_ok=True)
    model = build_model(
        scenario,
        uncertainties=UNCERTAINTIES,
        levers=LEVERS,
        horizon=horizon,
        replications=replications,
        root_seed=seed,
    )
    alliances = [
        o.name[: -len("_survives")] for o in model.outcomes if o.name.endswith("_survives")
    ]
    start = time.perf_counter()
    kwargs = {
        "scenarios": scenarios,
        "policies": 1,  # one lever sample; the counterfactual lever is sampled with it
        "uncertainty_sampling_kwargs": {"rng": seed},
        "lever_sampling_kwargs": {"rng": seed + 1},
    }
    # Every experiment and replication as batches of the ensemble engine (over at most two
    # worker processes); ``processes`` is kept for the command line and no longer needed.
    with batch_evaluator(model) as evaluator:
        experiments, outcomes = perform_experiments(model, evaluator=evaluator, **kwargs)
    elapsed = time.perf_counter() - start
    print(f"ema_map: {len(experiments)} experiments x {replications} seeds in {elapsed:.0f} s")
    experiments.to_parquet(out / "experiments.parquet")
    scalars = {k: v for k, v in outcomes.items() if np.ndim(v) == 1}
    pd.DataFrame(scalars).to_parquet(out / "outcomes.parquet")
    if not alliances:
        print(f"ema_map: scenario {scenario!r} has no alliance; nothing for PRIM to explain")
        return None
    alliance = alliances[0]
    # "Survives": founded and not dissolved at the end, in at least half of the seeds. When
    # every experiment agrees (PRIM has nothing to separate), fall back to a working alliance:
    # active for at least `active_years` years on average over the seeds.
    targets = {
        "survives": (outcomes[f"{alliance}_survives"] >= 0.5, "survives to the end"),
        "active": (
            outcomes[f"{alliance}_active_years"] >= active_years,
            f"is active for >= {active_years:g} years",
        ),
    }
    order = [target, *(t for t in targets if t != target)]
    lines = [f"# PRIM on {scenario}: when does the alliance `{alliance}` last?", ""]
    lines.append(
        f"{len(experiments)} experiments (LHS) x {replications} seeds; horizon {horizon} months."
    )
    chosen = None
    for name in order:
        y, label = targets[name]
        share = float(np.mean(y))
        lines.append(f"- `{alliance}` {label}: {share:.0%} of the experiments")
        print(f"ema_map: {alliance} {label} in {share:.0%} of the experiments")
        if chosen is None and 0.0 < share < 1.0:
            chosen = (name, y, label)
    lines.append("")
    if chosen is None:
        lines.append("Every experiment has the same outcome: PRIM has nothing to separate.")
        (out / "prim.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(lines[-1])
        return None
    name, y, label = chosen
    lines += [f"PRIM target: `{alliance}` {label}.", ""]
    x = experiments.drop(columns=["scenario", "policy", "model"], errors="ignore")
    finder = prim.Prim(x, y, peel_alpha=0.1, mass_min=0.05)
    box = finder.find_box()
    stats = finder.stats_to_dataframe()
    limits = finder.boxes_to_dataframe()
    box.show_tradeoff()
    plt.savefig(out / "prim_tradeoff.png", dpi=110)
    plt.close("all")
    box.inspect(style="graph")
    plt.savefig(out / "prim_box.png", dpi=110, bbox_inches="tight")
    plt.close("all")
    lines += ["## Boxes", "", stats.to_string(), "", "## Limits", "", limits.to_string(), ""]
    (out / "prim.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"ema_map: PRIM target: {alliance} {label}")
    print(stats.to_string())
    print(limits.to_string())
    return stats


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="map")
    parser.add_argument("--scenarios", type=int, default=200, help="LHS samples")
    parser.add_argument("--replications", type=int, default=3, help="seeds per sample")
    parser.add_argument("--horizon", type=int, default=240, help="months (default 20 years)")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20240601, help="root seed")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--target", choices=["survives", "active"], default="survives")
    parser.add_argument("--active-years", type=float, default=5.0)
    ns = parser.parse_args()
    logging.getLogger("MESA").setLevel(logging.WARNING)
    run(
        ns.scenario,
        ns.scenarios,
        ns.replications,
        ns.horizon,
        ns.processes,
        ns.seed,
        ns.out or RESULTS / f"ema_{ns.scenario}",
        ns.target,
        ns.active_years,
    )


if __name__ == "__main__":
    main()
