"""Events of ``events.yaml`` (and a policy's ``add_events``): one record per event type.

The ``type`` key picks the record. Adding an event type is one class here, one entry in
:data:`EVENT_CLASSES` and the union :data:`Event`, and what it does in ``sim.engine.events``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from sim.scenario.fields import (
    NOTE_MAX,
    Boolean,
    Choice,
    Date,
    Id,
    Index,
    Number,
    People,
    Record,
    Ref,
    Refs,
    Sourced,
    Text,
    allowed,
    at_key,
    unknown_key,
)
from sim.scenario.vocabulary import PERMISSIONS


class _Event(Sourced):
    id: Id | None = None
    date: Date
    note: Text(NOTE_MAX) | None = None


_TARGET = "a known community, country or list of actor ids"


class Targets(Record):
    community: Ref("community", _TARGET) | None = None
    country: Ref("country", _TARGET) | None = None
    actors: Refs("actor", at_least=1, text=_TARGET) | None = None

    @model_validator(mode="before")
    @classmethod
    def _one(cls, data: Any) -> Any:
        if not isinstance(data, dict) or len(data) != 1:
            raise allowed("one of {community: X}, {country: K} or {actors: [...]}")
        return data


class Violence(_Event):
    type: Literal["violence"]
    end: Date | None = None
    pressure: Number(0, 20)
    targets: Targets


class RefugeeInflux(_Event):
    type: Literal["refugee_influx"]
    actor: Ref("actor")
    people: People


class PermissionChange(_Event):
    type: Literal["permission"]
    from_: Ref("country") = Field(alias="from")
    to: Ref("country")
    level: Choice(*PERMISSIONS)
    both_ways: Boolean = True


class Sanctions(_Event):
    type: Literal["sanctions"]
    country: Ref("country")
    active: Boolean = True


class FundingStart(_Event):
    type: Literal["funding_start"]
    programme: Ref("programme")


class FundingEnd(_Event):
    type: Literal["funding_end"]
    programme: Ref("programme")


class Withdraw(_Event):
    """An actor leaves an alliance or a programme (exactly one of the two)."""

    type: Literal["withdraw"]
    actor: Ref("actor")
    alliance: Ref("alliance") | None = None
    programme: Ref("programme") | None = None

    @model_validator(mode="after")
    def _one(self) -> Withdraw:
        if (self.alliance is None) == (self.programme is None):
            key = "programme" if self.alliance is not None else "alliance"
            value = self.programme if self.alliance is not None else None
            raise at_key(key, value, "a withdraw naming an alliance or a programme (one of them)")
        return self


class Summit(_Event):
    type: Literal["summit"]
    a: Ref("country")
    b: Ref("country")
    delta: Number(-1, 1)


class LeadershipChange(_Event):
    type: Literal["leadership_change"]
    actor: Ref("actor")
    will: Index


class ConveneAlliance(_Event):
    type: Literal["convene_alliance"]
    alliance: Ref("alliance")


class Handover(_Event):
    """A programme's provider role passes from ``provider`` to ``successor`` on ``date``."""

    type: Literal["handover"]
    programme: Ref("programme")
    provider: Ref("actor")
    successor: Ref("actor")


class Disaster(_Event):
    """A needs shock and capacity destruction in the target cities, once, on ``date``."""

    type: Literal["disaster"]
    targets: Targets
    needs_shock: Index = Field(
        default=0.0, description="share of the gap to full need closed: needs += s (1 - needs)"
    )
    capacity_loss: Index = Field(
        default=0.0, description="share of capacity destroyed: capacity *= 1 - loss"
    )

    @model_validator(mode="after")
    def _something(self) -> Disaster:
        if self.needs_shock == 0 and self.capacity_loss == 0:
            raise at_key("needs_shock", 0.0, "a disaster with needs_shock or capacity_loss > 0")
        return self


class Displacement(_Event):
    """A share of the target cities' residents flees (``population`` -> ``fled``)."""

    type: Literal["displacement"]
    targets: Targets
    share: Number(0, 0.99)


class Deaths(_Event):
    """A share of the target cities' residents dies (``population`` falls; nobody comes back)."""

    type: Literal["deaths"]
    targets: Targets
    share: Number(0, 0.5)


class Return(_Event):
    """A share of the target cities' people who fled comes back (``fled`` -> ``population``)."""

    type: Literal["return"]
    targets: Targets
    share: Index


EVENT_CLASSES = (
    Violence,
    RefugeeInflux,
    PermissionChange,
    Sanctions,
    FundingStart,
    FundingEnd,
    Withdraw,
    Summit,
    LeadershipChange,
    ConveneAlliance,
    Handover,
    Disaster,
    Displacement,
    Return,
    Deaths,
)
EVENT_TYPES = tuple(c.model_fields["type"].annotation.__args__[0] for c in EVENT_CLASSES)
EVENT_KEYS = sorted({k for c in EVENT_CLASSES for k in c.known_keys()})


def _event_keys(data: Any) -> Any:
    """Before the type picks the record: a key no event has is named, even without a type."""
    if isinstance(data, dict) and data.get("type") not in EVENT_TYPES:
        error = unknown_key(data, EVENT_KEYS)
        if error is not None:
            raise error
    return data


_event_keys.spec = ("event",)  # type: ignore[attr-defined]
Event = Annotated[
    Violence
    | RefugeeInflux
    | PermissionChange
    | Sanctions
    | FundingStart
    | FundingEnd
    | Withdraw
    | Summit
    | LeadershipChange
    | ConveneAlliance
    | Handover
    | Disaster
    | Displacement
    | Return
    | Deaths,
    Field(discriminator="type"),
    BeforeValidator(_event_keys),
]
