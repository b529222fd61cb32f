"""API response mocks in JavaScript/TypeScript tests: the mocks of each test file (by
tree-sitter), those of the local modules it imports (msw handlers kept beside the tests), and
the JSON fixtures it imports; each given to the tests that run it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from tree_sitter import Node

from harness.core.js_calls import JsMock, JsMockReader
from harness.core.js_syntax import (
    JS_SUFFIXES,
    JsBlock,
    JsSource,
    identifiers,
    read_js,
    string_text,
)
from harness.core.js_values import JsValues
from harness.core.json_fixtures import JsonFiles
from harness.core.response_mock import ResponseMock, project_path

_IMPORT_DEPTH = 3  # test -> mocks/server.ts -> mocks/handlers.ts -> fixtures


class JsResponseMocks:
    """Finds the response mocks of JS/TS test files under ``root``."""

    def __init__(self, root: Path, files: JsonFiles) -> None:
        self.root = root.resolve()
        self.files = files
        self._modules: dict[Path, tuple[ResponseMock, ...]] = {}
        self._found: dict[Path, Path | None] = {}  # import specifiers -> local modules

    def find(self, path: Path) -> list[ResponseMock]:
        source = read_js(path.resolve())
        if source is None or not source.tests:
            return []
        values = JsValues(source, self.files)
        found = [
            self._owned(mock, source) for mock in JsMockReader(source, values, self._rel).read()
        ]
        found.extend(self._imported(source))
        found.extend(self._fixtures(source, values))
        return [mock for mock in found if mock.tests]

    def _owned(self, found: JsMock, source: JsSource) -> ResponseMock:
        return _with_tests(found.mock, self._ids(source, source.tests_at(found.offset)))

    def _imported(self, source: JsSource) -> Iterator[ResponseMock]:
        """Mocks of the local modules a test file imports, for the tests that use the imported
        names (all of the file's tests when a name is used outside them: ``setupServer``)."""
        for statement in source.imports:
            module = self._local_module(source.path, statement)
            if module is None:
                continue
            mocks = self._module_mocks(module, _IMPORT_DEPTH)
            if mocks:
                tests = self._ids(source, _users(source, _imported_names(statement)))
                yield from (_with_tests(mock, tests) for mock in mocks)

    def _module_mocks(self, path: Path, depth: int) -> tuple[ResponseMock, ...]:
        if path not in self._modules:
            self._modules[path] = ()  # an import cycle ends here
            source = read_js(path)
            found: list[ResponseMock] = []
            if source is not None:
                values = JsValues(source, self.files)
                found = [m.mock for m in JsMockReader(source, values, self._rel).read()]
                for statement in source.imports if depth > 0 else ():
                    module = self._local_module(path, statement)
                    found.extend(self._module_mocks(module, depth - 1) if module else ())
            self._modules[path] = tuple(found)
        return self._modules[path]

    def _fixtures(self, source: JsSource, values: JsValues) -> Iterator[ResponseMock]:
        """Imported JSON fixtures read by tests (a fixture a test hands to a mocking call is
        that call's mock; merging drops the plain one for those tests)."""
        for name, binding in values.bindings.items():
            fixture = binding.fixture
            if fixture is None:
                continue
            tests = self._ids(source, _users(source, [name]))
            yield ResponseMock(
                self._rel(fixture.path), fixture.line, tests, fixture.body, library="fixture"
            )

    def _ids(
        self, source: JsSource, tests: Iterator[JsBlock] | tuple[JsBlock, ...]
    ) -> tuple[str, ...]:
        file = self._rel(source.path)
        return tuple(dict.fromkeys(" > ".join((file, *t.titles)) for t in tests))

    def _local_module(self, test_file: Path, statement: Node) -> Path | None:
        """The local source module an import names (``./mocks/handlers`` -> handlers.ts)."""
        spec_node = statement.child_by_field_name("source")
        spec = string_text(spec_node) if spec_node is not None else ""
        if not spec.startswith(".") or spec.endswith(".json"):
            return None
        base = Path(os.path.normpath(test_file.parent / spec))
        if base not in self._found:
            candidates = [base, *(base.with_name(base.name + s) for s in JS_SUFFIXES)]
            candidates += [base / f"index{s}" for s in JS_SUFFIXES]
            found = (c for c in candidates if c.suffix in JS_SUFFIXES and c.is_file())
            self._found[base] = next(found, None)
        return self._found[base]

    def _rel(self, path: Path) -> str:
        return project_path(path, self.root)


def _with_tests(mock: ResponseMock, tests: tuple[str, ...]) -> ResponseMock:
    return ResponseMock(
        mock.file, mock.line, tests, mock.body, mock.method, mock.url, mock.status, mock.library
    )


def _users(source: JsSource, names: list[str]) -> Iterator[JsBlock]:
    """The tests that read any of these names (not counting where they are bound)."""
    for node in _references(source, names):
        if not _binds(node):
            yield from source.tests_at(node.start_byte)


def _binds(node: Node) -> bool:
    parent = node.parent
    if parent is None:
        return False
    if parent.type in {"import_clause", "namespace_import", "import_specifier"}:
        return True
    return parent.type == "variable_declarator" and parent.child_by_field_name("name") == node


def _references(source: JsSource, names: list[str]) -> list[Node]:
    """Every identifier node with one of these names."""
    return [node for name in dict.fromkeys(names) for node in identifiers(source, name)]


def _imported_names(statement: Node) -> list[str]:
    names: list[str] = []
    for node in _walk(statement):
        if node.type == "identifier" and node.parent is not None and node.parent.type != "string":
            names.append(node.text.decode() if node.text else "")
    return names


def _walk(node: Node) -> Iterator[Node]:
    yield node
    for child in node.named_children:
        yield from _walk(child)
