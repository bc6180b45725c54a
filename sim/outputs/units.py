"""The data dictionary's vocabulary: the units its entries use, and the entry itself
(``sim.outputs.dictionary`` lists the entries)."""

from __future__ import annotations

from typing import NamedTuple

PILLARS = ("humanitarian", "development", "peace")  # sim.scenario.vocabulary.PILLARS

INDEX = "index in [0, 1]"
SHARE = "share in [0, 1]"
COUNT = "count"
PEOPLE = "people"
MONEY = "money units per month (1 unit is about EUR 1,000)"
MONEY_TOTAL = "money units (1 unit is about EUR 1,000)"
MONTH = "calendar month"
STEP = "months since the scenario's start"
TEXT = "text"
ID = "id"
DEGREES = "degrees"


class Entry(NamedTuple):
    unit: str
    description: str


def by_pillar(template: str, unit: str, text: str) -> dict[str, Entry]:
    """One entry per pillar: ``{p}`` in the name and the text is the pillar."""
    return {template.format(p=p): Entry(unit, text.format(p=p)) for p in PILLARS}
