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

from sim.scenario import info, schema

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
    "info": (info.InfoFile, "info.yaml: the case's story for the app's Info tab (optional)"),
}


def patterns_schema() -> dict[str, Any]:
    """``patterns.yaml`` as JSON Schema, from pattern_schema's key table: what an editor can
    check in one file (series, dates and policies are checked against the scenario by the
    loader)."""
    from sim.experiments.pattern_schema import (
        AGGREGATES,
        DIRECTIONS,
        KEYS,
        KINDS,
        OPERATORS,
        PATTERNS_MAX,
        ROLES,
        TEXT_MAX,
    )

    date = {"type": "string", "pattern": r"^\d{4}-\d{2}(-\d{2})?$"}
    text = {key: {"type": "string", "minLength": 1, "maxLength": n} for key, n in TEXT_MAX.items()}
    window = {
        "series": {"type": "string", "minLength": 1},
        "agg": {"enum": list(AGGREGATES)},
        "from": date,
        "to": date,
    }
    part = {"type": "object", "properties": window, "required": ["series"]}
    values: dict[str, Any] = {
        **text,
        **window,
        "kind": {"enum": list(KINDS)},
        "role": {"enum": list(ROLES)},
        "calibrates": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "mechanism": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "min": {"type": "number"},
        "max": {"type": "number"},
        "numerator": {**part, "additionalProperties": False},
        "denominator": {**part, "additionalProperties": False},
        "before": {**part, "additionalProperties": False},
        "after": {**part, "additionalProperties": False},
        "op": {"enum": list(OPERATORS)},
        "value": {"type": "number"},
        "never": {"type": "boolean"},
        "policy": {"type": "string", "minLength": 1},
        "min_difference": {"type": "number", "minimum": 0},
        "direction": {"enum": list(DIRECTIONS)},
    }
    kinds = [
        {
            "title": kind,
            "type": "object",
            "properties": {**{k: values[k] for k in keys}, "kind": {"const": kind}},
            "required": ["id", "kind", "role", "role_reason"],
            "additionalProperties": False,
        }
        for kind, keys in KEYS.items()
    ]
    return {"type": "array", "maxItems": PATTERNS_MAX, "items": {"oneOf": kinds}}


def schemas() -> dict[str, str]:
    """File name -> JSON text, for every scenario file with a declared schema."""
    out = {}
    for stem, (kind, title) in FILES.items():
        if stem == "patterns":
            doc = patterns_schema()
        else:
            doc = TypeAdapter(kind).json_schema(by_alias=True)
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
