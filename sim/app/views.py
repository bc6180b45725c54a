"""The browser app's pure parts: settings, runs, layout, colours, figures and compare data.

Nothing here imports Solara, so these helpers are unit-tested without a server or a browser
and reused by the speed benchmark. ``sim.app.page`` only wires them to widgets.

Speed is the design constraint (>= 10 rendered months per second on tuzla): every figure is
built once per run and then only its data, colours and texts change, and the PNG is encoded
with light compression because it only travels over the loopback interface.
"""

from __future__ import annotations

import dataclasses
import io
import math
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import colormaps  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.colors import Normalize, to_rgba  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from sim.errors import ConfigError  # noqa: E402

# ----------------------------------------------------------------------------- settings

LEVER_DEFAULTS: dict[str, Any] = {
    "coordination": 0.5,
    "mediation": True,
    "funding_scale": 1.0,
    "participation_scale": 1.0,
    "io_channel": True,
    "direct_channel": True,
}
# The app's slider ranges. The model accepts up to 100x; beyond 3x nothing new is learnt in
# class and the sliders become too coarse to use.
LEVER_RANGES: dict[str, tuple[float, float]] = {
    "coordination": (0.0, 1.0),
    "funding_scale": (0.0, 3.0),
    "participation_scale": (0.0, 3.0),
}
SEED_MAX = 2**32 - 1
# Interactive limits for the synthetic world: N = 2,000 stays responsive (see the benchmark);
# bigger worlds belong in the command line, not in a live picture.
SYNTHETIC_N_RANGE = (10, 20_000)
SYNTHETIC_DEFAULT_N = 2000


@dataclass(frozen=True)
class Settings:
    """Everything that defines one run in the app; a run is rebuilt whenever this changes."""

    scenario: str = "tuzla"
    policy: str = "baseline"
    seed: int = 1
    coordination: float = 0.5
    mediation: bool = True
    funding_scale: float = 1.0
    participation_scale: float = 1.0
    io_channel: bool = True
    direct_channel: bool = True
    n_cities: int = SYNTHETIC_DEFAULT_N
    compare: bool = False

    def levers(self) -> dict[str, Any]:
        """The generic levers as PeaceModel expects them."""
        return {k: getattr(self, k) for k in LEVER_DEFAULTS}

    def replace(self, **changes: Any) -> Settings:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)

    def label(self) -> str:
        """A short name of this run for legends and file names."""
        changed = [
            f"{k}={_fmt(getattr(self, k))}"
            for k, v in LEVER_DEFAULTS.items()
            if getattr(self, k) != v and not _same_float(getattr(self, k), v)
        ]
        return self.policy + (f" ({', '.join(changed)})" if changed else "")


