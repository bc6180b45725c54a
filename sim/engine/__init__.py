"""The engine: a batch of replicates of one scenario, stepped month by month (MODEL.md 2, 3, 8).

State arrays carry a leading replicate axis: (R, N) for cities, (R, E) for ties, (3, R, ...)
per pillar. R replicates of one compiled scenario step together, each with its own random
stream, coefficients and levers; a batch of one is a single run.

- ``world``: the compiled scenario: actors, ties and their fixed subsets, programmes,
  alliances, mediation triples (built once per scenario and policy).
- ``state``: the structs of (R, ...) arrays that change during a run, and the project log.
- ``coefficients``: every parameter, switch and lever as an (R, 1) column.
- ``step``: the month in MODEL.md section 3 order, one module of ``stages`` per step
  (gates, funding, proposals, delivery, projects, trust, violence, levels, alliances);
  the equations themselves are the pure functions of :mod:`sim.rules`.
- ``events``: the scenario timeline applied month by month, and the events log.
- ``month``: one month's intermediate arrays; ``observe``: the recorder of what a run
  records; ``scoped_series``: series that patterns ask for by name; ``outputs``: a batch's
  recorded arrays and each replicate's tidy frames.
- ``batch``: :class:`Batch`, R replicates stepped together, failures masked per replicate.
- ``model``: :class:`PeaceModel`, the Mesa face: a batch of one whose agents
  (``agents``) read and write row 0.
- ``ensemble``: :class:`Ensemble`, replicates grouped by compiled scenario and run in batches;
  ``replicates``: what a replicate is, lists of them, worker processes.
- ``inputs``: scenario, parameters and levers resolved and checked; ``params``: every
  coefficient and lever, with unit, range and source.
"""
