"""The governance stage's share of a run's CPU (branch vertical2): each case run ``repeat``
times in this process, the stage's own CPU seconds (``time.process_time`` around
``stages.governance.update_governance``) against the whole run's, median over repeats. A share
read inside one run is immune to the machine's load shifting between two runs' turns.

    PYTHONPATH=$PWD python experiments/bench/governance_share.py [repeat] [--large]

``--large`` adds the synthetic world at 250,000 cities for 24 months, once.
"""

from __future__ import annotations

import statistics
import sys
import time

import sim.engine.stages.trust as trust_stage
from sim import PeaceModel
from sim.engine.stages import governance
from sim.scenario.synthetic import SyntheticSpec, generate


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--large"]
    repeat = int(args[0]) if args else 5
    spent = [0.0]
    original = governance.update_governance

    def timed(*args: object, **kwargs: object) -> None:
        start = time.process_time()
        original(*args, **kwargs)
        spent[0] += time.process_time() - start

    trust_stage.governance.update_governance = timed
    synthetic = generate(
        SyntheticSpec(n_cities=10_000, horizon=240, n_countries=50, n_networks=20,
                      mean_degree=7.4), seed=1,
    )  # fmt: skip
    cases = {
        "tuzla": lambda: PeaceModel("tuzla", seed=0),
        "map": lambda: PeaceModel("map", seed=0),
        "seoul_pyongyang": lambda: PeaceModel("seoul_pyongyang", seed=0),
        "synthetic_10k": lambda: PeaceModel(synthetic, seed=1, cities_every=12, cities_max=2000),
    }
    if "--large" in sys.argv:
        large = generate(
            SyntheticSpec(n_cities=250_000, horizon=24, n_countries=50, n_networks=20,
                          mean_degree=7.4), seed=1,
        )  # fmt: skip
        cases["synthetic_250k_24_months"] = lambda: PeaceModel(
            large, seed=1, cities_every=12, cities_max=2000
        )
    print("| case | run CPU (s) | governance stage CPU (s) | share |")
    print("| --- | ---: | ---: | ---: |")
    for name, build in cases.items():
        runs, stage = [], []
        for _ in range(1 if name.endswith("months") else repeat):
            spent[0] = 0.0
            start = time.process_time()
            build().run()
            runs.append(time.process_time() - start)
            stage.append(spent[0])
        run_s, stage_s = statistics.median(runs), statistics.median(stage)
        print(f"| {name} | {run_s:.3f} | {stage_s:.3f} | {stage_s / run_s:.1%} |", flush=True)


if __name__ == "__main__":
    main()
