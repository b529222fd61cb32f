"""The mocking calls of JavaScript/TypeScript test code that set an API response, read from the
tree-sitter tree: ``mockReturnValue``/``mockResolvedValue``/``mockImplementation``,
``vi.fn(() => ...)``, msw handlers (v2 ``http``, v1 ``rest``), ``nock(...).reply``, fetch
stubs, and JSON fixtures handed to any of them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tree_sitter import Node

from harness.core.js_syntax import JsSource, arguments, dotted, string_text, text, unwrap
from harness.core.js_values import JsValues
from harness.core.json_fixtures import JsonFixture
from harness.core.response_mock import ResponseMock, is_api_body, names_non_api

_VERBS = {"get", "post", "put", "patch", "delete", "head", "options"}
_RETURNS = {"mockReturnValue", "mockReturnValueOnce", "mockResolvedValue", "mockResolvedValueOnce"}
_IMPLEMENTATIONS = {"mockImplementation", "mockImplementationOnce"}
_FETCH_MOCK = {"mockResponse", "mockResponseOnce"}  # jest-fetch-mock
_SETTERS = _RETURNS | _IMPLEMENTATIONS | _FETCH_MOCK
_MOCKING = _SETTERS | {"reply", "replyWithFile"}
_MOCK_FUNCTIONS = {"vi.fn", "jest.fn"}
_MSW = {"http": "msw", "rest": "msw"}
_RESPONSE_TYPES = {"Response", "HttpResponse"}
# Nodes between a mock function and where it is kept: ``vi.fn().mockReturnValue(x)``.
_CHAIN = {"member_expression", "call_expression", "await_expression", "parenthesized_expression"}


@dataclass(frozen=True)
class JsMock:
    """A mock as read from one file: the mock (tests not yet known) and where its call is."""

    mock: ResponseMock
    offset: int


@dataclass(frozen=True)
class _Route:
    method: str | None = None
    url: str | None = None
    status: int | None = None


class JsMockReader:
    """Reads the response mocks of one parsed file."""

    def __init__(self, source: JsSource, values: JsValues, rel: Callable[[Path], str]) -> None:
        self.source, self.values, self.rel = source, values, rel
        vitest = any(name.startswith("vi.") for name in source.callees.values())
        self.mock_library = "vi.fn" if vitest else "jest.fn"

    def read(self) -> Iterator[JsMock]:
        for call in self.source.calls:
            for mock in self._call(call):
                yield JsMock(mock, call.start_byte)

    def _call(self, call: Node) -> Iterator[ResponseMock]:
        name = self.source.callee(call)
        head, _, last = name.rpartition(".")
        if last not in _MOCKING and name not in _MOCK_FUNCTIONS and head not in _MSW:
            return  # most calls: nothing to look at
        callee = call.child_by_field_name("function")
        args = arguments(call)
        if not args:
            return
        if last in _SETTERS and callee is not None:
            receiver = callee.child_by_field_name("object")
            yield from self._setter(last, args[0], self._target(receiver))
        elif name in _MOCK_FUNCTIONS and self.values.is_function(args[0]):
            target = self._assigned_to(call)
            for value in self.values.returned(args[0]):
                yield from self._response(value, self._library(target), target)
        elif head in _MSW and last in _VERBS | {"all"} and len(args) > 1:
            route = _Route(None if last == "all" else last.upper(), self._url(args[0]))
            yield from self._msw(args[1], route)
        elif last in {"reply", "replyWithFile"} and self._nock_host(callee) is not None:
            yield from self._nock(call, last, args)

    def _setter(self, setter: str, value: Node, target: str) -> Iterator[ResponseMock]:
        library = self._library(target)
        if setter in _FETCH_MOCK:
            yield from self._body(self._stringified(value) or value, "fetch", _Route())
        elif setter in _IMPLEMENTATIONS:
            for returned in self.values.returned(value):
                yield from self._response(returned, library, target)
        else:
            yield from self._response(value, library, target)

    def _response(self, value: Node, library: str, target: str) -> Iterator[ResponseMock]:
        """A mocked value; a fetch ``Response`` (``new Response(JSON.stringify(x))``,
        ``Response.json(x)``, ``{ok, status, json: () => x}``) stands for its body; an axios
        response (``{data, status}``) for its ``data``."""
        if names_non_api(target):
            return
        found = self.values.resolve(value)
        if isinstance(found, Node):
            body, status = self._unwrapped(found, "axios" in target.lower())
            if body is not found:
                yield from self._body(body, library, _Route(status=status))
                return
        yield from self._body(value, library, _Route())

    def _unwrapped(self, node: Node, axios: bool) -> tuple[Node, int | None]:
        node = unwrap(node)
        if node.type == "call_expression" and dotted(node.child_by_field_name("function")) in {
            "Promise.resolve"
        }:
            args = arguments(node)
            return self._unwrapped(self._resolved_node(args[0]), axios) if args else (node, None)
        built = self._built_response(node)
        if built is not None:
            return built
        if node.type != "object":
            return node, None
        pairs = _pairs(node)
        status = self._status(pairs.get("status"))
        json_value = pairs.get("json")
        if json_value is not None:
            json_value = self._resolved_node(json_value)
            inner = _mock_function_value(json_value) or self._first_return(json_value)
            if inner is not None:
                return self._resolved_node(inner), status
        if axios and "data" in pairs:
            return pairs["data"], status
        return node, None

    def _first_return(self, node: Node) -> Node | None:
        returned = self.values.returned(node)
        return returned[0] if returned else None

    def _built_response(self, node: Node) -> tuple[Node, int | None] | None:
        """``new Response(JSON.stringify(x), {status})``, ``Response.json(x, {status})``."""
        node = unwrap(node)
        if node.type == "new_expression":
            constructor = text(node.child_by_field_name("constructor"))
            args = arguments(node)
            if constructor in _RESPONSE_TYPES and args:
                body = self._stringified(args[0])
                if body is not None:
                    return body, self._init_status(args[1:])
        if node.type == "call_expression":
            head, _, last = dotted(node.child_by_field_name("function")).rpartition(".")
            args = arguments(node)
            if head in _RESPONSE_TYPES and last == "json" and args:
                return args[0], self._init_status(args[1:])
        return None

    def _msw(self, resolver: Node, route: _Route) -> Iterator[ResponseMock]:
        """Every response an msw resolver builds: ``HttpResponse.json(x, {status})`` (v2),
        ``res(ctx.status(404), ctx.json(x))`` (v1), ``new HttpResponse(JSON.stringify(x))``."""
        inside = [
            n
            for n in (*self.source.calls, *self.source.news)
            if resolver.start_byte <= n.start_byte and n.end_byte <= resolver.end_byte
        ]
        statuses = [self._status(arguments(n)[0]) for n in inside if _is_ctx(n, "status")]
        v1_status = statuses[0] if statuses else None
        for node in inside:
            built = self._built_response(node)
            if built is not None:
                body, status = built
                yield from self._body(body, "msw", _Route(route.method, route.url, status))
            elif _is_ctx(node, "json") and arguments(node):
                status = v1_status
                yield from self._body(
                    arguments(node)[0], "msw", _Route(route.method, route.url, status)
                )

    def _nock(self, call: Node, last: str, args: list[Node]) -> Iterator[ResponseMock]:
        """``nock(host).get(path).reply(200, body)`` (and ``.replyWithFile(200, file)``)."""
        route = self._nock_route(call)
        status = self._status(args[0]) if args[0].type == "number" else None
        body = args[1] if status is not None and len(args) > 1 else None
        if status is None and args[0].type not in {"arrow_function", "function_expression"}:
            body = args[0]
        if body is None:
            return
        route = _Route(route.method, route.url, status)
        if last == "replyWithFile":
            fixture = self.values.fixture_at(body)
            if fixture is not None:
                yield self._fixture_mock(fixture, "nock", route)
            return
        yield from self._body(body, "nock", route)

    def _nock_route(self, call: Node) -> _Route:
        """``nock(host).get(path)`` or ``scope.intercept(path, 'PATCH')`` before ``.reply``."""
        callee = call.child_by_field_name("function")
        interceptor = callee.child_by_field_name("object") if callee is not None else None
        if interceptor is None or interceptor.type != "call_expression":
            return _Route()
        verb_callee = interceptor.child_by_field_name("function")
        verb = text(verb_callee.child_by_field_name("property")) if verb_callee else ""
        args = arguments(interceptor)
        method = verb.upper() if verb in _VERBS else None
        if verb == "intercept" and len(args) > 1:
            written = self.values.literal(args[1])
            method = written.upper() if isinstance(written, str) else None
        host = self._nock_host(verb_callee)
        path = self._url(args[0]) if args else None
        return _Route(method, (host or "") + path if path is not None else host)

    def _nock_host(self, node: Node | None) -> str | None:
        """The host of the ``nock(host)`` call a chain starts from (through a name bound to
        it); None when the chain does not start with ``nock``."""
        for _ in range(20):
            if node is None:
                return None
            if node.type == "identifier":
                found = self.values.resolve(node)
                if not isinstance(found, Node) or found.id == node.id:
                    return None
                node = found
            elif node.type == "call_expression":
                callee = node.child_by_field_name("function")
                if text(callee) == "nock":
                    args = arguments(node)
                    return (self._url(args[0]) if args else None) or ""
                node = callee
            elif node.type == "member_expression":
                node = node.child_by_field_name("object")
            else:
                return None
        return None

    def _body(self, value: Node, library: str, route: _Route) -> Iterator[ResponseMock]:
        found = self.values.resolve(value)
        if isinstance(found, JsonFixture):
            yield self._fixture_mock(found, library, route)
            return
        body = self.values.literal(found)
        if is_api_body(body):
            line = found.start_point[0] + 1
            yield ResponseMock(
                self.rel(self.source.path), line, (), body, route.method, route.url,
                route.status, library,
            )  # fmt: skip

    def _fixture_mock(self, fixture: JsonFixture, library: str, route: _Route) -> ResponseMock:
        return ResponseMock(
            self.rel(fixture.path), fixture.line, (), fixture.body, route.method, route.url,
            route.status, library,
        )  # fmt: skip

    def _resolved_node(self, node: Node) -> Node:
        found = self.values.resolve(node)
        return node if isinstance(found, JsonFixture) else found

    def _stringified(self, node: Node) -> Node | None:
        """``JSON.stringify(x)`` -> x."""
        node = unwrap(node)
        if (
            node.type == "call_expression"
            and dotted(node.child_by_field_name("function")) == "JSON.stringify"
        ):
            args = arguments(node)
            return args[0] if args else None
        return None

    def _init_status(self, args: list[Node]) -> int | None:
        if not args or unwrap(args[0]).type != "object":
            return None
        return self._status(_pairs(unwrap(args[0])).get("status"))

    def _status(self, node: Node | None) -> int | None:
        value = self.values.literal(node) if node is not None else None
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def _url(self, node: Node) -> str | None:
        """A URL as written: a string, or a template with unknown parts as ``{expr}``."""
        found = self.values.resolve(node)
        if isinstance(found, JsonFixture):
            return None
        if found.type == "string":
            return string_text(found)
        if found.type != "template_string":
            return None
        parts = []
        for child in found.children:
            if child.type == "template_substitution" and child.named_children:
                known = self._url(child.named_children[0])
                parts.append(
                    known if known is not None else "{" + text(child.named_children[0]) + "}"
                )
            elif child.type not in {"`"}:
                parts.append(text(child))
        return "".join(parts)

    def _target(self, receiver: Node | None) -> str:
        """What a mock function stands for: ``api.getUser``; ``vi.spyOn(Math, 'random')`` ->
        ``Math.random``; a name bound to such a spy, followed."""
        if receiver is None:
            return ""
        found = self.values.resolve(receiver)
        node = found if isinstance(found, Node) else receiver
        if node.type == "call_expression":
            name = dotted(node.child_by_field_name("function"))
            args = arguments(node)
            if name.endswith("spyOn") and len(args) > 1:
                return f"{dotted(args[0])}.{string_text(args[1])}"
            if name in {"vi.fn", "jest.fn", "vi.fn().mockName"}:
                return self._assigned_to(node)
            if name.endswith(("mocked", "asMock")) and args:
                return self._target(args[0])
        if node.type == "member_expression":  # vi.mocked(axios).get -> axios.get
            owner = self._target(node.child_by_field_name("object"))
            return f"{owner}.{text(node.child_by_field_name('property'))}"
        return dotted(node)

    def _assigned_to(self, call: Node) -> str:
        """The name a mock function is kept under: ``global.fetch = vi.fn(...)`` ->
        global.fetch; ``const now = vi.fn().mockReturnValue(...)`` -> now; ``{ info: vi.fn() }``
        in ``const logger`` -> logger.info; ``vi.stubGlobal('fetch', vi.fn())`` -> fetch."""
        node = call
        while node.parent is not None and node.parent.type in _CHAIN:
            node = node.parent
        parent = node.parent
        if parent is None:
            return ""
        if parent.type == "assignment_expression":
            return dotted(parent.child_by_field_name("left"))
        if parent.type == "variable_declarator":
            return text(parent.child_by_field_name("name"))
        if parent.type == "pair":
            key = text(parent.child_by_field_name("key"))
            holder = parent.parent.parent if parent.parent is not None else None
            if holder is not None and holder.type == "variable_declarator":
                return f"{text(holder.child_by_field_name('name'))}.{key}"
            return key
        if parent.type == "arguments" and parent.parent is not None:
            owner = parent.parent
            args = arguments(owner)
            if dotted(owner.child_by_field_name("function")).endswith("stubGlobal") and args:
                return string_text(args[0])
        return ""

    def _library(self, target: str) -> str:
        return "fetch" if target.rpartition(".")[2] == "fetch" else self.mock_library


def _pairs(node: Node) -> dict[str, Node]:
    found: dict[str, Node] = {}
    for child in node.named_children:
        if child.type == "pair":
            key, value = child.child_by_field_name("key"), child.child_by_field_name("value")
            if key is not None and value is not None:
                found[string_text(key) if key.type == "string" else text(key)] = value
        elif child.type == "method_definition":
            name = child.child_by_field_name("name")
            found[text(name)] = child
    return found


def _mock_function_value(node: Node) -> Node | None:
    """``vi.fn().mockResolvedValue(x)`` -> x (a fake response's ``json``)."""
    node = unwrap(node)
    if node.type != "call_expression":
        return None
    last = dotted(node.child_by_field_name("function")).rpartition(".")[2]
    args = arguments(node)
    return args[0] if last in _RETURNS and args else None


def _is_ctx(node: Node, member: str) -> bool:
    """msw v1's ``ctx.json(...)`` / ``ctx.status(...)``."""
    if node.type != "call_expression":
        return False
    head, _, last = dotted(node.child_by_field_name("function")).rpartition(".")
    return last == member and head == "ctx"
