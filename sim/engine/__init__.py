"""The engine: the model's state and its monthly step (MODEL.md sections 2, 3 and 8).

- ``model``: :class:`PeaceModel`, the Mesa model that owns the arrays and runs the month.
- ``agents``: the Mesa agents, each a view onto its row of the arrays.
- ``state``: the structs of arrays (cities, actors, ties, the project log).
- ``events``: the scenario timeline applied month by month.
- ``observe``: what a run records (model-level series, city rows).
- ``tie_views``: per-tie gathers and subsets that stay fixed between months.
- ``params``: every coefficient and lever, with unit, range and source.
- ``blocks``: cache-sized blocks for the largest per-offer loops.

The equations themselves are pure functions in :mod:`sim.rules`.
"""
