"""Smoke test of the benchmark scripts at tiny sizes (they are benchmarks, not timed tests)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from helpers import ROOT


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        name, ROOT / "experiments" / "bench" / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_scale_pieces_run_and_report(tmp_path: Path) -> None:
    scale = _load("scale")
    rows = [scale.plain(scale.run_world(n, 4, 1, scale.UCLG)) for n in (200, 400)]
    for row in rows:
        row.update(repeats=1, peak_rss_mb=row["rss_mb"]["peak"])
        assert row["ties"] > row["n_cities"] and row["run_s"] > 0
        assert set(row["memory_mb"]) >= {"tie_arrays", "scenario_tables"}
    k, c = scale.fit_power([1e3, 1e4, 1e5], [2.0, 20.0, 200.0])
    assert k == pytest.approx(1.0) and c == pytest.approx(2e-3)
    fits = {
        key: scale.fit_power([r["n_cities"] for r in rows], [r[key] for r in rows])
        for key in ("total_s", "run_s")
    }
    scale.plot(rows, fits, tmp_path / "scale.png")
    assert (tmp_path / "scale.png").stat().st_size > 0
    text = scale.to_markdown({"rows": rows, "fits": fits, "machine": scale.machine()})
    assert "| 400 |" in text and "k = " in text


def test_scale_runs_name_their_outputs() -> None:
    """scale_sides.py compares the two trees' outputs by a digest: the same run gives the same
    digest, another seed another one."""
    run = _load("scale_run")
    first, again = (run.run_world(200, 4, 1, run.UCLG, str(ROOT)) for _ in range(2))
    assert first["outputs_sha256"] == again["outputs_sha256"]
    assert run.run_world(200, 4, 2, run.UCLG)["outputs_sha256"] != first["outputs_sha256"]
    sides = _load("scale_sides")
    result = {"ties": first["ties"], "same_outputs": True}
    result["runs"] = {side: [dict(first, load_average=[1.0])] for side in ("before", "after")}
    med = {k: first[k] for k in sides.KEYS} | {"peak_rss_mb": 100.0}
    result["median"] = {"before": med, "after": med}
    result["ratio"] = dict.fromkeys(med, 1.0)
    meta = {"base": "x", "after": "y", "months": 4, "load_start": [1.0], "load_end": [1.0]}
    text = sides.markdown(meta | {"machine": run.machine()}, {"tiny": result})
    assert "| tiny |" in text and "identical" in text and "otherwise quiet" in text
    # A load above the cores says the machine was shared, whatever the sentence used to claim.
    machine = run.machine()
    load = [2.0 * machine["cores"]]
    busy = meta | {"load_start": load, "load_end": load, "machine": machine}
    assert "**the machine was shared**" in sides.markdown(busy, {"tiny": result})


def test_compare_mesa_runs_both_models() -> None:
    compare = _load("compare_mesa")
    row = compare.compare(300, 3)
    assert row["mesa"]["model"] == "mesa virus_on_network" and row["mesa"]["agents"] == 300
    assert row["mesa"]["avg_degree"] > 0 and row["ours"]["agents"] > 300
    assert row["ratio"] > 0
    text = compare.to_markdown(
        {"rows": [row], "machine": {"python": "3", "mesa": "3.5", "cores": 2, "load_average": []}}
    )
    assert "ours / Mesa" in text
    assert row["ours"]["compute_floor_ms_per_month"] > 0 and "compute floor" in text


def test_two_engines_take_turns_in_one_process() -> None:
    """single_speed.py --inprocess: two trees' sim packages loaded side by side (here the same
    tree twice), each run on its own modules; in a subprocess, so this process's sim stays."""
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path\n"
        f"sys.path.insert(0, {str(ROOT / 'experiments' / 'bench')!r})\n"
        "from two_engines import TwoEngines, alternate\n"
        f"root = Path({str(ROOT)!r})\n"
        "engines = TwoEngines({'before': root, 'after': root})\n"
        "assert engines.modules['before']['sim'] is not engines.modules['after']['sim']\n"
        "row = alternate(engines, \"build = lambda: PeaceModel('two_cities', seed=0, "
        'horizon=3)\\n", 2)\n'
        "assert len(row['runs_cpu_s']['after']) == 2 and row['ratio_cpu'] > 0\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]


