"""Read a YAML file into plain Python values while remembering the line and column of every key
and value, so that every later check can point at ``file:line:column``.

The API for every loader of user files (journeys, shared steps, environments, harness.yml)::

    document = load_document(path)          # raises SourceError: unreadable, empty, bad YAML
    problems = validation.check(document, schema, describe=...)   # duplicates + schema problems
    document.problem(("steps", 3, "click"), "what is wrong")       # a located Problem

Paths are tuples of mapping keys and list indices, the same paths that jsonschema reports.
"""

from __future__ import annotations

import math
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from harness.errors import Problem, SourceError

#: A place inside a document: mapping keys and list indices from the root.
DocPath = tuple[str | int, ...]


def value_at(data: Any, path: DocPath) -> Any:
    """The value at ``path`` inside plain loaded data, or None where the path does not exist."""
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


#: Stops documents that expand aliases exponentially ("billion laughs") from eating the machine.
MAX_NODES = 200_000
#: Deeper nesting than any user file needs; beyond it, checks would exhaust Python's stack.
MAX_DEPTH = 40
#: No journey, environment or harness.yml comes near this; a larger file is refused before it
#: is parsed (a 20 MB file took the YAML parser most of a minute).
MAX_BYTES = 1_000_000

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass(frozen=True)
class Position:
    """A 1-based line and column in a file."""

    line: int
    column: int


@dataclass(frozen=True)
class Document:
    """One YAML document as plain values (dict, list, str, int, float, bool, None), with places.

    ``values[path]`` is where the value at ``path`` starts, ``keys[path]`` where the mapping key
    naming it starts, ``text_offsets[path]`` how far into the line a one-line string's text
    starts after its opening quote (0 or 1), and ``problems`` what was wrong but readable
    (duplicate keys): :func:`harness.core.validation.check` reports those first.
    """

    file: str
    data: Any
    values: Mapping[DocPath, Position]
    keys: Mapping[DocPath, Position]
    text_offsets: Mapping[DocPath, int] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    def position(self, path: DocPath, *, at_key: bool = False) -> Position:
        """Where ``path`` is (its key when ``at_key``); the nearest known ancestor otherwise."""
        while True:
            found = (self.keys.get(path) if at_key else None) or self.values.get(path)
            if found is not None or not path:
                return found or Position(1, 1)
            path = path[:-1]

    def problem(
        self,
        path: DocPath,
        message: str,
        hints: tuple[str, ...] = (),
        *,
        at_key: bool = False,
        offset: int | None = None,
    ) -> Problem:
        """A Problem at ``path``; ``offset`` points at a character inside a one-line string."""
        where = self.position(path, at_key=at_key)
        column = where.column
        if offset is not None and path in self.text_offsets:
            column += self.text_offsets[path] + offset
        return Problem(self.file, where.line, column, message, hints)


def load_document(path: Path | str, display: str | None = None) -> Document:
    """Read and parse one YAML file; ``display`` is the name shown in messages (default: path).

    Raises :class:`SourceError` when the file cannot be read, is not UTF-8, is empty, holds
    more than one document or is not valid YAML.
    """
    name = display if display is not None else str(path)
    try:
        text = _read_regular(Path(path), name).decode("utf-8")
    except FileNotFoundError as exc:
        raise SourceError([Problem(name, 1, 1, "file not found")]) from exc
    except UnicodeDecodeError as exc:
        raise SourceError(
            [Problem(name, 1, 1, f"the file is not UTF-8 text ({exc.reason})")]
        ) from exc
    except OSError as exc:
        raise SourceError([Problem(name, 1, 1, f"cannot read the file: {exc.strerror}")]) from exc
    return parse_document(text, name)


