"""The app's runs: the chosen run and up to three others compared beside it, in lockstep.

All runs of a :class:`Session` advance month by month together, so at any moment the screen
compares them at the same date. Each month a small snapshot of what the network view shows
(city colours, tie trust, which ties are active) is kept, so the timeline can be scrubbed back
over the months already run without re-running anything.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.app.settings import (
    Settings,
    baseline_of,
    check_settings,
)
from sim.errors import ConfigError

LINE_STYLES = ("-", (0, (5, 2)), (0, (1, 1.5)), (0, (6, 2, 1, 2)))  # one per run, in order


def timeseries(model: Any) -> pd.DataFrame:
    """``model.timeseries()``, also before the first month (an empty frame then)."""
    if getattr(model, "t", 0) <= 0 or getattr(model.recorder, "rows", 0) <= 0:
        return timeseries_empty()
    return model.timeseries()


def timeseries_empty() -> pd.DataFrame:
    """A time series with no month yet."""
    return pd.DataFrame({"step": pd.Series(dtype="int64"), "date": pd.Series(dtype=object)})


def load_case(name: str, policy: str = "baseline") -> Any:
    """A scenario with a policy applied (the one loader, cached by file contents)."""
    from sim.scenario.loader import load_scenario

    return load_scenario(name, policy=policy)


def build_model(settings: Settings, case: Any = None) -> Any:
    """A PeaceModel for one run's settings (levers at month 0)."""
    from sim.engine.model import PeaceModel

    if settings.scenario == "synthetic":
        return PeaceModel(
            scenario="synthetic",
            seed=settings.seed,
            levers=settings.levers(),
            synthetic={"n_cities": settings.n_cities},
        )
    case = case if case is not None else load_case(settings.scenario, settings.policy)
    return PeaceModel(scenario=case, seed=settings.seed, levers=settings.levers())


def snapshot(model: Any) -> dict[str, np.ndarray]:
    """What the network view shows of a month: city colours' input, tie trust and activity."""
    c, t = model.cities, model.ties
    return {
        "positive_peace": np.sqrt(np.clip((1.0 - c.S) * (1.0 - c.C), 0.0, 1.0)),
        "trust": t.trust.astype(np.float32),
        "active": t.active.copy(),
    }


@dataclass
class Run:
    """One run on screen: its settings, its model, its legend label and its line style."""

    settings: Settings
    model: Any
    label: str
    role: str  # "yours", "baseline" or "compared"
    style: Any = "-"
    snapshots: list[dict[str, np.ndarray]] = field(default_factory=list)
    applied: set[int] = field(default_factory=set)  # intervention months already set live

    def due(self) -> dict[str, Any]:
        """The lever changes that take effect at the month about to be simulated."""
        out: dict[str, Any] = {}
        for step, changes in self.settings.interventions:
            if step == self.model.t and step not in self.applied:
                out.update(dict(changes))
        return out


def run_labels(settings: Settings) -> list[tuple[Settings, str, str]]:
    """(settings, label, role) of every run on screen, the chosen run first."""
    out = [(settings.run_only(), settings.label(), "yours")]
    if settings.compare:
        out.append((baseline_of(settings), "baseline (default levers)", "baseline"))
    for other in settings.pinned:
        label = other.label()
        if other.seed != settings.seed:
            label += f" seed {other.seed}"
        out.append((other.run_only(), label, "compared"))
    seen: dict[str, int] = {}
    unique = []
    for s, label, role in out:  # two equal labels would make a legend ambiguous
        seen[label] = seen.get(label, 0) + 1
        unique.append((s, label if seen[label] == 1 else f"{label} #{seen[label]}", role))
    return unique


