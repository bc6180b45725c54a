"""Each rule function against hand-computed expectations."""

from __future__ import annotations

import numpy as np
import pytest

from sim.engine.params import GaltungParams
from sim.rules import alliances, funding, galtung, gates, lederach, nexus, proposals, sigmoid, trust


def test_sigmoid_matches_logistic() -> None:
    x = np.array([-50.0, -1.0, 0.0, 2.0, 50.0])
    assert np.allclose(sigmoid(x), 1 / (1 + np.exp(-x)))


class TestGates:
    def setup_method(self) -> None:
        # Countries 0 and 1 allow only humanitarian traffic; 2 is domestic-only partner.
        self.perm = np.array([[2, 1, 2], [1, 2, 2], [2, 2, 2]])
        self.sanctioned = np.array([False, True, False])
        self.hostility = np.zeros((3, 3))

    def run(self, src, dst, third=False, io=False, hs=False, **kw) -> np.ndarray:
        return gates.open_channels(
            np.array([src]),
            np.array([dst]),
            self.perm,
            self.sanctioned,
            self.hostility,
            np.array([third]),
            np.array([io]),
            np.array([hs]),
            hostility_close=0.9,
            **kw,
        )[:, 0]  # pillars of the one tie

    def test_direct_cross_border_needs_both_permissions(self) -> None:
        # humanitarian level: only the humanitarian pillar passes (004:4108-4112)
        assert self.run(0, 1).tolist() == [True, False, False]

    def test_sanctions_block_development_only(self) -> None:
        assert self.run(2, 1).tolist() == [True, False, True]

    def test_third_channel_relaxes_for_human_security(self) -> None:
        assert self.run(0, 1, third=True, io=True, hs=True).tolist() == [True, True, True]
        # not human-security work: no relaxation
        assert self.run(0, 1, third=True, io=True, hs=False).tolist() == [True, False, False]

    def test_domestic_always_open_and_levers(self) -> None:
        assert self.run(1, 1).tolist() == [True, True, True]
        assert self.run(0, 2, direct_channel=False).tolist() == [False, False, False]
        assert self.run(0, 2, io=True, third=True, io_channel=False).tolist() == [False] * 3

    def test_hostility_closes_direct_development_and_peace(self) -> None:
        self.hostility[0, 2] = 0.95
        assert self.run(0, 2).tolist() == [True, False, False]
        assert self.run(0, 2, third=True, io=True).tolist() == [True, True, True]


def test_sanctions_let_only_part_of_direct_humanitarian_money_through() -> None:
    # Ties: direct into the sanctioned country 1; a neutral IO's human-security tie into it;
    # the same IO on work that is not human security; domestic inside 1; into unsanctioned 2.
    src, dst = np.array([0, 0, 0, 1, 0]), np.array([1, 1, 1, 1, 2])
    third = np.array([False, True, True, False, False])
    hs = np.array([True, True, False, True, True])
    sanctioned = np.array([False, True, False])
    got = gates.sanction_passage(src, dst, sanctioned, third, hs, friction=0.4)
    # less exposed, not exempt (004:4566); the third channel passes in full (004:4106-4116)
    assert got.tolist() == pytest.approx([0.6, 1.0, 0.6, 1.0, 1.0])
    none = gates.sanction_passage(src, dst, sanctioned, third, hs, friction=0.0)
    assert none.tolist() == [1.0] * 5


def test_share_taken_one_part_is_one_decision() -> None:
    prob, draw = np.array([0.3, 0.3, 0.0, 1.0]), np.array([0.29, 0.31, 0.0, 0.999])
    # items = 1 is MODEL.md 5.3: the whole offer, taken iff draw < prob
    assert proposals.share_taken(prob, draw, 1).tolist() == [1.0, 0.0, 0.0, 1.0]
    # never taken at p = 0, all taken at p = 1, whatever the draw
    assert proposals.share_taken(prob, draw, 20)[2:].tolist() == [0.0, 1.0]


