"""The pair world's decade of mediation on this branch (seed 1, no noise): the tie's trust and
both ends' C at months 60 and 120, with and without the mediator (issue 15, mediation3).

    PYTHONPATH=$PWD python experiments/results/mediation3/quick_seed.py
"""

from __future__ import annotations

import sys

sys.path.insert(0, "tests")

from pair_world import mediator_ties, pair_world  # noqa: E402

from sim import PeaceModel  # noqa: E402

QUIET = {"galtung": {"noise": 0.0}}


def main() -> None:
    ties = mediator_ties(months=120)
    ts = PeaceModel(pair_world(ties=ties), seed=1, params=QUIET).run().timeseries()
    base = PeaceModel(pair_world(), seed=1, params=QUIET).run().timeseries()
    for m in (60, 120):
        row, none = ts.iloc[m - 1], base.iloc[m - 1]
        print(
            f"pair world month {m}: trust {row['cross_divide_trust']:.3f} "
            f"(none {none['cross_divide_trust']:.3f}); C east "
            f"{row['cultural_violence@east']:.3f} (none {none['cultural_violence@east']:.3f}), "
            f"west {row['cultural_violence@west']:.3f} (none {none['cultural_violence@west']:.3f})"
        )


if __name__ == "__main__":
    main()
