"""How much of each real case's seed-to-seed spread is development value lost to interrupted
projects (issue 15; docs/validation/issue15.md, "lottery"). Per scenario and seed (baseline):
the development value spent on completed and on interrupted projects, and, for the recipient
city with the most development money, its mean positive peace over the window below; then the
correlation over the seeds of that outcome with the value lost and the share of its variance a
line in the value lost explains (R^2). The value lost is what interrupted projects spent
less what they left built (ODD 7.4); before branch lottery, all they spent.

    PYTHONPATH=$PWD .venv/bin/python experiments/project_lottery.py 30 [scenario ...]
"""

from __future__ import annotations

import sys

import numpy as np

from sim import PeaceModel

# (scenario, the years read: the five after the main development flows end)
CASES = {
    "tuzla": ("2001-01", "2005-12"),
    "map": ("2008-01", "2012-12"),
    "seoul_pyongyang": ("2016-01", "2020-12"),
    "croatia_twinnings": ("2001-01", "2005-12"),
}


def main(seeds: int, names: list[str]) -> None:
    for name in names or CASES:
        start, end = CASES[name]
        rows = []
        for seed in range(seeds):
            model = PeaceModel.from_scenario(name, seed=seed).run()
            ts = model.timeseries().set_index("date")
            acts = model.activities_frame()
            # (the watched city with the most development money: only watched cities have
            # their own series)
            by_city = acts.groupby("recipient").spent.sum()
            watched = [c for c in by_city.index if f"positive_peace@{c}" in ts.columns]
            city = by_city[watched].idxmax()
            mine = acts[acts.recipient == city]
            # (before branch lottery an interrupted project kept nothing: no 'built' column)
            kept = (
                acts["built"]
                if "built" in acts
                else acts["spent"].where(acts.status == "completed", 0.0)
            )
            broken = mine.status == "interrupted"
            lost = (mine.spent - kept[mine.index])[broken].sum()
            built = kept[mine.index].sum()
            lost_all = (acts.spent - kept)[acts.status == "interrupted"].sum()
            pp = ts.loc[start:end, f"positive_peace@{city}"].mean()
            rows.append(
                (lost, built, pp, lost_all, acts.spent.sum(), kept[mine.index][broken].sum())
            )
        a = np.array(rows)
        corr = np.corrcoef(a[:, 0], a[:, 2])[0, 1] if a[:, 0].std() > 0 else float("nan")
        print(
            f"{name}: city {city}; value lost there {np.median(a[:, 0]):.0f} (median; "
            f"{a[:, 0].min():.0f}-{a[:, 0].max():.0f}) of {np.median(a[:, 0] + a[:, 1]):.0f}, "
            f"kept by interrupted projects {np.median(a[:, 5]):.0f}; "
            f"all cities' lost share {np.median(a[:, 3] / a[:, 4]):.2f}; "
            f"positive peace {start}..{end} mean {a[:, 2].mean():.4f} sd {a[:, 2].std():.4f}; "
            f"corr(lost, pp) {corr:.2f}, R^2 {corr**2:.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 12, sys.argv[2:])
