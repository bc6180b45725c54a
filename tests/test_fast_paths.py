"""The optimised rule internals are bit for bit the formulas as first written (issue 6).

Each test evaluates the straightforward expression (the code before the optimisation) and the
rule function on random inputs and requires *identical* arrays, not approximately equal ones:
a flipped last bit could flip a random draw somewhere downstream.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim import PeaceModel
from sim.engine import blocks
from sim.engine.params import GaltungParams
from sim.rules import clip, galtung, gates, linear, nexus, proposals, row_sum, sigmoid, trust


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20240606)


def same(a: np.ndarray, b: np.ndarray) -> bool:
    return np.array_equal(np.asarray(a), np.asarray(b))


def test_sigmoid_row_sum_and_linear(rng: np.random.Generator) -> None:
    x = rng.normal(0, 4, 5000)
    assert same(sigmoid(x), 1.0 / (1.0 + np.exp(-x)))
    # The earlier tanh form, to round-off (it loses relative precision in the left tail).
    np.testing.assert_allclose(sigmoid(x), 0.5 * (1.0 + np.tanh(0.5 * x)), rtol=0, atol=1e-15)
    with np.errstate(all="raise"):  # the far tails: exactly 0 and 1, and no warning
        assert sigmoid(np.array([-1e4, 1e4])).tolist() == [0.0, 1.0]
        assert sigmoid(-1e4) == 0.0
    assert same(sigmoid(x.copy(), out=None), sigmoid(x))
    for k in (1, 2, 3, 5, 7):
        v = rng.random((3001, k)) * rng.random((3001, 1)) * 1e3
        assert same(row_sum(v), v.sum(axis=1))
        assert same(row_sum(np.asfortranarray(v)), v.sum(axis=1))
    a, b, c = (rng.normal(size=4000) for _ in range(3))
    assert same(linear([(0.7, a), (1.0, b), (-2.5, c)], -0.3), 0.7 * a + b - 2.5 * c - 0.3)


def test_galtung_targets_and_relax(rng: np.random.Generator) -> None:
    p = GaltungParams()
    D, S, C, needs, share, cap, coh, press, host, cross = (rng.random(3000) for _ in range(10))
    d, s, c = galtung.targets(D, S, C, needs, share, cap, coh, press, host, cross, p)
    assert same(
        d,
        sigmoid(
            p.w_DS * S + p.w_DC * C + p.w_DN * needs + press - p.w_Dcoh * coh - p.w_DK * cap - p.b_D
        ),
    )
    assert same(s, sigmoid(p.w_SD * D + p.w_SN * needs + p.w_Sdisp * share - p.w_SK * cap - p.b_S))
    assert same(c, sigmoid(p.w_CD * D + p.w_CH * host - p.w_CT * cross - p.w_Ccoh * coh - p.b_C))
    noise = rng.normal(0, 0.05, 3000)
    assert same(galtung.relax(D, d, 0.3, noise), np.clip(D + 0.3 * (d - D) + noise, 0.0, 1.0))
    assert same(galtung.capacity_decay(cap, S, 0.01, 0.5), cap * (1.0 - 0.01 * (1.0 - 0.5 * S)))


def test_nexus_effects(rng: np.random.Generator) -> None:
    needs, aid, mult, div, ins, coh, t, cult = (rng.random(2000) for _ in range(8))
    aid *= 3
    assert same(nexus.saturate(aid, 0.4), 1.0 - np.exp(-np.maximum(aid, 0.0) / 0.4))
    relief = 0.6 * nexus.saturate(aid, 0.4) * mult
    assert same(
        nexus.humanitarian_relief(needs, aid, mult, 0.6, 0.4),
        needs * (1.0 - np.minimum(relief, 1.0)),
    )
    loss = 0.3 * div * ins * nexus.saturate(aid, 0.4)
    assert same(nexus.do_no_harm(coh, div, aid, ins, 0.3, 0.4), coh * (1.0 - np.minimum(loss, 1.0)))
    new_t, new_c = nexus.peace_work(
        t, cult, aid, aid, mult, mult, trust_gain=0.2, culture_gain=0.05, scale=0.4
    )
    gain = np.minimum(0.2 * nexus.saturate(aid, 0.4) * mult, 1.0)
    cut = np.minimum(1.0 - np.exp(-0.05 * aid * mult), 1.0)
    assert same(new_t, t + gain * (1.0 - t)) and same(new_c, cult * (1.0 - cut))
    pop = rng.random((2000, 1)) * 1e5
    amounts = rng.random((2000, 3))
    assert same(nexus.per_thousand(amounts, pop), amounts / np.maximum(pop, 1.0) * 1000.0)
    last = rng.integers(-20, 13, (2000, 3))
    assert same(
        nexus.nexus_multiplier(last, 12, 6, 0.5, 0.8),
        1.0 + 0.5 * 0.8 * (((12 - last) < 6).sum(axis=1) >= 2),
    )


def test_proposals_weights_benefit_and_acceptance(rng: np.random.Generator) -> None:
    e = 4000
    tr, need, mandate = rng.random(e), rng.random(e) + 0.05, rng.random((e, 3))
    open_, committed = rng.random((e, 3)) < 0.8, rng.random(e) < 0.5
    base = (tr * need)[:, None] * mandate
    floor = np.where(committed, 0.2, 0.0)[:, None] * mandate
    expected = np.where(open_, np.maximum(base, floor), 0.0)
    assert same(proposals.tie_weights(tr, need, mandate, open_, committed, 0.2), expected)
    # The model's form: mandate pre-multiplied by the open mask, pillar-major storage.
    masked = np.ascontiguousarray((mandate * open_).T).T
    assert same(proposals.tie_weights(tr, need, masked, None, committed, 0.2), expected)
    total = rng.random(e) * 20
    assert same(proposals.expected_benefit(total, need, 5.0), need * (1.0 - np.exp(-total / 5.0)))
    host, will, inten = rng.random(e), rng.random(e), rng.random(e) * 2
    for mediated, b_int in ((np.zeros(e, bool), 0.0), (rng.random(e) < 0.3, 1.5)):
        kw = dict(beta0=-1.0, beta_trust=3.0, beta_benefit=2.5, beta_hostility=3.0)
        kw.update(beta_mediator=1.0, beta_will=1.5, beta_intensity=b_int)
        logit = (
            -1.0
            + 3.0 * tr
            + 2.5 * need
            - 3.0 * host
            + 1.0 * mediated
            + 1.5 * (will - 0.5)
            + b_int * np.minimum(inten, 1.0)
        )
        got = proposals.acceptance_probability(tr, need, host, mediated, will, inten, **kw)
        assert same(got, sigmoid(logit))


def test_trust_update_and_memory(rng: np.random.Generator) -> None:
    e = 5000
    tr, mem, base = rng.random(e), rng.random(e) * 0.5, rng.random(e) * 0.5
    succ = rng.integers(0, 3, e).astype(float)
    fail = (rng.random(e) < 0.01).astype(float)
    contact = rng.random(e) < 0.6
    kw = dict(success=0.1, failure=0.2, decay=0.05)
    # whole counts as floats, as small integers (the model's case), and fractional weights
    for s, f in ((succ, fail), (succ.astype(np.uint8), fail.astype(np.uint8)), (succ * 0.7, fail)):
        t1 = 1.0 - (1.0 - tr) * (1.0 - 0.1) ** s
        t1 = t1 * (1.0 - 0.2) ** f
        drift = np.where(contact, 0.0, 0.05 * (t1 - np.maximum(mem, base)))
        expected = np.clip(t1 - drift, 0.0, 1.0)
        assert same(trust.update(tr, mem, s, f, contact, base, **kw), expected)
    done = rng.random(e) < 0.05
    assert same(
        trust.remember(mem, tr, done, 0.3),
        np.where(done, mem + 0.3 * np.maximum(tr - mem, 0.0), mem),
    )


def test_trust_update_graded_contact_and_coded_counts(rng: np.random.Generator) -> None:
    e, items = 5000, 20
    tr, mem, base = rng.random(e), rng.random(e) * 0.5, rng.random(e) * 0.5
    kw = dict(success=0.1, failure=0.2, decay=0.05)
    parts = rng.integers(0, items + 1, e)
    completed = rng.random(e) < 0.05
    share = parts / items
    counts = share.copy()
    counts[completed] += 1.0
    codes = parts + (items + 1) * completed
    levels = np.concatenate([np.arange(items + 1) / items, np.arange(items + 1) / items + 1.0])
    # Graded contact (a share of a month): the drift scaled by 1 - contact, over every tie.
    contact = np.where(rng.random(e) < 0.3, 1.0, share)
    t1 = 1.0 - (1.0 - tr) * np.exp(counts * np.log(1.0 - 0.1))
    drift = 0.05 * (t1 - np.maximum(mem, base)) * (1.0 - contact)
    expected = np.clip(t1 - drift, 0.0, 1.0)
    assert same(trust.update(tr, mem, counts, 0.0, contact, base, **kw), expected)
    # Counts as codes into their few values give the same array, fractional or whole.
    assert same(trust.update(tr, mem, (codes, levels), 0.0, contact, base, **kw), expected)
    whole = np.where(completed, levels.size - 1, 0)  # only the levels 0 and 2 occur
    assert same(
        trust.update(tr, mem, (whole, levels), 0.0, contact, base, **kw),
        trust.update(tr, mem, levels[whole], 0.0, contact, base, **kw),
    )


def test_parts_taken_in_threads_equals_one_thread(
    rng: np.random.Generator, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = 3 * blocks.BLOCK + 123  # several blocks, the last one short
    prob, draw = rng.random(n), rng.random(n)
    prob[:50], prob[50:100] = 0.0, 1.0
    threaded = proposals.parts_taken(prob, draw, 20)
    monkeypatch.setattr(blocks, "threads", lambda: 1)
    alone = proposals.parts_taken(prob, draw, 20)
    assert threaded.dtype == np.uint8 and same(threaded, alone)
    assert same(proposals.share_taken(prob, draw, 20), alone / 20)
    assert (alone[:50] == 0).all() and (alone[50:100] == 20).all()


@pytest.mark.parametrize("items", [1, 2, 5, 20, 60, 300])
def test_parts_by_table_equal_parts_by_loop(rng: np.random.Generator, items: int) -> None:
    # Sizes on both sides of the table threshold; certain refusals and acceptances, and
    # probabilities near 1 where the pmf ratios are large.
    for n in (1, 7, proposals.TABLE_CELLS // (items + 1), 5000):
        prob, target = rng.random(n), 1.0 - rng.random(n)
        prob[: n // 4] = rng.choice([0.0, 1.0, 1.0 - 1e-12, 1e-12], size=n // 4)
        dtype = np.int64 if items >= 255 else np.uint8
        q = 1.0 - prob
        with np.errstate(divide="ignore", invalid="ignore"):
            odds = np.divide(prob, q, out=np.zeros(n), where=q > 0)
        pmf = proposals._power(q, items)
        by_table, by_loop = np.zeros(n, dtype), np.zeros(n, dtype)
        proposals._parts_by_table(pmf.copy(), odds, target, items, by_table)
        proposals._parts_by_loop(pmf.copy(), odds, target, items, by_loop)
        assert same(by_table, by_loop)
        assert by_table.max(initial=0) <= items


def test_mediation_triples_equal_the_pandas_merges(rng: np.random.Generator) -> None:
    # The build's numpy joins against the two pandas merges they replaced, row for row and in
    # the same order, on a dense random network with repeated ties and many mediators.
    from types import SimpleNamespace

    from sim.engine.model import _MEDIATION, PeaceModel

    n_actors, e = 40, 3000
    src, dst = rng.integers(0, n_actors, e), rng.integers(0, n_actors, e)
    ttype = np.where(rng.random(e) < 0.3, _MEDIATION, 0)
    is_med = ttype == _MEDIATION
    med = pd.DataFrame({"m": src[is_med], "party": dst[is_med], "tie": np.flatnonzero(is_med)})
    pairs = med.merge(med, on="m")
    pairs = pairs[pairs["party_x"] != pairs["party_y"]]
    party = pd.DataFrame({"u": src[~is_med], "v": dst[~is_med], "uv": np.flatnonzero(~is_med)})
    want = pairs.merge(party, left_on=["party_x", "party_y"], right_on=["u", "v"])
    got = SimpleNamespace(n_actors=n_actors)
    PeaceModel._build_mediation(got, src, dst, ttype)
    assert want.shape[0] > 1000
    assert same(got.med_party, want["uv"]) and same(got.med_mediator, want["m"])
    assert same(got.med_mu, want["tie_x"]) and same(got.med_mv, want["tie_y"])


def _gate_rule_per_tie(m: PeaceModel) -> np.ndarray:
    a, ties = m.actors, m.ties
    third = a.is_io[ties.src] & (
        (a.neutrality[ties.src] >= m.params.gates.io_neutrality_min) | a.sanction_exempt[ties.src]
    )
    answer = gates.open_channels(
        a.country[ties.src],
        a.country[ties.dst],
        m.permission,
        m.sanctioned,
        m.hostility,
        third,
        a.is_io[ties.src],
        ties.human_security,
        hostility_close=m.params.gates.hostility_close,
    )
    return answer & (ties.carries & ties.active)[:, None]


def test_gate_answers_per_combination_equal_the_rule_per_tie() -> None:
    for scenario, kw in (
        ("seoul_pyongyang", {}),
        ("synthetic", {"synthetic": {"n_cities": 600, "n_countries": 7, "hostile_pairs": 5}}),
    ):
        m = PeaceModel(scenario, seed=2, **kw)
        m.permission[0, 1] = gates.HUMANITARIAN
        m.sanctioned[1] = True
        assert same(m._gates().T, _gate_rule_per_tie(m))
        # _gates reuses last month's answer while its inputs stand; changes made in place, as
        # events make them, are honoured the next month.
        close = m.params.gates.hostility_close
        changed = 0
        for change in (
            [("sanctioned", 0, True)],
            [("permission", (0, 1), gates.OPEN), ("permission", (1, 0), gates.OPEN)],
            [("hostility", (0, 1), close), ("hostility", (1, 0), close)],
            [("hostility", (0, 1), close - 1e-9), ("hostility", (1, 0), close - 1e-9)],
            [("permission", (1, 0), gates.CLOSED)],
        ):
            before = m._gates().T.copy()
            for array, index, value in change:
                getattr(m, array)[index] = value
            after = m._gates().T
            assert same(after, _gate_rule_per_tie(m)), change
            changed += not same(after, before)
        assert changed == 5  # each change did change the answer
        # Closing a tie is honoured the next month.
        per_tie = _gate_rule_per_tie(m)
        m.ties.active[np.flatnonzero(m.ties.carries)[0]] = False
        m.tie_views.refresh(m)
        assert same(m._gates().T, per_tie & m.ties.active[:, None])


def test_clip_is_np_clip(rng: np.random.Generator) -> None:
    x = rng.normal(0.5, 1.0, 3000)
    x[:6] = [np.nan, -0.0, 0.0, np.inf, -np.inf, 1.0]
    # Bit patterns (so NaN compares too, and the sign of a zero counts).
    assert same(clip(x, 0.0, 1.0).view(np.int64), np.clip(x, 0.0, 1.0).view(np.int64))
    buf = x.copy()
    assert clip(buf, 0.0, 1.0, out=buf) is buf
    assert same(buf.view(np.int64), np.clip(x, 0.0, 1.0).view(np.int64))
    assert same(clip(0.3 + 1.0, 0.0, 1.0), np.clip(1.3, 0.0, 1.0))


def test_row_sums_are_each_rows_own_sum(rng: np.random.Generator) -> None:
    # The recorder sums a C-ordered (k, N) stack along its rows in one call.
    for n in (*range(1, 40), 127, 128, 129, 1000, 4097):
        a = rng.random((10, n)) * rng.choice([1e-3, 1.0, 1e6], size=(10, 1))
        assert same(a.sum(axis=1), [row.sum() for row in a])
        assert same(a[:3].sum(axis=1) / n, [row.mean() for row in a[:3]])


def test_trust_update_broadcasts_scalars(rng: np.random.Generator) -> None:
    e = 500
    tr, mem = rng.random(e), rng.random(e) * 0.5
    kw = dict(success=0.1, failure=0.2, decay=0.05)
    got = trust.update(tr, mem, np.ones(e, np.uint8), 0.0, False, 0.1, **kw)
    t1 = 1.0 - (1.0 - tr) * (1.0 - 0.1)
    assert same(got, np.clip(t1 - 0.05 * (t1 - np.maximum(mem, 0.1)), 0.0, 1.0))


def test_context_and_programme_violence_equal_the_plain_formulas() -> None:
    from sim.rules import funding

    for scenario in ("two_cities", "tuzla", "map", "seoul_pyongyang"):
        m = PeaceModel(scenario, seed=3).run(months=5)
        n, k = m.n_cities, m.n_communities
        for values, default in ((m.cities.needs, 0.5), (m.cities.D, 0.0)):
            # The formula as first written (before the groups were precomputed).
            out = np.empty(m.n_actors)
            out[:n], out[n:] = values, default
            others = m.actors.community[n:]
            if (others >= 0).any():
                members = np.flatnonzero(m.city_community >= 0)
                groups = m.city_community[members]
                total = np.bincount(groups, weights=values[members], minlength=k)
                count = np.bincount(groups, minlength=k)
                mean = np.divide(total, count, out=np.full(k, float(default)), where=count > 0)
                out[n:] = np.where(others >= 0, mean[np.maximum(others, 0)], default)
            assert same(m.context(values, default), out)
        if m.programme_ids:
            recipient = m.ties.dst[m.prog_row_tie]
            city_row = np.where(recipient < n, recipient, -1)
            expected = funding.recipients_mean_violence(
                m.prog_row_prog, city_row, m.cities.D, len(m.programme_ids)
            )
            before = m.prog_recent_violence.copy()
            m._funding(m.t)
            assert same(m.prog_recent_violence[0], expected)
            assert same(m.prog_recent_violence[1:], before[:-1])  # np.roll's rows


def test_a_model_in_blocks_on_two_threads_equals_one_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Large enough that the month's offers span several blocks (sim.engine.blocks)."""
    kw = dict(
        seed=5,
        horizon=4,
        synthetic={"n_cities": 25_000, "mean_degree": 7.4, "n_countries": 10, "horizon": 4},
    )
    two = PeaceModel("synthetic", **kw).run()
    assert np.count_nonzero(two._has_offer) > blocks.BLOCK and blocks.threads() in (1, 2)
    monkeypatch.setattr(blocks, "threads", lambda: 1)
    one = PeaceModel("synthetic", **kw).run()
    pd.testing.assert_frame_equal(two.timeseries(), one.timeseries(), check_exact=True)
    assert same(two.ties.trust, one.ties.trust) and same(two.cities.D, one.cities.D)


def test_thread_count_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITYPEACE_THREADS", "1")
    assert blocks.threads() == 1
    monkeypatch.setenv("CITYPEACE_THREADS", "8")
    assert 1 <= blocks.threads() <= 2
    monkeypatch.setenv("CITYPEACE_THREADS", "two")
    with pytest.raises(ValueError, match=r"CITYPEACE_THREADS='two'.*whole number"):
        blocks.threads()


def test_blocks_inside_a_block_run_inline() -> None:
    """A worker that splits its own work again must not wait on the pool it runs in."""
    seen: list[tuple[int, int]] = []

    def outer(rows: slice) -> None:
        blocks.for_blocks(lambda inner: seen.append((rows.start, inner.start)), 3 * 4, block=4)

    blocks.for_blocks(outer, 8 * blocks.BLOCK)  # would deadlock with two threads if nested
    assert sorted(seen) == [
        (s, i) for s in range(0, 8 * blocks.BLOCK, blocks.BLOCK) for i in (0, 4, 8)
    ]