def test_share_taken_is_the_binomial_quantile_of_the_draw() -> None:
    binom = pytest.importorskip("scipy.stats").binom
    rng = np.random.default_rng(5)
    prob, draw = rng.random(2000), rng.random(2000)
    got = proposals.share_taken(prob, draw, 8) * 8
    # the largest k with P(K >= k) > draw; away from ties in the draw it is exact
    parts = np.arange(8)
    want = np.array([np.sum(binom.sf(parts, 8, p) > u) for p, u in zip(prob, draw, strict=True)])
    assert np.abs(got - want).max() == 0


def test_parts_make_the_share_taken_steadier_not_larger() -> None:
    # The mean share taken is the acceptance probability whatever the number of parts; only
    # its spread shrinks (binomial: sqrt(p (1 - p) / items)).
    rng = np.random.default_rng(3)
    prob = np.full(40000, 0.15)
    spread = {}
    for items in (1, 4, 20):
        share = proposals.share_taken(prob, rng.random(prob.size), items)
        assert share.mean() == pytest.approx(0.15, abs=0.01), items
        spread[items] = share.std()
        assert spread[items] == pytest.approx(np.sqrt(0.15 * 0.85 / items), rel=0.05)
    assert spread[1] > spread[4] > spread[20]


def test_share_taken_never_falls_with_the_probability() -> None:
    # Coupled through the same draw, a likelier acceptance (for example a larger offer, so a
    # larger benefit) never takes a smaller share: more money never delivers less.
    rng = np.random.default_rng(7)
    p1 = rng.random(50000)
    p2 = np.minimum(p1 + rng.random(p1.size) * 0.2, 1.0)
    draw = rng.random(p1.size)
    for items in (1, 3, 20):
        assert (
            proposals.share_taken(p2, draw, items) >= proposals.share_taken(p1, draw, items)
        ).all()


def test_funding_risk_and_window() -> None:
    # Programme 0 has recipient cities 0 and 1; programme 1 has none.
    mean = funding.recipients_mean_violence(
        np.array([0.2, 0.6]), np.array([0, 0]), np.array([0, 1]), 2
    )
    assert mean.tolist() == pytest.approx([0.4, 0.0])
    # The window of recent months, newest first, and its mean over a funder's window.
    recent = funding.remember_violence(np.zeros((3, 2)), mean)
    recent = funding.remember_violence(recent, np.array([0.1, 0.0]))
    assert recent[:, 0].tolist() == pytest.approx([0.1, 0.4, 0.0])
    assert funding.window_mean(recent, np.array([2])).tolist() == pytest.approx([0.25, 0.0])
    ok = funding.risk_acceptable(mean, np.array([0.3, 0.3]))
    assert ok.tolist() == [False, True]  # the EU refusing MAP (004:3173-3183)
    active, money = funding.programme_money(
        5,
        np.array([0, 0]),
        np.array([10, 4]),
        np.array([True, True]),
        np.array([True, True]),
        np.array([True, True]),
        np.array([10.0, 10.0]),
        0.5,
    )
    assert active.tolist() == [True, False]
    assert money.tolist() == [5.0, 0.0]


def test_a_closed_programme_pays_its_projects_a_suspended_one_does_not() -> None:
    """001:5029-5031: a project a programme approved is paid to its end after the programme
    closes (its window over or a funding_end); a grant suspended over violence holds the money
    back, and a provider's own project (programme -1) has no committed budget."""
    # Programmes: 0 runs, 1 is past its end, 2 was ended by a funding_end, 3 not started yet.
    closed = funding.programme_closed(
        5,
        np.array([0, 0, 0, 8]),
        np.array([10, 5, 10, 12]),
        np.array([True, True, False, True]),
    )
    assert closed.tolist() == [False, True, True, True]
    share = funding.committed_share(
        np.array([0.0, 0.0, 0.4, 0.0, 0.0]),  # this month's taken share of the tie's offer
        np.array([0, 1, 1, -1, 2]),  # each project's programme
        np.array([False, True, True, True, True]),
    )
    # running programme without money this month: stalls; closed: committed money pays the
    # month; money that arrived counts as it is; own money: stalls; funding_end: pays.
    assert share.tolist() == [0.0, 1.0, 0.4, 0.0, 1.0]


