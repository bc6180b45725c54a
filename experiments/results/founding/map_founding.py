"""MAP's alliance and cross-divide trust, seed 0, baseline and no_mediator (issue 15,
founding): the alliance's state changes (1 negotiating, 2 founded, 3 operating, 4
suspended, 5 dissolved) and the trust in 2004-12, 2008-12 and 2012-05.

    PYTHONPATH=$PWD python experiments/results/founding/map_founding.py
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim import PeaceModel


def main() -> None:
    for policy in ("baseline", "no_mediator"):
        ts = PeaceModel(scenario="map", seed=0, policy=policy).run().timeseries()
        state = ts["alliance_map"].to_numpy()
        month = pd.to_datetime(ts["date"]).dt.strftime("%Y-%m").to_numpy()
        changes = [(month[i], float(state[i])) for i in np.flatnonzero(np.diff(state)) + 1]
        print(policy, "alliance_map start", state[0], "changes:", changes)
        for when in ("2004-12", "2008-12", "2012-05"):
            i = np.flatnonzero(month == when)[0]
            print(
                f"  {when} cross_divide_trust {ts['cross_divide_trust'].iloc[i]:.3f} "
                f"progress {ts['alliance_map_progress'].iloc[i]:.3f}"
            )


if __name__ == "__main__":
    main()
