"""Static mock counting for Python tests: the ast of the test module and of the conftest.py
files above it, fixtures included (those a test asks for, transitively, and autouse ones)."""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

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
_MOCKER_FIXTURES = {"mocker", "class_mocker", "module_mocker", "package_mocker", "session_mocker"}
_MOCKER_CALLS = _PATCHERS | _MOCK_CLASSES | {"spy", "stub", "async_stub"}
_MONKEYPATCH_CALLS = {"setattr", "setitem", "setenv", "delattr", "delitem", "delenv"}
_HTTP_VERBS = {"get", "post", "put", "patch", "delete", "head", "options"}
_HTTP_LIBRARIES = {
    # library or fixture -> the calls on it that register a fake response
    "responses": _HTTP_VERBS | {"add", "upsert", "replace", "add_callback"},
    "respx": _HTTP_VERBS | {"route", "request"},
    "respx_mock": _HTTP_VERBS | {"route", "request"},
    "requests_mock": _HTTP_VERBS | {"register_uri", "request"},
    "httpretty": {"register_uri"},
}
# Context managers whose ``as`` name is a router: ``with responses.RequestsMock() as rsps``.
_HTTP_ROUTERS = {
    "responses.RequestsMock": "responses",
    "respx.mock": "respx",
    "respx.MockRouter": "respx",
    "requests_mock.Mocker": "requests_mock",
    "aioresponses.aioresponses": "responses",
    "aioresponses": "responses",
}


@dataclass(frozen=True)
class _Function:
    """A test or fixture: its own mocking, the fixtures it asks for, and (fixtures) autouse."""

    mocks: Counter[str]
    params: tuple[str, ...]
    autouse: bool = False


@dataclass(frozen=True)
class _Module:
    functions: dict[str, _Function]  # "test_x" or "TestClass::test_x"
    fixtures: dict[str, _Function]


class PythonMocks:
    """Counts the mocking of pytest tests, fixtures included (the module's and conftest.py's)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._modules: dict[Path, _Module | None] = {}

    def count(self, path: Path, node: str) -> Counter[str] | None:
        """Mocks of test ``node`` (``test_x[param]`` or ``Class::test_x``) in ``path``."""
        module = self._module(path)
        name = node.split("[", 1)[0]
        if module is None or name not in module.functions:
            return None
        fixtures = self._fixtures(path)
        function = module.functions[name]
        counter = Counter(function.mocks)
        autouse = [n for n, f in fixtures.items() if f.autouse]
        for fixture in _requested(function.params + tuple(autouse), fixtures):
            counter.update(fixtures[fixture].mocks)
        return counter

    def _module(self, path: Path) -> _Module | None:
        path = path.resolve()
        if path not in self._modules:
            self._modules[path] = _read_module(path)
        return self._modules[path]

    def _fixtures(self, path: Path) -> dict[str, _Function]:
        """Fixtures visible from a test module: conftest.py files outermost first, then its own."""
        chain = [path]
        folder = path.resolve().parent
        while folder == self.root or self.root in folder.parents:
            chain.append(folder / "conftest.py")
            folder = folder.parent
        fixtures: dict[str, _Function] = {}
        for file in reversed(chain):
            module = self._module(file) if file.is_file() else None
            fixtures.update(module.fixtures if module else {})
        return fixtures


def _requested(params: Iterable[str], fixtures: dict[str, _Function]) -> list[str]:
    """The fixtures these parameters request, transitively, each once."""
    seen: list[str] = []
    pending = [p for p in params if p in fixtures]
    while pending:
        name = pending.pop()
        if name not in seen:
            seen.append(name)
            pending.extend(p for p in fixtures[name].params if p in fixtures)
    return seen


def _read_module(path: Path) -> _Module | None:
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError):
        return None
    return _ModuleReader(tree).read()


class _ModuleReader:
    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.aliases = _import_aliases(tree)

    def read(self) -> _Module:
        functions: dict[str, _Function] = {}
        fixtures: dict[str, _Function] = {}
        for node in self.tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                target = fixtures if _fixture_decorator(node) else functions
                target[_fixture_name(node)] = self._function(node)
            elif isinstance(node, ast.ClassDef):
                functions.update(self._class(node, fixtures))
        return _Module(functions=functions, fixtures=fixtures)

    def _class(self, node: ast.ClassDef, fixtures: dict[str, _Function]) -> dict[str, _Function]:
        class_mocks = self._mocks(node.decorator_list)  # @patch on a class patches each test
        methods: dict[str, _Function] = {}
        for item in node.body:
            if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            function = self._function(item)
            if _fixture_decorator(item):
                fixtures[_fixture_name(item)] = function
                continue
            methods[f"{node.name}::{item.name}"] = _Function(
                function.mocks + class_mocks, function.params
            )
        return methods

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> _Function:
        params = tuple(arg.arg for arg in node.args.args + node.args.kwonlyargs)
        params += _used_fixtures(node.decorator_list)
        routers = self._routers(node)
        mocks = self._mocks([*node.decorator_list, *node.body], routers)
        decorator = _fixture_decorator(node)
        return _Function(mocks, params, autouse=decorator is not None and _autouse(decorator))

    def _routers(self, node: ast.AST) -> dict[str, str]:
        routers = {}
        for item in ast.walk(node):
            if isinstance(item, (ast.With, ast.AsyncWith)):
                for withitem in item.items:
                    library = _HTTP_ROUTERS.get(self._dotted(withitem.context_expr) or "")
                    if library and isinstance(withitem.optional_vars, ast.Name):
                        routers[withitem.optional_vars.id] = library
        return routers

    def _mocks(
        self, nodes: Sequence[ast.AST], routers: dict[str, str] | None = None
    ) -> Counter[str]:
        counter: Counter[str] = Counter()
        for top in nodes:
            for node in ast.walk(top):
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
        if head in _MOCKER_FIXTURES and rest in _MOCKER_CALLS:
            return "mocker"
        if head == "monkeypatch" and rest in _MONKEYPATCH_CALLS:
            return "monkeypatch"
        if rest in _HTTP_LIBRARIES.get(head, ()):
            return "http mock"
        return None

    def _dotted(self, node: ast.AST) -> str | None:
        """The call's dotted name, its first part resolved through the module's imports."""
        if isinstance(node, ast.Call):
            return self._dotted(node.func)
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        parts.append(self.aliases.get(node.id, node.id))
        return ".".join(reversed(parts))


def _import_aliases(tree: ast.Module) -> dict[str, str]:
    """Local names bound by imports, as full dotted names (``mock`` -> ``unittest.mock``)."""
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
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
