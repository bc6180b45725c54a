"""Handover: an office passes to local owners (a programme's provider role, on a date).

A ``handover`` event names a programme, its ``provider`` and a ``successor``. On the date every
(provider, recipient) pair the provider then holds in the programme passes to the successor:
the programme pays along the successor's carrying tie to that recipient from then on (a new
partnership tie from that date if there is none, which takes the trust and memory of the
provider's tie), and the programme's live project on the provider's tie moves with it. The
provider's tie stays (its own resources may still flow along it); give the provider an ``end``
date to close its office altogether. The engine side is ``sim.engine.programmes``.

Handovers of one programme apply in date order: each must name an actor that provides the
programme at that date, and a successor that does not yet provide it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.scenario.dates import format_month

if TYPE_CHECKING:  # the engine reads pairs() without the scenario checks
    from sim.scenario.references import Entry


def pairs(programme: dict[str, Any]) -> list[tuple[str, str]]:
    """A programme's (provider, recipient) pairs in row order: every provider with every
    recipient, or the i-th with the i-th (``pairing: one_to_one``); never an actor with itself."""
    providers, recipients = programme["providers"], programme["recipients"]
    if programme["pairing"] == "one_to_one":
        every = list(zip(providers, recipients, strict=True))
    else:
        every = [(a, b) for a in providers for b in recipients]
    return [(a, b) for a, b in every if a != b]


def sequence_handovers(
    handovers: list[tuple[Entry, dict[str, Any]]], programmes: list[dict[str, Any]], start: int
) -> None:
    """Check each handover against the providers its programme has at its date, in date
    order, and record on the event the pairs it passes (``passes``)."""
    holders = {p["id"]: dict(enumerate(pairs(p))) for p in programmes}
    for entry, ev in sorted(handovers, key=lambda h: h[1]["step"]):
        held = holders[ev["programme"]]
        when = format_month(start + ev["step"])
        providers = sorted({who for who, _ in held.values()})
        passing = [k for k, (who, _) in held.items() if who == ev["provider"]]
        if not passing:
            raise entry.fail(
                "provider",
                ev["provider"],
                f"a provider of programme {ev['programme']!r} on {when} (then: {providers})",
            )
        if ev["successor"] in providers:
            raise entry.fail(
                "successor",
                ev["successor"],
                f"an actor not already providing programme {ev['programme']!r} on {when}",
            )
        recipients = [held[k][1] for k in passing]
        if ev["successor"] in recipients:
            raise entry.fail(
                "successor", ev["successor"], "an actor other than the recipients it takes over"
            )
        ev["passes"] = [held[k] for k in passing]
        ev["created"] = []  # successor ties the loader creates (sim.scenario.loader)
        for k, recipient in zip(passing, recipients, strict=True):
            held[k] = (ev["successor"], recipient)
