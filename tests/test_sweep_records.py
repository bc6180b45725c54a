"""A batched sweep without run folders (``sim.experiments.sweep_records``): one series file and
one record file a job; the same runs, values and summary as the per-run path, whatever the
batch size; a killed job leaves nothing a reader sees, and a resume skips by config hash."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from helpers import run_cli

FAST = ["scenario=two_cities", "horizon=24", "output.dashboard=false", "output.progress=false"]
DESIGN = (
    "method: lhs\nn: 4\nreplications: 2\nroot_seed: 7\n"
    "parameters:\n  model.trust.success: [0.01, 0.15]\n  levers.coordination: null\n"
)
# Summary columns that differ between two sweeps of the same runs (time, where, how batched).
VOLATILE = ["duration_s", "cpu_s", "finished_at", "run_dir", "job_num"]


def _sweep(tmp_path: Path, name: str, *flags: str, design: str = DESIGN) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(design)
    sweep = tmp_path / name
    args = ["sweep", f"design={path}", *FAST, *flags, f"hydra.sweep.dir={sweep}"]
    proc = run_cli(args, tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return sweep


def _series(sweep: Path) -> pd.DataFrame:
    """The whole dataset in one ``pd.read_parquet`` call, in a stable order."""
    frame = pd.read_parquet(sweep / "series")
    assert list(frame.columns) == ["run", "date", "variable", "entity", "value"]
    for key in ("run", "variable", "entity"):
        frame[key] = frame[key].astype(str)
    keys = ["run", "variable", "entity", "date"]
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


def _summary(sweep: Path) -> pd.DataFrame:
    frame = pd.read_parquet(sweep / "summary.parquet")
    return frame.drop(columns=VOLATILE).sort_values("run_id").reset_index(drop=True)


def _digests(series: pd.DataFrame) -> dict[str, str]:
    """Each run's rows as bytes (dates, names and the float64 values), hashed."""
    out = {}
    for run, part in series.groupby("run", sort=True):
        h = hashlib.sha256()
        h.update(pd.util.hash_pandas_object(part[["date", "variable", "entity"]], index=False)
                 .to_numpy().tobytes())  # fmt: skip
        h.update(part["value"].to_numpy().tobytes())
        out[run] = h.hexdigest()
    return out


def _run_folders(sweep: Path) -> list[Path]:
    return [p for p in sweep.iterdir() if p.is_dir() and len(p.name) == 16]


def test_no_run_folders_same_runs_as_the_per_run_path(tmp_path: Path) -> None:
    """--runs-per-job=3 without folders: the dataset, read with one call, and the summary
    equal those of one run per job, each in its own folder."""
    batched = _sweep(tmp_path, "batched", "--runs-per-job=3")
    single = _sweep(tmp_path, "single")
    assert _run_folders(batched) == [] and len(_run_folders(single)) == 8
    assert len(list((batched / "series").glob("batch-*.parquet"))) == 3
    assert len(list((batched / "records").glob("*.parquet"))) == 3
    pd.testing.assert_frame_equal(_series(batched), _series(single), check_exact=True)
    pd.testing.assert_frame_equal(_summary(batched), _summary(single), check_exact=True)
    summary = pd.read_parquet(batched / "summary.parquet")
    assert len(summary) == 8 and (summary["status"] == "completed").all()
    assert summary["run_dir"].isna().all() and sorted(summary["job_num"]) == list(range(8))
    # Each row's record has what a run folder's status.json and provenance.json had.
    for path in (batched / "records").glob("*.parquet"):
        for text in pq.read_table(path, columns=["record"])["record"].to_pylist():
            record = json.loads(text)
            prov = record["provenance"]
            assert prov["config_hash"] == record["run_id"] and prov["seed"] == record["seed"]
            assert "numpy" in json.dumps(prov) and "levers" in prov
            assert record["batch_runs"] in (2, 3) and record["files"]
    from sim.experiments.report import fan_data

    # The report's fan charts read folder-less runs from the dataset: the same bands.
    fans = [fan_data(s, pd.read_parquet(s / "summary.parquet"), "peace") for s in (batched, single)]
    pd.testing.assert_frame_equal(fans[0]["baseline"], fans[1]["baseline"], check_exact=True)
    assert int(fans[0]["baseline"]["runs"].iloc[0]) == 8


