"""Mesa's spatial modules, imported when first used instead of on ``import mesa``.

Mesa 3.5 imports every space on ``import mesa`` (``discrete_space`` and ``space`` bring
SciPy's KD-tree and networkx, ``experimental.continuous_space`` SciPy's distances): about
0.6 s of a command's start. citypeace's model uses none of them, so the command line puts a
stand-in module under each name; the first attribute read on a stand-in imports the real
module (which then replaces it) and answers from it, as if it had been imported all along.
(:class:`importlib.util.LazyLoader` cannot do this on Python 3.12: the import statement's own
``__spec__`` check would load the module at once.)
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
import types
from typing import Any

DEFERRED = ("mesa.discrete_space", "mesa.experimental.continuous_space", "mesa.space")


class _Deferred(types.ModuleType):
    """Stands in for a module until an attribute other than its import metadata is read."""

    def __getattr__(self, attr: str) -> Any:
        return getattr(load(self.__name__), attr)


def load(name: str) -> types.ModuleType:
    """The real module ``name``, imported now if a stand-in holds its place."""
    module = sys.modules.get(name)
    if isinstance(module, _Deferred):
        del sys.modules[name]
        module = importlib.import_module(name)
    return module


def defer_mesa_spaces() -> None:
    """Put stand-ins under :data:`DEFERRED` (nothing once Mesa is imported)."""
    if "mesa" in sys.modules:
        return
    top = importlib.util.find_spec("mesa")  # finds the package without running it
    if top is None or not top.submodule_search_locations:
        return
    for name in DEFERRED:
        where = list(top.submodule_search_locations)
        for part in name.split(".")[1:-1]:  # sub-packages between mesa and the module
            sub = importlib.machinery.PathFinder.find_spec(part, where)
            if sub is None or not sub.submodule_search_locations:
                break
            where = list(sub.submodule_search_locations)
        else:
            spec = importlib.machinery.PathFinder.find_spec(name.rpartition(".")[2], where)
            if spec is None:
                continue
            spec.name = name
            stand_in = _Deferred(name)
            stand_in.__spec__ = spec
            stand_in.__file__ = spec.origin
            if spec.submodule_search_locations is not None:
                stand_in.__path__ = list(spec.submodule_search_locations)
            sys.modules[name] = stand_in
