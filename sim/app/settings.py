"""What defines a run in the app, and the checks every setting passes (the command line's own).

A :class:`Settings` is the whole, reproducible definition of what is on screen: scenario, policy,
seed, levers, the runs compared beside it and any dated interventions. The app rebuilds its runs
whenever the settings change, and a URL carries them (:mod:`sim.app.url`).
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sim.errors import ConfigError

LEVER_DEFAULTS: dict[str, Any] = {
    "coordination": 0.5,
    "mediation": True,
    "funding_scale": 1.0,
    "participation_scale": 1.0,
    "io_channel": True,
    "direct_channel": True,
}
LEVER_LABELS: dict[str, str] = {
    "coordination": "Nexus coordination",
    "funding_scale": "Funding level (× budget)",
    "participation_scale": "Participation (×)",
    "mediation": "Mediator acts",
    "io_channel": "IO channel (third channel)",
    "direct_channel": "Direct city-to-city channel",
}
SWITCHES = ("mediation", "io_channel", "direct_channel")
# The sliders' ranges. The model accepts up to 100x (and a URL may say so); beyond 3x nothing
# new is learnt in class and the sliders become too coarse to use.
LEVER_RANGES: dict[str, tuple[float, float]] = {
    "coordination": (0.0, 1.0),
    "funding_scale": (0.0, 3.0),
    "participation_scale": (0.0, 3.0),
}
SEED_MAX = 2**63 - 1  # the command line's range (sim.cli.config.validate)
# Interactive limits for the synthetic world: N = 2,000 stays responsive (see the benchmark);
# bigger worlds belong in the command line, not in a live picture.
SYNTHETIC_N_RANGE = (10, 20_000)
SYNTHETIC_DEFAULT_N = 2000
MAX_RUNS = 4  # runs on screen at once in compare mode (the chosen run included)

# One dated lever change: (the month it takes effect, ((lever, value), ...)).
Intervention = tuple[int, tuple[tuple[str, Any], ...]]


@dataclass(frozen=True)
class Settings:
    """Everything that defines one screen of runs; a run is rebuilt whenever this changes."""

    scenario: str = "tuzla"
    policy: str = "baseline"
    seed: int = 1
    coordination: float = 0.5
    mediation: bool = True
    funding_scale: float = 1.0
    participation_scale: float = 1.0
    io_channel: bool = True
    direct_channel: bool = True
    n_cities: int = SYNTHETIC_DEFAULT_N
    compare: bool = False  # the baseline (default levers, same seed) drawn beside this run
    pinned: tuple[Settings, ...] = ()  # other runs compared beside this one
    interventions: tuple[Intervention, ...] = ()

    def levers(self) -> dict[str, Any]:
        """The generic levers at month 0, as PeaceModel expects them."""
        return {k: getattr(self, k) for k in LEVER_DEFAULTS}

    def replace(self, **changes: Any) -> Settings:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)

    def run_only(self) -> Settings:
        """This run alone: no compared runs (what a pinned run keeps)."""
        return self.replace(compare=False, pinned=())

    def label(self) -> str:
        """A short name of this run for legends and file names."""
        changed = [
            f"{k}={_fmt(getattr(self, k))}"
            for k, v in LEVER_DEFAULTS.items()
            if not same(getattr(self, k), v)
        ]
        text = self.policy + (f" ({', '.join(changed)})" if changed else "")
        if self.interventions:
            n = len(self.interventions)
            text += f" +{n} intervention{'s' if n > 1 else ''}"
        return text


def _fmt(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def same(a: Any, b: Any) -> bool:
    """Equal settings values (floats up to rounding)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(float(a), float(b), abs_tol=1e-9)
    return a == b


def policy_levers(policies: Mapping[str, Mapping[str, Any]], policy: str) -> dict[str, Any]:
    """The levers a scenario policy fixes (empty for baseline)."""
    if policy == "baseline":
        return {}
    return dict((policies.get(policy) or {}).get("levers") or {})


def settings_for_policy(
    settings: Settings, policies: Mapping[str, Mapping[str, Any]], policy: str
) -> Settings:
    """Choose a policy: its fixed levers become the slider values, the others go to default.

    Without this, a policy's own levers silently override the sliders (PeaceModel applies the
    policy's levers last) and a student would move a slider that does nothing.
    """
    levers = {**LEVER_DEFAULTS, **policy_levers(policies, policy)}
    return settings.replace(policy=policy, interventions=(), **levers)


