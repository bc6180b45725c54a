"""Every rule coefficient as a typed, ranged, documented parameter.

These dataclasses are Hydra structured configs (``configs/model/default.yaml`` fills them).
Each field carries metadata: ``unit``, ``range`` (inclusive) and ``why`` (a source as
``file:line`` into ``shared/seeds`` or the word *assumption* with a reason).
``validate_ranges`` enforces the ranges before a run starts; ``parameter_table`` renders the
table in ``docs/parameters.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

from sim.errors import ConfigError


def param(default: float, lo: float, hi: float, unit: str, why: str, tuned_on: str = "") -> Any:
    """A documented coefficient: its default, inclusive range, unit and reason.

    ``tuned_on`` names the patterns (``scenario:pattern``) the value was set from, if any: such
    a pattern is a calibration, not evidence (``role: calibration`` in its patterns.yaml).
    """
    meta = {"range": (lo, hi), "unit": unit, "why": why, "tuned_on": tuned_on}
    return field(default=default, metadata=meta)


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
        0.9, 0, 1, "index", "004:174-176, 1085-1089 national shocks cut exchange; cut-off assumed"
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
    benefit_scale: float = param(
        5.0,
        1e-6,
        1e9,
        "units/month",
        "assumption, calibrated on all three cases: an offer of "
        "this size is about half-way to useful (004:3207-3209)",
        tuned_on="every pattern of tuzla, map and seoul_pyongyang, scored together "
        "(experiments/calibrate.py, 10 seeds)",
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
    commit_share: float = param(
        0.2, 0, 1, "share", "assumption: providers keep a floor for ties they just committed to"
    )
    decline_cost: float = param(
        0.02, 0, 1, "trust share", "assumption: a declined offer costs a little trust"
    )


@dataclass
class DeliveryParams:
    """Effects of aid, projects and peace work, and the triple nexus (MODEL.md 5.4)."""

    hum_effect: float = param(
        0.6, 0, 1, "share of needs", "004:2639-2680 humanitarian aid relieves needs fast"
    )
    hum_scale: float = param(
        0.05,
        1e-9,
        1e9,
        "units per 1,000 people",
        "assumption: relief per capita half-saturates here",
    )
    dependency_gain: float = param(
        0.3,
        0,
        1,
        "per month at saturating aid",
        "assumption: relief without development builds dependency, so needs rebound when it "
        "stops; no source says so (004:2698-2708 says only that aid which does not advance "
        "peace can feed the conflict)",
    )
    dependency_decay: float = param(0.05, 0, 1, "per month", "assumption: dependency fades slowly")
    project_min: float = param(
        1.0,
        0,
        1e9,
        "units/month",
        "004:3649-3653 a project is a commitment, not a trickle; "
        "smaller development money is an exchange without a project (assumption)",
    )
    duration_min: int = param(4, 1, 120, "months", "004:3649-3653 small projects; assumption")
    duration_max: int = param(
        11,
        1,
        120,
        "months",
        "004:3649-3653 about 100 small projects in 5 years; calibrated",
        tuned_on="tuzla:abc_about_100_projects",
    )
    hazard_base: float = param(0.005, 0, 1, "per month", "assumption: background failure")
    hazard_violence: float = param(
        0.15, 0, 1, "per month per D", "001:5209-5213 work during active conflict mostly failed"
    )
    hazard_gate: float = param(0.2, 0, 1, "per month", "004:4108-4112 no permission, no exchange")
    hazard_unfunded: float = param(
        0.25, 0, 1, "per month", "001:5035 programmes end when the money ends"
    )
    hazard_participation: float = param(
        0.08,
        0,
        1,
        "per month per (1-participation)",
        "004:3663-3669 participation matters; calibrated on Tuzla's low-participation contrast",
        tuned_on="tuzla:low_participation_worse",
    )
    capacity_gain: float = param(
        0.8, 0, 10, "capacity per unit per 1,000 people", "004:3637-3649 rebuilding; assumption"
    )
    structural_relief: float = param(
        0.6, 0, 10, "S per unit per 1,000 people", "004:3637-3649 visible living conditions"
    )
    peace_trust: float = param(
        0.08, 0, 1, "trust share", "004:3669-3679 field visits and training build relations"
    )
    peace_culture: float = param(
        0.05, 0, 1, "C per unit per 1,000 people", "004:1924-2000 relationship work; assumption"
    )
    peace_scale: float = param(
        5.0, 1e-9, 1e9, "units/month", "assumption: peace work half-saturates at this budget"
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
        "cohesion per unit aid intensity",
        "004:2706-2708 aid that does not advance peace can feed the conflict: do no harm "
        "(Anderson); its size is assumed",
    )


@dataclass
class TrustParams:
    """Trust, memory and mediation on ties (MODEL.md 5.5)."""

    success: float = param(0.05, 0, 1, "share", "004:3217-3231 agreeing once is a base for later")
    failure: float = param(0.15, 0, 1, "share", "assumption: broken commitments cost more")
    decay: float = param(0.02, 0, 1, "per month", "004:1279-1281 one-off activity decays")
    baseline: float = param(0.3, 0, 1, "trust", "assumption: trust without contact or hostility")
    memory_gain: float = param(
        0.3, 0, 1, "share", "004:3769-3777 Sarajevo still remembers Barcelona"
    )
    intensity_decay: float = param(0.3, 0, 1, "per month", "assumption: contact fades in months")
    violence_shock: float = param(
        0.1, 0, 1, "share per D", "004:3191-3201 violence made joint work impossible"
    )
    mediation_threshold: float = param(
        0.4, 0, 1, "trust", "004:3143-3157 mediator needs prior ties to both sides"
    )
    mediation_rate: float = param(
        0.05, 0, 1, "trust per month", "004:3801-3807 third-party mediation"
    )
    leadership_survival: float = param(
        0.6,
        0,
        1,
        "share",
        "001:4736-4745; 004:3512-3516 after the Sandinistas lost Nicaragua's 1990 elections most "
        "Dutch twinnings went on and some ended: ties partly survive a change of leadership; "
        "the share is an assumption",
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
    w_CT: float = param(2.0, 0, 20, "logit", "004:1924-2000 relationships transform conflict")
    w_Ccoh: float = param(1.0, 0, 20, "logit", "assumption")
    b_C: float = param(1.0, -20, 20, "logit", "assumption")
    rate_D: float = param(0.3, 0, 1, "per month", "004:1534-1670 direct violence moves in months")
    rate_S: float = param(0.03, 0, 1, "per month", "004:1534-1670 structural: years")
    rate_C: float = param(
        0.005, 0, 1, "per month", "004:1619-1623 cultural violence is the most persistent"
    )
    noise: float = param(0.01, 0, 0.5, "index", "assumption: small monthly shocks")
    w_ND: float = param(2.0, 0, 20, "logit", "assumption: violence creates needs")
    w_NS: float = param(2.0, 0, 20, "logit", "004:1534-1670 deprivation")
    w_Ndisp: float = param(3.0, 0, 20, "logit", "004:3616-3617 refugee shock raises needs")
    w_Ndep: float = param(
        1.5, 0, 20, "logit", "assumption: dependency pushes needs up (delivery.dependency_gain)"
    )
    b_N: float = param(2.0, -20, 20, "logit", "assumption")
    rate_N: float = param(0.15, 0, 1, "per month", "assumption: needs respond within a year")
    capacity_decay: float = param(
        0.01, 0, 1, "per month", "004:1303-1305 staff rotation erodes expertise"
    )
    ownership: float = param(0.7, 0, 1, "share", "004:3637-3649 citizen ownership makes gains last")
    return_rate: float = param(
        0.01, 0, 1, "per month", "assumption: displaced return or settle over years"
    )
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

    working_tie: float = param(0.4, 0, 1, "trust", "004:1924-2000 a tie that works")
    participation_min: float = param(0.4, 0, 1, "index", "004:3637-3649 citizens as owners")
    spill_up: float = param(
        0.01, 0, 1, "hostility per month", "004:1924-2000 bottom-up change is slow"
    )
    spill_up_threshold: float = param(0.5, 0, 1, "trust", "assumption")


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
    stall_violence: float = param(0.5, 0, 1, "D", "004:3191-3201 talks stall when violence is high")
    found_trust: float = param(0.45, 0, 1, "trust", "assumption: minimum trust to found")
    suspend_violence: float = param(
        0.18,
        0,
        1,
        "D",
        "004:3191-3201 staff not seconded as violence grew; calibrated on MAP",
        tuned_on="map:map_suspended_as_violence_grows",
    )
    exit_trust: float = param(0.15, 0, 1, "trust", "assumption")
    exit_months: int = param(24, 1, 240, "months", "assumption")
    joint_trust: float = param(
        0.03, 0, 1, "trust share", "004:3115-3125 joint work of an active alliance"
    )


@dataclass
class RuleSwitches:
    """Whole rules that a null model can switch off (``configs/nulls/``); all on by default.

    A switch removes a mechanism that no coefficient can zero on its own.
    """

    gates: bool = field(
        default=True,
        metadata={"off": "every channel open: no permission, sanction or hostility gate"},
    )


@dataclass
class ModelParams:
    """All rule coefficients, grouped by rule family."""

    gates: GateParams = field(default_factory=GateParams)
    funding: FundingParams = field(default_factory=FundingParams)
    proposals: ProposalParams = field(default_factory=ProposalParams)
    delivery: DeliveryParams = field(default_factory=DeliveryParams)
    trust: TrustParams = field(default_factory=TrustParams)
    galtung: GaltungParams = field(default_factory=GaltungParams)
    lederach: LederachParams = field(default_factory=LederachParams)
    alliances: AllianceParams = field(default_factory=AllianceParams)
    switches: RuleSwitches = field(default_factory=RuleSwitches)


@dataclass
class Levers:
    """Policy levers that a user (or a scenario policy) turns; see docs/scenario-format.md."""

    coordination: float = param(
        0.5, 0, 1, "index", "004:2639-2816 0 = silos, 1 = full triple nexus"
    )
    mediation: bool = True
    funding_scale: float = param(1.0, 0, 100, "multiplier", "counterfactual lever")
    participation_scale: float = param(1.0, 0, 100, "multiplier", "counterfactual lever")
    io_channel: bool = True
    direct_channel: bool = True


@dataclass
class LeverSettings:
    """Levers as set on the command line: ``None`` leaves a lever to the scenario or policy.

    Precedence, lowest first: the built-in defaults in :class:`Levers`, the scenario's own
    ``levers`` (scenario.yaml), the chosen policy's ``levers``, then any value set here.
    """

    coordination: float | None = None
    mediation: bool | None = None
    funding_scale: float | None = None
    participation_scale: float | None = None
    io_channel: bool | None = None
    direct_channel: bool | None = None


def validate_ranges(obj: Any, prefix: str) -> None:
    """Raise ConfigError for the first value outside its declared range (or NaN)."""
    for f in fields(obj):
        value = getattr(obj, f.name)
        key = f"{prefix}.{f.name}"
        if is_dataclass(value):
            validate_ranges(value, key)
            continue
        rng = f.metadata.get("range")
        if rng is None or value is None:
            continue
        lo, hi = rng
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError("config", key, value, f"a number in [{lo}, {hi}]")
        if not math.isfinite(value) or not lo <= value <= hi:
            raise ConfigError(
                "config", key, value, f"a number in [{lo}, {hi}] ({f.metadata['unit']})"
            )


def parameter_table(obj: Any = None, prefix: str = "model") -> list[dict[str, Any]]:
    """Rows (key, default, unit, range, why, tuned_on) for docs/parameters.md."""
    obj = obj if obj is not None else ModelParams()
    rows: list[dict[str, Any]] = []
    for f in fields(obj):
        value = getattr(obj, f.name)
        key = f"{prefix}.{f.name}"
        if is_dataclass(value):
            rows.extend(parameter_table(value, key))
        elif "range" in f.metadata:
            rows.append(
                {
                    "key": key,
                    "default": value,
                    "unit": f.metadata["unit"],
                    "range": f.metadata["range"],
                    "why": f.metadata["why"],
                    "tuned_on": f.metadata.get("tuned_on", ""),
                }
            )
    return rows
