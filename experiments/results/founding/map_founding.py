"""MAP's alliance and cross-divide trust, seed 0, baseline and no_mediator (issue 15,
founding): the same script as branch mediation3's, run on the founding rule's tree.

    PYTHONPATH=$PWD python experiments/results/founding/map_founding.py
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

_SCRIPT = Path(__file__).resolve().parents[1] / "mediation3" / "map_founding.py"

if __name__ == "__main__":
    spec = importlib.util.spec_from_file_location("mediation3_map_founding", _SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main()