def test_proposals_split_conserves_money_and_acceptance_monotone() -> None:
    weight = np.array([[1.0, 1.0, 0.0], [2.0, 0.0, 0.0], [0.0, 0.0, 0.0]]).T  # (pillar, row)
    out = proposals.split_by_weight(np.array([8.0, 3.0]), np.array([0, 0, 1]), weight)
    assert out[:, :2].sum() == pytest.approx(8.0)
    assert out[:, 0].tolist() == pytest.approx([2.0, 2.0, 0.0])
    assert out[:, 2].sum() == 0.0  # group 1 has no open tie: its money stays unspent
    kw = dict(
        beta0=-1, beta_trust=3, beta_benefit=2, beta_hostility=3, beta_mediator=1, beta_will=1
    )
    base = proposals.acceptance_probability(
        np.array([0.5]), np.array([0.5]), np.array([0.5]), np.array([False]), np.array([0.5]), **kw
    )
    assert base[0] == pytest.approx(sigmoid(np.array([-1 + 1.5 + 1.0 - 1.5]))[0])
    higher_trust = proposals.acceptance_probability(
        np.array([0.9]), np.array([0.5]), np.array([0.5]), np.array([False]), np.array([0.5]), **kw
    )
    mediated = proposals.acceptance_probability(
        np.array([0.5]), np.array([0.5]), np.array([0.5]), np.array([True]), np.array([0.5]), **kw
    )
    assert higher_trust[0] > base[0] and mediated[0] > base[0]


def test_tie_weights_floor_for_committed_ties() -> None:
    mandate = np.array([[0.2, 0.8, 0.0], [0.2, 0.8, 0.0]]).T  # (pillar, tie)
    w = proposals.tie_weights(
        np.array([0.0, 0.5]), np.array([0.5, 0.5]), mandate, np.array([True, False]), 0.2
    )
    assert w[:, 0].tolist() == pytest.approx([0.04, 0.16, 0.0])
    assert w[:, 1].tolist() == pytest.approx([0.05, 0.2, 0.0])


class TestNexus:
    def test_multiplier_needs_two_pillars_in_window(self) -> None:
        last = np.array([[10, 5, -1000], [10, -1000, -1000]]).T  # (pillar, city)
        mult = nexus.nexus_multiplier(last, 12, 12, synergy=0.5, coordination=1.0)
        assert mult.tolist() == [1.5, 1.0]
        assert nexus.nexus_multiplier(last, 12, 12, 0.5, 0.0).tolist() == [1.0, 1.0]

    def test_hazard_hand_value(self) -> None:
        kw = dict(base=0.01, violence=0.1, gate=0.2, unfunded_h=0.3, low_participation=0.04)
        args = (np.array([0.5]), np.array([True]), np.array([False]), np.array([0.5]))
        h = nexus.project_hazard(*args, **kw)
        assert h[0] == pytest.approx(0.01 + 0.05 + 0.2 + 0.02)
        # an NGO's expertise and a tie's ladder stage cut the hazard
        cut = nexus.project_hazard(
            *args, np.array([0.6]), np.array([3]), expertise_cut=0.5, stage_cut=0.3, **kw
        )
        assert cut[0] == pytest.approx(0.28 * (1 - 0.3) * (1 - 0.3))

    def test_an_interrupted_project_keeps_its_finished_works_only(self) -> None:
        """ODD 7.4: an interrupted project keeps what it spent less its works under way, at
        least one work (``work_size``) or ``work_months`` of its monthly money. A small project
        of one work keeps nothing; a large flow keeps all but its last months."""
        spent = np.array([20.0, 60.0, 9_262.5, 22_800.0, 0.0])
        monthly = np.array([4.0, 4.0, 4_750.0, 4_750.0, 4_750.0])
        kept = nexus.kept_when_interrupted(spent, monthly, work_size=24.0, work_months=2.0)
        assert kept.tolist() == pytest.approx([0.0, 36.0, 0.0, 13_300.0, 0.0])
        # never negative, never more than spent, and more works under way keep less
        longer = nexus.kept_when_interrupted(spent, monthly, work_size=24.0, work_months=3.0)
        assert (longer >= 0).all() and (longer <= kept).all() and longer[3] < kept[3]
        # per replicate: (R, 1) coefficients broadcast over (R, E) projects
        both = nexus.kept_when_interrupted(
            np.tile(spent, (2, 1)), np.tile(monthly, (2, 1)), np.array([[24.0], [1e9]]), 2.0
        )
        assert both[0].tolist() == pytest.approx(kept.tolist()) and (both[1] == 0).all()

    def test_do_no_harm_lowers_cohesion_only_in_mixed_cities(self) -> None:
        coh = nexus.do_no_harm(
            np.array([0.5, 0.5]),
            np.array([0.8, 0.0]),
            np.array([1.0, 1.0]),
            np.array([1.0, 1.0]),
            harm=0.1,
            x_half=1.0,
        )
        assert coh[0] < 0.5 and coh[1] == 0.5


