"""The values the two cultural bound tests of tests/test_dynamics.py read (seed 1, no noise).

From the worktree root: ``PYTHONPATH=$PWD python experiments/results/mediation/bound_values.py
[group.name=value ...]`` (each argument overrides a coefficient, e.g. ``galtung.w_CT=0.5``;
without any, the config's values).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "tests"))

from pair_world import mediator_ties, pair_world, per_capita_budget  # noqa: E402

from sim import PeaceModel  # noqa: E402


def at(frame, column: str, month: int = 120) -> float:
    return float(frame[column].iloc[month - 1])


def main() -> None:
    params: dict[str, dict[str, float]] = {"galtung": {"noise": 0.0}}
    for arg in sys.argv[1:]:
        key, value = arg.split("=")
        group, name = key.split(".")
        params.setdefault(group, {})[name] = float(value)
    base = PeaceModel(pair_world(), seed=1, params=params).run().timeseries()
    for name, ties in (("programme", None), ("programme+mediation", mediator_ties(months=120))):
        world = pair_world(
            budget=per_capita_budget(1000),
            pillars=("humanitarian", "development", "peace"),
            months=120,
            horizon_tag="vision",
            ties=ties,
        )
        ts = PeaceModel(world, seed=1, params=params, levers={"coordination": 1.0}).run()
        ts = ts.timeseries()

        def gap(column: str, ts=ts) -> float:
            return at(ts, column) - at(base, column)

        trust = "cross_divide_trust"
        print(
            f"{name:20s} trust {at(base, trust):.3f} -> {at(ts, trust):.3f} at month 120"
            f" ({at(ts, trust, 60):.3f} at 60); C gap east {gap('cultural_violence@east'):+.4f},"
            f" west {gap('cultural_violence@west'):+.4f}"
        )


if __name__ == "__main__":
    main()
