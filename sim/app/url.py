"""Settings in the URL, so that a link reproduces a view (``?scenario=tuzla&policy=no_abc``).

Parsed values go through the same checks as every other setting (:func:`Session.build`:
the command line's ranges and the one scenario loader); a bad link is one banner line.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from sim.app.settings import LEVER_DEFAULTS, SWITCHES, Settings, same
from sim.errors import ConfigError

KEYS = ("scenario", "policy", "seed", "n", "compare", "month", "city", *LEVER_DEFAULTS)


def _bool(key: str, text: str) -> bool:
    low = text.strip().lower()
    if low in ("1", "true", "on", "yes"):
        return True
    if low in ("0", "false", "off", "no"):
        return False
    raise ConfigError("link", key, text, "true or false")


def _number(key: str, text: str, kind: type) -> float | int:
    try:
        return kind(text)
    except ValueError as exc:
        what = "a whole number" if kind is int else "a number"
        raise ConfigError("link", key, text, what) from exc


def from_query(query: str | None) -> tuple[Settings | None, dict[str, int]]:
    """(settings, view) from a query string; (None, {}) when it names no setting.

    ``view`` holds ``month`` (to run to) and ``city`` (a row to inspect) when given.
    """
    pairs = parse_qsl(query or "", keep_blank_values=True)
    if not pairs:
        return None, {}
    values = dict(pairs)
    unknown = sorted(set(values) - set(KEYS))
    if unknown:
        raise ConfigError("link", unknown[0], values[unknown[0]], f"one of {list(KEYS)}")
    changes: dict[str, object] = {}
    if "scenario" in values:
        changes["scenario"] = values["scenario"]
    if "policy" in values:
        changes["policy"] = values["policy"]
    if "seed" in values:
        changes["seed"] = _number("seed", values["seed"], int)
    if "n" in values:
        changes["n_cities"] = _number("n", values["n"], int)
    if "compare" in values:
        changes["compare"] = _bool("compare", values["compare"])
    for key in LEVER_DEFAULTS:
        if key in values:
            text = values[key]
            changes[key] = _bool(key, text) if key in SWITCHES else _number(key, text, float)
    view = {k: int(_number(k, values[k], int)) for k in ("month", "city") if k in values}
    return Settings().replace(**changes), view


def to_query(settings: Settings, month: int = 0, city: int | None = None) -> str:
    """The query string of a view: only what differs from the defaults."""
    s, default = settings, Settings()
    out: dict[str, object] = {"scenario": s.scenario}
    if s.policy != "baseline":
        out["policy"] = s.policy
    out["seed"] = s.seed
    if s.scenario == "synthetic":
        out["n"] = s.n_cities
    if s.compare:
        out["compare"] = "1"
    for key in LEVER_DEFAULTS:
        if not same(getattr(s, key), getattr(default, key)):
            v = getattr(s, key)
            out[key] = ("1" if v else "0") if key in SWITCHES else f"{v:g}"
    if month:
        out["month"] = month
    if city is not None:
        out["city"] = city
    return urlencode(out)
