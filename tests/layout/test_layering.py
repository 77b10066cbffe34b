"""Imports flow one way (docs/architecture.md): parkwatch → scheduler → crawler → pipelines →
archive → foundation, watches below the scheduler; every layer may read the foundation
(settings, site profiles, shared types), which imports nothing of ours."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OURS = ("parkwatch", "scheduler", "crawler", "pipelines", "archive", "watches", "foundation")
FOUNDATION = "foundation"
# What each package may import of ours, beyond itself and the foundation.
MAY_IMPORT = {
    "archive": set(),
    "pipelines": {"archive"},
    "watches": {"archive"},
    "crawler": {"pipelines", "archive"},
    "scheduler": {"crawler", "pipelines", "archive", "watches"},
}
# A data migration that fills a new table computes what the pipeline computes (0009: MinHash
# signatures of stored articles), so migrations may call the pipelines.
MIGRATIONS_MAY_IMPORT = {"pipelines"}


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return {n for n in names if n.split(".")[0] in OURS}


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_imports_flow_one_way(package: str) -> None:
    allowed = MAY_IMPORT[package] | {package, FOUNDATION}
    wrong = sorted(f"{path.relative_to(ROOT)} imports {name}"
                   for path in (ROOT / package).rglob("*.py")
                   for name in imported(path)
                   if name.split(".")[0] not in allowed
                   and not ("migrations" in path.parts
                            and name.split(".")[0] in MIGRATIONS_MAY_IMPORT))
    assert not wrong, "\n".join(wrong)


def test_the_foundation_imports_nothing_of_ours() -> None:
    """The floor every layer stands on: reading the settings or a site profile pulls in no
    crawl, pipeline or storage code (and no module of ours outside the foundation)."""
    wrong = sorted(f"{path.relative_to(ROOT)} imports {name}"
                   for path in (ROOT / FOUNDATION).rglob("*.py")
                   for name in imported(path) if name.split(".")[0] != FOUNDATION)
    assert not wrong, "\n".join(wrong)
    assert (ROOT / FOUNDATION / "settings.py").is_file()


def test_no_module_is_left_where_the_foundation_came_from() -> None:
    """Moved, not shimmed: the settings and profiles live only in the foundation."""
    gone = ["parkwatch/settings.py", "crawler/profile.py", "crawler/parsing/rules.py",
            "crawler/sites"]
    assert not [p for p in gone if (ROOT / p).exists()]


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The module an import-from names, relative ones (`from .x import y`) resolved."""
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[:len(package) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _graph() -> dict[str, set[str]]:
    """Module → the modules of ours it imports, imports inside functions included (a name
    imported from a package resolves to its module where one is named so)."""
    paths = [p for package in OURS for p in (ROOT / package).rglob("*.py")
             if "migrations" not in p.parts and "samplesite" not in p.parts]
    modules = {_module(p): p for p in paths}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(a.name for a in node.names if a.name in modules)
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(name, path, node)
                for alias in node.names:
                    full = f"{base}.{alias.name}" if base else alias.name
                    targets.add(full if full in modules else base)
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_circle_counting_imports_inside_functions() -> None:
    """No module of the product reaches itself through others, whether the import stands at
    the top or inside a function (a package's face importing its modules counts too)."""
    assert _circles(_graph()) == []


def test_the_circle_check_sees_a_circle() -> None:
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_relative_imports_resolve_to_their_modules() -> None:
    node = ast.parse("from .facts import Fact").body[0]
    assert isinstance(node, ast.ImportFrom)
    assert _absolute("pipelines.metrics.extract", ROOT / "pipelines/metrics/extract.py",
                     node) == "pipelines.metrics.facts"
    assert _absolute("pipelines.metrics", ROOT / "pipelines/metrics/__init__.py",
                     node) == "pipelines.metrics.facts"
    assert "pipelines.metrics.facts" in _graph()["pipelines.metrics.extract"]
