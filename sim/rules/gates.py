"""Gates: which provider->recipient channels are open this month (MODEL.md 5.1).

A direct cross-border activity needs both national governments' permission: at least
``humanitarian`` for humanitarian aid and ``open`` for development and peace work
(004:4108-4112). A sanctioned country receives no development transfer (004:1155-1157).
A neutral or sanction-exempt international organisation relaxes both rules for
human-security work, one permission level and no sanctions block: the "third channel"
(004:4106-4142). Sanctions also slow direct humanitarian transfers into a sanctioned country:
human-security work is less exposed to sanctions, not exempt (004:4566), so only a share of
such money gets through, while the third channel passes in full.

Country tables (``permission``, ``hostility``: ``(..., K, K)``; ``sanctioned``: ``(..., K)``) and
per-tie flags may carry a leading replicate axis; levers are booleans or ``(R, 1)`` arrays.
Per-pillar answers put the pillar first: ``(3, ..., E)``.
"""

from __future__ import annotations

import numpy as np

CLOSED, HUMANITARIAN, OPEN = 0, 1, 2
REQUIRED = np.array([HUMANITARIAN, OPEN, OPEN])  # per pillar: humanitarian, development, peace


def third_channel(
    is_io: np.ndarray, neutrality: np.ndarray, sanction_exempt: np.ndarray, neutrality_min: float
) -> np.ndarray:
    """Actors that are a third channel: IOs that are neutral enough or sanction-exempt."""
    return is_io & ((neutrality >= neutrality_min) | sanction_exempt)


def open_channels(
    src_country: np.ndarray,
    dst_country: np.ndarray,
    permission: np.ndarray,
    sanctioned: np.ndarray,
    hostility: np.ndarray,
    third_channel: np.ndarray,
    is_io: np.ndarray,
    human_security: np.ndarray,
    vertical: np.ndarray | None = None,
    *,
    hostility_close: float | np.ndarray,
    vertical_open: float | np.ndarray = 0.0,
    io_channel: bool | np.ndarray = True,
    direct_channel: bool | np.ndarray = True,
) -> np.ndarray:
    """Boolean (3, ..., E): may tie e carry each pillar (humanitarian, development, peace).

    ``permission`` is levels from->to; ``third_channel`` marks ties whose provider is a
    neutral or sanction-exempt IO. Direct development and peace work shut where hostility
    reaches ``hostility_close + vertical_open x min(V_src, V_dst)``: ``vertical`` (..., K) is
    each country's vertical integration (Lederach: a top level tied to its cities keeps
    channels open longer; none given: 0).
    """
    domestic = src_country == dst_country
    level = np.minimum(
        permission[..., src_country, dst_country], permission[..., dst_country, src_country]
    )
    relaxed = third_channel & human_security
    effective = np.where(relaxed, np.minimum(level + 1, OPEN), level)
    allowed = effective >= REQUIRED.reshape(3, *[1] * np.ndim(effective))
    # Sanctions block development transfers into a sanctioned country, unless relaxed.
    allowed[1] &= ~sanctioned[..., dst_country] | relaxed
    # Open hostility between governments shuts direct development and peace work.
    close = hostility_close
    if vertical is not None:
        tied = np.minimum(vertical[..., src_country], vertical[..., dst_country])
        close = hostility_close + vertical_open * tied
    hostile = hostility[..., src_country, dst_country] >= close
    allowed[1:] &= ~(hostile & ~third_channel)
    allowed |= domestic
    allowed &= io_channel | ~is_io
    allowed &= direct_channel | domestic | is_io
    return allowed


def sanction_passage(
    src_country: np.ndarray,
    dst_country: np.ndarray,
    sanctioned: np.ndarray,
    third_channel: np.ndarray,
    human_security: np.ndarray,
    *,
    friction: float | np.ndarray,
) -> np.ndarray:
    """Share of each tie's humanitarian money that gets through sanctions, in [0, 1].

    ``1 - friction`` on a cross-border tie into a sanctioned country, unless the tie is a
    third channel for human-security work (the same relaxation as for development in
    :func:`open_channels`); 1 elsewhere. Development money into a sanctioned country is
    already blocked by the gate, and peace work (talks, events) is not a transfer of goods.
    """
    hit = sanctioned[..., dst_country] & (src_country != dst_country)
    hit &= ~(np.asarray(third_channel, dtype=bool) & np.asarray(human_security, dtype=bool))
    return np.where(hit, 1.0 - friction, 1.0)
