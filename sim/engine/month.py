"""One month's intermediate arrays, as the stages produce them and the recorder reads them.

Arrays have the replicate axis first, after the pillar axis where there is one: per tie
(R, E), per pillar and tie (3, R, E), per programme (R, P), per pillar and (programme, tie)
row (3, R, rows), per replicate (R,).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass
class Month:
    """What happened in the month just simulated (``Batch.month``)."""

    step: int
    vertical_city: np.ndarray  # (R, N) each city's vertical integration at the month's start
    horizontal_city: np.ndarray  # (R, N) each city's horizontal integration at the start
    open: np.ndarray  # (3, R, E) may the tie carry the pillar
    third_src: np.ndarray  # (R, E) the provider is a third channel
    prog_active: np.ndarray  # (R, P) programmes paying
    risk_ok: np.ndarray  # (R, P) funders accept the recipients' recent violence
    offer: np.ndarray | None = None  # (3, R, E) offered money
    split: np.ndarray | None = None  # (3, R, rows) each programme's offer per (programme, tie)
    passage: np.ndarray | None = None  # (R, E) share of humanitarian money through sanctions
    offer_total: np.ndarray | None = None  # (R, E) the offer summed over pillars
    has_offer: np.ndarray | None = None  # (R, E)
    ladder_stage: np.ndarray | None = None  # (R, E) each tie's ladder stage (0 off the ladder)
    parts: np.ndarray | None = None  # (R, E) parts of the offer taken
    taken: np.ndarray | None = None  # (R, E) share of the offer taken
    accept_prob: np.ndarray | None = None  # (R, E) each part's acceptance probability (offers)
    accepted: np.ndarray | None = None  # (R, E) some part taken
    declined: np.ndarray | None = None  # (R, E) an offer with nothing taken
    tie_people: np.ndarray | None = None  # (R, E) the people each tie's offer serves
    flows: np.ndarray | None = None  # (3, R, E) delivered money
    peace_delivered: np.ndarray | None = None  # (R, E) share of the offer delivered as peace
    multiplier: np.ndarray | None = None  # (R, N) the nexus multiplier of the month
    started: np.ndarray | None = None  # (R, E) a project started on the tie
    completed: np.ndarray | None = None  # (R, E) its project completed
    interrupted: np.ndarray | None = None  # (R, E) its project was interrupted
    breach: np.ndarray | None = None  # (R, E) the share of it the partners broke (nexus)
    started_programme: np.ndarray | None = None  # (R, E) programme of a started project
    ended_programme: np.ndarray | None = None  # (R, E) programme of an ended project
    committed_paid: np.ndarray | None = None  # (R, E) a closed programme's committed money paid
    committed_programme: np.ndarray | None = None  # (R, E) the programme that paid it, or -1
    projects_active: np.ndarray | None = None  # (R,) live projects after the month
    cross_trust_city: np.ndarray | None = None  # (R, N)
    hostility_city: np.ndarray | None = None  # (R, N)
    horizontal: np.ndarray | None = None  # (R,)
    vertical: np.ndarray | None = None  # (R,)
    horizontal_by_city: np.ndarray | None = None  # (R, N) h_i after the month (levels)
    vertical_by_city: np.ndarray | None = None  # (R, N) v_i after the month (levels)
    world: Any = None  # the World as it stood this month: only its active ties (events)

    @property
    def delivered(self) -> np.ndarray:
        """(3, R, E) what each tie delivered (the share of its offer taken)."""
        return self.flows
