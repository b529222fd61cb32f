"""The import rules ARCHITECTURE.md draws, checked on the source: no import cycle (type-only
imports count too), the core imports no adapter, run/ imports no Playwright, browser/ no report."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "harness"


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> Iterator[str]:
    """Every module name imported anywhere in the file, under TYPE_CHECKING and in functions."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            subs = [f"{node.module}.{a.name}" for a in node.names]
            yield from (s for s in subs if s in MODULES)
            if any(s not in MODULES for s in subs):
                yield node.module


def _graph() -> dict[str, set[str]]:
    return {name: {i for i in _imports(path) if i in MODULES} for name, path in MODULES.items()}


def _cycle_from(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    """A path of imports from ``start`` back to itself, if there is one."""
    seen: set[str] = set()
    trail = [start]

    def walk(node: str) -> list[str] | None:
        for nxt in sorted(graph[node]):
            if nxt == start:
                return [*trail, start]
            if nxt not in seen:
                seen.add(nxt)
                trail.append(nxt)
                found = walk(nxt)
                if found:
                    return found
                trail.pop()
        return None

    return walk(start)


def test_no_module_imports_itself_through_others() -> None:
    graph = _graph()
    cycles = [c for name in sorted(graph) if (c := _cycle_from(name, graph))]
    assert cycles == [], " -> ".join(cycles[0]) if cycles else ""


@pytest.mark.parametrize(
    ("part", "forbidden"),
    [
        ("harness.core", ("playwright", "docker", "pytest", "sqlalchemy", "click")),
        ("harness.report", ("playwright", "docker", "pytest", "sqlalchemy", "click")),
        ("harness.run", ("playwright",)),
        ("harness.browser", ("harness.report", "harness.run", "harness.stack", "docker")),
        ("harness.stack", ("playwright", "harness.browser", "harness.report")),
        ("harness.contract", ("harness.",)),
    ],
)
def test_a_part_imports_only_what_architecture_md_allows(
    part: str, forbidden: tuple[str, ...]
) -> None:
    broken = sorted(
        f"{name} imports {imported}"
        for name, path in MODULES.items()
        if name == part or name.startswith(part + ".")
        for imported in _imports(path)
        if any(
            imported == f or imported.startswith(f if f.endswith(".") else f + ".")
            for f in forbidden
        )
    )
    assert broken == []


def test_the_checker_sees_a_cycle_when_there_is_one() -> None:
    assert _cycle_from("a", {"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle_from("a", {"a": {"b"}, "b": set()}) is None
