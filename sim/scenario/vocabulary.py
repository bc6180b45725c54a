"""The words of the scenario format: actor and tie types, levels, pillars, permission levels,
horizons, alliance states, and the practical caps on money, people and months (plain
constants: the engine reads them without importing the format's checks)."""

from __future__ import annotations

ACTOR_TYPES = ("municipality", "national_government", "ngo", "international_organisation")
TIE_TYPES = ("twinning", "membership", "partnership", "funding", "governance", "mediation")
LEVELS = ("top", "middle", "grassroots")
IO_KINDS = ("un_agency", "city_network", "municipal_association", "donor")
PILLARS = ("humanitarian", "development", "peace")
PERMISSIONS = ("closed", "humanitarian", "open")
HORIZONS = ("crisis", "design", "vision")
ALLIANCE_STATES = ("proposed", "negotiating", "founded", "active", "suspended", "dissolved")
MAX_MONEY = 1e12  # units per month (1 unit ~ EUR 1,000): far beyond any real budget
MAX_PEOPLE = 1e10  # more people than live on Earth
MAX_HORIZON = 12 * 500
# An actor's state before a scenario says otherwise: no people, no violence, no needs. The
# loader's defaults (sim.scenario.actors) and the synthetic generator's non-city actors share it.
ACTOR_ZERO_STATE = {
    "population": 0.0,
    "displaced": 0.0,
    "direct_violence": 0.0,
    "structural_violence": 0.0,
    "cultural_violence": 0.0,
    "needs": 0.0,
    "capacity": 0.0,
    "cohesion": 0.0,
    "participation": 0.0,
    "will": 0.5,
    "diversity": 0.0,
}
# The story's text caps (info.yaml, sim.scenario.info).
STORY_MAX = 1500  # one paragraph or one event of the story
WHEN_MAX = 40  # a story's dates are the reader's: "1995-12", "1999-2005", "after founding"
