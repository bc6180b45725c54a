"""Regenerate docs/parameters.md from the documented coefficients in sim/engine/params.py.

    .venv/bin/python experiments/make_parameter_docs.py
A test fails when docs/parameters.md is out of date.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from sim.engine.params import Levers, RuleSwitches, parameter_table

DOC = Path(__file__).resolve().parent.parent / "docs" / "parameters.md"


def switches() -> list[tuple[str, str]]:
    """(name, what switching it off does) for every rule switch."""
    return [(f.name, f.metadata.get("off", "")) for f in dataclasses.fields(RuleSwitches)]


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
        "*Tuned on* names the patterns (`scenario:pattern`) a value was set from. Such a pattern",
        "is a calibration (`role: calibration` with `calibrates:` in its `patterns.yaml`), never",
        "evidence; `citypeace validate` reports it as such (docs/validation/).",
        "",
        "| key | default | unit | range | source or assumption | tuned on |",
        "| --- | ---: | --- | --- | --- | --- |",
    ]
    for row in parameter_table() + parameter_table(Levers(), "levers"):
        lo, hi = row["range"]
        lines.append(
            f"| `{row['key']}` | {row['default']} | {row['unit']} | [{lo}, {hi}] | {row['why']} "
            f"| {row['tuned_on'] or '-'} |"
        )
    lines += [
        "",
        "Boolean levers: `levers.mediation`, `levers.io_channel`, "
        "`levers.direct_channel` (true/false).",
        "",
        "Rule switches (`model.switches.<name>`, true by default) turn off a whole rule that no",
        "coefficient can zero, for the null models in `configs/nulls/`: "
        + ", ".join(f"`model.switches.{name}` ({why})" for name, why in switches())
        + ".",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC}")
