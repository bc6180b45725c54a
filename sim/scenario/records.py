"""One entry of a scenario file validated: by the plain checks, else by pydantic.

``validated("Actor", data, file, where)`` gives the entry as a record with the values
pydantic's ``sim.scenario.schema.Actor`` would hold. A scenario without an error is checked
by ``sim.scenario.plain_check`` alone, so that a first run neither imports pydantic nor
builds its records (about 0.28 s of CPU); whatever the plain check is not sure of goes to
pydantic (``sim.scenario.validation.parse``), which words every refusal as one line, exactly
as before. ``CITYPEACE_PLAIN_CHECKS=0`` sends every entry to pydantic.
"""

from __future__ import annotations

import os
from typing import Any

from sim.scenario.plain_check import Doubt, check

# Record names whose pydantic type lives outside sim.scenario.schema.
_ELSEWHERE = {"InfoFile": "sim.scenario.info_schema", "SteadyPoint": "sim.scenario.steady"}


def plain_on() -> bool:
    """Whether the plain checks are tried first (``CITYPEACE_PLAIN_CHECKS=0``: never)."""
    return os.environ.get("CITYPEACE_PLAIN_CHECKS", "1") != "0"


def validated(name: str, data: Any, file: str, where: str = "") -> Any:
    """``data`` as record ``name`` (or ``"Event"``, ``"Id"``), or one ScenarioError."""
    if plain_on():
        try:
            return check(name, data)
        except Doubt:
            pass
    from sim.scenario.validation import parse

    return parse(pydantic_type(name), data, file, where)


def pydantic_type(name: str) -> Any:
    """The pydantic record (or value type) of ``name``."""
    import importlib

    module = importlib.import_module(_ELSEWHERE.get(name, "sim.scenario.schema"))
    return getattr(module, name)
