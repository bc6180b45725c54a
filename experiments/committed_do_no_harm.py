"""What do no harm would do if it read the committed money a closed programme pays (issue 15
item 10; ODD 7.4's known gap, tuzla2 option (c), tuzla3; branch breach17 item 4).

Projects run after delivery in the month (stage 5b after 5a), so the committed money a closed
programme pays a project under way (``month.committed_paid``, ``stages.projects``) never
reaches do no harm's dose. This measures the variant with a month's lag: the committed money
paid on each tie last month is added to its recipient's resource transfers (development) and
to the careless part by its tie's ``carefree`` flag, in ``nexus.do_no_harm``'s dose and
insensitivity, and nowhere else. Tuzla's cohesion per year and the pattern
``tuzla_comes_together_by_abc_end`` (2000 mean against 1996-97 mean, min +0.02) are reported for
the rule as it is and for the variant, per seed (replicate 0).

    PYTHONPATH=$PWD .venv/bin/python experiments/committed_do_no_harm.py --seeds 10

Kept as the record of breach17's measurement (on its rules, before 8df70e6). Since branch
harm17 the rule reads the committed money in the month it is paid (``stages.committed``), so on
later code this variant would count it twice.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from sim import PeaceModel
from sim.engine.stages import delivery as delivery_stage
from sim.engine.stages import projects as project_stage
from sim.rules import group_sum, money, nexus


def run(seed: int, read_committed: bool) -> pd.Series:
    """Yearly mean cohesion@tuzla, 1995-2006, of one seed."""
    model = PeaceModel("tuzla", seed=seed)
    world0 = model.batch.world
    city = list(world0.actors.ids).index("tuzla")
    held: dict = {"paid": None, "extra": None}
    deliver_fn, run_fn, harm_fn = (
        delivery_stage.deliver,
        project_stage.run_projects,
        nexus.do_no_harm,
    )
    rows: list[tuple[str, float]] = []

    def run_projects(world, state, co, month, streams) -> None:  # noqa: ANN001
        run_fn(world, state, co, month, streams)
        paid = getattr(month, "committed_paid", None)
        held["paid"] = None if paid is None else paid.copy()

    def deliver(world, state, co, month):  # noqa: ANN001, ANN202
        paid, held["extra"] = held["paid"], None
        if read_committed and paid is not None and paid.any():
            t, n = world.ties, world.n_cities
            received = group_sum(paid, t.dst, world.n_actors)[:, :n]
            careless = group_sum(paid * t.carefree, t.dst, world.n_actors)[:, :n]
            people = state.cities.people
            held["extra"] = (money.dose(received, people), money.dose(careless, people))
        out = deliver_fn(world, state, co, month)
        rows.append((model.date_of(month.step), float(state.cities.cohesion[0, city])))
        return out

    def harm(cohesion, diversity, aid_dose, insensitivity, h, x_half):  # noqa: ANN001, ANN202
        extra = held["extra"]
        if extra is not None:  # the doses add (dose is linear in money); so do careless parts
            dose, careless = extra
            total = aid_dose + dose
            insensitivity = np.divide(
                insensitivity * aid_dose + careless, total,
                out=np.zeros_like(total), where=total > 0,
            )  # fmt: skip
            aid_dose = total
        return harm_fn(cohesion, diversity, aid_dose, insensitivity, h, x_half)

    delivery_stage.deliver, project_stage.run_projects, nexus.do_no_harm = (
        deliver,
        run_projects,
        harm,
    )
    try:
        model.run()
    finally:
        delivery_stage.deliver, project_stage.run_projects = deliver_fn, run_fn
        nexus.do_no_harm = harm_fn
    frame = pd.DataFrame(rows, columns=["date", "cohesion"])
    frame["year"] = frame["date"].str[:4].astype(int)
    return frame.groupby("year")["cohesion"].mean().loc[1995:2006]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=10)
    args = ap.parse_args()
    out = {}
    for variant in (False, True):
        years = pd.DataFrame({s: run(s, variant) for s in range(args.seeds)})
        out[variant] = years
    name = {False: "as is", True: "reads committed (lag 1)"}
    print(f"cohesion@tuzla, yearly mean, median over seeds 0-{args.seeds - 1} (replicate 0)")
    table = pd.DataFrame({name[v]: f.median(axis=1) for v, f in out.items()})
    table["difference"] = table[name[True]] - table[name[False]]
    print(table.round(4).to_string())
    print("\ntuzla_comes_together_by_abc_end: 2000 mean - mean of 1996-1997 (min +0.02)")
    for v, f in out.items():
        change = f.loc[2000] - f.loc[[1996, 1997]].mean()
        print(
            f"  {name[v]:24s} median {change.median():+.4f}  held {np.mean(change >= 0.02):.0%}"
            f"  (per seed: {', '.join(f'{x:+.3f}' for x in change)})"
        )


if __name__ == "__main__":
    main()
