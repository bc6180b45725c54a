"""A new seed's plan from a stored one: the seed's digits put where the seed stands.

A run's plan (:class:`~sim.cli.plan.Plan`) depends on a plain ``seed=N`` override only
through N's digits when the config's own values interpolate nothing but plain references:
the config's ``seed``, the command's overrides (``overrides.yaml``, Hydra's
``overrides.task`` and ``job.override_dirname``, whose sorted order puts the one ``seed=``
line in the same place whatever its value), and the texts resolved from them
(``config.yaml``, the config hash's text, a run folder named after ``${seed}``). So such a
command is composed once with the seed :data:`MARK` in its place: the plan *template*,
stored in the plan cache (``sim.cli.run_cache``) under the key of the overrides with MARK
for the seed. Each seed's plan is the template with MARK's digits replaced by the seed's
(:func:`with_seed`): no Hydra, no composing, no validation but the seed's own range; Hydra's
plan for that seed, field by field (tests/test_run_cache.py).

A template is refused (the command composes its own seed, as before) when a config value
interpolates with a resolver (``${oc.env:...}``, ``${hydra:...}``: a resolver may compute
from the seed other than by its digits), when MARK's digits stand next to other digits, or
when the config hash's text does not give the plan's config hash.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any

from sim.cli.plan import Plan

# A seed no one types by chance (in [0, 2^63)), whose 19 digits mark the seed in a template.
MARK = 7290315846102957381
_DIGITS = str(MARK)
_SEED = re.compile(r"seed=(0|[1-9][0-9]{0,18})")  # a plain seed: digits as Hydra reads them
_KEY = re.compile(r"[+~]*([^=@]*)")
_PLAIN_REFERENCE = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\}")
_MAX_SEED = 2**63


def marked(overrides: Sequence[str]) -> tuple[list[str], int] | None:
    """The overrides with :data:`MARK` for the seed, and the seed; None unless exactly one
    override sets the seed, as ``seed=`` and a whole number in [0, 2^63) written plainly."""
    at = [i for i, o in enumerate(overrides) if _KEY.match(o).group(1).strip() == "seed"]
    if len(at) != 1:
        return None
    found = _SEED.fullmatch(overrides[at[0]])
    if found is None or int(found.group(1)) >= _MAX_SEED:
        return None
    out = list(overrides)
    out[at[0]] = f"seed={MARK}"
    return out, int(found.group(1))


def hash_text(cfg: Any) -> str:
    """The text ``sim.experiments.runner.config_hash`` hashes: the resolved config without
    Hydra's node, as sorted JSON (``cfg``: a DictConfig, or plain data without
    interpolations as ``sim.cli.plain`` composes it)."""
    if isinstance(cfg, dict):
        data = dict(cfg)
    else:
        from omegaconf import OmegaConf

        data = OmegaConf.to_container(cfg, resolve=True)
    if isinstance(data, dict):
        data.pop("hydra", None)
    return json.dumps(data, sort_keys=True, default=str)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def template(plan: Plan, cfg: Any) -> Plan | None:
    """``plan`` (composed with the seed :data:`MARK`, from ``cfg``) as a template, its config
    hash's text kept; None when it is refused (see the module docstring)."""
    if not (plan.seed == plan.config.get("seed") == plan.model.get("seed") == MARK):
        return None
    for text in _strings(plan.config):  # only plain references: resolved as text
        if "${" in _PLAIN_REFERENCE.sub("", text):
            return None
    text = hash_text(cfg)
    if _digest(text) != plan.config_hash:
        return None
    kept = Plan.from_json({**plan.to_json(), "hash_text": text})
    if re.search(rf"\d{_DIGITS}|{_DIGITS}\d", json.dumps(kept.to_json())):
        return None
    return kept


def _put(value: Any, seed: int) -> Any:
    if isinstance(value, str):
        return value.replace(_DIGITS, str(seed))
    if type(value) is int and value == MARK:
        return seed
    if isinstance(value, dict):
        return {k: _put(v, seed) for k, v in value.items()}
    if isinstance(value, list):
        return [_put(v, seed) for v in value]
    return value


def with_seed(kept: Plan, seed: int) -> Plan:
    """The plan of ``kept``'s command with ``seed`` for :data:`MARK` (a whole number in
    [0, 2^63): :func:`marked` reads only those)."""
    from sim.scenario.arguments import check_seed

    check_seed(seed)
    data = _put(kept.to_json(), seed)
    data["config_hash"] = _digest(data["hash_text"])
    data["hash_text"] = None  # a plan of its own seed, not a template
    return Plan.from_json(data)
