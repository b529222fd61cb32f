"""Static values of JavaScript/TypeScript test code: the JSON literal a node stands for (``const``
names followed, imported JSON fixtures read), and what a mocked function returns."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from tree_sitter import Node

from harness.core.js_syntax import JsSource, arguments, dotted, string_text, text, unwrap
from harness.core.json_fixtures import JsonFiles, JsonFixture
from harness.core.response_mock import UNKNOWN

_MAX_DEPTH = 20
_SAME_VALUE = {"structuredClone", "Object.freeze", "Promise.resolve"}
_FUNCTIONS = {
    "arrow_function", "function_expression", "function", "generator_function", "method_definition",
}  # fmt: skip
_PATH_CALLS = {"path.join", "path.resolve", "join", "resolve"}


@dataclass(frozen=True)
class Binding:
    """What a name in a test file stands for: a value node, or a JSON file it imports."""

    node: Node | None = None
    fixture: JsonFixture | None = None


class JsValues:
    """The bindings of one file and the conversion of its nodes into JSON values."""

    def __init__(self, source: JsSource, files: JsonFiles) -> None:
        self.source = source
        self.files = files
        self.bindings: dict[str, Binding] = {}
        for node in source.declarators:
            name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
            if name is not None and value is not None and name.type == "identifier":
                self.bindings.setdefault(text(name), self._binding(value, files))
        for node in source.imports:
            self._import(node, files)

    def _binding(self, value: Node, files: JsonFiles) -> Binding:
        value = unwrap(value)
        callee = value.child_by_field_name("function")
        if value.type == "call_expression" and dotted(callee) == "require":
            args = arguments(value)
            fixture = self._json(args[0], files) if args else None
            if fixture is not None:
                return Binding(fixture=fixture)
        return Binding(node=value)

    def _import(self, node: Node, files: JsonFiles) -> None:
        """``import data from './x.json'`` (also ``* as data``, with ``with {type: 'json'}``)."""
        source = node.child_by_field_name("source")
        fixture = self._json(source, files) if source is not None else None
        if fixture is None:
            return
        for child in node.named_children:
            if child.type != "import_clause":
                continue
            for name in child.named_children:
                if name.type == "identifier":
                    self.bindings[text(name)] = Binding(fixture=fixture)
                elif name.type == "namespace_import" and name.named_children:
                    self.bindings[text(name.named_children[-1])] = Binding(fixture=fixture)

    def _json(self, node: Node, files: JsonFiles) -> JsonFixture | None:
        if node.type != "string" or not string_text(node).endswith(".json"):
            return None
        spec = string_text(node)
        if not spec.startswith("."):
            return None
        path = Path(os.path.normpath(self.source.path.parent / spec))
        return files.get(path)

    def resolve(self, node: Node) -> Node | JsonFixture:
        """A name followed to its value or the JSON file it imports; else the node."""
        for _ in range(_MAX_DEPTH):
            node = unwrap(node)
            if node.type not in {"identifier", "shorthand_property_identifier"}:
                return node
            binding = self.bindings.get(text(node))
            if binding is None:
                return node
            if binding.fixture is not None:
                return binding.fixture
            assert binding.node is not None
            if binding.node.id == node.id:
                return node
            node = binding.node
        return node

    def literal(self, node: Node, depth: int = 0) -> object:
        """The JSON value of a node; non-literal parts are UNKNOWN."""
        found = self.resolve(node)
        if isinstance(found, JsonFixture):
            return found.body
        node = found
        if depth > _MAX_DEPTH:
            return UNKNOWN
        kind = node.type
        if kind == "object":
            return self._object(node, depth)
        if kind == "array":
            return self._array(node, depth)
        if kind in {"string", "template_string"}:
            return _string(node)
        if kind == "number":
            return _number(text(node))
        if kind in {"true", "false"}:
            return kind == "true"
        if kind == "null":
            return None
        if kind == "unary_expression" and text(node).startswith("-"):
            value = self.literal(node.named_children[0], depth + 1)
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            return -value if number else UNKNOWN  # type: ignore[operator]
        if kind == "call_expression":
            return self._call(node, depth)
        return UNKNOWN

    def _object(self, node: Node, depth: int) -> dict[str, object]:
        found: dict[str, object] = {}
        for child in node.named_children:
            if child.type == "pair":
                key = child.child_by_field_name("key")
                value = child.child_by_field_name("value")
                name = _key(key)
                if name is not None and value is not None:
                    found[name] = self.literal(value, depth + 1)
            elif child.type == "shorthand_property_identifier":
                found[text(child)] = self.literal(child, depth + 1)
            elif child.type == "spread_element" and child.named_children:
                spread = self.literal(child.named_children[0], depth + 1)
                found.update(spread if isinstance(spread, dict) else {})
        return found

    def _array(self, node: Node, depth: int) -> list[object]:
        found: list[object] = []
        for child in node.named_children:
            if child.type == "spread_element" and child.named_children:
                spread = self.literal(child.named_children[0], depth + 1)
                found.extend(spread if isinstance(spread, list) else [UNKNOWN])
            elif child.type != "comment":
                found.append(self.literal(child, depth + 1))
        return found

    def _call(self, node: Node, depth: int) -> object:
        name = dotted(node.child_by_field_name("function"))
        args = arguments(node)
        if name in _SAME_VALUE and args:
            return self.literal(args[0], depth + 1)
        raw = _string(args[0]) if name == "JSON.parse" and args else None
        if isinstance(raw, str):
            try:
                return json.loads(raw)
            except ValueError:
                return UNKNOWN
        return UNKNOWN

    def returned(self, function: Node) -> list[Node]:
        """What a function returns: an arrow's expression body, or each ``return``'s value
        (nested functions left out)."""
        function = unwrap(function)
        if function.type not in _FUNCTIONS:
            return []
        body = function.child_by_field_name("body")
        if body is None:
            return []
        if body.type != "statement_block":
            return [body]
        found: list[Node] = []
        pending = list(body.named_children)
        while pending:
            node = pending.pop(0)
            if node.type == "return_statement" and node.named_children:
                found.append(node.named_children[0])
            elif node.type not in _FUNCTIONS:
                pending.extend(node.named_children)
        return found

    def fixture_at(self, node: Node) -> JsonFixture | None:
        """The JSON file a path expression names: ``path.join(__dirname, 'x.json')``,
        ``__dirname + '/x.json'``, a template, or a path relative to the test file."""
        built = self._path(node, 0)
        if built is None or not built.endswith(".json"):
            return None
        path = Path(built)
        if not path.is_absolute():
            path = self.source.path.parent / path
        return self.files.get(Path(os.path.normpath(path)))

    def _path(self, node: Node, depth: int) -> str | None:
        found = self.resolve(node)
        if isinstance(found, JsonFixture) or depth > _MAX_DEPTH:
            return None
        if found.type == "identifier" and text(found) == "__dirname":
            return str(self.source.path.parent)
        if found.type == "string":
            return string_text(found)
        if found.type == "binary_expression" and len(found.named_children) == 2:
            parts = [self._path(child, depth + 1) for child in found.named_children]
            return None if None in parts else "".join(p or "" for p in parts)
        if found.type == "template_string":
            return self._template_path(found, depth)
        if found.type == "call_expression":
            if dotted(found.child_by_field_name("function")) not in _PATH_CALLS:
                return None
            parts = [self._path(arg, depth + 1) for arg in arguments(found)]
            return None if None in parts or not parts else os.path.join(*[p or "" for p in parts])
        return None

    def _template_path(self, node: Node, depth: int) -> str | None:
        parts: list[str | None] = []
        for child in node.named_children:
            if child.type == "template_substitution" and child.named_children:
                parts.append(self._path(child.named_children[0], depth + 1))
            else:
                parts.append(text(child))
        return None if None in parts else "".join(p or "" for p in parts)

    def is_function(self, node: Node) -> bool:
        found = self.resolve(node)
        return not isinstance(found, JsonFixture) and found.type in _FUNCTIONS


def _key(node: Node | None) -> str | None:
    if node is None:
        return None
    if node.type in {"property_identifier", "number"}:
        return text(node)
    if node.type == "string":
        return string_text(node)
    return None


def _string(node: Node) -> str | object:
    if node.type == "template_string" and any(
        c.type == "template_substitution" for c in node.named_children
    ):
        return UNKNOWN
    raw = string_text(node)
    if "\\" not in raw:
        return raw
    try:
        return str(json.loads('"' + raw.replace('"', '\\"').replace("\\'", "'") + '"'))
    except ValueError:
        return raw


def _number(raw: str) -> int | float | object:
    """A JavaScript number literal: an integer in any base (0x, 0o, 0b), else a float."""
    raw = raw.replace("_", "")
    if re.fullmatch(r"[+-]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0|[1-9][0-9]*)", raw):
        return int(raw, 0)
    try:
        return float(raw)
    except ValueError:
        return UNKNOWN
