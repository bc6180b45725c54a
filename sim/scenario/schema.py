"""The scenario format, declared: one pydantic record per kind of entry in a scenario folder.

Each record lists its keys and their value types (``sim.scenario.fields``); an unknown key is
refused with the nearest known one. Adding a key is one line here (and a line in
docs/scenario-format.md); an event type is one small class in ``sim.scenario.event_schema``;
the value types are in ``sim.scenario.fields``, the words of the format in
``sim.scenario.vocabulary``. What depends on other entries (ids that must exist, dates inside
the horizon, duplicates, output columns) is checked afterwards, in ``sim.scenario.references``.
``experiments/make_schema.py`` writes these records as JSON Schema to ``docs/schema/``.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationError, field_validator, model_validator

from sim.scenario.event_schema import EVENT_CLASSES, EVENT_KEYS, EVENT_TYPES, Event  # noqa: F401
from sim.scenario.fields import (
    DESCRIPTION_MAX,
    NAME_MAX,
    Boolean,
    Choice,
    Date,
    Id,
    Index,
    Label,
    Money,
    Number,
    People,
    Record,
    Ref,
    Refs,
    Sourced,
    Text,
    Whole,
    allowed,
    at_key,
    in_mapping,
    nearest,
)
from sim.scenario.steady import SteadyLevel
from sim.scenario.vocabulary import (  # noqa: F401 - the format's words, imported from here too
    ACTOR_TYPES,
    ALLIANCE_STATES,
    HORIZONS,
    IO_KINDS,
    LEVELS,
    MAX_HORIZON,
    MAX_MONEY,
    MAX_PEOPLE,
    PERMISSIONS,
    PILLARS,
    TIE_TYPES,
)

# ----------------------------------------------------------------------------- levers


class Levers(Record):
    """Policy levers (``sim.engine.params.Levers``); unset levers keep their defaults."""

    coordination: Index | None = None
    mediation: Boolean | None = None
    funding_scale: Number(0, 100) | None = None
    participation_scale: Number(0, 100) | None = None
    io_channel: Boolean | None = None
    direct_channel: Boolean | None = None


LEVERS = tuple(Levers.known_keys())


class LeverSetting(Sourced):
    """One of the scenario's own lever settings (``scenario.yaml: levers``)."""

    lever: Choice(*sorted(LEVERS))
    value: Any = Field(json_schema_extra={"description": "the lever's value (its type)"})

    @field_validator("value", mode="before")
    @classmethod
    def _by_lever(cls, value: Any, info: Any) -> Any:
        lever = info.data.get("lever")
        if lever is None:
            return value
        try:
            checked = Levers.model_validate({lever: value})
        except ValidationError as exc:
            raise allowed(exc.errors()[0]["ctx"]["allowed"]) from None
        return getattr(checked, lever)


# ----------------------------------------------------------------------------- scenario.yaml


class Country(Sourced):
    id: Id
    name: Label | None = None


class Divide(Sourced):
    a: Ref("community")
    b: Ref("community")


class Permission(Sourced):
    from_: Ref("country") = Field(alias="from")
    to: Ref("country")
    level: Choice(*PERMISSIONS)


class Hostility(Sourced):
    """National hostility between two countries: one value for the pair (it is symmetric)."""

    a: Ref("country")
    b: Ref("country")
    value: Index


class Sanction(Sourced):
    country: Ref("country")


class Isolation(Sourced):
    """A country cut off from outside economic inputs for the whole run (a closed economy):
    its cities recover by themselves at ``recovery.closed_share`` of the open speed, toward
    their own steady state (their encoded start), not full capacity."""

    country: Ref("country")


class ScenarioMeta(Sourced):
    """``scenario.yaml``."""

    name: Id
    title: Text(NAME_MAX) | None = None
    start: Date
    horizon: Whole(1, MAX_HORIZON)
    communities: Refs("community", text="a list of distinct community ids") = []
    divides: list[Divide] = []
    countries: list[Country] = Field(
        min_length=1, description="at least one country {id, name, source}"
    )
    permissions: list[Permission] = []
    hostility: list[Hostility] = []
    sanctioned: list[Sanction] = []
    isolated: list[Isolation] = []
    levers: list[LeverSetting] = []
    default_permission: Choice(*PERMISSIONS) = "open"
    watch: Refs("actor") = []
    # The cities whose peace the case is about: the recipient side of the headline indices
    # (ODD 7.9); empty, the cities any programme targets.
    focus: Refs("municipality", text="a list of distinct municipality ids") = []


