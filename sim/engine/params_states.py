"""Coefficients of what changes in cities and on ties: trust, the cooperation ladder, Galtung's
violence, Lederach's levels and alliances (recovery and displacement: ``params_capacity``).

Declared with :func:`sim.engine.param_spec.param` (unit, range, source); collected in
:class:`sim.engine.params.ModelParams`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.engine.param_spec import param


@dataclass
class TrustParams:
    """Trust, memory and mediation on ties (MODEL.md 5.5)."""

    success: float = param(
        0.05,
        0,
        1,
        "share",
        "004:3217-3231 agreeing once is a base for later; its size an assumption: each delivered "
        "outcome closes this share of the gap to the delivery ceiling (1 - mean C across a "
        "divide, 1 elsewhere: trust.delivery_ceiling, branch deltrust)",
    )
    failure: float = param(0.15, 0, 1, "share", "assumption: broken commitments cost more")
    decay: float = param(0.02, 0, 1, "per month", "004:1279-1281 one-off activity decays")
    baseline: float = param(
        0.3, 0, 1, "trust", "assumption: moves a tie's anchored no-contact floor (trust.floor)"
    )
    memory_gain: float = param(
        0.3, 0, 1, "share", "004:3769-3777 Sarajevo still remembers Barcelona"
    )
    memory_decay: float = param(
        0.0039,
        0,
        1,
        "per month",
        "004:3769-3777 Sarajevo still remembers Barcelona's long support: memory fades slowly, "
        "a half-life of about 15 years (ln 2 / 180 months; size assumed)",
    )
    intensity_decay: float = param(0.3, 0, 1, "per month", "assumption: contact fades in months")
    violence_shock: float = param(
        0.1, 0, 1, "share per D", "004:3191-3201 violence made joint work impossible"
    )
    mediation_threshold: float = param(
        0.4, 0, 1, "trust", "004:3143-3157 mediator needs prior ties to both sides"
    )
    mediation_rate: float = param(
        0.05,
        0,
        1,
        "share of the gap to 1 of the delegates' trust (rules.delegates) per month, per unit "
        "of neutrality x mediator trust",
        "assumption (004:3801-3807 third-party mediation helps, not by how much): how fast "
        "mediated talks build a working relationship between two municipalities' officials; "
        "no published source found sizes it. In the pair world a decade of talks lifted a tie "
        "0.25 -> 0.95 toward 1, 0.30 -> 0.50 under the ceiling (mediation3). Not sized from "
        "contact's effect on attitudes (d 0.24, which gave 0.0015, "
        "branch mediation): galtung.w_CT already reads T as contact and takes the attitude "
        "effect on its T -> C slope, so sizing both ends from it counts it twice (docs/"
        "parameters.md, 'trust.mediation_rate: an assumption'; ODD 8, branch mediation2)",
    )
    mediation_ceiling: float = param(
        1.0,
        0,
        1,
        "share of 1 - mean cultural violence of the tie's ends",
        "assumption, bounded by the literature, not sized by it: the communities take up their "
        "delegates' trust up to this share of 1 - mean C of the ends (branch levels). "
        "Talks build working trust in the other side's seriousness, not reconciliation "
        "(Kelman 2005, Int. J. Intercultural Relations 29); participants go home to a culture "
        "that pulls the gains back (Schroeder and Risen 2016, Group Processes and Intergroup "
        "Relations); contact's effects are modest and weaker across ethnic divides (Pettigrew "
        "and Tropp 2006; Paluck, Green and Green 2019). 1 fills all the room the culture "
        "leaves; trust beyond it comes from delivered outcomes (ODD 7.5, 8 mediation3)",
    )
    venue_shield: float = param(
        0.5,
        0,
        1,
        "share of direct violence",
        "004:3143-3151; 001:5119-5129, 5144-5148 mediated talks are held at a neutral venue "
        "abroad, away from the fighting: a tie or an alliance's talks carried by a mediator "
        "this month is spared this share of the direct violence at home (violence shock on "
        "trust, talks stalling); the delegates still answer to constituencies under fire, so "
        "not all of it. Size assumed (half); introduced after MAP's founding failed on the "
        "merged model (docs/validation/issue15.md), i.e. motivated by that pattern",
    )
    leadership_survival: float = param(
        0.6,
        0,
        1,
        "share",
        "001:4736-4745; 004:3512-3516 after the Sandinistas lost Nicaragua's 1990 elections most "
        "Dutch twinnings went on and some ended: ties partly survive a change of leadership: "
        "they keep this share of their trust above the no-contact floor (memory or the "
        "anchored floor); the share is an assumption",
    )


@dataclass
class GaltungParams:
    """Direct, structural and cultural violence per city (MODEL.md 5.6)."""

    w_DS: float = param(
        1.5, 0, 20, "logit", "004:1633-1637 the three kinds feed one another; size assumed"
    )
    w_DC: float = param(1.5, 0, 20, "logit", "004:1633-1637")
    w_DN: float = param(1.0, 0, 20, "logit", "assumption: deprivation fuels violence")
    w_Dcoh: float = param(1.5, 0, 20, "logit", "004:3610-3614 mixed, cohesive Tuzla")
    w_DK: float = param(1.0, 0, 20, "logit", "assumption: capacity dampens violence")
    b_D: float = param(3.0, -20, 20, "logit", "assumption: peace is the default without drivers")
    w_SD: float = param(1.5, 0, 20, "logit", "004:1633-1637")
    w_SN: float = param(1.5, 0, 20, "logit", "004:1534-1670 deprivation is structural")
    w_Sdisp: float = param(2.0, 0, 20, "logit", "004:3616-3617 refugees strain the city")
    w_SK: float = param(2.5, 0, 20, "logit", "004:2620-2637 capacity removes root causes")
    w_S_dev: float = param(
        5.0,
        0,
        20,
        "logit per response",
        "004:3637-3649 rebuilding visibly improves living conditions; sized so that a "
        "Bosnia-scale programme (about EUR 300 per inhabitant a year, World Bank and EC 1997) "
        "lowers S by a tenth or more in five years (Plausibility bounds)",
    )
    b_S: float = param(1.0, -20, 20, "logit", "assumption")
    w_CD: float = param(1.5, 0, 20, "logit", "004:1633-1637")
    w_CH: float = param(
        2.0,
        0,
        20,
        "logit",
        "004:1613-1619 cultural violence makes the other kinds look legitimate; that national "
        "hostility feeds it is an assumption",
    )
    w_CT: float = param(
        0.25,
        0,
        20,
        "logit",
        "004:1924-2000 relationships transform conflict; the contact literature sizes the "
        "total weight of trust across the divide, w_CT + w_Chor (docs/parameters.md, "
        "'Derivation of galtung.w_CT'): the 16 randomized, delayed-outcome contact studies on "
        "ethnic, religious and national divides pooled from Paluck, Green and Green (2019) give "
        "d 0.24, r 0.12; w = r / (C*(1 - C*)) at C* 0.5 = 0.48, taken as 0.5 (range 0.2-1.0). "
        "Half of it read on every cross-divide tie (this), half on the middle range's "
        "(w_Chor; the split assumed, branch mediation). Was 0.5 alone on top of w_Chor 0.5, "
        "and 2.0 with no size before branch contact",
    )
    w_Chor: float = param(
        0.25,
        0,
        20,
        "logit",
        "004:1924-2000 Lederach: horizontal integration (trust on a city's middle-level ties "
        "across the divide) lowers cultural violence. Not an effect on top of contact's: the "
        "middle range's share of the total w_CT + w_Chor = 0.5 the contact literature sizes "
        "(docs/parameters.md, 'Derivation of galtung.w_CT'); the share, half, is an "
        "assumption (range 0.1-0.5, with w_CT's). Was 0.5 with no size (branch mediation)",
    )
    w_C_peace: float = param(
        0.6,
        0,
        20,
        "logit per response",
        "004:1924-2000, 3669-3679 relationship work lowers cultural violence; bounded so that no "
        "programme lowers C by more than about 0.1 a decade (Plausibility bounds)",
    )
    w_Ccoh: float = param(1.0, 0, 20, "logit", "assumption")
    b_C: float = param(1.0, -20, 20, "logit", "assumption")
    persistence: float = param(
        1.0,
        0,
        1,
        "share of the unexplained initial D, S, C, needs and cohesion",
        "Galtung (004:1534-1670, 1619-1623): structure and culture persist; conflict traps last "
        "decades (Collier et al. 2003; WDR 2011: a generation to build institutions). The part "
        "of a city's initial state its drivers do not explain persists at this share "
        "(rules.galtung.anchors; D's only below its drivers' level): at 1 the encoded start is "
        "the no-event month's fixed point, stable while the loop gain is below 1 (rho(G) "
        "0.21-0.80 at the real cases' starts, experiments/equilibrium_start.py). Was 0.5 on S "
        "and C only: S fell from month 1 whatever happened (North Korea -0.18 before any event)",
    )
    rate_D: float = param(0.3, 0, 1, "per month", "004:1534-1670 direct violence moves in months")
    rate_D_up: float = param(
        0.8,
        0,
        1,
        "per month",
        "assumption: fighting breaks out within weeks, so a war month is in that month's D (a "
        "war month must be worse for the city hit, issue 15); violence ebbs at rate_D. "
        "004:3191-3197 tension and bloody clashes kept worsening after MAP's founding",
    )
    rate_S: float = param(0.03, 0, 1, "per month", "004:1534-1670 structural: years")
    rate_C: float = param(
        0.005, 0, 1, "per month", "004:1619-1623 cultural violence is the most persistent"
    )
    noise: float = param(0.01, 0, 0.5, "index", "assumption: small monthly shocks")
    w_ND: float = param(2.0, 0, 20, "logit", "assumption: violence creates needs")
    w_NS: float = param(2.0, 0, 20, "logit", "004:1534-1670 deprivation")
    w_Ndisp: float = param(3.0, 0, 20, "logit", "004:3616-3617 refugee shock raises needs")
    w_NK: float = param(
        1.0,
        0,
        20,
        "logit",
        "Collier 1999: war destroys services; a city without capacity has more unmet needs "
        "(size assumed)",
    )
    w_N_hum: float = param(
        3.0,
        0,
        20,
        "logit per response",
        "004:2639-2680 humanitarian aid relieves needs fast (size assumed)",
    )
    b_N: float = param(
        2.5,
        -20,
        20,
        "logit",
        "assumption; 2.0 before w_NK, raised by w_NK x 0.5 so that a city of middling "
        "capacity keeps the needs target it had",
    )
    rate_N: float = param(0.15, 0, 1, "per month", "assumption: needs respond within a year")
    rate_cohesion: float = param(0.02, 0, 1, "per month", "assumption")
    w_cohT: float = param(2.0, 0, 20, "logit", "004:3610-3614 mixed Tuzla held together")
    w_cohD: float = param(2.0, 0, 20, "logit", "assumption: violence divides a city's groups")
    w_cohC: float = param(
        1.5, 0, 20, "logit", "assumption: cultural violence divides a city's groups"
    )
    b_coh: float = param(0.5, -20, 20, "logit", "assumption")


@dataclass
class LederachParams:
    """Horizontal and vertical integration, spill-over between levels (MODEL.md 5.7)."""

    # v_i (ODD 7.7) has no coefficient of its own: the trust of a city's relationships with
    # the level above times its participation (branch vertical removed working_tie and
    # participation_min, the cut-offs of the earlier 0/1 rule).
    spill_up: float = param(
        0.01, 0, 1, "hostility per month", "004:1924-2000 bottom-up change is slow"
    )
    spill_up_threshold: float = param(0.5, 0, 1, "trust", "assumption")
    hostility_violence: float = param(
        2.5, 0, 10, "share of the gap to 1 per unit of excess D",
        "004:174-176, 1085-1089; each public by the violence it suffers (Jaeger et al. 2012): "
        "hostility's violence part relaxes toward min(this x E, 1) x (1 - B), E the D that "
        "events add (D above D without event pressure, fade2) on the side that suffers most "
        "(ODD 7.7). Sized (hostility5) from the 2014 Gaza "
        "war: JMCC polls, support for military operations 31% -> 42% in Oct 2014 (Jerusalem "
        "Post), 0.159 of the gap; OCHA 2,251 Palestinians killed in 50 days in Gaza's 1.79 "
        "million, 92 per 10,000 a year, D_war 0.97 on MAP's death-rate scale, Gaza's excess "
        "0.78 over the usual 0.21, 0.31 over the territories' 4.55 million; the rule with a "
        "one-month half-life keeps 0.208 of V* by the poll: 0.159 / (0.208 x 0.31) = 2.5 "
        "(1.8 with the deaths spread over both territories); ODD 8, 'hostility5'",
    )  # fmt: skip
    hostility_half_life: float = param(
        1.0, 0.1, 120, "months",
        "Jaeger, Klor, Miaari and Paserman 2012 (J. Public Econ. 96): the radicalising effect of "
        "fatalities vanishes completely within 90 days; one month leaves 1/8 after three. "
        "Cross-check: PSR's March 2005 poll, support for suicide bombings 77% -> 29% within six "
        "months across the February 2005 truce (AP, 15 March 2005)",
    )  # fmt: skip
    hostility_event: float = param(
        0.1,
        0,
        1,
        "share of the gap to 1",
        "004:3191-3201 APLA's withdrawal ended MAP: an alliance across a divide that dissolves "
        "raises its members' countries' hostility by this x (1 - hostility); size assumed",
    )


@dataclass
class LadderParams:
    """The cooperation ladder of city-city ties (000:133-180; 002:48-50; ODD 7.10)."""

    benefit_memory: float = param(
        0.1,
        0,
        1,
        "per month",
        "assumption: mutual benefit is a moving average of joint outcomes over about a year",
    )
    climb_benefit: float = param(
        0.3,
        0,
        1,
        "mutual benefit",
        "000:1044-1046 ties with lasting mutual benefit deepen; the level is assumed",
    )
    climb_trust: float = param(
        0.4, 0, 1, "trust", "000:133-180 each stage needs more trust than the last; assumed"
    )
    trust_step: float = param(
        0.1, 0, 1, "trust per stage", "000:133-180 stage s needs climb_trust + s x this (assumed)"
    )
    climb_months: int = param(
        24, 1, 240, "months", "000:934-983 young networks are slow to consolidate; assumption"
    )
    fall_benefit: float = param(
        0.05,
        0,
        1,
        "mutual benefit",
        "000:1044-1046; 004:1173-1175 below this a tie has no mutual benefit: it is ceremonial",
    )
    fall_months: int = param(
        24, 1, 240, "months", "assumption: a stage is lost after two years without benefit"
    )
    ceremonial_fade: float = param(
        3.0,
        1,
        100,
        "times the memory decay",
        "000:1044-1046; 004:1173-1175 purely ceremonial friendship ties achieve little: their "
        "memory fades this much faster than a working tie's (assumption)",
    )
    ceremonial_floor: float = param(
        0.5,
        0,
        1,
        "share of the trust baseline",
        "000:1044-1046 a ceremonial tie realises only 1 - this of the trust baseline in its "
        "no-contact floor; it keeps what the baseline does not explain of its start "
        "(trust.floor; assumption)",
    )
    institution: float = param(
        0.5,
        0,
        1,
        "share at the top stage",
        "002:48-50 cooperation runs from consultation to institutionalisation: at stage s trust "
        "decays and memory fades this x s / 3 slower (assumption)",
    )


@dataclass
class AllianceParams:
    """Alliance lifecycle such as MAP (MODEL.md 5.8)."""

    negotiation_rate: float = param(
        0.02,
        0,
        1,
        "progress per month",
        "004:3107-3115 about 5 years of talks (50 months at this rate)",
        tuned_on="map:map_founded_after_about_five_years",
    )
    stall_violence: float = param(
        0.5,
        0,
        1,
        "D above the usual level, at the talks",
        "assumption in size; 004:3143-3151 bounds it below: MAP's talks abroad went on while "
        "armed clashes were in full swing, i.e. above the intifada's exposed excess (about "
        "0.04); read on the excess since mapdyn (was absolute D, same number)",
    )
    found_trust: float = param(
        0.45,
        0,
        1,
        "share of the working trust talks can build at the table (the delegates' trust, 1)",
        "assumption: the share of the working trust talks can build on each member tie (Kelman "
        "2005) that founding needs, read on the members' delegates' trust since branch levels "
        "(rules.delegates; its ceiling is 1, so 0.45 is again an absolute threshold on it); from "
        "branch founding (motivated by MAP's founding failing after mediation3) to levels it was "
        "0.45 of trust.mediation_ceiling x (1 - mean C) on the one trust index; not sized on MAP",
    )
    suspend_violence: float = param(
        0.2,
        0,
        1,
        "D above the usual level",
        "004:3191-3201 staff not seconded as violence grew; re-calibrated on MAP for the excess "
        "over the usual level (hostility3): the 10th percentile over 30 seeds of each seed's "
        "2007-2012 peak of the Palestinian side's excess (0.0296; 0.1855 after start3; 0.1062 "
        "after trust4, recovery3; 0.0993 after branch trust's refusal blame and mediation under "
        "fire; 0.2025 after mapdyn (PS a closed economy, 2006's violence); 0.1998 after abc's "
        "duration_max 11; 0.2057 after contact's w_CT 0.5 and abc, merged); rounded down; "
        "experiments/hostility_decomposition.py --recipe)",
        tuned_on="map:map_suspended_as_violence_grows",
    )
    exit_trust: float = param(0.15, 0, 1, "trust", "assumption")
    exit_months: int = param(24, 1, 240, "months", "assumption")
    joint_trust: float = param(
        0.03,
        0,
        1,
        "trust share",
        "004:3115-3125 joint work of an active alliance (its size an assumption): this share of "
        "the gap to the delivery ceiling a month (trust.delivery_ceiling, branch deltrust)",
    )
