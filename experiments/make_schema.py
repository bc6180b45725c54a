"""Write the scenario format as JSON Schema to docs/schema/ (one file per scenario file).

    .venv/bin/python experiments/make_schema.py           # write the files
    .venv/bin/python experiments/make_schema.py --check   # exit 1 if a file is out of date

The records are declared once, in sim/scenario/schema.py; tests/test_scenario_schema.py
checks that the published files match them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from sim.scenario import schema

OUT = Path(__file__).resolve().parent.parent / "docs" / "schema"
FILES: dict[str, tuple[Any, str]] = {
    "scenario": (schema.ScenarioMeta, "scenario.yaml: the scenario's facts"),
    "actors": (list[schema.Actor], "actors.yaml: the actors"),
    "ties": (list[schema.Tie], "ties.yaml: relationships between actors"),
    "programmes": (list[schema.Programme], "programmes.yaml: funded programmes"),
    "alliances": (list[schema.Alliance], "alliances.yaml: alliances such as MAP"),
    "events": (list[schema.Event], "events.yaml: dated events"),
    "policies": (dict[str, schema.Policy], "policies.yaml: counterfactual overlays"),
    "patterns": (None, "patterns.yaml: stylised facts (sim/experiments/pattern_schema.py)"),
}


def schemas() -> dict[str, str]:
    """File name -> JSON text, for every scenario file with a declared schema."""
    from sim.experiments.pattern_schema import json_schema as patterns

    out = {}
    for stem, (kind, title) in FILES.items():
        doc = patterns() if stem == "patterns" else TypeAdapter(kind).json_schema(by_alias=True)
        doc = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": title,
            **doc,
        }
        out[f"{stem}.schema.json"] = json.dumps(doc, indent=2, sort_keys=True) + "\n"
    return out


def main(argv: list[str]) -> int:
    wanted = schemas()
    if "--check" in argv:
        stale = [
            n
            for n, text in wanted.items()
            if not (OUT / n).is_file() or (OUT / n).read_text() != text
        ]
        for name in stale:
            print(f"make_schema: docs/schema/{name} is out of date", file=sys.stderr)
        return 1 if stale else 0
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in wanted.items():
        (OUT / name).write_text(text, encoding="utf-8")
        print(f"make_schema: wrote docs/schema/{name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
