"""Output columns may not collide: ids become parts of column names in timeseries.parquet.

An alliance ``pact_progress`` would write ``alliance_pact_progress``, which alliance ``pact``
writes too; a community ``mean`` would write ``D_mean``, a standing column; countries
``EA_WE`` and ``DN`` name the same pair column as ``EA`` and ``WE_DN``. The column scheme is
the Recorder's (``sim.engine.observe``), listed by ``pattern_series.standing_series``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sim.errors import ScenarioError


def check_columns(sc: Any, meta_file: str, alliances_file: str) -> None:
    """Refuse the id that makes two of the scenario's output columns share a name."""
    from sim.experiments.pattern_series import standing_series

    counts = Counter(standing_series(sc))
    clashes = [name for name, n in counts.items() if n > 1]
    if not clashes:
        return
    name = clashes[0]
    allowed = f"ids that give distinct output columns ({name!r} would be written twice)"
    owners = [
        i
        for i, a in enumerate(sc.alliances)
        if name in (f"alliance_{a['id']}", f"alliance_{a['id']}_progress")
    ]
    if owners:
        i = owners[-1]
        raise ScenarioError(alliances_file, f"alliances[{i}].id", sc.alliances[i]["id"], allowed)
    communities = [k for k in sc.communities if name.endswith(f"_{k}")]
    if communities:
        raise ScenarioError(meta_file, "communities", communities[-1], allowed)
    if name.startswith(("permission_", "hostility_")):
        pair_ids = [c for c in sc.countries if f"_{c}_" in f"{name}_"]
        raise ScenarioError(meta_file, "countries", pair_ids, allowed)
    raise ScenarioError(meta_file, "ids", name, allowed)