def _read_regular(path: Path, name: str) -> bytes:
    """The bytes of a regular file of at most MAX_BYTES. Opened without blocking, so a FIFO
    (or a device) named like a journey is refused at once instead of waiting for a writer."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SourceError([Problem(name, 1, 1, f"not a regular file ({_kind(info.st_mode)})")])
        if info.st_size > MAX_BYTES:
            raise SourceError([Problem(name, 1, 1, _too_large(info.st_size))])
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:  # it grew while being read
        raise SourceError([Problem(name, 1, 1, _too_large(len(data)))])
    return data


def _kind(mode: int) -> str:
    for test, kind in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return kind
    return "a device"


def _too_large(size: int) -> str:
    return f"the file is too large ({size:,} bytes; at most {MAX_BYTES:,})"


def parse_document(text: str, file: str) -> Document:
    """Parse YAML text as if read from ``file``; the same checks as :func:`load_document`."""
    nodes = _compose(text, file)
    if not nodes:
        raise SourceError([Problem(file, 1, 1, "the file is empty: expected a mapping of keys")])
    if len(nodes) > 1:
        mark = nodes[1].start_mark
        raise SourceError(
            [
                Problem(
                    file,
                    mark.line + 1,
                    mark.column + 1,
                    "the file holds more than one YAML document ('---'); put one per file",
                )
            ]
        )
    builder = _Builder(file)
    data = builder.build(nodes[0], ())
    return Document(
        file, data, builder.values, builder.keys, builder.text_offsets, tuple(builder.problems)
    )


def _compose(text: str, file: str) -> list[yaml.Node]:
    loader = _Loader(text)
    try:
        nodes: list[yaml.Node] = []
        while loader.check_node():
            nodes.append(loader.get_node())
        return nodes
    except yaml.MarkedYAMLError as exc:
        raise SourceError([_syntax_problem(exc, file)]) from exc
    except yaml.YAMLError as exc:
        raise SourceError([Problem(file, 1, 1, f"not valid YAML: {exc}")]) from exc
    finally:
        loader.dispose()


def _syntax_problem(exc: yaml.MarkedYAMLError, file: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    said = _in_our_words(exc)
    if said is not None:
        message, hint = said
        return Problem(file, line, column, message, (hint,))
    what = " ".join(part for part in (exc.context, exc.problem) if part)
    return Problem(file, line, column, f"not valid YAML: {what}")


def _in_our_words(exc: yaml.MarkedYAMLError) -> tuple[str, str] | None:
    """PyYAML's commonest complaints, which are indentation mistakes, said as such."""
    context, problem, start = exc.context or "", exc.problem or "", exc.context_mark
    at = f"line {start.line + 1}, column {start.column + 1}" if start else "above"
    if "block collection" in context and "'-'" in problem:
        return (
            f"this line is not indented like the list that starts at {at}",
            "Every '- ' of one list starts at the same column; a key of the item above "
            "goes under its first key, two spaces past the '-'",
        )
    if "block mapping" in context and "expected key" in problem:
        return (
            f"this line is not indented like the keys of the mapping that starts at {at}",
            "Keys of one mapping start at the same column; a key of a nested mapping goes "
            "deeper than the key it belongs to",
        )
    if problem.startswith("mapping values are not allowed"):
        return (
            "a ':' here starts a key where none can start",
            'Quote a text that holds ": " (goto: "a: b"), or put the key on its own line, '
            "indented under the key it belongs to",
        )
    if "flow mapping" in context or "flow sequence" in context:
        closing = "}" if "mapping" in context else "]"
        return (
            f"the {'{' if closing == '}' else '['}...{closing} that starts at {at} is not closed",
            f"A ',' between items or the closing '{closing}' is missing",
        )
    if "quoted scalar" in context and "end of stream" in problem:
        return f"the quoted text that starts at {at} is never closed", "Close it with its quote"
    if "cannot start any token" in problem:
        return (
            "this character cannot start a key or a value",
            "A tab? YAML is indented with spaces only; a text that starts with @ or ` needs quotes",
        )
    return None


class _Builder:
    """Turns composed nodes into plain values, recording positions and duplicate keys."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.values: dict[DocPath, Position] = {}
        self.keys: dict[DocPath, Position] = {}
        self.text_offsets: dict[DocPath, int] = {}
        self.problems: list[Problem] = []
        self.constructor = yaml.constructor.SafeConstructor()
        self.active: set[int] = set()
        self.count = 0

    def build(self, node: yaml.Node, path: DocPath) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise SourceError(
                [self._at(node, f"the document is too large (over {MAX_NODES} values)")]
            )
        if len(path) > MAX_DEPTH:
            raise SourceError([self._at(node, f"nested too deeply (over {MAX_DEPTH} levels)")])
        self.values[path] = _position(node)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if id(node) in self.active:
            raise SourceError([self._at(node, "an alias refers to the mapping or list it is in")])
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            return self._mapping(node, path)
        finally:
            self.active.discard(id(node))

    def _scalar(self, node: yaml.ScalarNode, path: DocPath) -> Any:
        if "\n" not in node.value and node.start_mark.line == node.end_mark.line:
            self.text_offsets[path] = 1 if node.style in ("'", '"') else 0
        if node.tag == _TIMESTAMP_TAG:
            return node.value  # dates stay as written: "2026-01-31" is a string to the schema
        if node.tag == _BOOL_TAG and node.value.lower() not in ("true", "false"):
            return node.value  # YAML 1.2 booleans: "yes", "no", "on", "off" stay text
        try:
            value = self.constructor.construct_object(node, deep=True)
        except yaml.MarkedYAMLError as exc:
            raise SourceError([self._at(node, f"cannot read this value: {exc.problem}")]) from exc
        if isinstance(value, float) and not math.isfinite(value):
            return node.value  # JSON has no .inf or .nan: the schema sees the text as written
        return value

    def _mapping(self, node: yaml.Node, path: DocPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                self._merge(result, value_node, path)
        self.values[path] = _position(node)
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                continue
            key = self._key(key_node)
            child = (*path, key)
            if key in seen:
                self._duplicate(key, key_node, path)
            else:
                self.keys[child] = _position(key_node)
            seen.add(key)
            result[key] = self.build(value_node, child)
        return result

    def _merge(self, result: dict[str, Any], node: yaml.Node, path: DocPath) -> None:
        # YAML's merge key: explicit keys win, then earlier merged mappings win over later ones.
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                raise SourceError([self._at(source, "'<<' can only merge mappings")])
            for key, value in self.build(source, path).items():
                result.setdefault(key, value)

    def _key(self, node: yaml.Node) -> str:
        if not isinstance(node, yaml.ScalarNode):
            raise SourceError([self._at(node, "a key must be a plain name, not a list or mapping")])
        return str(node.value)

    def _duplicate(self, key: str, node: yaml.Node, path: DocPath) -> None:
        child = (*path, key)
        first = self.keys[child]
        message = f"duplicate key '{key}' (first at line {first.line}); each key may appear once"
        self.problems.append(self._at(node, message))

    def _at(self, node: yaml.Node, message: str) -> Problem:
        where = _position(node)
        return Problem(self.file, where.line, where.column, message)


def _position(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)
