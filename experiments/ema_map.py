"""EMA Workbench on ``map``: when does the Municipal Alliance for Peace last, under which policy?

1. ``sim.experiments.ema.build_model`` makes the scenario a ReplicatorModel: uncertain trust,
   proposal and alliance coefficients; outcomes are the monthly series plus the alliance's
   survival, founding and active years, averaged over seeded replications.
2. The policies are chosen deliberately, and ``summary.md`` says which:
   - ``--policies named`` (default): the scenario's own policies, ``baseline`` and each
     counterfactual of policies.yaml, every one with every sampled scenario (a full factorial);
   - ``--policies sample --lever-samples N``: a Latin hypercube of N lever sets (coordination,
     funding scale and the counterfactual policy), every one with every scenario.
   ``perform_experiments`` runs every experiment and replication as batches of the ensemble
   engine (``batch_evaluator``).
3. Three analyses of the saved results (``--analyse`` reruns them without running the model):
   PRIM (``ema_workbench.analysis.prim``) and CART (``...analysis.cart``) find the boxes of
   uncertainties and policies in which the alliance survives (founded and not dissolved at the
   end) in at least half of the seeds, or, when every experiment agrees on that, in which it is
   active for at least ``--active-years`` years; feature scoring (extra trees,
   ``...analysis.feature_scoring``) ranks what each outcome depends on.

    .venv/bin/python experiments/ema_map.py                    # 100 scenarios x 4 policies x 3
    .venv/bin/python experiments/ema_map.py --scenarios 20 --replications 2 --horizon 60
    .venv/bin/python experiments/ema_map.py --policies sample --lever-samples 8
    .venv/bin/python experiments/ema_map.py --analyse          # the saved results again

Results go to ``experiments/results/ema_<scenario>/``: ``experiments.parquet`` and
``outcomes.parquet`` (readable names: ``trust_decay``, ``coordination``, ``policy``),
``summary.md`` (the design and the three analyses), ``prim_tradeoff.png``, ``prim_box.png``,
``feature_scores.png`` and ``feature_scores.csv``. Needs the ``ema`` extra.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sim.outputs.atomic import atomic_write, write_json, write_text  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"

# What the model is least sure of about an alliance across a divide (sim/engine/params.py ranges).
UNCERTAINTIES = {
    "model.trust.success": [0.01, 0.15],
    "model.trust.failure": [0.05, 0.4],
    "model.trust.decay": [0.005, 0.05],
    "model.trust.mediation_rate": [0.0, 0.15],
    "model.alliances.negotiation_rate": [0.005, 0.06],
    "model.alliances.found_trust": [0.3, 0.6],
    # violence above the usual level since hostility3 (default 0.03); was [0.35, 0.8] of absolute D
    "model.alliances.suspend_violence": [0.05, 0.4],
    "model.alliances.exit_trust": [0.05, 0.3],
}
SAMPLED_LEVERS = {
    "levers.coordination": None,
    "levers.funding_scale": [0.5, 2.0],
    "counterfactual": None,
}
# Columns of EMA's experiments table that describe the run, not an input to explain.
BOOKKEEPING = ("scenario", "model")


def run(
    scenario: str,
    scenarios: int,
    replications: int,
    horizon: int | None,
    seed: int,
    out: Path,
    policies: str = "named",
    lever_samples: int = 8,
) -> dict[str, Any]:
    """The experiments, saved to ``out``; returns what summary.md says about the design."""
    from ema_workbench import Sample, perform_experiments

    from sim.experiments.ema import batch_evaluator, build_model, scenario_policies

    out.mkdir(parents=True, exist_ok=True)
    if policies == "named":
        names = scenario_policies(scenario)
        levers: dict[str, Any] = {"counterfactual": names}
        chosen: Any = [Sample(name, counterfactual=name) for name in names]
        design = (
            f"the scenario's {len(names)} named policies ({', '.join(names)}), each with "
            f"every sampled scenario (a full factorial)"
        )
    else:
        levers = SAMPLED_LEVERS
        chosen = lever_samples
        design = (
            f"a Latin hypercube of {lever_samples} lever sets (coordination, funding scale and "
            "the counterfactual policy), each with every sampled scenario"
        )
    model = build_model(
        scenario,
        uncertainties=UNCERTAINTIES,
        levers=levers,
        horizon=horizon,
        replications=replications,
        root_seed=seed,
    )
    start = time.perf_counter()
    with batch_evaluator(model) as evaluator:
        experiments, outcomes = perform_experiments(
            model,
            scenarios=scenarios,
            policies=chosen,
            evaluator=evaluator,
            uncertainty_sampling_kwargs={"rng": seed},
            lever_sampling_kwargs={"rng": seed + 1},
        )
    elapsed = time.perf_counter() - start
    print(f"ema_map: {len(experiments)} experiments x {replications} seeds in {elapsed:.0f} s")
    atomic_write(out / "experiments.parquet", experiments.to_parquet)
    scalars = {k: v for k, v in outcomes.items() if np.ndim(v) == 1}
    atomic_write(out / "outcomes.parquet", pd.DataFrame(scalars).to_parquet)
    about = {
        "scenario": scenario,
        "scenarios": scenarios,
        "replications": replications,
        "horizon": horizon,
        "seed": seed,
        "policies": design,
        "experiments": len(experiments),
        "seconds": round(elapsed, 1),
    }
    write_json(about, out / "design.json")
    return about


def analyse(out: Path, target: str = "survives", active_years: float = 5.0) -> str:
    """PRIM, CART and feature scoring on the saved results in ``out``; writes summary.md."""
    from ema_workbench.analysis import cart, feature_scoring, prim

    about = json.loads((out / "design.json").read_text(encoding="utf-8"))
    experiments = pd.read_parquet(out / "experiments.parquet")
    outcomes = pd.read_parquet(out / "outcomes.parquet")
    x = experiments.drop(columns=[c for c in BOOKKEEPING if c in experiments.columns])
    x = x.drop(columns=["counterfactual"], errors="ignore") if "policy" in x else x
    for column in x.columns:
        if x[column].dtype == object or str(x[column].dtype) in ("str", "string"):
            x[column] = x[column].astype("category")
    lines = [
        f"# EMA on {about['scenario']}: when does the alliance last, under which policy?",
        "",
        f"- Experiments: {about['experiments']} = {about['scenarios']} sampled scenarios (Latin "
        f"hypercube over {len(UNCERTAINTIES)} coefficients) x policies; {about['replications']} "
        f"seeds each (outcomes are the means over the seeds); horizon "
        f"{about['horizon']} months; root seed {about['seed']}.",
        f"- Policies: {about['policies']}.",
        f"- Run time: {about['seconds']} s (batched ensemble engine).",
        "",
    ]
    alliances = [c[: -len("_survives")] for c in outcomes.columns if c.endswith("_survives")]
    if alliances:
        lines += _boxes(x, outcomes, alliances[0], target, active_years, out, prim, cart)
    else:
        lines += ["The scenario has no alliance: PRIM and CART have nothing to explain.", ""]
    # An outcome past the horizon (peace_20y of a 5-year run) is NaN in every experiment.
    scored = [c for c in outcomes.columns if np.isfinite(outcomes[c].to_numpy(float)).all()]
    scores = feature_scoring.get_feature_scores_all(
        x.assign(**{c: x[c].cat.codes for c in x.columns if x[c].dtype == "category"}),
        {c: outcomes[c].to_numpy(float) for c in scored},
    )
    atomic_write(out / "feature_scores.csv", scores.to_csv)
    _heatmap(scores, out / "feature_scores.png")
    lines += [
        "## Feature scores (extra trees)",
        "",
        "The share of each outcome's explained variation that each input accounts for "
        f"(columns sum to 1); {len(outcomes.columns) - len(scored)} outcomes past the horizon "
        "or with a missing value are left out. An outcome that is the same in every "
        f"experiment scores 0 throughout{_same(outcomes[scored])}.",
        "",
        _md(scores.round(3)),
        "",
        "![feature scores](feature_scores.png)",
        "",
    ]
    text = "\n".join(lines)
    write_text(text, out / "summary.md")
    (out / "prim.md").unlink(missing_ok=True)  # the old single-analysis page
    return text


def _boxes(
    x: pd.DataFrame,
    outcomes: pd.DataFrame,
    alliance: str,
    target: str,
    active_years: float,
    out: Path,
    prim: Any,
    cart: Any,
) -> list[str]:
    """PRIM's and CART's boxes for the alliance's target (survives, else active)."""
    targets = {
        "survives": (outcomes[f"{alliance}_survives"] >= 0.5, "survives to the end"),
        "active": (
            outcomes[f"{alliance}_active_years"] >= active_years,
            f"is active for >= {active_years:g} years",
        ),
    }
    lines = []
    chosen = None
    for name in [target, *(t for t in targets if t != target)]:
        y, label = targets[name]
        share = float(np.mean(y))
        lines.append(f"- `{alliance}` {label} (in at least half of the seeds): {share:.0%}")
        if "policy" in x:
            by = y.groupby(x["policy"].astype(str).to_numpy()).mean()
            lines.append("  - by policy: " + ", ".join(f"{k} {v:.0%}" for k, v in by.items()))
        if chosen is None and 0.0 < share < 1.0:
            chosen = (y.to_numpy(bool), label)
    lines.append("")
    if chosen is None:
        return [*lines, "Every experiment has the same outcome: nothing to separate.", ""]
    y, label = chosen
    lines += [f"## PRIM: where `{alliance}` {label}", ""]
    finder = prim.Prim(x, y, peel_alpha=0.1, mass_min=0.05)
    box = finder.find_box()
    box.show_tradeoff()
    atomic_write(out / "prim_tradeoff.png", lambda tmp: plt.savefig(tmp, format="png", dpi=110))
    plt.close("all")
    box.inspect(style="graph")
    atomic_write(
        out / "prim_box.png",
        lambda tmp: plt.savefig(tmp, format="png", dpi=110, bbox_inches="tight"),
    )
    plt.close("all")
    lines += [
        _md(finder.stats_to_dataframe().round(3)),
        "",
        _limits(finder.boxes_to_dataframe()),
        "",
        "![PRIM trade-off](prim_tradeoff.png) ![PRIM box](prim_box.png)",
        "",
    ]
    tree = cart.CART(x, y, mass_min=0.05)
    tree.build_tree()
    stats = tree.stats_to_dataframe()
    stats = stats[stats["density"] >= 0.5] if "density" in stats else stats
    lines += [
        f"## CART: the leaves where `{alliance}` {label} in at least half the experiments",
        "",
        _md(stats.round(3)) if not stats.empty else "_no such leaf_",
        "",
    ]
    boxes = tree.boxes_to_dataframe()
    keep = [c for c in boxes.columns.get_level_values(0).unique() if c in stats.index]
    if keep:
        lines += [_limits(boxes[keep]), ""]
    return lines


