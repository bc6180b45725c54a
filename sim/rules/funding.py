"""Funding: programmes are paid while they run, are funded and look stable (MODEL.md 5.2).

Programmes end when their money ends, not when they fail (001:5035; 004:3657-3659). A funder
with risk tolerance r refuses or suspends a grant while the recipients' mean direct violence is
above r: the EU refused MAP over doubts about stability (004:3173-3183).
"""

from __future__ import annotations

import numpy as np


def recipients_mean_violence(
    prog_of_row: np.ndarray, city_of_row: np.ndarray, direct_violence: np.ndarray, n_prog: int
) -> np.ndarray:
    """Mean D over each programme's recipient cities (rows with city < 0 are ignored)."""
    is_city = city_of_row >= 0
    total = np.bincount(
        prog_of_row[is_city], weights=direct_violence[city_of_row[is_city]], minlength=n_prog
    )
    count = np.bincount(prog_of_row[is_city], minlength=n_prog)
    return np.divide(total, count, out=np.zeros(n_prog), where=count > 0)


def risk_acceptable(recent_violence: np.ndarray, risk_tolerance: np.ndarray) -> np.ndarray:
    """A funder grants only while the recipients' recent mean violence is within its tolerance."""
    return recent_violence <= risk_tolerance


def programme_money(
    step: int,
    start: np.ndarray,
    end: np.ndarray,
    funded: np.ndarray,
    risk_ok: np.ndarray,
    alliance_ok: np.ndarray,
    budget: np.ndarray,
    funding_scale: float,
) -> tuple[np.ndarray, np.ndarray]:
    """(active, money): which programmes pay out this month, and how much each."""
    running = (start <= step) & (step < end)
    active = running & funded & risk_ok & alliance_ok
    return active, np.where(active, budget * funding_scale, 0.0)
