"""The month's stages, one module per step of MODEL.md section 3 (``sim.engine.step`` runs
them in order). Each stage reads the batch's state, calls the pure rules of ``sim.rules`` on
whole (R, ...) arrays and writes the results back to the state or into this month's record
(``sim.engine.month``):

- ``gates``: which tie may carry which pillar (rules.gates);
- ``funding``: which programmes pay, and how much (rules.funding);
- ``proposals``: offers, acceptance and the share of each offer taken (rules.proposals);
- ``delivery``: relief, dependency, do no harm, peace work, the nexus multiplier (rules.nexus);
- ``projects``: development projects start, progress, end (rules.nexus);
- ``trust``: success, failure, drift, mediation, violence shocks, memory (rules.trust);
- ``violence``: the Galtung update of each city (rules.galtung);
- ``levels``: Lederach integration and spill-up (rules.lederach);
- ``alliances``: the alliance lifecycle (rules.alliances).
"""
