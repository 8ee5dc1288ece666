"""The house's layout: imports only go down. No module of generator/ imports, even for a type or inside a
function, one that imports it back, however far round (README, Architecture)."""

from __future__ import annotations

import ast
from pathlib import Path

GENERATOR = Path(__file__).resolve().parent.parent / "generator"


def _module(path: Path) -> str:
    """generator/views/entry.py → generator.views.entry; a package's __init__.py is the package."""
    parts = path.relative_to(GENERATOR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    """Each module of generator/ → the modules of generator/ it imports, every import statement counted."""
    modules = {_module(path): path for path in sorted(GENERATOR.rglob("*.py"))}
    found: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                targets = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            else:
                continue
            found[name] |= {target for target in targets if target in modules and target != name}
    found["generator"].clear()  # the package itself holds only its version: importing it is no arrow up
    for name in found:
        found[name].discard("generator")
    return found


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, however far round (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(graph[module]):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                other = stack.pop()
                group.append(other)
                if other == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_no_module_imports_one_that_imports_it_back() -> None:
    assert circles(imports()) == []


def test_the_finder_sees_a_circle() -> None:
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_model_knows_no_processes_and_watch_only_the_site() -> None:
    graph = imports()
    assert "generator.workers" not in graph["generator.journal"]
    assert "generator.execute" not in graph["generator.journal"]
    assert graph["generator.watch"] <= {"generator.build", "generator.config", "generator.errors"} | {
        "generator.sources",
        "generator.words",
    }