# ----------------------------------------------------------------------------- actors, ties


_START = "first active month (YYYY-MM); before it, inactive (default: the scenario's start)"
_END = "last active month (YYYY-MM); after it, inactive (default: none)"


class Mandate(Record):
    humanitarian: Index = 0.0
    development: Index = 0.0
    peace: Index = 0.0


class Actor(Sourced):
    """An actor; keys left out take the defaults of its type (``sim.scenario.actors``).

    ``start``/``end``: the actor takes part only in that window; outside it, all its ties are
    inactive (it offers and receives nothing). ``fled``: a municipality's own people who fled
    before the scenario starts and may return.
    """

    id: Id
    type: Choice(*ACTOR_TYPES)
    name: Label | None = None
    country: Ref("country")
    community: Ref("community") | None = None
    level: Choice(*LEVELS) | None = None
    kind: Choice(*IO_KINDS) | None = None
    resources: Money | None = None
    mandate: Mandate | None = None
    population: People | None = Field(default=None, validate_default=True)
    displaced: People | None = None
    represents: Number(1, math.inf, cap=MAX_PEOPLE) | None = None
    direct_violence: Index | None = None
    structural_violence: Index | None = None
    cultural_violence: Index | None = None
    needs: Index | None = None
    capacity: Index | None = None
    cohesion: Index | None = None
    participation: Index | None = None
    will: Index | None = None
    diversity: Index | None = None
    neutrality: Index | None = None
    conflict_sensitivity: Index | None = None
    risk_tolerance: Index | None = None
    expertise: Index | None = None
    steady_capacity: SteadyLevel | None = Field(
        default=None,
        description="a municipality's capacity in peace without aid, e.g. its pre-war level, "
        "or dated points of a steady state that moves (ODD 7.6); omitted: its start capacity",
    )
    sanction_exempt: Boolean | None = None
    lat: Number(-180, 180) | None = None
    lon: Number(-180, 180) | None = None
    fled: People | None = Field(
        default=None, description="people of the city who fled it before the start (>= 0)"
    )
    start: Date | None = Field(default=None, description=_START)
    end: Date | None = Field(default=None, description=_END)

    @model_validator(mode="after")
    def _by_type(self) -> Actor:
        if self.type == "international_organisation" and self.kind is None:
            raise at_key("kind", None, f"one of {list(IO_KINDS)}")
        if self.type != "municipality" and self.steady_capacity is not None:
            # Only cities recover (rules.recovery): a level elsewhere would be read by nothing.
            raise at_key("steady_capacity", self.steady_capacity, "only for a municipality")
        return self

    @field_validator("population", mode="before")
    @classmethod
    def _people(cls, value: Any, info: Any) -> Any:
        """A municipality has people: at least one."""
        if info.data.get("type") == "municipality":
            number = (
                value if isinstance(value, int | float) and not isinstance(value, bool) else None
            )
            if number is None or not number >= 1:
                raise allowed("a finite number in [1.0, inf]")
        return value


class Tie(Sourced):
    """A tie; ``start``/``end``: it acts only in that window (and while both actors do)."""

    src: Ref("actor")
    dst: Ref("actor")
    type: Choice(*TIE_TYPES)
    trust: Index = 0.3
    memory: Index = 0.0
    bidirectional: Boolean = False
    human_security: Boolean = False
    start: Date | None = Field(default=None, description=_START)
    end: Date | None = Field(default=None, description=_END)


# ----------------------------------------------------------------------------- programmes


SELECTOR_KEYS = ("type", "country", "community", "kind", "level")
_SELECTOR = "a selector over type, country, community, kind or level (one id each)"


