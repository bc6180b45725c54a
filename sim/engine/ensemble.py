"""Ensembles: many replicates of one scenario, stepped together in batches.

A replicate is one run: a seed, a policy, parameter overrides and lever settings. An
:class:`Ensemble` holds R of them and returns tidy frames keyed by ``replicate``::

    from sim.engine.ensemble import Ensemble

    ens = Ensemble("tuzla", seeds=range(30), policies=["baseline", "no_abc"]).run()
    ts = ens.timeseries()  # one row per (replicate, month)
    ens.replicates_frame()  # replicate -> seed, policy, label, overrides

How it runs. A policy can change a scenario's structure (drop or add actors, ties,
programmes, events), so the replicates are grouped by the scenario they compile to: one group
per distinct structure (policies that only set levers share their baseline's group; a synthetic
world is generated from its seed, so there it is one group per seed). Each group runs as one
:class:`~sim.engine.batch.Batch`, every replicate with its own random stream, coefficients,
switches and levers, split into chunks of at most ``batch_size`` replicates and, with
``workers > 1``, over that many processes. Results come back in replicate order.

When every policy's replicates are the same (seed, coefficients) rows and the policies differ
only in structure and per-city levers (validate's 150 tuzla runs), the groups run instead as
one union batch, a block per policy and a row per seed (``sim.engine.union``, ODD 3): one
batch-month a month instead of one per structure. Over several workers the blocks are shared
out, every worker all the rows of its blocks (each block is recorded by one worker, not by
every worker for its rows: perf15); with fewer blocks than workers, the rows are.

Each replicate's outputs are those of ``PeaceModel`` built with the same arguments, bit for
bit, whatever else is in the ensemble (tests/test_ensemble.py).

Bad input (an empty ensemble, an unknown policy, a parameter or lever out of range) raises
:class:`~sim.errors.ConfigError` before anything runs. A replicate that raises mid-run, or
whose state stops being finite, becomes a failure (``ens.failures``) and the others finish: a
batch that raises is split in halves and rerun until the failing replicate runs alone (the
others' results do not depend on the split).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sim.engine import table_columns as columns
from sim.engine.ensemble_workers import run_chunk
from sim.engine.inputs import load_case, model_params, resolve_levers
from sim.engine.outputs import Outputs
from sim.engine.params import Levers, ModelParams
from sim.engine.replicates import (
    BATCH_ELEMENTS,
    Replicate,
    balanced_parts,
    chunk_sizes,
    in_processes,
    product,
    zipped_replicates,
)
from sim.engine.union import PER_CITY_LEVERS
from sim.errors import ConfigError
from sim.scenario.case import Scenario


@dataclass
class _Planned:
    """A replicate resolved: its checked coefficients and levers, and its structure group."""

    index: int
    seed: int
    params: ModelParams
    levers: Levers
    group: str


class Ensemble:
    """R replicates of one scenario, run in batches; see the module docstring.

    Give either ``replicates`` or the axes ``seeds``, ``policies``, ``params`` and ``levers``,
    whose product (policy, then params, then levers, then seed) is the ensemble.

    Args:
        scenario: a scenario name, folder or loaded :class:`Scenario` (``synthetic`` too; a
            loaded one carries its policy, the only one besides ``baseline`` it accepts).
        horizon: months to run (default: the scenario's own), a loaded scenario's too.
        cities_every: record city-level rows every this many months (0 = never).
        cities_max: at most this many cities in the city-level record.
        synthetic: generator knobs when ``scenario == "synthetic"``.
        batch_size: at most this many replicates per batch (default: all of a group).
        workers: processes to spread the batches over (default 1: this process).
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
        synthetic: Mapping[str, Any] | None = None,
        batch_size: int | None = None,
        workers: int = 1,
    ) -> None:
        if replicates is None:
            replicates = product(range(1) if seeds is None else seeds, policies, params, levers)
        elif seeds is not None:
            raise ConfigError("Ensemble", "seeds", "...", "either replicates or seeds, not both")
        self.replicates: list[Replicate] = list(replicates)
        if not self.replicates:
            raise ConfigError("Ensemble", "replicates", 0, "at least one replicate")
        for key, value, lo in (("batch_size", batch_size, 1), ("workers", workers, 1)):
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or value < lo
            ):
                raise ConfigError("Ensemble", key, value, f"a whole number >= {lo}")
        self.scenario = scenario
        self.horizon = horizon
        self.cities_every, self.cities_max = cities_every, cities_max
        self.synthetic = synthetic
        self.batch_size, self.workers = batch_size, workers
        self.failures: dict[int, str] = {}
        self._cases: dict[str, Scenario] = {}
        self._planned = self._plan()
        self._outputs: dict[int, tuple[Outputs, int]] = {}  # replicate -> (its batch, row)

    @classmethod
    def zipped(
        cls,
        scenario: str | Path | Any,
        seeds: Sequence[int],
        *,
        policies: Sequence[str] | None = None,
        params: Mapping[str, Sequence[Any]] | None = None,
        levers: Mapping[str, Sequence[Any]] | None = None,
        **kwargs: Any,
    ) -> Ensemble:
        """Replicate i takes ``seeds[i]``, ``policies[i]`` and the i-th value of every column
        of ``params`` (dotted keys such as ``trust.decay``) and ``levers``: a design's rows.

        Every column must have one value per seed (ConfigError otherwise).
        """
        reps = zipped_replicates(seeds, policies, params, levers)
        return cls(scenario, reps, **kwargs)

    def __len__(self) -> int:
        return len(self.replicates)

    # ------------------------------------------------------------------ planning

    def _case(self, policy: str, seed: int) -> tuple[str, Scenario]:
        """The replicate's scenario and the key of its structure group."""
        synthetic = self.scenario == "synthetic"
        key = f"seed {seed}" if synthetic else f"policy {policy}"
        if key not in self._cases:
            self._cases[key] = load_case(self.scenario, seed, self.horizon, policy, self.synthetic)
        case = self._cases[key]
        return key, case

    def _plan(self) -> list[_Planned]:
        """Check every replicate's inputs (ConfigError before anything runs) and group them."""
        planned, structures = [], {}
        for i, rep in enumerate(self.replicates):
            key, case = self._case(rep.policy, rep.seed)
            if key not in structures:
                structures[key] = _structure(case)
            planned.append(
                _Planned(
                    index=i,
                    seed=int(rep.seed),
                    params=model_params(rep.params),
                    levers=resolve_levers(case, rep.levers),
                    group=structures[key],
                )
            )
        # Every group's world comes from the first case of that structure.
        self._worlds_from = {}
        for key, digest in structures.items():
            self._worlds_from.setdefault(digest, self._cases[key])
        return planned

    # ------------------------------------------------------------------ running

    def run(self, progress: bool = False) -> Ensemble:
        """Run every replicate to the horizon; returns self."""
        groups = [
            (case, [p for p in self._planned if p.group == digest])
            for digest, case in self._worlds_from.items()
        ]
        union = self._union_rows() if self.batch_size is None and len(groups) > 1 else None
        sizes = [len(members) for _, members in groups]
        if self.workers > 1 and self.batch_size is None:
            # Work for every worker, so that they finish together (largest chunks first).
            overhead = [BATCH_ELEMENTS / _elements(case) for case, _ in groups]
            cuts = chunk_sizes(sizes, balanced_parts(sizes, self.workers, overhead))
        else:
            cuts = [[min(self.batch_size or n, n - s) for s in range(0, n, self.batch_size or n)]
                    for n in sizes]  # fmt: skip
        chunks = []
        for (case, members), cut in zip(groups, cuts, strict=True):
            start = 0
            for size in cut:
                chunks.append((case, members[start : start + size]))
                start += size
        if self.workers > 1:
            chunks.sort(key=lambda chunk: -(len(chunk[1]) + BATCH_ELEMENTS / _elements(chunk[0])))
        args = [(case, members, self.cities_every, self.cities_max) for case, members in chunks]
        if union is not None:  # one union batch, its blocks or rows over the workers: ODD 3
            args = [(*part, self.cities_every, self.cities_max)
                    for part in union_parts(*union, max(self.workers, 1))]  # fmt: skip
        if self.workers > 1 and len(args) > 1:
            results = in_processes(run_chunk, args, self.workers)
        else:
            results = []
            bar = None
            if progress:
                from tqdm.auto import tqdm

                bar = tqdm(total=len(self), desc="ensemble", unit="run")
            for a in args:
                results.append(run_chunk(a))
                if bar is not None:
                    bar.update(sum(len(m) if isinstance(m, list) else 1 for m in a[1]))
            if bar is not None:
                bar.close()
        for done, failures in results:
            self.failures.update(failures)
            for outputs, indices in done:
                for row, index in enumerate(indices):
                    if index not in failures:
                        self._outputs[index] = (outputs, row)
        return self

    def _union_rows(self) -> tuple[list[Scenario], list[list[_Planned]]] | None:
        """The blocks' scenarios and the rows of a union batch (``sim.engine.union``), or
        None: every block (a structure and its levers) must hold the same (seed, coefficients)
        rows once each, and the blocks may differ only in per-city levers."""
        if self.scenario == "synthetic":
            return None
        blocks: dict[tuple[str, str], dict[tuple[int, str], _Planned]] = {}
        for p in self._planned:
            rows = blocks.setdefault((p.group, repr(p.levers)), {})
            if rows.setdefault((p.seed, repr(p.params)), p) is not p:
                return None  # the same run twice in a block
        keys = [list(rows) for rows in blocks.values()]
        if len(keys) < 2 or any(sorted(k) != sorted(keys[0]) for k in keys):
            return None
        first = next(iter(blocks.values()))
        for rows in blocks.values():
            one, two = next(iter(rows.values())).levers, next(iter(first.values())).levers
            shared = [f.name for f in dataclasses.fields(one) if f.name not in PER_CITY_LEVERS]
            if any(getattr(one, name) != getattr(two, name) for name in shared):
                return None
        cases = [self._worlds_from[group] for group, _ in blocks]
        return cases, [[rows[key] for rows in blocks.values()] for key in keys[0]]

    # ------------------------------------------------------------------ results

    def levers_of(self, replicate: int) -> Levers:
        """The levers a replicate ran with (defaults, scenario, policy and its own settings)."""
        return self._planned[replicate].levers

    def case_of(self, replicate: int) -> Scenario:
        """The scenario (with its policy applied) a replicate ran."""
        rep = self.replicates[replicate]
        return self._case(rep.policy, rep.seed)[1]

    def outputs(self, replicate: int) -> tuple[Outputs, int]:
        """(the outputs of the batch that ran ``replicate``, its row in that batch)."""
        return self._outputs[replicate]

    def runs(self) -> dict[int, pd.DataFrame]:
        """Each finished replicate's time series (``PeaceModel.timeseries()``), by replicate."""
        return {i: out.timeseries(row) for i, (out, row) in sorted(self._outputs.items())}

    def timeseries(self) -> pd.DataFrame:
        """Tidy model-level series: ``replicate`` first, then one row per month."""
        return _stack(self.runs())

    def events(self) -> pd.DataFrame:
        """Events of every finished replicate, keyed by ``replicate``."""
        return _stack({i: out.events_frame(row) for i, (out, row) in sorted(self._outputs.items())})

    def activities(self) -> pd.DataFrame:
        """Development projects of every finished replicate, keyed by ``replicate``."""
        return _stack({i: out.activities(row) for i, (out, row) in sorted(self._outputs.items())})

    def cities(self) -> pd.DataFrame:
        """City-level rows of every finished replicate (with ``cities_every``), by replicate."""
        return _stack({i: out.cities(row) for i, (out, row) in sorted(self._outputs.items())})

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
                    "params": _as_dict(rep.params),
                    "levers": _as_dict(rep.levers),
                    "status": "failed" if i in self.failures else "ok",
                    "error": self.failures.get(i, ""),
                }
            )
        return pd.DataFrame(rows)


