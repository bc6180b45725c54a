"""Score candidate coefficient sets on all three real scenarios at once.

One set of rule coefficients must serve every scenario (issue 3); this script runs each
candidate (a list of Hydra overrides such as ``model.trust.decay=0.03``) through the same
pattern checks as ``citypeace validate`` and prints the pass table side by side.

    .venv/bin/python experiments/calibrate.py --seeds 8 "" "model.proposals.beta0=0"
"""

from __future__ import annotations

import argparse

from sim.experiments.validate import evaluate, run_ensemble
from sim.scenario.loader import load_scenario

SCENARIOS = ("tuzla", "map", "seoul_pyongyang")


def score(overrides: list[str], seeds: int, jobs: int) -> dict[str, object]:
    out = {}
    for name in SCENARIOS:
        base = [f"scenario={name}", *overrides]
        case = load_scenario(name)
        runs = {"baseline": run_ensemble(base, "baseline", seeds, jobs, progress=False)}
        for policy in sorted({p["policy"] for p in case.patterns if p["kind"] == "contrast"}):
            runs[policy] = run_ensemble(base, policy, seeds, jobs, progress=False)
        out[name] = evaluate(case.patterns, runs)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("candidates", nargs="+", help="space-separated overrides per candidate")
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    for cand in args.candidates:
        overrides = cand.split()
        tables = score(overrides, args.seeds, args.jobs)
        total = sum(int(t["pass"].sum()) for t in tables.values())
        count = sum(len(t) for t in tables.values())
        print(f"\n=== {cand or '(defaults)'}: {total}/{count} pass")
        for name, table in tables.items():
            for _, r in table.iterrows():
                mark = "ok " if r["pass"] else "-- "
                print(f"  {mark}{name:16s} {r['pattern']:40s} {r['share']:.0%}  {r['value']}")


if __name__ == "__main__":
    main()
