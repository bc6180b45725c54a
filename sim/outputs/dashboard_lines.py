"""Which series the dashboard's relationships panel draws, and how (``sim.outputs.dashboard``):
the recipient side where the run records it, and one line for two series that coincide; and
the funds panel's stacked bands, as one collection."""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.outputs.dashboard_text import COMMUNITIES, DELEGATES_LABEL

SAME_LINE = 0.005  # two relationship series this close all run long are drawn as one line
DELEGATES = "delegates_trust"


def relationship_lines(ts: Any) -> list[tuple[str, str, dict[str, Any]]]:
    """The relationships panel's lines: (column, label, plot style), in drawing order.

    Vertical integration is drawn for the recipient side where the run records it, with the
    all-city mean thin and grey beside it, as the peace panel does: the all-city mean is held
    still by the provider cities' standing ties (in Tuzla twenty Dutch cities), so what the
    recipients' ties with the level above do is invisible in it (issue 15 item 9). Horizontal
    integration within :data:`SAME_LINE` of cross-divide trust over the whole run is one line
    (in three real cases each city's only middle-range ties across the divide are its
    cross-divide ties, and two lines on top of each other read as one series missing).
    Where the delegates' trust on the cross-divide ties leaves the communities' (mediated
    talks lifted it), it is drawn dashed in the cross-divide line's colour, and that line is
    named the communities'.
    """
    lines: list[tuple[str, str, dict[str, Any]]] = []
    cross, horizontal = "cross_divide_trust", "horizontal_integration"
    colours = iter(["C0", "C1", "C2"])  # the colours the panel's three series always had
    # Where mediated talks lifted the delegates' trust above their communities' (ODD 7.5,
    # "Two levels of trust"), the cross-divide line is named for the communities, so that a
    # reader does not take it for what the delegates built.
    mediated = _delegates_apart(ts)
    who = COMMUNITIES if mediated else ""
    if cross in ts and horizontal in ts and _within(ts[cross], ts[horizontal], SAME_LINE):
        colour = next(colours)
        lines.append((cross, f"{who}cross-divide trust (= horizontal integration)",
                      {"color": colour}))  # fmt: skip
        next(colours)
    else:
        colour = next(colours) if cross in ts else ""
        for col in (cross, horizontal):
            if col in ts:
                if col == cross:
                    label = f"{who}cross-divide trust" if who else "cross divide trust"
                    lines.append((col, label, {"color": colour}))
                else:
                    lines.append((col, "horizontal integration", {"color": next(colours)}))
    if mediated:
        lines.append((DELEGATES, DELEGATES_LABEL, {"color": colour, "ls": "--"}))
    colour = next(colours)
    if "vertical_integration_recipients" in ts:
        lines.append(
            ("vertical_integration_recipients", "vertical integration, recipient cities",
             {"color": colour})
        )  # fmt: skip
        if "vertical_integration" in ts:
            style = {"color": "0.6", "lw": 0.8}
            lines.append(("vertical_integration", "vertical integration, all cities", style))
    elif "vertical_integration" in ts:
        lines.append(("vertical_integration", "vertical integration", {"color": colour}))
    return lines


def _delegates_apart(ts: Any) -> bool:
    """Whether the delegates' trust leaves the communities' by more than :data:`SAME_LINE` in
    some month: only mediated ties lift it (rules.delegates), so in a case without mediation
    (Tuzla, Seoul-Pyongyang) it equals the communities' trust and is not drawn. A month
    without cross-divide ties (NaN in either) counts as equal."""
    if DELEGATES not in ts or "cross_divide_trust" not in ts:
        return False
    g = np.asarray(ts[DELEGATES], dtype=np.float64)
    t = np.asarray(ts["cross_divide_trust"], dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return g.shape == t.shape and bool(np.any(np.abs(g - t) > SAME_LINE))


def _within(a: Any, b: Any, tol: float) -> bool:
    """Whether two series differ by at most ``tol`` in every month (NaN in neither)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= tol))


def stack(ax: Any, x: np.ndarray, layers: list[tuple[np.ndarray, Any, str]]) -> list[Any]:
    """``layers`` ``(values, colour, label)`` stacked from 0 as filled bands, drawn as one
    :class:`~matplotlib.collections.PolyCollection` (``stackplot`` makes a collection per
    layer, each with its own transforms and clip path); returns the legend's handles, a patch
    per layer in its colour. The bands are ``stackplot``'s, with 0 sticky below them."""
    from matplotlib.collections import PolyCollection
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Patch

    tops = np.cumsum([values for values, _, _ in layers], axis=0)
    bottoms = np.vstack([np.zeros_like(x, dtype=float), tops[:-1]])
    bands = [np.column_stack([np.concatenate([x, x[::-1]]), np.concatenate([low, top[::-1]])])
             for low, top in zip(bottoms, tops, strict=True)]  # fmt: skip
    colours = [to_rgba(*colour) for _, colour, _ in layers]
    bands_artist = PolyCollection(bands, facecolors=colours)
    bands_artist.sticky_edges.y[:] = [0]
    ax.add_collection(bands_artist)
    return [
        Patch(facecolor=c, label=label) for c, (_, _, label) in zip(colours, layers, strict=True)
    ]
