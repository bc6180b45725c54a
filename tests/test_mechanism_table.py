"""The mechanism table (docs/validation/mechanisms.md) on a small hand-made record."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.experiments.mechanism_table import collect, render, status, write

MECHANISMS = {
    "acceptance": ["accept_all", "random_acceptance"],
    "recovery": ["no_recovery"],
    "ladder": ["no_ladder"],
    "gates": ["no_gates"],
    "lederach": ["no_lederach"],
}


def record(folder: Path, rows: list[tuple[str, str, str, dict[str, float]]]) -> Path:
    """validation.csv and matrix.csv for (pattern, role, mechanisms, shares) rows."""
    folder.mkdir(parents=True)
    pd.DataFrame([{"pattern": p, "role": r, "mechanism": m or None} for p, r, m, _ in rows]).to_csv(
        folder / "validation.csv", index=False
    )
    nulls = sorted({n for ns in MECHANISMS.values() for n in ns})
    matrix = [
        {"pattern": p, "role": r, **{n: shares.get(n, 1.0) for n in ["full", *nulls]}}
        for p, r, _, shares in rows
    ]
    pd.DataFrame(matrix).to_csv(folder / "matrix.csv", index=False)
    return folder


def fixture(tmp_path: Path) -> Path:
    record(
        tmp_path / "a",
        [
            ("scripted_one", "scripted", "", {"no_gates": 0.0}),  # not evidence: not counted
            # broken by both acceptance nulls: tested
            ("declines", "evidence", "acceptance", {"accept_all": 0.0, "random_acceptance": 0.1}),
            # holds without the ladder: named, not broken
            ("climbs", "evidence", "ladder", {"no_ladder": 0.9}),
            # names two mechanisms: recovery breaks it, lederach does not
            ("rebuilds", "evidence", "recovery;lederach", {"no_recovery": 0.2, "no_lederach": 0.7}),
        ],
    )
    record(
        tmp_path / "b",
        [
            # one acceptance null breaks it, the other does not: not a break for the mechanism
            ("half", "evidence", "acceptance", {"accept_all": 0.0, "random_acceptance": 0.9}),
            # fails under the full model: cannot be broken
            ("weak", "evidence", "lederach", {"full": 0.4, "no_lederach": 0.0}),
        ],
    )
    return tmp_path


def test_each_mechanism_gets_its_patterns_and_a_verdict(tmp_path: Path) -> None:
    out = fixture(tmp_path)
    tests = collect({"a": out / "a", "b": out / "b"}, MECHANISMS)
    assert [t.pattern for t in tests["acceptance"]] == ["declines", "half"]
    assert [t.broken for t in tests["acceptance"]] == [True, False]
    assert tests["acceptance"][0].nulls == {"accept_all": 0.0, "random_acceptance": 0.1}
    assert status(tests["acceptance"]) == "tested"
    assert status(tests["recovery"]) == "tested"
    assert "breaks no pattern" in status(tests["ladder"])
    assert "breaks no pattern" in status(tests["lederach"])  # rebuilds holds without lederach
    assert "named by no evidence pattern" in status(tests["gates"])  # only a scripted pattern
    assert status(collect({"b": out / "b"}, {"lederach": ["no_lederach"]})["lederach"]) == (
        "**untested**: no pattern naming it holds under the full model"
    )


def test_the_markdown_lists_every_mechanism_and_the_untested(tmp_path: Path) -> None:
    out = fixture(tmp_path)
    path = write(out, ["a", "b"], MECHANISMS)
    text = path.read_text(encoding="utf-8")
    assert path == out / "mechanisms.md" and not list(out.glob(".mechanisms.*"))
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    assert [r.split(" | ")[0][2:] for r in rows[1:]] == sorted(MECHANISMS)
    acceptance = next(r for r in rows if r.startswith("| acceptance "))
    assert "declines ✓ (full 100%; accept_all 0%, random_acceptance 10%)" in acceptance
    assert "half (full 100%; accept_all 0%, random_acceptance 90%)" in acceptance
    assert "## Untested (3 of 5)" in text
    assert "- gates: named by no evidence pattern" in text
    assert "- ladder: its null breaks no pattern naming it" in text
    assert "- recovery" not in text.split("## Untested")[1]
    assert text == render(
        collect({"a": out / "a", "b": out / "b"}, MECHANISMS), MECHANISMS, ["a", "b"]
    )


def test_the_committed_table_is_what_the_committed_record_gives() -> None:
    """docs/validation/mechanisms.md is generated, never typed: it matches the CSVs beside it."""
    from helpers import ROOT
    from sim.experiments.nulls import mechanisms

    out = ROOT / "docs" / "validation"
    scenarios = ["tuzla", "map", "seoul_pyongyang", "croatia_twinnings"]
    folders = {s: out / s for s in scenarios}
    expected = render(collect(folders, mechanisms()), mechanisms(), scenarios)
    assert (out / "mechanisms.md").read_text(encoding="utf-8") == expected
