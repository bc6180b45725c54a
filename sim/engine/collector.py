"""Mesa's DataCollector face over the recorder: every model-level series, no copying.

``mesa.batch_run`` and ``model.datacollector.get_model_vars_dataframe()`` read
``model_vars``: here a view of every series the recorder keeps (over a hundred for a real
scenario; the wide ``timeseries`` columns), one value per collected month. ``collect`` only
notes the time: the recorder (``sim.engine.observe``) has already recorded the month.
"""

from __future__ import annotations

from typing import Any

import mesa


class SeriesCollector(mesa.DataCollector):
    """A DataCollector whose model variables are the recorder's series (see the module)."""

    def __init__(self, model: Any) -> None:
        super().__init__()
        self._model = model
        self._cache: tuple[int, dict[str, list[Any]]] | None = None

    @property
    def model_vars(self) -> dict[str, list[Any]]:
        """Series name -> its value in each collected month."""
        rows = len(self._collection_steps)
        if self._cache is None or self._cache[0] != rows:
            frame = self._model.timeseries().head(rows)
            self._cache = (rows, {name: frame[name].tolist() for name in frame.columns})
        return self._cache[1]

    @model_vars.setter
    def model_vars(self, value: dict) -> None:  # DataCollector.__init__ sets {}: a view here
        pass

    @property
    def model_reporters(self) -> dict[str, Any]:
        return {name: name for name in self.model_vars}

    @model_reporters.setter
    def model_reporters(self, value: dict) -> None:
        pass

    def collect(self, model: Any) -> None:
        """Note the month just recorded (and any agent reporters a subclass adds)."""
        self._collection_steps.append(model.time)
        if self.agent_reporters:
            self._agent_records[model.time] = list(self._record_agents(model))
