"""JavaScript and TypeScript test files parsed by tree-sitter (the JavaScript, TypeScript and
TSX grammars, from their wheels): the calls in a file, its tests (``it``/``test`` inside
``describe``) with their spans, and small helpers to read nodes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import tree_sitter_javascript
import tree_sitter_typescript
from tree_sitter import Language, Node, Parser, Query, QueryCursor

JS_SUFFIXES = (".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts")

_TEST_CALLS = {"it", "test"}
_SUITE_CALLS = {"describe", "suite", "context"}
_MODIFIERS = {"only", "skip", "todo", "concurrent", "sequential", "fails", "failing", "each"}
_UNWRAP = {
    "parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression",
    "type_assertion", "await_expression",
}  # fmt: skip
_QUERY = """
(call_expression) @call
(new_expression) @new
(import_statement) @import
(variable_declarator) @declarator
(assignment_expression) @assignment
"""


@dataclass(frozen=True)
class JsBlock:
    """An ``it``/``test`` (or a ``describe``) call: its titles from the outermost describe, and
    the byte span of the call."""

    titles: tuple[str, ...]
    start: int
    end: int
    is_test: bool

    def holds(self, offset: int) -> bool:
        return self.start <= offset < self.end


@dataclass(frozen=True)
class JsSource:
    """A parsed JS/TS file: its calls, imports and declarations (in source order), its tests
    and suites."""

    path: Path
    data: bytes
    language: Language
    root: Node
    calls: tuple[Node, ...]
    news: tuple[Node, ...]
    imports: tuple[Node, ...]
    declarators: tuple[Node, ...]
    assignments: tuple[Node, ...]
    blocks: tuple[JsBlock, ...]

    @cached_property
    def callees(self) -> dict[int, str]:
        """Each call's callee as dotted text (``vi.fn``, ``nock().get().reply``), by node id."""
        return {call.id: dotted(call.child_by_field_name("function")) for call in self.calls}

    def callee(self, call: Node) -> str:
        found = self.callees.get(call.id)
        return dotted(call.child_by_field_name("function")) if found is None else found

    @property
    def tests(self) -> tuple[JsBlock, ...]:
        return tuple(block for block in self.blocks if block.is_test)

    def tests_at(self, offset: int) -> tuple[JsBlock, ...]:
        """The tests code at this offset runs for: the test around it; else (a ``beforeEach``,
        a module-level mock) every test of the innermost describe around it, or of the file."""
        around = [block for block in self.blocks if block.holds(offset)]
        tests = [block for block in around if block.is_test]
        if tests:
            return (tests[-1],)
        if around:
            inner = around[-1]
            return tuple(t for t in self.tests if inner.start <= t.start and t.end <= inner.end)
        return self.tests


def read_js(path: Path) -> JsSource | None:
    """Parse a JS/TS file, or None when it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return parse_js(data, path)


def parse_js(data: bytes, path: Path) -> JsSource:
    language = _language(_grammar(path.suffix))
    tree = Parser(language).parse(data)
    captures = QueryCursor(_query(_grammar(path.suffix))).captures(tree.root_node)

    def nodes(name: str) -> tuple[Node, ...]:
        return tuple(sorted(captures.get(name, []), key=lambda n: n.start_byte))

    calls = nodes("call")
    return JsSource(
        path, data, language, tree.root_node, calls, nodes("new"), nodes("import"),
        nodes("declarator"), nodes("assignment"), tuple(_blocks(calls)),
    )  # fmt: skip


def identifiers(source: JsSource, name: str) -> Iterator[Node]:
    """Every identifier node spelled ``name``: the text is searched, the tree says which hits
    are identifiers (not parts of strings, comments or longer names)."""
    needle = name.encode()
    start = source.data.find(needle)
    while start >= 0:
        end = start + len(needle)
        node = source.root.descendant_for_byte_range(start, end)
        exact = node is not None and (node.start_byte, node.end_byte) == (start, end)
        if exact and node is not None and node.type == "identifier":
            yield node
        start = source.data.find(needle, end)


def _grammar(suffix: str) -> str:
    if suffix in {".ts", ".mts", ".cts"}:
        return "typescript"
    return "tsx" if suffix == ".tsx" else "javascript"


@cache
def _language(grammar: str) -> Language:
    if grammar == "typescript":
        return Language(tree_sitter_typescript.language_typescript())
    if grammar == "tsx":
        return Language(tree_sitter_typescript.language_tsx())
    return Language(tree_sitter_javascript.language())


@cache
def _query(grammar: str) -> Query:
    query: Query = Query(_language(grammar), _QUERY)
    return query


def _blocks(calls: tuple[Node, ...]) -> list[JsBlock]:
    """Tests and suites, outer ones first; a block's titles include its describes'."""
    found: list[JsBlock] = []
    for call in calls:
        kind = _block_kind(call)
        title = _title(call) if kind else None
        if kind is None or title is None:
            continue
        outer = [b for b in found if not b.is_test and b.holds(call.start_byte)]
        titles = (*outer[-1].titles, title) if outer else (title,)
        found.append(JsBlock(titles, call.start_byte, call.end_byte, kind == "test"))
    return found


def _block_kind(call: Node) -> str | None:
    """``it``/``test`` (with ``.only``, ``.skip``, ``.each(table)``...) -> "test";
    ``describe`` -> "suite"."""
    callee = call.child_by_field_name("function")
    while callee is not None:
        if callee.type == "identifier":
            name = text(callee)
            return "test" if name in _TEST_CALLS else "suite" if name in _SUITE_CALLS else None
        if callee.type == "member_expression":
            if text(callee.child_by_field_name("property")) not in _MODIFIERS:
                return None
            callee = callee.child_by_field_name("object")
        elif callee.type == "call_expression":  # test.each(table)(title, fn)
            callee = callee.child_by_field_name("function")
        else:
            return None
    return None


def _title(call: Node) -> str | None:
    args = arguments(call)
    if not args or args[0].type not in {"string", "template_string"}:
        return None
    return string_text(args[0])


def arguments(call: Node) -> list[Node]:
    """The call's (or ``new``'s) argument nodes, comments left out."""
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    return [child for child in args.named_children if child.type != "comment"]


def text(node: Node | None) -> str:
    if node is None or node.text is None:
        return ""
    return node.text.decode("utf-8", errors="replace")


def string_text(node: Node) -> str:
    """A string or template literal's text, quotes off (substitutions as written)."""
    raw = text(node)
    return raw[1:-1] if len(raw) >= 2 else raw


def unwrap(node: Node) -> Node:
    """Through parentheses, ``as``/``satisfies`` casts, ``!`` and ``await``."""
    while node.type in _UNWRAP and node.named_children:
        node = node.named_children[0]
    return node


def dotted(node: Node | None) -> str:
    """A callee as dotted text: ``vi.spyOn``, ``api.getUser.mockResolvedValue``; calls inside
    the chain shown as ``()``: ``nock().get().reply``."""
    if node is None:
        return ""
    node = unwrap(node)
    if node.type in {"identifier", "this", "property_identifier"}:
        return text(node)
    if node.type == "member_expression":
        prop = text(node.child_by_field_name("property"))
        return f"{dotted(node.child_by_field_name('object'))}.{prop}"
    if node.type == "call_expression":
        return dotted(node.child_by_field_name("function")) + "()"
    return ""
