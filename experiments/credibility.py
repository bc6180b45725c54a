"""Issue 15's credibility complaints, re-measured on today's model (read-only on the rules).

    PYTHONPATH=$PWD .venv/bin/python experiments/credibility.py            # 30 seeds
    PYTHONPATH=$PWD .venv/bin/python experiments/credibility.py --seeds 3 --out /tmp/c

For each complaint of issue 15's "Why" the same quantity is measured on the setting that best
reproduces the complaint's: a synthetic town across a divide built in the scenario format
(experiments/credibility_worlds.py, defaults only) or the real cases. Where the model is
random the figure is the median over the seeds and the range (min-max). It writes
``docs/validation/credibility.md`` (the table, the criteria and yardsticks; everything from its
``## Seen on the dashboards`` heading on is hand-written and kept as it is) and
``docs/validation/credibility.csv``. Deterministic: the same seeds give the same files.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from credibility_core import Row, run  # noqa: E402
from credibility_peace import headline, mediating, tuzla_path  # noqa: E402
from credibility_text import HAND_TAIL, HEADER, YARDSTICKS  # noqa: E402
from credibility_war import money, recovery, siege  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "validation"
CASES = ("tuzla", "map", "seoul_pyongyang", "croatia_twinnings", "two_cities")


def measure(
    seeds: Sequence[int],
    cases: Sequence[str] = CASES,
    progress: Callable[[str], None] = lambda _: None,
) -> list[Row]:
    """Every complaint's row, in the issue's order."""
    progress("real cases")
    needed = dict.fromkeys(("tuzla", "croatia_twinnings", *cases))  # the rows below read these two
    runs = {case: run(case, seeds) for case in needed}
    tuzla_none = run("tuzla", seeds, "no_abc")
    progress("money")
    rows = money(seeds)
    progress("siege")
    rows += siege(seeds)
    progress("recovery")
    rows += recovery(seeds, runs["tuzla"], tuzla_none)
    progress("mediation")
    map_runs = (runs["map"], run("map", seeds, "no_mediator")) if "map" in runs else None
    rows += mediating(seeds, runs["croatia_twinnings"], map_runs)
    rows += headline(runs)
    rows += tuzla_path(runs["tuzla"], tuzla_none)
    return rows


def write(rows: list[Row], seeds: Sequence[int], out: Path) -> None:
    """The table as ``credibility.csv`` and ``credibility.md`` (its hand-written tail kept)."""
    out.mkdir(parents=True, exist_ok=True)
    table = out / "credibility.csv.tmp"  # both files written whole, then renamed
    with table.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(asdict(rows[0])))
        writer.writeheader()
        writer.writerows(asdict(r) for r in rows)
    md = out / "credibility.md"
    old = md.read_text(encoding="utf-8") if md.exists() else ""
    tail = (
        old[old.index("## Seen on the dashboards") :]
        if "## Seen on the dashboards" in old
        else HAND_TAIL
    )
    lines = [
        HEADER.format(n=len(seeds)),
        "| complaint | the issue's figure | today's figure | setting | verdict | why |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| **{r.key}**: {r.complaint} | {r.issue_figure} | {r.today} | {r.setting} | "
        f"**{r.verdict}** | {r.why} |"
        for r in rows
    ]
    lines += ["", "## Criteria", ""] + [f"- **{r.key}**: {r.criterion}." for r in rows]
    lines += ["", YARDSTICKS, ""]
    text = "\n".join(lines) + "\n" + tail
    tmp = md.with_suffix(".md.tmp")
    tmp.write_text(text, encoding="utf-8")
    table.replace(out / "credibility.csv")
    tmp.replace(md)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=30, help="seeds 0..N-1 (default 30)")
    parser.add_argument("--out", type=Path, default=OUT, help="folder for credibility.md/.csv")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    parser.add_argument(
        "--cases",
        default=",".join(CASES),
        help="real cases of the headline row, comma-separated (tuzla and croatia_twinnings "
        "always run: other rows read them)",
    )
    args = parser.parse_args(argv)
    if args.seeds < 1:
        print(f"credibility: error: --seeds = {args.seeds}: a whole number >= 1", file=sys.stderr)
        return 2
    cases = [c for c in args.cases.split(",") if c]
    unknown = [c for c in cases if c not in CASES]
    if unknown:
        print(
            f"credibility: error: --cases = {unknown[0]!r}: one of {list(CASES)}", file=sys.stderr
        )
        return 2
    seeds = list(range(args.seeds))
    say = (
        (lambda _: None) if args.quiet else (lambda s: print(f"credibility: {s}", file=sys.stderr))
    )
    rows = measure(seeds, cases, progress=say)
    write(rows, seeds, args.out)
    say(f"wrote {args.out / 'credibility.md'} and credibility.csv ({len(rows)} complaints)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
