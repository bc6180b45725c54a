"""experiments/credibility.py runs and its table has every complaint of issue 15 with a finite
figure. Its verdicts are findings (docs/validation/credibility.md), not asserted here."""

from __future__ import annotations

import csv
import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "experiments"))
import credibility  # noqa: E402

COMPLAINTS = [
    "money_war_start",
    "money_war_goes_on",
    "siege_improves",
    "violence_destroys",
    "recovery_without_aid",
    "counterfactual_collapse",
    "mediation_trust",
    "provider_headline",
    "tuzla_transformed",
]
VERDICTS = {"credible now", "partly", "still not credible"}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seed and the two cases the rows need; a hand-written tail already in place."""
    folder = tmp_path_factory.mktemp("credibility")
    (folder / "credibility.md").write_text("old\n## Seen on the dashboards\n\nmine\n")
    argv = ["--seeds", "1", "--cases", "tuzla,croatia_twinnings", "--out", str(folder)]
    assert credibility.main([*argv, "--quiet"]) == 0
    return folder


def test_the_table_has_every_complaint_with_a_finite_figure(out: Path) -> None:
    with (out / "credibility.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["key"] for r in rows] == COMPLAINTS
    for r in rows:
        low, value, high = float(r["low"]), float(r["value"]), float(r["high"])
        assert all(math.isfinite(x) for x in (low, value, high)), r["key"]
        assert low <= value <= high, r["key"]
        assert r["verdict"] in VERDICTS, r["key"]
        assert r["today"] and r["why"] and r["issue_figure"], r["key"]


def test_the_report_lists_every_complaint_and_keeps_the_hand_written_tail(out: Path) -> None:
    text = (out / "credibility.md").read_text(encoding="utf-8")
    assert all(f"**{key}**" in text for key in COMPLAINTS)
    assert text.endswith("## Seen on the dashboards\n\nmine\n")
    assert "old\n" not in text.split("## Seen on the dashboards")[0]
    assert not list(out.glob("*.tmp"))


@pytest.mark.parametrize("argv", [["--seeds", "0"], ["--cases", "tuzlaa"]])
def test_bad_arguments_exit_2_and_write_nothing(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert credibility.main([*argv, "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("credibility: error:")
    assert not (tmp_path / "x").exists()
