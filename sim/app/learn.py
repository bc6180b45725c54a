"""The Learn tab: Galtung, Lederach and the triple nexus in our words, next to the rules'
formulas with the run's own parameter values, and pointing at what is on the screen now."""

from __future__ import annotations

import math
from typing import Any

import solara

from sim.app import state


def _runs_line(ses: Any) -> str:
    if len(ses.runs) == 1:
        return f"One run: **{ses.runs[0].label}** (seed {ses.settings.seed})."
    styles = ("solid", "dashed", "dotted", "dash-dot")
    return (
        f"{len(ses.runs)} runs, told apart by line style: "
        + "; ".join(f"**{r.label}** ({styles[i % 4]})" for i, r in enumerate(ses.runs))
        + "."
    )


def _idle_line(ses: Any) -> str:
    """A sentence on the grey actors of the network shown, when its policy leaves some idle."""
    from sim.app.figures import idle_of

    run = ses.runs[min(state.net_run_r.value, len(ses.runs) - 1)]
    idle, why = idle_of(ses, run.model)
    if not idle.any():
        return ""
    return (
        f" **Pale grey** actors ({int(idle.sum())}) take no part in this run's policy "
        f"({why.removeprefix('idle: ')}); they stay in the picture so that runs look alike."
    )


def _scope_line(ses: Any) -> str:
    row = state.selected_r.value
    if row is None or not 0 <= row < ses.model.n_cities:
        return (
            "The peace and needs panels average all cities, weighted by population; choose a "
            "city to follow it instead."
        )
    from sim.app.inspector import city_name

    name = city_name(ses.model, row).split(" (")[0]
    return f"The peace and needs panels follow **{name}** (chosen in Inspect a city)."


@solara.component
def LearnTab(ses: Any) -> None:
    """Galtung, Lederach and the triple nexus in our words, with the rules and today's numbers."""
    frame = state.frame_r.value
    text = solara.use_memo(
        lambda: state.guard(lambda: learn_markdown(ses), "The Learn panel failed (see the log)."),
        [ses, frame, ses.version],
    )
    solara.HTML(tag="div", unsafe_innerHTML=markdown_html(text), classes=["cp-learn"])


def markdown_html(text: str) -> str:
    """Markdown to HTML on the server.

    Not solara.Markdown: it asks the page to load KaTeX from the CDN path, which solara-assets
    does not ship, so offline it fails (and online the server would fetch it from the internet).
    """
    import markdown

    return markdown.markdown(text, extensions=["fenced_code", "tables"])


def _latest(ses: Any, col: str) -> str:
    ts = ses.timeseries()
    if col not in ts or ts.empty:
        return "(press Step)"
    v = float(ts[col].iloc[-1])
    return "n/a" if math.isnan(v) else f"{v:.2f}"


