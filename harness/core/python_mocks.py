"""Static mock counting for Python tests: the ast of the test module and of the conftest.py
files above it, fixtures included (those a test asks for, transitively, and autouse ones)."""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from harness.core.python_tree import FlatTree

_MOCK_MODULES = {"unittest.mock": "unittest.mock", "mock": "unittest.mock"}
_MOCK_CLASSES = {
    "MagicMock",
    "Mock",
    "AsyncMock",
    "NonCallableMock",
    "NonCallableMagicMock",
    "PropertyMock",
    "create_autospec",
}
_PATCHERS = {"patch", "patch.object", "patch.dict", "patch.multiple"}
MOCKER_FIXTURES = {"mocker", "class_mocker", "module_mocker", "package_mocker", "session_mocker"}
_MOCKER_CALLS = _PATCHERS | _MOCK_CLASSES | {"spy", "stub", "async_stub"}
_MONKEYPATCH_CALLS = {"setattr", "setitem", "setenv", "delattr", "delitem", "delenv"}
HTTP_VERBS = {"get", "post", "put", "patch", "delete", "head", "options"}
HTTP_LIBRARIES = {
    # library or fixture -> the calls on it that register a fake response
    "responses": HTTP_VERBS | {"add", "upsert", "replace", "add_callback"},
    "respx": HTTP_VERBS | {"route", "request"},
    "respx_mock": HTTP_VERBS | {"route", "request"},
    "requests_mock": HTTP_VERBS | {"register_uri", "request"},
    "httpretty": {"register_uri"},
}
# Context managers whose ``as`` name is a router: ``with responses.RequestsMock() as rsps``.
HTTP_ROUTERS = {
    "responses.RequestsMock": "responses",
    "respx.mock": "respx",
    "respx.MockRouter": "respx",
    "requests_mock.Mocker": "requests_mock",
    "aioresponses.aioresponses": "responses",
    "aioresponses": "responses",
}


@dataclass(frozen=True)
class PyFunction:
    """A test or fixture: its own mocking, the fixtures it asks for, (fixtures) autouse, and
    every node of its decorators (its class's too) and body, walked once, for readers that look
    at more than counts."""

    mocks: Counter[str]
    params: tuple[str, ...]
    autouse: bool = False
    nodes: tuple[ast.AST, ...] = ()

    @cached_property
    def names(self) -> frozenset[str]:
        """The names it reads, and the attributes it reads off ``self``/``cls`` (methods)."""
        found: set[str] = set()
        for node in self.nodes:
            if isinstance(node, ast.Name):
                found.add(node.id)
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in {"self", "cls"}
            ):
                found.add(node.attr)
        return frozenset(found)


@dataclass(frozen=True)
class PyModule:
    """A parsed test module or conftest.py: its functions, fixtures, tree, import names, and
    every node of the tree walked once (``nodes_of`` gives a statement's nodes from it)."""

    functions: dict[str, PyFunction]  # "test_x", "helper" or "TestClass::test_x"
    fixtures: dict[str, PyFunction]
    tree: ast.Module
    aliases: dict[str, str]
    flat: FlatTree

    def nodes_of(self, tops: Iterable[ast.AST]) -> tuple[ast.AST, ...]:
        return self.flat.nodes_of(tops)