class TestTrust:
    def test_success_failure_decay(self) -> None:
        t = trust.update(
            np.array([0.5, 0.5, 0.5]),
            np.zeros(3),
            np.array([1.0, 0, 0]),
            np.array([0, 1.0, 0]),
            np.array([True, True, False]),
            np.full(3, 0.1),
            success=0.1,
            failure=0.2,
            decay=0.5,
        )
        assert t.tolist() == pytest.approx([0.55, 0.4, 0.5 - 0.5 * 0.4])

    def test_failure_costs_more_than_success_earns(self) -> None:
        up = trust.update(
            np.array([0.5]),
            np.zeros(1),
            np.ones(1),
            np.zeros(1),
            np.array([True]),
            np.zeros(1),
            success=0.05,
            failure=0.15,
            decay=0,
        )
        down = trust.update(
            np.array([0.5]),
            np.zeros(1),
            np.zeros(1),
            np.ones(1),
            np.array([True]),
            np.zeros(1),
            success=0.05,
            failure=0.15,
            decay=0,
        )
        assert 0.5 - down[0] > up[0] - 0.5

    def test_partial_contact_scales_the_drift(self) -> None:
        kw = dict(success=0.0, failure=0.0, decay=0.5)
        args = (np.array([0.5, 0.5, 0.5]), np.zeros(3), np.zeros(3), np.zeros(3))
        graded = trust.update(*args, np.array([0.0, 0.5, 1.0]), np.full(3, 0.1), **kw)
        # no contact: the full drift; half a month of contact: half of it; full contact: none
        assert graded.tolist() == pytest.approx([0.3, 0.4, 0.5])
        flags = trust.update(*args, np.array([False, False, True]), np.full(3, 0.1), **kw)
        as_shares = trust.update(*args, np.array([0.0, 0.0, 1.0]), np.full(3, 0.1), **kw)
        assert flags.tolist() == as_shares.tolist()

    def test_memory_is_a_floor(self) -> None:
        t = trust.update(
            np.array([0.6]),
            np.array([0.5]),
            np.zeros(1),
            np.zeros(1),
            np.array([False]),
            np.array([0.1]),
            success=0,
            failure=0,
            decay=1.0,
        )
        assert t[0] == pytest.approx(0.5)

    def test_mediation_hand_value_and_threshold(self) -> None:
        tr = np.array([0.2, 0.7, 0.5])  # party tie, m->u, m->v
        out, met = trust.mediation(
            tr,
            np.array([0]),
            np.array([1]),
            np.array([2]),
            np.array([0.8]),
            np.array([True]),
            threshold=0.4,
            rate=0.1,
            ceiling=1.0,
        )
        gain = 0.1 * 0.8 * 0.5
        assert out[0] == pytest.approx(0.2 + gain * 0.8)
        assert met.tolist() == [True, False, False]
        low, _ = trust.mediation(
            np.array([0.2, 0.7, 0.3]),
            np.array([0]),
            np.array([1]),
            np.array([2]),
            np.array([0.8]),
            np.array([True]),
            threshold=0.4,
            rate=0.1,
            ceiling=1.0,
        )
        assert low[0] == 0.2

    def test_mediation_closes_the_gap_to_its_ceiling_not_to_one(self) -> None:
        """``trust + lift (M - trust)`` below the ceiling M; nothing at or above it (mediation3)."""
        args = (np.array([0]), np.array([1]), np.array([2]), np.array([0.8]), np.array([True]))
        kw = dict(threshold=0.4, rate=0.1)
        gain = 0.1 * 0.8 * 0.5
        below, _ = trust.mediation(np.array([0.2, 0.7, 0.5]), *args, **kw, ceiling=0.6)
        assert below[0] == pytest.approx(0.2 + gain * (0.6 - 0.2))
        above, met = trust.mediation(np.array([0.65, 0.7, 0.5]), *args, **kw, ceiling=0.6)
        assert above[0] == 0.65 and met[0]  # met, but no lift past the ceiling
        # the ceiling from the ends' cultural violence: 1 - their mean, times the share
        m = trust.mediation_ceiling(np.array([0.6, 0.0]), np.array([0.65, 0.0]), 1.0)
        assert m.tolist() == pytest.approx([0.375, 1.0])
        assert trust.mediation_ceiling(np.array([0.5]), np.array([0.5]), 0.0)[0] == 0.0

    def test_violence_shock_only_across_divide(self) -> None:
        out = trust.violence_shock(
            np.array([0.5, 0.5]), np.array([True, False]), np.array([0.5, 0.5]), 0.2
        )
        assert out.tolist() == pytest.approx([0.45, 0.5])


