"""Coefficients of the two levels of trust on a tie: the delegates' and the communities'
(ODD 7.5, 7.7; branch levels).

Declared with :func:`sim.engine.param_spec.param` (unit, range, source); collected in
:class:`sim.engine.params.ModelParams`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.engine.param_spec import param


@dataclass
class DelegatesParams:
    """The re-entry transfer from the delegates' trust to their communities' (rules.delegates)."""

    transfer: float = param(
        0.01,
        0,
        1,
        "share of the gap per month",
        "assumption, bounded by the literature, not sized by it: each month the communities' "
        "trust on a middle-range tie across a divide closes this share of the gap to the "
        "delegates' trust (within what their culture allows talks to build), a half-life of "
        "about 6 years (ln 2 / 0.01 = 69 months). Lederach 1997 (Building Peace, USIP) puts the "
        "transformation of relationships on a decade's time frame; transfer from workshops to "
        "the parties' politics and publics is slow, partial and hard to evaluate (Kelman 2005, "
        "Int. J. Intercultural Relations 29; Chataway 2002, Political Psychology 23; Fisher "
        "2020, Negotiation Journal 36: 441); participants' own gains partly fade at home and "
        "stay above their start a year on (Schroeder and Risen 2016, Group Processes and "
        "Intergroup Relations 19); the Vukovar panel found Croat-Serb relations changed very "
        "little in 2000-2008 (Ajdukovic, Corkalo Biruski and Low). Not set from any pattern",
    )
