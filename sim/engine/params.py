"""Every rule coefficient as a typed, ranged, documented parameter.

These dataclasses are Hydra structured configs (``configs/model/default.yaml`` fills them).
The groups are declared by idea: what moves along ties in ``sim.engine.params_flows``
(gates, funding, proposals, delivery, money), what changes in cities and on ties in
``sim.engine.params_states`` (trust, ladder, galtung, recovery, displacement, lederach,
alliances); each field's unit, range and reason, and the checks, in ``sim.engine.param_spec``.
This module gathers them into :class:`ModelParams`, with the rule switches and the levers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sim.engine.param_spec import param, parameter_rows, validate_ranges
from sim.engine.params_capacity import DisplacementParams, RecoveryParams
from sim.engine.params_flows import (
    DeliveryParams,
    FundingParams,
    GateParams,
    MoneyParams,
    ProposalParams,
)
from sim.engine.params_levels import DelegatesParams
from sim.engine.params_states import (
    AllianceParams,
    GaltungParams,
    LadderParams,
    LederachParams,
    TrustParams,
)

__all__ = [
    "AllianceParams",
    "DelegatesParams",
    "DeliveryParams",
    "DisplacementParams",
    "FundingParams",
    "GaltungParams",
    "GateParams",
    "LadderParams",
    "LederachParams",
    "LeverSettings",
    "Levers",
    "ModelParams",
    "MoneyParams",
    "ProposalParams",
    "RecoveryParams",
    "RuleSwitches",
    "TrustParams",
    "parameter_table",
    "validate_ranges",
]


@dataclass
class RuleSwitches:
    """Whole rules that a null model can switch off (``configs/nulls/``); all on by default.

    A switch removes a mechanism that no coefficient can zero on its own.
    """

    gates: bool = field(
        default=True,
        metadata={"off": "every channel open: no permission, sanction or hostility gate"},
    )
    ladder: bool = field(
        default=True,
        metadata={
            "off": "no cooperation ladder: every city-city tie stays at stage 0 and none is "
            "ceremonial, so stages change no weight, hazard, decay or memory"
        },
    )


@dataclass
class ModelParams:
    """All rule coefficients, grouped by rule family."""

    gates: GateParams = field(default_factory=GateParams)
    funding: FundingParams = field(default_factory=FundingParams)
    proposals: ProposalParams = field(default_factory=ProposalParams)
    delivery: DeliveryParams = field(default_factory=DeliveryParams)
    money: MoneyParams = field(default_factory=MoneyParams)
    trust: TrustParams = field(default_factory=TrustParams)
    ladder: LadderParams = field(default_factory=LadderParams)
    galtung: GaltungParams = field(default_factory=GaltungParams)
    recovery: RecoveryParams = field(default_factory=RecoveryParams)
    displacement: DisplacementParams = field(default_factory=DisplacementParams)
    lederach: LederachParams = field(default_factory=LederachParams)
    alliances: AllianceParams = field(default_factory=AllianceParams)
    delegates: DelegatesParams = field(default_factory=DelegatesParams)
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


def parameter_table(obj: Any = None, prefix: str = "model") -> list[dict[str, Any]]:
    """Rows (key, default, unit, range, why, tuned_on) for docs/parameters.md: every
    coefficient of ``obj`` (default: :class:`ModelParams`), recursively."""
    return parameter_rows(obj if obj is not None else ModelParams(), prefix)