class PythonMocks:
    """Counts the mocking of pytest tests, fixtures included (the module's and conftest.py's)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._modules: dict[Path, PyModule | None] = {}
        self._files: dict[Path, bool] = {}

    def count(self, path: Path, node: str) -> Counter[str] | None:
        """Mocks of test ``node`` (``test_x[param]`` or ``Class::test_x``) in ``path``."""
        module = self.module(path)
        name = node.split("[", 1)[0]
        if module is None or name not in module.functions:
            return None
        fixtures = {name: fixture for name, (_, fixture) in self.fixtures(path).items()}
        counter = Counter(module.functions[name].mocks)
        for fixture in self.fixtures_of(module.functions[name], fixtures):
            counter.update(fixtures[fixture].mocks)
        return counter

    def module(self, path: Path) -> PyModule | None:
        """The parsed module at ``path`` (read once), or None when it cannot be read or parsed."""
        if path not in self._modules:  # the path as given, then as resolved: resolving is slow
            resolved = path.resolve()
            if resolved not in self._modules:
                self._modules[resolved] = _read_module(resolved)
            self._modules[path] = self._modules[resolved]
        return self._modules[path]

    def fixtures(self, path: Path) -> dict[str, tuple[Path, PyFunction]]:
        """Fixtures visible from a test module, with the file defining each: conftest.py files
        outermost first, then the module's own (a nearer definition overrides)."""
        chain = [path.resolve()]
        folder = chain[0].parent
        while folder == self.root or self.root in folder.parents:
            chain.append(folder / "conftest.py")
            folder = folder.parent
        fixtures: dict[str, tuple[Path, PyFunction]] = {}
        for file in reversed(chain):
            module = self.module(file) if self._is_file(file) else None
            fixtures.update({n: (file, f) for n, f in (module.fixtures if module else {}).items()})
        return fixtures

    def forget(self, path: Path) -> None:
        """Let go of a module's tree (read again if asked for again)."""
        self._modules.pop(path, None)
        self._modules.pop(path.resolve(), None)

    def _is_file(self, path: Path) -> bool:
        if path not in self._files:
            self._files[path] = path.is_file()
        return self._files[path]

    @staticmethod
    def fixtures_of(function: PyFunction, fixtures: Mapping[str, PyFunction]) -> list[str]:
        """The fixtures a test uses: those its parameters request and the autouse ones,
        transitively, each once."""
        autouse = tuple(n for n, f in fixtures.items() if f.autouse)
        seen: list[str] = []
        pending = [p for p in function.params + autouse if p in fixtures]
        while pending:
            name = pending.pop()
            if name not in seen:
                seen.append(name)
                pending.extend(p for p in fixtures[name].params if p in fixtures)
        return seen


def _read_module(path: Path) -> PyModule | None:
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError):
        return None
    return _ModuleReader(tree).read()


class _ModuleReader:
    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.flat = FlatTree(tree)
        self.aliases = import_aliases(self.flat.nodes)

    def read(self) -> PyModule:
        functions: dict[str, PyFunction] = {}
        fixtures: dict[str, PyFunction] = {}
        for node in self.tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                target = fixtures if _fixture_decorator(node) else functions
                target[_fixture_name(node)] = self._function(node)
            elif isinstance(node, ast.ClassDef):
                functions.update(self._class(node, fixtures))
        return PyModule(functions, fixtures, self.tree, self.aliases, self.flat)

    def _class(self, node: ast.ClassDef, fixtures: dict[str, PyFunction]) -> dict[str, PyFunction]:
        class_nodes = self.flat.nodes_of(node.decorator_list)
        class_mocks = self._mocks(class_nodes)  # @patch on a class patches each test
        methods: dict[str, PyFunction] = {}
        for item in node.body:
            if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            function = self._function(item)
            if _fixture_decorator(item):
                fixtures[_fixture_name(item)] = function
                continue
            methods[f"{node.name}::{item.name}"] = PyFunction(
                function.mocks + class_mocks,
                function.params,
                nodes=class_nodes + function.nodes,
            )
        return methods

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> PyFunction:
        params = tuple(arg.arg for arg in node.args.args + node.args.kwonlyargs)
        params += _used_fixtures(node.decorator_list)
        nodes = self.flat.nodes_of([*node.decorator_list, *node.body])
        mocks = self._mocks(nodes, http_routers(nodes, self.aliases))
        decorator = _fixture_decorator(node)
        autouse = decorator is not None and _autouse(decorator)
        return PyFunction(mocks, params, autouse, nodes)

    def _mocks(
        self, nodes: Sequence[ast.AST], routers: dict[str, str] | None = None
    ) -> Counter[str]:
        counter: Counter[str] = Counter()
        for node in nodes:
            if isinstance(node, ast.Call):
                kind = self._kind(node, routers or {})
                if kind:
                    counter[kind] += 1
        return counter

    def _kind(self, call: ast.Call, routers: dict[str, str]) -> str | None:
        name = self._dotted(call.func)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        if head in routers:
            head = routers[head]
        if name.startswith("unittest.mock."):
            member = name.removeprefix("unittest.mock.")
            if member in _PATCHERS:
                return "patch"
            if member in _MOCK_CLASSES:
                return "mock object"
        if head in MOCKER_FIXTURES and rest in _MOCKER_CALLS:
            return "mocker"
        if head == "monkeypatch" and rest in _MONKEYPATCH_CALLS:
            return "monkeypatch"
        if rest in HTTP_LIBRARIES.get(head, ()):
            return "http mock"
        return None

    def _dotted(self, node: ast.AST) -> str | None:
        return dotted_name(node, self.aliases)


