"""Coefficients of what moves along ties: gates, funding, offers, delivery and money.

Declared with :func:`sim.engine.param_spec.param` (unit, range, source); collected in
:class:`sim.engine.params.ModelParams`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.engine.param_spec import param


@dataclass
class GateParams:
    """Which provider->recipient channels are open (MODEL.md 5.1)."""

    io_neutrality_min: float = param(
        0.6, 0, 1, "index", "004:4106-4142 a neutral IO is a 'third channel'; cut-off assumed"
    )
    sanction_friction: float = param(
        0.5,
        0,
        1,
        "share of humanitarian money",
        "004:1153-1157, 4566 sanctions kept the 2016 plan's results negligible; human-security "
        "work is less exposed to them, not exempt: direct humanitarian money into a sanctioned "
        "country loses this share (size assumed); the neutral third channel is exempt",
        tuned_on="seoul_pyongyang:plan_2016_negligible_results",
    )
    hostility_close: float = param(
        0.9, 0, 1, "index",
        "004:174-176, 1085-1089 national shocks cut exchange; cut-off assumed. Seoul's scripted "
        "0.95 after Yeonpyeong crosses it when most exchange stopped (004:1085-1089); from MAP's "
        "0.85 violence reaches it at an excess of 0.13, a war of about 4x the intifada's death "
        "rate (ODD 8, 'hostility5')",
    )  # fmt: skip
    vertical_open: float = param(
        0.05,
        0,
        1,
        "hostility per unit of vertical integration",
        "004:1924-2000 Lederach: a top level tied to its middle range keeps channels open "
        "longer; the gate closes at hostility_close + this x the lower vertical integration of "
        "the two countries (size assumed)",
    )


@dataclass
class FundingParams:
    """Programme money (MODEL.md 5.2)."""

    risk_window: int = param(
        3, 1, 24, "months", "assumption: funders judge stability on a short moving window"
    )


@dataclass
class ProposalParams:
    """How providers split resources and recipients accept (MODEL.md 5.3)."""

    beta0: float = param(-1.0, -10, 10, "logit", "assumption: offers are declined by default")
    beta_trust: float = param(
        3.0, 0, 20, "logit per trust", "004:4098 trust is the main constraint"
    )
    beta_benefit: float = param(
        2.5, 0, 20, "logit per benefit", "004:3207-3209 tangible gains bring parties to the table"
    )
    beta_hostility: float = param(
        3.0, 0, 20, "logit per hostility", "004:174-176 national hostility cuts exchange"
    )
    beta_mediator: float = param(1.0, 0, 20, "logit", "004:3143-3157 a mediator keeps talks going")
    beta_will: float = param(
        1.5, 0, 20, "logit per will", "004:145-149 leadership continuity drives cooperation"
    )
    beta_intensity: float = param(
        0.0,
        0,
        20,
        "logit per intensity",
        "004:3217-3231 having once agreed is a base for later; "
        "off: at 1.5 it made the calibration ensembles noisier",
    )
    beta_vertical: float = param(
        0.5,
        0,
        20,
        "logit per vertical integration",
        "004:1924-2000 Lederach: a city whose relationships with its government or IOs are "
        "trusted and whose citizens take part takes up more of what is offered (size assumed; "
        "v_i graded in [0, 1] since branch vertical, was 0 or 1)",
    )
    benefit_dose: float = param(
        0.3,
        1e-6,
        1e9,
        "EUR per inhabitant per year",
        "assumption: an offer of this dose is about half-way to useful in the recipient's eyes "
        "(004:3207-3209); the calibrated 5 units/month of the earlier rule at Tuzla's 190,000 "
        "people with refugees (5 x 12,000 / 190,000 = 0.32), now read per inhabitant",
        tuned_on="every pattern of tuzla, map and seoul_pyongyang, scored together "
        "(experiments/calibrate.py, 10 seeds), as benefit_scale in units/month",
    )
    items: int = param(
        20,
        1,
        1000,
        "parts per offer",
        "assumption: a month's offer on a tie is this many separate consignments, events and "
        "visits (about one a working day), each taken or refused; the expected share taken "
        "does not depend on it, only how steady it is; 1 is MODEL.md 5.3's single decision",
        tuned_on="seoul_pyongyang:seoul_narrows_after_2006; "
        "seoul_pyongyang:plan_2016_negligible_results",
    )
    stage_weight: float = param(
        0.5,
        0,
        10,
        "weight per ladder stage",
        "000:133-180; 002:48-50 an institutionalised tie (a higher stage of the cooperation "
        "ladder) gets more of a provider's offers: weight x (1 + this x stage); size assumed",
    )
    commit_share: float = param(
        0.2, 0, 1, "share", "assumption: providers keep a floor for ties they just committed to"
    )
    decline_cost: float = param(
        0.02,
        0,
        1,
        "share of the gap to the tie's no-contact floor",
        "assumption: a declined offer costs a little trust, down to what the tie holds without "
        "contact (trust.refuse, branch trustpace: a refusal is contact withheld, not a breach); "
        "the recipient's own share of "
        "the refusal costs the tie (trust.refusal_owned), what its state's hostility refuses "
        "costs the recipient's governance tie with its own government (this share of its "
        "trust itself: the state's own act, not a partner's refusal), and so does each month "
        "its own government's closed permission shuts one of its cross-border ties "
        "(trust.top_level_acts; 004:4108-4112, 004:174-176)",
    )


@dataclass
class DeliveryParams:
    """Effects of aid, projects and peace work, and the triple nexus (MODEL.md 5.4)."""

    project_min: float = param(
        1.0,
        0,
        1e9,
        "units/month",
        "004:3649-3653 ABC's about 100 small projects on about EUR 2.4 million cost about "
        "EUR 24,000 each, 2-6 units a month over 4-11 months: a project is a commitment of at "
        "least this much a month; smaller development money on a tie without a project is "
        "equipment and small works (delivery.small_dev_share)",
    )
    small_dev_share: float = param(
        1.0,
        0,
        1,
        "share of the money delivered",
        "001:5168-5178 Woensdrecht's trucks, equipment and fire engines for Darda; 001:5097-5113 "
        "Wageningen's money for Laslovo's school: development money below project_min, "
        "delivered on a tie without a project, feeds the development stock at this share when "
        "it arrives (an assumption: in full, like a completed project's spent value; "
        "before, it vanished)",
    )
    duration_min: int = param(4, 1, 120, "months", "004:3649-3653 small projects; assumption")
    duration_max: int = param(
        11,
        1,
        120,
        "months",
        "004:3649-3653 about 100 small projects in 5 years; calibrated: the integer whose "
        "30-seed median of ABC's own completed projects 1996-2000 is nearest 100 (re-derived "
        "on ABC's own count, branch abc: until then the recipe counted every development "
        "project, the national reconstruction flow's too; 10 gives 106.5, 11 99, 12 87.5, "
        "13 84.5; experiments/abc_duration_recipe.py)",
        tuned_on="tuzla:abc_about_100_projects",
    )
    work_size: float = param(
        24.0,
        0,
        1e9,
        "units",
        "004:3649-3653 ABC's about 100 small projects on about EUR 2.4 million: one work (a "
        "trauma centre, a refugee facility) costs about EUR 24,000. An interrupted project "
        "loses at least one work under way, so a project of one work keeps nothing (Williams "
        "2017: a third of small single-building projects in Ghana were left unfinished, about "
        "65% built, unlikely ever to serve); see rules.nexus.kept_when_interrupted",
    )
    work_months: float = param(
        2.0,
        0,
        120,
        "months",
        "assumption: a reconstruction work (a house or flat repair) takes weeks to a few months "
        "(the World Bank's 1996 emergency repair programme in Bosnia repaired about 15,000 flats "
        "and houses in a year, hina.hr/vijest/4216747; UNDP and the EU rebuilt 520 homes in "
        "Travnik in one phase, hina.hr/vijest/4203848), so an interrupted large flow loses about "
        "this many months of its money in works under way and keeps the rest",
    )
    hazard_base: float = param(0.005, 0, 1, "per month", "assumption: background failure")
    hazard_violence: float = param(
        0.15, 0, 1, "per month per D", "001:5209-5213 work during active conflict mostly failed"
    )
    hazard_gate: float = param(0.2, 0, 1, "per month", "004:4108-4112 no permission, no exchange")
    hazard_unfunded: float = param(
        0.25,
        0,
        1,
        "per month",
        "001:5035 programmes end when the money ends: a project's month without money while "
        "its programme runs or is suspended (a closed programme's projects run on the budget "
        "it committed, 001:5029-5031); size assumed",
    )
    hazard_expertise: float = param(
        0.5,
        0,
        1,
        "share of the hazard per unit of expertise",
        "004:3663-3669 experienced foreign cities and NGOs are one of Tuzla's success "
        "conditions: a city's or NGO's expertise (0 unless a scenario encodes it) cuts its "
        "project's interruption hazard by this x expertise (size assumed); null no_expertise",
    )
    stage_hazard: float = param(
        0.3,
        0,
        1,
        "share of the hazard at the top ladder stage",
        "000:1044-1046; 004:1173-1175 ties with real mutual benefit last: a project on a tie "
        "at ladder stage s has its hazard cut by this x s / 3 (size assumed)",
    )
    hazard_participation: float = param(
        0.08,
        0,
        1,
        "per month per (1-participation)",
        "004:3663-3669 participation matters; calibrated on Tuzla's low-participation contrast",
        tuned_on="tuzla:low_participation_worse",
    )
    peace_trust: float = param(
        0.08,
        0,
        1,
        "trust share per month at saturating peace work",
        "004:3669-3679 field visits and training build relations: a month of peace work on a "
        "tie lifts its trust by this x (1 - exp(-dose / money.x_half_contact)) of the gap (times "
        "the nexus multiplier) of the gap to the delivery ceiling (trust.delivery_ceiling: 1 - "
        "mean C across a divide, 1 elsewhere; branch deltrust), the dose the peace work delivered "
        "per recipient inhabitant; "
        "other pillars' money on the tie does not dilute it",
    )
    middle_spill: float = param(
        0.3, 0, 1, "share", "004:1924-2000 middle-range leaders link levels"
    )
    synergy: float = param(
        0.5, 0, 5, "multiplier", "004:2639-2816 triple nexus: pillars reinforce each other"
    )
    nexus_window: int = param(12, 1, 60, "months", "MODEL.md 5.4 a 12-month window")
    harm: float = param(
        0.05,
        0,
        1,
        "cohesion per month at saturating aid",
        "004:2706-2708 aid that does not advance peace can feed the conflict: do no harm "
        "(Anderson); its size is assumed; the resource transfers (humanitarian and development "
        "money, not peace work) are read as a dose (money.x_half_hum)",
    )


@dataclass
class MoneyParams:
    """Money on one scale: the dose, absorptive capacity and effect lifetimes (ODD 7.4).

    A dose is EUR per recipient inhabitant per year (2000 prices; 1 unit = EUR 1,000 a month).
    """

    a0: float = param(
        0.5,
        0,
        1,
        "share of the full ceiling",
        "Collier and Hoeffler 2004: absorptive capacity in the first post-conflict years is no "
        "greater than normal and about double later in the decade, as capacity recovers; read "
        "as a ceiling A(K) = a0 + (1 - a0) K that doubles from K = 0 to K = 1",
    )
    x_half_hum: float = param(
        60.0,
        1e-6,
        1e9,
        "EUR per inhabitant per year",
        "assumption: relief to a whole city is used about half-way to its ceiling at this dose; "
        "an order of magnitude of UN appeals per person in need, shared over a city where "
        "about half are in need",
    )
    x_half_dev: float = param(
        300.0,
        1e-6,
        1e9,
        "EUR per inhabitant per year",
        "World Bank and EC 1997: Bosnia's US$5.1 billion Priority Reconstruction Program, "
        "about US$300-360 per inhabitant a year for four years, visibly rebuilt a war-damaged "
        "country: a dose of that order is about half-way to what development can do",
    )
    x_half_peace: float = param(
        10.0,
        1e-6,
        1e9,
        "EUR per inhabitant per year",
        "assumption: dialogue, training and exchanges cost far less than rebuilding; a city-wide "
        "programme of this dose is half-way to what peace work can do to cultural violence",
    )
    x_half_contact: float = param(
        0.1,
        1e-6,
        1e9,
        "EUR per recipient inhabitant per year, on one tie",
        "assumption: peace work builds a tie's trust with the contact it buys (visits, events, "
        "training; 004:3669-3679); EUR 1,000 a month to a town of 100,000 (0.12 EUR per "
        "inhabitant a year, about one delegation, event or course a month) gets about half-way "
        "to the most trust a tie can gain in a month (delivery.peace_trust)",
    )
    lifetime_crisis: float = param(
        24.0,
        1,
        1200,
        "months",
        "004:1924-2000 Lederach's crisis horizon (1-2 years after fighting): how long the "
        "effect of a crisis programme lasts",
    )
    lifetime_design: float = param(
        120.0,
        1,
        1200,
        "months",
        "004:1924-2000 Lederach's design horizon (5-10 years): how long the effect of a design "
        "programme, and of money outside any programme, lasts",
    )
    lifetime_vision: float = param(
        240.0,
        1,
        1200,
        "months",
        "004:1924-2000 Lederach's vision horizon (20 years or more)",
    )
    relief_lifetime: float = param(
        6.0,
        1,
        1200,
        "months",
        "MODEL.md 5.4 relief is fast and its effect fades: humanitarian aid is consumed, so its "
        "effect lasts at most this long whatever the programme's horizon (assumption)",
    )
