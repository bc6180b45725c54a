"""citypeace: agent-based simulation of peacebuilding through city networks.

>>> from sim import PeaceModel
>>> m = PeaceModel.from_scenario("two_cities", seed=1, horizon=24).run()
>>> m.timeseries()["peace"].between(0, 1).all()
True
"""

__version__ = "0.1.0"

from sim.model import PeaceModel  # noqa: E402

__all__ = ["PeaceModel", "__version__"]
