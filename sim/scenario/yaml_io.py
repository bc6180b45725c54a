"""Reading a scenario's files: safe YAML (a key given twice is an error), CSV tables, a cache.

Every problem is one :class:`~sim.errors.ScenarioError` naming the file's full path.
"""

from __future__ import annotations

import copy
import math
import threading
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError

from sim.errors import ScenarioError, brief


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader, except that a mapping may not give the same key twice (PyYAML
    keeps the last silently: a second ``horizon:`` or a policy defined twice would win)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # `<<: *base` merges; explicit keys may override merged ones
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:  # an unhashable key: SafeLoader refuses it below
                continue
            if duplicate:
                raise ConstructorError(
                    None, None, f"the key {brief(key)} is given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_StrictLoader.add_constructor("tag:yaml.org,2002:map", _StrictLoader.construct_yaml_map)


def _fast_loader() -> type | None:
    """The strict loader reading libyaml's events (C: about six times faster on a scenario's
    files) while PyYAML's own composer and constructor build the data, so a deep nesting is a
    RecursionError (or libyaml's nesting limit) rather than a crash of libyaml's recursive C
    composer; None without libyaml."""
    try:
        from yaml._yaml import CParser
    except ImportError:
        return None
    from yaml.composer import Composer
    from yaml.constructor import SafeConstructor
    from yaml.resolver import Resolver

    class _CStrictLoader(CParser, _StrictLoader):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

    for name in ("check_node", "get_node", "get_single_node", "compose_document",
                 "compose_node", "compose_scalar_node", "compose_sequence_node",
                 "compose_mapping_node"):  # fmt: skip
        setattr(_CStrictLoader, name, getattr(Composer, name))
    return _CStrictLoader


_FAST_LOADER = _fast_loader()


def safe_load(text: str) -> Any:
    """``yaml.safe_load`` that refuses duplicate keys: the same steps as ``yaml.safe_load``,
    with the SafeLoader subclass above (no other loader is ever built here). Read through
    libyaml's parser where it is installed; a document it refuses is read again by the pure
    Python loader, so that every error (its message and line) is PyYAML's own."""
    if _FAST_LOADER is not None:
        loader = _FAST_LOADER(text)
        try:
            return loader.get_single_data()
        except yaml.YAMLError:
            pass  # PyYAML's own reading below raises its own message
        finally:
            loader.dispose()
    loader = _StrictLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


# Parsed YAML documents by their text. A sweep builds the same scenario hundreds of times per
# process and pure-Python PyYAML takes ~0.1 s per tuzla build, ten times a whole model build
# otherwise. Keyed by the text itself (read anew each time, ~50 us) rather than by mtime and
# size, so an edit within one timestamp tick is still seen; the same text always parses to the
# same data. libyaml's CSafeLoader is not used: it crashes the process (no recursion limit) on
# deeply nested input, where the pure-Python composer raises RecursionError (issue 7); only
# libyaml's parser is (safe_load).
_PARSED: dict[str, Any] = {}
_PARSED_MAX = 64  # documents kept; a fuzzer or an app editing scenarios must not grow it
_PARSED_LOCK = threading.Lock()
_MISSING = object()


def parse_yaml(text: str) -> Any:
    """``safe_load(text)``, parsed once per process; every caller gets its own copy."""
    with _PARSED_LOCK:  # the app's threads share the cache
        data = _PARSED.get(text, _MISSING)
    if data is _MISSING:
        data = safe_load(text)  # an error propagates and nothing is cached
        with _PARSED_LOCK:
            if len(_PARSED) >= _PARSED_MAX:
                _PARSED.pop(next(iter(_PARSED)))
            _PARSED[text] = data
    # A deep copy: policy overlays edit the records, and no run may see another's edits.
    # deepcopy keeps YAML aliases (including recursive ones) intact.
    return copy.deepcopy(data)


def read_yaml(path: Path, required: bool = True) -> Any:
    """The YAML document in ``path`` (None if absent and not required)."""
    if not path.is_file():
        if required:
            raise ScenarioError(str(path), "file", None, "an existing YAML file")
        return None
    try:
        return parse_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "document"
        problem = getattr(exc, "problem", None) or str(exc)
        wanted = "valid YAML with each key once" if "given twice" in problem else "valid YAML"
        raise ScenarioError(str(path), where, problem, wanted) from None
    except UnicodeDecodeError:
        raise ScenarioError(str(path), "file", "binary data", "UTF-8 YAML text") from None
    except (ValueError, OverflowError, KeyError, IndexError, AttributeError, TypeError) as exc:
        # PyYAML's constructors fail like this on an impossible date (2000-02-30) or a wrong
        # explicit tag (!!bool x, !!int '', !!timestamp x); yaml.safe_load is all we call here.
        why = f"cannot build a value ({type(exc).__name__}: {exc})"
        raise ScenarioError(str(path), "document", why, "valid YAML") from None
    except RecursionError:
        raise ScenarioError(str(path), "document", "nested too deeply", "valid YAML") from None


def short(value: object) -> str:
    """A value for a message about a whole entry: at most about 80 characters."""
    text = brief(value)
    return text if len(text) < 80 else text[:77] + "..."


def as_list(data: Any, file: str, key: str) -> list[dict]:
    """A file's list of entries (None is an empty list)."""
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise ScenarioError(file, key, short(data), "a list of mappings")
    return data


def read_table(folder: Path, stem: str) -> tuple[list[dict], str]:
    """``<stem>.yaml`` or ``<stem>.csv`` as a list of records, and the file it came from."""
    yml, csv = folder / f"{stem}.yaml", folder / f"{stem}.csv"
    if yml.is_file():
        return as_list(read_yaml(yml), str(yml), stem), str(yml)
    if csv.is_file():
        import pandas as pd  # its CSV reader's type inference; a YAML table needs no pandas

        try:
            frame = pd.read_csv(csv)
        except (ValueError, OverflowError) as exc:  # ParserError, EmptyDataError, decoding
            raise ScenarioError(str(csv), "file", str(exc).splitlines()[0], "valid CSV") from None
        records = frame.to_dict(orient="records")
        for rec in records:  # CSV gives NaN for empty cells: treat as missing
            for key in [k for k, v in rec.items() if isinstance(v, float) and math.isnan(v)]:
                del rec[key]
        return records, str(csv)
    return [], str(yml)