def learn_markdown(ses: Any) -> str:
    """The Learn panel, with the run's parameter values and current numbers filled in."""
    m, p = ses.model, ses.model.params
    g, tr, d, pr = p.galtung, p.trust, p.delivery, p.proposals
    lv = m.levers
    mult = 1 + d.synergy * lv.coordination
    return f"""
### What you are looking at ({ses.date()}, month {ses.t})
{_runs_line(ses)}
**Network (left).** Each **circle** is a city, coloured by its *positive peace* (red low, green
high) and sized by its population; hover over it for its name and values, click it to inspect it.
**Magenta lines** are ties across a divide; a **dashed magenta line** separates communities in
conflict, and a **dashed magenta ring** marks a mixed city with a divide running through it.
Grey lines are the other ties; a darker, thicker line means more trust, and a tie is drawn only
while it is active. Triangles are governments, squares international organisations, diamonds
NGOs.{_idle_line(ses)}

**Time series (right).** Four panels: peace (Galtung), relationships (Lederach), needs and
displaced people, and aid by pillar (the triple nexus). {_scope_line(ses)} The **black line** is
the current month; numbered grey circles are the scenario's events (listed, with sources, in the
Events tab), and shaded bands are periods of violence. Hover over the figure to read each run's
values for a month.

### Galtung: three kinds of violence, two kinds of peace
*Direct* violence (D) is the visible kind: killing, attacks, destruction. *Structural* violence
(S) is harm built into how a society is run: who gets water, jobs and schools. *Cultural*
violence (C) is the set of stories and prejudices that make the other two look normal.
Ending the fighting gives **negative peace**. **Positive peace** also needs fair structures and
a culture that does not justify violence.
```
negative peace = 1 − D        positive peace = √((1 − S)(1 − C))        peace = ∛((1−D)(1−S)(1−C))
X ← X + r_X·(X* − X) + noise
    r_D = {g.rate_D:g} ≫ r_S = {g.rate_S:g} ≫ r_C = {g.rate_C:g} per month
D* = σ(w·S + w·C + w·needs + pressure − w·cohesion − w·capacity − b)
S* = σ(w·D + w·needs + w·displaced share − w·capacity − b)
C* = σ(w·D + w·national hostility − w·cross-divide trust − w·cohesion − b)
```
The rates explain the picture. A ceasefire shows within months in the blue *negative peace*
line of the first panel. The orange *positive peace* line and the colour of the cities move
over years, because S and C change slowly. Now: negative peace
**{_latest(ses, "negative_peace")}**, positive peace **{_latest(ses, "positive_peace")}**.

### Lederach: relationships, and the middle range
Peace is built in relationships across the divide, at three levels. At the *top* are national
leaders. In the *middle range* are mayors, municipal associations and respected NGOs. At the
*grassroots* are citizens. City diplomacy works in the middle range, which can reach both up and
down. Every tie carries trust:
```
success:     trust += a_s·(1 − trust)          a_s = {tr.success:g}
failure:     trust −= a_f·trust                a_f = {tr.failure:g}  (a broken promise costs more)
no contact:  trust −= decay·(trust − floor),   floor = max(memory, baseline), decay = {tr.decay:g}
mediation:   trust(u,v) += μ·neutrality(m)·min(trust(m,u), trust(m,v))
             when both trust(m,u) and trust(m,v) > θ = {tr.mediation_threshold:g}
take each item of an offer with p = σ(β0 + β_trust·trust + β_benefit·benefit − β_host·hostility
                                     + β_med·mediated + β_will·will),  β_trust = {pr.beta_trust:g}
```
The magenta lines and the second panel show this: the thick magenta line is the communities'
*cross-divide trust*, now **{_latest(ses, "cross_divide_trust")}**; the pale pink line beneath it
is their delegates' trust on the same ties, now **{_latest(ses, "delegates_trust")}** (the
mediation term lifts the delegates' trust, and their communities take it up slowly; without
mediation ties the two are equal and the pink line is not drawn). *Horizontal
integration* (trust between middle-range actors across the divide) is
**{_latest(ses, "horizontal_integration")}**. Switching the **mediator** off removes the
mediation term. Where the parties do not trust each other, their trust then stays near its low
baseline.

### The triple nexus: humanitarian, development, peace
Humanitarian aid saves lives now. Development rebuilds capacity and lowers S over years. Peace
work builds trust and lowers C. Run in silos, they undercut one another. Projects in a violent
place are interrupted and lose the works under way; an interruption costs trust for the part a
partner made (a refusal, a funder stopping, a community staying away), not for the shelling.
```
nexus multiplier = 1 + synergy·coordination = 1 + {d.synergy:g}×{lv.coordination:g} = {mult:.2f}
   (for a city that received ≥ 2 pillars within {d.nexus_window} months)
gates: direct cross-border aid needs permission ≥ humanitarian; development and peace need open;
       sanctions block development; a neutral IO relaxes both for human-security work
       (the "third channel"), if the IO channel is on ({"on" if lv.io_channel else "off"} now)
```
The fourth panel counts deliveries per month by pillar and the active development projects; the
third shows needs and the displaced share of the population. The status chips above the figures
show which cross-border gates are open. **Nexus coordination**,
**funding level** and the **IO channel** are the levers to try.

### Alliances
An alliance such as MAP goes *proposed → negotiating → founded → active ⇄ suspended →
dissolved*. Negotiation advances only while a mediator trusted by both sides is active and the
violence above the usual level the talks feel stays below {p.alliances.stall_violence:g}:
mediated talks meet at a neutral venue abroad and feel {1 - tr.venue_shield:g} of the violence
at home (so does the trust of a mediated tie). Founding needs secured funding and working
trust: the members' delegates, who meet at the table, trust each other at least
{p.alliances.found_trust:g} on every tie between them. Their communities take up what the
delegates built only slowly, up to {tr.mediation_ceiling:g} x (1 - the ends' mean cultural
violence). The alliance state is in the status chips.

Guided lessons for a 45-minute class are in `docs/teaching.md`.
"""
