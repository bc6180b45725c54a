"""Why Tuzla's cohesion falls while aid flows, and why its projects are interrupted (issue 15
items 2, 4 and 10; docs/validation/issue15.md, "tuzla2").

The engine's month is run unchanged; the stages that touch a city's cohesion and the projects'
interruption hazard are wrapped to read what each part does:

- cohesion@tuzla, per year: do no harm's strain (``nexus.do_no_harm`` in stage 5a), Lederach's
  spill from middle-range peace work (the rest of stage 5a), the relaxation toward the target
  (stage 7), and violence's part of that relaxation (the target with this month's D against the
  target at D 0, times ``galtung.rate_cohesion``); the strain is also split by the money that
  caused it (each programme's share of the dose);
- development projects, per year: interrupted ones by cause (violence, unfunded, closed gate,
  low participation, background), each interruption shared over the causes in proportion to
  their part of its hazard, with the provider (the national reconstruction flow's donors or
  ABC's partners) and the completed ones for comparison.

    PYTHONPATH=$PWD .venv/bin/python experiments/tuzla_cohesion_projects.py --seeds 30

Small worlds only (the numpy path of the stages).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from sim import PeaceModel
from sim.engine.stages import delivery, projects, violence
from sim.experiments.report import md_table, publish
from sim.rules import galtung, nexus

CITY = "tuzla"
CAUSES = ("violence", "unfunded", "gate", "participation", "base")


class Probe:
    """Wraps the stages for one run and keeps each month's parts."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.projects: list[dict] = []
        self.city = -1
        self.world = None
        self._row: dict = {}
        self._hazard: dict = {}

    def install(self) -> list[tuple]:
        saved = [
            (delivery, "deliver", delivery.deliver),
            (nexus, "do_no_harm", nexus.do_no_harm),
            (violence, "update_cities", violence.update_cities),
            (projects, "run_projects", projects.run_projects),
            (nexus, "project_hazard", nexus.project_hazard),
        ]
        deliver, harm, update, run_projects, hazard = (s[2] for s in saved)
        probe = self

        def deliver_w(world, state, co, month):
            probe.world = world
            before = state.cities.cohesion[0, probe.city]
            probe._row = {"step": month.step, "cohesion0": before}
            out = deliver(world, state, co, month)
            after = state.cities.cohesion[0, probe.city]
            probe._row["delivery"] = after - before
            return out

        def harm_w(cohesion, diversity, aid_dose, insensitivity, h, x_half):
            out = harm(cohesion, diversity, aid_dose, insensitivity, h, x_half)
            probe._row["harm"] = out[0, probe.city] - cohesion[0, probe.city]
            probe._row["dose"] = aid_dose[0, probe.city]
            return out

        def update_w(world, state, co, month, streams):
            c, g = state.cities, co.galtung
            before = c.cohesion[0, probe.city]
            update(world, state, co, month, streams)
            i = probe.city
            cross = month.cross_trust_city[0, i]
            anchor = c.anchor[4][0, i]
            with_d = galtung.cohesion_target(cross, c.D[0, i], c.C[0, i], g, anchor)[0, 0]
            without = galtung.cohesion_target(cross, 0.0, c.C[0, i], g, anchor)[0, 0]
            probe._row["relax"] = c.cohesion[0, i] - before
            probe._row["violence"] = g.rate_cohesion[0, 0] * (with_d - without)
            probe._row["D"] = c.D[0, i]
            probe._row["cohesion"] = c.cohesion[0, i]
            probe.rows.append(probe._row)

        def hazard_w(D, gate_closed, unfunded, participation, expertise=0.0, stage=0.0, **k):
            cut = (1.0 - k.get("expertise_cut", 0.0) * expertise) * (
                1.0 - k.get("stage_cut", 0.0) * stage / 3.0
            )
            probe._hazard = {
                "violence": k["violence"] * D * cut,
                "unfunded": k["unfunded_h"] * unfunded * cut,
                "gate": k["gate"] * gate_closed * cut,
                "participation": k["low_participation"] * (1.0 - participation) * cut,
                "base": k["base"] * cut + 0.0 * D,  # (one per project)
            }
            return hazard(D, gate_closed, unfunded, participation, expertise, stage, **k)

        def run_projects_w(world, state, co, month, streams):
            probe._hazard = {}
            run_projects(world, state, co, month, streams)
            if not probe._hazard:
                return
            live_mask = (state.projects.row >= 0) | month.completed | month.interrupted
            live = np.flatnonzero(live_mask[0])
            inter = month.interrupted[0].ravel()[live]
            done = month.completed[0].ravel()[live]
            src = world.ties.src[live]
            parts = np.stack([np.asarray(probe._hazard[k])[: live.size] for k in CAUSES])
            share = parts / np.maximum(parts.sum(axis=0), 1e-12)
            for j in np.flatnonzero(inter | done):
                row = {"step": month.step, "provider": world_ids[src[j]]}
                row["completed"] = float(done[j])
                for k, cause in enumerate(CAUSES):
                    row[cause] = float(inter[j]) * share[k, j]
                probe.projects.append(row)

        world_ids: list[str] = []
        self._ids = world_ids
        delivery.deliver = deliver_w
        nexus.do_no_harm = harm_w
        violence.update_cities = update_w
        projects.run_projects = run_projects_w
        nexus.project_hazard = hazard_w
        return saved