Z3 = np.zeros((3, 1))  # no anchors


class TestGaltung:
    def test_targets_hand_value(self) -> None:
        p = GaltungParams()
        one, zero = np.array([0.5]), np.array([0.0])
        d, s, c, d_calm = galtung.targets(
            one, one, one, one, zero, one, one, zero, zero, one, zero, zero, zero, Z3, p
        )
        expect_d = sigmoid(
            np.array(
                [p.w_DS * 0.5 + p.w_DC * 0.5 + p.w_DN * 0.5 - p.w_Dcoh * 0.5 - p.w_DK * 0.5 - p.b_D]
            )
        )
        assert d[0] == pytest.approx(expect_d[0])
        assert d_calm[0] == d[0]  # no pressure: D°* is D* to the last digit
        # The events' pressure raises D* and leaves D°* where the structure holds it (ODD 7.7).
        a = np.array([[0.3], [-0.2], [0.1]])
        pressed = galtung.targets(
            one, one, one, one, zero, one, one, np.array([1.5]), zero, one, zero, zero, zero, a, p
        )
        calm = galtung.targets(
            one, one, one, one, zero, one, one, zero, zero, one, zero, zero, zero, a, p
        )
        assert pressed[3][0] == calm[0][0] == calm[3][0]
        assert pressed[0][0] == pytest.approx(sigmoid(np.array([sigmoid_logit(calm[0]) + 1.5]))[0])
        assert pressed[1][0] == calm[1][0] and pressed[2][0] == calm[2][0]
        expect_c = sigmoid(np.array([p.w_CD * 0.5 - p.w_CT * 0.5 - p.w_Ccoh * 0.5 - p.b_C]))
        assert c[0] == pytest.approx(expect_c[0])
        # Aid moves the targets: development lowers S*, peace work and horizontal ties C*
        # (each a response of 0.5 here).
        aided = galtung.targets(
            one, one, one, one, zero, one, one, zero, zero, one, one, one, one, Z3, p
        )
        assert aided[0][0] == d[0]
        assert aided[1][0] == pytest.approx(
            sigmoid(np.array([sigmoid_logit(s) - 0.5 * p.w_S_dev]))[0]
        )
        expect = sigmoid_logit(c) - 0.5 * (p.w_C_peace + p.w_Chor)
        assert aided[2][0] == pytest.approx(sigmoid(np.array([expect]))[0])

    def test_anchors_make_the_start_the_status_quo(self) -> None:
        """With full persistence the anchored targets at the start equal the initial S, C,
        needs and cohesion (the status quo), and D where its drivers would raise it (an
        order that holds); a D above what its drivers explain (about 0.13 here) is a war's
        tail and ebbs to it. At 0 nothing is anchored."""
        p = GaltungParams()
        half, zero, k = np.full(2, 0.5), np.zeros(2), np.full(2, 0.3)
        D, S, C, needs, coh = np.array([0.05, 0.25]), np.full(2, 0.7), np.full(2, 0.4), half, half
        terms = (D, S, C, needs, zero, k, coh, zero, half, half, zero, zero, zero)
        logits = np.concatenate(
            [
                galtung.target_logits(*terms, p)[:3],
                galtung.needs_logit(D, S, zero, k, zero, p)[None],
                galtung.cohesion_logit(half, D, C, p)[None],
            ]
        )
        start = np.stack([D, S, C, needs, coh])
        a = galtung.anchors(start, logits, 1.0)
        d1, s1, c1, _ = galtung.targets(*terms, a, p)
        n1 = galtung.needs_target(D, S, zero, k, zero, p, a[3])
        coh1 = galtung.cohesion_target(half, D, C, p, a[4])
        assert np.stack([s1, c1, n1, coh1]) == pytest.approx(start[1:])
        assert d1[0] == pytest.approx(0.05)
        assert d1[1] == pytest.approx(sigmoid(logits[0])[1]) and d1[1] < 0.2
        assert not galtung.anchors(start, logits, 0.0).any()
        # Half the persistence: each target sits halfway between the drivers' and the start's
        # logit.
        s_half = galtung.targets(*terms, galtung.anchors(start, logits, 0.5), p)[1]
        assert sigmoid_logit(s_half) == pytest.approx((logits[1, 0] + sigmoid_logit(S)) / 2)

    def test_needs_target_hand_value(self) -> None:
        p = GaltungParams()
        needs = galtung.needs_target(
            np.array([0.2]), np.array([0.4]), np.array([0.1]), np.array([0.6]), np.array([0.25]),
            p,
        )  # fmt: skip
        logit = (
            p.w_ND * 0.2 + p.w_NS * 0.4 + p.w_Ndisp * 0.1 + p.w_NK * 0.4
            - p.w_N_hum * 0.25 - p.b_N
        )  # fmt: skip
        assert needs[0] == pytest.approx(sigmoid(np.array([logit]))[0])

    def test_rates_are_ordered_months_years_decades(self) -> None:
        p = GaltungParams()
        assert p.rate_D > 5 * p.rate_S > 25 * p.rate_C

    def test_relax_and_indices(self) -> None:
        relaxed = galtung.relax(np.array([0.2]), np.array([1.0]), 0.5, np.zeros(1))
        assert relaxed[0] == pytest.approx(0.6)
        assert galtung.relax(np.array([0.9]), np.array([1.0]), 1.0, np.ones(1))[0] == 1.0
        neg, pos, peace = galtung.indices(np.array([0.2]), np.array([0.5]), np.array([0.5]))
        assert neg[0] == pytest.approx(0.8)
        assert pos[0] == pytest.approx(0.5)
        assert peace[0] == pytest.approx((0.8 * 0.25) ** (1 / 3))


