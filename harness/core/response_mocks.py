"""The API responses that unit tests mock, found statically: each mocked JSON value with its file
and line, the tests that use it and, where the mock names them, the URL, method and status.

Python is read with ``ast``, JavaScript and TypeScript with tree-sitter; JSON fixture files count
when a test loads them. Mocks that do not stand for an API response (a clock, a logger, random
numbers, scalars) are left out. Drift detection compares these with the journeys' real traffic.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from harness.core.js_response_mocks import JsResponseMocks
from harness.core.js_syntax import JS_SUFFIXES
from harness.core.json_fixtures import JsonFiles
from harness.core.python_response_mocks import PythonResponseMocks
from harness.core.response_mock import (
    UNKNOWN,
    ResponseMock,
    is_api_body,
    matches_test_id,
    names_non_api,
    project_path,
    uses,
)

__all__ = [
    "UNKNOWN",
    "ResponseMock",
    "find_response_mocks",
    "is_api_body",
    "matches_test_id",
    "names_non_api",
    "project_path",
    "uses",
]


#: From this many test files on, and on more than one core, they are read in forked workers
#: (finding the mocks of 1,000 test files must take under 2 s).
PARALLEL_FROM = 200


def find_response_mocks(root: Path, files: Iterable[Path]) -> tuple[ResponseMock, ...]:
    """The API response mocks in these test files (Python, JavaScript, TypeScript), with the
    JSON fixtures they load; sorted by file and line. Unreadable files are skipped."""
    given = sorted(files)
    chunks = _chunks(given)
    if len(chunks) < 2:
        found = _found_in(root, given)
    else:
        with ProcessPoolExecutor(len(chunks), mp_context=mp.get_context("fork")) as pool:
            found = [m for part in pool.map(_found_in, [root] * len(chunks), chunks) for m in part]
    return tuple(sorted(_merged(found), key=lambda m: (m.file, m.line, m.url or "", m.library)))


def _chunks(files: list[Path]) -> list[list[Path]]:
    """Neighbouring files together (a folder's conftest and fixtures are read once per worker);
    one chunk where forking is not worth it or not safe (another thread could hold a lock)."""
    workers = min(os.cpu_count() or 1, 4)
    forkable = "fork" in mp.get_all_start_methods() and threading.active_count() == 1
    if len(files) < PARALLEL_FROM or workers < 2 or not forkable:
        return [files]
    size = -(-len(files) // workers)
    return [files[i : i + size] for i in range(0, len(files), size)]


def _found_in(root: Path, files: Iterable[Path]) -> list[ResponseMock]:
    """Every mock each file holds, before the mocks seen from several files are merged."""
    fixtures = JsonFiles()
    python, js = PythonResponseMocks(root, fixtures), JsResponseMocks(root, fixtures)
    found: list[ResponseMock] = []
    for path in files:
        if path.suffix == ".py":
            found.extend(python.find(path))
        elif path.suffix in JS_SUFFIXES and not path.name.endswith(".d.ts"):
            found.extend(js.find(path))
    return found


def _merged(mocks: Iterable[ResponseMock]) -> list[ResponseMock]:
    """One mock per place and meaning, with the tests of every sighting (a conftest fixture
    seen from several test files); a fixture file that a test also hands to a mocking library
    is that library's mock for that test, not a second, plain one."""
    merged = _by_place(mocks)
    handed = {(m.file, t) for m in merged if m.library != "fixture" for t in m.tests}
    kept = []
    for mock in merged:
        if mock.library == "fixture":
            tests = tuple(t for t in mock.tests if (mock.file, t) not in handed)
            mock = ResponseMock(mock.file, mock.line, tests, mock.body, library=mock.library)
        if mock.tests:
            kept.append(mock)
    return kept


def _by_place(mocks: Iterable[ResponseMock]) -> list[ResponseMock]:
    merged: dict[tuple[object, ...], ResponseMock] = {}
    for mock in mocks:
        key = (mock.file, mock.line, mock.library, mock.method, mock.url, mock.status)
        kept = merged.get(key)
        tests = mock.tests if kept is None else kept.tests + mock.tests
        merged[key] = ResponseMock(
            mock.file, mock.line, tuple(dict.fromkeys(tests)), mock.body,
            mock.method, mock.url, mock.status, mock.library,
        )  # fmt: skip
    return list(merged.values())
