"""A scenario's story for the app's Info tab: ``info.yaml`` in the scenario folder (optional).

Format (every text in the author's own words, facts cited as ``file:line`` of the sources)::

    title: "Tuzla and the Dutch ABC programme"
    summary: "One paragraph: what the case is about."
    sections:
      - heading: "What happened"
        items:
          - {date: "1995-12", text: "The Dayton agreement ends the war.", source: "001:4948-4993"}
    policies:
      no_abc: "What this counterfactual means, in a sentence or two."

The file is part of the scenario format: its records are declared here like the others
(unknown keys refused with the nearest known one, text capped), ``load_scenario`` checks it
with the rest of the folder, so an uploaded case with a bad story is refused like any other bad
file, and ``experiments/make_schema.py`` publishes it as ``docs/schema/info.schema.json``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sim.errors import ScenarioError
from sim.scenario.near import nearest
from sim.scenario.records import validated
from sim.scenario.vocabulary import STORY_MAX, WHEN_MAX  # noqa: F401 - read from here too
from sim.scenario.yaml_io import read_yaml

FILE = "info.yaml"


def read_info(folder: Path, policies: list[str] | None = None) -> dict[str, Any] | None:
    """The checked story of the scenario in ``folder``, or None when it has no ``info.yaml``.

    ``policies``: the scenario's policies, which the story's ``policies`` may explain (by
    default the folder's own ``policies.yaml``). A problem is one
    :class:`~sim.errors.ScenarioError` line naming the file, the key path, the value and what
    is allowed.
    """
    path = Path(folder) / FILE
    if not path.is_file():
        return None
    info = validated("InfoFile", read_yaml(path), str(path))
    if policies is None:
        policies = list(read_yaml(Path(folder) / "policies.yaml", required=False) or {})
    for name in info.policies:
        if name not in policies:
            near = nearest(name, policies)
            hint = f"did you mean {near!r}? " if near else ""
            raise ScenarioError(
                str(path), f"policies.{name}", name, f"{hint}a policy of the scenario: {policies}"
            )
    return {
        "title": info.title.strip(),
        "summary": (info.summary or "").strip(),
        "sections": [
            {
                "heading": sec.heading.strip(),
                "items": [
                    {
                        "date": item.date or "",
                        "text": item.text.strip(),
                        "source": item.source or "",
                    }
                    for item in sec.items
                ],
            }
            for sec in info.sections
        ],
        "policies": {str(k): v.strip() for k, v in info.policies.items()},
    }


def scenario_info(name: str) -> dict[str, Any] | None:
    """The story of a scenario by name (None for synthetic or a case without one)."""
    if name == "synthetic":
        return None
    from sim.scenario.loader import scenario_folder

    return read_info(scenario_folder(name))


def __getattr__(name: str) -> Any:
    # The story's pydantic records (experiments/make_schema.py), built only when asked for.
    if name in ("InfoFile", "InfoSection", "InfoItem"):
        from sim.scenario import info_schema

        return getattr(info_schema, name)
    raise AttributeError(f"module 'sim.scenario.info' has no attribute {name!r}")
