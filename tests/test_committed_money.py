"""The committed money a closed programme pays its projects under way is delivered development
money, counted once (ODD 7.2, 7.4; branch harm17): do no harm's dose and insensitivity and the
city's money received read it in the month it is paid, and the projects stage pays the work
with the same value delivery counted.

Tuzla: the national reconstruction flow closes at 1999-12 and ABC at 2000-12, and projects of
both run on their committed budgets after that (branch tuzla2)."""

from __future__ import annotations

import numpy as np
import pytest

from sim import PeaceModel
from sim.rules import DEV, HUM, group_sum, money, nexus


def test_do_no_harm_and_the_city_read_the_committed_money(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """In every month a closed programme pays committed money, do no harm's dose is the dose of
    the humanitarian and development money the city's ties delivered, committed money included,
    and its insensitivity is the careless share of that money. (Before harm17 the dose and the
    city's received money left the committed money out: delivery ran before projects paid it.)"""
    seen: list[tuple[np.ndarray, ...]] = []
    harm = nexus.do_no_harm

    def spy(cohesion, diversity, aid_dose, insensitivity, h, x_half):  # noqa: ANN001, ANN202
        people = model.batch.state.cities.people  # (as delivery read it: flight moves it later)
        seen.append((np.array(aid_dose, copy=True), np.array(insensitivity, copy=True), people))
        return harm(cohesion, diversity, aid_dose, insensitivity, h, x_half)

    monkeypatch.setattr(nexus, "do_no_harm", spy)
    model = PeaceModel("tuzla", seed=0)
    w, n = model.batch.world, model.batch.world.n_cities
    paid_months, raised = 0, 0
    for _ in range(84):  # 1995-12 .. 2002-11: both programmes close within it
        spent_before = model.batch.state.projects.spent.copy()
        model.step()
        month, state = model.batch.month, model.batch.state
        if month.committed_paid is None:
            continue
        paid_months += 1
        paid = month.committed_paid
        t = month.world.ties
        resources = month.flows[HUM] + month.flows[DEV]
        transfers = group_sum(resources, t.dst, w.n_actors)[:, :n]
        careless = group_sum(resources * t.carefree, t.dst, w.n_actors)[:, :n]
        dose, insensitivity, people = seen[-1]
        np.testing.assert_allclose(dose, money.dose(transfers, people), rtol=1e-12, atol=0)
        expected = np.divide(careless, transfers, out=np.zeros_like(careless), where=transfers > 0)
        np.testing.assert_allclose(insensitivity, expected, rtol=1e-12, atol=1e-15)
        # What each city received is what its ties delivered, committed money included.
        flows_in = group_sum(month.flows, t.dst, w.n_actors)[..., :n]
        np.testing.assert_allclose(state.cities.received, flows_in, rtol=1e-12, atol=0)
        without = group_sum(resources - paid, t.dst, w.n_actors)[:, :n]
        raised += int((transfers > without * (1 + 1e-9)).sum())
        # The projects paid the work with the same money delivery counted (a paid tie's
        # project had none of its tie's development money this month: spent grows by it).
        at = paid > 0
        np.testing.assert_array_equal(state.projects.spent[at], spent_before[at] + paid[at])
    assert paid_months > 0  # the run exercised the committed money
    assert raised > 0  # and it added to some city's transfers


def test_committed_payment_is_the_commitment_where_the_budget_carries_the_work() -> None:
    """``funding.committed_payment``: the commitment where a closed programme's project got
    none of its tie's development money, 0 where money arrived, the programme is open, or the
    project is its provider's own."""
    from sim.rules import funding

    taken = np.array([0.0, 0.4, 0.0, 0.0])
    programme = np.array([2, 2, 2, -1])
    closed = np.array([True, True, False, True])
    committed = np.array([50.0, 50.0, 50.0, 50.0])
    paid = funding.committed_payment(taken, programme, closed, committed)
    np.testing.assert_array_equal(paid, [50.0, 0.0, 0.0, 0.0])