def test_batch_size_changes_no_byte(tmp_path: Path) -> None:
    """The same design in jobs of 2 and 8 runs without folders and of 3 with them: every
    run's rows hash the same, and the summary is the same."""
    sweeps = [_sweep(tmp_path, f"per{k}", f"--runs-per-job={k}") for k in (2, 8)]
    sweeps.append(_sweep(tmp_path, "folders", "--runs-per-job=3", "--run-folders"))
    digests = [_digests(_series(s)) for s in sweeps]
    assert len(digests[0]) == 8 and digests[0] == digests[1] == digests[2]
    for other in sweeps[1:]:
        pd.testing.assert_frame_equal(_summary(sweeps[0]), _summary(other), check_exact=True)


def test_killed_batch_leaves_nothing_seen_and_resume_skips_by_hash(tmp_path: Path) -> None:
    """The states a kill can leave, made by hand from a finished sweep: a half-written
    pending file, a committed record whose series file was not yet renamed into view, and a
    series file that no record names. Readers see none of their rows; a resume removes them,
    reruns exactly the uncommitted runs (the same values) and skips the rest by config hash."""
    sweep = _sweep(tmp_path, "s", "--runs-per-job=3")
    whole = _series(sweep)
    records = sorted((sweep / "records").glob("*.parquet"))
    # (a) a record committed, its series file still pending: its runs are not done
    key_a = records[0].stem
    os.replace(sweep / "series" / f"batch-{key_a}.parquet",
               sweep / "series" / f".pending-{key_a}.parquet")  # fmt: skip
    # (b) a series file whose record never came (e.g. from an older crash)
    key_b = records[1].stem
    # 8 runs in jobs of 3 are jobs of 3, 3 and 2; which one sorts second depends on the keys
    runs_b = set(pq.read_table(records[1], columns=["run_id"])["run_id"].to_pylist())
    records[1].unlink()
    # (c) a pending file cut short
    (sweep / "series" / ".pending-0123456789abcdef.parquet").write_bytes(b"PAR1\x00trunc")
    redo_a = set(pq.read_table(records[0], columns=["run_id"])["run_id"].to_pylist())
    seen = _series(sweep)  # one call, as a user would read it now: hidden files are skipped
    assert set(seen["run"]) == set(whole["run"]) - redo_a
    from sim.experiments.sweep_records import completed

    redo_b = set(whole["run"]) - completed(sweep) - redo_a
    assert redo_b == runs_b and len(runs_b) in (2, 3)
    assert completed(sweep) == set(whole["run"]) - redo_a - redo_b
    kept = records[2]
    kept_mtime = kept.stat().st_mtime_ns
    proc = run_cli(["sweep", "resume", str(sweep)], tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert kept.stat().st_mtime_ns == kept_mtime  # its runs were skipped, not rewritten
    assert not list((sweep / "series").glob(".*"))
    # (b)'s orphan was removed and its runs redone: the same runs, so the same file names
    assert (sweep / "records" / f"{key_b}.parquet").is_file()
    assert completed(sweep) == set(whole["run"])
    again = _series(sweep)
    assert len(again) == len(again.drop_duplicates(["run", "variable", "entity", "date"]))
    pd.testing.assert_frame_equal(again, whole, check_exact=True)
    summary = pd.read_parquet(sweep / "summary.parquet")
    assert len(summary) == 8 and summary["run_id"].is_unique
    assert (summary["status"] == "completed").all()


def test_sigkill_a_batched_sweep_then_resume(tmp_path: Path) -> None:
    """A real kill of a batched sweep (the basic launcher, jobs of two runs) once some jobs
    committed; the resume completes it, every run once, the committed ones untouched."""
    design = tmp_path / "twelve.yaml"
    design.write_text(DESIGN.replace("n: 4", "n: 6"))
    sweep = tmp_path / "s"
    args = ["sweep", f"design={design}", *FAST, "--runs-per-job=2", f"hydra.sweep.dir={sweep}"]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "sim", *args], cwd=tmp_path, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the sweep ended before it could be killed"
        if len(list((sweep / "records").glob("*.parquet")) if (sweep / "records").is_dir()
               else []) >= 2:  # fmt: skip
            break
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    committed = {p: p.stat().st_mtime_ns for p in (sweep / "records").glob("*.parquet")}
    assert 2 <= len(committed) < 6, "kill the sweep halfway"
    assert not (sweep / "summary.parquet").exists()
    again = run_cli(["sweep", "resume", str(sweep)], tmp_path)
    assert again.returncode == 0, again.stderr[-3000:]
    assert {p: p.stat().st_mtime_ns for p in committed} == committed
    summary = pd.read_parquet(sweep / "summary.parquet")
    assert len(summary) == 12 and summary["run_id"].is_unique
    assert (summary["status"] == "completed").all()
    series = _series(sweep)
    assert sorted(series["run"].unique()) == sorted(summary["run_id"])
    assert len(series) == len(series.drop_duplicates(["run", "variable", "entity", "date"]))
    assert not list((sweep / "series").glob(".*")) and _run_folders(sweep) == []


