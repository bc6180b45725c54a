"""A case with the governance stage on and off in one process, alternating, median of 7
(branch vertical2): what the stage costs a run, read without a second source tree.

    PYTHONPATH=$PWD python experiments/bench/governance_on_off.py [case]
"""

from __future__ import annotations

import statistics
import sys
import time

import sim.engine.stages.trust as trust_stage
from sim import PeaceModel
from sim.engine.stages import governance


def main() -> None:
    case = sys.argv[1] if len(sys.argv) > 1 else "tuzla"
    stage = governance.update_governance

    def off(*args: object, **kwargs: object) -> None:
        return None

    spent: dict[str, list[float]] = {"on": [], "off": []}
    PeaceModel(case, seed=0).run()  # warm-up
    for _ in range(7):
        for mode in ("on", "off"):
            trust_stage.governance.update_governance = stage if mode == "on" else off
            start = time.process_time()
            PeaceModel(case, seed=0).run()
            spent[mode].append(time.process_time() - start)
    on, no = statistics.median(spent["on"]), statistics.median(spent["off"])
    print(f"{case} in one process: stage on {on:.3f} s, off {no:.3f} s CPU: {on / no:.3f}x")


if __name__ == "__main__":
    main()
