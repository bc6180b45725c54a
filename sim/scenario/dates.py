"""Calendar months as integers, so a model step is plain arithmetic."""

from __future__ import annotations

import re

_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def parse_month(text: object) -> int:
    """'1995-12' (or '1995-12-14') -> months since year 0. Raises ValueError on bad input."""
    match = _DATE.match(str(text).strip())
    if not match:
        raise ValueError(f"not a YYYY-MM date: {text!r}")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"month out of 1..12: {text!r}")
    return year * 12 + month - 1


def format_month(index: int) -> str:
    """Months since year 0 -> 'YYYY-MM'."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_of(raw: object) -> int:
    """parse_month for text or a YAML date only; anything else (a number, a list) is no date."""
    import datetime

    if not isinstance(raw, str | datetime.date):
        raise ValueError(f"not a YYYY-MM date: {type(raw).__name__}")
    return parse_month(raw)
