"""The through-trust cultural bound's numbers (tests/test_dynamics.py,
``test_bound_no_programme_lowers_culture_fast_through_trust_across_the_divide``): the vision
programme with a decade of mediation against the pair without either (seed 1, no noise).

    PYTHONPATH=$PWD python experiments/results/mediation3/bound_values.py
"""

from __future__ import annotations

import sys

sys.path.insert(0, "tests")

import test_dynamics as td  # noqa: E402
from pair_world import mediator_ties  # noqa: E402


def main() -> None:
    base = td.run()
    ts = td._vision_programme(ties=mediator_ties(months=120))
    for col in ("cross_divide_trust", "cultural_violence@east", "cultural_violence@west"):
        print(
            f"{col} base {base[col].iloc[119]:.3f} with {ts[col].iloc[119]:.3f} "
            f"gap {td.gap(ts, base, col, 120):.4f}"
        )


if __name__ == "__main__":
    main()
