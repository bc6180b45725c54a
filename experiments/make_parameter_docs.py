"""Regenerate docs/parameters.md from the documented coefficients in sim/engine/params.py.

    .venv/bin/python experiments/make_parameter_docs.py
A test fails when docs/parameters.md is out of date.
"""

from __future__ import annotations

from pathlib import Path

from sim.engine.params import Levers, parameter_table

DOC = Path(__file__).resolve().parent.parent / "docs" / "parameters.md"


def render() -> str:
    lines = [
        "# Parameters",
        "",
        "Every rule coefficient is a named Hydra parameter (`model.<group>.<name>`) with a unit,",
        "an inclusive range checked before a run starts, and a reason: a source line in",
        "`shared/seeds` (`file:line`) or the word *assumption*. Generated from",
        "`sim/engine/params.py`",
        "by `experiments/make_parameter_docs.py`; override any of them on the command line,",
        "for example `citypeace scenario=tuzla model.trust.decay=0.05`.",
        "",
        "| key | default | unit | range | source or assumption |",
        "| --- | ---: | --- | --- | --- |",
    ]
    for row in parameter_table() + parameter_table(Levers(), "levers"):
        lo, hi = row["range"]
        lines.append(
            f"| `{row['key']}` | {row['default']} | {row['unit']} | [{lo}, {hi}] | {row['why']} |"
        )
    lines += [
        "",
        "Boolean levers: `levers.mediation`, `levers.io_channel`, "
        "`levers.direct_channel` (true/false).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC}")