def test_failed_runs_are_rows_and_a_full_disk_records_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without folders: an invalid run and a run that raises mid-run are failed rows (error
    and traceback in the record, no series); the others complete. A write that fails (a full
    disk) raises one OutputError and leaves neither a record nor a pending file."""
    import sim.engine.stages.violence as violence_stage
    from sim.cli.config import model_kwargs
    from sim.experiments import sweep_batch, sweep_records
    from sim.experiments.run_status import new_record
    from sim.experiments.runner import config_hash, provenance
    from sim.experiments.validate import _compose
    from sim.outputs.atomic import OutputError

    original = violence_stage.update_cities

    def poisoned(world, state, co, month, rngs):  # noqa: ANN001, ANN202 - a spy
        original(world, state, co, month, rngs)
        if month.step == 3 and (co.trust.decay[:, 0] == 0.0345).any():
            raise RuntimeError("injected failure")

    monkeypatch.setattr(violence_stage, "update_cities", poisoned)

    def runs(folder: Path) -> list:
        made = []
        for seed, decay in ((1, 0.02), (2, 7.0), (3, 0.0345), (4, 0.03)):
            cfg = _compose([*FAST, "horizon=8", f"seed={seed}"])
            cfg.model.trust.decay = decay
            run_id = config_hash(cfg)
            record = new_record(cfg, folder / run_id, folder, seed, [f"seed={seed}"], run_id)
            record["run_dir"] = None
            try:
                kwargs, error = model_kwargs(cfg), None
            except Exception as exc:  # noqa: BLE001 - the invalid run
                kwargs, error = None, f"{type(exc).__name__}: {exc}"
            made.append(sweep_batch._Run(seed, folder / run_id, record, provenance(cfg, run_id),
                                         kwargs, error))  # fmt: skip
        return made

    done = runs(tmp_path)
    sweep_batch.run_together(done, tmp_path, folders=False)
    assert not any(r.out.exists() for r in done)  # no run folder
    (record_file,) = (tmp_path / "records").glob("*.parquet")
    rows = [json.loads(t) for t in pq.read_table(record_file)["record"].to_pylist()]
    by_seed = {r["seed"]: r for r in rows}
    assert [by_seed[s]["status"] for s in (1, 2, 3, 4)] == ["completed", "failed", "failed",
                                                          "completed"]  # fmt: skip
    assert "model.trust.decay" in by_seed[2]["error"]
    assert "injected failure" in by_seed[3]["error"]
    assert "RuntimeError" in by_seed[3]["traceback"] and by_seed[3].get("series") is None
    series = _series(tmp_path)
    assert sorted(series["run"].unique()) == sorted(by_seed[s]["run_id"] for s in (1, 4))
    from sim import PeaceModel

    monkeypatch.undo()
    alone = PeaceModel("two_cities", seed=4, horizon=8, params={"trust": {"decay": 0.03}})
    mine = series[series["run"] == by_seed[4]["run_id"]]
    peace = mine[(mine["variable"] == "peace") & (mine["entity"] == "model")]["value"]
    assert peace.to_numpy().tolist() == alone.run().timeseries()["peace"].to_numpy().tolist()

    full = tmp_path / "full"

    def no_space(self, table) -> None:  # noqa: ANN001 - a full disk
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", no_space)
    with pytest.raises(OutputError, match="No space left"):
        sweep_batch.run_together(runs(full), full, folders=False)
    assert not (full / "records").exists() or not list((full / "records").iterdir())
    assert not list((full / "series").iterdir())
    assert sweep_records.completed(full) == set()


@pytest.mark.parametrize(
    ("values", "to_hydra"),
    [
        (["model.trust.success=0.06470184", "seed=612542404746152267"], []),
        (["levers.coordination=0", "model.trust.decay=0.10", "seed=3"], []),
        (["model.trust.success=1.5e-05", "levers.funding_scale=0.5", "seed=1_000"],
         ["seed=1_000"]),
        (["model.proposals.beta_trust=2.0E+1", "model.trust.success=.05"],
         ["model.trust.success=.05"]),
    ],
)  # fmt: skip
def test_plain_numbers_applied_as_hydra_applies_them(
    values: list[str], to_hydra: list[str]
) -> None:
    """A batch applies ``key=<plain number>`` without Hydra's grammar: the same config as
    Hydra's own ``_apply_overrides_to_config``, and the texts it does not read go to Hydra."""
    from hydra._internal.config_loader_impl import ConfigLoaderImpl
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from omegaconf import OmegaConf

    from sim.experiments.sweep_batch import _apply_numbers
    from sim.experiments.validate import _compose

    fast, hydra = _compose(FAST), _compose(FAST)
    rest = _apply_numbers(values, fast)
    ConfigLoaderImpl._apply_overrides_to_config(
        OverridesParser.create().parse_overrides(rest), fast
    )
    ConfigLoaderImpl._apply_overrides_to_config(
        OverridesParser.create().parse_overrides(values), hydra
    )
    a, b = (OmegaConf.to_container(c, resolve=True) for c in (fast, hydra))
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    assert rest == to_hydra


