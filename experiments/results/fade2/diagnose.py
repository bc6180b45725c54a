"""Reproduce branch fade's diagnosis of the pair world (seed 1, no noise) on this branch's code.

Run from the worktree root: ``PYTHONPATH=$PWD /work/main/.venv/bin/python
experiments/results/fade2/diagnose.py``. Reuses ``experiments/results/fade/trace.py`` (every
city's D, usual level U, excess E, the twinning's trust and the pair's B, V, H month by month)
and prints the numbers the fade2 section of docs/validation/issue15.md quotes.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
spec = importlib.util.spec_from_file_location("trace", ROOT / "experiments/results/fade/trace.py")
trace_mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(trace_mod)

calm = trace_mod.trace(None)
war = trace_mod.trace(trace_mod.siege(*trace_mod.WAR, pressure=3.0))
part = (war.H - calm.H).to_numpy()
dates = war.date.astype(str).str[:7].to_numpy()
at = {d: i for i, d in enumerate(dates)}
print(
    "calm: H",
    f"{calm.H.iloc[0]:.6f} -> {calm.H.iloc[-1]:.6f}",
    "| west D",
    f"{calm.D_w.iloc[0]:.5f} -> {calm.D_w.iloc[-1]:.5f}",
    "| west E (2003-01, 2009-12)",
    f"{calm.E_w[at['2003-01']]:.5f}, {calm.E_w.iloc[-1]:.5f}",
    "| trust",
    f"{calm.trust.iloc[0]:.3f} -> {calm.trust.iloc[-1]:.3f}",
    "| east E max",
    f"{calm.E_e.max():.2g}",
)
after = part[dates > "2001-12"]
rises = np.diff(after)
first = dates[dates > "2001-12"][1:][rises > 1e-12]
print(
    "war minus calm: peak",
    f"{part[(dates >= '2001-01') & (dates <= '2001-12')].max():.4f}",
    "| 2003 max",
    f"{part[(dates >= '2003-01') & (dates <= '2003-12')].max():.4f}",
    "| largest monthly rise after the war",
    f"{rises.max():.3g}",
    "| first rise",
    first[0] if first.size else None,
    "| months rising",
    int((rises > 1e-12).sum()),
)
print(
    "war: west D 2001-12, 2009-12",
    f"{war.D_w[at['2001-12']]:.4f}, {war.D_w.iloc[-1]:.4f}",
    "| west E 2003-01, 2006-12",
    f"{war.E_w[at['2003-01']]:.4f}, {war.E_w[at['2006-12']]:.4f}",
    "| east E from",
    dates[(war.E_e.to_numpy() == 0) & (dates > "2001-12")][0],
)
