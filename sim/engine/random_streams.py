"""Common random numbers: one random stream per random process of a replicate.

A replicate draws for three processes each month: the violence noise of every city
(stage 7), the acceptance draw of every tie (stage 4) and the project draw of every tie
(stage 5b). Each has its own ``numpy.random.Generator``, spawned from the replicate's seed
(``SeedSequence(seed).spawn``), and each draws a fixed number of values every month (one per
city, or one per tie), whatever the policy does. A tie's draw is keyed by the tie itself (its
ends and type, :func:`tie_keys`), not by its position: a policy that drops a programme's ties
leaves every other tie's draws as they were. So two runs of the same seed under
different policies see the same numbers for the same city or tie and month: a paired
contrast (baseline against ``no_abc``) carries the policy's effect, not two independent noise
paths. This is the common-random-numbers practice of simulation studies (Law, *Simulation
Modeling and Analysis*, ch. 11); without it, a policy that changes how many offers are made
in month 1 shifts every later draw of one shared stream.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.engine import table_columns as columns
from sim.engine.kernels import keys as key_loops
from sim.rules import fused

PROCESSES = ("noise", "offers", "projects")


@dataclass(frozen=True)
class RandomStreams:
    """A replicate's three streams (see the module docstring).

    Attributes:
        noise: the cities' monthly shocks to D, S and C, (3, cities) standard normals a month.
        offers: the acceptance of every tie's offer, one uniform per tie a month
            (:func:`keyed_uniforms`).
        projects: every tie's project draw, one uniform per tie a month (a duration where a
            project starts, the interruption draw where one runs; :func:`uniforms_of`).
    """

    noise: np.random.Generator
    offers: np.random.Generator
    projects: np.random.Generator

    @classmethod
    def of(cls, parent: np.random.Generator) -> RandomStreams:
        """The streams spawned from ``parent`` (``np.random.default_rng(seed)`` or a Mesa
        model's ``model.rng``). Spawning advances the parent's spawn counter, not its draws:
        call it once per replicate, and the parent stays free for the user's own draws."""
        return cls(*parent.spawn(len(PROCESSES)))

    @classmethod
    def from_seed(cls, seed: int | None) -> RandomStreams:
        """The streams of seed ``seed`` (the same as ``of(np.random.default_rng(seed))``)."""
        return cls.of(np.random.default_rng(seed))


def tie_keys(ties: Any) -> np.ndarray:
    """(E,) uint64: a key per tie from its source, destination and type (and its rank among
    identical ones), the same in any policy's world. ``ties`` is a frame or a mapping of
    columns. Text is hashed with BLAKE2b, which is stable across processes and platforms,
    unlike Python's ``hash``."""
    src, dst, kind = (text_words(columns.values(ties, c, object)) for c in ("src", "dst", "type"))
    return keys_of(src, dst, kind)


def keys_of(src: np.ndarray, dst: np.ndarray, kind: np.ndarray) -> np.ndarray:
    """The keys of :func:`tie_keys` from the ties' words (:func:`text_words` of the source and
    destination ids and of the type): a world hashes its actors' ids once and gathers."""
    key = _splitmix(_splitmix(_splitmix(src) ^ dst) ^ kind)
    # the rank among identical ties, in table order (a stable sort keeps that order)
    order = np.argsort(key, kind="stable")
    run_start = np.r_[True, key[order][1:] != key[order][:-1]]
    position = np.arange(key.size)
    rank = np.empty(key.size, np.uint64)
    rank[order] = position - np.maximum.accumulate(np.where(run_start, position, 0))
    return _splitmix(key ^ rank)


def text_words(texts: np.ndarray) -> np.ndarray:
    """A 64-bit BLAKE2b word per text; each distinct text is hashed once."""
    codes: dict[object, int] = {}
    inverse = np.fromiter(
        (codes.setdefault(t, len(codes)) for t in texts.tolist()), np.int64, count=len(texts)
    )
    words = np.fromiter(
        (
            int.from_bytes(hashlib.blake2b(str(t).encode(), digest_size=8).digest(), "little")
            for t in codes
        ),
        np.uint64,
        count=len(codes),
    )
    return words[inverse]


def _splitmix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser (Steele, Lea and Flood 2014): a bijection of 64-bit words with
    full avalanche."""
    x = x ^ (x >> np.uint64(30))  # a new array; the rest in place
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


def month_keys(generators: list[np.random.Generator]) -> np.ndarray:
    """(R,) uint64: this month's key of each replicate's stream (one draw a month, always)."""
    # (the bit generator's raw word: integers(0, 2**64) draws the same, seven times slower)
    return np.array([g.bit_generator.random_raw() for g in generators], np.uint64)


def uniforms_of(keys: np.ndarray, month: np.ndarray) -> np.ndarray:
    """Uniforms in [0, 1) of (tie key, month key) pairs (broadcast): SplitMix64's finaliser
    (Steele, Lea and Flood 2014), a bijection of 64-bit words with full avalanche, of their
    exclusive or. A value depends on its pair alone, so a subset of ties costs only its size."""
    x = _splitmix(np.bitwise_xor(keys, month))
    # the top 53 bits: every double in [0, 1) a multiple of 2**-53
    return (x >> np.uint64(11)) * 2.0**-53


def keyed_uniforms(
    generators: list[np.random.Generator], keys: np.ndarray, out: np.ndarray
) -> np.ndarray:
    """``out`` (R, E): uniforms in [0, 1), one per replicate and tie key, for one month: each
    replicate's stream gives one month key (:func:`month_keys`, whatever E is) and each value
    is :func:`uniforms_of` (tie key, month key), so tie k's number depends on tie k and the
    month alone. (numpy has no vectorised keyed generator.)"""
    month = month_keys(generators)
    if fused.wanted(out.size) and out.dtype == np.float64 and out.flags.c_contiguous:
        return key_loops.uniforms(keys, month, out)  # the same words in one loop
    out[...] = uniforms_of(keys[None, :], month[:, None])
    return out
