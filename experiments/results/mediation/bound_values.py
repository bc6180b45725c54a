"""The values the two cultural bound tests of tests/test_dynamics.py read (seed 1, no noise).

From the worktree root: ``PYTHONPATH=$PWD python experiments/results/mediation/bound_values.py
[group.name=value ...]`` (each argument overrides a coefficient, e.g. ``galtung.w_CT=0.5``;
without any, the config's values).

The same measurement as branch contact's ``experiments/results/contact/bound_values.py``, which
branches mediation and mediation2 ran again (``bound_values.txt`` here and in mediation2): this
path runs that script, so the two cannot differ.
"""

from __future__ import annotations

import runpy
from pathlib import Path

if __name__ == "__main__":
    contact = Path(__file__).resolve().parents[1] / "contact" / "bound_values.py"
    runpy.run_path(str(contact), run_name="__main__")
