"""Drawing a figure fast enough to play: static parts once, dynamic artists every month.

Speed is the design constraint (>= 20 rendered months per second on tuzla): every figure is
built once per run and size, then only its data, colours and texts change, and the live frame
is a JPEG because it only travels over the loopback interface. Downloads are full PNGs.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

LIVE_FORMAT = "jpeg"


def encode_frame(rgba: np.ndarray) -> bytes:
    """Bytes of a live frame: JPEG at quality 92 without chroma subsampling.

    Encoding was the largest cost of a month on screen: PNG took 8-14 ms per figure, this takes
    about 2 ms, and at 4:4:4 and quality 92 thin coloured lines and small text stay clean.
    PIL reads the canvas buffer in place as RGBX and its JPEG encoder skips the fourth byte:
    slicing RGB out in numpy cost 5-10 ms per frame (a strided copy), converting in PIL 1 ms.
    The bytes are the same as from an RGB image.
    """
    from PIL import Image

    h, w = rgba.shape[:2]
    buf = io.BytesIO()
    image = Image.frombuffer("RGBX", (w, h), rgba, "raw", "RGBX", 0, 1)
    image.save(buf, "JPEG", quality=92, subsampling=0)
    return buf.getvalue()


def figure_png(fig: Figure, dpi: float | None = None) -> bytes:
    """A full-quality PNG of a figure (for export, not for the live view)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi or fig.dpi)
    return buf.getvalue()


class Blitter:
    """Draw a figure's static parts once, then only its dynamic artists each month.

    Axes, ticks, legends, labels and event marks cost most of a matplotlib draw (text layout)
    and never change within a run; restoring them from a saved buffer and drawing only lines,
    markers and titles on top is what makes a fast Play possible.
    """

    def __init__(self, fig: Figure, dynamic: Sequence[Any]) -> None:
        self.fig = fig
        self.dynamic = list(dynamic)
        for artist in self.dynamic:
            artist.set_animated(True)  # excluded from the background draw
        self.background: Any = None

    def invalidate(self) -> None:
        """The static parts changed (e.g. an axis was rescaled): redraw them next frame."""
        self.background = None

    def frame(self) -> np.ndarray:
        """The current frame as an (H, W, 4) RGBA array (a view: copy or encode at once)."""
        canvas = self.fig.canvas
        if self.background is None:
            canvas.draw()
            self.background = canvas.copy_from_bbox(self.fig.bbox)
        else:
            canvas.restore_region(self.background)
        for artist in self.dynamic:
            if artist.get_visible():
                self.fig.draw_artist(artist)
        return np.asarray(canvas.buffer_rgba())

    def image(self) -> bytes:
        """The current frame, encoded for the live view."""
        return encode_frame(self.frame())

    def export(self, dpi: float = 120) -> bytes:
        """A full-quality PNG of the current state, dynamic artists included (for download)."""
        for artist in self.dynamic:
            artist.set_animated(False)
        try:
            return figure_png(self.fig, dpi=dpi)
        finally:
            for artist in self.dynamic:
                artist.set_animated(True)
            self.invalidate()  # savefig re-rendered the canvas at another resolution


def short(text: str, limit: int = 18) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
