"""How hard each unit test mocks: a static count of mocking per test (Python by ``ast``,
JavaScript by tree-sitter) and the feature's mock-to-real ratio, the warning sign of "tests green,
app broken" when it passes 3:1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from harness.core.features import UnitTest
from harness.core.js_mocks import JsFile
from harness.core.js_syntax import JS_SUFFIXES
from harness.core.python_mocks import PythonMocks

#: Above this many mocking tests per non-mocking test, a feature's unit tests are flagged.
RATIO_LIMIT = 3


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
        found = None if parsed is None else parsed.count(test.case.name)
        return None if found is None else MockCount.from_counter(found)

    def _js_file(self, test: UnitTest) -> Path | None:
        for name in (test.case.file, test.case.classname, test.case.suite):
            if name and name.endswith(JS_SUFFIXES) and (self.root / name).is_file():
                return self.root / name
        return None
