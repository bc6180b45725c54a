"""The cooperation ladder of city-city ties (000:133-180; 002:48-50; 000:1044-1046; 004:1173-1175).

Cooperation between cities climbs from information, culture and friendship (stage 0), to shared
projects and infrastructure (1), to economic ties (2), to a political alliance (3): from
consultation to institutionalisation. Purely ceremonial friendship ties achieve little, while
ties with real mutual benefit last. Each city-city tie (a twinning or partnership between two
cities) keeps a *mutual benefit*: a moving average of its joint outcomes (peace work delivered
on it, a project completed on it, or delivery on the reverse tie in the same month). It climbs
one stage after ``climb_months`` months with mutual benefit of at least ``climb_benefit`` and
trust of at least ``climb_trust + stage x trust_step``, and falls back one stage after
``fall_months`` months with mutual benefit below ``fall_benefit``. A stage-0 tie without mutual
benefit is *ceremonial*: its memory fades faster and its trust floor is lower. Higher stages are
institutionalised: slower trust decay and memory loss, more weight in offers, fewer failed
projects (the stage enters ``trust``, ``proposals`` and ``nexus.project_hazard``).
"""

from __future__ import annotations

import numpy as np

Coefficient = float | np.ndarray
TOP = 3  # political alliance
STAGE_NAMES = ("friendship", "projects", "economic", "political")


def joint_outcome(
    peace_delivered: np.ndarray, completed: np.ndarray, reverse_delivered: np.ndarray
) -> np.ndarray:
    """This month's joint outcome on each tie, in [0, 1]: the largest of the share of its offer
    delivered as peace work, a completed project (1) and the share delivered on its reverse tie."""
    return np.maximum(np.maximum(peace_delivered, completed), reverse_delivered)


def mutual_benefit(benefit: np.ndarray, joint: np.ndarray, rate: Coefficient) -> np.ndarray:
    """Moving average of joint outcomes: ``benefit + rate (joint - benefit)``."""
    return benefit + rate * (joint - benefit)


def advance(
    stage: np.ndarray,
    months_up: np.ndarray,
    months_down: np.ndarray,
    benefit: np.ndarray,
    trust: np.ndarray,
    on_ladder: np.ndarray,
    p,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(stage, months_up, months_down) after a month; ``p`` is a LadderParams.

    Ties off the ladder (``on_ladder`` false) stay at stage 0 with no counts.
    """
    needed = p.climb_trust + stage * p.trust_step
    climbing = on_ladder & (stage < TOP) & (benefit >= p.climb_benefit) & (trust >= needed)
    months_up = np.where(climbing, months_up + 1, 0)
    lacking = on_ladder & (benefit < p.fall_benefit)
    months_down = np.where(lacking, months_down + 1, 0)
    up = months_up >= p.climb_months
    down = (months_down >= p.fall_months) & (stage > 0)
    stage = stage + up - down
    moved = up | down
    return stage, np.where(moved, 0, months_up), np.where(moved, 0, months_down)


def ceremonial(
    stage: np.ndarray, benefit: np.ndarray, on_ladder: np.ndarray, fall_benefit: Coefficient
) -> np.ndarray:
    """Stage-0 city-city ties without mutual benefit: friendship on paper."""
    return on_ladder & (stage == 0) & (benefit < fall_benefit)


def institution(stage: np.ndarray, share: Coefficient) -> np.ndarray:
    """``1 - share x stage / 3``: what is left of trust decay and memory loss at a stage."""
    return 1.0 - share * stage / TOP
