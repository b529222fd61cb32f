"""Static mock counting for JavaScript and TypeScript tests, on the tree-sitter parse of
``js_syntax``: each mocking call is attributed to the test (``it``/``test``) around it; one
outside every test (``vi.mock`` at the top, a ``beforeEach``) to every test of its ``describe``,
or of the file."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from harness.core.js_syntax import JsBlock, JsSource, parse_js, read_js

_HTTP_CALLS = {
    "get", "post", "put", "patch", "delete", "head", "options", "all", "query", "mutation",
}  # fmt: skip
_KINDS = {
    "mock": "module mock",
    "doMock": "module mock",
    "unstable_mockModule": "module mock",
    "fn": "mock function",
    "spyOn": "spy",
    "stubGlobal": "stub",
    "stubEnv": "stub",
}


@dataclass(frozen=True)
class JsFile:
    """A JS/TS test file: its tests and suites, and every mocking call's offset and kind."""

    source: JsSource
    mocks: tuple[tuple[int, str], ...]

    @classmethod
    def read(cls, path: Path) -> JsFile | None:
        source = read_js(path)
        return None if source is None else cls.from_source(source)

    @classmethod
    def parse(cls, text: str, suffix: str = ".js") -> JsFile:
        return cls.from_source(parse_js(text.encode(), Path(f"test{suffix}")))

    @classmethod
    def from_source(cls, source: JsSource) -> JsFile:
        found = ((call.start_byte, _kind(source.callee(call))) for call in source.calls)
        return cls(source, tuple((offset, kind) for offset, kind in found if kind))

    def count(self, junit_name: str) -> Counter[str] | None:
        """Mocks that run for the test this JUnit name names (Vitest ``describe > it``,
        jest-junit ``describe it``, or only the test's own title)."""
        test = _named(self.source.tests, junit_name)
        if test is None:
            return None
        counter: Counter[str] = Counter()
        for offset, kind in self.mocks:
            if test in self.source.tests_at(offset):
                counter[kind] += 1
        return counter


def _named(tests: tuple[JsBlock, ...], junit_name: str) -> JsBlock | None:
    words = junit_name.replace(" > ", " ").split()
    whole = [t for t in tests if " ".join(t.titles).split() == words]
    if whole:
        return whole[0]
    ending = [t for t in tests if junit_name.endswith(t.titles[-1])]
    return max(ending, key=lambda t: len(t.titles[-1])) if ending else None


def _kind(name: str) -> str | None:
    head, _, last = name.rpartition(".")
    if head in {"jest", "vi"} and last in _KINDS:
        return _KINDS[last]
    if (head in {"http", "rest", "graphql"} and last in _HTTP_CALLS) or name == "nock":
        return "http mock"
    return None
