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

Read with the safe YAML loader; a problem is one :class:`~sim.errors.ScenarioError` line
naming the file, the key, the value and what is allowed. An uploaded case brings its own file
(the archive accepts any ``.yaml``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sim.errors import ScenarioError

FILE = "info.yaml"


def _text(where: str, key: str, value: Any, optional: bool = False) -> str:
    if value is None and optional:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(where, key, value, "a non-empty text")
    return value.strip()


def read_info(folder: Path) -> dict[str, Any] | None:
    """The checked story of the scenario in ``folder``, or None when it has no ``info.yaml``."""
    import yaml

    path = Path(folder) / FILE
    if not path.is_file():
        return None
    where = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ScenarioError(where, "document", type(exc).__name__, "valid UTF-8 YAML") from exc
    if not isinstance(data, dict):
        raise ScenarioError(where, "document", data, "a mapping with title, summary, sections")
    unknown = sorted(set(data) - {"title", "summary", "sections", "policies"})
    if unknown:
        raise ScenarioError(
            where, unknown[0], data[unknown[0]], "one of title, summary, sections, policies"
        )
    out: dict[str, Any] = {
        "title": _text(where, "title", data.get("title")),
        "summary": _text(where, "summary", data.get("summary"), optional=True),
        "sections": [],
        "policies": {},
    }
    sections = data.get("sections") or []
    if not isinstance(sections, list):
        raise ScenarioError(where, "sections", sections, "a list of {heading, items}")
    for i, sec in enumerate(sections, start=1):
        key = f"sections[{i}]"
        if not isinstance(sec, dict) or set(sec) - {"heading", "items"}:
            raise ScenarioError(where, key, sec, "a mapping with heading and items")
        items = sec.get("items") or []
        if not isinstance(items, list):
            raise ScenarioError(where, f"{key}.items", items, "a list of {date, text, source}")
        checked = []
        for j, item in enumerate(items, start=1):
            ik = f"{key}.items[{j}]"
            if not isinstance(item, dict) or set(item) - {"date", "text", "source"}:
                raise ScenarioError(where, ik, item, "a mapping with date, text and source")
            checked.append(
                {
                    "date": _text(where, f"{ik}.date", item.get("date"), optional=True),
                    "text": _text(where, f"{ik}.text", item.get("text")),
                    "source": _text(where, f"{ik}.source", item.get("source"), optional=True),
                }
            )
        out["sections"].append(
            {"heading": _text(where, f"{key}.heading", sec.get("heading")), "items": checked}
        )
    policies = data.get("policies") or {}
    if not isinstance(policies, dict):
        raise ScenarioError(where, "policies", policies, "a mapping from policy to text")
    for name, text in policies.items():
        out["policies"][str(name)] = _text(where, f"policies.{name}", text)
    return out


def scenario_info(name: str) -> dict[str, Any] | None:
    """The story of a scenario by name (None for synthetic or a case without one)."""
    if name == "synthetic":
        return None
    from sim.scenario.loader import scenario_folder

    return read_info(scenario_folder(name))
