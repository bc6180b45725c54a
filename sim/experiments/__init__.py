"""Experiments on the model: each usable alone, all built on the engine.

- ``patterns``: the pattern language of ``patterns.yaml`` and how a pattern is judged.
- ``pattern_schema``: the load-time checks of ``patterns.yaml`` (keys, kinds, roles, dates).
- ``pattern_series``: the series a pattern may read (recorded columns and scoped forms).
- ``validate``: ``citypeace validate``, patterns over a seed ensemble.
- ``sweep``: ``citypeace sweep``, designed experiments (LHS, Sobol, Morris, replicates).
- ``design_file``: what a design is, and its ``configs/design/*.yaml`` file, checked.
- ``design``: how a design samples, its replication seeds and its plan of jobs.
- ``summary``: per-run outcome rows, resume by config hash, the sweep callback.
- ``report``: ``citypeace report``, fan charts and rankings of a sweep folder.
- ``ema``: the EMA Workbench adapter.
- ``runner``: one configured run into its folder (the command line and every sweep job).
"""
