"""Ensembles: many replicates of one scenario, as one Python object.

A replicate is one run: a seed, a policy, parameter overrides and lever settings. An
:class:`Ensemble` holds R of them and returns tidy frames keyed by ``replicate``::

    from sim.engine.ensemble import Ensemble

    ens = Ensemble("tuzla", seeds=range(30), policies=["baseline", "no_abc"]).run()
    ts = ens.timeseries()  # one row per (replicate, month)
    ens.replicates_frame()  # replicate -> seed, policy, label, overrides

Each replicate's outputs are those of ``PeaceModel`` built with the same arguments, whatever
else is in the ensemble. A replicate that raises becomes a failure (``ens.failures``) and the
others finish.

This first implementation runs the replicates one after another through ``PeaceModel``; the
batched engine (issue 14) keeps this interface and steps them together.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sim.errors import CitypeaceError, ConfigError


@dataclass(frozen=True)
class Replicate:
    """One run of an ensemble.

    Args:
        seed: the run's own random seed.
        policy: a policy of the scenario (``baseline`` for none).
        params: nested overrides of the model coefficients, e.g. ``{"trust": {"decay": 0.03}}``.
        levers: lever settings, e.g. ``{"coordination": 1.0}``.
        label: free text that names the replicate in reports (a null model, a draw).
    """

    seed: int = 0
    policy: str = "baseline"
    params: Mapping[str, Any] = field(default_factory=dict)
    levers: Mapping[str, Any] = field(default_factory=dict)
    label: str = ""


def _product(
    seeds: Iterable[int],
    policies: Sequence[str],
    params: Sequence[Mapping[str, Any]],
    levers: Sequence[Mapping[str, Any]],
) -> list[Replicate]:
    return [
        Replicate(seed=int(s), policy=p, params=dict(q), levers=dict(v))
        for p, q, v, s in itertools.product(policies, params, levers, list(seeds))
    ]


class Ensemble:
    """R replicates of one scenario, run together; see the module docstring.

    Give either ``replicates`` or the axes ``seeds``, ``policies``, ``params`` and ``levers``,
    whose product (policy, then params, then levers, then seed) is the ensemble.
    """

    def __init__(
        self,
        scenario: str | Path | Any,
        replicates: Sequence[Replicate] | None = None,
        *,
        seeds: Iterable[int] | None = None,
        policies: Sequence[str] = ("baseline",),
        params: Sequence[Mapping[str, Any]] = ({},),
        levers: Sequence[Mapping[str, Any]] = ({},),
        horizon: int | None = None,
        cities_every: int = 0,
        cities_max: int = 0,
    ) -> None:
        if replicates is None:
            replicates = _product(range(1) if seeds is None else seeds, policies, params, levers)
        elif seeds is not None:
            raise ConfigError("Ensemble", "seeds", "...", "either replicates or seeds, not both")
        self.replicates: list[Replicate] = list(replicates)
        if not self.replicates:
            raise ConfigError("Ensemble", "replicates", 0, "at least one replicate")
        self.scenario = scenario
        self.horizon = horizon
        self.cities_every, self.cities_max = cities_every, cities_max
        self.failures: dict[int, str] = {}
        self._frames: dict[int, pd.DataFrame] = {}
        self._events: dict[int, pd.DataFrame] = {}

    def __len__(self) -> int:
        return len(self.replicates)

    def run(self, progress: bool = False) -> Ensemble:
        """Run every replicate to the horizon; returns self."""
        from sim.engine.model import PeaceModel

        items: Iterable[tuple[int, Replicate]] = enumerate(self.replicates)
        if progress:
            from tqdm.auto import tqdm

            items = tqdm(items, total=len(self), desc="ensemble", unit="run")
        for i, rep in items:
            try:
                model = PeaceModel(
                    self.scenario,
                    seed=rep.seed,
                    horizon=self.horizon,
                    policy=rep.policy,
                    params=rep.params,
                    levers=rep.levers,
                    cities_every=self.cities_every,
                    cities_max=self.cities_max,
                ).run()
            except CitypeaceError:
                raise  # bad input is the caller's error, not a failed replicate
            except Exception as exc:  # noqa: BLE001 - a failed replicate is recorded
                self.failures[i] = f"{type(exc).__name__}: {exc}"
                continue
            self._frames[i] = model.timeseries()
            self._events[i] = model.events_frame()
        return self

    def runs(self) -> dict[int, pd.DataFrame]:
        """Each finished replicate's time series (``PeaceModel.timeseries()``), by replicate."""
        return dict(self._frames)

    def timeseries(self) -> pd.DataFrame:
        """Tidy model-level series: ``replicate`` first, then one row per month."""
        return _stack(self._frames)

    def events(self) -> pd.DataFrame:
        """Events of every finished replicate, keyed by ``replicate``."""
        return _stack(self._events)

    def replicates_frame(self) -> pd.DataFrame:
        """One row per replicate: seed, policy, label, overrides and status."""
        rows = []
        for i, rep in enumerate(self.replicates):
            rows.append(
                {
                    "replicate": i,
                    "seed": rep.seed,
                    "policy": rep.policy,
                    "label": rep.label,
                    "params": dict(rep.params),
                    "levers": dict(rep.levers),
                    "status": "failed" if i in self.failures else "ok",
                    "error": self.failures.get(i, ""),
                }
            )
        return pd.DataFrame(rows)


def _stack(frames: Mapping[int, pd.DataFrame]) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame({"replicate": pd.Series(dtype="int64")})
    keyed = [f.assign(replicate=i) for i, f in frames.items()]
    out = pd.concat(keyed, ignore_index=True)
    return out[["replicate", *[c for c in out.columns if c != "replicate"]]]
