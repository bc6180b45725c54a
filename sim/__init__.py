"""citypeace: agent-based simulation of peacebuilding through city networks.

>>> from sim import PeaceModel
>>> m = PeaceModel.from_scenario("two_cities", seed=1, horizon=24).run()
>>> m.timeseries()["peace"].between(0, 1).all()
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Ensemble", "PeaceModel", "Replicate", "__version__"]

if TYPE_CHECKING:
    from sim.engine.ensemble import Ensemble, Replicate
    from sim.engine.model import PeaceModel


def __getattr__(name: str) -> Any:
    # PeaceModel (and with it Mesa, pandas and SciPy) is imported on first use, so that
    # commands which never build a model, such as a sweep's planning process, start faster.
    if name == "PeaceModel":
        from sim.engine.model import PeaceModel

        return PeaceModel
    if name in ("Ensemble", "Replicate"):
        from sim.engine import ensemble

        return getattr(ensemble, name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
