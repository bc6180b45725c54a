"""The series a pattern may read: the columns a scenario's runs record, and the scoped forms.

A pattern's ``series`` is a recorded column of its scenario (:func:`standing_series`, the
Recorder's columns in order) or a scoped form of ``sim.engine.scoped_series`` (trust on a tie
or pair, a programme's or a tie type's measure). :func:`series_problem` says what is allowed
when a name is neither; ``sim.experiments.pattern_schema`` and ``citypeace validate`` use it.
"""

from __future__ import annotations

import difflib
from typing import Any

import numpy as np


def standing_series(sc: Any) -> list[str]:
    """The columns every run of ``sc`` records (``sim.engine.observe.Recorder``), in order."""
    from sim.engine.observe import COMMUNITY_SERIES, DYNAMICS_SERIES, WATCH_METRICS, WEIGHTED
    from sim.scenario.loader import PILLARS

    names = ["step", "date", *WEIGHTED, "D_mean", "S_mean", "C_mean", "displaced"]
    names += list(DYNAMICS_SERIES)
    names += ["cross_divide_trust", "cross_divide_ties", "delegates_trust"]
    names += ["horizontal_integration"]
    names += ["vertical_integration", "vertical_integration_recipients"]
    names += [f"projects_{s}_development" for s in ("active", "started", "completed")]
    names += ["projects_interrupted_development"]
    for pillar in PILLARS:
        names += [f"flows_{pillar}", f"funds_{pillar}_direct", f"funds_{pillar}_io"]
    names += ["funds_total", "io_share", "offers_accepted", "offers_declined"]
    names += [f"gate_open_{pillar}" for pillar in PILLARS]
    names += ["programmes_funded", *(f"funded@{p}" for p in _every_programme(sc))]
    for a in sc.alliances:
        names += [f"alliance_{a['id']}", f"alliance_{a['id']}_progress"]
    if len(sc.countries) > 1:
        names += ["hostility_max", "sanctioned_countries"]
    if len(sc.countries) <= 12:
        c = sc.countries
        for i in range(len(c)):
            for j in range(i + 1, len(c)):
                names += [f"permission_{c[i]}_{c[j]}", f"hostility_{c[i]}_{c[j]}"]
    # The actor table as numpy columns: a pandas frame or a mapping of arrays (a stored or
    # pandas-free scenario, sim.scenario.table_rows) reads the same.
    actors = sc.actors
    city = np.asarray(actors["type"], dtype=object) == "municipality"
    community = np.asarray(actors["community"], dtype=object)[city]
    present = [c is not None and c == c for c in community]  # neither None nor NaN
    people = np.asarray(actors["population"], dtype=np.float64)[city] > 0
    populated = {c for c, p, n in zip(community, present, people, strict=True) if p and n}
    kept = [c for c in sc.communities if c in populated]
    if any(present) and len(sc.communities) <= 64:
        names += [f"{name}_{k}" for name in COMMUNITY_SERIES for k in kept]
    city_ids = set(np.asarray(actors["id"], dtype=object)[city].tolist())
    watched = [w for w in sc.watch if w in city_ids]
    names += [f"{metric}@{w}" for w in watched for metric in WATCH_METRICS]
    return names


def _every_programme(sc: Any) -> list[str]:
    """The programmes of every policy of ``sc``'s scenario, as the wide series has them
    (``sim.engine.outputs.every_programme``). The baseline, which the loader checks patterns
    against while loading, adds its policies' programmes from policies.yaml: loading the
    scenario again from here would recurse."""
    own = [p["id"] for p in sc.programmes]
    folder = getattr(sc, "folder", None)
    if folder is None:
        return own
    if sc.policy != "baseline":
        from sim.engine.outputs import every_programme

        return every_programme(sc, own)
    from sim.scenario.policies import read_policies

    added = [p.id for policy in read_policies(folder).values() for p in policy.add_programmes]
    return list(dict.fromkeys([*own, *added]))


def series_problem(name: str, sc: Any, standing: list[str] | None = None) -> str | None:
    """None when ``name`` is a series of ``sc``; otherwise what is allowed (for the error)."""
    from sim.engine import scoped_series as scoped
    from sim.scenario.loader import TIE_TYPES

    standing = standing_series(sc) if standing is None else standing
    if name in standing:
        return None
    spec = scoped.parse(name)
    if spec is None:
        near = difflib.get_close_matches(name, standing, n=1)
        hint = f"did you mean {near[0]!r}? " if near else ""
        return (
            f"{hint}a series of this scenario: a recorded column (e.g. {standing[2]}, "
            "funds_total, funded@<programme>), <metric>@<watched city>, trust@<a>-><b>, "
            "trust@<a><-><b>, <measure>@programme:<id> or <measure>@tie_type:<type> "
            "(docs/scenario-format.md)"
        )
    if spec.scope in ("tie", "pair"):
        ids = set(sc.actors["id"])
        for actor in spec.target:
            if actor not in ids:
                near = difflib.get_close_matches(actor, sorted(ids), n=1)
                hint = f" (did you mean {near[0]!r}?)" if near else ""
                return f"trust on a tie between known actors: {actor!r} is no actor{hint}"
        a, b = spec.target
        src, dst = sc.ties["src"], sc.ties["dst"]
        one_way = bool(((src == a) & (dst == b)).any())
        other_way = bool(((src == b) & (dst == a)).any())
        if spec.scope == "tie" and not one_way:
            return f"a tie that exists: there is no tie from {a!r} to {b!r}"
        if spec.scope == "pair" and not (one_way or other_way):
            return f"a pair with a tie: {a!r} and {b!r} have none"
        return None
    if spec.scope == "programme":
        ids = [p["id"] for p in sc.programmes]
        if spec.target[0] not in ids:
            return f"<measure>@programme:<id> with a programme of this scenario: one of {ids}"
        measures = scoped.PROGRAMME_MEASURES
    else:
        if spec.target[0] not in TIE_TYPES:
            return f"<measure>@tie_type:<type> with a tie type: one of {list(TIE_TYPES)}"
        measures = scoped.TIE_TYPE_MEASURES
    if spec.measure not in measures:
        return f"a measure of this scope before '@': one of {list(measures)}"
    return None
