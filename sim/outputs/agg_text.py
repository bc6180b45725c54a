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
"""

from __future__ import annotations

from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
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


class Renderer(RendererAgg):
    """Agg's renderer, with a plain line of text drawn as one bitmap."""

    def draw_text(self, gc: Any, x: float, y: float, s: str, prop: Any, angle: float,
                  ismath: Any = False, mtext: Any = None) -> None:  # fmt: skip
        extras = mtext is not None and (
            getattr(mtext, "get_fontfeatures", lambda: None)() is not None
            or getattr(mtext, "get_language", lambda: None)() is not None
        )
        if not _ONE_BITMAP or ismath or angle or extras or not _plain(s):
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        font = self._prepare_font(prop)
        font.set_text(s, 0, flags=get_hinting_flag())
        font.draw_glyphs_to_bitmap(antialiased=gc.get_antialiased())
        descent = font.get_descent() / 64
        dx, dy = (v / 64 for v in font.get_bitmap_offset())
        # The bitmap's left side and (y downwards) bottom side, as Matplotlib 3.10 put them.
        self._renderer.draw_text_image(font.get_image(), round(x + dx),
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