def sigmoid_logit(p: np.ndarray) -> float:
    """The logit of a probability (one element)."""
    return float(np.log(p[0] / (1 - p[0])))


def test_lederach_metrics_and_spill_up() -> None:
    # h_i: the mean trust of each city's middle-level cross-divide ties, per replicate.
    by_city = lederach.horizontal_by_city(np.array([[0.6, 0.0, 0.8]]), np.array([2, 0, 1]))
    assert by_city[0].tolist() == pytest.approx([0.3, 0.0, 0.8])
    # the model level: the mean over the cities that have such ties
    has = np.array([True, False, True])
    assert lederach.horizontal_integration(by_city, has).tolist() == pytest.approx([0.55])
    assert lederach.horizontal_integration(by_city, ~has | ~has).tolist() == [0.0]
    # v_i = participation x the mean trust of the ties with the level above (0 without any)
    v = lederach.vertical_by_city(
        np.array([[1.1, 0.3, 0.9]]), np.array([2, 1, 0]), np.array([[0.5, 0.1, 0.9]])
    )
    assert v[0].tolist() == pytest.approx([0.275, 0.03, 0.0])
    assert lederach.vertical_integration(v).tolist() == pytest.approx([0.305 / 3])
    host = lederach.spill_up(
        np.array([[0, 0.8], [0.8, 0]]),
        np.array([[0, 0.9], [0.9, 0]]),
        np.array([[False, True], [True, False]]),
        0.1,
        0.5,
    )
    assert host[0, 1] == pytest.approx(0.8 * (1 - 0.1 * 0.4))


