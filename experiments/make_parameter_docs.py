"""Regenerate docs/parameters.md from the documented coefficients (sim/engine/params.py and the
modules it gathers), with the plausibility bounds and the references they cite.

    .venv/bin/python experiments/make_parameter_docs.py
A test fails when docs/parameters.md is out of date.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from sim.engine.params import Levers, RuleSwitches, parameter_table

DOC = Path(__file__).resolve().parent.parent / "docs" / "parameters.md"


def switches() -> list[tuple[str, str]]:
    """(name, what switching it off does) for every rule switch."""
    return [(f.name, f.metadata.get("off", "")) for f in dataclasses.fields(RuleSwitches)]


def render() -> str:
    lines = [
        "# Parameters",
        "",
        "Every rule coefficient is a named Hydra parameter (`model.<group>.<name>`) with a unit,",
        "an inclusive range checked before a run starts, and a reason: a source line in",
        "`shared/seeds` (`file:line`) or the word *assumption*. Generated from",
        "`sim/engine/params_flows.py`, `sim/engine/params_states.py` and",
        "`sim/engine/params_capacity.py` (gathered in `sim/engine/params.py`)",
        "by `experiments/make_parameter_docs.py`; override any of them on the command line,",
        "for example `citypeace scenario=tuzla model.trust.decay=0.05`.",
        "",
        "*Tuned on* names the patterns (`scenario:pattern`) a value was set from. Such a pattern",
        "is a calibration (`role: calibration` with `calibrates:` in its `patterns.yaml`), never",
        "evidence; `citypeace validate` reports it as such (docs/validation/).",
        "",
        "| key | default | unit | range | source or assumption | tuned on |",
        "| --- | ---: | --- | --- | --- | --- |",
    ]
    for row in parameter_table() + parameter_table(Levers(), "levers"):
        lo, hi = row["range"]
        lines.append(
            f"| `{row['key']}` | {row['default']} | {row['unit']} | [{lo}, {hi}] | {row['why']} "
            f"| {row['tuned_on'] or '-'} |"
        )
    lines += [
        "",
        "Boolean levers: `levers.mediation`, `levers.io_channel`, "
        "`levers.direct_channel` (true/false).",
        "",
        "Rule switches (`model.switches.<name>`, true by default) turn off a whole rule that no",
        "coefficient can zero, for the null models in `configs/nulls/`: "
        + ", ".join(f"`model.switches.{name}` ({why})" for name, why in switches())
        + ".",
        "",
        *DERIVATIONS,
        *BOUNDS,
        *REFERENCES,
    ]
    return "\n".join(lines)


# Coefficients sized from published effect sizes, with the mapping written out (branch contact).
DERIVATIONS = [
    "## Derivation of galtung.w_CT",
    "",
    "Cross-divide trust lowers the cultural-violence target twice over, `C* = sigma(z_C - w_CT"
    " T - w_Chor h_i)` (docs/ODD.md 7.6): `T` is the mean trust of a city's cross-divide ties,"
    " `h_i` (horizontal integration, 7.7) the mean trust of those of them whose ends are both"
    " middle-range. A municipality's ties across the divide join municipalities or"
    " associations of them, so `h_i = T` and the slope near a target `C*` is `dC*/dT ="
    " -(w_CT + w_Chor) C*(1 - C*)`. The contact literature measures one effect of contact on"
    " prejudice, not a middle-range effect on top of it, so it sizes the **total** `w = w_CT +"
    " w_Chor` (branch contact sized `w_CT` alone and left `w_Chor` 0.5 on top; branch mediation"
    " made the two sum to the derived total). The weight is sized from how much intergroup"
    " contact lowers prejudice (written before any run with the new value;"
    " docs/validation/issue15.md, 'contact'):",
    "",
    "- Pettigrew and Tropp (2006): 713 samples from 515 studies, mostly cross-sectional; mean"
    " correlation between contact and prejudice r = -0.21.",
    "- Paluck, Green and Green (2019): the 27 randomized studies whose outcomes were measured"
    " at least a day after contact. Pooled again from their published data (random effects,"
    " `experiments/results/contact/paluck_pool.py`): all 27 d = 0.39 (r 0.19); the 16 on"
    " race, religion or foreigners, the kind of divide the model's cases have, d = 0.24"
    " (se 0.06; r 0.12); the 11 on age, disability, gender or sexuality d = 0.65.",
    "- Lemmer and Wagner (2015): real-world contact programmes against ethnic prejudice; the"
    " effect is still there a month or more after the programme (25 comparisons), also amid"
    " a serious conflict, and reaches the outgroup as a whole.",
    "- A meta-analysis of 41 preregistered contact experiments ('Has intergroup contact"
    " delivered?', abstract read only): about 0.1 SD, generalising less to the whole outgroup.",
    "",
    "The mapping and its assumptions:",
    "",
    "1. `T` (trust on a city's cross-divide ties, built by mediation, peace work and joint"
    " work) stands for the contact between the two communities, and `C` for one community's"
    " prejudice toward the other. The effect sizes are read as the lasting relation between"
    " `T` and the target `C*` (it persists after the contact: Lemmer and Wagner), which `C`"
    " approaches at `rate_C`; not as a jump of `C` itself. What builds `T` is then sized in"
    " units of contact, not of attitude change (the attitude effect is on this slope"
    " already): 'trust.mediation_rate: an assumption', below.",
    "2. A standardized slope is the correlation `r`. Across communities the two indices are"
    " taken to spread alike (`sd(T) = sd(C)`; no data gives the ratio), so `|dC*/dT| = r`.",
    "3. The slope is matched at `C* = 0.5`, where `C*(1 - C*) = 0.25` is largest: `w_CT = 4 r`,"
    " the smallest weight that gives the slope (at the real cases' `C*` of 0.6-0.7 the same"
    " weight gives a slope 4-16% smaller).",
    "4. A randomized study's `d` becomes `r = d / sqrt(d^2 + 4)` (two equal groups).",
    "",
    "**w = w_CT + w_Chor = 4 x 0.12 = 0.48, taken as 0.5**: the randomized studies of ethnic,"
    " religious and national divides. Plausible range **0.2-1.0**: 0.2 from the preregistered"
    " experiments (0.1 SD, r 0.05), 1.0 from Pettigrew and Tropp's r 0.21 matched at `C* ="
    " 0.7`. All 27 randomized studies (0.77) and Pettigrew and Tropp at `C* = 0.5` (0.84) lie"
    " inside it. The earlier 2.0 had no size; in this mapping it is r = 0.5, more than twice"
    " the largest meta-analytic mean.",
    "",
    "**The split, w_CT 0.25 and w_Chor 0.25 (each 0.1-0.5)**, is an assumption: no source"
    " says which share of contact's effect runs through the middle range. Lederach's claim"
    " (004:1924-2000) is about where contact carries furthest (middle-range leaders reach both"
    " the top and the grassroots), so the middle range takes a share of the effect, not an"
    " addition to it: a city whose cross-divide ties are all middle-range gets the whole"
    " contact effect, one whose ties across the divide are only a government's or a"
    " grassroots group's gets `w_CT`'s half, and the null `no_horizontal_integration`"
    " (`w_Chor` 0) takes the middle range's half away.",
    "",
    "- Pettigrew, T. F. and Tropp, L. R. (2006). A meta-analytic test of intergroup contact"
    " theory. *Journal of Personality and Social Psychology* 90(5): 751-783.",
    "- Paluck, E. L., Green, S. A. and Green, D. P. (2019). The contact hypothesis re-evaluated."
    " *Behavioural Public Policy* 3(2): 129-158 (data: the R package PaluckMetaSOP, MIT"
    " licence, `data/contact_data.rda`).",
    "- Lemmer, G. and Wagner, U. (2015). Can we really reduce ethnic prejudice outside the lab?"
    " A meta-analysis of direct and indirect contact interventions. *European Journal of"
    " Social Psychology* 45(2): 152-168.",
    "",
]


# The mediation gain: a stated assumption, and the sizing from the attitude literature that
# branch mediation did and mediation2 reverted (it discounted the contact effect twice).
DERIVATIONS += [
    "## trust.mediation_rate: an assumption",
    "",
    "A mediator trusted by both parties lifts the trust on their tie by `mediation_rate x"
    " neutrality x min(trust(m,u), trust(m,v)) x talks` of the gap to a ceiling (before branch"
    " mediation3: to 1; 'trust.mediation_ceiling', below) each month and holds"
    " the tie in contact, so it does not drift down while mediated (docs/ODD.md 7.5). The seeds"
    " say that third-party mediation helps (004:3801-3807), not by how much. **0.05 is an"
    " assumption**: in the pair world a decade of talks carried by a mediator of neutrality 0.9"
    " trusted 0.5 by both sides lifted the parties' tie 0.25 -> 0.95 while talks lifted toward"
    " 1; under the ceiling 0.30 -> 0.495 (branch mediation3). What it should measure,"
    " given how `galtung.w_CT` was derived, is how fast a mediated process builds a working"
    " relationship between two municipalities' officials; no published source was found that"
    " sizes that (searches of evaluations of municipal international cooperation, city"
    " twinning and city diplomacy gave descriptions, not rates).",
    "",
    "**Why it is not sized from contact's effect on attitudes.** The derivation of"
    " `galtung.w_CT` (above, mapping assumption 1) reads `T` as the contact between the two"
    " communities and puts the attitude effect of contact (r 0.12 from d 0.24) on the slope"
    " `dC*/dT`. Branch mediation sized how fast mediation moves `T` from the same studies'"
    " effect on attitudes (d 0.24 -> a decade's lift of 0.06). Both ends then carry the"
    " discount: a decade of mediation moved `C` by about `0.5 x 0.25 x 0.06 = 0.008`, the"
    " attitude effect counted twice. Under contact's mapping the rate belongs in units of"
    " contact (working relationship built), which the attitude studies do not measure."
    " *The option not taken:* read `T` as an attitude. Then sizing the rate from d 0.24 is"
    " right, but the slope from `T` to `C` is no longer the contact-prejudice correlation: two"
    " measures of the same attitude move nearly one for one (slope close to 1, not r), and"
    " `w_CT + w_Chor` would have to be derived again (about 4, not 0.5); it was not done.",
    "",
    "**The road not taken, as measured** (branch mediation, docs/validation/issue15.md,"
    " 'mediation'): the sized rate 0.0015 (range 0.0005-0.003) came from the studies below,"
    " with one SD of trust taken as 0.25 of the index and the whole effect matched over a"
    " decade at neutrality x mediator trust 0.45 from a tie at 0.25:",
    "",
    "- Paluck, Green and Green (2019): the 16 randomized studies of ethnic, religious or"
    " national divides with outcomes measured at least a day later, pooled again by branch"
    " contact: d = 0.24 (se 0.06). A meta-analysis of 41 preregistered contact experiments:"
    " about 0.1 SD.",
    "- Malhotra and Liyanage (2005): a four-day peace workshop for Sinhalese and Tamil"
    " students; a year later the participants felt more empathy for the other side and gave"
    " more of their money to its poor children than non-participants, but trusted it no more"
    " and kept the same social distance.",
    "- Schroeder and Risen (2016): Israeli and Palestinian teenagers at a three-week camp"
    " (Seeds of Peace) felt more positive toward the other side after camp; the gain faded"
    " after they went home, but a significant part of it remained 9-12 months later.",
    "- Lemmer and Wagner (2015): real-world contact programmes against ethnic prejudice; the"
    " effect persists a month or more after the programme, also amid a serious conflict.",
    "- Mousa (2020): two months of mixed Christian-Muslim football teams in post-ISIS Iraq"
    " changed how the Christians treated Muslim peers six months on, not consistently their"
    " attitudes toward Muslims at large.",
    "- Asimovic, Ditlmann and Samii (2024): a year of a contact-and-sports programme for"
    " Jewish and Arab-Palestinian youth in Israel showed no effect on outgroup regard that the"
    " trial could affirm; a gain after several years, mostly among Jewish-Israeli boys.",
    "",
    "`0.25 + 0.75 (1 - (1 - 0.45 rate)^120) = 0.31` gives 0.0015 a month. With it the pair"
    " world's decade of talks lifted trust 0.25 -> 0.35 and VNG's talks lifted ULAI-APLA 0.10"
    " -> 0.12, below `alliances.found_trust` 0.45, so MAP was never founded (16/17 -> 6/17 of"
    " its patterns held; Croatia 14/22 -> 13/22). Reverted by branch mediation2 for the double"
    " discount above, not for that result.",
    "",
    "- Malhotra, D. and Liyanage, S. (2005). Long-term effects of peace workshops in"
    " protracted conflicts. *Journal of Conflict Resolution* 49(6): 908-924.",
    "- Schroeder, J. and Risen, J. L. (2016). Befriending the enemy: outgroup friendship"
    " longitudinally predicts intergroup attitudes in a coexistence program for Israelis and"
    " Palestinians. *Group Processes and Intergroup Relations* 19(1): 72-93.",
    "- Mousa, S. (2020). Building social cohesion between Christians and Muslims through"
    " soccer in post-ISIS Iraq. *Science* 369(6505): 866-870.",
    "- Asimovic, N., Ditlmann, R. K. and Samii, C. (2024). Estimating the effect of intergroup"
    " contact over years: evidence from a youth program in Israel. *Political Science Research"
    " and Methods* 12(3): 475-493.",
    "",
]


# The mediation ceiling (branch mediation3): the rate keeps its assumption; the level is bounded.
DERIVATIONS += [
    "## trust.mediation_ceiling: a bound from the literature, its size an assumption",
    "",
    "Mediated talks close their monthly share of the gap between a tie's trust and `M ="
    " mediation_ceiling x (1 - mean C of the tie's ends)`, not the gap to 1 (docs/ODD.md 7.5;"
    " a tie at or above `M` gains nothing from talks). Trust beyond `M` comes from delivered"
    " outcomes (a success is aid or peace work delivered, or a project completed) or from the"
    " ends' cultural violence falling, which raises `M`. Why a bound, and why the culture:",
    "",
    "- Kelman (2005): problem-solving workshops between Israelis and Palestinians aim at"
    " *working trust*, confidence that the other side is serious about peace out of its own"
    " interests, not trust in its good will; the parties stay an uneasy coalition. Talks build"
    " a working relationship, not reconciliation.",
    "- Schroeder and Risen (2016): the campers' warmer view of the other side faded in part"
    " once they were home again; what the home culture legitimises pulls the gains back, so"
    " the room talks can fill is read from the ends' cultural violence `C` (Galtung: the part"
    " of a culture that legitimises violence against the other).",
    "- Pettigrew and Tropp (2006) and Paluck, Green and Green (2019): contact's effects are"
    " real and modest, and weaker across ethnic and racial divides; Fisher (2020): how far a"
    " workshop's changes carry into the parties' negotiations and politics is hard to evaluate"
    " and may be unknowable.",
    "",
    "None of them gives a level, so **`mediation_ceiling` 1 (a share, range 0-1) is an"
    " assumption**: talks can fill all the room the culture leaves, `1 - mean C`, and no more."
    " What it does (branch mediation3's first run, docs/validation/issue15.md 'mediation3'): the"
    " pair world's decade of talks (C 0.5 at both ends) lifts its tie 0.30 -> 0.495 (before:"
    " 0.954); ULAI-APLA's ceiling is `1 - (0.60 + 0.65) / 2 = 0.375`, below"
    " `alliances.found_trust` 0.45, so talks alone could not found MAP and it was not founded."
    " Branch founding re-expressed `found_trust` as a share of this ceiling (each member tie"
    " needs `found_trust x M`, ODD 7.8), motivated by that failure; MAP is founded again in"
    " 2004-10 in all 30 seeds (docs/validation/issue15.md 'founding').",
    "",
    "- Kelman, H. C. (2005). Building trust among enemies: the central challenge for"
    " international conflict resolution. *International Journal of Intercultural Relations*"
    " 29: 639-650.",
    "- Fisher, R. J. (2020). Transfer effects from problem-solving workshops to negotiations: a"
    " process and outcome model. *Negotiation Journal* 36(4): 441-.",
    "",
]


# The delivery ceiling (branch deltrust): delivered outcomes build trust toward what the
# communities' culture allows across a divide; success, peace_trust and joint_trust keep sizes.
DERIVATIONS += [
    "## trust.success, delivery.peace_trust, alliances.joint_trust: toward the delivery ceiling",
    "",
    "Every delivered outcome (a success of the trust rule, peace work's monthly gain, an active"
    " alliance's joint work) closes its share of the gap between a tie's trust and the delivery"
    " ceiling `R`, not the gap to 1 (docs/ODD.md 7.5, branch deltrust): `R = 1 - mean C of the"
    " ends` on a cross-divide tie, the room the communities' culture leaves (of which mediated"
    " talks fill `mediation_ceiling`), and 1 on any other tie. A tie above `R` gains nothing"
    " from delivery. No coefficient was added and none was resized. The literature bounds the"
    " kind, not the size:",
    "",
    "- Scacco and Warren (2018): sixteen weeks of mixed vocational classes among 849 Christian"
    " and Muslim young men in Kaduna left prejudice unchanged and cut discrimination against"
    " the other group.",
    "- Mousa (2020): Christians on mixed football teams treated Muslim players in their league"
    " better six months on; the effect did not reach Muslims outside the league.",
    "- Lowe (2021): collaborative contact on mixed-caste cricket teams built cross-caste"
    " friendships and cut own-caste favouritism by a third; adversarial contact did not.",
    "- Paluck, Green and Green (2019): contact's effects are weaker on ethnic and racial"
    " prejudice; McKeown et al. (2024) find contact's links with attitudes between persons, with"
    " little change within them over time.",
    "",
    "Delivered cooperation builds trust in the partners more than it changes what their"
    " communities hold of the other side, and a municipality's officials answer to theirs; no"
    " study found sizes a monthly gain per delivered outcome or a level where it saturates, so"
    " `success` 0.05, `peace_trust` 0.08 and `joint_trust` 0.03 stay assumptions and the"
    " ceiling's form (the whole room culture leaves) is one too. What it does (docs/validation/"
    "issue15.md 'deltrust'): a decade of aid and peace work across the pair world's divide lifts"
    " a tie 0.10 -> 0.49 against a ceiling of 0.50-0.51 (before: 0.99); ULAI-APLA's tie holds"
    " 0.32 in 2008-12 against 0.34 (before: 0.81).",
    "",
    "- Scacco, A. and Warren, S. S. (2018). Can social contact reduce prejudice and"
    " discrimination? Evidence from a field experiment in Nigeria. *American Political Science"
    " Review* 112(3): 654-677.",
    "- Lowe, M. (2021). Types of contact: a field experiment on collaborative and adversarial"
    " caste integration. *American Economic Review* 111(6): 1807-1844.",
    "- McKeown, S. et al. (2024). The longitudinal relationship between youth intergroup contact"
    " and social cohesion outcomes in two divided societies. *European Journal of Social"
    " Psychology*.",
    "",
]


# What a programme can do, and what per-capita money it takes (issue 15). Each bound is checked
# on a synthetic pair of cities built in tests/test_dynamics.py (tests/pair_world.py).
BOUNDS = [
    "## Plausibility bounds",
    "",
    "Money is on one scale: a scenario's budget in units a month (1 unit = EUR 1,000 a month at",
    "2000 prices) reaches a city as a dose in EUR per inhabitant per year (`units x 12,000 /",
    "(residents + hosted displaced)`), and every rule reads money in that unit (docs/ODD.md 7.4).",
    "The bounds below follow from the coefficients above; `tests/test_dynamics.py` checks each on",
    "a synthetic pair of cities across a divide (a war-damaged city of 100,000 with capacity 0.3",
    "and S 0.6, its neighbour, and one donor programme), against the same pair without the",
    "programme (same seed, no noise).",
    "",
    "| bound | figure it rests on | test |",
    "| --- | --- | --- |",
    "| A programme of a few EUR per inhabitant a year changes S and capacity by less than 0.02 "
    "in five years. | The seeds: ABC was about EUR 2.4 million over five years (a scenario "
    "assumption) for Tuzla's ~130,000 inhabitants plus ~60,000 refugees (004:3616-3617), about "
    "EUR 2.5 per inhabitant a year, about 1% of the per-capita national reconstruction flow "
    "(World Bank and EC 1997). | `test_bound_a_few_euros_a_head_changes_little` |",
    "| A Bosnia-scale development programme (EUR 300 per inhabitant a year for five years) lowers "
    "S by at least 0.10 within five years as a crisis programme, by at least 0.07 within five "
    "and 0.085 within ten as a design programme, and raises capacity as aid of that share of "
    "income does: ten years on, 0.05-0.2 points of growth of income per head a year per 1% of "
    "GDP in aid held for a year (capacity read as the UNDP log-income index, `K = ln(y / 100) / "
    "ln 750`, as steady encodes pre-war levels; the aid share of the aided city's own income "
    "each month, about 41% at the start). | World Bank and EC 1997: US$5.1 billion for "
    "1996-1999, about US$300-360 per inhabitant a year, with GDP growth over 50% in 1996 and "
    "about 35% in 1997 from a collapsed base (growth with the aid, not the aid's part of it). "
    "Arndt, Jones and Tarp 2010: an inflow of about 10% of GDP raises growth by about one point "
    "a year in the long run (0.1 per 1%); Collier and Hoeffler 2004: post-conflict absorptive "
    "capacity about double in years 4-10 (at most 0.2); Clemens et al. 2012: modest, and "
    "diminishing at high aid levels (at least half, 0.05). Until branch bounds the capacity "
    "part was an absolute +0.05 of the index, which no source gave. | "
    "`test_bound_bosnia_scale_rebuilds` |",
    "| No programme lowers cultural violence by more than 0.1 in a decade: even EUR 1,000 per "
    "inhabitant a year of all three pillars, fully coordinated, for ten years (a vision "
    "programme) lowers C by less than 0.1, also when a mediator brings the two sides together "
    "for the decade and their trust climbs (on either side, against the pair without programme "
    "or mediation). | 004:1619-1623 cultural violence is the most persistent (assumption about "
    "its size). | `test_bound_no_programme_lowers_culture_fast`, "
    "`test_bound_no_programme_lowers_culture_fast_through_trust_across_the_divide` (met "
    "since branch mediation: the sized mediation lifts trust 0.25 -> 0.35, east's C falls "
    "0.078, west's 0.006; a strict xfail before, when trust rose to 0.95 and east's C fell "
    "0.135; docs/validation/issue15.md, 'contact', 'mediation') |",
    "| Without aid and without war, capacity recovers by itself: the gap to its own steady "
    "state (its pre-war level; branch steady) halves in 8-25 years (about 12 at middling "
    "cohesion); it never collapses, nor passes that level. | Collier 1999; "
    "Chen, Loayza and Reynal-Querol 2008: recovery after a lasting peace is the norm. | "
    "`test_recovery_without_aid_is_slow_not_a_collapse` |",
    "| Development aid speeds recovery: the Bosnia-scale programme leaves capacity at least "
    "0.03 higher ten years on. | Collier and Hoeffler 2004. | "
    "`test_development_aid_speeds_recovery` |",
    "| A crisis programme acts fast and fades; a vision programme acts slowly and lasts (after "
    "about 15 years it has kept more of its effect on S). | 004:1924-2000 Lederach's horizons "
    "(assumption about lifetimes). | `test_horizon_tag_sets_how_long_an_effect_lasts` |",
    "| Displacement: at D = 0.8 for 42 months, from a usual level of 0.05, 30-55% of the "
    "residents flee; in peace with capacity 0.7, 40-70% of them are back within ten years. "
    "| UNHCR 2004: about 2 of 4.4 million displaced in 3.5 years; 1,000,473 back by July "
    "2004, 8.6 years after Dayton. | "
    "`test_displacement_rule_conserves_people_and_matches_bosnia` |",
    "| A city at its usual direct violence, however high, loses nobody to flight; a siege "
    "month (D 0.8 where 0.1 is usual) moves about 1% of its residents out. | People flee "
    "war, not a country's everyday crime (issue 15; docs/ODD.md 7.6). | "
    "`test_a_city_at_its_usual_violence_loses_nobody`, `test_a_siege_month_moves_people_out` |",
    "| Peace work builds the same trust on a tie whatever development money joins it: trust "
    "reads the peace work delivered per recipient inhabitant (`money.x_half_contact`), not its "
    "share of the offer. | The Croatian diagnosis (docs/validation/croatia_twinnings/"
    "diagnosis_aid_gap.md): Woensdrecht's contact with Darda built a tenth of the trust once a "
    "waste programme's money joined the twinning. | "
    "`test_bound_peace_work_builds_the_same_trust_whatever_development_joins_it` |",
    "| Development money too small for a project still counts as development: a programme "
    "paying below `delivery.project_min` a month raises capacity, by 0.05-0.2 points of growth "
    "a year per 1% of GDP in aid as above (EUR 32 per inhabitant a year to a village of 300, "
    "about 4% of its income, for five years); with `delivery.small_dev_share` 0 it does not. | "
    "001:5168-5178 trucks and equipment for Darda; 004:3649-3653 ABC's projects cost about "
    "EUR 24,000 each; Arndt, Jones and Tarp 2010; Collier and Hoeffler 2004; Clemens et al. "
    "2012. Until branch bounds an absolute +0.005 of the index in five years, which no source "
    "gave. | "
    "`test_small_development_money_counts_as_development` |",
    "| Without aid and without war, structural violence falls slowly as capacity recovers and "
    "keeps where the city started otherwise: from S 0.6 it falls and stays above 0.2 in ten "
    "years, and C moves by less than 0.1 in a decade (`galtung.persistence`). **Assumption, "
    "not met since branch steady (strict xfail):** S falls by at least 0.1 in ten years; east "
    "recovers toward its pre-war level, where its S is about 0.38, and falls 0.600 -> 0.522. | "
    "Bosnia's unemployment: 80-90% at the war's "
    "end (Donais 2005), 50% in 1996 (World Bank 1997), about 27-31% in 2006-2010 (BiH Agency "
    "for Statistics, Labour Force Survey), with massive national aid (it sizes the aided fall, "
    "which the Bosnia-scale programme meets, not the unaided one); 004:1619-1623. | "
    "`test_bound_structural_violence_without_aid_falls_slowly`, "
    "`test_bound_structural_violence_without_aid_falls_by_a_tenth` (xfail) |",
    "| A war month is worse for the city hit: a two-month war (pressure 1) raises D's logit by "
    "at least 0.7 in the month it starts (D by 0.05 or more in a calm city at D 0.05) and "
    "lowers peace that month; capacity is lower and needs higher after it. | 001:5209-5213 "
    "work during active conflict mostly failed; 004:3191-3197 "
    "clashes kept worsening; CIA World Factbook 2014 and Collier 1999 for the size of the "
    "destruction (`recovery.damage`). | `test_bound_a_war_month_is_worse_for_the_city_hit` |",
    "| A siege is never good for the besieged city: with a violence event of any pressure, "
    "needs, S, capacity, residents and positive peace are no better, month by month. | Issue 15 "
    "(a siege used to lower the besieged city's needs). | "
    "`test_a_siege_is_never_better_for_the_besieged_city` (hypothesis) |",
    "",
]

REFERENCES = [
    "## References",
    "",
    "- Arndt, C., Jones, S. and Tarp, F. (2010). Aid, growth, and development: have we come full "
    "circle? *Journal of Globalization and Development* 1(2): article 5 (an aid inflow of about "
    "10% of GDP raises per capita growth by about one percentage point a year in the long run).",
    "- Clemens, M. A., Radelet, S., Bhavnani, R. R. and Bazzi, S. (2012). Counting chickens "
    "when they hatch: timing and the effects of aid on growth. *Economic Journal* 122(561): "
    "590-617 (aid is followed by modest rises in investment and growth, diminishing at high "
    "levels of aid).",
    "- Chen, S., Loayza, N. and Reynal-Querol, M. (2008). The aftermath of civil war. *World "
    "Bank Economic Review* 22(1): 63-85 (World Bank Policy Research Working Paper 4190, 2007).",
    "- Collier, P. (1999). On the economic consequences of civil war. *Oxford Economic Papers* "
    "51(1): 168-183.",
    "- Collier, P. and Hoeffler, A. (2004). Aid, policy and growth in post-conflict societies. "
    "*European Economic Review* 48(5): 1125-1145 (World Bank Policy Research Working Paper "
    "2902, 2002).",
    "- CIA (2014). *The World Factbook*: Bosnia and Herzegovina, Economy overview (production "
    "fell by 80% in 1992-1995; output recovered in 1996-1999; high unemployment remains the "
    "most serious macroeconomic problem).",
    "- BiH Agency for Statistics (2008). Labour Force Survey 2007: unemployment 29% in 2007, "
    "31% in 2006 (as reported by the Bosnian press, March 2008).",
    "- Donais, T. (2005). *The Political Economy of Peacebuilding in Post-Dayton Bosnia.* "
    "Routledge, ch. 'Business as usual': per capita GDP at the war's end about 20% of its "
    "pre-war level, unemployment 80-90%.",
    "- World Bank (1997). *Bosnia and Herzegovina Country Assistance Strategy FY98-FY99*: "
    "growth of 50% in 1996; unemployment 'still unsustainably high at 50 percent'.",
    "- UNHCR (21 September 2004). Returns to Bosnia and Herzegovina reach 1 million. Press "
    "release, Geneva.",
    "- World Bank (1996), as quoted by the Associated Press, 1 March 1996: war damage in Bosnia "
    "and Herzegovina of up to US$30 billion.",
    "- World Bank and European Commission (1997). *Bosnia and Herzegovina: Implementation of the "
    "Priority Reconstruction Program. Status report to the donor community.* Report 19295. "
    "Washington, DC and Brussels.",
    "- Williams, M. J. (2017). The political economy of unfinished development projects: "
    "corruption, clientelism, or collective choice? *American Political Science Review* "
    "111(4): 705-723 (about a third of 14,000 small local projects in Ghana started in "
    "2011-13 were never finished; the unfinished ones were on average about 65% built, had "
    "56% of their contract sums paid, and were unlikely ever to be finished).",
    "- Hina (1 August 1996). World Bank emergency housing reconstruction in Bosnia and "
    "Herzegovina: US$70 million, about 15,000 flats and smaller buildings to be repaired by "
    "the year's end (hina.hr/vijest/4216747); Hina (4 October 1998). UNDP and EU "
    "reconstruction in Travnik: 520 homes in 48 villages in the first phase, US$5.5 million "
    "(hina.hr/vijest/4203848).",
    "- The seed reports (`shared/seeds`, cited as `file:line`): 001 (Seoul's city-diplomacy "
    "potential, 2018: 4720 Dutch aid to Nicaragua, 4749 Dutch municipalities' own funds, "
    "5019-5021 ABC's money) and 004 (Seoul's city diplomacy for peace, 2020: 3616-3617 Tuzla's "
    "people and refugees, 1924-2000 Lederach's horizons, 1619-1623 cultural violence persists).",
    "",
]


if __name__ == "__main__":
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC}")
