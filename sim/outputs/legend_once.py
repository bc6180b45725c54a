"""A Matplotlib legend whose boxes are laid out once per draw (the dashboard's six legends).

A legend is a tree of offset boxes (a column of rows, each a handle and a text). Drawing it,
Matplotlib asks every box for its size again at each level of the tree (the legend's
extent, its placement, then each box as it draws its children), so each label was laid out
about six times a draw, and the six legends were a third of the dashboard's drawing. Here
each box's size and its children's offsets are computed once per renderer and kept until
the legend's next draw: they depend only on the box's contents and the renderer, neither of
which changes within one draw, so the picture is the same, pixel for pixel
(``tests/test_dashboard_content.py``).
"""

from __future__ import annotations

import weakref
from typing import Any


def laid_out_once(legend: Any) -> Any:
    """``legend`` with its offset boxes' layout kept within each draw; returns it."""
    from matplotlib.offsetbox import DrawingArea, OffsetBox, TextArea

    kept: list[dict[int, tuple[Any, Any]]] = []

    def keep(box: Any, name: str) -> None:
        real, cache = getattr(box, name), {}
        kept.append(cache)

        def once(renderer: Any) -> Any:
            hit = cache.get(id(renderer))
            if hit is None or hit[0]() is not renderer:
                hit = cache[id(renderer)] = (weakref.ref(renderer), real(renderer))
            return hit[1]

        setattr(box, name, once)  # on the instance: the class and other legends unchanged

    boxes = [legend._legend_box]
    while boxes:
        box = boxes.pop()
        if isinstance(box, (TextArea, DrawingArea)):
            keep(box, "get_bbox")  # a leaf: its text's or handle's size
        else:
            keep(box, "_get_bbox_and_child_offsets")  # a packer: its size and its children's
            boxes += [c for c in box.get_children() if isinstance(c, OffsetBox)]
    draw = legend.draw

    def draw_afresh(renderer: Any) -> Any:
        for cache in kept:  # the contents may have changed since the last draw
            cache.clear()
        return draw(renderer)

    legend.draw = draw_afresh
    return legend
