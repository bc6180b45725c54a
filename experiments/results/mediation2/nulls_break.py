"""Which passing patterns each of three nulls breaks (held in <= 50% of seeds where the full
model holds them in >= 80%), before (docs/validation/<case>/matrix.csv) and after (this
branch's experiments/results/mediation2/validation/<case>/matrix.csv): branch mediation's
script (experiments/results/mediation/nulls_break.py) run on this folder's records."""

from __future__ import annotations

import runpy
from pathlib import Path

if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    runpy.run_path(str(here.parent / "mediation" / "nulls_break.py"))["main"](here)
