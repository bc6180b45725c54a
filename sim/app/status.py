"""The status line: date, alliance states, open gates, permissions, sanctions and IO share."""

from __future__ import annotations

import html
from typing import Any

import numpy as np


def status(model: Any) -> dict[str, Any]:
    """Alliance states, gate shares, national permissions and sanctions at the current month."""
    from sim.rules.alliances import STATE_NAMES
    from sim.scenario.loader import PERMISSIONS

    recorder = model.recorder
    ran = recorder.rows > 0
    gates = {
        p: (recorder.latest(f"gate_open_{p}") if ran else None)
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
        "date": model.date_of(model.t - 1),
        "month": int(model.t),
        "horizon": int(model.horizon),
        "alliances": alliances,
        "gates": gates,
        "permissions": permissions,
        "closed_pairs": int(np.triu(levels == 0, 1).sum()),
        "sanctioned": sanctioned,
        "programmes_funded": int(recorder.latest("programmes_funded")) if ran else None,
        "io_share": recorder.latest("io_share") if ran else None,
    }


def status_html(ses: Any, view_t: int | None = None) -> str:
    """The status line: date, alliance states, open gates, permissions, sanctions, IO share."""
    try:
        st = status(ses.model)
    except Exception:  # noqa: BLE001 - a status that cannot be read must not stop the page
        import traceback

        traceback.print_exc()
        return '<div class="cp-alert cp-alert-error">The status could not be read.</div>'
    t = st["month"] if view_t is None else view_t
    date = ses.date(t)
    when = "initial state" if t == 0 else ("viewing an earlier month" if t != st["month"] else "")
    note = f' <span class="cp-when">({when})</span>' if when else ""
    head = (
        f'<div class="cp-head"><span class="cp-date">{date}</span>{note} '
        f'<span class="cp-month">month {t} of {st["horizon"]}  ·  '
        f"{html.escape(ses.settings.scenario)}  ·  {html.escape(ses.settings.label())}  ·  "
        f"seed {ses.settings.seed}</span></div>"
    )
    chips = []
    for a in st["alliances"]:
        chips.append(
            f'<span class="cp-chip cp-alliance">alliance {html.escape(a["id"])}: '
            f"<b>{a['state']}</b> ({a['progress']:.0%} negotiated)</span>"
        )
    gates = st["gates"]
    if gates["humanitarian"] is None:
        chips.append('<span class="cp-chip cp-gates">gates: press Step</span>')
    else:
        chips.append(
            '<span class="cp-chip cp-gates">cross-border ties open: '
            + ", ".join(f"{p[:3]} {v:.0%}" for p, v in gates.items())
            + "</span>"
        )
    for p in st["permissions"][:6]:
        chips.append(
            f'<span class="cp-chip {p["level"]}">{html.escape(p["pair"])}: {p["level"]}'
            f" (hostility {p['hostility']:.2f})</span>"
        )
    if len(st["permissions"]) > 6 or not st["permissions"]:
        chips.append(f'<span class="cp-chip">closed country pairs: {st["closed_pairs"]}</span>')
    if st["sanctioned"]:
        chips.append(
            f'<span class="cp-chip closed">sanctioned: {", ".join(st["sanctioned"])}</span>'
        )
    if st["io_share"] is not None:
        chips.append(f'<span class="cp-chip">IO share of funds: {st["io_share"]:.0%}</span>')
    return head + '<div class="cp-status">' + "".join(chips) + "</div>"
