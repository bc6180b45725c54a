"""The numbers of docs/validation/credibility.md's hand-written 'Seen on the dashboards' that the
contact split can move, re-read on seed 0 at this branch (tuzla's references are identical to
main's, so its numbers are not re-read).

    PYTHONPATH=$PWD python experiments/results/mediation2/dashboard_numbers.py <runs folder>

<runs folder>/<case>_<policy>/timeseries.parquet, from `citypeace scenario=<case>
policy=<policy> hydra.run.dir=<runs folder>/<case>_<policy> output.progress=false`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd


def main() -> None:
    runs = Path(sys.argv[1])

    def ts(case: str, policy: str = "baseline") -> pd.DataFrame:
        frame = pd.read_parquet(runs / f"{case}_{policy}" / "timeseries.parquet")
        frame["date"] = pd.to_datetime(frame["date"]).dt.strftime("%Y-%m")
        return frame.set_index("date")

    def at(frame: pd.DataFrame, col: str, date: str) -> str:
        return f"{frame.loc[date, col]:.3f}"

    tc, tn = ts("two_cities"), ts("two_cities", "no_programme")
    cr, cn = ts("croatia_twinnings"), ts("croatia_twinnings", "no_ikv_programme")
    mp, mn = ts("map"), ts("map", "no_mediator")
    se, sh = ts("seoul_pyongyang"), ts("seoul_pyongyang", "humanitarian_only")
    t = "cross_divide_trust"
    print(
        "1. two_cities trust 2000-01/2002-01/2004-06:",
        *(at(tc, t, d) for d in ("2000-01", "2002-01", "2004-06")),
        "min/max 2004-07..2009-12:",
        f"{tc.loc['2004-07':'2009-12', t].min():.3f}/{tc.loc['2004-07':'2009-12', t].max():.3f}",
        "2005-12 baseline/no_programme:",
        at(tc, t, "2005-12"),
        at(tn, t, "2005-12"),
    )
    print(
        "   croatia trust 1998-06/2008-01, peak:",
        at(cr, t, "1998-06"),
        at(cr, t, "2008-01"),
        f"{cr[t].max():.3f} in {cr[t].idxmax()}",
        "2010-12:",
        at(cr, t, "2010-12"),
    )
    print(
        "   map trust 2005-01/2012-06/2008-12/2009-01:",
        *(at(mp, t, d) for d in ("2005-01", "2012-06", "2008-12", "2009-01")),
        f"no_mediator range {mn[t].loc['2000-01':].min():.3f}-{mn[t].loc['2000-01':].max():.3f}",
    )
    h = "horizontal_integration"
    for name, f in (("two_cities", tc), ("croatia", cr), ("seoul", se), ("map", mp)):
        print(f"3. {name}: max |h - trust| {(f[h] - f[t]).abs().max():.4f}")
    print(
        "   croatia 2005-12 trust/h:",
        at(cr, t, "2005-12"),
        at(cr, h, "2005-12"),
        "map 2012-06 trust/h:",
        at(mp, t, "2012-06"),
        at(mp, h, "2012-06"),
    )
    p = "peace_recipients"
    print(
        "5. two_cities peace 2005-12 baseline/no_programme:",
        at(tc, p, "2005-12"),
        at(tn, p, "2005-12"),
        "capacity:",
        at(tc, "capacity_recipients", "2005-12"),
        at(tn, "capacity_recipients", "2005-12"),
    )
    print(
        "   croatia peace 2010-12 baseline/no_ikv:",
        at(cr, p, "2010-12"),
        at(cn, p, "2010-12"),
        "seoul 2035-12 baseline/humanitarian_only:",
        at(se, p, "2035-12"),
        at(sh, p, "2035-12"),
    )
    n = "negative_peace_recipients"
    print(
        "6. map negative peace 2000-08/2000-12:",
        at(mp, n, "2000-08"),
        at(mp, n, "2000-12"),
        f"low 2000-2007 {mp.loc['2000-01':'2007-12', n].min():.3f}",
        f"in {mp.loc['2000-01':'2007-12', n].idxmin()}",
        "2008-11/2009-01/2009-09:",
        *(at(mp, n, d) for d in ("2008-11", "2009-01", "2009-09")),
        "2014-06/2014-08/2015-01:",
        *(at(mp, n, d) for d in ("2014-06", "2014-08", "2015-01")),
    )
    print(
        "   map capacity 2000-01/2002-12:",
        at(mp, "capacity_recipients", "2000-01"),
        at(mp, "capacity_recipients", "2002-12"),
        "needs:",
        at(mp, "needs_recipients", "2000-01"),
        at(mp, "needs_recipients", "2002-12"),
    )
    print(
        "9. seoul peace 1990-01/2035-12:",
        at(se, p, "1990-01"),
        at(se, p, "2035-12"),
        "capacity 1990-01/1998-12/2035-12:",
        *(at(se, "capacity_recipients", d) for d in ("1990-01", "1998-12", "2035-12")),
    )
    print(
        "   vertical integration (constant?):",
        {
            k: sorted(set(f["vertical_integration"].round(3)))[:3]
            for k, f in (("two_cities", tc), ("croatia", cr), ("seoul", se), ("map", mp))
        },
    )
    print(
        "   displacement map fled share 2008-11/2009-03:",
        *(
            f"{100 * mp.loc[d, 'fled'] / mp.loc[d, 'population']:.2f}%"
            for d in ("2008-11", "2009-03")
        ),
    )


if __name__ == "__main__":
    main()
