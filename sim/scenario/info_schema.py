"""The records of a scenario's story (``info.yaml``, ``sim.scenario.info``), in pydantic: the
plain checks read them as data (``sim.scenario.plain_check``) and pydantic words a refusal."""

from __future__ import annotations

from sim.scenario.fields import DESCRIPTION_MAX, NAME_MAX, Record, Source, Text
from sim.scenario.vocabulary import STORY_MAX, WHEN_MAX


class InfoItem(Record):
    """One line of the story: what happened (and when), with its source."""

    date: Text(WHEN_MAX, "when it happened, as a reader would write it") | None = None
    text: Text(STORY_MAX)
    source: Source | None = None


class InfoSection(Record):
    """A heading and its lines."""

    heading: Text(NAME_MAX)
    items: list[InfoItem] = []


class InfoFile(Record):
    """``info.yaml``: the case told for a reader, and what each policy means."""

    title: Text(NAME_MAX)
    summary: Text(STORY_MAX) | None = None
    sections: list[InfoSection] = []
    policies: dict[str, Text(DESCRIPTION_MAX * 2)] = {}