SOBOL = (
    "method: sobol\nn: 4\nreplications: 1\nsecond_order: false\nscramble: true\n"
    "root_seed: 11\nparameters:\n  model.trust.success: [0.01, 0.15]\n"
    "  model.proposals.beta_trust: [1.0, 6.0]\n  levers.funding_scale: [0.5, 2.0]\n"
)


def test_a_sobol_design_batched_equals_one_run_a_job(tmp_path: Path) -> None:
    """sobol17: a Saltelli design in jobs of 7 runs (the numbers set in the mirrored config
    without OmegaConf) and one run a job in its own folder (Hydra's full path): the same run
    ids and design points, summary, every run's series rows, and Sobol indices."""
    from sim.experiments.sensitivity import sensitivity

    batched = _sweep(tmp_path, "batched", "--runs-per-job=7", design=SOBOL)
    single = _sweep(tmp_path, "single", design=SOBOL)
    assert len(_run_folders(single)) == 20 and _run_folders(batched) == []
    pd.testing.assert_frame_equal(pd.read_parquet(batched / "design.parquet"),
                                  pd.read_parquet(single / "design.parquet"))  # fmt: skip
    pd.testing.assert_frame_equal(_summary(batched), _summary(single), check_exact=True)
    assert _digests(_series(batched)) == _digests(_series(single))
    outcomes = ["peace_2y", "trust_2y"]
    indices = [sensitivity(s, outcomes) for s in (batched, single)]
    assert len(indices[0]) > 0
    pd.testing.assert_frame_equal(indices[0], indices[1], check_exact=True)