def _fmt(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _same_float(a: Any, b: Any) -> bool:
    return (
        isinstance(a, int | float)
        and isinstance(b, int | float)
        and not isinstance(a, bool)
        and math.isclose(float(a), float(b), abs_tol=1e-9)
    )


def policy_levers(policies: Mapping[str, Mapping[str, Any]], policy: str) -> dict[str, Any]:
    """The levers a scenario policy fixes (empty for baseline)."""
    if policy == "baseline":
        return {}
    return dict((policies.get(policy) or {}).get("levers") or {})


def settings_for_policy(
    settings: Settings, policies: Mapping[str, Mapping[str, Any]], policy: str
) -> Settings:
    """Choose a policy: its fixed levers become the slider values, the others go to default.

    Without this, a policy's own levers silently override the sliders (PeaceModel applies the
    policy's levers last) and a student would move a slider that does nothing.
    """
    levers = {**LEVER_DEFAULTS, **policy_levers(policies, policy)}
    return settings.replace(policy=policy, **levers)


def check_settings(settings: Settings, policies: Mapping[str, Mapping[str, Any]]) -> None:
    """Refuse impossible settings with a one-line ConfigError (shown as the app's banner).

    ``policies`` are the scenario's policies (empty for synthetic). Scenario data problems are
    the loader's job and arrive as ScenarioError when the run is built.
    """
    s = settings
    if not isinstance(s.seed, int) or isinstance(s.seed, bool) or not 0 <= s.seed <= SEED_MAX:
        raise ConfigError("app", "seed", s.seed, f"a whole number in [0, {SEED_MAX}]")
    for key, (lo, hi) in LEVER_RANGES.items():
        value = getattr(s, key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError("app", f"levers.{key}", value, f"a number in [{lo}, {hi}]")
        if not math.isfinite(value) or not lo <= value <= hi:
            raise ConfigError("app", f"levers.{key}", value, f"a number in [{lo}, {hi}]")
    for key in ("mediation", "io_channel", "direct_channel"):
        if not isinstance(getattr(s, key), bool):
            raise ConfigError("app", f"levers.{key}", getattr(s, key), "true or false")
    if s.scenario == "synthetic":
        lo, hi = SYNTHETIC_N_RANGE
        n = s.n_cities
        if isinstance(n, bool) or not isinstance(n, int) or not lo <= n <= hi:
            raise ConfigError(
                "app",
                "synthetic.n_cities",
                n,
                f"a whole number in [{lo}, {hi}] in the app (bigger worlds: the command line)",
            )
        if s.policy != "baseline":
            raise ConfigError("app", "policy", s.policy, "baseline (synthetic has no policies)")
        return
    if s.policy != "baseline" and s.policy not in policies:
        raise ConfigError(
            "app", "policy", s.policy, f"one of {['baseline', *sorted(policies)]} for {s.scenario}"
        )
    # A policy that fixes a lever and a slider that says otherwise cannot both hold.
    for key, fixed in policy_levers(policies, s.policy).items():
        mine = getattr(s, key, None)
        if mine != fixed and not _same_float(mine, fixed):
            raise ConfigError(
                "app",
                f"levers.{key}",
                mine,
                f"{fixed!r}: policy {s.policy!r} fixes it (choose baseline to vary it)",
            )


def one_line(exc: BaseException) -> str:
    """The banner text for any failure: citypeace errors as they are, others with their type."""
    from sim.errors import CitypeaceError

    if isinstance(exc, CitypeaceError):
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


# ----------------------------------------------------------------------------- runs


def timeseries(model: Any) -> pd.DataFrame:
    """``model.timeseries()``, also before the first month.

    Work-around: ``Recorder.timeseries`` raises IndexError on a run with no recorded month yet
    (it inserts the date column at position 1 of an empty frame), so month 0 gets an empty
    frame with the usual leading columns here.
    """
    if getattr(model, "t", 0) <= 0 or getattr(model.recorder, "rows", 0) <= 0:
        return timeseries_empty()
    return model.timeseries()


def timeseries_empty() -> pd.DataFrame:
    """A time series with no month yet."""
    return pd.DataFrame({"step": pd.Series(dtype="int64"), "date": pd.Series(dtype=object)})


def load_case(name: str, policy: str = "baseline") -> Any:
    """A scenario with a policy applied, a fresh copy per model.

    The loader keeps validated scenarios per process, keyed by their files' contents, so Reset,
    compare mode and switching back and forth feel instant and an edit on disk is seen at once.
    """
    from sim.scenario.loader import load_scenario

    return load_scenario(name, policy=policy)


def build_model(settings: Settings, reference: bool = False, case: Any = None) -> Any:
    """A PeaceModel for these settings; ``reference`` gives the baseline with default levers."""
    from sim.engine.model import PeaceModel

    seed = settings.seed
    if settings.scenario == "synthetic":
        synthetic = {"n_cities": settings.n_cities}
        if reference:
            return PeaceModel(scenario="synthetic", seed=seed, synthetic=synthetic)
        return PeaceModel(
            scenario="synthetic", seed=seed, levers=settings.levers(), synthetic=synthetic
        )
    if reference:
        return PeaceModel(scenario=load_case(settings.scenario), seed=seed)
    case = case if case is not None else load_case(settings.scenario, settings.policy)
    return PeaceModel(scenario=case, seed=seed, levers=settings.levers())


def scenario_policies(name: str) -> dict[str, dict[str, Any]]:
    """A scenario's policies (loads and validates it; synthetic has none)."""
    if name == "synthetic":
        return {}
    return dict(load_case(name).policies)


def is_reference(settings: Settings) -> bool:
    """True when these settings are the baseline run itself (compare would show one line)."""
    return settings.policy == "baseline" and all(
        getattr(settings, k) == v or _same_float(getattr(settings, k), v)
        for k, v in LEVER_DEFAULTS.items()
    )


@dataclass(eq=False)  # identity: the app's memo hooks compare sessions, not their models
class Session:
    """The app's current run: the chosen model and, in compare mode, the baseline beside it.

    Both models take the same seed and advance in lockstep, so the difference between them is
    the counterfactual effect of the policy and levers (up to the randomness they consume).
    """

    settings: Settings
    model: Any
    reference: Any | None = None
    policies: dict[str, dict[str, Any]] = field(default_factory=dict)
    version: int = 0
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _painters: dict[str, Any] = field(default_factory=dict, repr=False)
    _frames: dict[tuple, bytes] = field(default_factory=dict, repr=False)
    _series: dict[tuple[int, bool], pd.DataFrame] = field(default_factory=dict, repr=False)
    hot: dict[str, Any] = field(default_factory=dict, repr=False)  # widgets the app updates

    @classmethod
    def build(cls, settings: Settings) -> Session:
        """Validate and build; raises (ConfigError, ScenarioError, ...) and builds nothing then."""
        if not isinstance(settings.scenario, str):
            raise ConfigError("app", "scenario", settings.scenario, "a scenario name")
        # Cheap checks first (seed, levers, size), then one load that also names the policies.
        check_settings(settings.replace(policy="baseline"), {})
        case = None
        policies: dict[str, dict[str, Any]] = {}
        if settings.scenario != "synthetic":
            case = load_case(settings.scenario, settings.policy)
            policies = dict(case.policies)
        check_settings(settings, policies)
        model = build_model(settings, case=case)
        reference = build_model(settings, reference=True) if settings.compare else None
        return cls(settings=settings, model=model, reference=reference, policies=policies)

    @property
    def t(self) -> int:
        return int(self.model.t)

    @property
    def done(self) -> bool:
        return self.model.t >= self.model.horizon

    def date(self) -> str:
        """The last simulated month, or the start month before the first step."""
        m = self.model
        return m.date_of(max(m.t - 1, 0))

    def step(self, months: int = 1) -> int:
        """Advance both runs by up to ``months``; returns how many months were simulated."""
        done = 0
        with self.lock:
            for _ in range(max(int(months), 0)):
                if self.model.t >= self.model.horizon:
                    break
                self.model.step()
                if self.reference is not None and self.reference.t < self.reference.horizon:
                    self.reference.step()
                done += 1
            if done:
                self.version += 1
        return done

    def painter(self, kind: str) -> Any:
        """The run's figure painter of a kind (network, series, city), built on first use."""
        with self.lock:
            if kind not in self._painters:
                cls = {"network": NetworkPainter, "series": SeriesPainter, "city": CityPainter}[
                    kind
                ]
                self._painters[kind] = cls(self.model)
            return self._painters[kind]

    def timeseries(self, reference: bool = False) -> pd.DataFrame:
        """The run's (or the baseline's) time series, built once per month.

        Status, figure, compare table and Learn panel all read it every month; each build is
        a DataFrame over every recorded column.
        """
        model = self.reference if reference else self.model
        if model is None:
            return timeseries_empty()
        key = (self.version, reference)
        with self.lock:
            if key not in self._series:
                self._series = {k: v for k, v in self._series.items() if k[0] == self.version}
                self._series[key] = timeseries(model)
            return self._series[key]

    def series_labels(self) -> tuple[str, str]:
        """Legend names of the two runs in compare mode."""
        return (self.settings.label(), "baseline (default levers)")

    def render(self, kind: str, **kwargs: Any) -> bytes:
        """PNG bytes of a figure of the current month, drawn at most once per month.

        The app draws the next frame in its play thread *before* it tells the page that a new
        month is there, so the page's render pass only picks up these bytes. Drawing inside the
        render pass made passes long enough for the next month to arrive mid-pass, and Solara
        gave up on a click ("too many renders") while playing.
        """
        if kind == "series":
            kwargs.setdefault("labels", self.series_labels())
        key = (kind, self.version, tuple(sorted(kwargs.items())))
        with self.lock:
            if key in self._frames:
                return self._frames[key]
            painter = self.painter(kind)
            if kind == "series":
                png = painter.render(
                    self.model,
                    self.reference,
                    ts=self.timeseries(),
                    ref_ts=self.timeseries(reference=True) if self.reference is not None else None,
                    **kwargs,
                )
            else:
                png = painter.render(self.model, **kwargs)
            for old in [k for k in self._frames if k[1] != self.version]:
                del self._frames[old]
            self._frames[key] = png
            return png

    def export_png(self, kind: str, dpi: float = 120) -> bytes:
        """A full-quality PNG of a figure as it is now (for the download buttons)."""
        with self.lock:
            self.render(
                kind,
                **({"labels": (self.settings.label(), "baseline")} if kind == "series" else {}),
            )
            return self.painter(kind).blit.export(dpi=dpi)


# ----------------------------------------------------------------------------- layout

GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))


