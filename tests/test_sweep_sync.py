"""A sweep job's runs are made durable together: one sync per group of runs, each run's
``status.json`` only after the sync that covers its files (``sim.outputs.atomic.deferred_sync``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FAST = ["scenario=two_cities", "horizon=6", "output.dashboard=false", "output.progress=false"]


def test_deferred_sync_skips_each_fsync_and_syncs_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sim.outputs import atomic

    calls: list[str] = []
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: calls.append("fsync"))
    monkeypatch.setattr(atomic.os, "sync", lambda: calls.append("sync"))
    atomic.write_text("a", tmp_path / "a.txt")
    assert calls == ["fsync"]
    with atomic.deferred_sync():
        atomic.write_text("b", tmp_path / "b.txt")
        atomic.write_json({"c": 1}, tmp_path / "c.json")
        assert calls == ["fsync"]  # renamed into place, not yet synced
    assert calls == ["fsync", "sync"]
    assert (tmp_path / "b.txt").read_text() == "b"
    with pytest.raises(RuntimeError), atomic.deferred_sync():  # a failure: nothing recorded
        atomic.write_text("d", tmp_path / "d.txt")
        raise RuntimeError("stop")
    assert calls == ["fsync", "sync"]
    atomic.write_text("e", tmp_path / "e.txt")  # after the block: each file its own fsync
    assert calls == ["fsync", "sync", "fsync"]


def test_a_status_record_follows_the_sync_of_its_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three runs written two at a time: a sync for each part's files, with no status.json of
    its runs yet, then one for its status records; no file is fsynced on its own."""
    from sim.cli.config import model_kwargs
    from sim.experiments import sweep_batch
    from sim.experiments.run_status import STATUS, new_record, read_status
    from sim.experiments.runner import RunRecord, config_hash
    from sim.experiments.validate import _compose
    from sim.outputs import atomic

    runs = []
    for seed in (1, 2, 3):
        cfg = _compose([*FAST, f"seed={seed}"])
        run_id = config_hash(cfg)
        out = tmp_path / run_id
        record = new_record(cfg, out, tmp_path, seed, [f"seed={seed}"], run_id)
        runs.append(
            sweep_batch._Run(seed, out, record, RunRecord.of(cfg, run_id), model_kwargs(cfg))
        )
    events: list[tuple[str, int]] = []

    def statuses() -> int:
        return sum((r.out / STATUS).exists() for r in runs)

    real_fsync = os.fsync
    monkeypatch.setattr(sweep_batch, "SYNC_EVERY", 2)
    monkeypatch.setattr(atomic.os, "sync", lambda: events.append(("sync", statuses())))
    monkeypatch.setattr(
        atomic.os, "fsync", lambda fd: (events.append(("fsync", statuses())), real_fsync(fd))
    )
    sweep_batch.run_together(runs, tmp_path)
    syncs = [n for kind, n in events if kind == "sync"]
    assert syncs == [0, 2, 2, 3]  # the first two runs' records only after their files' sync
    assert not any(kind == "fsync" for kind, _ in events)
    assert [read_status(r.out)["status"] for r in runs] == ["completed"] * 3
    assert all(read_status(r.out)["batch_runs"] == 3 for r in runs)