def test_divide_violence_is_what_the_side_that_suffers_most_suffers() -> None:
    """E of a pair is the largest excess among its sides, per replicate: a war on one side is
    not halved by calm on the other (the mean over sides was); a pair without sides gets 0."""
    # Three countries: sides 0 (country 0) and 1 (country 1) face each other; country 2 has none.
    k = 3
    rows = np.array([0 * k + 1, 1 * k + 0, 0 * k + 1, 1 * k + 0])
    cols = np.array([0, 0, 1, 1])
    side = np.array([[0.08, 0.0, 0.5], [0.01, 0.03, 0.0]])  # (R=2, G=3); side 2 is in no pair
    e = lederach.divide_violence(side, rows, cols, k * k).reshape(2, k, k)
    assert e[:, 0, 1].tolist() == e[:, 1, 0].tolist() == [0.08, 0.03]
    assert (e[:, 0, 2] == 0).all() and (e[:, 2, 1] == 0).all()
    assert (np.diagonal(e, 0, 1, 2) == 0).all()
    # No sides at all: zeros of the table's shape.
    none = lederach.divide_violence(side, np.zeros(0, int), np.zeros(0, int), k * k)
    assert none.shape == (2, k * k) and not none.any()
    # Through the violence part: the one-sided war lifts V by the suffering side's excess.
    base, has = np.full((k, k), 0.85), np.ones((k, k), bool)
    rise = lederach.violence_rise(base, e[0], has, 1.0, 1.0)
    assert rise[0, 1] == pytest.approx(0.5 * 0.08 * 0.15)


def test_alliance_lifecycle() -> None:
    from sim.engine.params import AllianceParams

    p = AllianceParams()
    state = np.array([alliances.NEGOTIATING] * 3)
    progress = np.array([0.99, 0.5, 0.99])
    args = dict(
        months_low=np.zeros(3, dtype=int),
        side_violence=np.array([0.1, 0.9, 0.1]),
        min_trust=np.array([0.9, 0.9, 0.1]),
        funded=np.array([True] * 3),
        withdrawn=np.zeros(3, dtype=bool),
        p=p,
    )
    s, prog, _ = alliances.advance(state, progress, mediated=np.array([True, True, True]), **args)
    assert s.tolist() == [alliances.FOUNDED, alliances.NEGOTIATING, alliances.NEGOTIATING]
    assert prog[1] == 0.5  # violence stalls the talks
    s2, _, _ = alliances.advance(state, progress, mediated=np.array([False] * 3), **args)
    assert s2[0] == alliances.NEGOTIATING  # no mediator, no progress
    active = np.array([alliances.ACTIVE, alliances.ACTIVE])
    s3, _, _ = alliances.advance(
        active,
        np.ones(2),
        np.zeros(2, dtype=int),
        np.ones(2, bool),
        np.array([0.1, 0.9]),
        np.ones(2),
        np.ones(2, bool),
        np.array([True, False]),
        p,
    )
    assert s3.tolist() == [alliances.DISSOLVED, alliances.SUSPENDED]
