"""One line for any bad input: ``citypeace: error: <where>: <key> = <value>: <allowed>``."""

from __future__ import annotations

import sys

from sim.errors import CitypeaceError, brief

EXIT_BAD_INPUT = 2


def fail(message: str) -> None:
    """Print one line to stderr and exit with the bad-input code."""
    print(f"citypeace: error: {message}", file=sys.stderr)
    raise SystemExit(EXIT_BAD_INPUT)


def explain(exc: BaseException) -> str:
    """One line for a Hydra/OmegaConf/citypeace error: where, key, value, what is allowed."""
    from hydra.errors import MissingConfigException, OverrideParseException
    from omegaconf.errors import ConfigKeyError, OmegaConfBaseException, ValidationError

    from sim.cli.extras import missing_launcher

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, CitypeaceError):
            return str(seen)
        if isinstance(seen, OverrideParseException):
            key, _, value = (seen.override or "").partition("=")
            why = _without(value, (seen.message or "").splitlines()[0])
            return f"command line: {key or '?'} = {brief(value)}: an override key=value ({why})"
        if isinstance(seen, MissingConfigException):
            group, _, value = (seen.missing_cfg_file or "").partition("/")
            launcher = missing_launcher(seen.missing_cfg_file or "")
            if launcher:
                return launcher
            options = ", ".join(o for o in seen.options or [] if not o.endswith("_schema"))
            return (
                (f"config: {group or 'config'} = {brief(value)}: one of [{options}]")
                if seen.missing_cfg_file
                else str(seen).splitlines()[0]
            )
        if isinstance(seen, ConfigKeyError) or "not in '" in str(seen):
            return _unknown_key(seen)
        if isinstance(seen, ValidationError):
            key = seen.full_key or "?"
            value = getattr(seen, "value", "?")
            wanted = _without(value, seen.msg.splitlines()[0])
            return f"config: {key} = {brief(value)}: {wanted}"
        if isinstance(seen, OmegaConfBaseException):
            return f"config: {getattr(seen, 'full_key', '?')}: {str(seen).splitlines()[0]}"
        seen = seen.__cause__ or seen.__context__
    first = str(exc).strip().splitlines()
    return first[0] if first else type(exc).__name__


def _without(value: object, text: str) -> str:
    """``text`` with a long ``value`` it quotes replaced by '...' (the value is quoted once)."""
    quoted = str(value)
    return text.replace(quoted, "...") if len(quoted) > 40 else text


def _unknown_key(exc: BaseException) -> str:
    """A misspelt key: name it and list the keys that exist there."""
    import dataclasses

    key = getattr(exc, "full_key", None) or "?"
    schema = getattr(exc, "object_type", None)
    known = [f.name for f in dataclasses.fields(schema)] if dataclasses.is_dataclass(schema) else []
    allowed = f"a known key: one of {known}" if known else "a known key"
    return f"config: {key} = (not a key): {allowed}"
