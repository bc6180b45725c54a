"""The package's shape: no import circles, and modules of a readable size."""

from __future__ import annotations

import ast
from pathlib import Path

from helpers import ROOT

SIM = ROOT / "sim"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level(body: list[ast.stmt]):  # noqa: ANN202 - a generator of statements
    """Statements that run when the module is imported: not inside functions or classes, but
    inside ``if TYPE_CHECKING:``, ``try`` and the like (a type-checking circle is a circle)."""
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        yield node
        for name in ("body", "orelse", "handlers", "finalbody"):
            yield from _top_level(getattr(node, name, None) or [])


def import_graph(package: Path = SIM) -> dict[str, set[str]]:
    """Module -> the package modules it imports at import time."""
    modules = {_module_name(p): p for p in package.rglob("*.py")}

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        for node in _top_level(ast.parse(path.read_text(encoding="utf-8")).body):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for name in names:
                target = resolve(name)
                if target and target != module:
                    graph[module].add(target)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_no_import_circles_in_sim() -> None:
    graph = import_graph()
    assert len(graph) > 40 and graph["sim.engine.model"]  # the walk sees the package
    assert circles(graph) == []


def test_the_circle_check_finds_a_circle() -> None:
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_sim_modules_are_readable_sizes() -> None:
    # The brief: no module over about 400 lines. params.py is a table: one documented, ranged
    # field per coefficient.
    sizes = {
        str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
        for p in SIM.rglob("*.py")
        if p.name != "params.py"
    }
    assert len(sizes) > 40 and "sim/experiments/design.py" in sizes  # the walk sees the package
    assert max(sizes.values()) <= 400, {k: v for k, v in sizes.items() if v > 400}
