"""Which journeys a run takes: ``-k`` keyword expressions (pytest's and/or/not over
case-insensitive substrings, parsed with ``ast`` and never evaluated), ``--tag`` and ``--shard``."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
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
    """``--shard I/N``: the I-th of N parts, 1-based.

    Journeys of one ``serial`` group stay in one part. Parts are balanced by the seconds the
    history recorded for each journey when there are any (a journey without a record counts as
    the median of those with one), else by journey file (one each): the heaviest first, each
    onto the lightest part so far, ties broken by id, so N machines that see the same journeys
    and the same durations split them the same way without talking."""

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

    def take(
        self,
        items: Sequence[T],
        key: Callable[[T], str],
        group: Callable[[T], str | None] = lambda item: None,
        seconds: Mapping[str, float] | None = None,
    ) -> list[T]:
        """This shard's items, in ``key`` order."""
        return self.split(items, key, group, seconds)[self.index - 1]

    def split(
        self,
        items: Sequence[T],
        key: Callable[[T], str],
        group: Callable[[T], str | None] = lambda item: None,
        seconds: Mapping[str, float] | None = None,
    ) -> list[list[T]]:
        """Every shard's items (the same on every machine for the same input)."""
        units = _units(items, key, group)
        weight = _weights(seconds or {})
        heaviest = sorted(units, key=lambda u: (-sum(weight(key(i)) for i in u), key(u[0])))
        parts: list[list[T]] = [[] for _ in range(self.total)]
        loads = [0.0] * self.total
        for unit in heaviest:
            lightest = min(range(self.total), key=lambda n: (loads[n], n))
            parts[lightest] += unit
            loads[lightest] += sum(weight(key(i)) for i in unit)
        return [sorted(part, key=key) for part in parts]

    def describe(self) -> str:
        return f"{self.index}/{self.total}"


def _units(
    items: Sequence[T], key: Callable[[T], str], group: Callable[[T], str | None]
) -> list[list[T]]:
    """Each serial group as one unit, every other item alone; each unit in key order."""
    groups: dict[str, list[T]] = {}
    units: list[list[T]] = []
    for item in sorted(items, key=key):
        name = group(item)
        if name is None:
            units.append([item])
        elif name in groups:
            groups[name].append(item)
        else:
            groups[name] = [item]
            units.append(groups[name])
    return units


def _weights(seconds: Mapping[str, float]) -> Callable[[str], float]:
    """Recorded seconds per id; an id without a record weighs the median of the records (1 each
    when there are none: a split by file)."""
    known = sorted(value for value in seconds.values() if value > 0)
    default = known[len(known) // 2] if known else 1.0
    return lambda name: seconds[name] if seconds.get(name, 0) > 0 else default


def has_any_tag(tags: Iterable[str], wanted: Iterable[str]) -> bool:
    """No wanted tags means any journey; otherwise it needs one of them."""
    chosen = set(wanted)
    return not chosen or bool(chosen & set(tags))
