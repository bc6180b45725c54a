"""The dashboard's content after its quicker drawing (issue 17): every panel with its title,
lines and legend, money in its unit, text a reader can read (no type under 7 points, event
numbers that never print over each other), the words laid out ahead (the painter's warm-up)
covering every fixed word a real case draws, and the PNG decoding to the canvas' pixels."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib import rc_context
from PIL import Image

from sim.outputs import agg_text, dashboard_text
from sim.outputs import dashboard as d
from sim.outputs.png import png_bytes

MIN_POINTS = 7  # the smallest type on the dashboard: the funds legend's two columns


@pytest.fixture(scope="module")
def drawn() -> dict[str, tuple]:
    """MAP (many events, close together; a recipient side) and two_cities (few), drawn."""
    from sim import PeaceModel

    out = {}
    for case in ("map", "two_cities"):
        outputs = PeaceModel(case, seed=0).run().batch.outputs()
        ts, events = outputs.timeseries_columns(0), outputs.events_columns(0)
        with rc_context(d.STYLE):
            fig = d.panels(ts, events, case)
            canvas = agg_text.Canvas(fig)
            canvas.draw()
        out[case] = (fig, canvas, ts, events)
    return out


@pytest.mark.parametrize("case", ["map", "two_cities"])
def test_every_panel_has_its_title_data_and_legend(drawn: dict, case: str) -> None:
    fig, _, ts, _ = drawn[case]
    panels = fig.axes
    assert len(panels) == 6
    titles = [ax.get_title() for ax in panels]
    assert titles[0].startswith("Peace indices") and titles[1].startswith("Relationships")
    assert titles[2].startswith("Activity") and titles[3] == dashboard_text.FUNDS_TITLE
    assert "kEUR" in titles[3] and "EUR 1,000" in titles[3]  # money in its unit
    assert titles[4].startswith("Structural") and titles[5].startswith("People displaced")
    for ax in panels:
        legend = ax.get_legend()
        assert legend is not None and legend.get_texts(), ax.get_title()
    for ax in panels[:3] + panels[4:]:
        assert len([line for line in ax.get_lines() if len(line.get_xdata()) == len(ts["date"])])
    # The funds bands: one band per pillar and channel, stacked to the total delivered.
    from matplotlib.collections import PolyCollection

    bands = [c for c in panels[3].collections if type(c) is PolyCollection]
    assert len(bands) == 1 and len(bands[0].get_paths()) == 6
    total = sum(
        np.asarray(ts[f"funds_{p}_{c}"]) for p in d.PILLAR_COLOURS for c in ("direct", "io")
    )
    n = len(total)
    assert np.allclose(bands[0].get_paths()[-1].vertices[n : 2 * n, 1][::-1], total)
    assert len(panels[3].get_legend().get_texts()) == 6


@pytest.mark.parametrize("case", ["map", "two_cities"])
def test_text_is_readable_and_event_numbers_never_overlap(drawn: dict, case: str) -> None:
    fig, canvas, _, events = drawn[case]
    renderer = canvas.get_renderer()
    texts = [t for t in fig.findobj(lambda a: hasattr(a, "get_fontsize") and hasattr(a, "get_text"))
             if t.get_text() and t.get_visible()]  # fmt: skip
    assert min(t.get_fontsize() for t in texts) >= MIN_POINTS
    shown = d.scenario_events(events)
    for ax in fig.axes[:2]:
        labels = [t for t in ax.texts if t.get_text()[:1].isdigit()]
        if shown:
            assert labels
        boxes = [t.get_window_extent(renderer) for t in labels]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert not a.overlaps(b), (case, a, b)


def test_the_words_laid_out_ahead_cover_every_fixed_word(drawn: dict) -> None:
    """Every title and legend label a real case draws is in known_lines but the people
    panel's (it names the run's population); so are the index labels and the years."""
    known = {text for text, _ in dashboard_text.known_lines()}
    for fig, _, _, _ in drawn.values():
        for ax in fig.axes[:5]:
            assert ax.get_title() in known
        for ax in fig.axes:
            for t in ax.get_legend().get_texts():
                assert t.get_text() in known, t.get_text()
    assert set(dashboard_text.INDEX_LABELS) <= known and {"1996", "2035"} <= known


def test_lines_laid_out_ahead_draw_the_same_pixels(drawn: dict) -> None:
    fig, _, _, _ = drawn["map"]
    agg_text._LINES.clear()
    cold = agg_text.Canvas(fig)
    cold.draw()
    assert agg_text.lay_out(dashboard_text.known_lines(), fig.dpi) > 200
    warm = agg_text.Canvas(fig)
    warm.draw()
    assert np.array_equal(np.asarray(cold.buffer_rgba()), np.asarray(warm.buffer_rgba()))


def test_the_png_decodes_to_the_canvas_pixels(drawn: dict, tmp_path: Path) -> None:
    _, canvas, _, _ = drawn["two_cities"]
    rgba = np.asarray(canvas.buffer_rgba())
    image = Image.open(io.BytesIO(png_bytes(rgba)))
    assert image.mode == "RGB" and image.size == (rgba.shape[1], rgba.shape[0])
    assert np.array_equal(np.asarray(image), rgba[..., :3])
    d._save_png(canvas, tmp_path / "d.png")
    assert np.array_equal(np.asarray(Image.open(tmp_path / "d.png")), rgba[..., :3])
    with pytest.raises(ValueError):
        png_bytes(rgba.astype(np.float32))


def test_a_legend_laid_out_once_draws_as_matplotlibs_and_follows_a_change() -> None:
    """The dashboard's legends keep their boxes' layout within a draw (legend_once): the same
    pixels as Matplotlib's own legend, and a label changed between two draws is laid out
    afresh (its box grows with it)."""
    from matplotlib.figure import Figure

    from sim.outputs.legend_once import laid_out_once

    def figure(once: bool) -> tuple[Figure, object]:
        fig = Figure(figsize=(3, 2), dpi=100)
        ax = fig.subplots()
        ax.plot([0, 1], [0, 1], label="a line")
        ax.plot([0, 1], [1, 0], label="another")
        legend = ax.legend(loc="best")
        return fig, laid_out_once(legend) if once else legend

    pictures = []
    for once in (False, True):
        fig, _ = figure(once)
        canvas = agg_text.Canvas(fig)
        canvas.draw()
        pictures.append(np.asarray(canvas.buffer_rgba()).copy())
    assert np.array_equal(*pictures)
    fig, legend = figure(True)
    canvas = agg_text.Canvas(fig)
    canvas.draw()
    narrow = legend.get_window_extent(canvas.get_renderer()).width
    legend.get_texts()[0].set_text("a much longer label than before")
    canvas.draw()
    assert legend.get_window_extent(canvas.get_renderer()).width > narrow + 50


def _relationship_lines(case: str) -> tuple[dict[str, Any], Any]:
    """The relationships panel of ``case`` (seed 0) as drawn: label -> line."""
    from sim import PeaceModel

    ts = PeaceModel(case, seed=0).run().batch.outputs().timeseries_columns(0)
    with rc_context(d.STYLE):
        fig = d.panels(ts, None, case)
    return {line.get_label(): line for line in fig.axes[1].get_lines()}, ts


def test_the_delegates_trust_is_drawn_where_mediation_lifted_it() -> None:
    """Croatia's twinnings are mediated: the delegates' trust is drawn dashed in the colour of
    the communities' cross-divide trust, with its data, and the cross-divide line is named for
    the communities. Tuzla has no mediation (the delegates' trust equals the communities' all
    run): no delegates' line, and the cross-divide line keeps its plain name."""
    lines, ts = _relationship_lines("croatia_twinnings")
    g = lines[dashboard_text.DELEGATES_LABEL]
    assert g.get_linestyle() == "--"
    assert np.array_equal(g.get_ydata(), ts["delegates_trust"])
    cross = [line for label, line in lines.items() if label.startswith("communities' cross")]
    assert len(cross) == 1 and cross[0].get_color() == g.get_color()
    assert np.array_equal(cross[0].get_ydata(), ts["cross_divide_trust"])
    lines, _ = _relationship_lines("tuzla")
    assert dashboard_text.DELEGATES_LABEL not in lines
    assert not any(label.startswith("communities'") for label in lines)
    assert any(label.startswith("cross") for label in lines)
