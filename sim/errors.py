"""One error type for every kind of bad input, so the CLI can print one clear line."""

from __future__ import annotations

import reprlib

# Bounded repr for values in messages: a YAML alias bomb (nested lists of shared references,
# billions of leaves once expanded) or a huge input must not hang or flood the one-line error.
_BRIEF = reprlib.Repr(
    maxlevel=3, maxtuple=6, maxlist=6, maxarray=6, maxdict=6, maxset=6, maxfrozenset=6,
    maxdeque=6, maxstring=200, maxlong=60, maxother=200,
)  # fmt: skip
BRIEF_MAX = 240
QUOTE_MAX = 200  # characters of a long text quoted in a message; its length is said instead
NAME_MAX = 300  # characters of a file name or key path in a message


# Every character str.splitlines() breaks at: a message stays one line whatever the data holds.
_ONE_LINE = {c: repr(chr(c))[1:-1] for c in (10, 11, 12, 13, 28, 29, 30, 0x85, 0x2028, 0x2029)}


def brief(value: object) -> str:
    """``repr(value)``, cut short for large or deeply nested values; a long text is quoted up to
    about 200 characters, then ``...`` and its length."""
    if isinstance(value, str | bytes) and len(value) > QUOTE_MAX:
        return f"{value[: QUOTE_MAX - 20]!r}... ({len(value)} characters)"
    try:
        text = _BRIEF.repr(value)
    except ValueError:  # e.g. an int beyond Python's int-to-str digit limit
        return f"<{type(value).__name__} too large to print>"
    return text if len(text) <= BRIEF_MAX else text[: BRIEF_MAX - 3] + "..."


def _cut(text: object) -> str:
    """A file name or key path of bounded length (an unknown key may be any text)."""
    text = str(text)
    return text if len(text) <= NAME_MAX else f"{text[: NAME_MAX - 40]}... ({len(text)} characters)"


class CitypeaceError(Exception):
    """Bad input: names where (file or key), the value found and what is allowed."""

    def __init__(self, where: str, key: str, value: object, allowed: str) -> None:
        self.where, self.key, self.value, self.allowed = where, key, value, allowed
        message = f"{_cut(where)}: {_cut(key)} = {brief(value)}: {allowed}"
        super().__init__(message.translate(_ONE_LINE))


class ScenarioError(CitypeaceError):
    """A scenario file (or generated scenario) failed validation."""


class ConfigError(CitypeaceError):
    """A configuration value or command-line override failed validation."""
