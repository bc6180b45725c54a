"""The app's widgets: interactive figures, downloads, the viewport reporter and inputs.

Custom ipyvuetify templates where Solara's own components fall short here:

* ``FigureWidget``: an image whose frames are pushed as bytes while playing, with hover
  tooltips over the network's nodes, a cursor readout over the time series, and clicks sent
  back in image pixels (whatever size the browser shows it at).
* ``ViewportWidget``: tells the server the browser window's size, so figures are drawn to fit.
* ``DownloadWidget``: solara.FileDownload renders its button through <jupyter-widget>, which is
  not registered under ipyvuetify 3, so the button never appears.
"""

from __future__ import annotations

import base64
import html
import math
from typing import Any

import ipyvuetify
import solara
import traitlets

from sim.app import state


def table_html(rows: list[list[Any]], header: list[str] | None = None, cls: str = "") -> str:
    """A small HTML table (numbers formatted to 3 decimals)."""

    def cell(v: Any) -> str:
        if isinstance(v, float):
            return "–" if math.isnan(v) else f"{v:,.3f}" if abs(v) < 1000 else f"{v:,.0f}"
        return html.escape(str(v))

    head = "".join(f"<th>{html.escape(h)}</th>" for h in header or [])
    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in r) + "</tr>" for r in rows)
    return (
        f'<table class="cp-table {cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    )


FIGURE_VUE = """
<template>
  <div :class="['cp-figure', box_class]" style="position: relative; line-height: 0;"
       @mouseleave="hover = -1">
    <img ref="img" :src="src" :data-frame="frame" :class="img_class" :width="width"
         :height="height"
         style="display: block; max-width: 100%; height: auto;" @click="click"
         @mousemove="move" :alt="alt"/>
    <svg v-if="spots && spots.length" :viewBox="'0 0 ' + width + ' ' + height"
         style="position: absolute; left: 0; top: 0; width: 100%; height: 100%;
                pointer-events: none;">
      <circle v-for="(s, i) in spots" :key="i" :cx="s[0]" :cy="s[1]" :r="s[2]"
              fill="transparent" class="cp-spot" style="pointer-events: all; cursor: pointer;"
              @click="click"><title>{{ s[3] }}</title></circle>
    </svg>
    <div v-if="hover >= 0 && readout && readout[hover]" class="cp-readout"
         :style="{position: 'absolute', left: '0px', bottom: '0px', right: '0px'}">
      {{ readout[hover] }}
    </div>
    <div v-if="hover >= 0 && readout && readout[hover]" class="cp-cursor"
         :style="{position: 'absolute', top: '0px', bottom: '0px', width: '1px',
                  left: cursor + 'px', background: '#1565c0', pointerEvents: 'none'}"></div>
  </div>
</template>
<script>
module.exports = {
  data() { return { cursor: 0, hover: -1 }; },
  methods: {
    pixel(e) {
      const r = this.$refs.img.getBoundingClientRect();
      return [(e.clientX - r.left) * this.width / r.width,
              (e.clientY - r.top) * this.height / r.height, r];
    },
    click(e) {
      const [x, y] = this.pixel(e);
      this.clicked = [Math.round(x), Math.round(y), Date.now() % 1000000];
    },
    move(e) {
      if (!this.readout || !this.readout.length || !this.axis) return;
      const [x, , r] = this.pixel(e);
      const f = (x - this.axis[0]) / (this.axis[1] - this.axis[0]);
      const i = Math.round(f * (this.horizon - 1));
      this.hover = (f < 0 || f > 1 || i >= this.readout.length) ? -1 : i;
      this.cursor = (this.axis[0] + (this.axis[1] - this.axis[0]) * i / (this.horizon - 1))
                    * r.width / this.width;
    }
  }
}
</script>
"""


class FigureWidget(ipyvuetify.VuetifyTemplate):
    """An image with tooltips (``spots``: [x, y, r, text]), a readout and clicks; see above.

    ``image`` (bytes) reaches the page as a ``data:`` URL (``src``) with a frame counter, not
    as a binary buffer: in chromium, a buffer cost a Blob, an object URL and a resource fetch
    per frame, and jupyter-vue compared old and new buffers byte by byte (lodash isEqual);
    together more main-thread time than the rest of the page's work for a month.
    """

    template = traitlets.Unicode(FIGURE_VUE).tag(sync=True)
    image = traitlets.Bytes(None, allow_none=True)
    format = traitlets.Unicode("jpeg")
    src = traitlets.Unicode("").tag(sync=True)
    frame = traitlets.Int(0).tag(sync=True)
    width = traitlets.Int(100).tag(sync=True)
    height = traitlets.Int(100).tag(sync=True)
    img_class = traitlets.Unicode("").tag(sync=True)
    box_class = traitlets.Unicode("").tag(sync=True)
    alt = traitlets.Unicode("").tag(sync=True)
    spots = traitlets.List([]).tag(sync=True)
    readout = traitlets.List([]).tag(sync=True)
    axis = traitlets.List([]).tag(sync=True)
    horizon = traitlets.Int(1).tag(sync=True)
    clicked = traitlets.List([]).tag(sync=True)

    @traitlets.observe("image")
    def _encode(self, change: Any) -> None:
        data = change["new"]
        with self.hold_sync():  # one message: the picture and its number
            self.src = (
                f"data:image/{self.format};base64,{base64.b64encode(data).decode()}" if data else ""
            )
            self.frame += 1


VIEWPORT_VUE = """
<template><span class="cp-viewport" style="display: none"></span></template>
<script>
module.exports = {
  mounted() {
    const report = () => { this.size = [window.innerWidth, window.innerHeight]; };
    report();
    let timer = null;
    this._onresize = () => { clearTimeout(timer); timer = setTimeout(report, 250); };
    window.addEventListener('resize', this._onresize);
  },
  beforeDestroy() { window.removeEventListener('resize', this._onresize); }
}
</script>
"""


class ViewportWidget(ipyvuetify.VuetifyTemplate):
    """Reports the browser window's inner size (and again after each resize)."""

    template = traitlets.Unicode(VIEWPORT_VUE).tag(sync=True)
    size = traitlets.List([]).tag(sync=True)


SCROLL_VUE = """
<template><span class="cp-scroller" style="display: none"></span></template>
<script>
module.exports = {
  watch: {
    tick() {
      // Once now and once after the new panel has drawn: swapping panels can shorten the page
      // for a moment, and a scroll that runs then stops short of its target.
      const go = () => {
        const el = document.querySelector(this.selector);
        if (el) el.scrollIntoView({ block: 'start' });
      };
      go();
      setTimeout(go, 600);
    }
  }
}
</script>
"""


class ScrollWidget(ipyvuetify.VuetifyTemplate):
    """Scrolls the page to ``selector`` each time ``tick`` changes (not when first shown)."""

    template = traitlets.Unicode(SCROLL_VUE).tag(sync=True)
    selector = traitlets.Unicode("").tag(sync=True)
    tick = traitlets.Int(0).tag(sync=True)


DOWNLOAD_VUE = """
<template>
  <v-btn variant="outlined" size="small" :class="css_class" @click="request_download = true">
    {{ label }}
  </v-btn>
</template>
<script>
module.exports = {
  watch: {
    bytes(value) {
      if (this.request_download && value) {
        const a = document.createElement('a');
        a.download = this.filename;
        const url = window.URL.createObjectURL(new Blob([value], { type: this.mime_type }));
        a.href = url;
        document.body.appendChild(a);
        a.click();
        document.body.removeChild(a);
        setTimeout(() => window.URL.revokeObjectURL(url), 1000);
        this.request_download = false;
      }
    }
  }
}
</script>
"""


class DownloadWidget(ipyvuetify.VuetifyTemplate):
    """A button that asks the server for bytes and saves them as a file in the browser.

    Not solara.FileDownload: its template renders the button through <jupyter-widget>, which
    is not registered under ipyvuetify 3, so the button never appears.
    """

    template = traitlets.Unicode(DOWNLOAD_VUE).tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    css_class = traitlets.Unicode("").tag(sync=True)
    filename = traitlets.Unicode("").tag(sync=True)
    mime_type = traitlets.Unicode("application/octet-stream").tag(sync=True)
    bytes = traitlets.Bytes(None, allow_none=True).tag(sync=True)
    request_download = traitlets.Bool(False).tag(sync=True)


@solara.component
def Download(
    data: Any, filename: Any, label: str, mime_type: str = "application/octet-stream", css: str = ""
) -> None:
    """A download button; ``data()`` and ``filename()`` run only when it is clicked.

    Exports are not free, and the file name carries the month at the time of the click.
    """
    requested, set_requested = solara.use_state(False)

    def produce() -> tuple[bytes | None, str]:
        if not requested:
            return None, ""
        try:
            return data(), filename()
        except Exception as exc:
            state.report(f"could not export {label}", exc)
            return None, ""

    payload, name = solara.use_memo(produce, [requested])
    DownloadWidget.element(
        label=label,
        css_class=css,
        filename=name or "citypeace-export",
        mime_type=mime_type,
        bytes=payload,
        request_download=requested,
        on_request_download=set_requested,
    )


def alert(text: str, kind: str = "error", cls: str = "") -> None:
    """A coloured message box.

    Not solara.Error/Info/Warning: they pass a bool to ipyvuetify 3's Alert.text (a string
    trait), which raises and takes the whole page down.
    """
    solara.HTML(
        tag="div",
        unsafe_innerHTML=html.escape(text),
        classes=["cp-alert", f"cp-alert-{kind}", *([cls] if cls else [])],
        attributes={"role": "alert"},
    )


def use_controlled(value: Any) -> tuple[Any, Any]:
    """(shown value, setter) for an input that must show the *running* value after a refusal.

    A refused change leaves the run's value as it was, so the widget's value property would not
    change and the browser would keep showing the refused input. Here the input shows its own
    state, re-synced from the run whenever the run's value or ``rev_r`` (bumped on each refusal)
    changes; the re-sync runs after the render that showed the refused value, so it is a real
    change that reaches the browser.
    """
    shown, set_shown = solara.use_state(value)
    solara.use_effect(lambda: set_shown(value), [value, state.rev_r.value])
    return shown, set_shown


@solara.component
def IntField(label: str, value: int, on_commit: Any, css: str) -> None:
    """A whole-number input that commits on Enter or when the field is left."""
    from solara.components.input import use_change

    text, set_text = use_controlled(str(value))

    def commit(raw: Any) -> None:
        try:
            number = int(str(raw).strip())
        except ValueError:
            state.error_r.set(f"{label} = {raw!r}: a whole number")
            state.rev_r.set(state.rev_r.value + 1)
            return
        if number != value:
            on_commit(number)

    field = solara.v.TextField(
        label=label,
        v_model=text,
        on_v_model=set_text,  # every keystroke: the text is ours, see use_controlled
        variant="filled",
        hide_details="auto",
        class_=css,
    )
    use_change(field, commit)


@solara.component
def Choice(
    label: str, values: list[str], value: str, on_commit: Any, css: str, disabled: bool = False
) -> None:
    """A select that shows the running value again when a choice is refused."""
    shown, set_shown = use_controlled(value)

    def pick(v: str) -> None:
        set_shown(v)
        if v != value:
            on_commit(v)

    solara.Select(
        label, values=values, value=shown, on_value=pick, disabled=disabled, classes=[css]
    )


@solara.component
def Toggle(label: str, value: bool, on_commit: Any, css: str, disabled: bool = False) -> None:
    """A switch that flips back when its change is refused."""
    shown, set_shown = use_controlled(bool(value))

    def flip(v: bool) -> None:
        set_shown(bool(v))
        if bool(v) != bool(value):
            on_commit(bool(v))

    solara.Switch(
        label=label, value=shown, on_value=flip, color="primary", classes=[css], disabled=disabled
    )


@solara.component
def LeverSlider(
    label: str,
    value: float,
    lo: float,
    hi: float,
    on_commit: Any,
    css: str,
    disabled: bool = False,
) -> None:
    """A lever slider that moves back when its change is refused; full width, label above."""
    shown, set_shown = use_controlled(float(value))

    def slide(v: float) -> None:
        v = round(float(v), 4)
        set_shown(v)
        if v != float(value):
            on_commit(v)

    with solara.Div(classes=[css, "cp-lever"]):
        solara.HTML(
            tag="div",
            unsafe_innerHTML=html.escape(f"{label}: {float(value):.2f}"),
            classes=["cp-lever-label"],
        )
        solara.SliderFloat(
            "",
            value=shown,
            min=min(lo, float(value)),
            max=max(hi, float(value)),
            step=0.05,
            on_value=slide,
            disabled=disabled,
        )


@solara.component
def Viewport() -> None:
    """Keeps ``state.viewport_r`` at the browser window's size."""

    def got(size: Any) -> None:
        if isinstance(size, list | tuple) and len(size) == 2:
            w, h = (int(v) for v in size)
            if (w, h) != state.viewport_r.value:
                state.viewport_r.set((w, h))
            state.viewport_known_r.set(True)

    ViewportWidget.element(size=[], on_size=got)
