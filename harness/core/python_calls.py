"""The mocking statements of Python test code that set an API response, read from ``ast``:
``x.return_value = ...``, ``side_effect``, ``patch(..., return_value=...)``, the HTTP mocking
libraries' registrations, and JSON fixture loads."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from harness.core.json_fixtures import JsonFixture
from harness.core.python_mocks import HTTP_VERBS, MOCKER_FIXTURES, http_routers
from harness.core.python_values import Scope, json_fixture, literal, resolve
from harness.core.response_mock import ResponseMock, is_api_body, names_non_api

_MOCK_SETTINGS = ("return_value", "side_effect")
_ROUTE_CALLS = {  # library -> registering calls (besides the verbs)
    "responses": {"add", "upsert", "replace"},
    "requests_mock": {"register_uri", "request"},
    "pytest_httpx": {"add_response"},
}
_FIXTURE_ROUTERS = {  # pytest fixtures that are routers
    "requests_mock": "requests_mock",
    "respx_mock": "respx",
    "httpx_mock": "pytest_httpx",
}
_STATUS_KEYWORDS = ("status", "status_code")
_MOCK_BUILDERS = {"Mock", "MagicMock", "NonCallableMagicMock", "configure_mock"}
_PATCHES = {"patch", "object", "multiple", "setattr", "MagicMock", "Mock", "AsyncMock"}


@dataclass(frozen=True)
class _Route:
    method: str | None
    url: str | None


class MockReader:
    """Reads the response mocks in some statements, in one scope (tests left empty)."""

    def __init__(self, scope: Scope, rel: Callable[[Path], str]) -> None:
        self.scope = scope
        self.rel = rel
        self.routers = {**_FIXTURE_ROUTERS}
        self._consumed: set[int] = set()  # fixture loads already part of a mock

    def read(self, nodes: tuple[ast.AST, ...]) -> Iterator[ResponseMock]:
        """The mocks among these nodes (every node, already walked)."""
        calls: list[ast.Call] = []
        assigns: list[ast.Assign] = []
        withs: list[ast.AST] = []
        for node in nodes:  # one pass sorts out the few kinds of node that matter
            if isinstance(node, ast.Call):
                calls.append(node)
            elif isinstance(node, ast.Assign):
                assigns.append(node)
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                withs.append(node)
        self.routers.update(http_routers(withs, self.scope.aliases))
        statuses = _statuses(assigns)
        skipped = self._inside_non_api_patches(calls)
        for assign in assigns:
            if id(assign) not in skipped:
                yield from self._assign(assign, statuses)
        loads: list[ast.Call] = []
        for call in calls:
            if id(call) not in skipped:
                yield from self._call(call)
                if json_fixture(call, self.scope) is not None:
                    loads.append(call)
        for load in loads:  # a fixture file read but not handed to a mock: itself the mock
            if id(load) not in self._consumed:
                yield from self._mock(load, library="fixture")

    def _inside_non_api_patches(self, calls: list[ast.Call]) -> set[int]:
        """Nodes inside a patch of a clock, logger or random: ``patch.object(datetime,
        "datetime", MagicMock(now=MagicMock(return_value={...})))`` mocks no API."""
        skipped: set[int] = set()
        for call in calls:
            name = self.scope.dotted(call)
            if name.rpartition(".")[2] in _PATCHES and names_non_api(_patch_target(call, name)):
                for part in [*call.args, *(k.value for k in call.keywords)]:
                    skipped.update(id(inner) for inner in ast.walk(part))
        return skipped

    def _assign(self, node: ast.Assign, statuses: dict[str, int]) -> Iterator[ResponseMock]:
        for target in node.targets:
            if not isinstance(target, ast.Attribute) or target.attr not in _MOCK_SETTINGS:
                continue
            if names_non_api(self.scope.dotted(target.value)):
                continue
            status = statuses.get(_response_object(target.value))
            yield from self._setting(target.attr, node.value, "unittest.mock", status)

    def _setting(
        self, setting: str, value: ast.expr, library: str, status: int | None = None
    ) -> Iterator[ResponseMock]:
        """``return_value=V``: one mock; ``side_effect=[V1, V2]``: one per value."""
        value = resolve(value, self.scope)
        if setting == "return_value":
            yield from self._response(value, library, _Route(None, None), status)
        elif isinstance(value, (ast.List, ast.Tuple)):
            for item in value.elts:
                yield from self._response(item, library, _Route(None, None), status)

    def _call(self, call: ast.Call) -> Iterator[ResponseMock]:
        name = self.scope.dotted(call.func)
        head, _, rest = name.partition(".")
        library = self.routers.get(head, head)
        if isinstance(call.func, ast.Attribute) and call.func.attr in {"mock", "respond"}:
            route = self._respx_route(call.func.value)
            if route is not None:
                yield from self._respx(call, route)
                return
        if rest in HTTP_VERBS | _ROUTE_CALLS.get(library, set()) and library in _ROUTE_CALLS:
            yield from self._registration(call, library, rest)
            return
        settings = [(k.arg, k.value) for k in call.keywords if k.arg in _MOCK_SETTINGS]
        settings += self._response_settings(call, name)
        if settings and not names_non_api(_patch_target(call, name)):
            kind = "pytest-mock" if head in MOCKER_FIXTURES else "unittest.mock"
            for setting, value in settings:
                yield from self._setting(str(setting), value, kind)

    def _response_settings(self, call: ast.Call, name: str) -> list[tuple[str, ast.expr]]:
        """A fake response built as a mock: ``Mock(json=lambda: x)``,
        ``MagicMock(**{"json.return_value": x})``, ``resp.configure_mock(...)`` -> x."""
        if name.rpartition(".")[2] not in _MOCK_BUILDERS:
            return []
        found: list[tuple[str, ast.expr]] = []
        for keyword in call.keywords:
            if keyword.arg == "json" and isinstance(keyword.value, ast.Lambda):
                found.append(("return_value", keyword.value.body))
            elif keyword.arg is None and isinstance(keyword.value, ast.Dict):
                for key, value in zip(keyword.value.keys, keyword.value.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == "json.return_value":
                        found.append(("return_value", value))
        return found

    def _registration(self, call: ast.Call, library: str, verb: str) -> Iterator[ResponseMock]:
        """``responses.add(GET, url, json=...)``, ``requests_mock.get(url, json=...)``,
        ``httpx_mock.add_response(url=..., json=...)``."""
        args = list(call.args)
        method = verb.upper() if verb in HTTP_VERBS else None
        if method is None and args and library != "pytest_httpx":
            method = _method(args.pop(0), self.scope)
        url = self._text(args[0]) if args else None
        keywords = {k.arg: k.value for k in call.keywords if k.arg}
        method = _method(keywords["method"], self.scope) if "method" in keywords else method
        url = self._text(keywords["url"]) if "url" in keywords else url
        body = keywords.get("json")
        if body is None:
            body = _dumped(keywords.get("body") or keywords.get("text"), self.scope)
        if body is not None:
            status = _status(keywords, self.scope)
            yield from self._mock(body, library, _Route(method, url), status)

    def _respx_route(self, node: ast.expr) -> _Route | None:
        if not isinstance(node, ast.Call):
            return None
        head, _, verb = self.scope.dotted(node.func).partition(".")
        if self.routers.get(head, head) != "respx" or verb not in HTTP_VERBS | {"route"}:
            return None
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        url = node.args[0] if node.args else keywords.get("url")
        method = verb.upper() if verb in HTTP_VERBS else None
        if "method" in keywords:
            method = _method(keywords["method"], self.scope)
        return _Route(method, None if url is None else self._text(url))

    def _respx(self, call: ast.Call, route: _Route) -> Iterator[ResponseMock]:
        """``route.mock(return_value=httpx.Response(...))`` or ``route.respond(200, json=...)``."""
        assert isinstance(call.func, ast.Attribute)
        if call.func.attr == "respond":
            yield from self._response_call(call, "respx", route)
            return
        for keyword in call.keywords:
            if keyword.arg == "return_value":
                yield from self._response(keyword.value, "respx", route, None)
            elif keyword.arg == "side_effect":
                value = resolve(keyword.value, self.scope)
                items = value.elts if isinstance(value, (ast.List, ast.Tuple)) else []
                for item in items:
                    yield from self._response(item, "respx", route, None)

    def _response(
        self, value: ast.expr, library: str, route: _Route, status: int | None
    ) -> Iterator[ResponseMock]:
        """A mocked value, or a response object carrying one (``httpx.Response(200, json=x)``)."""
        value = resolve(value, self.scope)
        if isinstance(value, ast.Call) and _is_response(value, self.scope):
            yield from self._response_call(value, library, route)
        else:
            yield from self._mock(value, library, route, status)

    def _response_call(self, call: ast.Call, library: str, route: _Route) -> Iterator[ResponseMock]:
        """``httpx.Response(200, json=x)``, ``route.respond(404, json=x)``, or the body as
        ``content=json.dumps(x)``."""
        keywords = {k.arg: k.value for k in call.keywords if k.arg}
        body = keywords.get("json")
        if body is None:
            body = _dumped(keywords.get("content") or keywords.get("text"), self.scope)
        code = literal(call.args[0], self.scope) if call.args else None
        status = code if isinstance(code, int) else _status(keywords, self.scope)
        if body is not None:
            yield from self._mock(body, library, route, status)

    def _mock(
        self,
        value: ast.expr,
        library: str,
        route: _Route | None = None,
        status: int | None = None,
    ) -> Iterator[ResponseMock]:
        route = route or _Route(None, None)
        value = resolve(value, self.scope)
        fixture = json_fixture(value, self.scope)
        if fixture is not None:
            self._consumed.add(id(value))
            yield self._from_fixture(fixture, library, route, status)
            return
        body = literal(value, self.scope)
        if is_api_body(body):
            yield ResponseMock(
                self.rel(self.scope.file), value.lineno, (), body, route.method, route.url,
                status, library,
            )  # fmt: skip

    def _from_fixture(
        self, fixture: JsonFixture, library: str, route: _Route, status: int | None
    ) -> ResponseMock:
        return ResponseMock(
            self.rel(fixture.path), fixture.line, (), fixture.body, route.method, route.url,
            status, library,
        )  # fmt: skip

    def _text(self, node: ast.expr) -> str | None:
        """A URL as written: a string, or an f-string with its unknown parts as ``{name}``."""
        node = resolve(node, self.scope)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr):
            return "".join(self._text_part(part) for part in node.values)
        return None

    def _text_part(self, part: ast.expr) -> str:
        if isinstance(part, ast.FormattedValue):
            known = self._text(part.value)
            return known if known is not None else "{" + ast.unparse(part.value) + "}"
        return self._text(part) or ""


def _statuses(assigns: list[ast.Assign]) -> dict[str, int]:
    """``resp.status_code = 404``: the status set on each mocked response object."""
    found: dict[str, int] = {}
    for node in assigns:
        if isinstance(node.value, ast.Constant):
            for target in node.targets:
                if (
                    isinstance(target, ast.Attribute)
                    and target.attr in _STATUS_KEYWORDS
                    and isinstance(node.value.value, int)
                ):
                    found[ast.unparse(target.value)] = node.value.value
    return found


def _response_object(node: ast.expr) -> str:
    """``resp.json`` (of ``resp.json.return_value``) -> ``resp``: the mocked response object."""
    if isinstance(node, ast.Attribute) and node.attr == "json":
        return ast.unparse(node.value)
    return ""


def _patch_target(call: ast.Call, name: str) -> str:
    """What a patch replaces: ``patch("a.b")`` -> a.b, ``patch.object(time, "time")`` -> time."""
    parts = [name]
    for arg in call.args[:2]:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            parts.append(arg.value)
        elif isinstance(arg, (ast.Name, ast.Attribute)):
            parts.append(ast.unparse(arg))
    return ".".join(parts)


def _is_response(call: ast.Call, scope: Scope) -> bool:
    name = scope.dotted(call.func)
    return name.rpartition(".")[2] == "Response" and not name.startswith("unittest")


def _method(node: ast.expr, scope: Scope) -> str | None:
    """``responses.GET``, ``"get"`` -> ``GET``."""
    if isinstance(node, ast.Attribute) and node.attr.isupper():
        return node.attr
    value = literal(node, scope)
    return value.upper() if isinstance(value, str) and value.isalpha() else None


def _status(keywords: Mapping[str, ast.expr], scope: Scope) -> int | None:
    for key in _STATUS_KEYWORDS:
        if key in keywords:
            value = literal(keywords[key], scope)
            return value if isinstance(value, int) and not isinstance(value, bool) else None
    return None


def _dumped(node: ast.expr | None, scope: Scope) -> ast.expr | None:
    """``json.dumps(x)`` -> x (a body given as JSON text)."""
    if node is None:
        return None
    node = resolve(node, scope)
    if isinstance(node, ast.Call) and scope.dotted(node.func) == "json.dumps" and node.args:
        return node.args[0]
    return None
