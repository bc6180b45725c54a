"""One error type for every kind of bad input, so the CLI can print one clear line."""

from __future__ import annotations


class CitypeaceError(Exception):
    """Bad input: names where (file or key), the value found and what is allowed."""

    def __init__(self, where: str, key: str, value: object, allowed: str) -> None:
        self.where, self.key, self.value, self.allowed = where, key, value, allowed
        super().__init__(f"{where}: {key} = {value!r}: {allowed}")


class ScenarioError(CitypeaceError):
    """A scenario file (or generated scenario) failed validation."""


class ConfigError(CitypeaceError):
    """A configuration value or command-line override failed validation."""
