"""Two source trees of citypeace in one process, for timing them side by side.

Both trees hold a package named ``sim``. :class:`TwoEngines` imports each tree's ``sim`` in
turn, keeps its modules, and swaps the right set into ``sys.modules`` before each run, so the
two engines take turns in one process under the same load, cache and allocator (a run
imports nothing new once its modules are loaded; a warm-up run of each loads them).

    engines = TwoEngines({"before": Path("/tmp/before"), "after": Path(".")})
    seconds = engines.cpu("after", "PeaceModel('tuzla', seed=0)")

Used by ``single_speed.py --inprocess``.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

SETUP = {
    "synthetic": (
        "from sim.scenario.synthetic import SyntheticSpec, generate\n"
        "case = generate(SyntheticSpec(n_cities={n}, horizon=240, n_countries=50, "
        "n_networks=20, mean_degree=7.4), seed=1)\n"
        "build = lambda: PeaceModel(case, seed=1, cities_every=12, cities_max=2000)\n"
    ),
    "scenario": "build = lambda: PeaceModel({name!r}, seed=0)\n",
}


def _ours(name: str) -> bool:
    return name == "sim" or name.startswith("sim.")


class TwoEngines:
    """The ``sim`` packages of several source trees, loaded once each (see the docstring)."""

    def __init__(self, trees: dict[str, Path]) -> None:
        self.modules: dict[str, dict[str, ModuleType]] = {}
        for side, tree in trees.items():
            self._clear()
            sys.path.insert(0, str(tree))
            try:
                import sim  # noqa: F401 - this tree's package
                import sim.scenario.synthetic  # noqa: F401
            finally:
                sys.path.remove(str(tree))
            loaded = sys.modules["sim"].__file__ or ""
            if not Path(loaded).resolve().is_relative_to(tree.resolve()):
                raise RuntimeError(f"{side}: imported {loaded}, not from {tree}")
            self.modules[side] = {k: v for k, v in sys.modules.items() if _ours(k)}
        self._clear()

    @staticmethod
    def _clear() -> None:
        for name in [k for k in sys.modules if _ours(k)]:
            del sys.modules[name]

    def use(self, side: str) -> ModuleType:
        """Make ``side``'s modules the imported ``sim``; returns its package."""
        self._clear()
        sys.modules.update(self.modules[side])
        return self.modules[side]["sim"]

    def cpu(self, side: str, setup: str) -> float:
        """CPU seconds of one run (built, stepped to its horizon, time series built) on
        ``side``; ``setup`` defines ``build()`` (world generation is outside the clock)."""
        sim = self.use(side)
        scope: dict[str, Any] = {"PeaceModel": sim.PeaceModel}
        exec(setup, scope)  # noqa: S102 - our own fixed snippets
        start = time.process_time()
        model = scope["build"]()
        model.run()
        model.timeseries()
        spent = time.process_time() - start
        # keep what the run imported lazily (the loader, say): the next swap would drop it
        # and the next run import it again inside the clock
        self.modules[side].update({k: v for k, v in sys.modules.items() if _ours(k)})
        return spent


def alternate(engines: TwoEngines, setup: str, repeat: int) -> dict[str, Any]:
    """``repeat`` runs per side, alternating the order each round, after one warm-up each;
    CPU seconds, their medians and the after/before ratio."""
    for side in engines.modules:
        engines.cpu(side, setup)
    sides = list(engines.modules)
    times: dict[str, list[float]] = {side: [] for side in sides}
    for i in range(repeat):
        for side in sides if i % 2 == 0 else sides[::-1]:
            times[side].append(engines.cpu(side, setup))
    medians = {side: statistics.median(t) for side, t in times.items()}
    return {
        "runs_cpu_s": times,
        **{f"{side}_cpu_s": m for side, m in medians.items()},
        "ratio_cpu": medians["after"] / medians["before"],
    }
