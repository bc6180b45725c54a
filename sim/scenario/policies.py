"""Counterfactual policies (``policies.yaml``): overlays that drop and add entries and set levers.

Every policy of the file is checked against the schema whenever the scenario loads, so a typo
in a policy nobody runs today is found today. The chosen policy is then applied to the
baseline entries: what it drops must exist, and what it adds is checked like the baseline's
own entries, reported under ``policies.yaml: <policy>.add_<section>[i]``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import ScenarioError
from sim.scenario.records import validated
from sim.scenario.references import Entry
from sim.scenario.yaml_io import read_yaml, short

if TYPE_CHECKING:
    from sim.scenario.schema import Policy

SECTIONS = ("actors", "ties", "programmes", "events")


def read_policies(folder: Path) -> dict[str, Policy]:
    """Every policy in ``folder/policies.yaml``, checked, by name (none if the file is absent)."""
    path = folder / "policies.yaml"
    data = read_yaml(path, required=False)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ScenarioError(
            str(path), "document", short(data), "a mapping from policy name to an overlay mapping"
        )
    policies = {}
    for name, overlay in data.items():
        validated("Id", name, str(path), "policy name")
        if name == "baseline":
            raise ScenarioError(
                str(path),
                "baseline",
                short(overlay),
                "another name: baseline is the scenario itself",
            )
        policies[name] = validated("Policy", overlay, str(path), name)
    return policies


def apply_policy(
    sections: dict[str, list[Entry]],
    policies: dict[str, Policy],
    policy: str,
    folder: Path,
) -> tuple[dict[str, list[Entry]], dict[str, Any]]:
    """The sections with ``policy`` applied, and the policy's levers."""
    file = str(folder / "policies.yaml")
    if policy == "baseline":
        return sections, {}
    if not isinstance(policy, str) or policy not in policies:
        options = ["baseline", *sorted(policies)]
        raise ScenarioError(
            file, "policy", policy, f"one of {options} for scenario {folder.name!r}"
        )
    overlay = policies[policy]

    def ids(section: str) -> set[str]:
        return {e.record.id for e in sections[section] if e.record.id is not None}

    drops = {
        "drop_actors": ("actors", "actor"),
        "drop_programmes": ("programmes", "programme"),
        "drop_events": ("events", "event"),
    }
    for key, (section, what) in drops.items():
        for bad in getattr(overlay, key):
            if bad not in ids(section):
                raise ScenarioError(file, f"{policy}.{key}", bad, f"a known {what} id")
    actors, types = set(overlay.drop_actors), set(overlay.drop_tie_types)
    progs, events = set(overlay.drop_programmes), set(overlay.drop_events)
    out = {name: list(entries) for name, entries in sections.items()}
    out["actors"] = [e for e in out["actors"] if e.record.id not in actors]
    out["ties"] = [
        e
        for e in out["ties"]
        if e.record.type not in types and e.record.src not in actors and e.record.dst not in actors
    ]
    out["programmes"] = [_without(e, actors) for e in out["programmes"] if e.record.id not in progs]
    out["alliances"] = [
        Entry(
            e.record.model_copy(
                update={"mediators": [m for m in e.record.mediators if m not in actors]}
            ),
            e.file,
            e.where,
        )
        for e in out["alliances"]
    ]
    out["events"] = [
        e
        for e in out["events"]
        if e.record.id not in events
        and getattr(e.record, "programme", None) not in progs
        and not {getattr(e.record, key, None) for key in ("actor", "provider", "successor")}
        & actors
    ]
    for section in SECTIONS:
        added = getattr(overlay, f"add_{section}")
        out[section] += [
            Entry(rec, file, f"{policy}.add_{section}[{i}]") for i, rec in enumerate(added)
        ]
    return out, overlay.levers.model_dump(exclude_none=True)


def _without(entry: Entry, actors: set[str]) -> Entry:
    """A programme without the dropped actors in its lists (a selector picks from what is left)."""
    update = {
        role: [a for a in value if a not in actors]
        for role in ("funders", "providers", "recipients")
        if isinstance(value := getattr(entry.record, role), list)
    }
    return Entry(entry.record.model_copy(update=update), entry.file, entry.where)
