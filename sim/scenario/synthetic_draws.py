"""The random draws of a synthetic world (``sim.scenario.synthetic``), in one fixed order.

The draws are plain numpy arrays and small lists; :mod:`sim.scenario.synthetic` makes them
into tables, as pandas frames (:func:`~sim.scenario.synthetic.generate`) or as mappings of
numpy columns (:func:`~sim.scenario.synthetic.generate_columns`): the same world either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.scenario.vocabulary import ACTOR_ZERO_STATE

# ``spec`` below is a ``sim.scenario.synthetic.SyntheticSpec``; it is typed ``Any`` because
# that module imports this one (no import circle, even for type checking).
SyntheticSpec = Any


@dataclass
class Draws:
    """The draws of one synthetic world, before they become tables."""

    city_cols: dict[str, object]
    others: list[dict]
    tie_parts: list[tuple]
    countries: list[str]
    communities: list[str]
    divides: list[tuple[str, str]]
    hostility: list[tuple[str, str, float]]
    events: list[dict]


def draw(spec: SyntheticSpec, seed: int) -> Draws:
    """Every random draw of a world, in one fixed order (``spec`` checked already)."""
    rng = np.random.default_rng([seed, 0x5EED])
    n, k, m = spec.n_cities, spec.n_countries, spec.communities_per_country
    countries = [f"K{i:03d}" for i in range(k)]
    communities = [f"K{i:03d}_g{j}" for i in range(k) for j in range(m)]

    # Countries differ in fragility; cities inherit it with noise.
    fragility = rng.beta(2, 4, size=k)
    country = rng.integers(0, k, size=n)
    country[:k] = np.arange(k)  # every country has at least one city
    comm = country * m + rng.integers(0, m, size=n)
    pop = np.round(np.exp(rng.normal(10.5, 1.0, size=n))).clip(1000)
    frag = fragility[country]

    def jitter(centre: np.ndarray, spread: float) -> np.ndarray:
        return np.clip(centre + rng.normal(0, spread, size=n), 0, 1)

    centre_lat, centre_lon = rng.uniform(-50, 60, size=k), rng.uniform(-150, 150, size=k)
    city_cols = {
        "id": _names("city_", np.arange(n)),
        "type": "municipality",
        "country": np.array(countries, dtype=object)[country],
        "community": np.array(communities, dtype=object)[comm],
        "level": "middle",
        "population": pop,
        "displaced": pop * frag * rng.uniform(0, 0.1, size=n),
        "direct_violence": jitter(0.3 * frag, 0.05),
        "structural_violence": jitter(0.6 * frag + 0.1, 0.1),
        "cultural_violence": jitter(0.5 * frag + 0.1, 0.1),
        "needs": jitter(0.6 * frag + 0.1, 0.1),
        "capacity": jitter(0.7 - 0.5 * frag, 0.1),
        "cohesion": jitter(0.7 - 0.4 * frag, 0.1),
        "participation": jitter(np.full(n, 0.5), 0.15),
        "will": jitter(np.full(n, 0.5), 0.15),
        "diversity": jitter(np.full(n, 0.2), 0.15),
        "resources": np.exp(rng.normal(0, 1, size=n)) * (pop / 1e5) * (1 - frag),
        "mandate_humanitarian": 0.2,
        "mandate_development": 0.5,
        "mandate_peace": 0.3,
        "neutrality": 0.3,
        "conflict_sensitivity": jitter(np.full(n, 0.5), 0.2),
        "risk_tolerance": 1.0,
        "sanction_exempt": False,
        "expertise": 0.5,
        "kind": None,
        "lat": np.clip(centre_lat[country] + rng.normal(0, 4, size=n), -89, 89),
        "lon": centre_lon[country] + rng.normal(0, 6, size=n),
        "represents": 1,
    }

    others = []
    for cid in countries:
        others.append(
            _other(
                f"gov_{cid}", "national_government", cid, "top", resources=0.0, risk_tolerance=1.0
            )
        )
    for j in range(spec.n_networks):
        others.append(
            _other(
                f"net_{j}",
                "international_organisation",
                countries[j % k],
                "middle",
                kind="city_network",
                neutrality=0.7,
            )
        )
    for j in range(spec.n_ios):
        others.append(
            _other(
                f"io_{j}",
                "international_organisation",
                countries[j % k],
                "top",
                kind="un_agency",
                neutrality=0.85,
                sanction_exempt=True,
                resources=float(spec.io_reach) * 2.0,
                mandate=(0.5, 0.3, 0.2),
            )
        )
    for j in range(spec.n_ngos):
        others.append(
            _other(
                f"ngo_{j}",
                "ngo",
                countries[j % k],
                "grassroots",
                neutrality=0.6,
                resources=float(spec.ngo_reach) * 1.0,
                mandate=(0.3, 0.3, 0.4),
                conflict_sensitivity=0.7,
            )
        )

    tie_parts = _tie_parts(spec, rng, n, country, city_cols["resources"])

    divides = [(communities[i * m], communities[i * m + 1]) for i in range(k) if m > 1]
    pairs = (
        rng.choice(k * (k - 1) // 2, size=min(spec.hostile_pairs, k * (k - 1) // 2), replace=False)
        if k > 1
        else np.array([], dtype=int)
    )
    iu = np.triu_indices(k, 1)
    hostility, events = [], []
    for p in pairs:
        a, b = countries[iu[0][p]], countries[iu[1][p]]
        divides.append((f"{a}_g0", f"{b}_g0"))
        hostility.append((a, b, float(rng.uniform(0.4, 0.8))))
    for w in range(spec.violence_waves):
        start = int(rng.integers(0, spec.horizon))
        events.append(
            {
                "type": "violence",
                "id": f"wave_{w}",
                "step": start,
                "end_step": min(spec.horizon - 1, start + int(rng.integers(3, 24))),
                "date": None,
                "pressure": float(rng.uniform(0.5, 2.5)),
                "targets": {"country": countries[int(rng.integers(0, k))]},
                "assumption": "synthetic violence wave",
            }
        )
    return Draws(city_cols, others, tie_parts, countries, communities, divides, hostility,
                  events)  # fmt: skip


def _other(
    aid: str,
    actor_type: str,
    country: str,
    level: str,
    *,
    resources: float = 0.0,
    neutrality: float = 0.3,
    risk_tolerance: float = 1.0,
    sanction_exempt: bool = False,
    kind: str | None = None,
    mandate: tuple = (1 / 3, 1 / 3, 1 / 3),
    conflict_sensitivity: float = 0.7,
) -> dict:
    return {
        "id": aid,
        "name": aid,
        "type": actor_type,
        "country": country,
        "community": None,
        "level": level,
        **ACTOR_ZERO_STATE,
        "resources": resources,
        "mandate_humanitarian": mandate[0],
        "mandate_development": mandate[1],
        "mandate_peace": mandate[2],
        "neutrality": neutrality,
        "conflict_sensitivity": conflict_sensitivity,
        "risk_tolerance": risk_tolerance,
        "sanction_exempt": sanction_exempt,
        "expertise": 0.5,
        "kind": kind,
        "lat": np.nan,
        "lon": np.nan,
        "represents": 1,
    }


def _names(prefix: str, values: np.ndarray) -> np.ndarray:
    """Vectorised string ids such as 'city_17' as an object array."""
    return np.strings.add(prefix, np.asarray(values).astype(str)).astype(object)


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique`` of an integer array by one sort (several times faster at a million ties)."""
    values = np.sort(values)
    keep = np.ones(values.size, dtype=bool)
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def _tie_parts(
    spec: SyntheticSpec,
    rng: np.random.Generator,
    n: int,
    country: np.ndarray,
    resources: np.ndarray,
) -> list[tuple]:
    """The ties, by kind: (source rows, destination rows, kind, trust, human security). Rows
    are the actor table's (cities, then governments, networks, IOs and NGOs), so a million
    ties need no million strings until a table is made of them."""
    k, n_net, n_io = spec.n_countries, spec.n_networks, spec.n_ios
    gov0, net0, io0 = n, n + k, n + k + n_net
    ngo0 = io0 + n_io
    # Chung-Lu twinning: endpoints drawn in proportion to Pareto weights.
    weight = rng.pareto(spec.degree_exponent - 1, size=n) + 1
    prob = weight / weight.sum()
    n_pairs = int(round(n * spec.mean_degree / 2))
    a = rng.choice(n, size=n_pairs, p=prob)
    b = rng.choice(n, size=n_pairs, p=prob)
    keep = a != b
    lo, hi = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
    key = _sorted_unique(lo.astype(np.int64) * n + hi)
    lo, hi = key // n, key % n
    # The better-resourced partner is the provider side of the twinning.
    src = np.where(resources[lo] >= resources[hi], lo, hi)
    dst = np.where(resources[lo] >= resources[hi], hi, lo)
    parts = [(src, dst, "twinning", rng.uniform(0.2, 0.6, size=src.size), False)]
    if spec.n_networks:
        members = np.flatnonzero(rng.random(n) < spec.network_share)
        net = rng.integers(0, spec.n_networks, size=members.size)
        parts.append((members, net0 + net, "membership", 0.5, False))
    for first, count, reach, hs in (
        (ngo0, spec.n_ngos, spec.ngo_reach, False),
        (io0, spec.n_ios, spec.io_reach, True),
    ):
        if count == 0:
            continue
        reach = min(reach, n)
        prov = np.repeat(np.arange(count), reach)
        target = np.concatenate([rng.choice(n, size=reach, replace=False) for _ in range(count)])
        parts.append((first + prov, target, "partnership", 0.4, hs))
    parts.append((np.arange(n), gov0 + country, "governance", 0.5, False))
    return parts


def tie_columns(
    parts: list[tuple],
) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray, np.ndarray, np.ndarray]:
    """The tie table's columns: source and destination rows, the kinds and each tie's kind
    code, trust and the human-security flag."""
    sizes = [len(p[0]) for p in parts]
    kinds = list(dict.fromkeys(p[2] for p in parts))
    kind_codes = np.repeat([kinds.index(p[2]) for p in parts], sizes)
    return (
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        kinds,
        kind_codes,
        np.concatenate([np.broadcast_to(p[3], (len(p[0]),)) for p in parts]),
        np.repeat(np.array([p[4] for p in parts]), sizes),
    )
