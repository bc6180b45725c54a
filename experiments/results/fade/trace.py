"""Trace the pair world's hostility month by month on seed 1, without noise (branch fade).

Run from the worktree root: ``PYTHONPATH=$PWD:tests python experiments/results/fade/trace.py``.
For each run (calm, and a year of war on east in 2001) it prints, per month, east's and west's
D, their usual levels U, the excess E = max(D - U, 0), capacity, S, C, needs and cohesion,
the twinning's trust, and the pair's base B, violence part V and hostility H. It writes
trace_calm.csv and trace_war.csv next to itself.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "tests"))
from pair_world import pair_world, siege  # noqa: E402

from sim import PeaceModel  # noqa: E402

QUIET = {"galtung": {"noise": 0.0}}
WAR = ("2001-01", "2001-12")
HERE = Path(__file__).resolve().parent


def trace(violence: list | None) -> pd.DataFrame:
    model = PeaceModel(pair_world(violence=violence), seed=1, params=QUIET)
    names = list(model.world.actor_frame["id"])
    east, west = names.index("east"), names.index("west")
    rows = []
    while model.running:
        model.step()
        c = model.batch.state.cities
        k = model.batch.state.countries
        h = k.hostility[0]
        v = k.violence_part[0]
        i, j = divmod(int(h.argmax()), h.shape[1])
        row = {
            "date": model.date_of(model.t - 1), "H": h[i, j], "V": v[i, j],
            "B": h[i, j] - v[i, j], "trust": model.batch.state.ties.trust[0, 0],  # the twinning
        }  # fmt: skip
        for name, n in (("e", east), ("w", west)):
            row |= {
                f"D_{name}": c.D[0, n], f"U_{name}": c.usual_D[0, n],
                f"E_{name}": max(c.D[0, n] - c.usual_D[0, n], 0.0),
                f"K_{name}": c.capacity[0, n], f"S_{name}": c.S[0, n], f"C_{name}": c.C[0, n],
                f"needs_{name}": c.needs[0, n], f"coh_{name}": c.cohesion[0, n],
            }  # fmt: skip
        rows.append(row)
    return pd.DataFrame(rows)


if __name__ == "__main__":
    pd.set_option("display.width", 250)
    pd.set_option("display.max_columns", 40)
    frames = {}
    for label, violence in (("calm", None), ("war", siege(*WAR, pressure=3.0))):
        frame = trace(violence)
        frame.to_csv(HERE / f"trace_{label}.csv", index=False, float_format="%.8g")
        frames[label] = frame
    calm, war = frames["calm"], frames["war"]
    both = pd.DataFrame(
        {"date": calm.date, "H_calm": calm.H, "V_calm": calm.V, "E_e_calm": calm.E_e,
         "E_w_calm": calm.E_w, "H_war": war.H, "V_war": war.V, "E_e_war": war.E_e,
         "E_w_war": war.E_w, "part": war.H - calm.H}
    )  # fmt: skip
    print(both.iloc[::3].to_string(float_format=lambda x: f"{x:.6f}"))
