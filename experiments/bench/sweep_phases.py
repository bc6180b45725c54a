"""Where one batched sweep job's time goes: ``citypeace sweep`` run in this process (the basic
launcher: the job runs here too) with its steps wrapped in timers, wall and CPU seconds of
each phase printed as one JSON line on stderr (branch ens16).

Phases: start-up, compose, plan and launch (until the job's ``run_batch``); the job's runs'
configs (each run's overrides applied, hashed, checked: until ``Ensemble`` is built); the
ensemble's set-up; the runs (``Ensemble.run``, the months); the series rows written to
Parquet and the status records (until ``BatchWriter.commit``); the commit; the summary and
exit. Run it from an empty scratch folder:

    cd /tmp/scratch && PYTHONPATH=<checkout> <venv>/bin/python <checkout>/experiments/bench/\
sweep_phases.py sweep design=bench_lhs design.n=500 scenario=tuzla horizon=240 \
output.dashboard=false output.activities=false output.cities_every=0 output.progress=false \
--runs-per-job=500
"""

import json
import resource
import sys
import time

T0 = time.perf_counter()
marks: list[tuple[str, float, float]] = []


def cpu() -> float:
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + c.ru_utime + c.ru_stime


C0 = cpu()


def mark(name: str) -> None:
    marks.append((name, time.perf_counter(), cpu()))


import sim.engine.ensemble as ens  # noqa: E402
import sim.experiments.sweep_batch as sb  # noqa: E402
import sim.experiments.sweep_records as sr  # noqa: E402


def wrap(owner: object, name: str, before: str, after: str) -> None:
    f = getattr(owner, name)

    def timed(*a: object, **k: object) -> object:
        mark(before)
        out = f(*a, **k)
        mark(after)
        return out

    setattr(owner, name, timed)


wrap(sb, "run_batch", "start-up, compose, plan, launch", "other")
wrap(ens.Ensemble, "__init__", "job: the runs' configs", "ensemble set-up")
wrap(ens.Ensemble, "run", "other", "runs (months)")
wrap(sr.BatchWriter, "commit", "series rows to Parquet (a row group a run), records", "commit")


def done() -> None:
    mark("summary and exit")
    wall: dict[str, float] = {}
    used: dict[str, float] = {}
    prev, prev_cpu = T0, C0
    for name, t, c in marks:
        wall[name] = round(wall.get(name, 0.0) + t - prev, 2)
        used[name] = round(used.get(name, 0.0) + c - prev_cpu, 2)
        prev, prev_cpu = t, c
    print(json.dumps({"wall_s": wall, "cpu_s": used}), file=sys.stderr)


if __name__ == "__main__":
    import atexit

    from sim.cli.main import main as cli

    atexit.register(done)
    sys.argv = ["citypeace", *sys.argv[1:]]
    cli()
