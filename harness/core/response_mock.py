"""One mocked API response (``ResponseMock``) and what tells an API response from other mocks,
shared by the Python and JavaScript readers (``response_mocks`` finds them in test files)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Final

from harness.core.features import UnitTest
from harness.core.js_syntax import JS_SUFFIXES
from harness.core.paths import relative_path


class _Unknown:
    """The marker for a part of a mocked value that is not a literal (a call, a variable)."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __reduce__(self) -> str:
        return "UNKNOWN"


#: Stands in a mock's ``body`` for every part that is not a literal.
UNKNOWN: Final = _Unknown()

#: Names in a mock's target that say it fakes something other than an API response.
NON_API_TARGETS = frozenset(
    {
        "time", "datetime", "date", "now", "utcnow", "today", "clock", "sleep", "monotonic",
        "perf_counter", "timers", "random", "randint", "choice", "uuid", "uuid1", "uuid4",
        "randomuuid", "math", "logging", "logger", "log", "console", "performance", "environ",
        "getenv", "env", "settimeout", "setinterval",
    }
)  # fmt: skip


@dataclass(frozen=True)
class ResponseMock:
    """One mocked API response in the unit tests' source."""

    file: str  #: project-relative POSIX path of the test file (or JSON fixture) holding it
    line: int  #: 1-based line of the mocked value
    tests: tuple[str, ...]  #: "file::name" (Python), "file > describe > it" (JavaScript)
    body: object = field(hash=False)  #: the mocked JSON value; non-literal parts are UNKNOWN
    method: str | None = None  #: "GET", ... when the mock names it
    url: str | None = None  #: URL or path when the mock names one
    status: int | None = None  #: the mocked status when given
    library: str = ""  #: "unittest.mock", "responses", "respx", "msw", "nock", "fixture", ...

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@functools.lru_cache(maxsize=8192)
def project_path(path: Path, root: Path) -> str:
    """A test or fixture file as mocks name it: from the project root (POSIX); asked for every
    mock and test id, so each answer is kept."""
    return relative_path(path, root)


def is_api_body(body: object) -> bool:
    """A value that can stand for an API response: a non-empty object, or a non-empty list of
    objects or lists (scalars and empty values carry no contract to drift from)."""
    if isinstance(body, dict):
        return bool(body)
    if isinstance(body, list):
        return bool(body) and all(isinstance(item, (dict, list)) for item in body)
    return False


def names_non_api(target: str) -> bool:
    """True when a dotted mock target (``shop.clock.now``, ``Math.random``) fakes no API."""
    return any(part.lower() in NON_API_TARGETS for part in target.replace("/", ".").split("."))


def uses(mock: ResponseMock, test: UnitTest) -> bool:
    """True when the unit test (as read from JUnit) is one of the tests that use the mock."""
    return any(matches_test_id(test_id, test) for test_id in mock.tests)


def matches_test_id(test_id: str, test: UnitTest) -> bool:
    """Whether a mock's test id names this JUnit test: ``file::name`` against pytest's node
    ids (parameters ignored); ``file > describe > it`` against Vitest's ``describe > it`` and
    jest-junit's ``describe it`` names, the file given by the case or its classname; the
    placeholders of ``test.each`` titles (``%s``, ``$name``) stand for any text."""
    file, sep, _ = test_id.partition("::")
    if sep and file.endswith(".py"):
        return any(_without_params(node) == test_id for node in test.ids)
    file, _, title = test_id.partition(" > ")
    case = test.case
    in_classname = "/" in case.classname or case.classname.endswith(JS_SUFFIXES)  # Vitest
    reported = case.file or (case.classname if in_classname else "")
    if not reported or not _same_file(file, reported):
        return False
    name = " ".join(case.name.replace(" > ", " ").split())
    words = title.replace(" > ", " ").split()
    if not any(_is_placeholder(word) for word in words):
        return name == " ".join(words)
    pattern = " ".join("*" if _is_placeholder(w) else _glob_escaped(w) for w in words)
    return fnmatchcase(name, pattern)


def _is_placeholder(word: str) -> bool:
    return word.startswith("$") or any(p in word for p in _PLACEHOLDERS)


def _glob_escaped(word: str) -> str:
    return "".join(f"[{c}]" if c in "[]*?" else c for c in word)


_PLACEHOLDERS = ("%s", "%d", "%i", "%f", "%j", "%o", "%p", "%#")


def _without_params(node_id: str) -> str:
    head, bracket, _ = node_id.partition("[")
    return head if bracket else node_id


def _same_file(ours: str, reported: str) -> bool:
    """Ours is project-relative; a runner reports it relative to its own working folder."""
    reported = reported.replace("\\", "/").removeprefix("./")
    return ours == reported or ours.endswith("/" + reported)
