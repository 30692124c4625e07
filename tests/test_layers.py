"""The package's layering, as CONTRIBUTING.md draws it: each stage imports only from the
stages below it, and no module imports itself back through others (no import circle)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

# Lowest first. A module may import from its own floor and from any floor below.
FLOORS = (
    ("socpress.errors", "socpress._version"),
    ("socpress._model", "socpress._blocks"),
    ("socpress._site",),
    ("socpress._read",),
    ("socpress._extract",),
    ("socpress._api",),
    ("socpress.corpus",),
    ("socpress.statements",),
    ("socpress.dask", "socpress.__main__", "socpress"),
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _floor(module: str) -> int:
    best = -1, 0
    for height, prefixes in enumerate(FLOORS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best[1]:
                best = height, len(prefix)
    assert best[0] >= 0, f"{module} is on no floor of FLOORS"
    return best[0]


def _imports() -> dict[str, set[str]]:
    """Each module's socpress imports, at any depth of the file (lazy imports included)."""
    modules = {_module_name(p): p for p in (SRC / "socpress").rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("socpress"))
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                    base = f"{base}.{node.module}" if node.module else base
                if not base.startswith("socpress"):
                    continue
                for alias in node.names:
                    child = f"{base}.{alias.name}"
                    found.add(child if child in modules else base)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def test_every_module_is_on_a_floor() -> None:
    for module in _imports():
        _floor(module)


def test_no_stage_imports_from_a_stage_above_it() -> None:
    upward = [
        f"{module} -> {target}"
        for module, targets in sorted(_imports().items())
        for target in sorted(targets)
        if _floor(target) > _floor(module)
    ]
    assert upward == []


def test_no_import_circle() -> None:
    graph = _imports()
    done: set[str] = set()
    path: list[str] = []

    def visit(module: str) -> None:
        if module in path:
            raise AssertionError(
                "import circle: " + " -> ".join([*path[path.index(module) :], module])
            )
        if module in done:
            return
        path.append(module)
        for target in sorted(graph[module]):
            visit(target)
        path.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)
