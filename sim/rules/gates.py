"""Gates: which provider->recipient channels are open this month (MODEL.md 5.1).

A direct cross-border activity needs both national governments' permission: at least
``humanitarian`` for humanitarian aid and ``open`` for development and peace work
(004:4108-4112). A sanctioned country receives no development transfer (004:1155-1157).
A neutral or sanction-exempt international organisation relaxes both rules for
human-security work, one permission level and no sanctions block: the "third channel"
(004:4106-4142). Sanctions also slow direct humanitarian transfers into a sanctioned country:
human-security work is less exposed to sanctions, not exempt (004:4566), so only a share of
such money gets through, while the third channel passes in full.
"""

from __future__ import annotations

import numpy as np

CLOSED, HUMANITARIAN, OPEN = 0, 1, 2
REQUIRED = np.array([HUMANITARIAN, OPEN, OPEN])  # per pillar: humanitarian, development, peace


def open_channels(
    src_country: np.ndarray,
    dst_country: np.ndarray,
    permission: np.ndarray,
    sanctioned: np.ndarray,
    hostility: np.ndarray,
    third_channel: np.ndarray,
    is_io: np.ndarray,
    human_security: np.ndarray,
    *,
    hostility_close: float,
    io_channel: bool = True,
    direct_channel: bool = True,
) -> np.ndarray:
    """Boolean (E, 3): may tie e carry each pillar this month.

    ``permission`` is (K, K) levels from->to; ``third_channel`` marks ties whose provider is a
    neutral or sanction-exempt IO.
    """
    domestic = src_country == dst_country
    level = np.minimum(permission[src_country, dst_country], permission[dst_country, src_country])
    relaxed = third_channel & human_security
    effective = np.where(relaxed, np.minimum(level + 1, OPEN), level)
    allowed = effective[:, None] >= REQUIRED[None, :]
    # Sanctions block development transfers into a sanctioned country, unless relaxed.
    allowed[:, 1] &= ~sanctioned[dst_country] | relaxed
    # Open hostility between governments shuts direct development and peace work.
    hostile = hostility[src_country, dst_country] >= hostility_close
    allowed[:, 1:] &= ~(hostile & ~third_channel)[:, None]
    allowed |= domestic[:, None]
    if not io_channel:
        allowed &= ~is_io[:, None]
    if not direct_channel:
        allowed &= (domestic | is_io)[:, None]
    return allowed


def channel_variant(
    is_io: np.ndarray, third_channel: np.ndarray, human_security: np.ndarray
) -> np.ndarray:
    """The per-tie flags ``open_channels`` reads besides the countries, as one code in 0..7."""
    return (
        4 * np.asarray(is_io, dtype=np.int64)
        + 2 * np.asarray(third_channel, dtype=np.int64)
        + np.asarray(human_security, dtype=np.int64)
    )


def sanction_passage(
    src_country: np.ndarray,
    dst_country: np.ndarray,
    sanctioned: np.ndarray,
    third_channel: np.ndarray,
    human_security: np.ndarray,
    *,
    friction: float,
) -> np.ndarray:
    """Share of each tie's humanitarian money that gets through sanctions, in [0, 1].

    ``1 - friction`` on a cross-border tie into a sanctioned country, unless the tie is a
    third channel for human-security work (the same relaxation as for development in
    :func:`open_channels`); 1 elsewhere. Development money into a sanctioned country is
    already blocked by the gate, and peace work (talks, events) is not a transfer of goods.
    """
    hit = sanctioned[dst_country] & (src_country != dst_country)
    hit &= ~(np.asarray(third_channel, dtype=bool) & np.asarray(human_security, dtype=bool))
    return np.where(hit, 1.0 - friction, 1.0)
