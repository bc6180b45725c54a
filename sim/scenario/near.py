"""The known key a misspelt one most likely meant (no pydantic: the plain checks and the
story's checks use it too)."""

from __future__ import annotations

import difflib

# Common misnamings that difflib would not find (a synonym, not a typo).
SYNONYMS = {
    "minimum": "min",
    "maximum": "max",
    "aggregate": "agg",
    "until": "to",
    "threshold": "min_difference",
    "mechanisms": "mechanism",
    "calibrated": "calibrates",
    "sanctions": "sanctioned",
    "isolation": "isolated",
    "alliance_id": "alliance",
    "programme_id": "programme",
    "program": "programme",
    "programs": "programmes",
}


def nearest(key: object, known: list[str]) -> str | None:
    """The known key that ``key`` most likely meant (a synonym or a close spelling)."""
    text = str(key)
    if SYNONYMS.get(text) in known:
        return SYNONYMS[text]
    return next(iter(difflib.get_close_matches(text, known, n=1)), None)
