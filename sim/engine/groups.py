"""Fixed groups of ties, cities and countries that the dynamics of issue 15 read.

Built once per compiled world (:class:`sim.engine.world.World` keeps them as ``world.groups``):

- the cooperation ladder's ties (twinnings and partnerships between two cities) and each tie's
  reverse tie (and, per ladder tie, its reverse tie and whether it has one);
- which ties are not mediation ties (a mediation tie stands without contact only while the
  mediation lever is on);
- each city's middle-level cross-divide ties (Lederach's horizontal integration per city);
- per (country, community) group of cities, which country pairs its violence hardens: the
  groups whose community is in a divide with a community that has cities in the other country;
- for each alliance, the country pairs its dissolution touches (members across a divide);
- the headline index groups: recipient cities (any programme's, or the scenario's ``focus``
  list where it has one) and divided cities (of a community in some divide);
- the effect-stock horizon of each (programme, tie) row (crisis, design, vision).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np

from sim.scenario.vocabulary import HORIZONS, TIE_TYPES

# A sim.engine.world.World; not imported, even for type checking, because World builds its
# groups here (an import circle otherwise).
World = Any

LADDER_TYPES = [TIE_TYPES.index(t) for t in ("twinning", "partnership")]
DESIGN = HORIZONS.index("design")  # the horizon of money outside any programme


def compile_groups(world: World) -> SimpleNamespace:
    """The groups above, for ``world`` (ties, programmes and alliances already compiled)."""
    t, n = world.ties, world.n_cities
    on_ladder = np.isin(t.type, LADDER_TYPES) & (t.src < n) & (t.dst < n)
    # Horizontal integration per city: both ends of each middle-level cross-divide tie.
    horizontal = world.horizontal_ties
    ends = np.concatenate([t.src[horizontal], t.dst[horizontal]])
    rows = np.concatenate([horizontal, horizontal])
    city_end = ends < n
    horizontal_count = np.bincount(ends[city_end], minlength=n)
    horizontal_tie = np.zeros(t.src.size, dtype=bool)  # the same ties as a mask (rules.delegates)
    horizontal_tie[horizontal] = True
    programmes = world.case.programmes
    prog_horizon = np.array(
        [HORIZONS.index(q.get("horizon") or "design") for q in programmes], dtype=np.int64
    )
    row_city = np.where(t.dst[world.row_tie] < n, t.dst[world.row_tie], -1)
    row_horizon = prog_horizon[world.row_prog] if world.row_prog.size else world.row_prog
    ladder_ties = np.flatnonzero(on_ladder)
    reverse = _reverse_ties(t.src, t.dst, world.n_actors)
    return SimpleNamespace(
        on_ladder=on_ladder,
        ladder_ties=ladder_ties,
        reverse=reverse,
        # each ladder tie's reverse tie (0 where none) and whether it has one
        ladder_reverse=np.maximum(reverse[ladder_ties], 0),
        ladder_has_reverse=reverse[ladder_ties] >= 0,
        not_mediation=t.type != TIE_TYPES.index("mediation"),
        horizontal_rows=rows[city_end],
        horizontal_ends=ends[city_end],
        horizontal_count=horizontal_count,
        has_horizontal=horizontal_count > 0,
        horizontal_tie=horizontal_tie,
        row_horizon=row_horizon,
        row_city=row_city,
        # (programme, tie) rows to a city, per horizon: whose money feeds which effect stock
        rows_by_horizon=[
            np.flatnonzero((row_horizon == h) & (row_city >= 0)) for h in range(len(HORIZONS))
        ],
        prog_horizon=prog_horizon,
        **_divided_pairs(world),
        **_index_groups(world),
        alliance_pairs=[_alliance_pairs(world, spec) for spec in world.alliances],
    )


def _reverse_ties(src: np.ndarray, dst: np.ndarray, n_actors: int) -> np.ndarray:
    """For each tie a->b, the first tie b->a (-1 where none)."""
    if src.size == 0:
        return np.zeros(0, dtype=np.int64)
    key = src * n_actors + dst
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    want = dst * n_actors + src
    pos = np.minimum(np.searchsorted(ordered, want), key.size - 1)
    return np.where(ordered[pos] == want, order[pos], -1).astype(np.int64)


def _divided_pairs(world: World) -> dict[str, np.ndarray]:
    """Which (country, community) city groups count toward which country pair's violence.

    ``violence_group`` (N,) is each city's group ``country x communities + community`` (-1
    outside any). Group g counts for the ordered pair (i, j), listed as ``pair_rows`` (the row
    ``i x K + j`` of a flattened country table) and ``pair_cols`` (g), when its cities are in
    country i (or j) and its community is in a divide with a community that has cities in the
    other country. A group is one side of the pair: ``side_cities`` (G,) counts its cities and
    ``pair_sides`` (K x K,) the sides of each pair. ``has_divide`` (K, K) marks pairs with such
    groups.
    """
    k, c = world.n_countries, world.n_communities
    country, community = world.city_country, world.city_community
    member = community >= 0
    violence_group = np.where(member, country * c + np.maximum(community, 0), -1)
    present = np.zeros((c, max(k, 1)), dtype=bool)  # community c has cities in country j
    present[community[member], country[member]] = True
    pair_rows: list[int] = []
    pair_cols: list[int] = []
    for g in np.unique(violence_group[member]).tolist():
        i, ci = divmod(g, c)
        rivals = world.divide[ci]  # communities in a divide with ci
        for j in np.flatnonzero(present[rivals].any(axis=0)).tolist():
            if j != i:
                pair_rows += [i * k + j, j * k + i]
                pair_cols += [g, g]
    rows = np.array(pair_rows, dtype=np.int64)
    cols = np.array(pair_cols, dtype=np.int64)
    count = np.bincount(rows, minlength=k * k)
    cities = np.bincount(violence_group[member], minlength=k * c).astype(np.float64)
    return {
        "violence_group": violence_group,
        "n_violence_groups": k * c,
        "pair_rows": rows,
        "pair_cols": cols,
        "side_cities": cities,
        "pair_sides": count.astype(np.float64),
        "has_divide": (count > 0).reshape(k, k),
    }


def _alliance_pairs(world: World, spec: SimpleNamespace) -> np.ndarray:
    """(K, K) country pairs whose members sit across a divide, for one alliance."""
    a, k = world.actors, world.n_countries
    hit = np.zeros((k, k), dtype=bool)
    members = spec.members
    for x in members.tolist():
        for y in members.tolist():
            cx, cy = a.community[x], a.community[y]
            if cx < 0 or cy < 0 or not world.divide[cx, cy]:
                continue
            i, j = a.country[x], a.country[y]
            if i != j:
                hit[i, j] = hit[j, i] = True
    return hit


def _index_groups(world: World) -> dict[str, np.ndarray]:
    """Cities of the recipient-side and cross-divide headline indices (ODD 7.9)."""
    n = world.n_cities
    focus = getattr(world.case, "focus", None) or []
    recipients = np.zeros(n, dtype=bool)
    if focus:
        rows = np.array([world.actor_index[a] for a in focus], dtype=np.int64)
        recipients[rows[rows < n]] = True
    else:
        recipients[world.recipient_city] = True
    if not recipients.any():  # no programme reaches a city: the recipient side is every city
        recipients[:] = True
    community = world.city_community
    in_divide = world.divide.any(axis=1)
    divided = (community >= 0) & in_divide[np.maximum(community, 0)]
    return {"recipient_cities": recipients, "divided_cities": divided}
