"""An Agg canvas that draws a plain line of text as one bitmap (the dashboard's canvas).

Matplotlib 3.11 draws text glyph by glyph in Python (a transform matrix, a FreeType render
and a blit for each character), which made text about three quarters of the dashboard's
drawing time: ~1,200 characters in titles, legends, tick labels and the event list. Before
3.11 Agg drew a line as one bitmap that FreeType lays out and renders in C
(``FT2Font.set_text``, ``draw_glyphs_to_bitmap``), the same glyphs with the same hinting,
placed to the whole pixel rather than to the glyph. :class:`Canvas` draws that way a text
that is printable ASCII (every glyph in the one font, nothing for shaping or font fallback to
do), unrotated, neither mathtext nor TeX and without OpenType features or a language; any
other text, and any Matplotlib whose FreeType wrapper lacks these calls, is drawn by
Matplotlib's own ``draw_text``. tests/test_outputs.py checks that each text's ink lands
within a pixel of Matplotlib's own.

FreeType's layout of a line (``FT2Font.set_text``, about 35 us a character in 3.11) is the
costly step, and Matplotlib lays each line out twice: to measure it, then to draw it. A line
laid out once is kept (:data:`_LINES`, by font, size, dpi, hinting and text): its
measure and its bitmap, so the second layout is a look-up. :func:`lay_out` lays out ahead
the lines a picture is known to have (the painter does it while the model runs); the bitmaps
are the ones FreeType would draw, so the picture is the same, pixel for pixel.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.font_manager import FontProperties, fontManager, get_font
from matplotlib.ft2font import FT2Font

# Only where Matplotlib draws glyph by glyph (3.11 on; before, Agg drew the one bitmap
# itself) and its FreeType wrapper still lays out and renders a whole line.
_ONE_BITMAP = (
    hasattr(RendererAgg, "_draw_text_glyphs_and_boxes")
    and all(
        hasattr(FT2Font, name)
        for name in (
            "set_text",
            "draw_glyphs_to_bitmap",
            "get_image",
            "get_bitmap_offset",
            "get_descent",
        )  # fmt: skip
    )
    and hasattr(RendererAgg, "_prepare_font")
)


def _plain(text: str) -> bool:
    return text.isascii() and text.isprintable()


# A line laid out once: its width, height and descent (pixels), its bitmap and the bitmap's
# offset (FreeType's 26.6 units), by (font, size in points, dpi, hinting flags, text). The
# font is Matplotlib's FT2Font object (``get_font`` keeps one per file, hinting and kerning
# factor and thread), so a change of those rcParams is a new key.
# Bounded: a long-lived process (the app) drawing many figures starts it afresh.
_LINES: dict[tuple[Any, ...], tuple[float, float, float, np.ndarray, tuple[int, int]]] = {}
MAX_LINES = 5000


def _line(renderer: RendererAgg, prop: Any, s: str) -> tuple[Any, ...]:
    """``s`` laid out in ``prop``'s font at ``renderer``'s dpi: from :data:`_LINES` (the font
    found, not prepared: clearing it and setting its size are for a layout), or laid out
    now, as Matplotlib would (one ``set_text``), and kept."""
    flags = get_hinting_flag()
    size = prop.get_size_in_points()
    key = (get_font(fontManager._find_fonts_by_props(prop)), size, renderer.dpi, flags, s)
    line = _LINES.get(key)
    if line is None:
        font = renderer._prepare_font(prop)
        font.set_text(s, 0.0, flags=flags)
        width, height = font.get_width_height()
        descent = font.get_descent()
        font.draw_glyphs_to_bitmap(antialiased=True)
        image = np.array(font.get_image(), copy=True)  # the font's buffer is reused
        line = (width / 64, height / 64, descent / 64, image, font.get_bitmap_offset())
        if len(_LINES) >= MAX_LINES:
            _LINES.clear()
        _LINES[key] = line
    return line


def lay_out(texts: Iterable[tuple[str, float]], dpi: float, stop: Any = None) -> int:
    """Lay out ahead ``(text, size in points)`` lines in the default font at ``dpi`` (plain
    text only), so that a picture that has them measures and draws them without FreeType's
    layout; ``stop()`` true ends it early (the payload has come). Returns how many were
    laid out."""
    if not _ONE_BITMAP:
        return 0
    renderer = Renderer(1, 1, dpi)
    done = 0
    for text, size in texts:
        if stop is not None and stop():
            break
        if _plain(text):
            _line(renderer, FontProperties(size=size), text)
            done += 1
    return done


# A font's line metrics at a size and dpi: (ascent, descent, line gap) in pixels.
_HEIGHTS: dict[tuple[Any, ...], tuple[float, float, float] | None] = {}


def _font_heights(font: FT2Font, size: float, dpi: float) -> tuple[float, float, float] | None:
    """What ``matplotlib.text.Text._get_layout`` reads from a font's OS/2 or hhea table for
    every text it lays out (two tables read into dicts each time, about a third of a
    millisecond), computed the same way and kept; None where neither table is there."""
    key = (font, size, dpi)
    if key not in _HEIGHTS:
        heights = None
        possible = [("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                    ("hhea", "lineGap", "ascent", "descent")]  # fmt: skip
        for table_name, gap_key, ascent_key, descent_key in possible:
            table = font.get_sfnt_table(table_name)
            if table is None:
                continue
            scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * size * dpi / 72
            heights = (table[ascent_key] * scale, -table[descent_key] * scale,
                       table[gap_key] * scale)  # fmt: skip
            break
        _HEIGHTS[key] = heights
    return _HEIGHTS[key]


class Renderer(RendererAgg):
    """Agg's renderer, with a plain line of text measured and drawn as one bitmap, each line
    laid out once (:data:`_LINES`), and each font's line metrics read once."""

    def _get_font_height_metrics(self, prop: Any) -> tuple[Any, Any, Any]:
        # Matplotlib 3.11's Text._get_layout asks a renderer that has this method first.
        font = get_font(fontManager._find_fonts_by_props(prop))
        heights = _font_heights(font, prop.get_size_in_points(), self.dpi)
        return (None, None, None) if heights is None else heights

    def get_text_width_height_descent(self, s: str, prop: Any,
                                      ismath: Any) -> tuple[float, float, float]:  # fmt: skip
        if not _ONE_BITMAP or ismath or not _plain(s):
            return super().get_text_width_height_descent(s, prop, ismath)
        width, height, descent, _, _ = _line(self, prop, s)
        return width, height, descent

    def draw_text(self, gc: Any, x: float, y: float, s: str, prop: Any, angle: float,
                  ismath: Any = False, mtext: Any = None) -> None:  # fmt: skip
        extras = mtext is not None and (
            getattr(mtext, "get_fontfeatures", lambda: None)() is not None
            or getattr(mtext, "get_language", lambda: None)() is not None
        )
        if not _ONE_BITMAP or ismath or angle or extras or not _plain(s):
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        if gc.get_antialiased():
            *_, descent, image, offset = _line(self, prop, s)
        else:  # rare: not kept
            font = self._prepare_font(prop)
            font.set_text(s, 0, flags=get_hinting_flag())
            font.draw_glyphs_to_bitmap(antialiased=False)
            descent, image, offset = (
                font.get_descent() / 64,
                font.get_image(),
                font.get_bitmap_offset(),
            )
        dx, dy = (v / 64 for v in offset)
        # The bitmap's left side and (y downwards) bottom side, as Matplotlib 3.10 put them.
        self._renderer.draw_text_image(image, round(x + dx),
                                       round(y + dy + descent) + 1, 0, gc)  # fmt: skip
        return None


class Canvas(FigureCanvasAgg):
    """:class:`FigureCanvasAgg` drawing with :class:`Renderer`."""

    def get_renderer(self) -> RendererAgg:
        width, height = self.figure.bbox.size
        key = (width, height, self.figure.dpi)
        if getattr(self, "_renderer_key", None) != key:
            self.renderer = Renderer(width, height, self.figure.dpi)
            self._renderer_key = key
        return self.renderer
