"""MAP seed 0: trust on the alliance's inner ties (ULAI-APLA) every 12 months; arguments
override coefficients (group.name=value). Branch mediation, sensitivity only."""

import sys

from sim import PeaceModel

params = {}
for arg in sys.argv[1:]:
    k, v = arg.split("=")
    g, n = k.split(".")
    params.setdefault(g, {})[n] = float(v)
m = PeaceModel(scenario="map", seed=0, params=params)
w = m.world
spec = w.alliances[0]
names = {i: a for a, i in w.actor_index.items()}
inner = spec.inner
print("inner ties:", [(names[w.ties.src[t]], names[w.ties.dst[t]]) for t in inner])
snap = {}
for step in range(170):
    try:
        m.step()
    except Exception as e:
        print("step err", e)
        break
    tr = m.batch.state.ties.trust[0, inner]
    if step % 12 == 0:
        snap[step] = (tr.min().round(3), tr.round(2).tolist())
for k, v in snap.items():
    print(k, v[0], v[1])
