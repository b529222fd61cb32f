"""Static mock counting for JavaScript and TypeScript tests, by pattern: each mocking call is
attributed to the test (``it``/``test``) around it, or to every test of the file when it is
outside them (module mocks, ``beforeEach``)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

JS_SUFFIXES = (".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts")

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

    def count(self, junit_name: str) -> Counter[str] | None:
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
        return counter


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