def _group(value: Any) -> Any:
    """A list of actor ids, or a selector mapping such as ``{type: municipality, country: NL}``."""
    if isinstance(value, dict):
        for key, wanted in value.items():
            if key not in SELECTOR_KEYS:
                near = nearest(key, list(SELECTOR_KEYS))
                raise at_key(
                    str(key), wanted, (f"did you mean {near!r}? " if near else "") + _SELECTOR
                )
            if not isinstance(wanted, str) or not wanted:
                raise in_mapping(value, key, _SELECTOR)
        if not value:
            raise allowed(_SELECTOR)
        return dict(value)
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise allowed("a list of actor ids or a selector mapping")
    if len(set(value)) != len(value):
        raise allowed("a list of known actor ids, each once")
    return list(value)


_GROUP_SCHEMA = {
    "oneOf": [
        {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
        {
            "type": "object",
            "properties": {k: {"type": "string"} for k in SELECTOR_KEYS},
            "additionalProperties": False,
            "minProperties": 1,
        },
    ]
}


def _group_type(what: str) -> Any:
    from pydantic import WithJsonSchema

    _group.what = what  # type: ignore[attr-defined]
    _group.spec = ("group",)  # type: ignore[attr-defined]
    return Annotated[Any, BeforeValidator(_group), WithJsonSchema(_GROUP_SCHEMA)]


Group = _group_type("a non-empty list of actor ids or a selector mapping")


def _check_pillars(value: Any) -> Any:
    """A non-empty list of pillars, each once."""
    ok = (
        isinstance(value, list) and value and all(v in PILLARS for v in value if isinstance(v, str))
    )
    if not ok or not all(isinstance(v, str) for v in value) or len(set(value)) != len(value):
        raise allowed(f"a non-empty list from {list(PILLARS)}, each once")
    return value


_check_pillars.spec = ("pillars",)  # type: ignore[attr-defined]
Pillars = Annotated[list[Choice(*PILLARS)], Field(min_length=1), BeforeValidator(_check_pillars)]
# The keys of one phase, given at the top of a single-phase programme or in each of `phases`.
PHASE_KEYS = ("start", "end", "budget", "pillars")


class Phase(Sourced):
    """One phase of a programme: its months, its budget and what it pays for."""

    name: Label | None = None
    start: Date
    end: Date
    budget: Money
    pillars: Pillars


class Programme(Sourced):
    """A programme: one phase (``start``, ``end``, ``budget``, ``pillars``) or ``phases``."""

    id: Id
    name: Label | None = None
    funders: Group = []
    providers: Group
    recipients: Group
    pillars: Pillars | None = None
    budget: Money | None = None
    start: Date | None = None
    end: Date | None = None
    phases: Annotated[list[Phase], Field(min_length=1, max_length=100)] | None = None
    horizon: Choice(*HORIZONS) = "design"
    human_security: Boolean = False
    funded_at_start: Boolean = True
    alliance: Ref("alliance") | None = None
    pairing: Choice("all", "one_to_one") = "all"

    @model_validator(mode="after")
    def _one_phase_or_phases(self) -> Programme:
        given = [k for k in PHASE_KEYS if getattr(self, k) is not None]
        if self.phases is not None and given:
            value = str(getattr(self, given[0]))[:60]
            raise at_key(given[0], value, "no top-level start, end, budget or pillars with phases")
        if self.phases is None:
            for key in PHASE_KEYS:
                if key not in given:
                    raise at_key(key, None, f"a {key} (or a list of phases)")
        return self


class Alliance(Sourced):
    id: Id
    name: Label | None = None
    members: Refs("actor", at_least=2)
    mediators: Refs("actor") = []
    state: Choice(*ALLIANCE_STATES) = "proposed"


# ----------------------------------------------------------------------------- policies


class Policy(Sourced):
    """A counterfactual overlay on the baseline (``policies.yaml``)."""

    description: Text(DESCRIPTION_MAX) | None = None
    drop_programmes: Refs("programme") = []
    drop_actors: Refs("actor") = []
    drop_tie_types: list[Choice(*TIE_TYPES)] = []
    drop_events: Refs("event") = []
    add_actors: list[Actor] = []
    add_ties: list[Tie] = []
    add_programmes: list[Programme] = []
    add_events: list[Event] = []
    levers: Levers = Levers()