def union_parts(
    cases: list[Scenario], rows: list[list[_Planned]], workers: int
) -> list[tuple[list[Scenario], list[list[_Planned]]]]:
    """A union batch's work for ``workers`` processes: consecutive groups of blocks (sizes
    differing by at most one, the larger first), each with every row, where there are at
    least as many blocks as workers; else chunks of rows with every block. A block's
    recorder costs about the same a month at 15 rows as at 30, and the stages little more,
    so sharing out blocks records each block once rather than once a worker (validate's
    tuzla union on two workers: 3 and 2 blocks of 30 rows took 2.72 + 2.19 s CPU where two
    halves of the rows took 2 x 2.83 s; perf15)."""
    if workers > 1 and len(cases) >= workers:
        size, extra = divmod(len(cases), workers)
        parts, start = [], 0
        for w in range(workers):
            stop = start + size + (w < extra)
            parts.append((cases[start:stop], [row[start:stop] for row in rows]))
            start = stop
        return parts
    step = -(-len(rows) // workers)
    return [(cases, rows[i : i + step]) for i in range(0, len(rows), step)]


def _as_dict(value: Any) -> dict[str, Any]:
    return dataclasses.asdict(value) if dataclasses.is_dataclass(value) else dict(value)


def _elements(case: Scenario) -> int:
    """A replicate's actors and ties: the size of its rows in the state arrays."""
    return max(columns.n_rows(case.actors) + columns.n_rows(case.ties), 1)


def _structure(case: Scenario) -> str:
    """A digest of everything in a scenario that the compiled world depends on (its levers
    are per replicate and left out)."""
    digest = hashlib.sha256()
    for name, value in sorted(vars(case).items()):
        if name in ("policy", "levers", "baseline_levers", "folder"):
            continue
        if isinstance(value, pd.DataFrame):
            digest.update(pd.util.hash_pandas_object(value, index=False).to_numpy().tobytes())
            digest.update(json.dumps(list(map(str, value.columns))).encode())
        else:
            digest.update(json.dumps(value, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _stack(frames: Mapping[int, pd.DataFrame]) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame({"replicate": pd.Series(dtype="int64")})
    keyed = [f.assign(replicate=i) for i, f in frames.items()]
    out = pd.concat(keyed, ignore_index=True)
    return out[["replicate", *[c for c in out.columns if c != "replicate"]]]
