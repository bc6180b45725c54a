"""ULAI-APLA's tie, seed 0 (branch founding): its mediation ceiling M = mediation_ceiling x
(1 - mean C of the ends) and its trust at founding (2004-10), 2008-12 and 2012-05; founding
needs trust >= alliances.found_trust x M.

    PYTHONPATH=$PWD python experiments/results/founding/ulai_apla.py
"""

from __future__ import annotations

import numpy as np

from sim import PeaceModel
from sim.rules import trust as tr


def main() -> None:
    m = PeaceModel(scenario="map", seed=0)
    b = m.batch
    w = b.world
    e = w.alliances[0].inner
    for target in ("2004-10", "2008-12", "2012-05"):
        while str(m.date_of(b.t))[:7] < target:
            m.step()
        c = w.context(b.state.cities.C, 0.0)
        ceiling = tr.mediation_ceiling(
            c[:, w.ties.src[e]], c[:, w.ties.dst[e]], b.co.trust.mediation_ceiling
        )
        bar = b.co.alliances.found_trust * ceiling
        print(
            f"{target}: M {np.round(ceiling, 3).tolist()}, bar {np.round(bar, 3).tolist()}, "
            f"trust {np.round(b.state.ties.trust[:, e], 3).tolist()}"
        )


if __name__ == "__main__":
    main()
