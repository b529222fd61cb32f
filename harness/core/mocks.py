"""How hard each unit test mocks: a static count of mocking per test (Python by ``ast``,
JavaScript by pattern) and the feature's mock-to-real ratio, the warning sign of "tests green,
app broken" when it passes 3:1.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from harness.core.features import UnitTest

#: Above this many mocking tests per non-mocking test, a feature's unit tests are flagged.
RATIO_LIMIT = 3

_JS_SUFFIXES = (".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts")


@dataclass(frozen=True)
class MockCount:
    """The mocking one test does, by kind (``patch``, ``mock object``, ``http mock``, ...)."""

    kinds: tuple[tuple[str, int], ...] = ()

    @classmethod
    def from_counter(cls, counter: Counter[str]) -> MockCount:
        return cls(tuple(sorted((k, n) for k, n in counter.items() if n)))

    @property
    def total(self) -> int:
        return sum(n for _, n in self.kinds)

    def __str__(self) -> str:
        if not self.kinds:
            return "no mocks"
        return f"{self.total} mocks ({', '.join(f'{n} {kind}' for kind, n in self.kinds)})"


@dataclass(frozen=True)
class MockRatio:
    """A feature's unit tests: how many mock, how many run real code, how many are unknown."""

    mocked: int
    real: int
    unknown: int = 0

    @classmethod
    def from_counts(cls, counts: Iterable[MockCount | None]) -> MockRatio:
        known = list(counts)
        mocked = sum(1 for c in known if c is not None and c.total)
        real = sum(1 for c in known if c is not None and not c.total)
        return cls(mocked=mocked, real=real, unknown=sum(1 for c in known if c is None))

    @property
    def share(self) -> float | None:
        """The share of the read tests that mock (None when none was read)."""
        known = self.mocked + self.real
        return self.mocked / known if known else None

    @property
    def flagged(self) -> bool:
        """True above 3:1 (any mocking test with no real one counts as above)."""
        return self.mocked > RATIO_LIMIT * self.real

    def __str__(self) -> str:
        text = f"{self.mocked}:{self.real}"
        return text + (f" ({self.unknown} unread)" if self.unknown else "")


class MockCounter:
    """Counts the mocking of unit tests whose source files it can find under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._python = PythonMocks(root)
        self._js: dict[Path, JsFile | None] = {}

    def count(self, test: UnitTest) -> MockCount | None:
        """The test's mock count, or None when its source cannot be found or read."""
        for node_id in test.ids:
            file, sep, rest = node_id.partition("::")
            if sep and file.endswith(".py") and (self.root / file).is_file():
                found = self._python.count(self.root / file, rest)
                return None if found is None else MockCount.from_counter(found)
        return self._count_js(test)

    def _count_js(self, test: UnitTest) -> MockCount | None:
        path = self._js_file(test)
        if path is None:
            return None
        if path not in self._js:
            self._js[path] = JsFile.read(path)
        parsed = self._js[path]
        return None if parsed is None else parsed.count(test.case.name)

    def _js_file(self, test: UnitTest) -> Path | None:
        for name in (test.case.file, test.case.classname, test.case.suite):
            if name and name.endswith(_JS_SUFFIXES) and (self.root / name).is_file():
                return self.root / name
        return None


# --- Python: the ast of the test module and of the conftest.py files above it ------------------

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


# --- JavaScript and TypeScript: patterns, attributed to the enclosing test --------------------

_JS_MOCKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("module mock", re.compile(r"\b(?:jest|vi)\.(?:mock|doMock|unstable_mockModule)\s*\(")),
    ("mock function", re.compile(r"\b(?:jest|vi)\.fn\s*\(")),
    ("spy", re.compile(r"\b(?:jest|vi)\.spyOn\s*\(")),
    ("stub", re.compile(r"\bvi\.stub(?:Global|Env)\s*\(")),
    (
        "http mock",
        re.compile(
            r"\b(?:http|rest|graphql)\.(?:get|post|put|patch|delete|head|options|all|query"
            r"|mutation)\s*\(|\bnock\s*\("
        ),
    ),
)
_JS_TEST = re.compile(r"\b(?:it|test)(?:\.(?:only|concurrent|each\([^)]*\)))?\s*\(\s*(['\"`])")


@dataclass(frozen=True)
class JsTest:
    title: str
    start: int
    end: int


@dataclass(frozen=True)
class JsFile:
    """A JS/TS test file: its tests' spans and every mocking call's offset and kind."""

    tests: tuple[JsTest, ...]
    mocks: tuple[tuple[int, str], ...]

    @classmethod
    def read(cls, path: Path) -> JsFile | None:
        try:
            return cls.parse(path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            return None

    @classmethod
    def parse(cls, text: str) -> JsFile:
        mocks = sorted((m.start(), kind) for kind, rx in _JS_MOCKS for m in rx.finditer(text))
        return cls(tests=tuple(_js_tests(text)), mocks=tuple(mocks))

    def count(self, junit_name: str) -> MockCount | None:
        """Mocks inside the test the JUnit name ends with, plus those outside every test
        (module mocks, ``beforeEach``), which apply to each test in the file."""
        matching = [t for t in self.tests if junit_name.endswith(t.title)]
        if not matching:
            return None
        test = max(matching, key=lambda t: len(t.title))
        counter: Counter[str] = Counter()
        for offset, kind in self.mocks:
            inside_any = any(t.start <= offset < t.end for t in self.tests)
            if not inside_any or test.start <= offset < test.end:
                counter[kind] += 1
        return MockCount.from_counter(counter)


def _js_tests(text: str) -> list[JsTest]:
    found = []
    for match in _JS_TEST.finditer(text):
        quote = match.group(1)
        title_end = text.find(quote, match.end())
        if title_end < 0:
            continue
        title = text[match.end() : title_end]
        found.append(JsTest(title, match.start(), _closing_paren(text, match.end() - 1)))
    return found


def _closing_paren(text: str, start: int) -> int:
    """The offset just after the call's closing parenthesis (strings skipped roughly)."""
    depth, index, quote = 1, start, ""
    while index < len(text) and depth:
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "'\"`":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        index += 1
    return index


def feature_ratio(counts: Sequence[MockCount | None]) -> MockRatio:
    """The mock-to-real ratio of one feature's unit tests."""
    return MockRatio.from_counts(counts)
