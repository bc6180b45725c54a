"""Stage 5b, development projects: start, progress, interruption and completion
(MODEL.md 5.4; rules.nexus). A completed project's spent value feeds its city's development
effect stock (rules.money); it no longer changes capacity or S directly (issue 15). An
interrupted one feeds it with what it spent less its works under way (rules.nexus). Development
money too small to start a project (below ``delivery.project_min``) on a tie without one feeds
the stock when it is delivered. A project whose programme has closed runs on the budget the
programme committed at approval (rules.funding, ODD 7.2), paid as ``stages.committed``
computed it before delivery."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sim.engine.coefficients import Coefficients
from sim.engine.groups import DESIGN
from sim.engine.kernels import projects as projects_loops
from sim.engine.month import Month
from sim.engine.random_streams import RandomStreams, month_keys, uniforms_of
from sim.engine.stages.delivery import lifetime
from sim.engine.state import ACTIVE, COMPLETED, INTERRUPTED, State
from sim.engine.world import World
from sim.rules import DEV, fused, money, nexus, trust


def run_projects(
    world: World,
    state: State,
    co: Coefficients,
    month: Month,
    streams: Sequence[RandomStreams],
) -> None:
    """Projects of this month into the state and ``month`` (started, completed, interrupted)."""
    c, t, pj, dp, log = state.cities, world.ties, state.projects, co.delivery, state.log
    step, n = month.step, world.n_cities
    dev_offer = month.offer[DEV]
    # An accepted development offer of at least project_min on a tie without a live project
    # starts one, of a random whole number of months.
    funded = month.accepted & (dev_offer >= np.maximum(dp.project_min, 1e-12))
    idle = pj.row < 0
    starting = funded & idle
    # Smaller development money on a tie without a project is equipment and small works: it
    # counts as development when delivered (a share delivery.small_dev_share of it).
    # Without programme rows all of it is the providers' own: one sum, in a compiled loop at
    # scale (sim.engine.kernels).
    fast = not world.row_tie.size and fused.wanted(dev_offer.size)
    small_by_horizon = np.zeros((3, *c.capacity.shape))
    if fast:
        small_by_horizon[DESIGN] = projects_loops.small_money(
            dev_offer, month.taken, pj.row, starting, t.dst, n, dp.small_dev_share
        )
        small, small_at = None, np.zeros(0, dtype=np.int64)
    else:
        small = np.where(idle & ~starting, dev_offer * month.taken, 0.0)
        # (flat positions, replicate-then-tie order: np.nonzero's, without its 2-D index)
        small_at = np.flatnonzero((small > 0) & (t.dst < n))
    small_r, small_tie = np.divmod(small_at, world.n_ties)
    main = None  # the programme with most development money on the ties that need it
    if world.row_tie.size and (starting.any() or small_at.size):
        need = np.zeros(world.n_ties, dtype=bool)
        need[np.flatnonzero(starting) % world.n_ties] = True
        need[small_tie] = True
        main = _main_programme(world, month.split, need)
    # One uniform per tie and month from the projects stream, keyed by the tie (the stream gives
    # one month key a month): a project's draws do not depend on how many others start or run,
    # and only the ties with a project need theirs computed. A starting project's draw sets its
    # duration; a running one's is its interruption draw.
    month_key = month_keys([own.projects for own in streams])
    started_programme = np.full(starting.shape, -1, dtype=np.int64)
    if starting.any():
        if main is not None:  # (without programmes, every project is the provider's own)
            started_programme = np.where(starting, main, -1)
        rs, es = np.divmod(np.flatnonzero(starting), world.n_ties)  # np.nonzero's, faster
        u = uniforms_of(world.tie_key[es], month_key[rs])
        duration = _whole_months(u, dp.duration_min[rs, 0], dp.duration_max[rs, 0])
        rows = log.append(
            replicate=rs,
            tie=es,
            provider=t.src[es],
            recipient=t.dst[es],
            programme=started_programme[rs, es],
            io_channel=t.src_is_io[es],
            start=np.full(es.size, step),
            duration=duration,
            progress=np.zeros(es.size),
            spent=np.zeros(es.size),
            status=np.full(es.size, ACTIVE, dtype=np.int8),
        )
        pj.row[rs, es], pj.duration[rs, es] = rows, duration
        pj.programme[rs, es], pj.start[rs, es] = started_programme[rs, es], step
        pj.progress[rs, es], pj.spent[rs, es] = 0.0, 0.0
        pj.committed[rs, es] = dev_offer[rs, es]  # what the programme approved a month
    # The live projects, one element each: (replicate, tie) in replicate-then-tie order.
    live = np.flatnonzero(pj.row >= 0)
    r_of, tie = np.divmod(live, world.n_ties)

    def each(coefficient: np.ndarray) -> np.ndarray:
        return coefficient[r_of, 0]  # the coefficient of each project's replicate

    # A month's work progresses by the share of its money that arrived; a month in which none
    # arrived is what exposes the project to the unfunded hazard. A project whose programme
    # has closed is paid from what the programme committed at approval: the payment delivery
    # (5a) computed and counted this month (stages.committed, rules.funding), read here, not
    # computed again (> 0 exactly where the committed budget paid: a commitment is > 0).
    offered = dev_offer.ravel()[live]
    taken_share = np.where(offered > 0, month.taken.ravel()[live], 0.0)
    if month.committed_paid is not None:
        paid = month.committed_paid.ravel()[live]
        funded_share = np.where(paid > 0, 1.0, taken_share)
    else:  # (most months: nothing committed was paid)
        paid, funded_share = np.zeros(live.size), taken_share
    progress = pj.progress.ravel()[live] + funded_share / pj.duration.ravel()[live]
    spent = pj.spent.ravel()[live] + offered * taken_share + paid
    pj.progress.ravel()[live], pj.spent.ravel()[live] = progress, spent
    to_city = t.dst[tie] < n
    city = np.where(to_city, t.dst[tie], 0)
    terms = (
        np.where(to_city, c.D[r_of, city], 0.0),
        ~month.open[DEV].ravel()[live],
        funded_share <= 0.0,
        np.where(to_city, c.participation[r_of, city], 0.5),
    )
    weights = {
        "base": each(dp.hazard_base),
        "violence": each(dp.hazard_violence),
        "gate": each(dp.hazard_gate),
        "unfunded_h": each(dp.hazard_unfunded),
        "low_participation": each(dp.hazard_participation),
    }
    hazard = nexus.project_hazard(
        *terms,
        t.src_expertise[tie],
        state.ties.stage.ravel()[live],
        **weights,
        expertise_cut=each(dp.hazard_expertise),
        stage_cut=each(dp.stage_hazard),
    )
    # (the same uniform as a project started this month drew, but that one is not interrupted)
    draw = uniforms_of(world.tie_key[tie], month_key[r_of])
    completed = progress >= 1.0 - 1e-9
    interrupted = ~completed & (pj.start.ravel()[live] != step) & (draw < hazard)
    ended = completed | interrupted
    # What an ended project leaves built: a completed one its whole spent value, an
    # interrupted one what it spent less its works under way (rules.nexus, ODD 7.4).
    kept = nexus.kept_when_interrupted(
        spent, pj.committed.ravel()[live], each(dp.work_size), each(dp.work_months)
    )
    built = np.where(completed, spent, np.where(interrupted, kept, 0.0))
    rows = pj.row.ravel()[live]
    log.columns["progress"][rows], log.columns["spent"][rows] = progress, spent
    log.columns["built"][rows] = built
    log.columns["status"][rows[ended]] = np.where(completed[ended], COMPLETED, INTERRUPTED)
    log.columns["end"][rows[ended]] = step
    ended_programme = np.full(dev_offer.shape, -1, dtype=np.int64)
    ended_programme.ravel()[live[ended]] = pj.programme.ravel()[live[ended]]
    pj.row.ravel()[live[ended]] = -1
    # What an ended project built feeds the recipient city's development stock of its
    # programme's horizon (own money: design); the stock then moves S* and speeds recovery.
    done = ended & to_city & (built > 0)
    r_done, city_done = r_of[done], city[done]
    programme = pj.programme.ravel()[live[done]]
    horizons = np.append(world.groups.prog_horizon, DESIGN)  # [-1]: own money
    horizon = horizons[programme]
    shape = c.capacity.shape
    if not fast:
        small_value = small.ravel()[small_at] * dp.small_dev_share[small_r, 0]
        small_horizon = np.full(small_r.size, DESIGN)
        if main is not None:  # small money counts at the horizon of the tie's main programme
            small_horizon = horizons[main.ravel()[small_at]]
        small_city = small_r * n + t.dst[small_tie]  # (replicate, recipient city) of each
        for h in range(3):
            mine = small_horizon == h
            small_by_horizon[h] = np.bincount(
                small_city[mine], weights=small_value[mine], minlength=shape[0] * n
            ).reshape(shape)
    for h in range(3):
        mine = horizon == h
        spent_value = np.bincount(
            r_done[mine] * n + city_done[mine], weights=built[done][mine], minlength=shape[0] * n
        ).reshape(shape)
        spent_value = spent_value + small_by_horizon[h]
        c.stock[DEV, h] = money.effect_stock(
            c.stock[DEV, h], money.dose(spent_value, c.people), lifetime(co, DEV, h)
        )
    month.started, month.started_programme = starting, started_programme
    month.completed = _mask(live[completed], dev_offer.shape)
    month.interrupted = _mask(live[interrupted], dev_offer.shape)
    # The share of each interruption that is the partners' breach (rules.nexus,
    # ODD 7.4): stage 6 charges the tie that many failures (trust.update).
    month.breach = np.zeros(dev_offer.shape)
    if interrupted.any():
        hit = live[interrupted]
        month.breach.ravel()[hit] = _breach(
            world, state, co, month, hit, terms, weights, interrupted
        )
    month.ended_programme = ended_programme
    # (the live projects that did not end: count_nonzero along the ties would sum a copy)
    month.projects_active = np.bincount(r_of[~ended], minlength=shape[0])


def _breach(
    world: World,
    state: State,
    co: Coefficients,
    month: Month,
    hit: np.ndarray,
    terms: tuple[np.ndarray, ...],
    weights: dict[str, np.ndarray],
    interrupted: np.ndarray,
) -> np.ndarray:
    """The breach share (``nexus.interruption_breach``) of the interrupted projects at the flat
    (replicate, tie) positions ``hit``; ``terms`` and ``weights`` are the hazard's inputs at
    every live project, ``interrupted`` which of them were interrupted. A month without money
    on a tie that had an offer is the recipient's refusal, of which ``trust.refusal_owned``
    gives its own part (the rest is its state's)."""
    r_of, tie = np.divmod(hit, world.n_ties)
    hostility = state.countries.hostility.reshape(month.taken.shape[0], -1)
    owned = trust.refusal_owned(
        month.accept_prob.ravel()[hit],
        hostility[r_of, world.ties.pair[tie]],
        np.broadcast_to(np.ravel(co.proposals.beta_hostility), (month.taken.shape[0],))[r_of],
    )
    refused = month.offer[DEV].ravel()[hit] > 0
    return nexus.interruption_breach(
        *(term[interrupted] for term in terms),
        refused,
        owned,
        **{name: weight[interrupted] for name, weight in weights.items()},
    )


def _whole_months(u: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Uniform whole numbers of months in [low, max(high, low)] from uniforms ``u`` in [0, 1)."""
    low = np.asarray(low).astype(np.int64)
    span = np.maximum(np.asarray(high).astype(np.int64), low) - low + 1
    return low + np.minimum(np.floor(u * span).astype(np.int64), span - 1)


def _mask(flat: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """A boolean array of ``shape``, True at the flat positions ``flat``."""
    mask = np.zeros(shape, dtype=bool)
    mask.ravel()[flat] = True
    return mask


# (replicate, row) elements from which the table beats the sort (measured at tuzla's 82 ties
# and 120 rows: 1 x 6 rows 33 against 101 us, 30 x 60 rows 196 against 157, 150 x 6 rows 80
# against 134, 500 x 60 rows 3,703 against 841; branch batch17)
_TABLE_FROM = 1_500


def _main_programme(world: World, split: np.ndarray, need: np.ndarray) -> np.ndarray:
    """(R, E) the programme with the most development money on each tie this month (the later
    row among equals; -1 where none has any), for the ties where ``need`` (E,) is True (-1
    elsewhere): :func:`_by_sort` for a few rows and replicates, :func:`_by_table` for many
    (the same choice, by comparisons only)."""
    r = split.shape[1]
    best = np.full((r, world.n_ties), -1, dtype=np.int64)
    mine = np.flatnonzero(need[world.row_tie])  # the (programme, tie) rows of needed ties
    if not mine.size:
        return best
    if r * mine.size < _TABLE_FROM:
        return _by_sort(world, split, mine, best)
    return _by_table(world, split, mine, best)


def _by_sort(world: World, split: np.ndarray, mine: np.ndarray, best: np.ndarray) -> np.ndarray:
    """:func:`_main_programme` by sorting every replicate's rows ``mine`` by (tie, money,
    row): the last of each tie's rows is its choice; writes into ``best``."""
    r = split.shape[1]
    dev = split[DEV][:, mine].ravel()
    row = np.tile(mine, r)
    tie = (np.arange(r)[:, None] * world.n_ties + world.row_tie[mine]).ravel()
    keep = dev > 0
    if not keep.any():
        return best
    order = np.lexsort((row[keep], dev[keep], tie[keep]))
    tie, row = tie[keep][order], row[keep][order]
    last = np.append(tie[1:] != tie[:-1], True)
    best.flat[tie[last]] = world.row_prog[row[last]]
    return best


def _by_table(world: World, split: np.ndarray, mine: np.ndarray, best: np.ndarray) -> np.ndarray:
    """:func:`_main_programme` from a (ties, slots) table of each needed tie's rows ``mine``,
    laid out once (not per replicate), its latest row first: ``argmax`` along the slots, which
    takes the first of equal maxima, is the later row among equals, for every replicate at
    once (the sort cost 0.4-3.7 ms a call at 500 replicates); writes into ``best``."""
    ties = world.row_tie[mine]
    order = np.argsort(ties, kind="stable")  # by tie, rows rising within a tie
    first = np.r_[True, ties[order][1:] != ties[order][:-1]]
    group = np.cumsum(first) - 1  # each sorted row's tie, numbered 0..g-1
    starts = np.flatnonzero(first)
    count = np.diff(np.r_[starts, order.size])
    slot = count[group] - 1 - (np.arange(order.size) - starts[group])  # latest row in slot 0
    table = np.full((starts.size, int(count.max())), -1, dtype=np.int64)
    table[group, slot] = order  # positions in ``mine``; -1 pads a tie with fewer rows
    dev = split[DEV][:, mine]
    money = np.where(table >= 0, np.take(dev, table, axis=1), 0.0)  # (R, ties, slots)
    money = np.where(money > 0, money, 0.0)  # no money (or NaN) is never chosen
    pick = money.argmax(axis=-1)
    top = np.take_along_axis(money, pick[..., None], axis=-1)[..., 0]
    chosen = world.row_prog[mine[table[np.arange(starts.size), pick]]]
    best[:, ties[order][first]] = np.where(top > 0, chosen, -1)
    return best