def has_coordinates(model: Any) -> bool:
    """Geographic layout only when every city has lat/lon (display only, MODEL.md 2)."""
    n = model.n_cities
    frame = model.actor_frame
    if n < 2 or "lat" not in frame or "lon" not in frame:
        return False
    lat = pd.to_numeric(frame["lat"].iloc[:n], errors="coerce").to_numpy(dtype=float)
    lon = pd.to_numeric(frame["lon"].iloc[:n], errors="coerce").to_numpy(dtype=float)
    return bool(np.isfinite(lat).all() and np.isfinite(lon).all() and np.ptp(lat) + np.ptp(lon))


def sunflower(count: int, radius: float) -> np.ndarray:
    """(count, 2) points filling a disc evenly; deterministic, first point at the centre."""
    if count <= 0:
        return np.zeros((0, 2))
    k = np.arange(count)
    r = radius * np.sqrt((k + 0.5) / count) if count > 1 else np.zeros(1)
    a = k * GOLDEN_ANGLE
    return np.stack([r * np.cos(a), r * np.sin(a)], axis=1)


def _top_row(count: int, y: float, x_lo: float, x_hi: float) -> np.ndarray:
    """Actors without a place of their own: a row on top, like the top of Lederach's pyramid."""
    if count == 0:
        return np.zeros((0, 2))
    xs = np.linspace(x_lo, x_hi, count + 2)[1:-1]
    return np.stack([xs, np.full(count, y)], axis=1)