@dataclass(eq=False)  # identity: the app's memo hooks compare sessions, not their models
class Session:
    """The app's current runs, advanced together; see the module docstring."""

    settings: Settings
    runs: list[Run]
    policies: dict[str, dict[str, Any]] = field(default_factory=dict)
    version: int = 0
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    painters: dict[tuple, Any] = field(default_factory=dict, repr=False)
    frames: dict[tuple, bytes] = field(default_factory=dict, repr=False)
    _series: dict[tuple[int, int], pd.DataFrame] = field(default_factory=dict, repr=False)
    hot: dict[str, Any] = field(default_factory=dict, repr=False)  # widgets the app updates
    derived: dict[tuple, Any] = field(default_factory=dict, repr=False)

    def memo(self, key: tuple, make: Any) -> Any:
        """``make()`` computed once per month (per ``key``): frames several views share."""
        full = (self.version, *key)
        with self.lock:
            if full not in self.derived:
                if len(self.derived) > 64:
                    self.derived = {k: v for k, v in self.derived.items() if k[0] == self.version}
                self.derived[full] = make()
            return self.derived[full]

    @classmethod
    def build(cls, settings: Settings) -> Session:
        """Validate and build; raises (ConfigError, ScenarioError, ...) and builds nothing then."""
        if not isinstance(settings.scenario, str):
            raise ConfigError("app", "scenario", settings.scenario, "a scenario name")
        # Cheap checks first (seed, levers, size), then the loads that also name the policies.
        check_settings(settings.replace(policy="baseline", pinned=()), {})
        policies: dict[str, dict[str, Any]] = {}
        if settings.scenario != "synthetic":
            policies = dict(load_case(settings.scenario).policies)
        check_settings(settings, policies)
        runs = []
        for i, (s, label, role) in enumerate(run_labels(settings)):
            model = build_model(s)
            runs.append(Run(s, model, label, role, LINE_STYLES[i % len(LINE_STYLES)]))
        ses = cls(settings=settings, runs=runs, policies=policies)
        for run in runs:
            run.snapshots.append(snapshot(run.model))
        return ses

    # -------------------------------------------------------------- the chosen run

    @property
    def model(self) -> Any:
        return self.runs[0].model

    @property
    def reference(self) -> Any | None:
        """The baseline's model when it is shown, else None."""
        return next((r.model for r in self.runs if r.role == "baseline"), None)

    @property
    def t(self) -> int:
        return int(self.model.t)

    @property
    def horizon(self) -> int:
        return int(self.model.horizon)

    @property
    def done(self) -> bool:
        return self.model.t >= self.model.horizon

    def date(self, t: int | None = None) -> str:
        """The month whose end state is shown after ``t`` months (default: now).

        Month ``t`` shows the state at the end of calendar month ``t - 1``; month 0 is the
        initial state, the end of the month before the scenario starts, so every month on the
        timeline has its own date.
        """
        t = self.t if t is None else t
        return self.model.date_of(t - 1)

    # -------------------------------------------------------------- advancing

    def step(self, months: int = 1) -> int:
        """Advance every run by up to ``months``; returns how many months were simulated."""
        done = 0
        with self.lock:
            for _ in range(max(int(months), 0)):
                if self.model.t >= self.model.horizon:
                    break
                for run in self.runs:
                    if run.model.t < run.model.horizon:
                        changes = run.due()
                        if changes:
                            run.model.set_levers(changes)
                        run.model.step()
                        run.snapshots.append(snapshot(run.model))
                done += 1
            if done:
                self.version += 1
        return done

    def intervene(self, changes: dict[str, Any]) -> Settings:
        """Change levers of the chosen run from the next month on, as a dated intervention.

        The intervention becomes part of the settings, so Reset, the URL and the exported
        config reproduce it. Returns the new settings (the caller stores them).
        """
        from sim.app.settings import check_levers

        check_levers(changes)
        with self.lock:
            run = self.runs[0]
            step = int(run.model.t)
            if step < 1:
                raise ConfigError(
                    "app", "intervention", step, "a month after the start: Step first"
                )
            run.model.set_levers(changes)
            run.applied.add(step)
            merged = dict(self.settings.interventions)
            merged[step] = tuple(sorted({**dict(merged.get(step, ())), **changes}.items()))
            settings = self.settings.replace(interventions=tuple(sorted(merged.items())))
            self.settings = settings
            run.settings = settings.run_only()
            run.label = settings.label()
            self.version += 1
            return settings

    # -------------------------------------------------------------- reading

    def timeseries(self, index: int = 0) -> pd.DataFrame:
        """Run ``index``'s time series, built once per month (several views read it)."""
        key = (self.version, index)
        with self.lock:
            if key not in self._series:
                self._series = {k: v for k, v in self._series.items() if k[0] == self.version}
                self._series[key] = timeseries(self.runs[index].model)
            return self._series[key]

    def levers_now(self) -> dict[str, Any]:
        """The chosen run's levers in force (after any intervention)."""
        import dataclasses

        return dataclasses.asdict(self.model.levers)
