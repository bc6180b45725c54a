"""Draw sensitivity (sim/experiments/draw_sensitivity.py): the ranking on made-up draws, and the
re-run of the record's draws on the small two-city scenario."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.engine.params import ModelParams
from sim.experiments import draw_sensitivity as ds
from sim.experiments import robustness

pytest.importorskip("scipy")


def test_the_deciding_coefficient_ranks_first_with_its_direction() -> None:
    rng = np.random.default_rng(1)
    n = 60
    values = pd.DataFrame(
        {
            "model.a.up": rng.uniform(0.75, 1.25, n),  # decides the pattern: passes above 1
            "model.a.down": rng.uniform(0.75, 1.25, n),  # lowers the hold share a little
            "model.a.idle": rng.uniform(0.75, 1.25, n),  # nothing to do with it
            "model.a.fixed": np.full(n, 2.0),  # never drawn (a coefficient at 0, say)
        }
    )
    share = np.where(values["model.a.up"] > 1.0, 0.9, 0.6) - 0.1 * (values["model.a.down"] - 1)
    defaults = {k: (2.0 if k.endswith("fixed") else 1.0) for k in values.columns}
    r = ds.rank(pd.Series(share), values, defaults).set_index("coefficient")
    assert list(r.index[:2]) == ["model.a.up", "model.a.down"]
    assert "model.a.fixed" not in r.index  # a constant column is not ranked
    up = r.loc["model.a.up"]
    assert up["rho"] > 0.7 and up["q_value"] < 1e-6
    assert up["pass_below"] == 0.0 and up["pass_above"] == 1.0
    assert up["n_below"] + up["n_above"] == n
    assert r.loc["model.a.down", "rho"] < 0
    assert r.loc["model.a.idle", "q_value"] > 0.05


def test_draws_are_the_records_whatever_the_block(monkeypatch: pytest.MonkeyPatch) -> None:
    shares, values, case = ds.hold_shares("two_cities", 3, 2)
    assert list(shares.index) == [0, 1, 2]
    assert list(shares.columns) == [p["id"] for p in case.patterns]
    first = robustness.draw(ModelParams(), ds.PERTURB, 0)
    group, name = next(iter(first.items()))[0], next(iter(next(iter(first.values()))))
    assert values.at[0, f"model.{group}.{name}"] == first[group][name]
    monkeypatch.setattr(ds, "BLOCK", 1)  # one ensemble per draw: the same hold shares
    again, _, _ = ds.hold_shares("two_cities", 3, 2)
    pd.testing.assert_frame_equal(shares, again)


def test_report_lists_the_fragile_patterns(tmp_path: Path) -> None:
    folder = tmp_path / "two_cities"
    folder.mkdir()
    pd.DataFrame(
        [
            {
                "pattern": "projects_happen",
                "role": "scripted",
                "draws": 20,
                "passed": 10,
                "share": 0.5,
            }
        ]
    ).to_csv(folder / "robustness.csv", index=False)
    assert ds.fragile(folder) == ["projects_happen"]
    md, csv, holds = ds.write(tmp_path, ["two_cities"], draws=4, seeds=2)
    text = md.read_text(encoding="utf-8")
    assert "**Diagnosis only.**" in text
    assert "| two_cities | projects_happen | scripted | 50% |" in text
    assert len(pd.read_csv(holds)) == 4
    ranks = pd.read_csv(csv)
    assert set(ranks["pattern"]) == {"projects_happen"}
    assert len(ranks) == ranks["coefficient"].nunique()  # one row per drawn coefficient
    # re-analysing the saved hold shares gives the same ranking without running anything
    ds.write(tmp_path, ["two_cities"], draws=4, seeds=2, reuse=True)
    pd.testing.assert_frame_equal(ranks, pd.read_csv(csv))