def test_month_profile_of_validates_ensemble(tmp_path: Path) -> None:
    """month_profile.py --validate at one seed: tuzla's five policies run as one union batch
    (perf150: the policies' worlds as blocks of one world), every month counted, and the
    stages' CPU inside the months' (in a subprocess: it wraps Batch.step and the stages)."""
    import json
    import subprocess
    import sys

    script = ROOT / "experiments" / "bench" / "month_profile.py"
    args = [sys.executable, str(script), "--validate", "1", "--warm", "0", "--top", "3"]
    out = subprocess.run([*args, "--name", str(tmp_path / "mp")], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    res = json.loads((tmp_path / "mp.json").read_text())["result"]
    assert res["replicates"] == 5 and res["batches"] == 1
    assert res["batch_months"] == 181  # tuzla's horizon
    assert {"proposals", "recorder", "violence"} <= set(res["stage_cpu_ms"])
    assert 0 < sum(res["stage_cpu_ms"].values()) <= res["cpu_ms"] + 1e-6
    assert "5 replicates in 1 batch(es)" in (tmp_path / "mp.md").read_text()


def test_kernels_speed_alternates_the_two_paths(tmp_path: Path) -> None:
    """kernels_speed.py at a tiny size, the loops forced on (in a subprocess: it switches the
    stages' loops off by replacing a module attribute)."""
    import json
    import os
    import subprocess
    import sys

    pytest.importorskip("numba")
    script = ROOT / "experiments" / "bench" / "kernels_speed.py"
    args = [sys.executable, str(script), "--cities", "300", "--months", "4", "--out", str(tmp_path)]
    env = {**os.environ, "CITYPEACE_NUMBA": "1"}
    subprocess.run(args, cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    result = json.loads((tmp_path / "kernels_speed.json").read_text())
    assert result["months_each"] == 2 and result["ratio"] > 0
    assert len(result["months_ms"]["kernels"]) == len(result["months_ms"]["numpy"]) == 2
    assert "| ratio |" in (tmp_path / "kernels_speed.md").read_text()


def test_line_profile_charges_the_months_lines(tmp_path: Path) -> None:
    """line_profile.py at a tiny size (in a subprocess: it registers a sys.monitoring tool):
    the month's stages and rules get lines, each line's time is >= 0, their sum is positive."""
    import json
    import subprocess
    import sys

    script = ROOT / "experiments" / "bench" / "line_profile.py"
    args = [sys.executable, str(script), "--cities", "300", "--months", "2", "--warm", "1"]
    out = subprocess.run([*args, "--name", str(tmp_path / "lp")], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    res = json.loads((tmp_path / "lp.json").read_text())
    files = {row["file"] for row in res["lines"]}
    assert {"sim/engine/stages/violence.py", "sim/rules/galtung.py"} <= files
    assert all(row["ms_per_month"] >= 0 for row in res["lines"])
    assert res["meta"]["total_ms_per_month"] > 0
    assert "line by line" in (tmp_path / "lp.md").read_text()


def test_cli250_ab_reports_medians_and_ratios() -> None:
    """cli250_ab.py's table from made-up runs (its commands take minutes)."""
    bench = _load("cli250_ab")

    def row(wall: float) -> dict:
        return {"wall_s": wall, "cpu_s": wall / 2, "peak_rss_mb": 100.0, "load_start": 1.0,
                "load_end": 1.5}  # fmt: skip

    runs = {"10": {"before": [row(4.0), row(2.0), row(3.0)], "after": [row(1.0), row(1.5), row(9)]}}
    summary = {
        "10": {
            "median": {"before": {"wall_s": 3.0, "cpu_s": 1.5, "peak_rss_mb": 100.0},
                       "after": {"wall_s": 1.5, "cpu_s": 0.75, "peak_rss_mb": 100.0}},
            "ratio": {"wall_s": 0.5, "cpu_s": 0.5, "peak_rss_mb": 1.0},
        }
    }  # fmt: skip
    meta = {"before": "b", "before_label": "x", "after": "a", "after_label": "y", "repeat": 3,
            "cpus": 2, "load_before": 1.0, "load_after": 2.0, "threads": None}  # fmt: skip
    text = bench.markdown(meta, {"runs": runs, "summary": summary})
    assert "| 10 | after / before | **0.50** | 0.50 | 1.00 | |" in text
    assert "- 10 before: 4.0/2.0, 2.0/1.0, 3.0/1.5" in text


def test_ab_samples_pairs_the_turns() -> None:
    """ab_samples.summarise (cli5_first_run.py, cli6_ab.py): medians per side and the median of
    each turn's after / before, which is not the ratio of the medians."""
    bench = _load("ab_samples")
    before = [{"wall_s": w, "cpu_s": c} for w, c in ((2.0, 1.0), (4.0, 3.0), (8.0, 2.0))]
    after = [{"wall_s": w, "cpu_s": c} for w, c in ((1.0, 0.9), (3.0, 1.5), (2.0, 4.0))]
    row = bench.summarise({"before": before, "after": after})
    assert row["before"]["wall_s"] == 4.0 and row["after"]["cpu_s"] == 1.5
    assert row["after"]["all_wall_s"] == [1.0, 3.0, 2.0]
    assert row["paired_wall_ratio_median"] == 0.5  # 0.5, 0.75, 0.25; medians' ratio 0.5 too
    assert row["paired_cpu_ratio_median"] == 0.9  # 0.9, 0.5, 2.0; the medians' ratio is 0.75
    for script in ("cli5_first_run", "cli6_ab"):
        used = _load(script).summarise.__code__.co_filename
        assert used == bench.summarise.__code__.co_filename, used


def test_first_months_reports_each_phase() -> None:
    """first_months.py's fresh process on this tree at a tiny size: the build and each month
    reported once, times and faults >= 0, the peak RSS never below the RSS it has seen."""
    bench = _load("first_months")
    rows = bench.one_run(ROOT, 300, 2)
    assert [row["phase"] for row in rows] == ["build", "month 1", "month 2"]
    assert all(row["user_s"] >= 0 and row["sys_s"] >= 0 and row["faults"] >= 0 for row in rows)
    assert all(row["peak_mb"] >= row["rss_mb"] - 1 for row in rows)


def test_governance_loops_alternates_and_compares(tmp_path: Path) -> None:
    """governance_loops.py at a tiny size, the loops forced on (a subprocess: it replaces the
    governance stage's module attributes): both forms timed, one month compared."""
    import json
    import os
    import subprocess
    import sys

    pytest.importorskip("numba")
    script = ROOT / "experiments" / "bench" / "governance_loops.py"
    args = [sys.executable, str(script), "--cities", "300", "--months", "4", "--out", str(tmp_path)]
    env = {**os.environ, "CITYPEACE_NUMBA": "1"}
    subprocess.run(args, cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    result = json.loads((tmp_path / "governance_loops.json").read_text())
    assert result["months_each"] == 2 and result["identical"] is True
    assert len(result["stage_ms"]["loop"]) == len(result["stage_ms"]["numpy"]) == 2
    assert "| governance stage |" in (tmp_path / "governance_loops.md").read_text()
