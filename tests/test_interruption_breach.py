"""An interrupted project is a breach of its tie only for the share of its hazard the partners
made (branch breach17; ODD 7.4, 7.5, 8): the recipient's low participation, its own part of a
refusal that left the project without money, and a funder who stopped paying through an open
gate. Violence and the base hazard are misfortune; a closed gate and the state's part of a
refusal are the top level's act, which the governance tie counts. On the rule function and on
the pair world (tests/pair_world.py), a development programme to east."""

from __future__ import annotations

import numpy as np
from pair_world import pair_world, per_capita_budget

from sim import PeaceModel
from sim.rules import nexus

WEIGHTS = {
    "base": 0.01,
    "violence": 0.3,
    "gate": 0.2,
    "unfunded_h": 0.25,
    "low_participation": 0.1,
}


def _breach(d: float, closed: bool, unfunded: bool, participation: float, refused: bool,
            owned: float, **weights: float) -> float:  # fmt: skip
    args = [np.array([x]) for x in (d, closed, unfunded, participation, refused, owned)]
    return float(nexus.interruption_breach(*args, **{**WEIGHTS, **weights})[0])


def test_misfortune_is_no_breach_and_the_partners_own_causes_are() -> None:
    """A project lost to violence or the base hazard alone breaches nothing; one lost to low
    participation alone, or to a funder who stopped paying through an open gate, in full.
    (On main every interruption counted one whole failure.)"""
    assert _breach(0.5, False, False, 1.0, False, 1.0) == 0.0  # base and violence
    assert _breach(0.0, False, False, 0.2, False, 1.0, base=0.0) == 1.0  # participation
    # no offer through an open gate, nothing else: the funder's breach
    assert _breach(0.0, False, True, 1.0, False, 1.0, base=0.0) == 1.0
    # a shut gate (its month has no money either): the state's act
    assert _breach(0.0, True, True, 1.0, False, 1.0, base=0.0) == 0.0


def test_a_refusal_that_stalls_a_project_is_a_breach_for_the_recipients_own_part() -> None:
    """Without money because the recipient refused the offer, of which 0.6 is its own and 0.4
    its state's (trust.refusal_owned): 0.6 of the interruption is a breach of the tie."""
    assert abs(_breach(0.0, False, True, 1.0, True, 0.6, base=0.0) - 0.6) < 1e-12
    # the terms mix by their share of the hazard: 0.25 unfunded (0.6 own), 0.1 x 0.5 low
    # participation, 0.01 base, 0.3 x 0.1 violence
    mixed = _breach(0.1, False, True, 0.5, True, 0.6)
    assert abs(mixed - (0.25 * 0.6 + 0.05) / (0.25 + 0.05 + 0.01 + 0.03)) < 1e-12


def test_the_breach_share_is_in_0_1_without_nan_at_the_edges() -> None:
    """Every term 0 (no hazard: nothing can be interrupted) gives 0, not 0/0; random inputs
    with coefficients at 0 or their bounds stay in [0, 1]."""
    zero = {k: 0.0 for k in WEIGHTS}
    assert _breach(0.0, False, False, 1.0, False, 1.0, **zero) == 0.0
    rng = np.random.default_rng(3)
    n = 5000
    share = nexus.interruption_breach(
        rng.uniform(0, 1, n), rng.uniform(size=n) < 0.5, rng.uniform(size=n) < 0.5,
        rng.uniform(0, 1, n), rng.uniform(size=n) < 0.5, rng.uniform(0, 1, n),
        **{k: rng.choice([0.0, 1.0, 0.3], n) for k in WEIGHTS},
    )  # fmt: skip
    assert np.isfinite(share).all() and (share >= 0).all() and (share <= 1).all()


def _run(hazards: dict[str, float], failure: float = 0.15) -> tuple[int, list[float], np.ndarray]:
    """East's development programme for five years with the given hazards (all others 0):
    the number of interrupted projects, the breach shares stage 5b charged them and every
    tie's trust each month."""
    params = {
        "galtung": {"noise": 0.0},
        "trust": {"failure": failure},
        "delivery": {
            "hazard_base": 0.0, "hazard_violence": 0.0, "hazard_gate": 0.0,
            "hazard_unfunded": 0.0, "hazard_participation": 0.0, **hazards,
        },
    }  # fmt: skip
    model = PeaceModel(pair_world(budget=per_capita_budget(300.0)), seed=1, params=params)
    count, shares, trust = 0, [], []
    for _ in range(60):
        model.step()
        month = model.batch.month
        count += int(month.interrupted.sum())
        shares += list(month.breach[month.interrupted])
        assert not month.breach[~month.interrupted].any()  # only an interruption is charged
        trust.append(model.batch.state.ties.trust.copy())
    return count, shares, np.array(trust)


def test_stage_5b_charges_a_misfortune_nothing_and_low_participation_in_full() -> None:
    """On the pair world, projects interrupted by the base hazard alone are charged a breach
    share 0; by low participation alone (east's participation is below 1), 1."""
    count, shares, _ = _run({"hazard_base": 0.3})
    assert count >= 3 and shares == [0.0] * count
    count, shares, _ = _run({"hazard_participation": 0.6})
    assert count >= 3 and shares == [1.0] * count


def test_stage_6_charges_the_breach_share_not_the_interruption() -> None:
    """Stage 6 reads the breach share: where every interruption is misfortune, the failure
    coefficient changes no tie's trust in any month (on main, 0.15 against 0.9 moved the
    donor's tie at each interruption); where each is the partners' own, it does."""
    _, _, low = _run({"hazard_base": 0.3}, failure=0.15)
    _, _, high = _run({"hazard_base": 0.3}, failure=0.9)
    assert np.array_equal(low, high)
    _, _, low = _run({"hazard_participation": 0.6}, failure=0.15)
    _, _, high = _run({"hazard_participation": 0.6}, failure=0.9)
    assert not np.array_equal(low, high)
