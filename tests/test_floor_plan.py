"""The engine's floor plan, read from the source (ast, nothing executed): no import cycles, no
imports hidden inside functions, and one package per collection."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from hub.collections import COLLECTIONS

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "hub"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imported(node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """The hub modules an import statement loads: `from hub.a import b` loads hub.a.b when b is a module."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names if alias.name.split(".")[0] == "hub")
    elif node.module and node.module.split(".")[0] == "hub" and node.level == 0:
        for alias in node.names:
            submodule = f"{node.module}.{alias.name}"
            yield submodule if submodule in MODULES else node.module


def module_level_imports(tree: ast.Module) -> Iterator[str]:
    """Imports that run when the module is imported (not those only a type checker reads)."""
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield from _imported(node)
        elif isinstance(node, (ast.If, ast.Try, ast.With)) and not _type_checking_only(node):
            stack += [child for child in ast.iter_child_nodes(node) if isinstance(child, ast.stmt)]


def imports_inside_functions(tree: ast.Module) -> Iterator[tuple[int, str]]:
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(function):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    for name in _imported(node):
                        yield node.lineno, name


def import_graph() -> dict[str, set[str]]:
    """Module → the hub modules it imports, at its top or later inside a function (a cycle closed by
    an import on use is still a cycle: it only moves the failure to the first call)."""
    graph = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = [*module_level_imports(tree), *(target for _, target in imports_inside_functions(tree))]
        graph[name] = {target for target in imported if target != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as a path that returns to its start, or [] (depth-first, colouring)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (found := visit(target)):
                return found
        state[node] = 2
        path.pop()
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_the_hub_package_has_no_import_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle == [], " → ".join(cycle)


def test_no_hub_import_hides_inside_a_function() -> None:
    hidden = [f"{path.relative_to(PACKAGE.parent)}:{line}: {name}" for path in MODULES.values()
              for line, name in imports_inside_functions(ast.parse(path.read_text(encoding="utf-8")))]
    assert hidden == []


@pytest.mark.parametrize("source, expected", [
    ({"hub.a": {"hub.b"}, "hub.b": {"hub.c"}, "hub.c": {"hub.a"}}, ["hub.a", "hub.b", "hub.c", "hub.a"]),
    ({"hub.a": {"hub.b"}, "hub.b": set(), "hub.c": {"hub.a", "hub.b"}}, []),
])
def test_the_cycle_finder_finds_a_cycle_and_only_a_cycle(source: dict[str, set[str]], expected: list[str]) -> None:
    assert find_cycle(source) == expected


def test_the_reader_sees_imports_in_functions_and_ignores_type_checking_blocks() -> None:
    tree = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from hub.core.settings import Settings\n"
                     "import hub.core.clock\n\ndef f():\n    from hub.reading import loader\n")
    assert list(module_level_imports(tree)) == ["hub.core.clock"]
    assert list(imports_inside_functions(tree)) == [(7, "hub.reading.loader")]
    paused = ast.parse("with paused():\n    from hub.cli import main\n")  # a block at the top runs on import
    assert list(module_level_imports(paused)) == ["hub.cli"]


@pytest.mark.parametrize("name", list(COLLECTIONS))
def test_each_collection_is_declared_by_a_package_of_its_own(name: str) -> None:
    collection = COLLECTIONS[name]
    declared_in = collection.model.__module__
    assert declared_in.startswith(f"hub.collections.{name}"), declared_in
    assert (PACKAGE / "collections" / name / "__init__.py").is_file()
