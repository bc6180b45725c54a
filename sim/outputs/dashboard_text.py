"""The dashboard's fixed words, and the lines of text laid out before a run's data comes.

Every text a dashboard draws is laid out by FreeType once (``sim.outputs.agg_text``), which
costs about 35 us a character. Most of a dashboard's words do not depend on the run: titles,
legend labels, the 0-1 index labels, calendar years and round tick numbers. The painter lays
them out while the model runs (:func:`known_lines`, via ``sim.outputs.dashboard.warm_up``),
so the draw after the run lays out only the run's own lines (its title, its events, its
population). Split from ``sim.outputs.dashboard`` (the panels) by idea; the panels take
their words from here, so the two cannot drift apart (``tests/test_dashboard_drawing.py``).
"""

from __future__ import annotations

PILLAR_COLOURS = {"humanitarian": "#d95f02", "development": "#1b9e77", "peace": "#7570b3"}
CHANNELS = (("direct", 1.0), ("io", 0.45))  # funds by channel: the channel and its shade
INDEX_TICKS = (0, 0.25, 0.5, 0.75, 1)  # the y ticks of a 0-1 index panel, and their labels
INDEX_LABELS = ("0.00", "0.25", "0.50", "0.75", "1.00")
# Set before the axes exist, so each tick is made with them (setting them afterwards copies
# every tick's properties again).
STYLE = {
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "axes.grid": False,  # the grid is drawn with the ticks (dashboard_ticks.fix_ticks)
    "grid.alpha": 0.3,
    "legend.fontsize": 8,
    "axes.titlesize": 10,
}
FUNDS_LEGEND_SIZE = 7  # two columns of six labels
SUPTITLE_SIZE = 11
TEXT_SIZE = 8  # event numbers, the event list, the recipient cities' names
WHERE = ("recipient cities", "all cities")  # which cities the side panels show

PEACE_TITLE = "Peace indices (Galtung), {where}, population-weighted"
RELATIONS_TITLE = "Relationships (Lederach), index 0-1"
ACTIVITY_TITLE = "Activity by pillar (triple nexus), count"
FUNDS_TITLE = "Funds delivered, kEUR per month (1 model unit = EUR 1,000)"
VIOLENCE_TITLE = "Structural and cultural violence, needs, capacity ({where})"
PEOPLE_TITLE = "People displaced, % of the {first:,.0f} residents at the start"
EVENTS_HEADING = "Scenario events"

PEACE_LINES = (("peace", "-"), ("negative_peace", "--"), ("positive_peace", "-."))
PEACE_ALL = "peace, all cities"
VIOLENCE_NAMES = {"S": "structural violence", "C": "cultural violence"}
VIOLENCE_LINES = ("S", "C", "needs", "capacity")
PEOPLE_LINES = (("fled", "fled (may return)"), ("displaced", "hosted displaced"))
PROJECTS_LABEL = "development projects active"
# The relationships panel's labels (sim.outputs.dashboard_lines builds them). Where mediated
# talks lifted the delegates' trust above their communities' (ODD 7.5), the cross-divide line
# is named for the communities and the delegates' trust is drawn dashed beside it.
COMMUNITIES = "communities' "
DELEGATES_LABEL = "delegates' trust (middle range, mediated ties)"
RELATION_LABELS = (
    "cross-divide trust (= horizontal integration)",
    COMMUNITIES + "cross-divide trust (= horizontal integration)",
    COMMUNITIES + "cross-divide trust",
    DELEGATES_LABEL,
    "cross divide trust",
    "horizontal integration",
    "vertical integration, recipient cities",
    "vertical integration, all cities",
    "vertical integration",
)


def peace_label(column: str) -> str:
    return column.replace("_", " ")


def flow_label(pillar: str) -> str:
    return f"{pillar} (ties delivering)"


def funds_label(pillar: str, channel: str) -> str:
    return f"{pillar} ({'via IOs' if channel == 'io' else 'direct'})"


def _numbers() -> list[str]:
    """Round tick labels as Matplotlib's ScalarFormatter writes them, the likeliest: whole
    numbers to 30, multiples of 5 to 100, of 10 to 300 and of 1,000 to 20,000, and tenths to
    3 and halves to 10 (a panel's labels share their decimals: 0.0, 0.5, 1.0). Each is about
    a third of a millisecond to lay out: the list is kept short."""
    whole = [*range(31), *range(35, 101, 5), *range(110, 301, 10), *range(1000, 20001, 1000)]
    decimals = [i / 10 for i in range(31)] + [i / 2 for i in range(7, 21)]
    return [str(n) for n in whole] + [f"{v:.1f}" for v in decimals]


def known_lines() -> list[tuple[str, float]]:
    """The dashboard's lines of text that do not depend on the run, ``(text, size in
    points)``, the most useful first: the words every dashboard has, then the index labels,
    calendar years (1970-2050) and round tick numbers. ``"lp"``: Matplotlib measures it for
    a line's height at each size."""
    titles, labels = STYLE["axes.titlesize"], STYLE["legend.fontsize"]
    lines: list[tuple[str, float]] = [("lp", s) for s in (7, 8, 10, 11)] + [("", TEXT_SIZE)]
    for where in WHERE:
        lines += [(PEACE_TITLE.format(where=where), titles),
                  (VIOLENCE_TITLE.format(where=where), titles)]  # fmt: skip
    lines += [(t, titles) for t in (RELATIONS_TITLE, ACTIVITY_TITLE, FUNDS_TITLE)]
    words = [peace_label(c) for c, _ in PEACE_LINES] + [PEACE_ALL, *RELATION_LABELS]
    words += [flow_label(p) for p in PILLAR_COLOURS] + [PROJECTS_LABEL]
    words += [VIOLENCE_NAMES.get(c, c) for c in VIOLENCE_LINES]
    words += [label for _, label in PEOPLE_LINES] + [EVENTS_HEADING]
    lines += [(w, labels) for w in words]
    lines += [(funds_label(p, c), FUNDS_LEGEND_SIZE) for p in PILLAR_COLOURS for c, _ in CHANNELS]
    ticks = STYLE["ytick.labelsize"]
    lines += [(t, ticks) for t in INDEX_LABELS]
    lines += [(str(y), STYLE["xtick.labelsize"]) for y in range(1970, 2051)]
    lines += [(n, ticks) for n in _numbers()]
    return lines
