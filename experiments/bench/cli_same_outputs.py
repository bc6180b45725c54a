"""Check: the command line writes what the code at a git ref writes, file by file.

Runs a few commands with the code at ``--before`` (default: cli_speed.py's, unpacked with
``git archive``) and with this checkout, each twice (the second run finds its plan and its
scenario in the cache), and compares every file of the run folders:

- Parquet tables: the same rows, columns, types, field metadata and schema metadata, but for
  the provenance (its git commit differs between a checkout and an unpacked tree);
- ``provenance.json``: the same, but for the git commit and dirty flag;
- every other file (``dashboard.png``, ``.hydra/*.yaml``, ``config.yaml``, ``dictionary.csv``):
  the same bytes, once the two run folders' paths are written alike.

    .venv/bin/python experiments/bench/cli_same_outputs.py [--before REF]

A table whose values are the same but whose types changed as docs/outputs.md lists (dates
that were 'YYYY-MM' text, text that was ``large_string`` or ``null``, pandas' own metadata)
is reported as such, not as a difference. Prints each difference and exits 1 if there is any.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_speed import BEFORE, PY, ROOT, unpack  # noqa: E402

CASES = [
    ["scenario=tuzla"],
    ["scenario=two_cities", "horizon=24", "seed=3"],
    ["scenario=tuzla", "policy=no_abc", "horizon=36"],
    ["scenario=synthetic", "scenario.n_cities=2000", "horizon=60"],
]
PROVENANCE = b"citypeace.provenance"


def _same_parquet(a: Path, b: Path) -> bool:
    import pyarrow.parquet as pq

    ta, tb = pq.read_table(a), pq.read_table(b)
    meta_a = {k: v for k, v in (ta.schema.metadata or {}).items() if k != PROVENANCE}
    meta_b = {k: v for k, v in (tb.schema.metadata or {}).items() if k != PROVENANCE}
    return (
        ta.schema.equals(tb.schema, check_metadata=False)
        and all(fa.metadata == fb.metadata for fa, fb in zip(ta.schema, tb.schema, strict=True))
        and meta_a == meta_b
        and ta.to_pandas().equals(tb.to_pandas())  # NaN equals NaN here, unlike Table.equals
    )


def _same_content(a: Path, b: Path) -> bool:
    """The same rows and values once the type changes docs/outputs.md lists are undone: a
    date32 month read as 'YYYY-MM' text, text of any Arrow string type (or none: a column of
    nulls) as objects, pandas' own schema metadata ignored; field metadata still the same."""
    import pandas as pd
    import pyarrow.parquet as pq

    ta, tb = pq.read_table(a), pq.read_table(b)
    if ta.schema.names != tb.schema.names or not all(
        fa.metadata == fb.metadata for fa, fb in zip(ta.schema, tb.schema, strict=True)
    ):
        return False
    frames = []
    for table in (ta, tb):
        frame = table.to_pandas()
        for field in table.schema:
            kind = str(field.type)
            column = frame[field.name]
            if kind.startswith("date32"):
                frame[field.name] = column.map(lambda d: None if pd.isna(d) else str(d)[:7])
            if kind.startswith("date32") or "string" in kind or kind == "null":
                frame[field.name] = (
                    frame[field.name].astype(object).where(frame[field.name].notna(), None)
                )
        frames.append(frame)
    return frames[0].equals(frames[1])


def _same_provenance(a: Path, b: Path) -> bool:
    ja, jb = json.loads(a.read_text()), json.loads(b.read_text())
    for data in (ja, jb):
        data.pop("git_commit", None)
        data.pop("git_dirty", None)
    return ja == jb


def compare(before: str, documented: list[str]) -> list[str]:
    """Every difference between the two codes' run folders, as 'case run file'; files whose
    content is the same but for the type changes docs/outputs.md lists go to
    ``documented``."""
    differences = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        roots = {"before": unpack(before, tmp), "after": ROOT}
        for number, case in enumerate(CASES):
            folders = {}
            for side, root in roots.items():
                env = {**os.environ, "PYTHONPATH": str(root),
                       "CITYPEACE_CACHE_DIR": str(tmp / f"cache-{side}")}  # fmt: skip
                folders[side] = tmp / f"{number}-{side}"
                for run in ("first", "cached"):
                    args = [*case, "output.progress=false", f"hydra.run.dir={folders[side] / run}"]
                    subprocess.run([PY, "-m", "sim", *args], cwd=tmp, env=env, check=True,
                                   capture_output=True)  # fmt: skip
            for run in ("first", "cached"):
                a, b = folders["before"] / run, folders["after"] / run
                names = sorted(str(p.relative_to(a)) for p in a.rglob("*") if p.is_file())
                names_b = sorted(str(p.relative_to(b)) for p in b.rglob("*") if p.is_file())
                if names != names_b:
                    differences.append(f"{case} {run}: files {names} against {names_b}")
                    continue
                for name in names:
                    x, y = a / name, b / name
                    if name.endswith(".parquet"):
                        same = _same_parquet(x, y)
                        if not same and _same_content(x, y):
                            documented.append(f"{case} {run} {name}")
                            continue
                    elif name == "provenance.json":
                        same = _same_provenance(x, y)
                    else:
                        same = x.read_bytes().replace(
                            str(folders["before"]).encode(), b"RUN"
                        ).replace(str(roots["before"]).encode(), b"CODE") == y.read_bytes(
                        ).replace(str(folders["after"]).encode(), b"RUN").replace(
                            str(roots["after"]).encode(), b"CODE"
                        )  # fmt: skip
                    if not same:
                        differences.append(f"{case} {run} {name}")
            print(f"compared {' '.join(case)}: {len(names)} files, first and cached run")
    return differences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=BEFORE, help="git ref of the code to compare with")
    documented: list[str] = []
    differences = compare(parser.parse_args().before, documented)
    for line in documented:
        print("SAME CONTENT, types as docs/outputs.md says:", line)
    for line in differences:
        print("DIFFERENT:", line)
    print(f"{len(differences)} differences, {len(documented)} documented type changes")
    raise SystemExit(1 if differences else 0)


if __name__ == "__main__":
    main()
