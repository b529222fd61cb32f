"""API response mocks in Python tests, by ``ast``: ``return_value``/``side_effect`` (on mocks,
``patch``, ``mocker.patch``), ``responses``, ``respx``, ``requests_mock``, ``pytest-httpx``, and
JSON fixture files the tests load; each given to the tests that use it (directly, through a
fixture, a helper function or a module-level name)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from harness.core.json_fixtures import JsonFiles
from harness.core.python_calls import MockReader
from harness.core.python_mocks import PyModule, PythonMocks
from harness.core.python_values import Scope, assignments
from harness.core.response_mock import ResponseMock, project_path

_CLASS_SETUP = {"setUp", "asyncSetUp", "setUpClass", "setup_method", "setup_class", "setup"}


class PythonResponseMocks:
    """Finds the response mocks of Python test modules under ``root``."""

    def __init__(self, root: Path, files: JsonFiles | None = None) -> None:
        self.root = root.resolve()
        self._modules = PythonMocks(self.root)
        self._files = files or JsonFiles()
        self._scopes: dict[Path, Scope] = {}
        self._read: dict[tuple[Path, str], tuple[ResponseMock, ...]] = {}  # tests not yet given

    def find(self, path: Path) -> list[ResponseMock]:
        if not _is_test_module(path):
            return []
        path = path.resolve()
        module = self._modules.module(path)
        if module is None:
            return []
        tests = {name: f"{self._rel(path)}::{name}" for name in module.functions if _is_test(name)}
        found = list(self._mocks(path, module, tests))
        self._forget(path)
        return found

    def _forget(self, path: Path) -> None:
        """A test module is read once: its tree is let go (conftest.py files are kept, every
        test module below them asks for their fixtures)."""
        self._modules.forget(path)
        self._scopes.pop(path, None)
        for key in [key for key in self._read if key[0] == path]:
            del self._read[key]

    def _mocks(self, path: Path, module: PyModule, tests: dict[str, str]) -> Iterator[ResponseMock]:
        reach = {name: _reach(name, module) for name in tests}
        fixtures = self._modules.fixtures(path)
        plain = {n: f for n, (_, f) in fixtures.items()}
        used = {name: self._modules.fixtures_of(module.functions[name], plain) for name in tests}
        for name, function in module.functions.items():
            yield from self._given(path, name, function.nodes, _users(name, tests, reach))
        for fixture, (file, function) in fixtures.items():
            users = tuple(tests[name] for name in tests if fixture in used[name])
            yield from self._given(file, f"fixture {fixture}", function.nodes, users)
        for number, (statement, names) in enumerate(_module_statements(module)):
            users = tuple(tests[t] for t in tests if not names or names & reach[t])
            nodes = module.nodes_of((statement,))
            yield from self._given(path, f"line {number}", nodes, users or tuple(tests.values()))

    def _given(
        self, file: Path, key: str, nodes: tuple[ast.AST, ...], users: tuple[str, ...]
    ) -> Iterator[ResponseMock]:
        """The mocks among these nodes of ``file`` (read once), given to these tests."""
        if not users:
            return
        if (file, key) not in self._read:
            reader = MockReader(self._scope(file).inner(nodes), self._rel)
            self._read[file, key] = tuple(reader.read(nodes))
        for mock in self._read[file, key]:
            yield ResponseMock(
                mock.file, mock.line, users, mock.body, mock.method, mock.url,
                mock.status, mock.library,
            )  # fmt: skip

    def _scope(self, file: Path) -> Scope:
        if file not in self._scopes:
            module = self._modules.module(file)
            assert module is not None  # only modules that parsed have functions
            names = _module_names(module.tree)
            helpers = {
                node.name: node
                for node in module.tree.body
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            }
            scope = Scope(file, self.root, module.aliases, names, self._files, helpers=helpers)
            self._scopes[file] = scope
        return self._scopes[file]

    def _rel(self, path: Path) -> str:
        return project_path(path, self.root)


def _is_test_module(path: Path) -> bool:
    return path.name.startswith("test") or path.stem.endswith("_test")


def _is_test(name: str) -> bool:
    return name.rpartition("::")[2].startswith("test")


def _module_names(tree: ast.Module) -> dict[str, ast.expr]:
    return assignments(s for s in tree.body if isinstance(s, (ast.Assign, ast.AnnAssign)))


def _module_statements(module: PyModule) -> Iterator[tuple[ast.stmt, set[str]]]:
    """Module-level statements that may hold mocks, with the names each binds."""
    skipped = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)
    for statement in module.tree.body:
        if isinstance(statement, skipped):
            continue
        bound = {
            node.id
            for node in module.nodes_of((statement,))
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
        }
        yield statement, bound


def _reach(test: str, module: PyModule) -> set[str]:
    """Every name a test reads, directly or through the module's helpers and its class's
    methods."""
    cls = test.rpartition("::")[0]
    seen = set(module.functions[test].names)
    pending = list(seen)
    while pending:
        name = pending.pop()
        for key in (name, f"{cls}::{name}" if cls else name):
            helper = module.functions.get(key) or module.fixtures.get(key)
            if helper is not None and key != test:
                new = helper.names - seen
                seen |= new
                pending.extend(new)
    return seen


def _users(name: str, tests: dict[str, str], reach: dict[str, set[str]]) -> tuple[str, ...]:
    """The tests that run a function: itself, a class's set-up: every test of the class, a
    helper: the tests that call it."""
    if name in tests:
        return (tests[name],)
    cls, _, method = name.rpartition("::")
    if cls and method in _CLASS_SETUP:
        return tuple(tests[t] for t in tests if t.startswith(cls + "::"))
    return tuple(tests[t] for t in tests if method in reach[t])
