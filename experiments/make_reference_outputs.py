"""Store reference outputs that optimisations must reproduce exactly (tests/test_reference.py).

Regenerate only when a rule deliberately changes, and say so in the commit:
    .venv/bin/python experiments/make_reference_outputs.py
"""

from __future__ import annotations

from pathlib import Path

from sim import PeaceModel

REFERENCE = Path(__file__).resolve().parent.parent / "tests" / "reference"
CASES = {
    "two_cities": dict(scenario="two_cities", seed=1),
    "tuzla": dict(scenario="tuzla", seed=0),
    "map": dict(scenario="map", seed=0),
    "seoul_pyongyang": dict(scenario="seoul_pyongyang", seed=0, horizon=360),
    "synthetic": dict(
        scenario="synthetic", seed=4, horizon=36, cities_every=6, synthetic={"n_cities": 800}
    ),
}


def build(name: str) -> PeaceModel:
    return PeaceModel(**CASES[name]).run()


if __name__ == "__main__":
    REFERENCE.mkdir(parents=True, exist_ok=True)
    for name in CASES:
        model = build(name)
        model.timeseries().to_parquet(REFERENCE / f"{name}.timeseries.parquet", index=False)
        model.city_frame().to_parquet(REFERENCE / f"{name}.cities.parquet", index=False)
        model.activities_frame().to_parquet(REFERENCE / f"{name}.activities.parquet", index=False)
        print("wrote", name)