def http_routers(nodes: Iterable[ast.AST], aliases: Mapping[str, str]) -> dict[str, str]:
    """Names bound to an HTTP mock router among these nodes: ``with responses.RequestsMock()
    as rsps`` gives ``{"rsps": "responses"}``."""
    routers = {}
    for item in nodes:
        if isinstance(item, (ast.With, ast.AsyncWith)):
            for withitem in item.items:
                library = HTTP_ROUTERS.get(dotted_name(withitem.context_expr, aliases) or "")
                if library and isinstance(withitem.optional_vars, ast.Name):
                    routers[withitem.optional_vars.id] = library
    return routers


def dotted_name(node: ast.AST, aliases: Mapping[str, str]) -> str | None:
    """A call's or attribute's dotted name, its first part resolved through the module's
    imports (``aliases``); None when it does not start with a name."""
    if isinstance(node, ast.Call):
        return dotted_name(node.func, aliases)
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(aliases.get(node.id, node.id))
    return ".".join(reversed(parts))


def import_aliases(nodes: Iterable[ast.AST]) -> dict[str, str]:
    """Local names bound by imports, as full dotted names (``mock`` -> ``unittest.mock``)."""
    aliases: dict[str, str] = {}
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    aliases[alias.asname] = _MOCK_MODULES.get(alias.name, alias.name)
                else:
                    first = alias.name.split(".")[0]
                    aliases[first] = _MOCK_MODULES.get(first, first)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            base = _MOCK_MODULES.get(node.module, node.module)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                aliases[alias.asname or alias.name] = _MOCK_MODULES.get(full, full)
    return aliases


def _used_fixtures(decorators: Sequence[ast.expr]) -> tuple[str, ...]:
    """Fixture names from ``@pytest.mark.usefixtures("a", "b")``."""
    names: list[str] = []
    for decorator in decorators:
        func = decorator.func if isinstance(decorator, ast.Call) else None
        if isinstance(func, ast.Attribute) and func.attr == "usefixtures":
            args = decorator.args if isinstance(decorator, ast.Call) else []
            names += [
                a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
    return tuple(names)


def _fixture_decorator(node: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.expr | None:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Attribute) and target.attr == "fixture":
            return decorator
        if isinstance(target, ast.Name) and target.id == "fixture":
            return decorator
    return None


def _fixture_name(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    decorator = _fixture_decorator(node)
    if isinstance(decorator, ast.Call):
        for keyword in decorator.keywords:
            if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                return str(keyword.value.value)
    return node.name


def _autouse(decorator: ast.expr) -> bool:
    if not isinstance(decorator, ast.Call):
        return False
    return any(
        k.arg == "autouse" and isinstance(k.value, ast.Constant) and k.value.value is True
        for k in decorator.keywords
    )