def network_layout(model: Any) -> tuple[np.ndarray, str, list[tuple[str, float, float]]]:
    """Positions of every actor, the layout kind and group labels (text, x, y).

    * ``geographic``: cities at lon/lat (x scaled by cos(mean latitude)); no map tiles.
    * ``community``: one disc per community on a circle (cities without a single community in
      the middle), largest city at each disc's centre.

    Other actors sit with their community, or at their country's cities, or, with neither, in a
    row on top. Fully deterministic and O(N): never a force-directed layout at run time.
    """
    n, a = model.n_cities, model.n_actors
    frame = model.actor_frame
    pos = np.full((a, 2), np.nan)
    community = model.actors.community.copy()
    country = model.actors.country
    pop = model.cities.population
    labels: list[tuple[str, float, float]] = []
    if has_coordinates(model):
        kind = "geographic"
        lat = frame["lat"].iloc[:n].to_numpy(dtype=float)
        lon = frame["lon"].iloc[:n].to_numpy(dtype=float)
        x = lon * math.cos(math.radians(float(np.mean(lat))))
        y = lat
        span = max(np.ptp(x), np.ptp(y), 1e-9)
        pos[:n, 0] = (x - x.mean()) / span * 2.0
        pos[:n, 1] = (y - y.mean()) / span * 2.0
    else:
        kind = "community"
        groups = sorted({int(c) for c in community[:n] if c >= 0})
        mixed = bool((community[:n] < 0).any())
        ring = 1.0 if len(groups) > 1 else 0.0
        centre: dict[int, tuple[float, float]] = {}
        for i, g in enumerate(groups):
            # Start at the left so two sides of a divide face each other across the middle.
            ang = math.pi - 2 * math.pi * i / max(len(groups), 1)
            centre[g] = (ring * math.cos(ang), ring * 0.8 * math.sin(ang))
        if mixed:
            centre[-1] = (0.0, 0.0)
        size = 0.42 if len(centre) > 1 else 0.9
        for g, (cx, cy) in centre.items():
            rows = np.flatnonzero(community[:n] == g)
            rows = rows[np.argsort(-pop[rows], kind="stable")]
            pts = sunflower(rows.size, size * min(1.0, math.sqrt(rows.size / 12) + 0.25))
            pos[rows] = pts + (cx, cy)
            name = "mixed / no single community" if g < 0 else model.case.communities[g]
            bottom = float(pts[:, 1].min()) if rows.size else 0.0
            labels.append((name, cx, cy + bottom - 0.17))
    # Non-city actors: with their community's cities, else their country's, else on top.
    city_rows = np.arange(n)
    ymax = float(np.nanmax(pos[:n, 1])) if n else 0.0
    xlo, xhi = (float(np.nanmin(pos[:n, 0])), float(np.nanmax(pos[:n, 0]))) if n else (-1, 1)
    homeless: list[int] = []
    placed_near: dict[tuple[str, int], int] = {}
    for r in range(n, a):
        anchor = np.zeros(0, dtype=np.int64)
        key: tuple[str, int]
        if community[r] >= 0:
            anchor = city_rows[community[:n] == community[r]]
            key = ("community", int(community[r]))
        if anchor.size == 0:
            anchor = city_rows[country[:n] == country[r]]
            key = ("country", int(country[r]))
        if anchor.size == 0:
            homeless.append(r)
            continue
        k = placed_near.get(key, 0)
        placed_near[key] = k + 1
        # A short row above their group (0, +d, -d, +2d, ...): governments and agencies sit
        # "higher" than the cities, as in Lederach's pyramid.
        offset = 0.13 * ((k + 1) // 2) * (1 if k % 2 else -1)
        pos[r] = (pos[anchor, 0].mean() + offset, pos[anchor, 1].max() + 0.16)
    pos[homeless] = _top_row(len(homeless), ymax + 0.45, xlo, xhi)
    return pos, kind, labels


# ----------------------------------------------------------------------------- colours

PEACE_CMAP = colormaps["RdYlGn"]
PEACE_NORM = Normalize(0.0, 1.0)
CROSS_COLOUR = "#c2185b"  # cross-divide ties: one loud colour, the rest in greys
TIE_GREY = np.array([0.25, 0.25, 0.30])
PILLAR_COLOURS = {"humanitarian": "#d95f02", "development": "#1b9e77", "peace": "#7570b3"}


def peace_colours(values: np.ndarray) -> np.ndarray:
    """(N, 4) RGBA for positive peace on a fixed [0, 1] scale, comparable across months."""
    return PEACE_CMAP(PEACE_NORM(np.clip(np.nan_to_num(values, nan=0.0), 0.0, 1.0)))


def node_sizes(population: np.ndarray, n_cities: int) -> np.ndarray:
    """Marker areas: proportional to sqrt(population), smaller when there are many cities."""
    pop = np.maximum(np.nan_to_num(population, nan=0.0), 0.0)
    top = pop.max() if pop.size and pop.max() > 0 else 1.0
    big = 420.0 / math.sqrt(max(n_cities / 25.0, 1.0))
    return 12.0 / math.sqrt(max(n_cities / 25.0, 1.0)) + big * np.sqrt(pop / top)


def edge_style(
    trust: np.ndarray, cross: np.ndarray, active: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(E, 4) RGBA and (E,) widths: darker and wider with trust; cross-divide in magenta.

    With many ties every line is fainter (and thinner), so that a dense sample reads as shades
    of trust rather than a black blot.
    """
    t = np.clip(np.nan_to_num(trust, nan=0.0), 0.0, 1.0)
    dense = min(1.0, math.sqrt(150.0 / max(t.size, 1)))
    rgba = np.empty((t.size, 4))
    rgba[:, :3] = TIE_GREY
    rgba[:, 3] = (0.06 + 0.55 * t) * dense
    cross = np.asarray(cross, dtype=bool)
    rgba[cross, :3] = to_rgba(CROSS_COLOUR)[:3]
    rgba[cross, 3] = (0.2 + 0.8 * t[cross]) * max(dense, 0.5)
    width = (0.4 + 1.2 * t) * max(dense, 0.5)
    width[cross] = (0.6 + 3.0 * t[cross]) * max(dense, 0.5)
    if active is not None:
        rgba[~np.asarray(active, dtype=bool), 3] = 0.03
    return rgba, width


def sample_edges(
    src: np.ndarray, dst: np.ndarray, cross: np.ndarray, max_edges: int, seed: int = 0
) -> np.ndarray:
    """Indices of the ties to draw: all if few, else a fixed sample that keeps cross-divide ties.

    One direction per pair is enough on screen. The sample is drawn once per run, so the
    picture does not flicker from month to month.
    """
    e = src.size
    lo, hi = np.minimum(src, dst), np.maximum(src, dst)
    _, first = np.unique(lo.astype(np.int64) * (int(hi.max(initial=0)) + 1) + hi, return_index=True)
    first = np.sort(first)
    if first.size <= max_edges:
        return first
    rng = np.random.default_rng(seed)
    is_cross = np.asarray(cross, dtype=bool)[first]
    crossing, other = first[is_cross], first[~is_cross]
    keep_cross = min(crossing.size, max_edges // 2)
    chosen = [rng.choice(crossing, keep_cross, replace=False)] if keep_cross else []
    chosen.append(rng.choice(other, min(other.size, max_edges - keep_cross), replace=False))
    out = np.sort(np.concatenate(chosen))
    assert out.size <= max_edges and out.size <= e
    return out


def city_positive_peace(model: Any) -> np.ndarray:
    """Positive peace sqrt((1-S)(1-C)) per city, the colour of the nodes."""
    c = model.cities
    return np.sqrt(np.clip((1.0 - c.S) * (1.0 - c.C), 0.0, 1.0))


# ----------------------------------------------------------------------------- painters


LIVE_FORMAT = "jpeg"


def encode_frame(rgba: np.ndarray) -> bytes:
    """Bytes of a live frame: JPEG at quality 92 without chroma subsampling.

    Encoding was the largest cost of a month on screen: PNG took 8-14 ms per figure, this takes
    about 2 ms, and at 4:4:4 and quality 92 thin coloured lines and small text stay clean.
    PIL reads the canvas buffer in place and drops the alpha channel itself: slicing RGB out
    in numpy first cost 5-10 ms per frame (a strided copy). Downloads use full-quality PNG
    (``figure_png``).
    """
    from PIL import Image

    h, w = rgba.shape[:2]
    buf = io.BytesIO()
    image = Image.frombuffer("RGBA", (w, h), rgba, "raw", "RGBA", 0, 1).convert("RGB")
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
    markers and titles on top is what makes >= 10 rendered months per second possible.
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


class NetworkPainter:
    """The network view of one run: built once, then recoloured every month.

    Nodes: cities as circles (colour = positive peace, area = population), governments as
    triangles, NGOs as diamonds, international organisations as squares. Ties: grey darker with
    trust, cross-divide ties magenta and wider with trust.
    """

    WIDTH, HEIGHT, DPI = 600, 500, 80
    MAX_EDGES = 1500

    def __init__(self, model: Any) -> None:
        self.pos, self.kind, self.labels = network_layout(model)
        t = model.ties
        self.edges = sample_edges(t.src, t.dst, t.cross_divide, self.MAX_EDGES)
        pairs = np.unique(np.stack([np.minimum(t.src, t.dst), np.maximum(t.src, t.dst)]), axis=1)
        self.drawn_note = (
            f"a fixed sample of {self.edges.size} of {pairs.shape[1]} tie pairs drawn"
            if self.edges.size < pairs.shape[1]
            else "one line per tie pair"
        )
        self.n = model.n_cities
        self.fig = Figure(figsize=(self.WIDTH / self.DPI, self.HEIGHT / self.DPI), dpi=self.DPI)
        FigureCanvasAgg(self.fig)
        ax = self.ax = self.fig.add_axes((0.01, 0.07, 0.86, 0.85))
        ax.set_axis_off()
        seg = np.stack([self.pos[t.src[self.edges]], self.pos[t.dst[self.edges]]], axis=1)
        self.lines = LineCollection(seg, zorder=1)
        ax.add_collection(self.lines)
        sizes = node_sizes(model.cities.population, self.n)
        self.nodes = ax.scatter(
            self.pos[: self.n, 0],
            self.pos[: self.n, 1],
            s=sizes,
            c=peace_colours(city_positive_peace(model)),
            edgecolors="0.2",
            linewidths=0.4 if self.n <= 200 else 0.0,
            zorder=3,
        )
        from sim.scenario.loader import ACTOR_TYPES

        markers = {"national_government": "^", "ngo": "D", "international_organisation": "s"}
        self.markers = []
        for kind_name, marker in markers.items():
            rows = np.flatnonzero(model.actors.type == ACTOR_TYPES.index(kind_name))
            if rows.size:
                scatter = ax.scatter(
                    self.pos[rows, 0],
                    self.pos[rows, 1],
                    s=40 if a_small(model) else 18,
                    marker=marker,
                    c="0.55",
                    edgecolors="0.15",
                    linewidths=0.5,
                    zorder=3,
                )
                self.markers.append(scatter)
        self.selected = ax.scatter(
            [], [], s=500, facecolors="none", edgecolors="#1565c0", linewidths=2.5, zorder=4
        )
        if self.n <= 60:
            ids = model.actor_frame["id"].to_numpy()
            names = [
                nm if isinstance(nm, str) and len(nm) <= 18 else str(i)
                for nm, i in zip(model.actor_frame["name"], ids, strict=True)
            ]
            # Name the cities of small groups only; a crowd of labels reads as noise, and the
            # inspector gives every name.
            comm = model.city_community
            group_size = np.bincount(comm + 1, minlength=comm.max(initial=0) + 2)[comm + 1]
            for i in np.flatnonzero(group_size <= 6):
                ax.annotate(
                    _short(str(names[i])),
                    self.pos[i],
                    xytext=(0, -11),
                    textcoords="offset points",
                    ha="center",
                    fontsize=7,
                    color="0.2",
                    zorder=5,
                )
        for text, x, y in self.labels:
            ax.text(x, y, text, ha="center", va="top", fontsize=9, weight="bold", color="0.3")
        finite = self.pos[np.isfinite(self.pos).all(axis=1)]
        pad = 0.15
        ax.set_xlim(finite[:, 0].min() - pad - 0.15, finite[:, 0].max() + pad + 0.15)
        low = min([finite[:, 1].min()] + [y - 0.1 for _, _, y in self.labels])
        ax.set_ylim(low - pad, finite[:, 1].max() + pad + 0.05)
        self.title = self.fig.text(0.01, 0.985, "", fontsize=12, va="top", weight="bold")
        self.fig.text(0.01, 0.935, _short(str(model.case.title), 90), fontsize=8, color="0.3")
        self.note = self.fig.text(0.01, 0.905, "", fontsize=7, color="0.4")  # set below
        cax = self.fig.add_axes((0.9, 0.25, 0.025, 0.55))
        self.fig.colorbar(
            matplotlib.cm.ScalarMappable(norm=PEACE_NORM, cmap=PEACE_CMAP), cax=cax
        ).set_label("positive peace (city colour)", fontsize=8)
        cax.tick_params(labelsize=7)
        handles = [
            Line2D([], [], color=CROSS_COLOUR, lw=2.5, label="cross-divide tie"),
            Line2D([], [], color=TIE_GREY, lw=1.2, label="other tie"),
            Line2D([], [], marker="o", ls="", color="0.6", label="city (area: population)"),
            Line2D([], [], marker="^", ls="", color="0.55", label="government"),
            Line2D([], [], marker="s", ls="", color="0.55", label="intl. organisation"),
            Line2D([], [], marker="D", ls="", color="0.55", label="NGO"),
        ]
        self.fig.legend(
            handles=handles, loc="lower right", fontsize=7, ncol=3, frameon=False, borderaxespad=0.2
        )
        self.scenario_title = str(model.case.title)
        self._city_xy: np.ndarray | None = None
        self.note.set_text(f"{self.kind} layout; {self.drawn_note}")
        # Ties, then cities, then the other actors on top of the ties, then the date. Texts
        # that do not change within a run stay in the background: each text costs 2-9 ms.
        self.blit = Blitter(
            self.fig, [self.lines, self.nodes, *self.markers, self.selected, self.title]
        )

    def render(self, model: Any, selected: int | None = None) -> bytes:
        t = model.ties
        rgba, width = edge_style(
            t.trust[self.edges], t.cross_divide[self.edges], t.active[self.edges]
        )
        self.lines.set_color(rgba)
        self.lines.set_linewidth(width)
        self.nodes.set_facecolors(peace_colours(city_positive_peace(model)))
        if selected is not None and 0 <= selected < self.n:
            self.selected.set_offsets(self.pos[[selected]])
        else:
            self.selected.set_offsets(np.zeros((0, 2)))
        date = model.date_of(max(model.t - 1, 0))
        self.title.set_text(f"Network  {date}  (month {model.t})")
        return self.blit.image()

    def city_at(self, x_px: float, y_px: float, radius_px: float = 14.0) -> int | None:
        """The city nearest a click on the PNG (pixels from the top left), if close enough."""
        if self._city_xy is None:
            # The axes have a fixed rectangle and fixed limits, so transData is final already.
            xy = self.ax.transData.transform(self.pos[: self.n])
            xy[:, 1] = self.HEIGHT - xy[:, 1]
            self._city_xy = xy
        d = np.hypot(self._city_xy[:, 0] - x_px, self._city_xy[:, 1] - y_px)
        i = int(np.argmin(d)) if d.size else -1
        return i if i >= 0 and d[i] <= radius_px else None


def a_small(model: Any) -> bool:
    return model.n_actors <= 200


def _short(text: str, limit: int = 18) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


SERIES_PANELS: tuple[tuple[str, tuple[tuple[str, str, str], ...], tuple[float, float] | None], ...]
SERIES_PANELS = (
    (
        "Peace (Galtung), population-weighted",
        (
            ("peace", "peace", "#2e7d32"),
            ("negative_peace", "negative peace 1-D", "#1565c0"),
            ("positive_peace", "positive peace", "#ef6c00"),
        ),
        (0.0, 1.0),
    ),
    (
        "Relationships (Lederach)",
        (
            ("cross_divide_trust", "cross-divide trust", CROSS_COLOUR),
            ("horizontal_integration", "horizontal integration", "#6d4c41"),
            ("vertical_integration", "vertical integration", "#546e7a"),
        ),
        (0.0, 1.0),
    ),
    (
        "Activity by pillar (triple nexus)",
        (
            ("flows_humanitarian", "humanitarian flows", PILLAR_COLOURS["humanitarian"]),
            ("flows_development", "development flows", PILLAR_COLOURS["development"]),
            ("flows_peace", "peace flows", PILLAR_COLOURS["peace"]),
            ("projects_active_development", "active dev. projects", "#004d40"),
        ),
        None,
    ),
)
SERIES_COLUMNS = tuple(col for _, lines, _ in SERIES_PANELS for col, _, _ in lines)


def year_ticks(start_date: str, horizon: int) -> tuple[list[int], list[str]]:
    """Steps and labels of January ticks, spaced so that at most ~10 appear."""
    year, month = int(start_date[:4]), int(start_date[5:7])
    first = (13 - month) % 12  # steps until the next January
    years = max(1, math.ceil(horizon / 12 / 10))
    steps = list(range(first, horizon + 1, 12 * years))
    return steps, [str(year + (s + month - 1) // 12) for s in steps]


def scenario_event_marks(model: Any) -> list[tuple[int, int | None, str]]:
    """(step, end step or None, type) of the scenario's timeline events, for the time axis."""
    marks = []
    for ev in model.case.events:
        step = ev.get("step")
        if step is None:
            continue
        end = ev.get("end_step")
        marks.append((int(step), None if end is None else int(end), str(ev.get("type", "event"))))
    return sorted(marks, key=lambda m: (m[0], -1 if m[1] is None else m[1], m[2]))


class SeriesPainter:
    """Three stacked panels over the whole horizon: events marked, the current month a line.

    In compare mode the baseline is drawn dashed under the chosen run (solid), so a student sees
    the counterfactual in the same axes.
    """

    WIDTH, HEIGHT, DPI = 640, 500, 80

    def __init__(self, model: Any) -> None:
        self.horizon = int(model.horizon)
        self.fig = Figure(figsize=(self.WIDTH / self.DPI, self.HEIGHT / self.DPI), dpi=self.DPI)
        FigureCanvasAgg(self.fig)
        axes = self.fig.subplots(len(SERIES_PANELS), 1, sharex=True)
        self.fig.subplots_adjust(left=0.08, right=0.7, top=0.93, bottom=0.07, hspace=0.28)
        self.axes = list(axes)
        self.main: dict[str, Line2D] = {}
        self.ref: dict[str, Line2D] = {}
        self.now = []
        marks = scenario_event_marks(model)
        for ax, (title, lines, ylim) in zip(self.axes, SERIES_PANELS, strict=True):
            ax.set_title(title, fontsize=9, loc="left")
            ax.tick_params(labelsize=7)
            ax.grid(alpha=0.25)
            for col, label, colour in lines:
                (self.ref[col],) = ax.plot([], [], color=colour, lw=1.2, ls=(0, (3, 2)), alpha=0.7)
                (self.main[col],) = ax.plot([], [], color=colour, lw=1.6, label=label)
            if ylim:
                ax.set_ylim(*ylim)
            else:
                ax.set_ylim(0, 1)
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
            for step, end, _ in marks:
                if end is not None and end > step:
                    ax.axvspan(step, end, color="#b71c1c", alpha=0.07, lw=0, zorder=0)
                ax.axvline(step, color="0.5", lw=0.7, ls=":", zorder=0)
            self.now.append(ax.axvline(0, color="#1565c0", lw=1.2, zorder=4))
        shown = {}
        for step, _, kind in marks:
            if len(shown) < 14 and step not in shown:
                shown[step] = kind
        for step, kind in shown.items():
            self.axes[0].text(
                step,
                1.0,
                f" {kind}",
                rotation=90,
                va="top",
                ha="left",
                fontsize=6,
                color="0.35",
                transform=self.axes[0].get_xaxis_transform(),
            )
        steps, labels = year_ticks(model.date_of(0), self.horizon)
        self.axes[-1].set_xticks(steps, labels)
        self.axes[-1].set_xlim(0, max(self.horizon - 1, 1))
        self.title = self.fig.text(0.01, 0.985, "", fontsize=10, va="top", weight="bold")
        self.style_note = self.fig.text(0.72, 0.42, "", fontsize=8, color="0.1", va="top")
        self._ymax = 1.0
        self.events_note = self.fig.text(
            0.72,
            0.7,
            "dotted: scenario events\nshaded: violence periods\nblue line: current month",
            fontsize=7,
            color="0.35",
            va="bottom",
        )
        self.blit = Blitter(
            self.fig,
            [*self.ref.values(), *self.main.values(), *self.now, self.title],
        )

    def render(
        self,
        model: Any,
        reference: Any | None = None,
        labels: tuple[str, str] | None = None,
        ts: pd.DataFrame | None = None,
        ref_ts: pd.DataFrame | None = None,
    ) -> bytes:
        ts = timeseries(model) if ts is None else ts
        if reference is not None and ref_ts is None:
            ref_ts = timeseries(reference)
        x = ts["step"].to_numpy(dtype=float) if len(ts) else np.zeros(0)
        top = 1.0
        for col in SERIES_COLUMNS:
            y = ts[col].to_numpy(dtype=float) if col in ts else np.full(x.size, np.nan)
            self.main[col].set_data(x, y)
            if ref_ts is not None and col in ref_ts and len(ref_ts):
                self.ref[col].set_data(ref_ts["step"].to_numpy(dtype=float), ref_ts[col])
                self.ref[col].set_visible(True)
            else:
                self.ref[col].set_visible(False)
            if col.startswith(("flows_", "projects_")):
                ys = [y]
                if ref_ts is not None and col in ref_ts:
                    ys.append(ref_ts[col].to_numpy(dtype=float))
                for arr in ys:
                    if arr.size and np.isfinite(arr).any():
                        top = max(top, float(np.nanmax(arr)))
        # Grow the activity axis in steps, so it does not jump every month.
        if top > self._ymax or top < self._ymax / 4:
            self._ymax = max(1.0, 2 ** math.ceil(math.log2(top * 1.1)))
            self.axes[2].set_ylim(0, self._ymax)
            self.blit.invalidate()  # the ticks of that axis live in the background
        now = max(model.t - 1, 0)
        for line in self.now:
            line.set_xdata([now, now])
        date = model.date_of(now)
        self.title.set_text(f"{date}  (month {model.t} of {model.horizon})")
        note = ""
        if reference is not None:
            mine, base = labels or ("your run", "baseline")
            note = f"solid: {_short(mine, 34)}\ndashed: {_short(base, 34)}"
        if note != self.style_note.get_text():  # static text: redraw the background once
            self.style_note.set_text(note)
            self.blit.invalidate()
        return self.blit.image()


CITY_METRICS = (
    ("D", "direct violence D", "#b71c1c"),
    ("S", "structural violence S", "#6a1b9a"),
    ("C", "cultural violence C", "#e65100"),
    ("positive_peace", "positive peace", "#2e7d32"),
    ("needs", "needs", "#0277bd"),
    ("capacity", "capacity", "#5d4037"),
)


class CityPainter:
    """A small history plot for the inspected city."""

    WIDTH, HEIGHT, DPI = 460, 260, 80

    def __init__(self, model: Any) -> None:
        self.horizon = int(model.horizon)
        self.fig = Figure(figsize=(self.WIDTH / self.DPI, self.HEIGHT / self.DPI), dpi=self.DPI)
        FigureCanvasAgg(self.fig)
        self.ax = self.fig.add_axes((0.09, 0.12, 0.58, 0.78))
        self.lines = {}
        for col, label, colour in CITY_METRICS:
            (self.lines[col],) = self.ax.plot([], [], color=colour, lw=1.4, label=label)
        self.ax.set_ylim(0, 1)
        self.ax.set_xlim(0, max(self.horizon - 1, 1))
        steps, labels = year_ticks(model.date_of(0), self.horizon)
        self.ax.set_xticks(steps, labels)
        self.ax.tick_params(labelsize=7)
        self.ax.grid(alpha=0.25)
        self.ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
        self.title = self.fig.text(0.01, 0.98, "", fontsize=9, va="top", weight="bold")
        self.blit = Blitter(self.fig, [*self.lines.values(), self.title])

    def render(self, model: Any, city: int = 0) -> bytes:
        hist = city_history(model, city)
        x = hist["step"].to_numpy(dtype=float) if len(hist) else np.zeros(0)
        for col, _, _ in CITY_METRICS:
            self.lines[col].set_data(x, hist[col] if col in hist else np.full(x.size, np.nan))
        self.title.set_text(f"History of {_short(city_name(model, city), 40)}")
        return self.blit.image()


PAINTERS: dict[str, type] = {
    "network": NetworkPainter,
    "series": SeriesPainter,
    "city": CityPainter,
}

# ----------------------------------------------------------------------------- inspect


def city_name(model: Any, row: int) -> str:
    frame = model.actor_frame
    name = frame["name"].iloc[row]
    return str(name) if isinstance(name, str) and name else str(model.actors.ids[row])


def city_options(model: Any) -> list[str]:
    """Labels for the city picker: 'name (id)' in model order, unique by construction."""
    ids = model.actors.ids[: model.n_cities]
    return [
        f"{city_name(model, i)} ({ids[i]})" if city_name(model, i) != ids[i] else str(ids[i])
        for i in range(model.n_cities)
    ]


def city_state(model: Any, row: int) -> dict[str, Any]:
    """The inspected city's current state, read through its Mesa agent (the public face)."""
    agent = city_agent(model, row)
    t = model.ties
    touching = (t.src == row) | (t.dst == row)
    cross = touching & t.cross_divide & t.active
    state: dict[str, Any] = {
        "id": agent.actor_id,
        "name": city_name(model, row),
        "country": agent.country,
        "community": agent.community or "mixed / none",
        "population": agent.population,
        "displaced": agent.displaced,
        "direct violence D": agent.direct_violence,
        "structural violence S": agent.structural_violence,
        "cultural violence C": agent.cultural_violence,
        "negative peace": agent.negative_peace,
        "positive peace": agent.positive_peace,
        "peace": agent.peace,
        "needs": agent.needs,
        "capacity": agent.capacity,
        "cohesion": agent.cohesion,
        "participation": agent.participation,
        "ties": int(touching.sum()),
        "cross-divide ties": int(cross.sum()),
        "mean cross-divide trust": float(t.trust[cross].mean()) if cross.any() else float("nan"),
        "received this month (hum/dev/peace)": "/".join(
            f"{v:.1f}" for v in model.cities.received[row]
        ),
    }
    return state


def city_agent(model: Any, row: int) -> Any:
    """The Municipality agent that owns array row ``row``."""
    cache = getattr(model, "_app_city_agents", None)
    if cache is None:
        from sim.engine.agents import Municipality

        cache = {a.row: a for a in model.agents_by_type[Municipality]}
        model._app_city_agents = cache  # a view cache; the model never reads it
    return cache[row]


def city_history(model: Any, row: int) -> pd.DataFrame:
    """One city's recorded months: step, date, D, S, C, needs, capacity, ..., positive_peace."""
    frame = model.city_frame()
    if frame.empty:
        return pd.DataFrame(columns=["step", "date", *[c for c, _, _ in CITY_METRICS]])
    return frame[frame["id"] == model.actors.ids[row]].reset_index(drop=True)


# ----------------------------------------------------------------------------- status


def status(model: Any, ts: pd.DataFrame | None = None) -> dict[str, Any]:
    """Alliance states, gate shares, national permissions and sanctions at the current month."""
    from sim.rules.alliances import STATE_NAMES
    from sim.scenario.loader import PERMISSIONS

    ts = timeseries(model) if ts is None else ts
    last = ts.iloc[-1] if len(ts) else None
    gates = {
        p: (float(last[f"gate_open_{p}"]) if last is not None else None)
        for p in ("humanitarian", "development", "peace")
    }
    alliances = [
        {
            "id": aid,
            "state": STATE_NAMES[int(model.alliance_state[i])],
            "progress": float(model.alliance_progress[i]),
        }
        for i, aid in enumerate(model.alliance_ids)
    ]
    countries = list(model.case.countries)
    permissions = []
    if len(countries) <= 12:
        for i in range(len(countries)):
            for j in range(i + 1, len(countries)):
                level = min(int(model.permission[i, j]), int(model.permission[j, i]))
                permissions.append(
                    {
                        "pair": f"{countries[i]}–{countries[j]}",
                        "level": PERMISSIONS[level],
                        "hostility": float(model.hostility[i, j]),
                    }
                )
    sanctioned = [c for c, s in zip(countries, model.sanctioned, strict=True) if s]
    levels = np.minimum(model.permission, model.permission.T)
    return {
        "date": model.date_of(max(model.t - 1, 0)),
        "month": int(model.t),
        "horizon": int(model.horizon),
        "alliances": alliances,
        "gates": gates,
        "permissions": permissions,
        "closed_pairs": int(np.triu(levels == 0, 1).sum()),
        "sanctioned": sanctioned,
        "programmes_funded": None if last is None else int(last["programmes_funded"]),
        "io_share": None if last is None else float(last["io_share"]),
    }


# ----------------------------------------------------------------------------- compare

COMPARE_COLUMNS = ("peace", "positive_peace", "negative_peace", "cross_divide_trust")


def compare_frame(
    runs: Mapping[str, pd.DataFrame], columns: Sequence[str] = COMPARE_COLUMNS
) -> pd.DataFrame:
    """Long table (step, date, run, series, value) of the same series from several runs."""
    parts = []
    for label, ts in runs.items():
        cols = [c for c in columns if c in ts]
        if ts.empty or not cols:
            continue
        long = ts[["step", "date", *cols]].melt(
            id_vars=["step", "date"], var_name="series", value_name="value"
        )
        long.insert(2, "run", label)
        parts.append(long)
    if not parts:
        return pd.DataFrame(columns=["step", "date", "run", "series", "value"])
    return pd.concat(parts, ignore_index=True)


SUMMARY_COLUMNS = ("series", "baseline", "your run", "difference", "mean difference")


def compare_summary(
    mine: pd.DataFrame,
    base: pd.DataFrame,
    columns: Sequence[str] = COMPARE_COLUMNS,
) -> pd.DataFrame:
    """Latest value of each series in the baseline and the chosen run, and their difference.

    Rows align on the step both runs have reached; means over that common window are given as
    well, since a single month can be noisy.
    """
    steps = min(len(mine), len(base))
    rows = []
    for col in columns:
        if col not in mine or col not in base or steps == 0:
            continue
        a = base[col].to_numpy(dtype=float)[:steps]
        b = mine[col].to_numpy(dtype=float)[:steps]
        rows.append(
            {
                "series": col,
                "baseline": a[-1],
                "your run": b[-1],
                "difference": b[-1] - a[-1],
                "mean difference": float(np.nanmean(b - a)),
            }
        )
    return pd.DataFrame(
        rows, columns=["series", "baseline", "your run", "difference", "mean difference"]
    )


def timeseries_csv(session: Session) -> bytes:
    """The current run's time series as CSV (in compare mode the baseline rows follow)."""
    ts = session.timeseries().copy()
    ts.insert(0, "run", session.settings.label())
    if session.reference is not None:
        ref = session.timeseries(reference=True).copy()
        ref.insert(0, "run", "baseline")
        ts = pd.concat([ts, ref], ignore_index=True)
    return ts.to_csv(index=False).encode("utf-8")


def compare_csv(session: Session) -> bytes:
    """The compared series of both runs as a long table: step, date, run, series, value."""
    runs = {
        "baseline": session.timeseries(reference=True),
        session.settings.label(): session.timeseries(),
    }
    return compare_frame(runs).to_csv(index=False).encode("utf-8")


def export_name(settings: Settings, date: str, ext: str) -> str:
    """A file name that says which run it is."""
    s = settings
    world = f"synthetic{s.n_cities}" if s.scenario == "synthetic" else s.scenario
    return f"citypeace_{world}_{s.policy}_seed{s.seed}_{date}.{ext}"
