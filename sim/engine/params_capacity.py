"""Coefficients of what war and peace do to a city's capacity and people: recovery and
displacement (ODD 7.6).

Declared with :func:`sim.engine.param_spec.param` (unit, range, source); collected in
:class:`sim.engine.params.ModelParams`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.engine.param_spec import param


@dataclass
class RecoveryParams:
    """Capacity: war (E = D - U above the usual level) destroys it and stops its recovery."""

    rate: float = param(
        0.006,
        0,
        1,
        "per month",
        "Collier 1999; Chen, Loayza and Reynal-Querol 2008: economies recover after a lasting "
        "peace, without aid; the gap to full capacity halves in about 10-15 years at middling "
        "cohesion (0.006 x 0.8 a month: a half-life of about 12 years)",
    )
    war_stop: float = param(
        0.1,
        0.001,
        1,
        "excess violence E",
        "recovery x max(0, 1 - E / this): stops in a war (Chen et al. 2008); UCDP's war, 1,000 "
        "deaths a year in 10 million, D scale: 0.8 sqrt(1/65); set in recovery2, kept (ODD 8)",
    )
    cohesion_floor: float = param(
        0.5, 0, 1, "share", "004:3610-3614 a divided city recovers at this share (assumption)"
    )
    aid_gain: float = param(
        2.0,
        0,
        50,
        "per response",
        "Collier and Hoeffler 2004: aid raises post-conflict growth; a Bosnia-scale "
        "development stock (response about 0.5) doubles the speed of recovery (assumption); "
        "checked in the aid-growth literature's unit (Arndt, Jones and Tarp 2010: about 0.1 "
        "points of growth a year per 1% of GDP; bound 0.05-0.2): the pair world's design "
        "programme gives 0.19, small money 0.15, a crisis-tagged one 0.30 (branch bounds)",
    )
    damage: float = param(
        0.058,
        0,
        1,
        "per month at E = 1, times E^2",
        "CIA World Factbook 2014: Bosnia's production fell 80% in 42 months at D 0.8 from 0.05 "
        "(E 0.75: a quarter left); Collier 1999: E 0.15 destroys 1.6% a year, recovery stopped. "
        "Capacity and completed assets; read D^2 (0.05) before recovery3 (ODD 8)",
    )
    depreciation: float = param(
        0.002,
        0,
        1,
        "per month",
        "004:1303-1305 staff rotation erodes expertise: a small depreciation of capacity, "
        "slowed by citizen ownership (the earlier rule's decay, now inside recovery)",
    )
    ownership: float = param(0.7, 0, 1, "share", "004:3637-3649 citizen ownership makes gains last")
    closed_share: float = param(
        0.4,
        0,
        1,
        "share of open speed",
        "Gundlach 1996: 1/2.5 (ODD 7.6); an isolated city recovers at this speed toward its own "
        "steady state, as every city does (steady_capacity, by default its start; branch steady)",
    )


@dataclass
class DisplacementParams:
    """People who flee violence above their city's usual level and return when it ebbs; hosted
    displaced who leave (ODD 7.6). E = max(D - U, 0) is the excess over the usual level U."""

    outflow: float = param(
        0.02,
        0,
        1,
        "share of residents per month at E = 1",
        "UNHCR 2004: about 2 million of Bosnia's 4.4 million people were displaced in 3.5 years "
        "of war; this x E^2 a month moves about 35% in 42 months from a usual 0.05 to D = 0.8",
    )
    return_rate: float = param(
        0.008,
        0,
        1,
        "share of those who fled per month, at usual violence and full capacity",
        "UNHCR 2004: 1,000,473 of more than 2 million had returned to Bosnia by July 2004, about "
        "half in 8.6 years with large support; return is this x (1 - E)(0.5 + 0.5 K)",
    )
    host_leave: float = param(
        0.01, 0, 1, "per month", "assumption: hosted displaced return or settle, x (1 - E)"
    )
    usual_rate: float = param(
        0.0058,
        0,
        1,
        "per month",
        "assumption: the usual level U moves toward D at this rate (half-life 10 years, longer "
        "than Bosnia's 3.5-year war) from the encoded start. Added after seeing ~1.5 million "
        "'fled' from everyday violence in seoul_pyongyang (docs/validation/issue15.md, 'Flight')",
    )
