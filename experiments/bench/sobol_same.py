"""Two sweep folders of the same design hold the same outputs (branch sobol17): the design
(``design.parquet``), the summary by run id less its volatile columns (time, host, code), the
series dataset file by file (bytes: the same runs give the same files), and the Sobol indices
of ``citypeace sweep sensitivity`` (SALib) for a few outcomes, with the time that takes.

    .venv/bin/python experiments/bench/sobol_same.py <before sweep> <after sweep>

Prints one JSON line; exits 1 when anything differs.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

import pandas as pd

VOLATILE = ["duration_s", "cpu_s", "finished_at", "git_commit", "run_dir", "host", "citypeace",
            "job_num"]  # fmt: skip
OUTCOMES = ["peace_10y", "peace_20y", "trust_10y"]


def _files(sweep: Path) -> dict[str, str]:
    out = {}
    for path in sorted((sweep / "series").glob("*.parquet")):
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda f=fh: f.read(1 << 22), b""):
                h.update(block)
        out[path.name] = h.hexdigest()
    return out


def main() -> None:
    from sim.experiments.sensitivity import sensitivity

    a, b = Path(sys.argv[1]), Path(sys.argv[2])
    same: dict[str, object] = {}
    same["design"] = pd.read_parquet(a / "design.parquet").equals(
        pd.read_parquet(b / "design.parquet")
    )
    sa, sb = (pd.read_parquet(p / "summary.parquet") for p in (a, b))
    sa, sb = (s.drop(columns=[c for c in VOLATILE if c in s.columns]).sort_values("run_id")
              .reset_index(drop=True) for s in (sa, sb))  # fmt: skip
    same["summary"] = sa.equals(sb)
    same["runs"] = len(sa)
    fa, fb = _files(a), _files(b)
    same["series_files"] = fa == fb
    same["n_series_files"] = len(fa)
    start = time.perf_counter()
    ia = sensitivity(a, OUTCOMES)
    same["sensitivity_s"] = round(time.perf_counter() - start, 2)
    same["sobol_indices"] = ia.equals(sensitivity(b, OUTCOMES))
    print(json.dumps(same))
    sys.exit(0 if all(v for k, v in same.items() if isinstance(v, bool)) else 1)


if __name__ == "__main__":
    main()