def _same(outcomes: pd.DataFrame) -> str:
    """``: `a`, `b``` for the outcomes that do not vary, else nothing."""
    same = [f"`{c}`" for c in outcomes.columns if outcomes[c].nunique() == 1]
    return f" ({', '.join(same)})" if same else ""


def _md(frame: pd.DataFrame) -> str:
    """A table with its index as Markdown."""
    from sim.experiments.report import md_table

    flat = frame.copy()
    if isinstance(flat.columns, pd.MultiIndex):
        flat.columns = [" ".join(map(str, c)) for c in flat.columns]
    return md_table(flat.reset_index(names=" "))


def _limits(frame: pd.DataFrame) -> str:
    """A boxes table (min/max per box, or the set of categories) as Markdown."""
    return _md(frame.map(_cell))


def _cell(value: Any) -> str:
    if isinstance(value, set | frozenset):
        return ", ".join(sorted(map(str, value)))
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _heatmap(scores: pd.DataFrame, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(1.1 * len(scores.columns) + 3, 0.4 * len(scores) + 1.5))
    image = ax.imshow(scores.to_numpy(float), cmap="viridis", vmin=0, aspect="auto")
    ax.set_xticks(range(len(scores.columns)), scores.columns, rotation=40, ha="right", fontsize=8)
    ax.set_yticks(range(len(scores)), scores.index, fontsize=8)
    for (i, j), value in np.ndenumerate(scores.to_numpy(float)):
        ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=7, color="w")
    fig.colorbar(image, ax=ax, label="feature score")
    ax.set_title("What each outcome depends on (extra trees)", fontsize=10)
    fig.tight_layout()
    atomic_write(path, lambda tmp: fig.savefig(tmp, format="png", dpi=110))
    plt.close(fig)


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="map")
    parser.add_argument("--scenarios", type=int, default=100, help="LHS samples")
    parser.add_argument("--replications", type=int, default=3, help="seeds per sample")
    parser.add_argument("--horizon", type=int, default=240, help="months (default 20 years)")
    parser.add_argument("--seed", type=int, default=20240601, help="root seed")
    parser.add_argument("--policies", choices=["named", "sample"], default="named")
    parser.add_argument("--lever-samples", type=int, default=8)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--target", choices=["survives", "active"], default="survives")
    parser.add_argument("--active-years", type=float, default=5.0)
    parser.add_argument("--analyse", action="store_true", help="only analyse the saved results")
    ns = parser.parse_args()
    logging.getLogger("MESA").setLevel(logging.WARNING)
    out = ns.out or RESULTS / f"ema_{ns.scenario}"
    if not ns.analyse:
        run(ns.scenario, ns.scenarios, ns.replications, ns.horizon, ns.seed, out,
            ns.policies, ns.lever_samples)  # fmt: skip
    print(analyse(out, ns.target, ns.active_years))


if __name__ == "__main__":
    main()
