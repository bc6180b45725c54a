"""The summary of an A/B benchmark's fresh-process samples, shared by cli5_first_run.py and
cli6_ab.py (and any script that takes turns between a ``before`` and an ``after`` tree).

Sample ``i`` of each side was taken in the same turn (the sides alternating which goes
first), so the after / before ratio of each turn's pair cancels most of the load both shared;
the median of those ratios is the steadiest comparison on a shared machine. Each side also
keeps its medians and its samples in order, so that a reader can see the spread.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence


def summarise(sides: Mapping[str, Sequence[Mapping[str, float]]]) -> dict:
    """Per side, the median of every measured key (rounded to ms) and ``all_wall_s`` and
    ``all_cpu_s``, the samples in order; then ``paired_cpu_ratio_median`` and
    ``paired_wall_ratio_median``: the median over the turns of after / before."""
    row: dict = {}
    for side, got in sides.items():
        row[side] = {k: round(statistics.median(s[k] for s in got), 3) for k in got[0]}
        row[side]["all_wall_s"] = [round(s["wall_s"], 3) for s in got]
        row[side]["all_cpu_s"] = [round(s["cpu_s"], 3) for s in got]
    pairs = list(zip(sides["before"], sides["after"], strict=True))
    for key in ("cpu", "wall"):
        row[f"paired_{key}_ratio_median"] = round(
            statistics.median(a[f"{key}_s"] / b[f"{key}_s"] for b, a in pairs), 3
        )
    return row
