"""The month's stages, one module per step of MODEL.md section 3 (``sim.engine.step`` runs
them in order). Each stage reads the batch's state, calls the pure rules of ``sim.rules`` on
whole (R, ...) arrays and writes the results back to the state or into this month's record
(``sim.engine.month``):

- ``gates``: which tie may carry which pillar (rules.gates);
- ``funding``: which programmes pay, and how much (rules.funding);
- ``proposals``: offers, acceptance and the share of each offer taken (rules.proposals);
- ``committed``: the committed money closed programmes pay their projects under way, computed
  once at the start of delivery for delivery and projects alike (rules.funding);
- ``delivery``: do no harm, peace work's trust, the nexus multiplier, the humanitarian and
  peace effect stocks (rules.nexus, rules.money);
- ``projects``: development projects start, progress, end; the development stock (rules.nexus,
  rules.money);
- ``trust``: success, failure, drift, mediation, violence shocks, memory (rules.trust);
- ``governance``: the same rule at each city's governance tie, with its own government's
  acts on the city's cross-border exchange as the inputs (rules.trust.top_level_acts);
- ``ladder``: mutual benefit and the cooperation ladder's stages (rules.ladder);
- ``violence``: the Galtung update of each city, capacity's damage and recovery, flight and
  return (rules.galtung, rules.recovery, rules.displacement);
- ``levels``: Lederach integration per city, spill-up, violence into hostility (rules.lederach);
- ``alliances``: the alliance lifecycle (rules.alliances).
"""
