"""Which journeys a run takes: ``-k`` keyword expressions (pytest's and/or/not over
case-insensitive substrings, parsed with ``ast`` and never evaluated), ``--tag`` and ``--shard``."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from harness.errors import UsageError

T = TypeVar("T")
Matcher = Callable[[str], bool]

_TOKEN = re.compile(r"\s*(\(|\)|[^\s()]+)")
_OPERATORS = frozenset({"and", "or", "not"})


def _tokens(expression: str) -> list[str]:
    tokens, at = [], 0
    while at < len(expression):
        match = _TOKEN.match(expression, at)
        if match is None:  # only trailing blanks are left
            break
        tokens.append(match.group(1))
        at = match.end()
    return tokens


def _placeholders(tokens: list[str]) -> tuple[str, list[str]]:
    """The expression with each word replaced by ``_w0``, ``_w1``...: words may hold
    characters Python names cannot (``buy-a-mug``, ``cart.journey``)."""
    words: list[str] = []
    parts = []
    for token in tokens:
        if token in _OPERATORS or token in "()":
            parts.append(token)
        else:
            parts.append(f"_w{len(words)}")
            words.append(token)
    return " ".join(parts), words


def _compile(node: ast.expr, words: list[str]) -> Callable[[Matcher], bool]:
    if isinstance(node, ast.BoolOp):
        parts = [_compile(value, words) for value in node.values]
        if isinstance(node.op, ast.And):
            return lambda match: all(part(match) for part in parts)
        return lambda match: any(part(match) for part in parts)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _compile(node.operand, words)
        return lambda match: not inner(match)
    if isinstance(node, ast.Name) and node.id.startswith("_w"):
        word = words[int(node.id[2:])].lower()
        return lambda match: match(word)
    raise ValueError(ast.dump(node))


@dataclass(frozen=True)
class Keywords:
    """A ``-k`` expression: ``checkout and not slow``, ``cart or search``, ``not (a or b)``."""

    text: str
    test: Callable[[Matcher], bool]

    @classmethod
    def from_text(cls, text: str) -> Keywords:
        source, words = _placeholders(_tokens(text))
        if not words:
            raise _bad(text, "it names nothing to match")
        try:
            tree = ast.parse(source, mode="eval")
            return cls(text, _compile(tree.body, words))
        except (SyntaxError, ValueError) as exc:
            raise _bad(text, "it is not words joined by and, or, not and parentheses") from exc

    def matches(self, *texts: str) -> bool:
        """True when the expression holds, each word being a substring of one of ``texts``."""
        lowered = [text.lower() for text in texts]
        return self.test(lambda word: any(word in text for text in lowered))


def _bad(text: str, why: str) -> UsageError:
    return UsageError(
        f"-k {text!r}: {why}\n"
        "    Valid: words (matched case-insensitively against each journey's name, id and file) "
        "with and, or, not and parentheses, e.g. -k 'checkout and not slow'"
    )


@dataclass(frozen=True)
class Shard:
    """``--shard I/N``: the I-th of N parts, 1-based; journeys are dealt out in id order."""

    index: int
    total: int

    @classmethod
    def from_text(cls, text: str) -> Shard:
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if match is None:
            raise UsageError(f"--shard {text!r}: expected I/N, e.g. --shard 2/4")
        index, total = int(match.group(1)), int(match.group(2))
        if total < 1 or not 1 <= index <= total:
            raise UsageError(
                f"--shard {text!r}: I must be between 1 and N (N at least 1), "
                f"e.g. --shard 1/{max(total, 2)}"
            )
        return cls(index, total)

    def take(self, items: Sequence[T], key: Callable[[T], str]) -> list[T]:
        """This shard's items: every N-th by ``key`` order, so shards differ by at most one
        and the same set of journeys always splits the same way."""
        ordered = sorted(items, key=key)
        return [item for n, item in enumerate(ordered) if n % self.total == self.index - 1]


def has_any_tag(tags: Iterable[str], wanted: Iterable[str]) -> bool:
    """No wanted tags means any journey; otherwise it needs one of them."""
    chosen = set(wanted)
    return not chosen or bool(chosen & set(tags))