def run_one(seed: int, policy: str, params: dict | None = None) -> tuple[pd.DataFrame, ...]:
    """One run's monthly cohesion parts and its ended projects."""
    probe = Probe()
    saved = probe.install()
    try:
        m = PeaceModel("tuzla", seed=seed, policy=policy, params=params or {})
        ids = list(m.world.actor_index) if hasattr(m, "world") else None
        probe._ids.extend(ids or [])
        probe.city = probe._ids.index(CITY)
        m.run()
        dates = {s: m.date_of(s) for s in range(m.t + 1)}
    finally:
        for module, name, f in saved:
            setattr(module, name, f)
    coh = pd.DataFrame(probe.rows)
    coh["year"] = [int(dates[s][:4]) for s in coh["step"]]
    pj = pd.DataFrame(probe.projects)
    if len(pj):
        pj["year"] = [int(dates[s][:4]) for s in pj["step"]]
        pj["source"] = np.where(pj["provider"] == "prp_donors", "prp", "abc")
    return coh, pj


def yearly(coh: pd.DataFrame) -> pd.DataFrame:
    """Per year: the cohesion parts summed, the mean dose and D, cohesion at the year's end."""
    coh = coh.assign(
        spill=coh["delivery"] - coh["harm"], relax_other=coh["relax"] - coh["violence"]
    )
    agg = coh.groupby("year").agg(
        harm=("harm", "sum"),
        spill=("spill", "sum"),
        relax=("relax", "sum"),
        violence=("violence", "sum"),
        dose=("dose", "mean"),
        D=("D", "mean"),
        cohesion=("cohesion", "last"),
    )
    return agg


def project_table(pj: pd.DataFrame) -> pd.DataFrame:
    """Per year and provider: completed and interrupted projects, interruptions by cause."""
    if not len(pj):
        return pd.DataFrame()
    out = pj.groupby(["year", "source"])[["completed", *CAUSES]].sum()
    out.insert(1, "interrupted", out[list(CAUSES)].sum(axis=1))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=30)
    ap.add_argument("--policy", default="baseline")
    ap.add_argument("--out", default="experiments/results/tuzla_cohesion_projects.md")
    args = ap.parse_args()
    lines = [
        "# Tuzla's cohesion and ABC's projects, part by part",
        "",
        f"`experiments/tuzla_cohesion_projects.py --seeds {args.seeds} --policy {args.policy}`"
        " (the model as committed). Cohesion parts are summed over each year's months (the "
        "change they made to cohesion@tuzla); `violence` is the part of `relax` that this "
        "month's D pulls (target with D minus target at D 0, times rate_cohesion); `dose` is "
        "the mean monthly aid dose into Tuzla that do no harm reads (EUR per inhabitant per "
        "year, all pillars). Projects: every development project of the scenario that ended "
        "(completed or interrupted), by provider (`prp`: the national reconstruction flow's "
        "donors; `abc`: ABC's partners); each interruption is shared over the causes in "
        "proportion to their part of its hazard.",
        "",
    ]
    coh0, pj0 = run_one(0, args.policy)
    lines += ["## Seed 0: cohesion@tuzla", "", md_table(yearly(coh0).reset_index(), 4), ""]
    lines += ["## Seed 0: projects ended", "", md_table(project_table(pj0).reset_index(), 3), ""]
    cohs, pjs = [], []
    for seed in range(args.seeds):
        coh, pj = (coh0, pj0) if seed == 0 else run_one(seed, args.policy)
        cohs.append(yearly(coh))
        pjs.append(project_table(pj).assign(seed=seed))
    med = pd.concat(cohs).groupby(level=0).median()
    lines += [
        f"## {args.seeds} seeds: cohesion@tuzla (median over seeds of each yearly value)",
        "",
        md_table(med.reset_index(), 4),
        "",
    ]
    allp = pd.concat(pjs).drop(columns="seed")
    tot = allp.groupby(level=[0, 1]).sum() / args.seeds
    lines += [
        f"## {args.seeds} seeds: projects ended (mean per seed)",
        "",
        md_table(tot.reset_index(), 2),
        "",
    ]
    window = allp[
        (allp.index.get_level_values(0) >= 1996) & (allp.index.get_level_values(0) <= 2000)
    ]
    per_seed = pd.concat(pjs)
    per_seed = per_seed[(per_seed.index.get_level_values(0) <= 2000)]
    ratio = per_seed.groupby("seed").apply(lambda d: d["interrupted"].sum() / d["completed"].sum())
    sums = window.groupby(level=1).sum() / args.seeds
    lines += [
        "## 1996-2000 (abc_projects_mostly_finish's window), mean per seed",
        "",
        md_table(sums.reset_index(), 2),
        "",
        f"Interrupted per completed, 1996-2000: median {ratio.median():.3f} over "
        f"{args.seeds} seeds (min {ratio.min():.3f}, max {ratio.max():.3f}); the pattern asks "
        "at most 0.25.",
        "",
    ]
    publish(lines, Path(args.out))


if __name__ == "__main__":
    main()