def baseline_of(settings: Settings) -> Settings:
    """The baseline run beside ``settings``: same scenario, seed and size, default levers."""
    return Settings(scenario=settings.scenario, seed=settings.seed, n_cities=settings.n_cities)


def is_reference(settings: Settings) -> bool:
    """True when these settings are the baseline run itself (compare would show one line)."""
    return settings.run_only() == baseline_of(settings)


def check_levers(levers: Mapping[str, Any], where: str = "app") -> None:
    """The command line's lever checks (``Levers`` ranges), plus booleans for the switches."""
    from sim.engine.params import Levers, validate_ranges

    unknown = sorted(set(levers) - set(LEVER_DEFAULTS))
    if unknown:
        allowed = f"a lever: one of {sorted(LEVER_DEFAULTS)}"
        raise ConfigError(where, f"levers.{unknown[0]}", levers[unknown[0]], allowed)
    for key in SWITCHES:
        if key in levers and not isinstance(levers[key], bool):
            raise ConfigError(where, f"levers.{key}", levers[key], "true or false")
    numbers = {k: v for k, v in levers.items() if k not in SWITCHES}
    validate_ranges(dataclasses.replace(Levers(), **numbers), "levers")


def check_settings(settings: Settings, policies: Mapping[str, Mapping[str, Any]]) -> None:
    """Refuse impossible settings with a one-line ConfigError (shown as the app's banner).

    ``policies`` are the scenario's policies (empty for synthetic). The ranges are the command
    line's (``sim.cli.config.validate``, ``Levers``); scenario data problems are the loader's job
    and arrive as ScenarioError when the run is built.
    """
    s = settings
    if not isinstance(s.seed, int) or isinstance(s.seed, bool) or not 0 <= s.seed <= SEED_MAX:
        raise ConfigError("app", "seed", s.seed, "a whole number in [0, 2^63)")
    check_levers(s.levers())
    for step, changes in s.interventions:
        if isinstance(step, bool) or not isinstance(step, int) or step < 1:
            raise ConfigError("app", "intervention month", step, "a month number >= 1")
        check_levers(dict(changes))
    if s.scenario == "synthetic":
        lo, hi = SYNTHETIC_N_RANGE
        n = s.n_cities
        if isinstance(n, bool) or not isinstance(n, int) or not lo <= n <= hi:
            raise ConfigError(
                "app",
                "synthetic.n_cities",
                n,
                f"a whole number in [{lo}, {hi}] in the app (bigger worlds: the command line)",
            )
        if s.policy != "baseline":
            raise ConfigError("app", "policy", s.policy, "baseline (synthetic has no policies)")
    elif s.policy != "baseline" and s.policy not in policies:
        raise ConfigError(
            "app", "policy", s.policy, f"one of {['baseline', *sorted(policies)]} for {s.scenario}"
        )
    # A policy that fixes a lever and a slider that says otherwise cannot both hold.
    for key, fixed in policy_levers(policies, s.policy).items():
        mine = getattr(s, key, None)
        if not same(mine, fixed):
            raise ConfigError(
                "app",
                f"levers.{key}",
                mine,
                f"{fixed!r}: policy {s.policy!r} fixes it (choose baseline to vary it)",
            )
    if 1 + int(s.compare) + len(s.pinned) > MAX_RUNS:
        raise ConfigError("app", "runs", 1 + int(s.compare) + len(s.pinned), f"at most {MAX_RUNS}")
    for other in s.pinned:
        if other.scenario != s.scenario:
            raise ConfigError("app", "compared run", other.scenario, f"a run of {s.scenario}")
        check_settings(other.run_only(), policies)


def one_line(exc: BaseException) -> str:
    """The banner text for any failure: citypeace errors as they are, others with their type.

    List items are counted from 1, as a person counts them (``programmes #1``); the loader's
    key paths count from 0 (``programmes[0]``), as the command line's messages do.
    """
    from sim.errors import CitypeaceError

    if isinstance(exc, CitypeaceError):
        line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    else:
        text = str(exc).strip().splitlines()
        line = f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
    return count_from_one(line)


def count_from_one(text: str) -> str:
    """``programmes[0].budget`` -> ``programmes #1.budget`` (indices after a name only)."""
    return re.sub(r"(?<=[A-Za-z_])\[(\d+)\]", lambda m: f" #{int(m.group(1)) + 1}", text)
