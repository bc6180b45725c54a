"""Write ``sim/scenario/plain_schema.json``: the scenario records as data for the plain checks.

Run after changing a record of ``sim.scenario.schema`` (or its event, steady or story
records); ``tests/test_plain_checks.py`` fails until the stored file is what the records give.

    .venv/bin/python experiments/make_plain_schema.py
"""

from __future__ import annotations

import json

from sim.outputs.atomic import write_text
from sim.scenario.plain_check import SCHEMA_FILE
from sim.scenario.plain_spec import spec_of_all


def text() -> str:
    """The file's text (JSON; Python's ``Infinity`` for an unbounded range)."""
    return json.dumps(spec_of_all(), indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    write_text(text(), SCHEMA_FILE)
    print(f"wrote {SCHEMA_FILE}")
